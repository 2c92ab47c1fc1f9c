"""Never double-booked: a hypothesis test against a simple model of the calendar, and two
concurrent writers on PostgreSQL (the exclusion constraint and the row lock)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from stemnet.funding.tests.factories import coordinator_of
from stemnet.lending import services
from stemnet.lending.models import Loan, Reservation
from stemnet.lending.tests.factories import ItemFactory, at
from stemnet.organisations.tests.factories import OrganisationFactory

UNITS = 2
BUFFER = 1

operation = st.one_of(
    st.tuples(
        st.just("request"),
        st.integers(0, 12),  # start day
        st.integers(1, 4),  # length in days
        st.integers(1, UNITS),  # units
    ),
    st.tuples(st.just("cancel"), st.integers(0, 20), st.just(0), st.just(0)),
)


class Model:
    """The calendar as lists of (first day, last blocked day) per unit."""

    def __init__(self):
        self.units = [[] for _ in range(UNITS)]
        self.loans = []  # (unit indexes, span) of loans that hold units

    def free(self, span):
        start, end = span
        return [
            i for i, spans in enumerate(self.units) if all(e <= start or s >= end for s, e in spans)
        ]

    def request(self, start, length, quantity) -> bool:
        span = (start, start + length + BUFFER)
        free = self.free(span)
        if len(free) < quantity:
            return False
        for i in free[:quantity]:
            self.units[i].append(span)
        self.loans.append((free[:quantity], span))
        return True

    def cancel(self, index):
        units, span = self.loans.pop(index)
        for i in units:
            self.units[i].remove(span)


def _assert_no_overlap(item):
    spans = {}
    for r in Reservation.objects.filter(unit__item=item, active=True).order_by("start_at"):
        previous = spans.get(r.unit_id)
        assert previous is None or previous <= r.start_at
        spans[r.unit_id] = r.blocked_until


@pytest.mark.django_db
@settings(max_examples=40, deadline=None)
@given(st.lists(operation, min_size=1, max_size=8))
def test_the_service_agrees_with_the_model(operations):
    item = ItemFactory(units=UNITS, buffer_days=BUFFER)
    borrower = OrganisationFactory()
    model, loans = Model(), []
    for kind, a, b, c in operations:
        if kind == "request":
            expected = model.request(a, b, c)
            try:
                loans.append(
                    services.loan_request(
                        item=item,
                        borrower=borrower,
                        actor=None,
                        quantity=c,
                        start_at=at(1 + a),
                        end_at=at(1 + a + b),
                    )
                )
                got = True
            except ValidationError as error:
                assert error.error_dict["quantity"][0].code == "conflict"
                got = False
            assert got == expected, (kind, a, b, c)
        elif loans:
            index = a % len(loans)
            model.cancel(index)
            services.loan_cancel(loan=loans.pop(index), actor=None)
        _assert_no_overlap(item)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_get_one_unit(reference_data):
    """Two coordinators ask for the last unit at once: one loan, one "already booked"."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: SQLite serialises them (IMMEDIATE transactions)")
    item = ItemFactory(units=1)
    borrowers = [OrganisationFactory(), OrganisationFactory()]
    actors = [coordinator_of(b) for b in borrowers]
    outcomes: list[str] = []

    def book(i, start):
        from django.db import connections

        try:
            start.wait()
            services.loan_request(
                item=item,
                borrower=borrowers[i],
                actor=actors[i],
                quantity=1,
                start_at=at(2),
                end_at=at(4),
            )
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(error.error_dict["quantity"][0].code)
        finally:
            connections.close_all()

    for _ in range(3):
        Loan.objects.filter(item=item).delete()
        outcomes.clear()
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=book, args=(i, barrier)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["booked", "conflict"]
        assert Reservation.objects.filter(unit__item=item, active=True).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_an_overlap_on_postgresql():
    """Past the service: the exclusion constraint itself refuses a second active span."""
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only (SQLite: lock + check)")
    item = ItemFactory(units=1)
    loan = services.loan_request(
        item=item,
        borrower=OrganisationFactory(),
        actor=None,
        quantity=1,
        start_at=at(2),
        end_at=at(4),
    )
    unit = item.units.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Reservation.objects.create(loan=loan, unit=unit, start_at=at(3), blocked_until=at(5))
