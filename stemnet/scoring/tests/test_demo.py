import random

import pytest

from stemnet.accounts.tests.factories import UserFactory
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.scoring import demo, selectors
from stemnet.scoring.models import Assignment, Panel

pytestmark = pytest.mark.django_db


def test_demo_panel_is_rebuilt_identically():
    for _ in range(5):
        OrganisationFactory(is_demo=True, type=Organisation.Type.ACADEMY)
    for email in demo.JURY:
        UserFactory(email=email, is_demo=True)
    reviewer = UserFactory(email=demo.REVIEWER_EMAIL, is_demo=True)

    def snapshot():
        panel = Panel.objects.get(title=demo.PANEL_TITLE)
        return panel, [
            (r.entry.reference, r.total, [line.values for line in r.lines])
            for r in selectors.consensus(panel)
        ]

    written = demo.seed(random.Random("2020-scoring"))
    assert written == 4 * 2 * 3
    _panel, first = snapshot()
    assert demo.seed(random.Random("2020-scoring")) == written
    panel, second = snapshot()
    assert first == second
    rows = selectors.consensus(panel)
    assert [r.rank for r in rows] == [1, 2, 3, 4]
    assert all(len(r.reviewers) == 2 for r in rows)
    assert Assignment.objects.filter(state=Assignment.State.SUBMITTED).count() == 8
    waiting = Assignment.objects.filter(reviewer=reviewer)
    assert [a.state for a in waiting] == [Assignment.State.ASSIGNED] * 3


def test_demo_without_academies_writes_nothing():
    assert demo.seed(random.Random(1)) == 0
    assert not Panel.objects.exists()
