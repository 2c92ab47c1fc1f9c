"""Every write of the events module: one function per use case.

Capacity is checked under a lock (STYLE.md example 4): the event row is locked with
``select_for_update`` (PostgreSQL), and SQLite's IMMEDIATE transactions serialise writers,
then the places are counted and the registration is written. A conditional unique
constraint makes a second active registration of the same address impossible.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.events.models import (
    Audience,
    Event,
    Feedback,
    Need,
    Registration,
    Stand,
    Track,
    TrainingTopic,
)
from stemnet.organisations import selectors as organisations
from stemnet.organisations.models import Organisation

S = Registration.Status


def offer_hours() -> int:
    """How long a freed place stays offered (``EVENTS_OFFER_HOURS``, our default 48)."""
    return int(getattr(settings, "EVENTS_OFFER_HOURS", 48))


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


# --- events ---------------------------------------------------------------------------------


def _unique_slug(title: str, starts_at: dt.datetime) -> str:
    base = slugify(f"{title} {starts_at:%Y-%m-%d}")[:200] or "event"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_event(event: Event) -> None:
    errors: dict[str, list[str]] = {}
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors.setdefault("ends_at", []).append(_("The event must end after it starts."))
    if (
        event.registration_deadline
        and event.ends_at
        and event.registration_deadline > event.ends_at
    ):
        errors.setdefault("registration_deadline", []).append(
            _("Registration must close before the event ends.")
        )
    if event.trainer_step and event.kind != Event.Kind.TRAINING:
        errors.setdefault("trainer_step", []).append(
            _("Only a training can be a step in the trainer path.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_create(
    *,
    organiser: Organisation,
    actor,
    audiences: Iterable[dict] = (),
    tracks: Iterable[dict] = (),
    **fields,
) -> Event:
    """Create an event of ``organiser``; ``audiences`` are dicts of Audience fields
    (``organisation_type``, ``role``, ``price``), ``tracks`` dicts of Track fields.

    The deadlines default to the start (registration) and one day before it (cancellation).
    """
    if not (getattr(actor, "is_superuser", False) or organisations.is_member(actor, organiser)):
        raise PermissionDenied(_("Only the organiser's members may add its events."))
    fields.setdefault("registration_deadline", fields.get("starts_at"))
    if fields.get("starts_at") and "cancellation_deadline" not in fields:
        fields["cancellation_deadline"] = fields["starts_at"] - dt.timedelta(days=1)
    event = Event(organiser=organiser, **fields)
    event.slug = fields.get("slug") or _unique_slug(event.title, event.starts_at)
    _check_event(event)
    event.full_clean(exclude=["slug"])
    event.save()
    for audience in audiences:
        Audience.objects.create(event=event, **audience)
    for track in tracks:
        Track.objects.create(event=event, **track)
    audit.record(event, "events.event.created", actor=actor)
    return event


def event_publish(*, event: Event, actor, published: bool = True) -> Event:
    event.is_published = published
    event.save(update_fields=["is_published", "updated_at"])
    audit.record(
        event, "events.event.published" if published else "events.event.unpublished", actor=actor
    )
    return event


# --- eligibility and price ---------------------------------------------------------------


def audience_for(event: Event, organisation: Organisation | None, role: str) -> Audience | None:
    """The cheapest audience of ``event`` that admits someone of ``organisation`` with
    ``role`` (a Membership role, or "" without organisation)."""
    org_type = organisation.type if organisation else ""
    matches = [
        a
        for a in event.audiences.all()
        if a.organisation_type in ("", org_type) and a.role in ("", role)
    ]
    return min(matches, key=lambda a: a.price, default=None)


def _price(event: Event, organisation: Organisation | None, role: str) -> Decimal:
    if not event.audiences.exists():
        return Decimal("0")
    audience = audience_for(event, organisation, role)
    if audience is None:
        raise ValidationError(
            {
                "organisation": _(
                    "This event is not open to your organisation type or role. "
                    "Ask the organiser if you think it should be."
                )
            },
            code="not_eligible",
        )
    return audience.price


def _role_in(user, organisation: Organisation | None) -> str:
    if organisation is None:
        return ""
    from stemnet.organisations.models import Membership

    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    return membership.role


# --- registration ------------------------------------------------------------------------


def _check_open(event: Event, now: dt.datetime) -> None:
    if not event.is_published:
        raise ValidationError(_("This event is not open for registration."), code="unpublished")
    if now > event.registration_deadline or now >= event.starts_at:
        raise ValidationError(
            _("Registration for this event closed on %(deadline)s.")
            % {
                "deadline": timezone.localtime(event.registration_deadline).strftime(
                    "%d-%m-%Y %H:%M"
                )
            },
            code="deadline",
        )


def _check_tracks(event: Event, tracks: Sequence[Track], email: str) -> None:
    for track in tracks:
        if track.event_id != event.pk or not track.choosable:
            raise ValidationError({"tracks": _("Choose programme parts of this event.")})
    for i, a in enumerate(tracks):
        for b in tracks[i + 1 :]:
            if a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                raise ValidationError(
                    {
                        "tracks": _("“%(a)s” and “%(b)s” take place at the same time.")
                        % {"a": a.title, "b": b.title}
                    },
                    code="overlap",
                )
    for track in tracks:
        clash = (
            Track.objects.filter(
                registrations__email__iexact=email,
                registrations__status__in=Registration.ACTIVE,
                starts_at__lt=track.ends_at,
                ends_at__gt=track.starts_at,
            )
            .exclude(event=event)
            .first()
        )
        if clash:
            raise ValidationError(
                {
                    "tracks": _(
                        "“%(a)s” overlaps “%(b)s” of %(event)s, for which you are registered."
                    )
                    % {"a": track.title, "b": clash.title, "event": clash.event.title}
                },
                code="overlap",
            )


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def places_taken(event: Event) -> int:
    return event.registrations.holding_place().count()


def _track_full(tracks: Sequence[Track]) -> Track | None:
    for track in tracks:
        taken = track.registrations.filter(status__in=Registration.HOLDING).count()
        if taken >= track.capacity:
            return track
    return None


def _already(event: Event, email: str) -> None:
    if event.registrations.active().filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already registered for this event.") % {"email": email}},
            code="duplicate",
        )


@dataclass
class Attendee:
    name: str
    email: str
    person: object | None = None


def _write(event, attendee: Attendee, *, organisation, price, tracks, actor, now, language):
    """Count under the lock the caller holds, then write one registration."""
    _already(event, attendee.email)
    status = S.CONFIRMED
    if places_taken(event) >= event.capacity:
        status = S.WAITING
    elif full := _track_full(tracks):
        raise ValidationError(
            {
                "tracks": _("“%(track)s” is full. Choose another programme part.")
                % {"track": full.title}
            },
            code="track_full",
        )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                person=attendee.person,
                name=attendee.name,
                email=attendee.email,
                organisation=organisation,
                registered_by=actor if getattr(actor, "is_authenticated", False) else None,
                price=price,
                status=status,
                language=language,
            )
    except IntegrityError as exc:  # the same address registered at the same moment
        raise ValidationError(
            {
                "email": _("%(email)s is already registered for this event.")
                % {"email": attendee.email}
            },
            code="duplicate",
        ) from exc
    registration.tracks.set(tracks)
    audit.record(registration, f"events.registration.{status}", actor=actor)
    _mail_on_commit(registration, "confirmed" if status == S.CONFIRMED else "waiting")
    return registration


@transaction.atomic
def registration_create(
    *,
    event: Event,
    actor,
    organisation: Organisation | None = None,
    tracks: Sequence[Track] = (),
    now: dt.datetime | None = None,
) -> Registration:
    """Register ``actor`` for ``event`` (for ``organisation``, of which they are a member):
    confirmed while places last, otherwise on the waiting list."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to register."))
    now = _now(now)
    tracks = list(tracks)
    _check_open(event, now)
    price = _price(event, organisation, _role_in(actor, organisation))
    _check_tracks(event, tracks, actor.email)
    event = _lock(event)
    attendee = Attendee(actor.get_full_name() or actor.email, actor.email, actor)
    return _write(
        event,
        attendee,
        organisation=organisation,
        price=price,
        tracks=tracks,
        actor=actor,
        now=now,
        language=getattr(actor, "language", "") or settings.LANGUAGE_CODE,
    )


