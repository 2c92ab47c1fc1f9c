import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from stemnet.accounts.tests.factories import UserFactory, activate_totp
from stemnet.organisations.models import Invitation, Membership, Organisation
from stemnet.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipMemberFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

LIST_URL = "/organisaties/"


@pytest.fixture
def org():
    return OrganisationFactory(name="STEM-academie Dijle", description="Robots en code.")


@pytest.fixture
def coordinator(org):
    return MembershipFactory(organisation=org).user


def _edit_data(org, **changes):
    data = {
        "name": org.name,
        "description": org.description,
        "street": org.street,
        "postcode": org.postcode,
        "website": "",
        "email": org.email,
        "phone": "",
        "contact_name": "",
        "logo_alt": "",
    }
    data.update(changes)
    return data


def _png(size=(10, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "blue").save(buffer, "PNG")
    return buffer.getvalue()


# --- Directory --------------------------------------------------------------------------


def test_directory_finds_academies_active_in_2800(client):
    here = OrganisationFactory(name="Academie Mechelen")
    serving = OrganisationFactory(
        name="Academie Antwerpen", postcode="2000", municipality=municipality("11002")
    )
    serving.municipalities_served.add(municipality("12025"))
    elsewhere = OrganisationFactory(
        name="Academie Leuven", postcode="3000", municipality=municipality("24062")
    )
    school = OrganisationFactory(name="School Mechelen", type=Organisation.Type.SCHOOL)
    response = client.get(LIST_URL, {"postcode": "2800", "type": "academy"})
    assert response.status_code == 200
    names = [o.name for o in response.context["page"].object_list]
    assert names == ["Academie Antwerpen", "Academie Mechelen"]
    content = response.content.decode()
    assert here.get_absolute_url() in content and serving.get_absolute_url() in content
    assert elsewhere.name not in content and school.name not in content
    assert "2 organisaties gevonden" in content
    assert 'value="2800"' in content


def test_directory_type_filter_with_several_types(client):
    OrganisationFactory(name="A1")
    OrganisationFactory(name="S1", type=Organisation.Type.SCHOOL)
    OrganisationFactory(name="C1", type=Organisation.Type.COMPANY)
    response = client.get(LIST_URL + "?type=school&type=company")
    assert [o.name for o in response.context["page"].object_list] == ["C1", "S1"]


def test_directory_municipality_select_uses_nis_codes(client):
    OrganisationFactory(name="In Leuven", postcode="3000", municipality=municipality("24062"))
    OrganisationFactory(name="In Mechelen")
    response = client.get(LIST_URL, {"municipality": "24062"})
    assert [o.name for o in response.context["page"].object_list] == ["In Leuven"]
    assert '<option value="24062" selected>Leuven</option>' in response.content.decode()


def test_unknown_postcode_gets_a_clear_message_and_keeps_the_input(client):
    OrganisationFactory()
    response = client.get(LIST_URL, {"postcode": "9999", "q": "robot", "type": "academy"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Onbekende postcode “9999”" in content
    assert 'value="9999"' in content and 'value="robot"' in content
    assert 'value="academy" id="id_type_0" checked' in content
    assert response.context["page"] is None


def test_unknown_postcode_in_english(client):
    response = client.get("/en/organisaties/", {"postcode": "9999"})
    assert "Unknown postcode “9999”" in response.content.decode()


def test_empty_result_suggests_widening_the_search(client):
    OrganisationFactory(name="Iets")
    response = client.get(LIST_URL, {"q": "bestaat-niet"})
    content = response.content.decode()
    assert "Geen enkele organisatie past bij je zoekopdracht." in content
    assert "0 organisaties gevonden" in content


def test_directory_paginates_by_20_with_bounded_queries(client, django_assert_max_num_queries):
    for n in range(25):
        org = OrganisationFactory(name=f"Academie {n:02d}")
        org.municipalities_served.add(municipality("24062"), municipality("11002"))
    with django_assert_max_num_queries(6):
        response = client.get(LIST_URL)
    assert len(response.context["page"].object_list) == 20
    assert "page=2" in response.content.decode()
    response = client.get(LIST_URL, {"page": 2})
    assert len(response.context["page"].object_list) == 5
    assert "Ook actief in 2 andere gemeenten" in response.content.decode()


def test_htmx_request_gets_only_the_results_partial(client):
    OrganisationFactory(name="Academie Partieel")
    response = client.get(LIST_URL, {"q": "partieel"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "<html" not in content
    assert "Academie Partieel" in content


def test_full_page_has_htmx_enhancement_and_plain_get_form(client):
    content = client.get(LIST_URL).content.decode()
    assert 'method="get"' in content and 'hx-push-url="true"' in content
    assert 'hx-target="#results"' in content


# --- Organisation page ------------------------------------------------------------------


def test_organisation_page_shows_details_and_no_edit_link_for_visitors(client, org):
    org.is_demo = True
    org.website = "https://dijle.example.org"
    org.save()
    org.municipalities_served.add(municipality("24062"))
    response = client.get(org.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "STEM-academie Dijle" in content and "Robots en code." in content
    assert "Leuven" in content and "https://dijle.example.org" in content
    assert 'class="tag tag-demo"' in content
    assert reverse("organisations:organisation_edit", args=[org.slug]) not in content


def test_organisation_page_renders_the_sections_other_apps_register(client, org):
    """Apps to the right (the agenda) add to the page through ``sections`` without
    organisations importing them; a section with nothing to say adds nothing."""
    from stemnet.organisations import sections

    def section(request, organisation):
        return "<section id='extra'>Extra</section>" if organisation == org else ""

    sections.register(section)
    try:
        assert (
            "<section id='extra'>Extra</section>"
            in client.get(org.get_absolute_url()).content.decode()
        )
        other = OrganisationFactory()
        assert "id='extra'" not in client.get(other.get_absolute_url()).content.decode()
    finally:
        sections.unregister(section)
    assert "id='extra'" not in client.get(org.get_absolute_url()).content.decode()


def test_edit_link_only_for_coordinators(client, org, coordinator):
    edit_url = reverse("organisations:organisation_edit", args=[org.slug])
    client.force_login(MembershipFactory(organisation=org, role="member").user)
    assert edit_url not in client.get(org.get_absolute_url()).content.decode()
    client.force_login(coordinator)
    assert edit_url in client.get(org.get_absolute_url()).content.decode()


def test_partnership_page_lists_partners_and_member_page_lists_partnerships(client):
    link = PartnershipMemberFactory(
        partnership__name="Partnerschap Noord", member__name="Academie Zuid", role="lead"
    )
    content = client.get(link.partnership.get_absolute_url()).content.decode()
    assert "Academie Zuid" in content and "leidende instelling" in content
    content = client.get(link.member.get_absolute_url()).content.decode()
    assert "Partnerschap Noord" in content


def test_unknown_or_inactive_organisation_is_404(client):
    assert client.get("/organisaties/bestaat-niet/").status_code == 404
    gone = OrganisationFactory(is_active=False)
    assert client.get(gone.get_absolute_url()).status_code == 404


# --- Edit -------------------------------------------------------------------------------


def test_anonymous_edit_redirects_to_login(client, org):
    url = reverse("organisations:organisation_edit", args=[org.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("kind", ["outsider", "member", "coordinator_elsewhere"])
def test_non_coordinator_edit_is_403(client, org, kind):
    if kind == "outsider":
        user = UserFactory()
    elif kind == "member":
        user = MembershipFactory(organisation=org, role="member").user
    else:
        user = MembershipFactory().user
    client.force_login(user)
    url = reverse("organisations:organisation_edit", args=[org.slug])
    assert client.get(url).status_code == 403
    response = client.post(url, _edit_data(org, name="Gekaapt"))
    assert response.status_code == 403
    assert "Alleen de coördinatoren" in response.content.decode()
    org.refresh_from_db()
    assert org.name == "STEM-academie Dijle"


def test_coordinator_edits_the_organisation(client, org, coordinator):
    client.force_login(coordinator)
    url = reverse("organisations:organisation_edit", args=[org.slug])
    assert client.get(url).status_code == 200
    mechelen, leuven = municipality("12025"), municipality("24062")
    data = _edit_data(
        org,
        name="STEM-academie Dijle en Demer",
        postcode="3000",
        website="https://dijledemer.example.org",
        municipalities_served=[mechelen.pk, leuven.pk],
        logo=SimpleUploadedFile("logo.png", _png(), content_type="image/png"),
        logo_alt="Een blauw vierkant",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "STEM-academie Dijle en Demer"
    assert org.municipality.nis_code == "24062"
    assert set(org.municipalities_served.values_list("nis_code", flat=True)) == {"12025", "24062"}
    assert org.logo
    page = client.get(org.get_absolute_url()).content.decode()
    assert 'alt="Een blauw vierkant"' in page


def test_duplicate_name_in_same_municipality_is_a_form_error_and_keeps_input(
    client, org, coordinator
):
    OrganisationFactory(name="Techniekclub")
    client.force_login(coordinator)
    url = reverse("organisations:organisation_edit", args=[org.slug])
    response = client.post(
        url,
        _edit_data(org, name="techniekclub", description="Mijn nieuwe tekst", phone="015 12 34 56"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Er bestaat al een organisatie “techniekclub” in Mechelen" in content
    assert "Mijn nieuwe tekst" in content and 'value="015 12 34 56"' in content
    assert 'value="techniekclub"' in content
    org.refresh_from_db()
    assert org.name == "STEM-academie Dijle"


def test_unknown_postcode_and_bad_email_in_the_edit_form(client, org, coordinator):
    client.force_login(coordinator)
    url = reverse("organisations:organisation_edit", args=[org.slug])
    response = client.post(url, _edit_data(org, postcode="9999", email="geen-adres"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Onbekende postcode" in content
    assert 'value="9999"' in content and 'value="geen-adres"' in content


def test_logo_larger_than_2mb_is_refused(client, org, coordinator):
    client.force_login(coordinator)
    url = reverse("organisations:organisation_edit", args=[org.slug])
    big = _png((10, 10)) + b"\0" * (2 * 1024 * 1024)
    response = client.post(
        url, _edit_data(org, logo=SimpleUploadedFile("big.png", big, content_type="image/png"))
    )
    assert response.status_code == 200
    assert "maximaal 2 MB" in response.content.decode()
    org.refresh_from_db()
    assert not org.logo


def test_csrf_less_post_gets_the_friendly_403(org, coordinator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    url = reverse("organisations:organisation_edit", args=[org.slug])
    response = client.post(url, _edit_data(org, name="Zonder token"))
    assert response.status_code == 403
    assert "core/error.html" in [t.name for t in response.templates]
    org.refresh_from_db()
    assert org.name == "STEM-academie Dijle"


# --- Members and invitations ------------------------------------------------------------


def test_members_page_is_for_coordinators_only(client, org, coordinator):
    url = reverse("organisations:membership_list", args=[org.slug])
    assert client.get(url).status_code == 302
    client.force_login(MembershipFactory(organisation=org, role="member").user)
    assert client.get(url).status_code == 403
    invite = reverse("organisations:invitation_create", args=[org.slug])
    assert client.post(invite, {"email": "x@example.org", "role": "member"}).status_code == 403
    assert not Invitation.objects.exists()
    client.force_login(coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert coordinator.email in response.content.decode()


def test_invite_by_email_then_accept(client, org, coordinator, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    invite = reverse("organisations:invitation_create", args=[org.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite, {"email": "nieuw@example.org", "role": "member"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    invitation = Invitation.objects.get()
    accept_url = reverse("organisations:invitation_accept", args=[invitation.token])
    assert accept_url in mail.outbox[0].body
    assert "nieuw@example.org" in client.get(response["Location"]).content.decode()

    newcomer = UserFactory(email="nieuw@example.org")
    client.force_login(newcomer)
    page = client.get(accept_url)
    assert page.status_code == 200 and org.name in page.content.decode()
    response = client.post(accept_url)
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert Membership.objects.get(user=newcomer, organisation=org).role == "member"
    again = client.post(accept_url)
    assert again.status_code == 410
    assert "al gebruikt" in again.content.decode()


def test_accepting_requires_login(client, org):
    invitation = Invitation.objects.create(
        organisation=org,
        email="a@example.org",
        token="tok-1",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    url = reverse("organisations:invitation_accept", args=[invitation.token])
    response = client.get(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_expired_invitation_page_explains(client, org):
    Invitation.objects.create(
        organisation=org,
        email="a@example.org",
        token="old-token",
        expires_at=timezone.now() - dt.timedelta(days=1),
    )
    client.force_login(UserFactory())
    url = reverse("organisations:invitation_accept", args=["old-token"])
    assert client.get(url).status_code == 410
    response = client.post(url)
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert not Membership.objects.filter(organisation=org).exists()
    assert client.get(reverse("organisations:invitation_accept", args=["nope"])).status_code == 404


def test_malformed_invitation_email_keeps_input(client, org, coordinator):
    client.force_login(coordinator)
    invite = reverse("organisations:invitation_create", args=[org.slug])
    response = client.post(invite, {"email": "jan@", "role": "coordinator"})
    assert response.status_code == 422
    content = response.content.decode()
    assert "Vul een geldig e-mailadres in" in content
    assert 'value="jan@"' in content
    assert '<option value="coordinator" selected>' in content


def test_last_coordinator_cannot_be_removed_via_the_page(client, org, coordinator):
    client.force_login(coordinator)
    membership = Membership.objects.get(user=coordinator)
    url = reverse("organisations:membership_remove", args=[org.slug, membership.pk])
    response = client.post(url, follow=True)
    assert "laatste coördinator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_change_role_and_remove_a_member(client, org, coordinator):
    member = MembershipFactory(organisation=org, role="member")
    client.force_login(coordinator)
    url = reverse("organisations:membership_change_role", args=[org.slug, member.pk])
    client.post(url, {f"m{member.pk}-role": "coordinator"})
    member.refresh_from_db()
    assert member.role == "coordinator"
    client.post(reverse("organisations:membership_remove", args=[org.slug, member.pk]))
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_revoke_invitation(client, org, coordinator):
    client.force_login(coordinator)
    invitation = Invitation.objects.create(
        organisation=org,
        email="a@example.org",
        token="t-r",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    client.post(reverse("organisations:invitation_revoke", args=[org.slug, invitation.pk]))
    assert not Invitation.objects.exists()


def test_partnership_coordinator_manages_partners(client):
    partnership = OrganisationFactory(name="Partnerschap P", type=Organisation.Type.PARTNERSHIP)
    academy = OrganisationFactory(name="Academie A")
    client.force_login(MembershipFactory(organisation=partnership).user)
    url = reverse("organisations:partnershipmember_list", args=[partnership.slug])
    response = client.post(url, {"member": academy.pk, "role": "academy"})
    assert response.status_code == 302
    assert list(partnership.partners.values_list("member__name", flat=True)) == ["Academie A"]
    client.force_login(MembershipFactory(organisation=academy).user)
    assert client.get(url).status_code == 403


# --- Admin ------------------------------------------------------------------------------


def test_admin_pages_load_for_a_superuser(client):
    link = PartnershipMemberFactory()
    MembershipFactory(organisation=link.partnership)
    Invitation.objects.create(
        organisation=link.partnership,
        email="a@example.org",
        token="t-admin",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    admin = UserFactory(is_superuser=True, is_staff=True)
    activate_totp(admin)  # superusers must use two-factor authentication
    client.force_login(admin)
    for name in ["organisation", "membership", "partnershipmember", "invitation"]:
        assert client.get(f"/admin/organisations/{name}/").status_code == 200, name
    changelist = client.get(
        "/admin/organisations/organisation/", {"municipality__province__nis_code__exact": "10000"}
    )
    assert changelist.status_code == 200
    change = client.get(f"/admin/organisations/organisation/{link.partnership.pk}/change/")
    assert change.status_code == 200
    assert link.member.name in change.content.decode()


def test_a_coordinator_cannot_hand_out_the_reviewer_role(client, org, coordinator):
    member = MembershipFactory(organisation=org, role="member")
    client.force_login(coordinator)
    url = reverse("organisations:membership_change_role", args=[org.slug, member.pk])
    response = client.post(url, {f"m{member.pk}-role": "reviewer"}, follow=True)
    assert "Kies een geldige rol." in response.content.decode()
    member.refresh_from_db()
    assert member.role == "member"


def test_organisation_page_query_count_does_not_grow_with_partners(
    client, django_assert_max_num_queries
):
    partnership = OrganisationFactory(name="Partnerschap Q", type=Organisation.Type.PARTNERSHIP)
    for n in range(8):
        PartnershipMemberFactory(partnership=partnership, member__name=f"Lid {n}")
    partnership.municipalities_served.add(municipality("24062"), municipality("11002"))
    with django_assert_max_num_queries(5):
        response = client.get(partnership.get_absolute_url())
    assert response.content.decode().count("Lid ") == 8


def test_an_invitation_is_for_the_invited_address_only(client, org):
    """A forwarded or leaked link does not make someone else a member."""
    invitation = Invitation.objects.create(
        organisation=org,
        email="an@example.org",
        token="tok-bound",
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    url = reverse("organisations:invitation_accept", args=[invitation.token])
    stranger = UserFactory(email="jan@example.org")
    client.force_login(stranger)
    page = client.get(url)
    assert page.status_code == 403
    assert "an@example.org" in page.content.decode()
    assert "jan@example.org" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 403
    assert not Membership.objects.filter(user=stranger, organisation=org).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    client.force_login(UserFactory(email="An@Example.org"))
    assert client.post(url).status_code == 302  # the invited address, in any case
