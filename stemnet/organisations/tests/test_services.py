import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from stemnet.accounts.tests.factories import UserFactory
from stemnet.core.models import AuditEntry
from stemnet.organisations import services
from stemnet.organisations.models import Invitation, Membership, Organisation, PartnershipMember
from stemnet.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipMemberFactory,
    municipality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return UserFactory(is_superuser=True, is_staff=True)


def test_create_resolves_the_municipality_from_the_postcode_and_audits(admin_user):
    org = services.organisation_create(
        actor=admin_user,
        name="  STEM-academie Walem ",
        type=Organisation.Type.ACADEMY,
        postcode="2800",
        municipalities_served=[municipality("24062")],
    )
    assert org.name == "STEM-academie Walem"
    assert org.municipality.nis_code == "12025"
    assert org.slug == "stem-academie-walem"
    assert [m.nis_code for m in org.municipalities_served.all()] == ["24062"]
    entry = AuditEntry.objects.get(code="organisations.organisation.created")
    assert entry.actor == admin_user and entry.object_id == str(org.pk)
    assert entry.data["municipality"] == "12025"


def test_a_namesake_elsewhere_gets_its_own_slug(admin_user):
    first = services.organisation_create(
        actor=admin_user, name="Kodeklas", type="academy", postcode="2800"
    )
    second = services.organisation_create(
        actor=admin_user, name="Kodeklas", type="academy", postcode="3000"
    )
    third = services.organisation_create(
        actor=admin_user, name="kodeklas", type="school", postcode="2000"
    )
    assert first.slug == "kodeklas"
    assert second.slug == "kodeklas-leuven"
    assert third.slug == "kodeklas-antwerpen"


@pytest.mark.parametrize(
    ("language", "text"), [("nl", "Onbekende postcode “9999”"), ("en", "Unknown postcode “9999”")]
)
def test_unknown_postcode_is_refused_in_the_users_language(admin_user, language, text):
    with translation.override(language), pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=admin_user, name="X", type="academy", postcode="9999")
    assert text in exc.value.message_dict["postcode"][0]
    assert not Organisation.objects.filter(name="X").exists()


def test_duplicate_name_in_the_same_municipality_is_a_clear_error(admin_user):
    OrganisationFactory(name="Techniekclub Mechelen")
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            actor=admin_user, name="techniekclub mechelen", type="academy", postcode="2800"
        )
    assert (
        "Er bestaat al een organisatie “techniekclub mechelen” in Mechelen"
        in exc.value.message_dict["name"][0]
    )


def test_update_changes_fields_postcode_and_served_and_audits():
    org = OrganisationFactory(name="Oud", postcode="2800")
    coordinator = MembershipFactory(organisation=org).user
    services.organisation_update(
        organisation=org,
        actor=coordinator,
        data={
            "name": "Nieuw",
            "postcode": "3000",
            "website": "https://nieuw.example.org",
            "municipalities_served": [municipality("12025")],
        },
    )
    org.refresh_from_db()
    assert (org.name, org.municipality.nis_code) == ("Nieuw", "24062")
    assert list(org.municipalities_served.values_list("nis_code", flat=True)) == ["12025"]
    entry = AuditEntry.objects.get(code="organisations.organisation.updated")
    assert set(entry.data["fields"]) == {"name", "postcode", "website", "municipalities_served"}


def test_update_to_a_namesakes_name_is_refused_and_nothing_is_saved():
    OrganisationFactory(name="Bezet")
    org = OrganisationFactory(name="Vrij")
    with pytest.raises(ValidationError) as exc:
        services.organisation_update(organisation=org, actor=None, data={"name": "BEZET"})
    assert "name" in exc.value.message_dict
    org.refresh_from_db()
    assert org.name == "Vrij"


def test_shared_postcode_keeps_the_chosen_municipality():
    org = OrganisationFactory(postcode="1040", municipality=municipality("21005"))
    services.organisation_update(organisation=org, actor=None, data={"street": "Elders 2"})
    assert org.municipality.nis_code == "21005"


# --- Invitations and memberships -------------------------------------------------------


def test_invitation_is_mailed_and_accepting_creates_the_membership(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://stemnet.example.org"
    org = OrganisationFactory(name="Academie Zenne")
    coordinator = MembershipFactory(organisation=org).user
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            organisation=org, email=" New.Person@Example.org ", role="member", actor=coordinator
        )
    assert invitation.email == "new.person@example.org"
    assert len(invitation.token) >= 40
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=13, hours=23)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert "Academie Zenne" in message.subject
    assert (
        f"https://stemnet.example.org/organisaties/uitnodiging/{invitation.token}/" in message.body
    )
    assert "Uitnodiging" in message.subject  # the inviter's language (Dutch)

    newcomer = UserFactory(email="new.person@example.org")
    membership = services.invitation_accept(token=invitation.token, user=newcomer)
    assert (membership.organisation, membership.role) == (org, Membership.Role.MEMBER)
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer and invitation.accepted_at is not None
    codes = set(AuditEntry.objects.values_list("code", flat=True))
    assert {"organisations.invitation.created", "organisations.invitation.accepted"} <= codes

    with pytest.raises(ValidationError, match="al gebruikt"):
        services.invitation_accept(token=invitation.token, user=UserFactory())


