"""Every write of the agenda's coordinator side: activities, their sessions and API tokens.

Services take keyword-only arguments and an ``actor``, validate everything, write inside a
transaction, record an audit line (``agenda.activity.<event>``) and then ask the search module
to recompute the activity's search text, first/last moments and full-text index.

Decisions (documented here once):

* Status is a small state machine (``TRANSITIONS``). A draft can be published or archived; a
  published activity can be cancelled, archived or taken back to draft (unpublished); a
  cancelled activity can be published again (the reason is cleared) or archived. Archived is
  final: duplicate an archived activity to offer it again.
* Publishing needs at least one session and one STEM domain.
* ``activity_duplicate`` makes a draft copy without sessions, or, with ``shift_weeks``, with
  every session moved that many weeks on at the same local (Brussels) clock time.
* Activities imported from UiTdatabank (source ``uit``) are read-only here: they are changed
  at their source, and every write raises ValidationError with that reason.
* Every session lies within the agenda's window of dates (``agenda.session_window``: from
  2000 up to ten years ahead by default), checked wherever sessions are made: a typed 1900 or
  2150 would top the agenda and add a year to the reach figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.agenda import hooks
from stemnet.agenda.models import AGE_MAX, AGE_MIN, Activity, Session
from stemnet.agenda.session_window import session_window_error
from stemnet.core import audit
from stemnet.places.selectors import municipality_for_postcode, point_for_postcode

BRUSSELS = ZoneInfo("Europe/Brussels")
MAX_WEEKS = 52

Status = Activity.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PUBLISHED, Status.ARCHIVED},
    Status.PUBLISHED: {Status.CANCELLED, Status.ARCHIVED, Status.DRAFT},
    Status.CANCELLED: {Status.PUBLISHED, Status.ARCHIVED},
    Status.ARCHIVED: set(),
}

# Plain fields a caller may set through ``data``.
SCALAR_FIELDS = (
    "title",
    "description",
    "kind",
    "age_min",
    "age_max",
    "venue_name",
    "street",
    "postcode",
    "price",
    "price_reduced",
    "capacity",
    "places_left",
    "subsidised",
    "booking_url",
    "booking_email",
    "image",
    "image_alt",
    "external_url",
)
M2M_FIELDS = ("domains", "themes", "accessibility", "co_organisers")


_deferred_reindex: ContextVar[set[int] | None] = ContextVar("agenda_deferred_reindex", default=None)


def _reindex(activity: Activity) -> None:
    """Recompute search text, first/last moments and the full-text index (search module).

    Every write ends here, so it also tells the listeners of ``agenda.hooks`` (e.g. the
    UiTdatabank sync) that the activity changed; they run after the commit.
    """
    hooks.activity_changed(activity)
    pending = _deferred_reindex.get()
    if pending is not None:
        pending.add(activity.pk)
        return
    from stemnet.agenda.search import activity_reindex

    activity_reindex([activity.pk])


@contextmanager
def deferred_reindex() -> Iterator[set[int]]:
    """Collect the reindex calls of many writes and run them once, in one batch, at the end.

    Use it inside the same transaction as the writes (the bulk import does), so the index
    is committed together with the activities.
    """
    if _deferred_reindex.get() is not None:  # already collecting: the outer block reindexes
        yield _deferred_reindex.get()
        return
    pending: set[int] = set()
    token = _deferred_reindex.set(pending)
    try:
        yield pending
    finally:
        _deferred_reindex.reset(token)
    if pending:
        from stemnet.agenda.search import activity_reindex

        activity_reindex(sorted(pending))


# --- guards ---------------------------------------------------------------------------


def ensure_writable(activity: Activity) -> None:
    if activity.read_only:
        raise ValidationError(
            _(
                "This activity was imported from UiTdatabank and is read-only here; "
                "change it in UiTdatabank."
            ),
            code="read_only",
        )


def ensure_editable(activity: Activity) -> None:
    """Content and sessions can change unless the activity is read-only or archived."""
    ensure_writable(activity)
    if activity.status == Status.ARCHIVED:
        raise ValidationError(
            _("An archived activity cannot be changed. Duplicate it to offer it again."),
            code="archived",
        )


def can_transition(activity: Activity, target: str) -> bool:
    return target in TRANSITIONS.get(activity.status, set())


def ensure_transition(activity: Activity, target: str) -> None:
    """The one guard of the status machine."""
    ensure_writable(activity)
    if not can_transition(activity, target):
        raise ValidationError(
            _("An activity that is %(current)s cannot become %(target)s.")
            % {
                "current": Status(activity.status).label,
                "target": Status(target).label,
            },
            code="invalid_transition",
        )


def check_publishable(activity: Activity, *, sessions: int | None = None, domains=None) -> None:
    """Raise ValidationError listing what is missing before the activity can be published."""
    errors: dict[str, list[str]] = {}
    if sessions is None:
        sessions = activity.sessions.count() if activity.pk else 0
    if domains is None:
        domains = activity.domains.exists() if activity.pk else False
    if not sessions:
        errors.setdefault("sessions", []).append(
            _("Add at least one session (date and time) before publishing.")
        )
    if not domains:
        errors.setdefault("domains", []).append(
            _("Choose at least one STEM domain before publishing.")
        )
    if errors:
        raise ValidationError(errors)


# --- place ----------------------------------------------------------------------------


def _place_for_postcode(postcode: str, cache: dict | None):
    if cache is not None and postcode in cache:
        return cache[postcode]
    municipality = municipality_for_postcode(postcode) if postcode.isdigit() else None
    point = point_for_postcode(postcode) if municipality else None
    found = (municipality, point)
    if cache is not None:
        cache[postcode] = found
    return found


def _apply_place(activity: Activity, organisation, cache: dict | None = None) -> None:
    """Municipality and point from the postcode; the organisation's address by default."""
    postcode = (activity.postcode or "").strip()
    if not postcode and not activity.street and not activity.venue_name:
        activity.venue_name = organisation.name
        activity.street = organisation.street
        postcode = (organisation.postcode or "").strip()
        if not postcode:
            raise ValidationError(
                {
                    "postcode": _(
                        "Enter a postcode: your organisation has no address to use instead."
                    )
                }
            )
    if not postcode:
        raise ValidationError({"postcode": _("Enter the postcode of the place.")})
    municipality, point = _place_for_postcode(postcode, cache)
    if municipality is None or point is None:
        raise ValidationError(
            {
                "postcode": _(
                    "Unknown postcode “%(postcode)s”. Enter a Belgian postcode of four digits, "
                    "for example 2800."
                )
                % {"postcode": postcode}
            },
            code="unknown_postcode",
        )
    activity.postcode = postcode
    activity.municipality = municipality
    activity.lat, activity.lon = point.lat, point.lon


