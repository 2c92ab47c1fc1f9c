"""Reads of the lending service, shared by views, the API, exports and other apps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from stemnet.lending import hooks
from stemnet.lending.models import Hub, Item, LabBooking, LabSession, Loan, Reservation, Unit
from stemnet.organisations.models import Membership, Organisation

HUB_TYPES = (Organisation.Type.GANGMAKER, Organisation.Type.KNOWLEDGE_INSTITUTION)


# --- hubs and who works there ---------------------------------------------------------------


def hub_for_organisation(organisation: Organisation) -> Hub | None:
    if organisation.type not in HUB_TYPES:
        return None  # no query: every organisation page asks (lending.sections)
    return Hub.objects.filter(organisation=organisation).select_related("organisation").first()


def hubs_list() -> QuerySet[Hub]:
    return Hub.objects.filter(organisation__is_active=True).select_related("organisation")


def _member_org_ids(user, *, coordinator: bool = False) -> QuerySet:
    memberships = Membership.objects.filter(user=user)
    if coordinator:
        memberships = memberships.filter(role=Membership.Role.COORDINATOR)
    else:
        memberships = memberships.exclude(role=Membership.Role.REVIEWER)
    return memberships.values("organisation_id")


def hubs_managed_by(user) -> QuerySet[Hub]:
    """Hubs where the user is coordinator or member (hub staff)."""
    if not getattr(user, "is_authenticated", False):
        return Hub.objects.none()
    if user.is_superuser:
        return hubs_list()
    return hubs_list().filter(organisation_id__in=_member_org_ids(user))


def is_hub_staff(user, hub: Hub | None) -> bool:
    if hub is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or hubs_managed_by(user).filter(pk=hub.pk).exists()


def borrower_organisations(user) -> QuerySet[Organisation]:
    """Organisations the user may borrow for: those where they are coordinator or member."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    return Organisation.objects.active().filter(pk__in=_member_org_ids(user)).order_by("name")


# --- catalogue and availability -------------------------------------------------------------


def item_get(pk: int, *, include_inactive: bool = False) -> Item:
    qs = Item.objects.all() if include_inactive else Item.objects.filter(is_active=True)
    return (
        qs.select_related("hub__organisation")
        .prefetch_related("themes", "photos", "manuals", "accessories")
        .get(pk=pk)
    )


def item_search(
    *,
    q: str = "",
    hub: Hub | None = None,
    theme: str = "",
    age: int | None = None,
    kind: str = "",
) -> QuerySet[Item]:
    qs = Item.objects.filter(is_active=True, hub__organisation__is_active=True)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if hub is not None:
        qs = qs.filter(hub=hub)
    if theme:
        qs = qs.filter(themes__slug=theme)
    if age is not None:
        qs = qs.filter(min_age__lte=age, max_age__gte=age)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.select_related("hub__organisation")
        .prefetch_related(Prefetch("photos"), "themes")
        .annotate(unit_count=Count("units", filter=Q(units__status=Unit.Status.AVAILABLE)))
        .order_by("name", "pk")
    )


def _busy(start_at: dt.datetime, end_at: dt.datetime, buffer_days: int):
    """Exists(): the outer unit has an active reservation that meets [start, end + buffer)."""
    return Exists(
        Reservation.objects.filter(
            unit=OuterRef("pk"),
            active=True,
            blocked_until__gt=start_at,
            start_at__lt=end_at + dt.timedelta(days=buffer_days),
        )
    )


def free_units(item: Item, start_at: dt.datetime, end_at: dt.datetime) -> QuerySet[Unit]:
    """The item's units that are in service and hold no reservation over the period."""
    return (
        Unit.objects.filter(item=item, status=Unit.Status.AVAILABLE)
        .annotate(busy=_busy(start_at, end_at, item.buffer_days))
        .filter(busy=False)
        .order_by("code", "pk")
    )


def availability(items, start_at: dt.datetime, end_at: dt.datetime) -> dict[int, int]:
    """{item id: number of free units} over the period, for a page of items or the whole
    catalogue: one query per distinct number of buffer days (usually one to three)."""
    if isinstance(items, QuerySet):
        buffers = dict(items.values_list("pk", "buffer_days"))
    else:
        buffers = {i.pk: i.buffer_days for i in items}
    free: dict[int, int] = {}
    for days in sorted(set(buffers.values())):
        ids = [pk for pk, d in buffers.items() if d == days]
        rows = (
            Unit.objects.filter(item_id__in=ids, status=Unit.Status.AVAILABLE)
            .annotate(busy=_busy(start_at, end_at, days))
            .filter(busy=False)
            .values("item_id")
            .annotate(n=Count("pk"))
            .values_list("item_id", "n")
        )
        free.update(rows)
    return free