@transaction.atomic
def registration_create_group(
    *,
    event: Event,
    actor,
    organisation: Organisation,
    attendees: Sequence[Attendee],
    tracks: Sequence[Track] = (),
    now: dt.datetime | None = None,
) -> list[Registration]:
    """A coordinator registers several people of ``organisation``: all of them or none."""
    if not organisations.is_coordinator(actor, organisation):
        raise PermissionDenied(_("Only a coordinator of the organisation registers a group."))
    if not attendees:
        raise ValidationError({"attendees": _("Add at least one person.")})
    emails = [a.email.lower() for a in attendees]
    if len(set(emails)) != len(emails):
        raise ValidationError({"attendees": _("Each person may appear only once.")})
    now = _now(now)
    tracks = list(tracks)
    _check_open(event, now)
    price = _price(event, organisation, "member")
    for attendee in attendees:
        _check_tracks(event, tracks, attendee.email)
    event = _lock(event)
    language = getattr(actor, "language", "") or settings.LANGUAGE_CODE
    return [
        _write(
            event,
            a,
            organisation=organisation,
            price=price,
            tracks=tracks,
            actor=actor,
            now=now,
            language=language,
        )
        for a in attendees
    ]


def _offer_next(event: Event, now: dt.datetime) -> list[Registration]:
    """Offer freed places to the waiting list in order, under the caller's lock."""
    offered = []
    free = event.capacity - places_taken(event)
    for waiting in event.registrations.filter(status=S.WAITING).order_by("created_at", "pk"):
        if free <= 0:
            break
        tracks = list(waiting.tracks.all())
        if _track_full(tracks):
            continue
        waiting.status = S.OFFERED
        waiting.offer_expires_at = now + dt.timedelta(hours=offer_hours())
        waiting.save(update_fields=["status", "offer_expires_at", "updated_at"])
        audit.record(waiting, "events.registration.offered", data={"hours": offer_hours()})
        _mail_on_commit(waiting, "offered")
        offered.append(waiting)
        free -= 1
    return offered


