"""Who may do what to an organisation: forbidden cases first."""

import pytest
from django.contrib.auth.models import AnonymousUser

from stemnet.accounts.tests.factories import UserFactory
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PERMS = [
    "organisations.change_organisation",
    "organisations.manage_members",
    "organisations.view_members",
]


@pytest.fixture
def org():
    return OrganisationFactory()


def _user(kind, org):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "outsider":
        return UserFactory()
    if kind == "coordinator_elsewhere":
        return MembershipFactory().user
    if kind == "member":
        return MembershipFactory(organisation=org, role=Membership.Role.MEMBER).user
    if kind == "reviewer":
        return MembershipFactory(organisation=org, role=Membership.Role.REVIEWER).user
    if kind == "coordinator":
        return MembershipFactory(organisation=org).user
    if kind == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    raise AssertionError(kind)


EXPECTED = {
    # kind: (change, manage members, view members)
    "anonymous": (False, False, False),
    "outsider": (False, False, False),
    "coordinator_elsewhere": (False, False, False),
    "member": (False, False, True),
    "reviewer": (False, False, True),
    "coordinator": (True, True, True),
    "superuser": (True, True, True),
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_permission_matrix(org, kind):
    user = _user(kind, org)
    assert tuple(user.has_perm(perm, org) for perm in PERMS) == EXPECTED[kind]
