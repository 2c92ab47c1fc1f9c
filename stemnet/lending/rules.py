"""Object permissions of the lending service (django-rules). Roles live in Membership rows:
a hub's staff are the members of the hub's organisation; a borrower's people are the
members of the borrowing organisation."""

import rules

from stemnet.lending import selectors


@rules.predicate
def is_hub_staff(user, hub) -> bool:
    return selectors.is_hub_staff(user, hub)


@rules.predicate
def is_loan_staff(user, loan) -> bool:
    return selectors.is_hub_staff(user, loan.item.hub)


@rules.predicate
def is_loan_borrower(user, loan) -> bool:
    return selectors.borrower_organisations(user).filter(pk=loan.borrower_id).exists()


@rules.predicate
def is_org_member(user, organisation) -> bool:
    return selectors.borrower_organisations(user).filter(pk=organisation.pk).exists()


rules.add_perm("lending.manage_hub", is_hub_staff)
rules.add_perm("lending.manage_loan", is_loan_staff)
rules.add_perm("lending.view_loan", is_loan_staff | is_loan_borrower)
rules.add_perm("lending.change_loan", is_loan_borrower)
rules.add_perm("lending.view_loans_of", is_org_member | rules.is_superuser)
