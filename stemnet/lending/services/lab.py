"""Fablab / I-Lab: sessions (open hours, workshops) and bookings of places in them.

Capacity is checked under a lock: the session's row (PostgreSQL) or the database's write
lock (SQLite's IMMEDIATE transactions), then count, then write (STYLE.md example 4).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.lending import selectors
from stemnet.lending.models import Hub, LabBooking, LabSession


@transaction.atomic
def lab_session_create(
    *,
    hub: Hub,
    actor,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    kind: str = LabSession.Kind.OPEN,
    lab: str = LabSession.Lab.FABLAB,
    description: str = "",
    is_demo: bool = False,
) -> LabSession:
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if capacity < 1:
        errors["capacity"] = _("A session has at least one place.")
    if errors:
        raise ValidationError(errors)
    session = LabSession.objects.create(
        hub=hub,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        kind=kind,
        lab=lab,
        description=description,
        is_demo=is_demo,
    )
    audit.record(session, "lending.labsession.created", actor=actor)
    return session


def lab_booking_create(
    *, session: LabSession, user, places: int, organisation=None, now: dt.datetime | None = None
) -> LabBooking:
    now = now or timezone.now()
    if session.starts_at <= now:
        raise ValidationError(_("This session has already started; it can no longer be booked."))
    if places < 1:
        raise ValidationError({"places": _("Book at least one place.")})
    with transaction.atomic():
        LabSession.objects.select_for_update().filter(pk=session.pk).first()
        free = session.capacity - selectors.lab_places_booked(session)
        if places > free:
            raise ValidationError(
                {
                    "places": _("Only %(free)d place(s) left; you asked for %(asked)d.")
                    % {"free": max(free, 0), "asked": places}
                },
                code="full",
            )
        booking = LabBooking.objects.create(
            session=session, user=user, organisation=organisation, places=places
        )
        audit.record(booking, "lending.labbooking.created", actor=user)
    return booking


@transaction.atomic
def lab_booking_cancel(*, booking: LabBooking, actor) -> LabBooking:
    if booking.cancelled_at is None:
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["cancelled_at", "updated_at"])
        audit.record(booking, "lending.labbooking.cancelled", actor=actor)
    return booking
