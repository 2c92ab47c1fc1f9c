"""A demo STEMhub (DEMO DATA ONLY): an invented hub modelled on the STEMhub of seed 000.

"STEMhub Kruidtuin (demo)" is an invented STEM gangmaker, not the real WiWeTeR Thomas More.
It gets 40 items with units and accessories, opening hours Tuesday to Saturday with one
closed day, Fablab and I-Lab sessions, and loans of the demo academies in every state:
requested, approved, refused, cancelled, handed out (one overdue) and returned with a damage
note. Every row is marked ``is_demo``; ``clear()`` removes them, so running twice gives the
same data (dates follow today).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from stemnet.lending.models import (
    Accessory,
    Hub,
    Item,
    LabSession,
    Loan,
    OpeningException,
    OpeningHours,
    Reservation,
    Unit,
)
from stemnet.organisations.demo import invented_hub
from stemnet.organisations.models import Organisation

NOTE = "Demo: verzonnen voor de demo van STEMnet."
KINDS = [
    ("Robotkit", Item.Kind.ROBOT, ["Oplaadkabel", "Opbergdoos"], 8, 14),
    ("Programmeerbare bordjes", Item.Kind.KIT, ["USB-kabel", "Batterijhouder"], 9, 16),
    ("3D-printer", Item.Kind.PRINTER, ["Spoel PLA", "Spatel"], 12, 18),
    ("Digitale microscoop", Item.Kind.MICROSCOPE, ["USB-kabel", "Preparaten"], 8, 18),
    ("Elektronicakit", Item.Kind.KIT, ["Breadboard", "Draadjes"], 10, 18),
    ("Zonne-energiekit", Item.Kind.KIT, ["Zonnepaneeltje", "Motortje"], 8, 14),
    ("Bouwpakket bruggen", Item.Kind.KIT, ["Bouwplan"], 6, 12),
    ("Drone voor binnen", Item.Kind.ROBOT, ["Reservepropellers", "Batterij"], 12, 18),
]
VARIANTS = ["A", "B", "C", "D", "E"]


def clear() -> None:
    """Remove every demo row of the lending service (loans first: they protect items)."""
    Loan.objects.filter(is_demo=True).delete()
    Hub.objects.filter(is_demo=True).delete()


def _at(days: int, hour: int) -> dt.datetime:
    date = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour)))


def _hub() -> Hub:
    organisation = invented_hub()
    hub = Hub.objects.create(
        organisation=organisation,
        intro="Leen robots, printers en kits voor je STEM-activiteiten, of kom werken in ons "
        "Fablab en I-Lab. " + NOTE,
        is_demo=True,
    )
    OpeningHours.objects.bulk_create(
        [OpeningHours(hub=hub, weekday=d, opens=dt.time(9), closes=dt.time(17)) for d in (1, 2, 3)]
        + [OpeningHours(hub=hub, weekday=d, opens=dt.time(13), closes=dt.time(20)) for d in (4,)]
        + [OpeningHours(hub=hub, weekday=5, opens=dt.time(10), closes=dt.time(16))]
    )
    OpeningException.objects.create(
        hub=hub, date=timezone.localdate() + dt.timedelta(days=10), note="Teamdag (demo)"
    )
    return hub


def _items(hub: Hub, rng: random.Random) -> list[Item]:
    items = []
    for base, kind, accessories, min_age, max_age in KINDS:
        for variant in VARIANTS:
            item = Item.objects.create(
                hub=hub,
                name=f"{base} {variant}",
                kind=kind,
                description=f"{base} voor groepjes van 2 à 3 kinderen. {NOTE}",
                min_age=min_age,
                max_age=max_age,
                buffer_days=rng.choice([0, 1, 1, 2]),
                is_demo=True,
            )
            Unit.objects.bulk_create(
                Unit(item=item, code=f"{kind[:3].upper()}-{variant}{n:02d}")
                for n in range(1, rng.randint(2, 6))
            )
            Accessory.objects.bulk_create(Accessory(item=item, name=a) for a in accessories)
            items.append(item)
    return items


def _loan(item, borrower, user, status, start_days, days, **extra) -> Loan:
    start, end = _at(start_days, 10), _at(start_days + days, 16)
    loan = Loan.objects.create(
        item=item,
        borrower=borrower,
        requested_by=user,
        quantity=1,
        start_at=start,
        end_at=end,
        status=status,
        is_demo=True,
        **extra,
    )
    unit = item.units.order_by("code").first()
    active = status not in (Loan.Status.REFUSED, Loan.Status.CANCELLED)
    Reservation.objects.create(
        loan=loan,
        unit=unit,
        start_at=start,
        blocked_until=end + dt.timedelta(days=item.buffer_days),
        active=active,
        condition_note="Kras op de behuizing (demo)" if status == Loan.Status.RETURNED else "",
    )
    return loan


def _loans(items: list[Item], academies: list[Organisation], user) -> int:
    S = Loan.Status
    plan = [
        (S.RETURNED, -40, 5, {"handed_out_at": _at(-40, 10), "returned_at": _at(-35, 15)}),
        (S.RETURNED, -25, 3, {"handed_out_at": _at(-25, 10), "returned_at": _at(-22, 15)}),
        (S.HANDED_OUT, -12, 4, {"handed_out_at": _at(-12, 10)}),  # overdue
        (S.HANDED_OUT, -2, 9, {"handed_out_at": _at(-2, 10)}),
        (S.APPROVED, 5, 3, {}),
        (S.REQUESTED, 12, 4, {"note": "Voor onze robotreeks op woensdag (demo)."}),
        (S.REQUESTED, 20, 2, {}),
        (S.REFUSED, 15, 3, {"staff_note": "Dan is de hub gesloten (demo)."}),
        (S.CANCELLED, 8, 2, {}),
    ]
    count = 0
    for i, (status, start, days, extra) in enumerate(plan):
        borrower = academies[i % len(academies)]
        _loan(items[i * 4], borrower, user if i % 2 == 0 else None, status, start, days, **extra)
        count += 1
    return count


def _lab(hub: Hub) -> None:
    rows = [
        (LabSession.Lab.FABLAB, LabSession.Kind.OPEN, "Vrij Fablab", 3, 13, 17, 12),
        (LabSession.Lab.ILAB, LabSession.Kind.WORKSHOP, "Workshop lasersnijden", 4, 14, 16, 10),
        (
            LabSession.Lab.FABLAB,
            LabSession.Kind.WORKSHOP,
            "3D-printen voor begeleiders",
            9,
            9,
            12,
            8,
        ),
        (LabSession.Lab.ILAB, LabSession.Kind.OPEN, "Vrij I-Lab", 11, 13, 17, 15),
    ]
    for lab, kind, title, days, start, end, capacity in rows:
        LabSession.objects.create(
            hub=hub,
            lab=lab,
            kind=kind,
            title=f"{title} (demo)",
            starts_at=_at(days, start),
            ends_at=_at(days, end),
            capacity=capacity,
            is_demo=True,
        )


def seed(rng: random.Random, academies: list[Organisation] | None = None, staff=None) -> int:
    """Create the demo hub; return the number of items. ``staff`` users join the hub."""
    from stemnet.organisations import services as org_services

    clear()
    hub = _hub()
    items = _items(hub, rng)
    for user in staff or []:
        org_services.membership_create(
            organisation=hub.organisation, user=user, role="coordinator", actor=None
        )
    academies = academies or list(
        Organisation.objects.filter(is_demo=True, type=Organisation.Type.ACADEMY)[:3]
    )
    if academies:
        user = academies[0].memberships.select_related("user").first()
        _loans(items, academies, user.user if user else None)
    _lab(hub)
    return len(items)
