"""Object permissions on funding (django-rules). Roles live in Membership rows and in the
scoring component's assignments; the status rules are in the services."""

import rules

from stemnet.funding import selectors
from stemnet.organisations import selectors as org_selectors


def _round_of(obj):
    from stemnet.funding.models import Application, Grant, Report, Round, Tranche

    if isinstance(obj, Round):
        return obj
    if isinstance(obj, Application):
        return obj.round
    if isinstance(obj, Grant):
        return obj.application.round
    if isinstance(obj, (Report, Tranche)):
        return obj.grant.application.round
    return None


def _application_of(obj):
    from stemnet.funding.models import Application, Grant, Report, Tranche

    if isinstance(obj, Application):
        return obj
    if isinstance(obj, Grant):
        return obj.application
    if isinstance(obj, (Report, Tranche)):
        return obj.grant.application
    return getattr(obj, "application", None)


@rules.predicate
def is_officer(user, obj=None) -> bool:
    if obj is None:  # the officers' area as a whole
        return getattr(user, "is_superuser", False) or selectors.is_vlaio_staff(user)
    return selectors.is_round_officer(user, _round_of(obj))


@rules.predicate
def is_applicant(user, obj) -> bool:
    return selectors.is_applicant(user, _application_of(obj))


@rules.predicate
def is_reviewer(user, application) -> bool:
    return selectors.is_assigned_reviewer(user, application)


@rules.predicate
def is_coordinator_of(user, organisation) -> bool:
    return org_selectors.is_coordinator(user, organisation)


rules.add_perm("funding.apply_for", is_coordinator_of)
rules.add_perm("funding.view_application", is_applicant | is_officer | is_reviewer)
rules.add_perm("funding.change_application", is_applicant)
rules.add_perm("funding.manage_round", is_officer)
rules.add_perm("funding.manage_application", is_officer)
rules.add_perm("funding.view_audit", is_officer)
rules.add_perm("funding.view_grant", is_applicant | is_officer)
rules.add_perm("funding.fill_report", is_applicant)
rules.add_perm("funding.officer_area", is_officer)
