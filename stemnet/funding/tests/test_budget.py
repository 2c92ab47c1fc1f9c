"""The budget invariant: no sequence of decisions takes a round's total above its budget,
also with two officers deciding at once."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, close_old_connections, connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stemnet.funding import selectors, services
from stemnet.funding.models import Application, Decision
from stemnet.funding.tests.factories import (
    ApplicationFactory,
    RoundFactory,
    in_review,
    officer,
)

amounts = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5000),  # requested
        st.integers(min_value=0, max_value=6000),  # proposed amount
        st.booleans(),  # recognised
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    decisions=amounts,
    budget=st.integers(min_value=0, max_value=10000),
    maximum=st.integers(min_value=0, max_value=5000),
)
def test_no_sequence_of_decisions_exceeds_the_budget(decisions, budget, maximum):
    staff = officer()
    round = RoundFactory(budget=Decimal(budget), max_per_application=Decimal(min(budget, maximum)))
    for requested, proposed, recognised in decisions:
        # Straight into review: this test is about the decisions, not the earlier steps.
        application = ApplicationFactory(
            round=round, requested_amount=Decimal(requested), status=Application.Status.IN_REVIEW
        )
        before = selectors.round_granted_total(round)
        incomplete = recognised and bool(services.application_check(application))
        try:
            services.decision_record(
                application=application, recognised=recognised, amount=proposed, actor=staff
            )
        except ValidationError:
            assert selectors.round_granted_total(round) == before
            should_fail = (
                (not recognised and proposed > 0)
                or proposed > requested
                or proposed > round.max_per_application
                or before + proposed > round.budget
                or incomplete  # e.g. more requested than the round's maximum
            )
            assert should_fail
        else:
            assert proposed <= requested and proposed <= round.max_per_application
        assert selectors.round_granted_total(round) <= round.budget


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once(reference_data):
    """Each thread has its own connection; the lock on the round serialises them."""
    first_officer, second_officer = officer(), officer()
    round = RoundFactory(budget=Decimal("5000"), max_per_application=Decimal("4000"))
    a = in_review(
        ApplicationFactory(round=round, requested_amount=4000), officer_user=first_officer
    )
    b = in_review(
        ApplicationFactory(round=round, requested_amount=4000), officer_user=first_officer
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(application: Application, actor):
        try:
            barrier.wait(timeout=10)
            for _attempt in range(200):
                try:
                    services.decision_record(
                        application=application, recognised=True, amount=4000, actor=actor
                    )
                except OperationalError as error:
                    # The in-memory SQLite test database is shared-cache: a writer that finds
                    # it locked gets SQLITE_LOCKED at once instead of waiting (a file database
                    # waits for its busy timeout). The transaction was rolled back: try again.
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.02)
                    continue
                outcomes.append("ok")
                break
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(a, first_officer)),
        threading.Thread(target=decide, args=(b, second_officer)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert selectors.round_granted_total(round) == Decimal("4000.00")
    assert Decision.objects.filter(application__round=round).count() == 1
