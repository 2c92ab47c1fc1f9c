"""Loans: request, approve or refuse, hand out, take back, cancel; overdue reminders.

Never double-booked. ``loan_request`` runs in one transaction that first locks the item's
row (PostgreSQL: ``SELECT … FOR UPDATE``; SQLite: the IMMEDIATE transaction already holds
the database's write lock), then picks units that hold no active reservation over the loan
plus the item's buffer days, then writes. On PostgreSQL the exclusion constraint of
migration 0002 is the last word: a conflicting insert raises IntegrityError, answered as
the same "not free" message.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.lending import hooks, selectors
from stemnet.lending.hours import Week
from stemnet.lending.models import Hub, Item, Loan, Reservation, Unit
from stemnet.organisations.models import Organisation

Status = Loan.Status

TRANSITIONS: dict[str, set[str]] = {
    Status.REQUESTED: {Status.APPROVED, Status.REFUSED, Status.CANCELLED},
    Status.APPROVED: {Status.HANDED_OUT, Status.CANCELLED},
    Status.HANDED_OUT: {Status.RETURNED},
    Status.REFUSED: set(),
    Status.CANCELLED: set(),
    Status.RETURNED: set(),
}


def field_error(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError on one field that keeps its code (a dict alone drops it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def ensure_transition(loan: Loan, to: str) -> None:
    if to not in TRANSITIONS[loan.status]:
        raise ValidationError(
            _("A loan that is “%(status)s” cannot become “%(to)s”.")
            % {"status": loan.get_status_display(), "to": Status(to).label},
            code="invalid_transition",
        )


def _when(moment: dt.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y H:i")


def check_borrower(hub: Hub, borrower: Organisation, on: dt.date) -> None:
    """The hub's rule on who may borrow (organisation types, recognised academies)."""
    allowed = hub.borrower_types or []
    if allowed and borrower.type not in allowed:
        names = ", ".join(
            str(Organisation.Type(t).label) for t in allowed if t in Organisation.Type
        )
        raise field_error(
            "borrower",
            _("%(hub)s lends only to: %(types)s.") % {"hub": hub.organisation.name, "types": names},
            "borrower_type",
        )
    if hub.recognised_only and not hooks.is_recognised(borrower, on):
        raise field_error(
            "borrower",
            _(
                "%(hub)s lends only to recognised STEM academies, and %(name)s holds no "
                "valid recognition on %(date)s."
            )
            % {"hub": hub.organisation.name, "name": borrower.name, "date": date_format(on)},
            "not_recognised",
        )


