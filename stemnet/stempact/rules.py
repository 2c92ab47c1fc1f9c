"""Object permissions on STEMpact (django-rules). A school sees its own trajectory and scores;
its sponsor company sees the trajectory and the action plan, not the scores; staff see all."""

import rules

from stemnet.stempact import selectors


@rules.predicate
def is_staff(user, obj=None) -> bool:
    return selectors.is_staff(user)


@rules.predicate
def is_school(user, trajectory) -> bool:
    return selectors.is_school_member(user, trajectory)


@rules.predicate
def is_sponsor(user, trajectory) -> bool:
    return selectors.is_sponsor_member(user, trajectory)


rules.add_perm("stempact.staff_area", is_staff)
rules.add_perm("stempact.view_trajectory", is_school | is_sponsor | is_staff)
rules.add_perm("stempact.view_results", is_school | is_staff)
rules.add_perm("stempact.invite_respondents", is_school | is_staff)
rules.add_perm("stempact.edit_plan", is_school | is_sponsor | is_staff)
rules.add_perm("stempact.enter_award", is_school)