# --- validation -----------------------------------------------------------------------


def _field_checks(activity: Activity) -> dict[str, list[str]]:
    """Field-level messages for the model's check constraints (they are non-field otherwise)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if activity.age_min is not None and activity.age_min < AGE_MIN:
        add("age_min", _("The minimum age is at least %(n)s.") % {"n": AGE_MIN})
    if activity.age_max is not None and activity.age_max > AGE_MAX:
        add("age_max", _("The maximum age is at most %(n)s.") % {"n": AGE_MAX})
    if (
        activity.age_min is not None
        and activity.age_max is not None
        and activity.age_min > activity.age_max
    ):
        add("age_max", _("The maximum age cannot be lower than the minimum age."))
    if activity.price is not None and Decimal(activity.price) < 0:
        add("price", _("The price cannot be negative."))
    if activity.price_reduced is not None and Decimal(activity.price_reduced) < 0:
        add("price_reduced", _("The reduced price cannot be negative."))
    if (
        activity.price_reduced is not None
        and activity.price is not None
        and Decimal(activity.price_reduced) > Decimal(activity.price)
    ):
        add("price_reduced", _("The reduced price cannot be higher than the price."))
    if (
        activity.places_left is not None
        and activity.capacity is not None
        and activity.places_left > activity.capacity
    ):
        add("places_left", _("There cannot be more places left than the capacity."))
    return errors


def _validate_sessions(sessions: Iterable[tuple[dt.datetime, dt.datetime]]) -> None:
    for starts_at, ends_at in sessions:
        _check_session(starts_at, ends_at)


def _check_session(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if starts_at is None or ends_at is None:
        raise ValidationError({"sessions": _("Give the start and the end of every session.")})
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Session moments must be timezone-aware.")
    if ends_at <= starts_at:
        raise ValidationError(
            {"sessions": _("A session must end after it starts.")}, code="session_order"
        )
    outside = session_window_error(starts_at, ends_at)
    if outside:
        raise ValidationError({"sessions": outside}, code="session_window")


def activity_validate(
    *,
    organisation,
    data: dict[str, Any],
    instance: Activity | None = None,
    place_cache: dict | None = None,
) -> Activity:
    """Apply ``data`` to an (unsaved copy of an) activity and validate it completely.

    Returns the activity with the place resolved; raises ValidationError with a message per
    field. Nothing is written, so the import's dry run uses exactly this. ``place_cache``
    (postcode → municipality and point) saves look-ups when validating many rows.
    """
    activity = instance if instance is not None else Activity(organiser=organisation)
    if instance is None:
        activity.source = data.get("source", Activity.Source.OWN)
        activity.external_id = data.get("external_id", "") or ""
    for field in SCALAR_FIELDS:
        if field in data:
            value = data[field]
            if value is None and field in {
                "venue_name",
                "street",
                "postcode",
                "booking_url",
                "booking_email",
                "image_alt",
                "external_url",
                "description",
                "title",
            }:
                value = ""
            if field == "price" and value is None:
                value = Decimal("0")
            if field == "image" and value is None:
                continue
            setattr(activity, field, value)
    errors: dict[str, list[str]] = {}
    try:
        if "postcode" in data or "street" in data or "venue_name" in data or instance is None:
            _apply_place(activity, organisation, place_cache)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    try:
        activity.full_clean(
            exclude=["municipality", "lat", "lon", "slug", "organiser", "created_by"],
            validate_constraints=False,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(
                m for m in messages if m not in errors.get(field, [])
            )
    for field, messages in _field_checks(activity).items():
        errors.setdefault(field, []).extend(messages)
    if activity.external_id:
        clash = Activity.objects.filter(source=activity.source, external_id=activity.external_id)
        if activity.pk:
            clash = clash.exclude(pk=activity.pk)
        if clash.exists():
            errors.setdefault("external_id", []).append(
                _("Another activity already has this external id.")
            )
    if "sessions" in data and data["sessions"] is not None:
        try:
            _validate_sessions(data["sessions"])
        except ValidationError as exc:
            errors.setdefault("sessions", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return activity


def _set_m2m(activity: Activity, data: dict[str, Any]) -> None:
    for field in M2M_FIELDS:
        if field in data and data[field] is not None:
            getattr(activity, field).set(list(data[field]))


def _replace_sessions(activity: Activity, sessions) -> None:
    activity.sessions.all().delete()
    Session.objects.bulk_create(
        [Session(activity=activity, starts_at=s, ends_at=e) for s, e in sessions]
    )


# --- activities -----------------------------------------------------------------------


@transaction.atomic
def activity_create(*, organisation, actor, data: dict[str, Any]) -> Activity:
    """Create a draft activity for ``organisation``.

    ``data`` holds model fields, the M2M lists (domains, themes, accessibility,
    co_organisers) and optionally ``sessions`` as (start, end) pairs. Without a postcode,
    street or venue the organisation's address is the place.
    """
    activity = activity_validate(organisation=organisation, data=data)
    activity.organiser = organisation
    activity.status = Status.DRAFT
    activity.created_by = actor if getattr(actor, "is_authenticated", False) else None
    activity.save()
    _set_m2m(activity, data)
    if data.get("sessions"):
        _replace_sessions(activity, data["sessions"])
    audit.record(activity, "agenda.activity.created", actor=actor)
    _reindex(activity)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor, data: dict[str, Any]) -> Activity:
    """Change an activity. ``sessions`` in ``data`` (when given) replaces all sessions."""
    ensure_editable(activity)
    activity = activity_validate(organisation=activity.organiser, data=data, instance=activity)
    if activity.status == Status.PUBLISHED:
        # A published activity must stay publishable.
        sessions = len(data["sessions"]) if data.get("sessions") is not None else None
        domains = bool(list(data["domains"])) if data.get("domains") is not None else None
        check_publishable(activity, sessions=sessions, domains=domains)
    activity.save()
    _set_m2m(activity, data)
    if data.get("sessions") is not None:
        _replace_sessions(activity, data["sessions"])
    audit.record(
        activity,
        "agenda.activity.updated",
        actor=actor,
        data={"fields": sorted(k for k in data if k != "image")},
    )
    _reindex(activity)
    return activity


def _shift_local(moment: dt.datetime, *, days: int) -> dt.datetime:
    """The same Brussels clock time ``days`` later (so 14:00 stays 14:00 across DST)."""
    local = timezone.localtime(moment, BRUSSELS).replace(tzinfo=None)
    return timezone.make_aware(local + dt.timedelta(days=days), BRUSSELS)


@transaction.atomic
def activity_duplicate(*, activity: Activity, actor, shift_weeks: int | None = None) -> Activity:
    """A draft copy of the activity (of any source) owned by the same organiser.

    Without ``shift_weeks`` the copy has no sessions; with it, every session is copied that
    many weeks later at the same local clock time.
    """
    original = Activity.objects.get(pk=activity.pk)
    copy = Activity.objects.get(pk=activity.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.title = (_("%(title)s (copy)") % {"title": original.title})[:200]
    copy.slug = ""
    copy.status = Status.DRAFT
    copy.cancel_reason = ""
    copy.published_at = None
    copy.source = Activity.Source.OWN
    copy.external_id = ""
    copy.external_url = ""
    copy.search_text = ""
    copy.first_start = None
    copy.last_end = None
    copy.created_by = actor if getattr(actor, "is_authenticated", False) else None
    copy.save()
    for field in M2M_FIELDS:
        getattr(copy, field).set(getattr(original, field).all())
    if shift_weeks is not None:
        days = 7 * int(shift_weeks)
        moments = [
            (_shift_local(s.starts_at, days=days), _shift_local(s.ends_at, days=days))
            for s in original.sessions.all()
        ]
        for starts_at, ends_at in moments:
            outside = session_window_error(starts_at, ends_at)
            if outside:
                raise ValidationError({"shift_weeks": outside}, code="session_window")
        Session.objects.bulk_create(
            [Session(activity=copy, starts_at=s, ends_at=e) for s, e in moments]
        )
    audit.record(
        copy,
        "agenda.activity.duplicated",
        actor=actor,
        data={"from": original.pk, "shift_weeks": shift_weeks},
    )
    _reindex(copy)
    return copy


@transaction.atomic
def activity_publish(*, activity: Activity, actor) -> Activity:
    ensure_transition(activity, Status.PUBLISHED)
    check_publishable(activity)
    activity.status = Status.PUBLISHED
    activity.cancel_reason = ""
    activity.published_at = timezone.now()
    activity.save(update_fields=["status", "cancel_reason", "published_at", "updated_at"])
    audit.record(activity, "agenda.activity.published", actor=actor)
    _reindex(activity)
    return activity


@transaction.atomic
def activity_unpublish(*, activity: Activity, actor) -> Activity:
    """Take a published activity back to draft (off the public agenda)."""
    ensure_transition(activity, Status.DRAFT)
    activity.status = Status.DRAFT
    activity.save(update_fields=["status", "updated_at"])
    audit.record(activity, "agenda.activity.unpublished", actor=actor)
    _reindex(activity)
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, actor, reason: str) -> Activity:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give a reason: parents see it on the cancelled activity.")}
        )
    if len(reason) > 300:
        raise ValidationError({"reason": _("Keep the reason under 300 characters.")})
    ensure_transition(activity, Status.CANCELLED)
    activity.status = Status.CANCELLED
    activity.cancel_reason = reason
    activity.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit.record(activity, "agenda.activity.cancelled", actor=actor, data={"reason": reason})
    _reindex(activity)
    return activity


@transaction.atomic
def activity_archive(*, activity: Activity, actor) -> Activity:
    ensure_transition(activity, Status.ARCHIVED)
    activity.status = Status.ARCHIVED
    activity.save(update_fields=["status", "updated_at"])
    audit.record(activity, "agenda.activity.archived", actor=actor)
    _reindex(activity)
    return activity


# --- sessions -------------------------------------------------------------------------


@transaction.atomic
def session_add(
    *, activity: Activity, actor, starts_at: dt.datetime, ends_at: dt.datetime
) -> Session:
    ensure_editable(activity)
    _check_session(starts_at, ends_at)
    session = Session.objects.create(activity=activity, starts_at=starts_at, ends_at=ends_at)
    audit.record(
        activity,
        "agenda.activity.session_added",
        actor=actor,
        data={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
    )
    _reindex(activity)
    return session


def weekly_moments(
    *,
    first_start: dt.datetime,
    duration: dt.timedelta,
    weeks: int,
    skip_dates: Iterable[dt.date] = (),
) -> list[tuple[dt.datetime, dt.datetime]]:
    """(start, end) of a weekly series at the same Brussels clock time, minus skipped dates."""
    if timezone.is_naive(first_start):
        raise ValueError("first_start must be timezone-aware.")
    skip = set(skip_dates)
    moments = []
    for week in range(weeks):
        start = _shift_local(first_start, days=7 * week)
        if timezone.localtime(start, BRUSSELS).date() in skip:
            continue
        end = timezone.make_aware(
            timezone.localtime(start, BRUSSELS).replace(tzinfo=None) + duration, BRUSSELS
        )
        moments.append((start, end))
    return moments


@transaction.atomic
def sessions_add_weekly(
    *,
    activity: Activity,
    actor,
    first_start: dt.datetime,
    duration: dt.timedelta,
    weeks: int,
    skip_dates: Iterable[dt.date] = (),
) -> list[Session]:
    """Add a weekly series in one step: ``weeks`` weeks from ``first_start``, skipping dates.

    Every session starts at the same local clock time (Europe/Brussels), also across a change
    to or from summer time, and lasts ``duration`` of clock time.
    """
    ensure_editable(activity)
    errors: dict[str, list[str]] = {}
    if not 1 <= int(weeks) <= MAX_WEEKS:
        errors["weeks"] = [_("Choose between 1 and %(n)s weeks.") % {"n": MAX_WEEKS}]
    if duration <= dt.timedelta(0):
        errors["first_end"] = [_("A session must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    moments = weekly_moments(
        first_start=first_start, duration=duration, weeks=int(weeks), skip_dates=skip_dates
    )
    if not moments:
        raise ValidationError(
            {"skip_dates": _("Every week of the series is skipped; nothing to add.")}
        )
    for starts_at, ends_at in (moments[0], moments[-1]):
        outside = session_window_error(starts_at, ends_at)
        if outside:
            field = "first_start" if (starts_at, ends_at) == moments[0] else "weeks"
            raise ValidationError({field: outside}, code="session_window")
    sessions = Session.objects.bulk_create(
        [Session(activity=activity, starts_at=s, ends_at=e) for s, e in moments]
    )
    audit.record(
        activity,
        "agenda.activity.sessions_added",
        actor=actor,
        data={"count": len(sessions), "first": moments[0][0].isoformat()},
    )
    _reindex(activity)
    return sessions


@transaction.atomic
def session_remove(*, session: Session, actor) -> None:
    activity = session.activity
    ensure_editable(activity)
    if activity.status == Status.PUBLISHED and activity.sessions.count() <= 1:
        raise ValidationError(
            _(
                "A published activity needs at least one session. Add another session first, "
                "or cancel the activity."
            )
        )
    data = {"starts_at": session.starts_at.isoformat(), "ends_at": session.ends_at.isoformat()}
    session.delete()
    audit.record(activity, "agenda.activity.session_removed", actor=actor, data=data)
    _reindex(activity)


# --- API tokens -----------------------------------------------------------------------

TOKEN_PREFIX = "stn_"  # noqa: S105 - a public prefix, not a secret


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: Any  # ApiToken
    key: str  # shown once, never stored


@transaction.atomic
def api_token_create(
    *, organisation, actor, name: str, scopes: list[str] | None = None, valid_days: int = 365
) -> NewToken:
    """A new API token for the organisation; the key is returned only here. ``scopes``: what
    it may do (default: everything); it stops working after ``valid_days``."""
    from stemnet.agenda.models import ApiToken

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the system that uses it.")})
    allowed = ApiToken.scopes_for(organisation)
    scopes = allowed if scopes is None else sorted(set(scopes))
    if not scopes or not set(scopes) <= set(allowed):
        raise ValidationError({"scopes": _("Choose what the token may do.")})
    if not 1 <= valid_days <= 3 * 365:
        raise ValidationError({"valid_days": _("A token is valid for 1 day to 3 years.")})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        user=actor,
        name=name[:100],
        key_hash=token_hash(key),
        prefix=key[:12],
        scopes=scopes,
        expires_at=timezone.now() + dt.timedelta(days=valid_days),
    )
    audit.record(
        token,
        "agenda.apitoken.created",
        actor=actor,
        data={"name": token.name, "scopes": scopes, "valid_days": valid_days},
    )
    return NewToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, token, actor) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(token, "agenda.apitoken.revoked", actor=actor)
