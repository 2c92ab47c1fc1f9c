"""Role × state matrix for every scoring permission; the forbidden cases come first."""

import pytest

from stemnet.accounts.tests.factories import UserFactory
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.tests.factories import MembershipFactory
from stemnet.scoring import services
from stemnet.scoring.models import Assignment
from stemnet.scoring.tests.factories import EntryFactory, assignment_in_state, panel_with_criteria

pytestmark = pytest.mark.django_db

S = Assignment.State
PERMS = ("view_entry", "declare_entry", "score_entry", "view_scores")

FORBIDDEN = [
    # (who, state of their own assignment or None, perm)
    ("not assigned", None, "view_entry"),
    ("not assigned", None, "declare_entry"),
    ("not assigned", None, "score_entry"),
    ("not assigned", None, "view_scores"),
    ("undeclared", S.ASSIGNED, "view_entry"),
    ("undeclared", S.ASSIGNED, "score_entry"),
    ("undeclared", S.ASSIGNED, "view_scores"),
    ("recused", S.RECUSED, "view_entry"),
    ("recused", S.RECUSED, "declare_entry"),
    ("recused", S.RECUSED, "score_entry"),
    ("recused", S.RECUSED, "view_scores"),
    ("declared", S.DECLARED_NO_CONFLICT, "declare_entry"),
    ("declared", S.DECLARED_NO_CONFLICT, "view_scores"),
    ("submitted", S.SUBMITTED, "declare_entry"),
    ("submitted", S.SUBMITTED, "score_entry"),
]
ALLOWED = [
    ("undeclared", S.ASSIGNED, "declare_entry"),
    ("declared", S.DECLARED_NO_CONFLICT, "view_entry"),
    ("declared", S.DECLARED_NO_CONFLICT, "score_entry"),
    ("submitted", S.SUBMITTED, "view_entry"),
    ("submitted", S.SUBMITTED, "view_scores"),
]


def test_matrix_is_complete():
    cases = {(state, perm) for _who, state, perm in FORBIDDEN + ALLOWED}
    states = [None, S.ASSIGNED, S.RECUSED, S.DECLARED_NO_CONFLICT, S.SUBMITTED]
    assert cases == {(state, perm) for state in states for perm in PERMS}


def _user_in_state(state, entry):
    if state is None:
        return UserFactory()
    return assignment_in_state(state, entry=entry).reviewer


@pytest.mark.parametrize(("who", "state", "perm"), FORBIDDEN)
def test_forbidden(who, state, perm):
    entry = EntryFactory(panel=panel_with_criteria())
    # Another reviewer has submitted on the same entry: it must not open anything for this one.
    assignment_in_state(S.SUBMITTED, entry=entry)
    user = _user_in_state(state, entry)
    assert not user.has_perm(f"scoring.{perm}", entry)


@pytest.mark.parametrize(("who", "state", "perm"), ALLOWED)
def test_allowed(who, state, perm):
    entry = EntryFactory(panel=panel_with_criteria())
    user = _user_in_state(state, entry)
    assert user.has_perm(f"scoring.{perm}", entry)


def test_a_reviewers_rights_do_not_carry_over_to_another_entry():
    panel = panel_with_criteria()
    mine = assignment_in_state(S.SUBMITTED, entry=EntryFactory(panel=panel))
    other_entry = EntryFactory(panel=panel)
    assignment_in_state(S.SUBMITTED, entry=other_entry)
    for perm in PERMS:
        assert not mine.reviewer.has_perm(f"scoring.{perm}", other_entry)


@pytest.mark.parametrize("state", [S.ASSIGNED, S.DECLARED_NO_CONFLICT])
def test_closed_panel_forbids_declaring_and_scoring(state):
    assignment = assignment_in_state(state)
    services.panel_close(panel=assignment.entry.panel, actor=None)
    entry = type(assignment.entry).objects.get(pk=assignment.entry_id)
    assert not assignment.reviewer.has_perm("scoring.declare_entry", entry)
    assert not assignment.reviewer.has_perm("scoring.score_entry", entry)


def test_officer_without_assignment_has_no_reviewer_rights_but_sees_consensus():
    entry = EntryFactory(panel=panel_with_criteria())
    assignment_in_state(S.SUBMITTED, entry=entry)
    officer = MembershipFactory(organisation__type=Organisation.Type.VLAIO).user
    for perm in PERMS:
        assert not officer.has_perm(f"scoring.{perm}", entry)
    assert officer.has_perm("scoring.view_consensus", entry.panel)


def test_consensus_is_forbidden_for_a_vlaio_reviewer():
    panel = panel_with_criteria()
    vlaio_reviewer = MembershipFactory(
        organisation__type=Organisation.Type.VLAIO, role=Membership.Role.REVIEWER
    ).user
    assert not vlaio_reviewer.has_perm("scoring.view_consensus", panel)
    assert not vlaio_reviewer.has_perm("scoring.manage_panel", panel)


@pytest.mark.parametrize("org_type", [t for t, _l in Organisation.Type.choices if t != "vlaio"])
def test_consensus_is_forbidden_outside_vlaio(org_type):
    panel = panel_with_criteria()
    reviewer = assignment_in_state(S.SUBMITTED, entry=EntryFactory(panel=panel)).reviewer
    assert not reviewer.has_perm("scoring.view_consensus", panel)
    member = MembershipFactory(organisation__type=org_type).user
    assert not member.has_perm("scoring.view_consensus", panel)