def may_manage(user, event: Event) -> bool:
    return bool(getattr(user, "is_superuser", False)) or organisations.is_member(
        user, event.organiser
    )


def may_act_for(user, registration: Registration) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        registration.person_id == user.pk
        or registration.registered_by_id == user.pk
        or registration.email.lower() == user.email.lower()
    )


@transaction.atomic
def registration_cancel(
    *, registration: Registration, actor, now: dt.datetime | None = None
) -> Registration:
    """Cancel until the deadline (the organiser may cancel any time); a freed place is
    offered to the first person waiting."""
    now = _now(now)
    organiser = may_manage(actor, registration.event)
    if not (organiser or may_act_for(actor, registration)):
        raise PermissionDenied(_("You may not cancel this registration."))
    event = _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in Registration.ACTIVE:
        raise ValidationError(_("This registration is already cancelled."), code="cancelled")
    if registration.checked_in_at:
        raise ValidationError(_("You cannot cancel after check-in."), code="checked_in")
    if not organiser and now > event.cancellation_deadline:
        raise ValidationError(
            _("Cancelling was possible until %(deadline)s. Contact the organiser.")
            % {
                "deadline": timezone.localtime(event.cancellation_deadline).strftime(
                    "%d-%m-%Y %H:%M"
                )
            },
            code="deadline",
        )
    held = registration.status in Registration.HOLDING
    registration.status = S.CANCELLED
    registration.cancelled_at = now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "cancelled_at", "offer_expires_at", "updated_at"])
    audit.record(registration, "events.registration.cancelled", actor=actor)
    if held and now < event.starts_at:
        _offer_next(event, now)
    return registration


