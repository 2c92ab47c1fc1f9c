"""Object permissions of the agenda (django-rules).

Coordinators of the organiser manage its activities (others get 403); coordinators of an
organisation add activities and API tokens for it. Superusers may do everything.
"""

import rules

from stemnet.organisations.models import Membership


def _coordinates(user, organisation) -> bool:
    if organisation is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    try:
        from stemnet.organisations.selectors import is_coordinator
    except ImportError:  # pragma: no cover - the selector is the shared way; fall back
        return Membership.objects.filter(
            user=user, organisation=organisation, role=Membership.Role.COORDINATOR
        ).exists()
    return is_coordinator(user, organisation)


@rules.predicate
def is_organiser_coordinator(user, activity) -> bool:
    """The user coordinates the organisation that organises the activity."""
    if activity is None:
        return False
    return _coordinates(user, activity.organiser)


@rules.predicate
def is_organisation_coordinator(user, organisation) -> bool:
    return _coordinates(user, organisation)


@rules.predicate
def is_read_only(user, activity) -> bool:
    return activity is not None and activity.read_only


rules.add_perm("agenda.manage_activity", is_organiser_coordinator | rules.is_superuser)
rules.add_perm(
    "agenda.change_activity",
    (is_organiser_coordinator | rules.is_superuser) & ~is_read_only,
)
rules.add_perm("agenda.add_activity", is_organisation_coordinator | rules.is_superuser)
rules.add_perm("agenda.manage_api_tokens", is_organisation_coordinator | rules.is_superuser)
