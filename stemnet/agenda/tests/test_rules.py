import pytest
from django.contrib.auth.models import AnonymousUser

from stemnet.accounts.tests.factories import UserFactory
from stemnet.agenda.models import Activity
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory()


def person(kind, organisation):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "outsider":
        return UserFactory()
    if kind == "member":
        return MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user
    if kind == "reviewer":
        return MembershipFactory(organisation=organisation, role=Membership.Role.REVIEWER).user
    if kind == "other_coordinator":
        return MembershipFactory(organisation=OrganisationFactory()).user
    if kind == "coordinator":
        return MembershipFactory(organisation=organisation).user
    if kind == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    raise AssertionError(kind)


KINDS = [
    "anonymous",
    "outsider",
    "member",
    "reviewer",
    "other_coordinator",
    "coordinator",
    "superuser",
]
MAY = {"coordinator", "superuser"}


@pytest.mark.parametrize("kind", KINDS)
def test_manage_activity(organisation, kind):
    activity = ActivityFactory(organiser=organisation)
    user = person(kind, organisation)
    assert user.has_perm("agenda.manage_activity", activity) is (kind in MAY)
    assert user.has_perm("agenda.change_activity", activity) is (kind in MAY)


@pytest.mark.parametrize("kind", KINDS)
def test_add_activity_and_tokens(organisation, kind):
    user = person(kind, organisation)
    assert user.has_perm("agenda.add_activity", organisation) is (kind in MAY)
    assert user.has_perm("agenda.manage_api_tokens", organisation) is (kind in MAY)


@pytest.mark.parametrize("kind", KINDS)
def test_nobody_changes_an_uitdatabank_activity(organisation, kind):
    """Django gives active superusers every permission; the services still refuse them."""
    activity = ActivityFactory(organiser=organisation, source=Activity.Source.UIT)
    user = person(kind, organisation)
    assert user.has_perm("agenda.change_activity", activity) is (kind == "superuser")
    assert user.has_perm("agenda.manage_activity", activity) is (kind in MAY)


def test_no_object_no_permission(organisation):
    user = person("coordinator", organisation)
    assert user.has_perm("agenda.manage_activity", None) is False
    assert user.has_perm("agenda.add_activity", None) is False
