"""Object permissions on organisations (django-rules). Roles live in Membership rows."""

import rules

from stemnet.organisations import selectors


@rules.predicate
def is_coordinator(user, organisation) -> bool:
    return selectors.is_coordinator(user, organisation)


@rules.predicate
def is_member(user, organisation) -> bool:
    return selectors.is_member(user, organisation)


can_manage = is_coordinator | rules.is_superuser

rules.add_perm("organisations.change_organisation", can_manage)
rules.add_perm("organisations.manage_members", can_manage)
rules.add_perm("organisations.view_members", is_member | rules.is_superuser)
