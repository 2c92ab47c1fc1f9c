"""Object permissions of the scoring component (django-rules); the object is an ``Entry``.

Officers are not modelled here: the app that owns a panel decides who oversees it and passes
``as_officer=True`` to the selectors. The consensus and assignment pages of this app itself are
for VLAIO officers (``scoring.view_consensus``, ``scoring.manage_panel``; object: the panel): a
VLAIO membership with a role other than reviewer.
"""

import rules

from stemnet.scoring import selectors
from stemnet.scoring.models import Assignment


def _state(user, entry) -> str | None:
    assignment = selectors.assignment_for(user, entry)
    return None if assignment is None else assignment.state


@rules.predicate
def is_assigned_reviewer(user, entry) -> bool:
    return _state(user, entry) is not None


@rules.predicate
def has_declared_no_conflict(user, entry) -> bool:
    return _state(user, entry) in selectors.SEEING_STATES


@rules.predicate
def has_declared_conflict(user, entry) -> bool:
    return _state(user, entry) == Assignment.State.RECUSED


@rules.predicate
def has_submitted(user, entry) -> bool:
    return _state(user, entry) == Assignment.State.SUBMITTED


@rules.predicate
def is_undeclared(user, entry) -> bool:
    return _state(user, entry) == Assignment.State.ASSIGNED


@rules.predicate
def panel_is_open(user, entry) -> bool:
    return entry is not None and not entry.panel.is_closed


@rules.predicate
def is_vlaio_officer(user) -> bool:
    return selectors.is_vlaio_officer(user)


can_view_entry = is_assigned_reviewer & has_declared_no_conflict & ~has_declared_conflict

rules.add_perm("scoring.view_entry", can_view_entry)
rules.add_perm("scoring.declare_entry", is_assigned_reviewer & is_undeclared & panel_is_open)
rules.add_perm("scoring.score_entry", can_view_entry & ~has_submitted & panel_is_open)
rules.add_perm("scoring.view_scores", can_view_entry & has_submitted)
rules.add_perm("scoring.view_consensus", is_vlaio_officer)
rules.add_perm("scoring.manage_panel", is_vlaio_officer)
