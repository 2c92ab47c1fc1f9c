import pytest

from stemnet.accounts import personal_data, selectors
from stemnet.accounts.tests.factories import UserFactory, activate_totp
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("org_type", "role", "expected"),
    [
        (Organisation.Type.ACADEMY, Membership.Role.COORDINATOR, False),
        (Organisation.Type.ACADEMY, Membership.Role.MEMBER, False),
        (Organisation.Type.PARTNERSHIP, Membership.Role.COORDINATOR, False),
        (Organisation.Type.SCHOOL, Membership.Role.MEMBER, False),
        (Organisation.Type.ACADEMY, Membership.Role.REVIEWER, True),
        (Organisation.Type.COMPANY, Membership.Role.REVIEWER, True),
        (Organisation.Type.VLAIO, Membership.Role.MEMBER, True),
        (Organisation.Type.VLAIO, Membership.Role.COORDINATOR, True),
        (Organisation.Type.VLAIO, Membership.Role.REVIEWER, True),
    ],
)
def test_user_requires_mfa_by_organisation_type_and_role(org_type, role, expected):
    membership = MembershipFactory(organisation=OrganisationFactory(type=org_type), role=role)
    assert selectors.user_requires_mfa(membership.user) is expected


def test_user_without_memberships_does_not_require_mfa():
    assert selectors.user_requires_mfa(UserFactory()) is False


def test_superuser_requires_mfa():
    assert selectors.user_requires_mfa(UserFactory(is_superuser=True, is_staff=True)) is True


def test_anonymous_does_not_require_mfa():
    from django.contrib.auth.models import AnonymousUser

    assert selectors.user_requires_mfa(AnonymousUser()) is False


def test_another_persons_vlaio_membership_does_not_count():
    MembershipFactory(organisation=OrganisationFactory(type=Organisation.Type.VLAIO))
    assert selectors.user_requires_mfa(UserFactory()) is False


def test_user_has_totp():
    user = UserFactory()
    assert selectors.user_has_totp(user) is False
    activate_totp(user)
    assert selectors.user_has_totp(user) is True


def test_sole_coordinator_of_lists_only_organisations_without_another_coordinator():
    user = UserFactory()
    alone = MembershipFactory(user=user, role=Membership.Role.COORDINATOR).organisation
    MembershipFactory(organisation=alone, role=Membership.Role.MEMBER)
    shared = MembershipFactory(user=user, role=Membership.Role.COORDINATOR).organisation
    MembershipFactory(organisation=shared, role=Membership.Role.COORDINATOR)
    MembershipFactory(user=user, role=Membership.Role.MEMBER)  # not a coordinator there

    assert selectors.user_sole_coordinator_of(user) == [alone]


def test_personal_data_collects_every_registered_kind():
    user = UserFactory()
    data = personal_data.collect(user)
    assert {
        "account",
        "memberships",
        "email_addresses",
        "mfa_authenticators",
        "audit_trail",
        "jobs",
    } <= set(data)
    assert data["account"]["email"] == user.email


def test_personal_data_register_adds_and_replaces():
    user = UserFactory()
    try:
        personal_data.register("zz_test", lambda u: 1)
        personal_data.register("zz_test", lambda u: [u.email])
        assert personal_data.collect(user)["zz_test"] == [user.email]
    finally:
        personal_data.unregister("zz_test")
    assert "zz_test" not in personal_data.collect(user)


def test_personal_data_authenticators_keep_no_secret():
    user = UserFactory()
    activate_totp(user)
    (entry,) = selectors.personal_data_authenticators(user)
    assert entry["type"] == "totp"
    assert "data" not in entry
    assert "JBSWY3DPEHPK3PXP" not in str(entry)
