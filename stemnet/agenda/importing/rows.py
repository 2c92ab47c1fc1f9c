"""One row: convert its text, validate it exactly like the services do, and write it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stemnet.agenda import services
from stemnet.agenda.importing.columns import COLUMN_NAMES
from stemnet.agenda.models import AGE_MAX, AGE_MIN, AccessibilityFeature, Activity, Domain, Theme
from stemnet.core.tabular import MAX_WHOLE, whole_number


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it: the header is row 1
    column: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class RowProblem(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class Vocabularies:
    """Look-ups by code, Dutch or English name (case-insensitive), loaded once per import."""

    def __init__(self):
        self.maps = {}
        for key, model in (
            ("domains", Domain),
            ("themes", Theme),
            ("accessibility", AccessibilityFeature),
        ):
            found = {}
            for term in model.objects.all():
                for label in (term.slug, term.name_nl, term.name_en):
                    found[label.strip().lower()] = term
            self.maps[key] = (found, [t.slug for t in model.objects.all()])
        self.kinds = {}
        for value, _label in Activity.Kind.choices:
            self.kinds[value] = value
            self.kinds[value.replace("_", " ")] = value
            for lang in ("nl", "en"):
                with translation.override(lang):
                    self.kinds[str(Activity.Kind(value).label).lower()] = value
        self.kinds["eenmalige activiteit"] = Activity.Kind.ONE_OFF
        self.kinds["one-off"] = Activity.Kind.ONE_OFF

    def terms(self, column: str, text: str) -> list:
        found, codes = self.maps[column]
        result = []
        for part in re.split(r"[,;|]", text):
            part = part.strip()
            if not part:
                continue
            term = found.get(part.lower())
            if term is None:
                raise RowProblem(
                    column,
                    _("Unknown value “%(value)s”. Use one of: %(codes)s.")
                    % {"value": part, "codes": ", ".join(codes)},
                )
            if term not in result:
                result.append(term)
        return result

    def kind(self, text: str) -> str:
        value = self.kinds.get(text.strip().lower())
        if value is None:
            raise RowProblem(
                "kind",
                _("Unknown kind “%(value)s”. Use one of: %(kinds)s.")
                % {"value": text, "kinds": ", ".join(Activity.Kind.values)},
            )
        return value


# Ages have the agenda's range; counts the largest value the database stores.
_BOUNDS = {"age_min": (AGE_MIN, AGE_MAX), "age_max": (AGE_MIN, AGE_MAX)}


def _integer(column: str, text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    minimum, maximum = _BOUNDS.get(column, (0, MAX_WHOLE))
    try:
        return whole_number(text, minimum=minimum, maximum=maximum)
    except ValueError as exc:
        raise RowProblem(column, str(exc)) from None


def _money(column: str, text: str) -> Decimal | None:
    text = text.strip().replace("€", "").replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:
        text = text.replace(".", "")
    try:
        value = Decimal(text.replace(",", ".")).quantize(Decimal("0.01"))
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        raise RowProblem(
            column, _("“%(value)s” is not an amount in euro, e.g. 12,50.") % {"value": text}
        ) from None
    return value


YES = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
NO = {"nee", "n", "no", "0", "false", "onwaar", ""}


def _boolean(column: str, text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowProblem(column, _("Write ja or nee, not “%(value)s”.") % {"value": text})


_DATE = r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|\d{1,2}-\d{1,2}-\d{4})"
_TIME = r"(\d{1,2}[:.h]\d{2})"
SESSION_RE = re.compile(
    rf"^{_DATE}\s+{_TIME}\s*(?:-|–|tot)\s*(?:{_DATE}\s+)?{_TIME}$", re.IGNORECASE
)


def _date(text: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _time(text: str) -> dt.time:
    hours, minutes = re.split(r"[:.h]", text)
    return dt.time(int(hours), int(minutes))


def parse_sessions(text: str) -> list[tuple[dt.datetime, dt.datetime]]:
    """``2026-12-02 14:00-16:00; 2026-12-09 14:00-16:00`` as aware (start, end) pairs."""
    sessions = []
    for part in re.split(r"[;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        match = SESSION_RE.match(part)
        try:
            if not match:
                raise ValueError(part)
            start_date = _date(match.group(1))
            end_date = _date(match.group(3)) if match.group(3) else start_date
            start = dt.datetime.combine(start_date, _time(match.group(2)))
            end = dt.datetime.combine(end_date, _time(match.group(4)))
        except ValueError:
            raise RowProblem(
                "sessions",
                _(
                    "“%(value)s” is not a session. Write date, start and end time, "
                    "e.g. 2026-12-02 14:00-16:00."
                )
                % {"value": part},
            ) from None
        if end <= start:
            raise RowProblem(
                "sessions",
                _("The session “%(value)s” ends before it starts.") % {"value": part},
            )
        sessions.append(
            (
                timezone.make_aware(start, services.BRUSSELS),
                timezone.make_aware(end, services.BRUSSELS),
            )
        )
    return sessions


STATUSES = {
    "": None,
    "draft": Activity.Status.DRAFT,
    "concept": Activity.Status.DRAFT,
    "ontwerp": Activity.Status.DRAFT,
    "published": Activity.Status.PUBLISHED,
    "gepubliceerd": Activity.Status.PUBLISHED,
    "publiceren": Activity.Status.PUBLISHED,
}


def external_key(organisation, external_id: str) -> str:
    return f"{organisation.pk}:{external_id}" if external_id else ""


def convert_row(values: dict[str, str], vocab: Vocabularies) -> tuple[dict, str | None, list]:
    """Turn a row of text into service data; returns (data, target status or None, problems)."""
    data: dict[str, Any] = {}
    problems: list[RowProblem] = []

    def attempt(column: str, fn: Callable[[], Any]) -> None:
        if column not in values:
            return
        try:
            data[column] = fn()
        except RowProblem as problem:
            problems.append(problem)

    for column in ("title", "description", "venue_name", "street", "postcode", "booking_url"):
        attempt(column, lambda c=column: values[c])
    attempt("booking_email", lambda: values["booking_email"])
    attempt("kind", lambda: vocab.kind(values["kind"]) if values["kind"] else "")
    for column in ("domains", "themes", "accessibility"):
        attempt(column, lambda c=column: vocab.terms(c, values[c]))
    for column in ("age_min", "age_max", "capacity", "places_left"):
        attempt(column, lambda c=column: _integer(c, values[c]))
    for column in ("price", "price_reduced"):
        attempt(column, lambda c=column: _money(c, values[c]))
    attempt("subsidised", lambda: _boolean("subsidised", values["subsidised"]))
    attempt("sessions", lambda: parse_sessions(values["sessions"]))
    # None: keep the status of an existing activity (a new one becomes a draft).
    status = None
    raw_status = values.get("status", "").strip().lower()
    if raw_status in STATUSES:
        status = STATUSES[raw_status] if raw_status else None
    else:
        problems.append(
            RowProblem(
                "status", _("Write draft or published, not “%(value)s”.") % {"value": raw_status}
            )
        )
    if "domains" in data and not data["domains"]:
        problems.append(RowProblem("domains", _("Give at least one STEM domain.")))
    if not values.get("title", "").strip():
        problems.append(RowProblem("title", _("Give a title.")))
        data.pop("title", None)
    return data, status, problems


def _field_to_column(field: str) -> str:
    if field in {"municipality", "lat", "lon"}:
        return "postcode"
    if field in COLUMN_NAMES:
        return field
    return ""


@dataclass
class RowPlan:
    row: int
    action: str  # "create", "update" or "" (invalid)
    errors: list[RowError]
    data: dict | None = None
    status: str = Activity.Status.DRAFT
    existing: Activity | None = None


class Planner:
    """Validates rows for one organisation exactly as the services would, without writing."""

    def __init__(self, organisation):
        self.organisation = organisation
        self.vocab = Vocabularies()
        self.seen_ids: dict[str, int] = {}
        self.places: dict = {}

    def plan(self, row: dict) -> RowPlan:
        number, values = row["row"], row["values"]
        errors: list[RowError] = []
        data, status, problems = convert_row(values, self.vocab)
        errors.extend(RowError(number, p.column, p.message) for p in problems)
        external_id = values.get("external_id", "").strip()
        existing = None
        if external_id:
            if len(external_id) > 80:
                errors.append(
                    RowError(number, "external_id", _("Keep the id under 80 characters."))
                )
            elif external_id in self.seen_ids:
                errors.append(
                    RowError(
                        number,
                        "external_id",
                        _("This id is also used in row %(row)s; every row needs its own id.")
                        % {"row": self.seen_ids[external_id]},
                    )
                )
            else:
                self.seen_ids[external_id] = number
                existing = (
                    Activity.objects.filter(
                        organiser=self.organisation,
                        source=Activity.Source.IMPORT,
                        external_id=external_key(self.organisation, external_id),
                    )
                    .select_related("organiser")
                    .first()
                )
        if existing is None:
            data["source"] = Activity.Source.IMPORT
            data["external_id"] = external_key(self.organisation, external_id)
        bad_columns = {e.column for e in errors}
        service_data = {k: v for k, v in data.items() if k not in bad_columns}
        try:
            services.activity_validate(
                organisation=self.organisation,
                data=service_data,
                instance=Activity.objects.get(pk=existing.pk) if existing else None,
                place_cache=self.places,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                column = _field_to_column(field)
                if column in bad_columns:
                    continue  # already reported from converting the text
                errors.extend(RowError(number, column, m) for m in messages)
        if status is None:
            status = existing.status if existing is not None else Activity.Status.DRAFT
        if existing is not None and existing.status == Activity.Status.ARCHIVED:
            errors.append(
                RowError(
                    number,
                    "external_id",
                    _("The activity with this id is archived and cannot be changed."),
                )
            )
        elif (
            existing is not None
            and existing.status != status
            and not services.can_transition(existing, status)
        ):
            errors.append(
                RowError(
                    number,
                    "status",
                    _("The activity is %(current)s and cannot become %(target)s.")
                    % {
                        "current": Activity.Status(existing.status).label,
                        "target": Activity.Status(status).label,
                    },
                )
            )
        if status == Activity.Status.PUBLISHED and not {"sessions", "domains"} & bad_columns:
            sessions = data.get("sessions")
            if sessions is None and existing is not None:
                sessions = list(existing.sessions.all())
            domains = data.get("domains")
            if domains is None and existing is not None:
                domains = list(existing.domains.all())
            try:
                services.check_publishable(
                    Activity(), sessions=len(sessions or []), domains=bool(domains)
                )
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.extend(RowError(number, field, m) for m in messages)
        action = "" if errors else ("update" if existing else "create")
        return RowPlan(number, action, errors, data, status, existing)


def write_row(plan: RowPlan, *, organisation, actor) -> Activity:
    """Create or update the activity of one valid row (in its own savepoint)."""
    with transaction.atomic():
        if plan.existing is not None:
            activity = Activity.objects.select_for_update().get(pk=plan.existing.pk)
            activity = services.activity_update(activity=activity, actor=actor, data=plan.data)
        else:
            activity = services.activity_create(
                organisation=organisation, actor=actor, data=plan.data
            )
        if activity.status != plan.status:
            if plan.status == Activity.Status.PUBLISHED:
                services.activity_publish(activity=activity, actor=actor)
            elif plan.status == Activity.Status.DRAFT:
                services.activity_unpublish(activity=activity, actor=actor)
        return activity