@transaction.atomic
def registration_accept_offer(
    *, registration: Registration, actor, now: dt.datetime | None = None
) -> Registration:
    now = _now(now)
    if not may_act_for(actor, registration):
        raise PermissionDenied(_("You may not accept this offer."))
    _lock(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != S.OFFERED:
        raise ValidationError(_("There is no place on offer for this registration."))
    if now > registration.offer_expires_at:
        raise ValidationError(_("This offer has lapsed."), code="lapsed")
    registration.status = S.CONFIRMED
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    audit.record(registration, "events.registration.confirmed", actor=actor)
    _mail_on_commit(registration, "confirmed")
    return registration


def offers_lapse(*, now: dt.datetime | None = None) -> int:
    """Let offers past their time lapse and offer the places to the next people waiting.
    Run by ``manage.py events_offers`` (cron) and the ``offers_lapse_task``."""
    now = _now(now)
    lapsed = 0
    event_ids = set(
        Registration.objects.filter(status=S.OFFERED, offer_expires_at__lt=now).values_list(
            "event_id", flat=True
        )
    )
    for event_id in event_ids:
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            due = event.registrations.filter(status=S.OFFERED, offer_expires_at__lt=now)
            for registration in due:
                registration.status = S.LAPSED
                registration.save(update_fields=["status", "updated_at"])
                audit.record(registration, "events.registration.lapsed")
                lapsed += 1
            if now < event.starts_at:
                _offer_next(event, now)
    return lapsed


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Remind confirmed attendees of events starting within ``EVENTS_REMINDER_HOURS``."""
    now = _now(now)
    hours = int(getattr(settings, "EVENTS_REMINDER_HOURS", 48))
    due = Registration.objects.filter(
        status=S.CONFIRMED,
        reminded_at__isnull=True,
        event__starts_at__gt=now,
        event__starts_at__lte=now + dt.timedelta(hours=hours),
    )
    count = 0
    for registration in due.select_related("event"):
        with transaction.atomic():
            Registration.objects.filter(pk=registration.pk).update(reminded_at=now)
            _mail_on_commit(registration, "reminder")
        count += 1
    return count


def _mail_on_commit(registration: Registration, kind: str) -> None:
    from stemnet.events.tasks import registration_mail

    pk = registration.pk
    transaction.on_commit(lambda: registration_mail.enqueue(registration_id=pk, kind=kind))


# --- check-in ------------------------------------------------------------------------------


@transaction.atomic
def checkin(*, event: Event, code: str, actor, at: dt.datetime | None = None) -> Registration:
    """Check in the registration with ``code`` at ``event`` (``at``: when it was scanned)."""
    if not may_manage(actor, event):
        raise PermissionDenied(_("Only the organiser checks people in."))
    code = (code or "").strip()
    registration = (
        Registration.objects.select_for_update().select_related("event").filter(code=code).first()
    )
    if registration is None:
        raise ValidationError(_("Unknown code “%(code)s”.") % {"code": code[:40]}, code="unknown")
    if registration.event_id != event.pk:
        raise ValidationError(
            _("This code belongs to another event: %(event)s.")
            % {"event": registration.event.title},
            code="other_event",
        )
    if registration.checked_in_at:
        raise ValidationError(
            _("%(name)s was already checked in at %(time)s.")
            % {
                "name": registration.name,
                "time": timezone.localtime(registration.checked_in_at).strftime("%H:%M"),
            },
            code="used",
        )
    if registration.status != S.CONFIRMED:
        raise ValidationError(
            _("%(name)s has no confirmed place (%(status)s).")
            % {"name": registration.name, "status": registration.get_status_display()},
            code="not_confirmed",
        )
    registration.checked_in_at = at or timezone.now()
    registration.checked_in_by = actor
    registration.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    audit.record(registration, "events.registration.checked_in", actor=actor)
    return registration


def checkins_sync(*, event: Event, items: Iterable[dict], actor) -> list[dict]:
    """Check in a batch scanned offline: each ``{"code", "at"}`` on its own, with a result."""
    if not may_manage(actor, event):
        raise PermissionDenied(_("Only the organiser checks people in."))
    results = []
    now = timezone.now()
    for item in list(items)[:500]:
        code = str(item.get("code", ""))[:64]
        at = _parse_at(item.get("at"), now)
        try:
            registration = checkin(event=event, code=code, actor=actor, at=at)
        except ValidationError as exc:
            results.append({"code": code, "ok": False, "message": " ".join(exc.messages)})
        else:
            results.append({"code": code, "ok": True, "message": registration.name})
    return results


def _parse_at(value, now: dt.datetime) -> dt.datetime:
    try:
        at = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return now
    if timezone.is_naive(at) or at > now or at < now - dt.timedelta(days=2):
        return now
    return at


# --- info market, feedback, needs ------------------------------------------------------


@transaction.atomic
def stand_book(*, event: Event, partnership: Organisation, actor, note: str = "") -> Stand:
    if partnership.type != Organisation.Type.PARTNERSHIP:
        raise ValidationError(_("Only STEM partnerships book a stand."))
    if not organisations.is_coordinator(actor, partnership):
        raise PermissionDenied(_("Only a coordinator of the partnership books its stand."))
    event = _lock(event)
    if event.stand_capacity == 0:
        raise ValidationError(_("This event has no info market."))
    if timezone.now() >= event.starts_at:
        raise ValidationError(_("Stands can no longer be booked for this event."))
    if event.stands.filter(partnership=partnership).exists():
        raise ValidationError(_("Your partnership already has a stand at this event."))
    taken = set(event.stands.values_list("number", flat=True))
    free = [n for n in range(1, event.stand_capacity + 1) if n not in taken]
    if not free:
        raise ValidationError(_("All %(n)s stands are booked.") % {"n": event.stand_capacity})
    stand = Stand.objects.create(
        event=event, partnership=partnership, number=free[0], note=note, booked_by=actor
    )
    audit.record(stand, "events.stand.booked", actor=actor)
    return stand


@transaction.atomic
def feedback_submit(
    *, registration: Registration, actor, rating: int, learned: str, suggestion: str = ""
) -> Feedback:
    if not may_act_for(actor, registration):
        raise PermissionDenied(_("You may not give feedback for this registration."))
    if registration.checked_in_at is None:
        raise ValidationError(_("Feedback is for people who attended."))
    if timezone.now() < registration.event.starts_at:
        raise ValidationError(_("Feedback opens when the event has started."))
    if Feedback.objects.filter(registration=registration).exists():
        raise ValidationError(_("You already gave feedback for this event. Thank you!"))
    if not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    if not learned.strip():
        raise ValidationError({"learned": _("Tell us what you learned today.")})
    feedback = Feedback.objects.create(
        registration=registration,
        rating=rating,
        learned=learned.strip(),
        suggestion=suggestion.strip(),
    )
    audit.record(registration, "events.feedback.given", actor=actor)
    return feedback


@transaction.atomic
def need_capture(
    *,
    event: Event,
    actor,
    topic: str,
    organisation: Organisation | None = None,
    description: str = "",
) -> Need:
    """A need captured at ``event`` adds to (or creates) a topic on the organiser's list."""
    if not may_manage(actor, event):
        raise PermissionDenied(_("Only the organiser captures needs."))
    title = " ".join(topic.split())
    if not title:
        raise ValidationError({"topic": _("Name the topic of the need.")})
    found = TrainingTopic.objects.filter(organiser=event.organiser, title__iexact=title).first()
    found = found or TrainingTopic.objects.create(
        organiser=event.organiser, title=title[:200], is_demo=event.is_demo
    )
    need = Need.objects.create(
        event=event,
        topic=found,
        organisation=organisation,
        description=description.strip(),
        captured_by=actor,
    )
    audit.record(event, "events.need.captured", actor=actor, data={"topic": found.title})
    return need
