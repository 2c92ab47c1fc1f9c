"""Writes of the reach monitor: participation (grid, upload, API), history, school pupils.

Only counts are stored. Every write is atomic and audited; bad input raises ValidationError
(a dict ``{"rows": [...]}`` or per-field messages) naming the row and field.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from stemnet.agenda.models import Activity, Session
from stemnet.core import audit
from stemnet.organisations.models import Organisation
from stemnet.places.models import Municipality
from stemnet.places.selectors import municipalities_for_postcode, point_for_postcode
from stemnet.reach import importing, selectors
from stemnet.reach.history import HistoryPreview, history_preview
from stemnet.reach.importing import RowError, RowProblem, column_label
from stemnet.reach.models import (
    MERGER_YEAR,
    Participation,
    ParticipationBreakdown,
    SchoolReach,
    SessionAttendance,
    Source,
    TargetGroup,
)

Dimension = ParticipationBreakdown.Dimension


def target_group_get(slug: str) -> TargetGroup | None:
    """An active target group by code; UiTPAS is always there (made when missing)."""
    slug = (slug or "").strip().lower()
    if slug == TargetGroup.UITPAS:
        group, _created = TargetGroup.objects.get_or_create(
            slug=TargetGroup.UITPAS,
            defaults={"name_nl": "UiTPAS of kansentarief", "name_en": "UiTPAS or reduced rate"},
        )
        return group
    return TargetGroup.objects.filter(slug=slug, is_active=True).first()


# --- residence -------------------------------------------------------------------------------


def residence_for(value: str, year: int) -> Municipality:
    """The municipality of residence (of ``year``'s set) from a postcode or a NIS code.

    Raises RowProblem("residence", ...) when unknown. A 2025 municipality is mapped to the
    2019-2024 one for earlier years: the only former municipality, or the one named like a
    locality of the postcode, else the former municipality nearest to the postcode.
    """
    text = (value or "").strip()
    vintage = selectors.vintage_for_year(year)
    if len(text) == 5 and text.isdigit():
        found = Municipality.objects.filter(nis_code=text, vintage=vintage).first()
        if found is None:
            other = Municipality.objects.filter(nis_code=text).first()
            if other is not None and vintage == Municipality.Vintage.V2025 and other.successor:
                return other.successor
            if other is not None and other.predecessors.count() == 1:
                return other.predecessors.get()
            raise RowProblem(
                "residence",
                _("Unknown NIS code “%(code)s” for %(year)s.") % {"code": text, "year": year},
            )
        return found
    if len(text) == 4 and text.isdigit():
        found = municipalities_for_postcode(text)
        if not found:
            raise RowProblem(
                "residence",
                _("Unknown postcode “%(postcode)s”. Enter a Belgian postcode of four digits.")
                % {"postcode": text},
            )
        municipality = found[0]
        if vintage == Municipality.Vintage.V2025:
            return municipality
        predecessors = list(municipality.predecessors.all())
        if len(predecessors) <= 1:
            return predecessors[0] if predecessors else municipality
        from stemnet.places.selectors import Point, distance_km, postcode_localities

        localities = {n.lower() for n in postcode_localities(text)}
        named = [m for m in predecessors if m.name_nl.lower() in localities]
        if len(named) == 1:
            return named[0]
        point = point_for_postcode(text) or Point(municipality.lat, municipality.lon)
        return min(predecessors, key=lambda m: distance_km(point, Point(m.lat, m.lon)))
    raise RowProblem(
        "residence",
        _("Enter a postcode (4 digits) or a NIS code (5 digits), not “%(value)s”.")
        % {"value": text},
    )


# --- grid entry ------------------------------------------------------------------------------


@dataclass
class CleanRows:
    participants: int = 0
    girls: int = 0
    boys: int = 0
    gender_x: int = 0
    ages: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    residences: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    groups: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    attendances: int | None = None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def clean_rows(rows: list[dict], *, year: int, first_row: int = 1) -> tuple[CleanRows, list]:
    """Check grid/upload rows. A row is a group of children sharing the values given:
    ``{"age": 5-18 or "", "residence": postcode/NIS or "", "target_group": code or "",
    "participants": n, "girls": n, "boys": n, "x": n, "attendances": n or ""}``.
    Returns the totals and a list of RowError (row numbers from ``first_row``)."""
    clean = CleanRows()
    errors: list[RowError] = []
    for offset, row in enumerate(rows):
        number = row.get("row", first_row + offset) if isinstance(row, dict) else first_row
        problems: list[RowProblem] = []

        def attempt(fn, *args, problems=problems, **kwargs):
            try:
                return fn(*args, **kwargs)
            except RowProblem as problem:
                problems.append(problem)
                return None

        participants = attempt(importing.integer, "participants", _text(row.get("participants")))
        girls = attempt(importing.integer, "girls", _text(row.get("girls")), required=False) or 0
        boys = attempt(importing.integer, "boys", _text(row.get("boys")), required=False) or 0
        x = attempt(importing.integer, "x", _text(row.get("x")), required=False) or 0
        age = attempt(importing.age_value, "age", _text(row.get("age")), required=False)
        attendances = attempt(
            importing.integer, "attendances", _text(row.get("attendances")), required=False
        )
        residence = None
        if _text(row.get("residence")):
            residence = attempt(residence_for, _text(row.get("residence")), year)
        group = None
        if _text(row.get("target_group")):
            group = target_group_get(_text(row.get("target_group")))
            if group is None:
                problems.append(
                    RowProblem(
                        "target_group",
                        _("Unknown target group “%(value)s”.")
                        % {"value": _text(row.get("target_group"))},
                    )
                )
        if participants is not None and girls + boys + x > participants:
            column = "girls" if girls > participants else "participants"
            problems.append(
                RowProblem(
                    column,
                    _("Girls, boys and x together (%(sum)s) exceed the participants (%(n)s).")
                    % {"sum": girls + boys + x, "n": participants},
                )
            )
        if problems:
            errors.extend(RowError(number, p.column, p.message) for p in problems)
            continue
        clean.participants += participants
        clean.girls += girls
        clean.boys += boys
        clean.gender_x += x
        if age is not None and participants:
            clean.ages[age] += participants
        if residence is not None and participants:
            clean.residences[residence.pk] += participants
        if group is not None and participants:
            clean.groups[group.pk] += participants
        if attendances is not None:
            clean.attendances = (clean.attendances or 0) + attendances
    return clean, errors


def not_started_message(activity: Activity, year: int | None = None) -> str | None:
    """Why participation cannot be entered yet (for ``year``): no session of the activity (in
    that year) has started. None when one has, or when it has no session there at all."""
    sessions = activity.sessions.all()
    if year is not None:
        sessions = sessions.filter(starts_at__year=year)
    first = sessions.order_by("starts_at").first()
    if first is None or first.starts_at <= timezone.now():
        return None
    return _(
        "This activity has not started yet (first session on %(day)s): participation can be "
        "entered once it has taken place."
    ) % {"day": _day(first.starts_at)}


def _year_for(activity: Activity, year: int | None) -> int:
    """The year to record: one with held (started) sessions of the activity."""
    years = selectors.activity_years(activity)
    if not years:
        not_started = not_started_message(activity)
        if not_started:
            raise ValidationError({"year": not_started}, code="not_started")
        raise ValidationError({"year": _("This activity has no sessions; add its sessions first.")})
    if (
        year is not None
        and year not in years
        and (not_started := not_started_message(activity, year))
    ):
        raise ValidationError({"year": not_started}, code="not_started")
    if year is None:
        if len(years) == 1:
            return years[0]
        raise ValidationError(
            {"year": _("This activity has sessions in several years; choose the year.")}
        )
    if year not in years:
        raise ValidationError(
            {
                "year": _(
                    "This activity has no session in %(year)s (it has sessions in %(years)s)."
                )
                % {"year": year, "years": ", ".join(map(str, years)) or "-"}
            }
        )
    return year


def _check_may_record(actor, activity: Activity) -> None:
    if actor is None or not actor.has_perm("reach.record_participation", activity):
        raise PermissionDenied(_("You can only record participation for your own activities."))


def _errors_to_validation(errors: list[RowError]) -> ValidationError:
    return ValidationError(
        [
            ValidationError(
                _("Row %(row)s, %(column)s: %(message)s")
                % {"row": e.row, "column": column_label(e.column), "message": e.message},
                code="row",
                params={"row": e.row, "column": e.column},
            )
            for e in errors
        ]
    )


def _write(
    *,
    activity: Activity,
    year: int,
    clean: CleanRows,
    actor,
    source: str,
    session_attendances: dict[int, int] | None = None,
) -> Participation:
    municipality = selectors.municipality_for_year(activity, year)
    attendances = clean.attendances
    if session_attendances:
        attendances = sum(session_attendances.values())
    participation, created = Participation.objects.update_or_create(
        activity=activity,
        year=year,
        defaults={
            "municipality": municipality,
            "organisation_id": activity.organiser_id,
            "kind": activity.kind,
            "age_min": activity.age_min,
            "age_max": activity.age_max,
            "participants": clean.participants,
            "girls": clean.girls,
            "boys": clean.boys,
            "gender_x": clean.gender_x,
            "attendances": attendances,
            "source": source,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    participation.breakdown.all().delete()
    common = {
        "participation": participation,
        "year": year,
        "municipality": municipality,
        "organisation_id": activity.organiser_id,
        "kind": activity.kind,
    }
    ParticipationBreakdown.objects.bulk_create(
        [
            ParticipationBreakdown(dimension=Dimension.AGE, age=a, count=n, **common)
            for a, n in sorted(clean.ages.items())
        ]
        + [
            ParticipationBreakdown(dimension=Dimension.RESIDENCE, residence_id=r, count=n, **common)
            for r, n in clean.residences.items()
        ]
        + [
            ParticipationBreakdown(
                dimension=Dimension.TARGET_GROUP, target_group_id=g, count=n, **common
            )
            for g, n in clean.groups.items()
        ]
    )
    if session_attendances is not None:
        participation.session_attendances.all().delete()
        SessionAttendance.objects.bulk_create(
            [
                SessionAttendance(participation=participation, session_id=s, attendances=n)
                for s, n in session_attendances.items()
            ]
        )
    audit.record(
        participation,
        "reach.participation.created" if created else "reach.participation.replaced",
        actor=actor,
        data={
            "activity": activity.pk,
            "year": year,
            "participants": clean.participants,
            "source": source,
        },
    )
    return participation


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment).date(), "j F Y")


def _clean_session_attendances(
    activity: Activity, year: int, session_attendances: dict, participants: int
) -> dict[int, int]:
    """``{session id: attendances}`` checked: sessions of the activity in ``year`` that have
    started, each with at most ``participants`` (the activity's unique participants)."""
    sessions = {s.pk: s for s in Session.objects.filter(activity=activity)}
    out: dict[int, int] = {}
    problems = []
    for key, value in session_attendances.items():
        try:
            session_id = int(key)
        except (TypeError, ValueError):
            session_id = None
        if session_id not in sessions:
            problems.append(
                _("Session %(session)s is not a session of this activity.") % {"session": key}
            )
            continue
        starts_at = sessions[session_id].starts_at
        if timezone.localtime(starts_at).year != year:
            problems.append(
                _("Session %(session)s is not in %(year)s.") % {"session": key, "year": year}
            )
            continue
        if starts_at > timezone.now():
            problems.append(
                _("The session of %(day)s has not started yet: it has no attendances.")
                % {"day": _day(starts_at)}
            )
            continue
        try:
            count = int(value)
        except (TypeError, ValueError):
            count = -1
        if not 0 <= count <= importing.MAX_WHOLE:
            problems.append(
                _("Attendances of session %(session)s must be a whole number of at least 0.")
                % {"session": key}
            )
            continue
        if count > participants:
            # A child attends a session once: no session has more than the unique participants.
            problems.append(
                _(
                    "The session of %(day)s has %(n)s attendances, more than the %(total)s "
                    "unique participants of the activity: a child counts once per session."
                )
                % {"day": _day(starts_at), "n": count, "total": participants}
            )
            continue
        out[session_id] = count
    if problems:
        raise ValidationError({"session_attendances": problems})
    return out


@transaction.atomic
def participation_record(
    *,
    activity: Activity,
    actor,
    rows: list[dict],
    year: int | None = None,
    session_attendances: dict | None = None,
    source: str = Source.ENTRY,
) -> Participation:
    """Replace the participation of ``activity`` in ``year`` (grid entry or API), atomically.

    ``rows``: see ``clean_rows``; ``year`` may be left out when all sessions fall in one
    year; ``session_attendances``: ``{session_id: attendances}`` for sessions of that year
    (their total becomes the activity's attendances). Raises PermissionDenied unless the actor
    coordinates the organiser; ValidationError naming row and field for bad rows.
    """
    _check_may_record(actor, activity)
    if activity.status not in selectors.HELD_STATUSES:
        raise ValidationError(
            _("Participation can only be recorded for published or archived activities.")
        )
    year = _year_for(activity, year)
    clean, errors = clean_rows(rows, year=year)
    if errors:
        raise _errors_to_validation(errors)
    sessions = (
        _clean_session_attendances(activity, year, session_attendances, clean.participants)
        if session_attendances is not None
        else None
    )
    return _write(
        activity=activity,
        year=year,
        clean=clean,
        actor=actor,
        source=source,
        session_attendances=sessions,
    )


@transaction.atomic
def participation_delete(*, participation: Participation, actor) -> None:
    if participation.activity_id is None:
        if actor is None or not actor.has_perm("reach.import_history"):
            raise PermissionDenied(_("Only VLAIO staff can remove history rows."))
    else:
        _check_may_record(actor, participation.activity)
    audit.record(
        participation,
        "reach.participation.deleted",
        actor=actor,
        data={"year": participation.year, "participants": participation.participants},
    )
    participation.delete()


@dataclass
class Result:
    """What an import did, or (when ``errors``) why it wrote nothing."""

    created: int = 0
    updated: int = 0
    organisations_created: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the file was read (its encoding)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "organisations_created": self.organisations_created,
            "errors": [e.as_dict() for e in self.errors],
            "notes": self.notes,
        }


@transaction.atomic
def participation_import(*, organisation: Organisation, actor, file) -> Result:
    """Upload of participation rows (CSV/XLSX, see ``importing.PARTICIPATION_COLUMNS``).

    Rows of one activity and year together replace its participation. All or nothing: with
    any bad row nothing is written and every bad row is in ``Result.errors`` (number, column,
    reason). A file-level problem raises ValidationError.
    """
    if actor is None or not actor.has_perm("reach.record_participation", organisation):
        raise PermissionDenied(_("You can only record participation for your own organisation."))
    rows = importing.parse_participation(file)
    result = Result(notes=rows.notes)
    activities = {
        a.pk: a
        for a in Activity.objects.filter(organiser=organisation).select_related("municipality")
    }
    groups: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for number, values in rows:
        try:
            activity_id = importing.integer("activity_id", values.get("activity_id", ""))
            activity = activities.get(activity_id)
            if activity is None:
                raise RowProblem(
                    "activity_id",
                    _("Activity %(id)s is not an activity of %(organisation)s.")
                    % {"id": values.get("activity_id"), "organisation": organisation.name},
                )
            if activity.status not in selectors.HELD_STATUSES:
                raise RowProblem("activity_id", _("This activity is not published or archived."))
            years = selectors.activity_years(activity)
            year = importing.year_value("year", values.get("year", ""), required=False)
            not_started = not_started_message(activity, year) if year not in years else None
            if not_started:
                raise RowProblem("year", not_started)
            if year is None:
                if len(years) != 1:
                    raise RowProblem(
                        "year", _("This activity has sessions in several years; give the year.")
                    )
                year = years[0]
            elif year not in years:
                raise RowProblem(
                    "year",
                    _("This activity has no session in %(year)s.") % {"year": year},
                )
        except RowProblem as problem:
            result.errors.append(RowError(number, problem.column, problem.message))
            continue
        groups[(activity.pk, year)].append({"row": number, **values})
    cleaned = []
    for (activity_id, year), group in groups.items():
        clean, errors = clean_rows(group, year=year)
        result.errors.extend(errors)
        cleaned.append((activities[activity_id], year, clean))
    if result.errors:
        result.errors.sort(key=lambda e: (e.row or 0, e.column))
        return result
    for activity, year, clean in cleaned:
        existed = Participation.objects.filter(activity=activity, year=year).exists()
        _write(activity=activity, year=year, clean=clean, actor=actor, source=Source.UPLOAD)
        if existed:
            result.updated += 1
        else:
            result.created += 1
    return result


# --- history ---------------------------------------------------------------------------------


def reach_history_preview(*, file, actor) -> HistoryPreview:
    """What importing ``file`` would do (``reach.history``), without writing anything: the
    organisations matched (and how) or to be created, rows added and replaced, every bad row.
    Same permission as the import."""
    if actor is not None and not actor.has_perm("reach.import_history"):
        raise PermissionDenied(_("Only VLAIO staff can import reach history."))
    return history_preview(*importing.parse_history(file))


@transaction.atomic
def reach_history_import(
    *, file, actor, expected: str | None = None, source: str = Source.HISTORY
) -> Result:
    """Import historic reach from the CSV with exactly the columns
    ``year,organisation,activity,kind,municipality_nis,age_min,age_max,participants,girls,uitpas``.

    One row per activity and year; the NIS code must be valid in that year (2019-2024 codes
    before 2025). ``actor`` None is the command line; otherwise it needs
    ``reach.import_history`` (VLAIO staff). Organisations are matched by name as
    ``reach.history`` describes (case, accents, near matches) or created as academies; the
    command and the page show that preview first (``reach_history_preview``) and pass its
    ``digest`` as ``expected``: when the file or the matches changed since, nothing is written
    (ValidationError). An activity already imported for that organisation and year (same
    name, any case) is replaced. All or nothing: with any bad row nothing is written and
    every bad row is reported with its number, column and reason. A file-level problem (wrong
    columns, unreadable file) raises ValidationError.
    """
    if actor is not None and not actor.has_perm("reach.import_history"):
        raise PermissionDenied(_("Only VLAIO staff can import reach history."))
    parsed, errors = importing.parse_history(file)
    result = Result(errors=errors, notes=parsed.notes)
    if errors:
        return result
    preview = history_preview(parsed, errors)
    if expected is not None and preview.digest != expected:
        raise ValidationError(
            _(
                "The file or the organisations changed since the preview; nothing was "
                "imported. Check the new preview."
            )
        )
    from stemnet.organisations.services import organisation_create

    for match in preview.to_create:
        match.organisation = organisation_create(
            actor=actor, name=match.name, type=Organisation.Type.ACADEMY
        )
        result.organisations_created.append(match.name)
    uitpas = target_group_get(TargetGroup.UITPAS)
    organisations = [preview.organisation_for(r) for r in parsed]
    existing = {
        (p.organisation_id, p.history_activity_name.lower(), p.year): p
        for p in Participation.objects.filter(
            activity__isnull=True,
            organisation__in={o.pk for o in organisations},
            year__in={r.year for r in parsed},
        )
    }
    recorder = actor if getattr(actor, "is_authenticated", False) else None
    new, changed = [], []
    for row, organisation in zip(parsed, organisations, strict=True):
        participation = existing.get((organisation.pk, row.activity.lower(), row.year))
        if participation is None:
            participation = Participation(
                organisation=organisation, year=row.year, history_activity_name=row.activity
            )
            new.append(participation)
        else:
            changed.append(participation)
        participation.municipality = row.municipality
        participation.kind = row.kind
        participation.age_min = row.age_min
        participation.age_max = row.age_max
        participation.participants = row.participants
        participation.girls = row.girls
        participation.boys = 0
        participation.gender_x = 0
        participation.attendances = None
        participation.source = source
        participation.created_by = recorder
    Participation.objects.bulk_create(new, batch_size=1000)
    fields = ["municipality", "kind", "age_min", "age_max", "participants", "girls", "boys"]
    fields += ["gender_x", "attendances", "source", "created_by", "updated_at"]
    now = timezone.now()
    for participation in changed:
        participation.updated_at = now
    Participation.objects.bulk_update(changed, fields, batch_size=1000)
    ParticipationBreakdown.objects.filter(participation__in=[p.pk for p in changed]).delete()
    by_key = {(p.organisation_id, p.history_activity_name.lower(), p.year): p for p in new}
    by_key.update(existing)
    ParticipationBreakdown.objects.bulk_create(
        [
            ParticipationBreakdown(
                participation=by_key[(organisation.pk, row.activity.lower(), row.year)],
                dimension=Dimension.TARGET_GROUP,
                target_group=uitpas,
                count=row.uitpas,
                year=row.year,
                municipality=row.municipality,
                organisation=organisation,
                kind=row.kind,
            )
            for row, organisation in zip(parsed, organisations, strict=True)
            if row.uitpas
        ],
        batch_size=1000,
    )
    result.created, result.updated = len(new), len(changed)
    if parsed:
        audit.record(
            parsed[0].municipality,
            "reach.history.imported",
            actor=actor,
            data={
                "created": result.created,
                "updated": result.updated,
                "years": sorted({r.year for r in parsed}),
                "organisations_created": result.organisations_created,
                "organisations_matched": [
                    {"name": m.name, "organisation": m.organisation.name, "how": m.how}
                    for m in preview.to_check
                ],
            },
        )
    return result


# --- schools ---------------------------------------------------------------------------------


@transaction.atomic
def school_reach_record(
    *, school: Organisation, year: int, pupils_total: int, pupils_reached: int, actor
) -> SchoolReach:
    """Enter a school's pupils and how many took part (the "70% of all pupils" figure)."""
    if actor is None or not actor.has_perm("reach.record_participation", school):
        raise PermissionDenied(_("You can only enter pupil counts for your own school."))
    errors = {}
    if pupils_total is None or pupils_total < 0:
        errors["pupils_total"] = _("Enter a whole number of at least 0.")
    if pupils_reached is None or pupils_reached < 0:
        errors["pupils_reached"] = _("Enter a whole number of at least 0.")
    elif pupils_total is not None and pupils_reached > pupils_total:
        errors["pupils_reached"] = _("More pupils reached than pupils at the school.")
    if errors:
        raise ValidationError(errors)
    row, _created = SchoolReach.objects.update_or_create(
        organisation=school,
        year=year,
        defaults={"pupils_total": pupils_total, "pupils_reached": pupils_reached},
    )
    audit.record(
        row,
        "reach.school_reach.recorded",
        actor=actor,
        data={"year": year, "pupils_total": pupils_total, "pupils_reached": pupils_reached},
    )
    return row


__all__ = [
    "MERGER_YEAR",
    "Result",
    "participation_delete",
    "participation_import",
    "participation_record",
    "reach_history_import",
    "school_reach_record",
    "target_group_get",
]