# --- loans --------------------------------------------------------------------------------


def _loans() -> QuerySet[Loan]:
    return Loan.objects.select_related("item__hub__organisation", "borrower", "activity")


def loans_of_borrowers(organisations) -> QuerySet[Loan]:
    return _loans().filter(borrower__in=organisations)


def loans_of_hub(hub: Hub, *, status: str = "") -> QuerySet[Loan]:
    qs = _loans().filter(item__hub=hub)
    if status == "overdue":
        return qs.overdue()
    if status:
        qs = qs.filter(status=status)
    return qs


def loan_get(pk: int) -> Loan:
    return (
        _loans()
        .prefetch_related(
            Prefetch("reservations", queryset=Reservation.objects.select_related("unit")),
            "item__accessories",
        )
        .get(pk=pk)
    )


def loan_visible_to(user, loan: Loan) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or is_hub_staff(user, loan.item.hub):
        return True
    return borrower_organisations(user).filter(pk=loan.borrower_id).exists()


def has_overdue(organisation: Organisation, now: dt.datetime | None = None) -> bool:
    return Loan.objects.overdue(now).filter(borrower=organisation).exists()


def loans_overdue(now: dt.datetime | None = None) -> QuerySet[Loan]:
    return _loans().overdue(now).select_related("requested_by")


def loans_of_activity(activity_id: int) -> QuerySet[Loan]:
    """Loans that served an agenda activity (for the activity's reach page)."""
    return (
        _loans()
        .filter(activity_id=activity_id)
        .exclude(status__in=[Loan.Status.REFUSED, Loan.Status.CANCELLED])
    )


def item_reach(item: Item) -> dict:
    """ "Kit X reached N children": the children of the activities its loans served."""
    activity_ids = list(
        Loan.objects.filter(item=item, activity__isnull=False)
        .exclude(status__in=[Loan.Status.REFUSED, Loan.Status.CANCELLED])
        .values_list("activity_id", flat=True)
        .distinct()
    )
    children = hooks.children_reached(activity_ids)
    return {
        "activities": len(activity_ids),
        "children": None if children is None else sum(children.values()),
    }


# --- calendars ------------------------------------------------------------------------------


def calendar(
    *, start: dt.date, days: int, item: Item | None = None, hub: Hub | None = None
) -> dict:
    """Units × days with the reservations that hold each unit on each day."""
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    last = first + dt.timedelta(days=days)
    units = Unit.objects.select_related("item").exclude(status=Unit.Status.RETIRED)
    units = units.filter(item=item) if item is not None else units.filter(item__hub=hub)
    units = list(units.order_by("item__name", "code"))
    reservations = Reservation.objects.filter(
        unit__in=units, active=True, start_at__lt=last, blocked_until__gt=first
    ).select_related("loan__borrower")
    by_unit: dict[int, list[Reservation]] = defaultdict(list)
    for reservation in reservations:
        by_unit[reservation.unit_id].append(reservation)
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    rows = []
    for unit in units:
        cells = []
        for date in dates:
            day_start = dt.datetime.combine(date, dt.time.min, tzinfo=tz)
            day_end = day_start + dt.timedelta(days=1)
            hit = next(
                (
                    r
                    for r in by_unit[unit.pk]
                    if r.start_at < day_end and r.blocked_until > day_start
                ),
                None,
            )
            cells.append(
                {
                    "date": date,
                    "reservation": hit,
                    "buffer": hit is not None and hit.loan.end_at <= day_start,
                }
            )
        rows.append({"unit": unit, "cells": cells})
    return {"dates": dates, "rows": rows}


# --- Fablab and I-Lab ---------------------------------------------------------------------


def lab_sessions_upcoming(hub: Hub, *, now: dt.datetime | None = None, limit: int = 20):
    now = now or timezone.now()
    return list(
        LabSession.objects.filter(hub=hub, ends_at__gt=now)
        .annotate(
            booked=Coalesce(
                Sum("bookings__places", filter=Q(bookings__cancelled_at__isnull=True)), 0
            )
        )
        .order_by("starts_at")[:limit]
    )


def lab_places_booked(session: LabSession) -> int:
    booked = LabBooking.objects.filter(session=session, cancelled_at__isnull=True).aggregate(
        n=Coalesce(Sum("places"), 0)
    )
    return booked["n"]


def lab_bookings_of(user) -> QuerySet[LabBooking]:
    return LabBooking.objects.filter(user=user, cancelled_at__isnull=True).select_related(
        "session__hub__organisation", "organisation"
    )