def test_invitation_mail_uses_the_recipients_language(django_capture_on_commit_callbacks):
    org = OrganisationFactory(name="Academie Kempen")
    coordinator = MembershipFactory(organisation=org).user
    UserFactory(email="english@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            organisation=org, email="english@example.org", role="member", actor=coordinator
        )
    assert mail.outbox[0].subject.startswith("Invitation to join")


def test_expired_invitation_is_refused():
    org = OrganisationFactory()
    invitation = Invitation.objects.create(
        organisation=org,
        email="late@example.org",
        token="expired-token",
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    with pytest.raises(ValidationError, match="verlopen"):
        services.invitation_accept(token=invitation.token, user=UserFactory())
    assert not Membership.objects.filter(organisation=org).exists()


def test_unknown_token_is_refused():
    with pytest.raises(ValidationError, match="bestaat niet"):
        services.invitation_accept(token="nope", user=UserFactory())


@pytest.mark.parametrize("email", ["not-an-address", "a@b", ""])
def test_malformed_email_is_refused(email):
    org = OrganisationFactory()
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(organisation=org, email=email, role="member", actor=None)
    assert "email" in exc.value.message_dict
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_is_refused_and_a_new_invitation_replaces_an_open_one():
    org = OrganisationFactory()
    member = MembershipFactory(organisation=org, role="member").user
    with pytest.raises(ValidationError):
        services.invitation_create(organisation=org, email=member.email, role="member", actor=None)
    first = services.invitation_create(
        organisation=org, email="x@example.org", role="member", actor=None
    )
    second = services.invitation_create(
        organisation=org, email="x@example.org", role="coordinator", actor=None
    )
    assert list(Invitation.objects.all()) == [second]
    assert first.token != second.token


def test_accepting_as_existing_member_upgrades_to_coordinator_but_never_downgrades():
    org = OrganisationFactory()
    membership = MembershipFactory(organisation=org, role="member")
    up = services.invitation_create(
        organisation=org, email="other@example.org", role="coordinator", actor=None
    )
    from allauth.account.models import EmailAddress

    # The invitation went to the member's second (verified) address.
    EmailAddress.objects.create(user=membership.user, email="other@example.org", verified=True)
    services.invitation_accept(token=up.token, user=membership.user)
    membership.refresh_from_db()
    assert membership.role == "coordinator"


def test_the_last_coordinator_cannot_be_removed_or_demoted():
    org = OrganisationFactory()
    only = MembershipFactory(organisation=org)
    member = MembershipFactory(organisation=org, role="member")
    with pytest.raises(ValidationError, match="laatste coördinator"):
        services.membership_remove(membership=only, actor=only.user)
    with pytest.raises(ValidationError, match="laatste coördinator"):
        services.membership_change_role(membership=only, role="member", actor=only.user)
    assert Membership.objects.filter(pk=only.pk, role="coordinator").exists()

    services.membership_change_role(membership=member, role="coordinator", actor=only.user)
    services.membership_remove(membership=only, actor=member.user)
    assert list(Membership.objects.filter(organisation=org)) == [member]
    codes = list(AuditEntry.objects.values_list("code", flat=True))
    assert "organisations.membership.role_changed" in codes
    assert "organisations.membership.removed" in codes


def test_invalid_role_is_refused():
    membership = MembershipFactory(role="member")
    with pytest.raises(ValidationError):
        services.membership_change_role(membership=membership, role="king", actor=None)


def test_invitation_revoke():
    org = OrganisationFactory()
    invitation = services.invitation_create(
        organisation=org, email="r@example.org", role="member", actor=None
    )
    services.invitation_revoke(invitation=invitation, actor=None)
    assert not Invitation.objects.exists()
    assert AuditEntry.objects.filter(code="organisations.invitation.revoked").exists()


# --- Partnerships ----------------------------------------------------------------------


def test_partnership_members_add_and_remove():
    partnership = OrganisationFactory(type=Organisation.Type.PARTNERSHIP)
    academy = OrganisationFactory()
    link = services.partnership_member_add(
        partnership=partnership, member=academy, role="academy", actor=None
    )
    assert list(partnership.partners.all()) == [link]
    with pytest.raises(ValidationError, match="al een partner"):
        services.partnership_member_add(
            partnership=partnership, member=academy, role="lead", actor=None
        )
    with pytest.raises(ValidationError):
        services.partnership_member_add(
            partnership=partnership, member=partnership, role="lead", actor=None
        )
    with pytest.raises(ValidationError):
        services.partnership_member_add(
            partnership=academy, member=partnership, role="lead", actor=None
        )
    services.partnership_member_remove(partnership_member=link, actor=None)
    assert not PartnershipMember.objects.exists()


def test_partnership_member_factory_still_works():
    link = PartnershipMemberFactory()
    assert link.partnership.type == Organisation.Type.PARTNERSHIP


def test_clearing_the_postcode_clears_the_address_municipality():
    org = OrganisationFactory(postcode="2800")
    services.organisation_update(organisation=org, actor=None, data={"postcode": ""})
    org.refresh_from_db()
    assert org.municipality is None