def check_period(item: Item, start_at: dt.datetime, end_at: dt.datetime, now: dt.datetime) -> None:
    """Every problem with the period at once, each on its field."""
    errors: dict[str, list[str]] = {}
    if end_at <= start_at:
        errors.setdefault("end_at", []).append(
            _("The return (%(end)s) must come after the pick-up (%(start)s).")
            % {"end": _when(end_at), "start": _when(start_at)}
        )
    if start_at < now:
        errors.setdefault("start_at", []).append(
            _("The pick-up (%(start)s) lies in the past. Choose a moment from now on.")
            % {"start": _when(start_at)}
        )
    hub = item.hub
    if end_at > start_at and end_at - start_at > dt.timedelta(days=hub.max_loan_days):
        errors.setdefault("end_at", []).append(
            _("A loan at %(hub)s lasts at most %(days)d days; this one lasts %(asked)d.")
            % {
                "hub": hub.organisation.name,
                "days": hub.max_loan_days,
                "asked": -(-(end_at - start_at) // dt.timedelta(days=1)),
            }
        )
    week = Week(hub)
    if not week.is_open_at(start_at):
        errors.setdefault("start_at", []).append(week.closed_message(start_at))
    if not week.is_open_at(end_at):
        errors.setdefault("end_at", []).append(week.closed_message(end_at))
    if errors:
        raise ValidationError(errors)


def _check_quantity(item: Item, quantity: int) -> None:
    usable = item.units.filter(status=Unit.Status.AVAILABLE).count()
    if quantity < 1:
        raise field_error("quantity", _("Ask for at least one unit."), "quantity")
    if quantity > usable:
        raise field_error(
            "quantity",
            _("%(item)s has %(usable)d unit(s) in service; you asked for %(asked)d.")
            % {"item": item.name, "usable": usable, "asked": quantity},
            "too_many",
        )


def _not_free(item: Item, free: int, quantity: int, start_at, end_at) -> ValidationError:
    return field_error(
        "quantity",
        _(
            "Already booked: %(free)d of the %(asked)d unit(s) of %(item)s you asked for "
            "are free from %(start)s to %(end)s (including %(buffer)d buffer day(s) after "
            "the return). Choose other dates or fewer units."
        )
        % {
            "free": free,
            "asked": quantity,
            "item": item.name,
            "start": _when(start_at),
            "end": _when(end_at),
            "buffer": item.buffer_days,
        },
        "conflict",
    )


def _validate_request(*, item, borrower, quantity, start_at, end_at, activity, now) -> None:
    if not item.is_active:
        raise ValidationError(_("This item is no longer in the catalogue."), code="inactive")
    check_period(item, start_at, end_at, now)
    check_borrower(item.hub, borrower, timezone.localtime(start_at).date())
    _check_quantity(item, quantity)
    if selectors.has_overdue(borrower, now):
        raise ValidationError(
            _("%(name)s has overdue loans. Bring them back first; then you can reserve again.")
            % {"name": borrower.name},
            code="overdue",
        )
    if activity is not None and activity.organiser_id != borrower.pk:
        raise ValidationError(
            {
                "activity": _("Choose an activity that %(name)s organises.")
                % {"name": borrower.name}
            },
            code="activity",
        )


def loan_request(
    *,
    item: Item,
    borrower: Organisation,
    actor,
    quantity: int,
    start_at: dt.datetime,
    end_at: dt.datetime,
    note: str = "",
    activity=None,
    now: dt.datetime | None = None,
) -> Loan:
    """Reserve ``quantity`` free units of the item for the period, or say why not."""
    now = now or timezone.now()
    _validate_request(
        item=item,
        borrower=borrower,
        quantity=quantity,
        start_at=start_at,
        end_at=end_at,
        activity=activity,
        now=now,
    )
    blocked_until = end_at + dt.timedelta(days=item.buffer_days)
    with transaction.atomic():
        Item.objects.select_for_update().filter(pk=item.pk).first()  # serialise writers
        units = list(selectors.free_units(item, start_at, end_at)[:quantity])
        if len(units) < quantity:
            raise _not_free(item, len(units), quantity, start_at, end_at)
        loan = Loan.objects.create(
            item=item,
            borrower=borrower,
            requested_by=actor,
            quantity=quantity,
            start_at=start_at,
            end_at=end_at,
            note=note,
            activity=activity,
        )
        try:
            with transaction.atomic():
                Reservation.objects.bulk_create(
                    Reservation(loan=loan, unit=u, start_at=start_at, blocked_until=blocked_until)
                    for u in units
                )
        except IntegrityError as error:  # PostgreSQL's exclusion constraint
            raise _not_free(item, 0, quantity, start_at, end_at) from error
        audit.record(
            loan,
            "lending.loan.requested",
            actor=actor,
            data={"units": [u.code for u in units], "quantity": quantity},
        )
    return loan


def _release(loan: Loan) -> None:
    loan.reservations.update(active=False)


@transaction.atomic
def loan_approve(*, loan: Loan, actor, note: str = "") -> Loan:
    ensure_transition(loan, Status.APPROVED)
    loan.status = Status.APPROVED
    loan.staff_note = note or loan.staff_note
    loan.save(update_fields=["status", "staff_note", "updated_at"])
    audit.record(loan, "lending.loan.approved", actor=actor)
    return loan


@transaction.atomic
def loan_refuse(*, loan: Loan, actor, reason: str) -> Loan:
    ensure_transition(loan, Status.REFUSED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why you refuse, so the borrower knows what to change.")},
            code="reason",
        )
    loan.status = Status.REFUSED
    loan.staff_note = reason
    loan.save(update_fields=["status", "staff_note", "updated_at"])
    _release(loan)
    audit.record(loan, "lending.loan.refused", actor=actor, data={"reason": reason})
    return loan


@transaction.atomic
def loan_cancel(*, loan: Loan, actor) -> Loan:
    ensure_transition(loan, Status.CANCELLED)
    loan.status = Status.CANCELLED
    loan.save(update_fields=["status", "updated_at"])
    _release(loan)
    audit.record(loan, "lending.loan.cancelled", actor=actor)
    return loan


@transaction.atomic
def loan_hand_out(*, loan: Loan, actor, checked: set[str], now: dt.datetime | None = None) -> Loan:
    """Hand out after the checklist: every unit and each of its accessories ticked."""
    ensure_transition(loan, Status.HANDED_OUT)
    expected = set(checklist(loan))
    missing = expected - set(checked)
    if missing:
        raise ValidationError(
            _("Tick every line of the checklist before you hand out (%(n)d not ticked).")
            % {"n": len(missing)},
            code="checklist",
        )
    loan.status = Status.HANDED_OUT
    loan.handed_out_at = now or timezone.now()
    loan.save(update_fields=["status", "handed_out_at", "updated_at"])
    audit.record(loan, "lending.loan.handed_out", actor=actor, data={"checked": sorted(expected)})
    return loan


def checklist(loan: Loan) -> dict[str, str]:
    """{key: label} of what is checked on hand-out: each unit and each accessory of it."""
    lines = {}
    accessories = list(loan.item.accessories.all())
    for reservation in loan.reservations.select_related("unit").filter(active=True):
        unit = reservation.unit
        lines[f"u{unit.pk}"] = _("Unit %(code)s works and is complete") % {"code": unit.code}
        for accessory in accessories:
            lines[f"u{unit.pk}-a{accessory.pk}"] = f"{unit.code}: {accessory}"
    return lines


def loan_take_back(
    *, loan: Loan, actor, returns: dict[int, dict], now: dt.datetime | None = None
) -> Loan:
    """Take back every unit. ``returns[unit_id]`` = {"condition": str, "missing": [names],
    "maintenance": bool}. A unit that needs maintenance is unavailable until repaired."""
    now = now or timezone.now()
    with transaction.atomic():
        ensure_transition(loan, Status.RETURNED)
        reservations = list(loan.reservations.select_related("unit").filter(active=True))
        for reservation in reservations:
            info = returns.get(reservation.unit_id, {})
            reservation.condition_note = (info.get("condition") or "").strip()
            reservation.missing_accessories = list(info.get("missing") or [])
            early = now + dt.timedelta(days=loan.item.buffer_days)
            if early < reservation.blocked_until and early > reservation.start_at:
                reservation.blocked_until = early  # back early: free the unit sooner
            reservation.save(
                update_fields=["condition_note", "missing_accessories", "blocked_until"]
            )
            if info.get("maintenance"):
                unit_maintenance(
                    unit=reservation.unit, actor=actor, note=reservation.condition_note
                )
        loan.status = Status.RETURNED
        loan.returned_at = now
        loan.save(update_fields=["status", "returned_at", "updated_at"])
        audit.record(
            loan,
            "lending.loan.returned",
            actor=actor,
            data={str(k): v for k, v in returns.items()},
        )
    return loan


@transaction.atomic
def unit_maintenance(*, unit: Unit, actor, note: str = "") -> Unit:
    unit.status = Unit.Status.MAINTENANCE
    unit.status_note = note
    unit.save(update_fields=["status", "status_note", "updated_at"])
    audit.record(unit, "lending.unit.maintenance", actor=actor, data={"note": note})
    return unit


@transaction.atomic
def unit_repair(*, unit: Unit, actor, note: str = "") -> Unit:
    if unit.status != Unit.Status.MAINTENANCE:
        raise ValidationError(_("This unit is not in maintenance."), code="not_in_maintenance")
    unit.status = Unit.Status.AVAILABLE
    unit.status_note = note
    unit.save(update_fields=["status", "status_note", "updated_at"])
    audit.record(unit, "lending.unit.repaired", actor=actor, data={"note": note})
    return unit


@transaction.atomic
def loan_link_activity(*, loan: Loan, activity, actor) -> Loan:
    if activity is not None and activity.organiser_id != loan.borrower_id:
        raise ValidationError(
            {
                "activity": _("Choose an activity that %(name)s organises.")
                % {"name": loan.borrower.name}
            }
        )
    loan.activity = activity
    loan.save(update_fields=["activity", "updated_at"])
    audit.record(loan, "lending.loan.activity_linked", actor=actor)
    return loan
