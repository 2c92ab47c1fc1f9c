from decimal import Decimal

import pytest

from stemnet.accounts.tests.factories import UserFactory
from stemnet.scoring import selectors, services
from stemnet.scoring.models import Assignment
from stemnet.scoring.tests.factories import (
    EntryFactory,
    assignment_in_state,
    panel_with_criteria,
    score_all,
)

pytestmark = pytest.mark.django_db

S = Assignment.State


def declared(entry, reviewer):
    return assignment_in_state(S.DECLARED_NO_CONFLICT, entry=entry, reviewer=reviewer)


# --- what a reviewer sees ---------------------------------------------------------------------


def test_entries_visible_to():
    panel = panel_with_criteria()
    e_assigned, e_recused, e_declared, e_submitted, e_other = (
        EntryFactory(panel=panel) for _ in range(5)
    )
    reviewer = UserFactory()
    assignment_in_state(S.ASSIGNED, entry=e_assigned, reviewer=reviewer)
    assignment_in_state(S.RECUSED, entry=e_recused, reviewer=reviewer)
    assignment_in_state(S.DECLARED_NO_CONFLICT, entry=e_declared, reviewer=reviewer)
    assignment_in_state(S.SUBMITTED, entry=e_submitted, reviewer=reviewer)
    assignment_in_state(S.SUBMITTED, entry=e_other)
    assignment_in_state(S.SUBMITTED, entry=e_declared)  # another reviewer on the same entry
    assert set(selectors.entries_visible_to(reviewer, panel)) == {e_declared, e_submitted}
    assert selectors.entries_visible_to(reviewer, panel).count() == 2
    assert set(selectors.entries_visible_to(UserFactory(), panel)) == set()
    assert selectors.entries_visible_to(UserFactory(), panel, as_officer=True).count() == 5
    # Another panel's entries never leak in.
    assert not selectors.entries_visible_to(reviewer, panel_with_criteria()).exists()


def test_reviewers_see_others_scores_only_after_submitting():
    entry = EntryFactory(panel=panel_with_criteria())
    first = score_all(declared(entry, UserFactory()), [7, 8])
    second = score_all(declared(entry, UserFactory()), [2, 3])
    recused = assignment_in_state(S.RECUSED, entry=entry)
    waiting = assignment_in_state(S.ASSIGNED, entry=entry)

    def seen(assignment):
        return sorted(
            (s.assignment_id, s.value)
            for s in selectors.scores_visible_to(assignment.reviewer, entry)
        )

    # Drafts: each sees only their own.
    assert seen(first) == [(first.pk, 7), (first.pk, 8)]
    assert seen(second) == [(second.pk, 2), (second.pk, 3)]
    assert seen(recused) == [] and seen(waiting) == []
    assert not selectors.scores_visible_to(UserFactory(), entry).exists()

    services.assignment_submit(assignment=first, actor=first.reviewer)
    # The first sees all submitted scores (only their own so far), not the other's drafts.
    assert seen(first) == [(first.pk, 7), (first.pk, 8)]
    assert seen(second) == [(second.pk, 2), (second.pk, 3)]

    services.assignment_submit(assignment=second, actor=second.reviewer)
    both = sorted([(first.pk, 7), (first.pk, 8), (second.pk, 2), (second.pk, 3)])
    assert seen(first) == both and seen(second) == both
    assert seen(recused) == [] and seen(waiting) == []
    assert selectors.scores_visible_to(UserFactory(), entry, as_officer=True).count() == 4


def test_assignments_visible_to_lists_only_ones_own():
    mine = assignment_in_state(S.ASSIGNED)
    assignment_in_state(S.ASSIGNED, entry=mine.entry)
    assert list(selectors.assignments_visible_to(mine.reviewer)) == [mine]


# --- consensus, by hand -----------------------------------------------------------------------


@pytest.fixture
def scored_panel():
    """Scale 0–10, criteria A (weight 2) and B (weight 1); threshold 30 % → spread ≥ 3 flagged.

    e1: r1 (8, 6), r2 (6, 9)       means 7, 7.5   spreads 2, 3*  total 21.5/3 = 7.17
        r3 declared with drafts (0, 0): not counted (pending)
    e2: r1 (9, 3), r2 (7, 4), r3 (8, 5)  means 8, 4  spreads 2, 2  total 20/3 = 6.67
    e3: r1 (7, 8)                  means 7, 8                    total 22/3 = 7.33
    e4: r2 (8, 4)                  means 8, 4                    total 20/3 = 6.67 (ties e2)
    e5: r1 drafts only, r2 recused                               no total, unranked
    """
    panel = panel_with_criteria(weights=("2", "1"))
    r1, r2, r3 = UserFactory(name="Ann"), UserFactory(name="Bert"), UserFactory(name="Chris")
    e1, e2, e3, e4, e5 = (EntryFactory(panel=panel) for _ in range(5))
    score_all(declared(e1, r1), [8, 6], submit=True)
    score_all(declared(e1, r2), [6, 9], submit=True)
    score_all(declared(e1, r3), [0, 0])
    score_all(declared(e2, r1), [9, 3], submit=True)
    score_all(declared(e2, r2), [7, 4], submit=True)
    score_all(declared(e2, r3), [8, 5], submit=True)
    score_all(declared(e3, r1), [7, 8], submit=True)
    score_all(declared(e4, r2), [8, 4], submit=True)
    score_all(declared(e5, r1), [10, 10])
    assignment_in_state(S.RECUSED, entry=e5, reviewer=r2)
    return panel, (e1, e2, e3, e4, e5), (r1, r2, r3)


