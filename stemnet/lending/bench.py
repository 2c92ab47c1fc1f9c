"""The lending benchmark (``manage.py lending_bench``): build, time, check, clean up."""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import time

from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from stemnet.lending import selectors, services
from stemnet.lending.models import Hub, Item, Loan, OpeningHours, Reservation, Unit
from stemnet.organisations.models import Organisation

ITEMS, UNITS_PER_ITEM, RESERVATIONS = 100, 10, 50_000
SLUG = "lending-bench-demo"


def _day(days: int, hour: int = 10) -> dt.datetime:
    date = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour)))


def build() -> Hub:
    org = Organisation.objects.create(
        name="Benchmark hub (demo)", slug=SLUG, type=Organisation.Type.GANGMAKER, is_demo=True
    )
    hub = Hub.objects.create(organisation=org, is_demo=True, borrower_types=[], max_loan_days=365)
    OpeningHours.objects.bulk_create(
        OpeningHours(hub=hub, weekday=d, opens=dt.time(0), closes=dt.time(23, 59)) for d in range(7)
    )
    items = Item.objects.bulk_create(
        Item(
            hub=hub, name=f"Bench item {i:03d}", description="demo", buffer_days=i % 3, is_demo=True
        )
        for i in range(ITEMS)
    )
    units = Unit.objects.bulk_create(
        Unit(item=item, code=f"B{n:02d}") for item in items for n in range(UNITS_PER_ITEM)
    )
    borrower = Organisation.objects.create(
        name="Benchmark academy (demo)", slug=f"{SLUG}-academy", is_demo=True, type="academy"
    )
    per_unit = RESERVATIONS // len(units)  # 50 back-to-back loans of 2-4 days per unit
    loans, spans = [], []
    for unit in units:
        start = -100
        for _ in range(per_unit):
            length = 2 + (unit.pk + start) % 3
            loans.append(
                Loan(
                    item_id=unit.item_id,
                    borrower=borrower,
                    quantity=1,
                    start_at=_day(start),
                    end_at=_day(start + length),
                    status="approved",
                    is_demo=True,
                )
            )
            spans.append((unit, _day(start), _day(start + length + 3)))
            start += length + 3
    loans = Loan.objects.bulk_create(loans, batch_size=5000)
    Reservation.objects.bulk_create(
        (
            Reservation(loan=loan, unit=u, start_at=s, blocked_until=b)
            for loan, (u, s, b) in zip(loans, spans, strict=True)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return hub


def time_search(hub: Hub, repeat: int) -> list[float]:
    items = Item.objects.filter(hub=hub)
    timings = []
    for i in range(repeat):
        start, end = _day(i % 20), _day(i % 20 + 30)
        began = time.perf_counter()
        free = selectors.availability(items, start, end)
        timings.append((time.perf_counter() - began) * 1000)
        assert len(free) <= ITEMS
    return timings


def concurrent_writers(hub: Hub, writers: int = 8, rounds: int = 5) -> tuple[int, int, int]:
    """``writers`` threads each ask for 3 units of one item over the same days."""
    item = Item.objects.filter(hub=hub).order_by("name").first()
    borrowers = [
        Organisation.objects.create(
            name=f"Bench writer {i} (demo)", slug=f"{SLUG}-w{i}", is_demo=True, type="academy"
        )
        for i in range(writers)
    ]
    booked = conflicts = 0
    for r in range(rounds):
        barrier = threading.Barrier(writers)
        results: list[str] = []

        def book(borrower, r=r, barrier=barrier, results=results):
            try:
                barrier.wait()
                services.loan_request(
                    item=item,
                    borrower=borrower,
                    actor=None,
                    quantity=3,
                    start_at=_day(200 + r * 10),
                    end_at=_day(203 + r * 10),
                )
                results.append("booked")
            except ValidationError as error:
                results.append(error.error_dict["quantity"][0].code)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=book, args=(b,)) for b in borrowers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        booked += results.count("booked")
        conflicts += results.count("conflict")
    return booked, conflicts, double_bookings(hub)


def double_bookings(hub: Hub) -> int:
    count = 0
    last: dict[int, dt.datetime] = {}
    for r in Reservation.objects.filter(unit__item__hub=hub, active=True).order_by(
        "unit", "start_at"
    ):
        if r.unit_id in last and last[r.unit_id] > r.start_at:
            count += 1
        last[r.unit_id] = r.blocked_until
    return count


def clean() -> None:
    Loan.objects.filter(item__hub__organisation__slug=SLUG).delete()
    Organisation.objects.filter(slug__startswith=SLUG).delete()


def run(*, repeat: int = 20, keep: bool = False):
    clean()
    began = time.perf_counter()
    with transaction.atomic():
        hub = build()
    count = Reservation.objects.filter(unit__item__hub=hub).count()
    took = time.perf_counter() - began
    yield f"Built {ITEMS * UNITS_PER_ITEM} units, {count} reservations in {took:.1f} s"
    timings = time_search(hub, repeat)
    yield (
        f"Availability over a month, whole catalogue ({repeat} runs): median "
        f"{statistics.median(timings):.1f} ms, max {max(timings):.1f} ms"
    )
    if connection.vendor == "postgresql":
        booked, conflicts, doubles = concurrent_writers(hub)
        yield (
            f"8 concurrent writers x 5 rounds, 3 of 10 units each: {booked} booked, "
            f"{conflicts} answered 'already booked', {doubles} double bookings"
        )
    else:
        yield "Concurrent writers: skipped (SQLite serialises writers)"
    if not keep:
        clean()
