"""Capacity is never exceeded: two real concurrent writers on PostgreSQL, and a hypothesis
test of any sequence of registrations, cancellations and lapsing offers."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stemnet.accounts.tests.factories import UserFactory
from stemnet.events import services
from stemnet.events.models import Event, Registration
from stemnet.events.tests.factories import EventFactory, TrackFactory

S = Registration.Status


def _check_invariants(event: Event, now: dt.datetime) -> None:
    holding = event.registrations.holding_place()
    assert holding.count() <= event.capacity
    for track in event.tracks.all():
        assert track.registrations.filter(status__in=Registration.HOLDING).count() <= (
            track.capacity
        )
    emails = [e.lower() for e in event.registrations.active().values_list("email", flat=True)]
    assert len(emails) == len(set(emails))
    # No place stays free while someone who fits is waiting (until the event starts: then
    # nobody is offered a place any more).
    if holding.count() < event.capacity and now < event.starts_at:
        for waiting in event.registrations.filter(status=S.WAITING):
            tracks = list(waiting.tracks.all())
            assert services._track_full(tracks) is not None


OPS = st.lists(
    st.tuples(
        st.sampled_from(["register", "register_track", "cancel", "lapse"]), st.integers(0, 5)
    ),
    max_size=20,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=OPS)
def test_no_sequence_exceeds_capacity(ops):
    with transaction.atomic():
        event = EventFactory(capacity=3)
        track = TrackFactory(event=event, capacity=2)
        users = [UserFactory() for _ in range(6)]
        now = event.starts_at - dt.timedelta(days=5)
        for op, i in ops:
            user = users[i]
            try:
                if op.startswith("register"):
                    tracks = [track] if op == "register_track" else []
                    services.registration_create(event=event, actor=user, tracks=tracks, now=now)
                elif op == "cancel":
                    mine = event.registrations.active().filter(email=user.email).first()
                    if mine:
                        services.registration_cancel(registration=mine, actor=user, now=now)
                else:
                    now += dt.timedelta(hours=services.offer_hours() + 1)
                    services.offers_lapse(now=now)
            except ValidationError:
                pass
            _check_invariants(event, now)
        transaction.set_rollback(True)


@pytest.mark.skipif(
    "sqlite" in connection.vendor, reason="SQLite serialises writers itself; the row lock is PG's"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_one_place(reference_data):
    event = EventFactory(capacity=1)
    users = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def attempt(user):
        try:
            barrier.wait()
            results.append(services.registration_create(event=event, actor=user).status)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [S.CONFIRMED, S.WAITING]
    assert event.registrations.holding_place().count() == 1
