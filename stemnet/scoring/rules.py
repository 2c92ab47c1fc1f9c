"""Object permissions of the scoring component (django-rules); the object is an ``Entry``.

Officers are not modelled here: the app that owns a panel decides who oversees it
(``selectors.register_panel_overseer``) and passes ``as_officer=True`` to the selectors. The
consensus and assignment pages of this app itself (``scoring.view_consensus``,
``scoring.manage_panel``; object: the panel) are for VLAIO officers (a VLAIO membership with a
role other than reviewer) whom that app accepts: for a round's panel, that round's officers.
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
def oversees_panel(user, panel) -> bool:
    return selectors.oversees_panel(user, panel)


can_view_entry = is_assigned_reviewer & has_declared_no_conflict & ~has_declared_conflict

rules.add_perm("scoring.view_entry", can_view_entry)
rules.add_perm("scoring.declare_entry", is_assigned_reviewer & is_undeclared & panel_is_open)
rules.add_perm("scoring.score_entry", can_view_entry & ~has_submitted & panel_is_open)
rules.add_perm("scoring.view_scores", can_view_entry & has_submitted)
rules.add_perm("scoring.view_consensus", oversees_panel)
rules.add_perm("scoring.manage_panel", oversees_panel)