def test_consensus_by_hand(scored_panel, django_assert_max_num_queries):
    panel, (e1, e2, e3, e4, e5), (r1, r2, r3) = scored_panel
    with django_assert_max_num_queries(6):
        rows = selectors.consensus(panel)
    assert [r.entry for r in rows] == [e3, e1, e2, e4, e5]
    assert [r.rank for r in rows] == [1, 2, 3, 4, None]
    assert [r.total for r in rows] == [
        Decimal("7.33"),
        Decimal("7.17"),
        Decimal("6.67"),
        Decimal("6.67"),
        None,
    ]
    row1 = rows[1]
    assert row1.reviewers == [r1, r2]
    assert [line.values for line in row1.lines] == [[8, 6], [6, 9]]
    assert [line.mean for line in row1.lines] == [Decimal("7.00"), Decimal("7.50")]
    assert [line.spread for line in row1.lines] == [2, 3]
    assert [line.spread_flagged for line in row1.lines] == [False, True]
    assert row1.has_spread_flag and (row1.pending, row1.recused) == (1, 0)
    row2 = rows[2]
    assert row2.reviewers == [r1, r2, r3]
    assert [line.mean for line in row2.lines] == [Decimal("8.00"), Decimal("4.00")]
    assert not row2.has_spread_flag
    last = rows[4]
    assert last.reviewers == [] and (last.pending, last.recused) == (1, 1)
    assert all(line.mean is None for line in last.lines)
    assert all(r.above_line is None and r.cumulative is None for r in rows)


def test_consensus_threshold_is_configurable(scored_panel):
    panel, _entries, _reviewers = scored_panel
    # 20 % of 10 = 2: both spreads of e1 and e2 are now flagged.
    rows = selectors.consensus(panel, spread_threshold=Decimal("0.2"))
    assert [line.spread_flagged for line in rows[1].lines] == [True, True]
    assert [line.spread_flagged for line in rows[2].lines] == [True, True]
    panel.spread_threshold = Decimal("0.50")
    rows = selectors.consensus(panel)
    assert not any(r.has_spread_flag for r in rows)


def test_consensus_funding_line(scored_panel):
    panel, (e1, e2, e3, e4, e5), _reviewers = scored_panel
    amounts = {e1: 200, e2: 150, e3: 100, e4: 50, e5: 75}

    def amount_for(entry):
        return Decimal(amounts[entry])

    rows = selectors.consensus(panel, budget=Decimal("400"), amount_for=amount_for)
    assert [r.cumulative for r in rows] == [Decimal(c) for c in (100, 300, 450, 500)] + [None]
    assert [r.above_line for r in rows] == [True, True, False, False, None]
    assert [r.first_below_line for r in rows] == [False, False, True, False, False]
    assert rows[4].amount == Decimal(75)
    # The line is inclusive: a budget of exactly 300 still funds the first two.
    rows = selectors.consensus(panel, budget=Decimal("300"), amount_for=amount_for)
    assert [r.above_line for r in rows[:3]] == [True, True, False]
    # Once the line is passed, a smaller later entry that would fit stays below it.
    rows = selectors.consensus(panel, budget=Decimal("460"), amount_for=amount_for)
    assert [r.above_line for r in rows[:4]] == [True, True, True, False]


def test_consensus_rounds_half_up_from_exact_means():
    # Weights 1 and 2; A mean (1+2)/2 = 1.5, B mean 2 → (1.5 + 4) / 3 = 1.8333 → 1.83.
    # Weights 1 and 1; A 1.5, B 2.5 (means of 1,2 and 2,3) → total 2.00; mean 2.5 → 2.50.
    panel = panel_with_criteria(weights=(1, 2))
    entry = EntryFactory(panel=panel)
    score_all(declared(entry, UserFactory()), [1, 2], submit=True)
    score_all(declared(entry, UserFactory()), [2, 2], submit=True)
    (row,) = selectors.consensus(panel)
    assert row.total == Decimal("1.83")
    assert [line.mean for line in row.lines] == [Decimal("1.50"), Decimal("2.00")]


def test_consensus_of_an_empty_panel():
    assert selectors.consensus(panel_with_criteria()) == []


def test_reviews_are_in_the_personal_data_export():
    from stemnet.accounts import personal_data

    assignment = assignment_in_state(S.SUBMITTED)
    assignment_in_state(S.RECUSED, reviewer=assignment.reviewer)
    data = personal_data.collect(assignment.reviewer)["scoring_reviews"]
    assert [d["state"] for d in data] == ["submitted", "recused"]
    assert [s["value"] for s in data[0]["scores"]] == [5, 5]
    assert data[1]["declaration"]["statement"] == "Mijn partner werkt daar."
