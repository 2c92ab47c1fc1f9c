import pytest
from django.core.exceptions import ValidationError

from stemnet.accounts.tests.factories import UserFactory
from stemnet.organisations import selectors
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

MECHELEN, ANTWERPEN, LEUVEN = "12025", "11002", "24062"


@pytest.fixture
def landscape():
    """Academies in and around Mechelen (2800), and some that are elsewhere."""
    in_mechelen = OrganisationFactory(name="Academie Dijlestad")
    serving = OrganisationFactory(
        name="Academie Scheldeland", postcode="2000", municipality=municipality(ANTWERPEN)
    )
    serving.municipalities_served.add(municipality(MECHELEN), municipality(LEUVEN))
    elsewhere = OrganisationFactory(
        name="Academie Leuven", postcode="3000", municipality=municipality(LEUVEN)
    )
    partnership = OrganisationFactory(name="Partnerschap Rupel", type=Organisation.Type.PARTNERSHIP)
    inactive = OrganisationFactory(name="Academie Vroeger", is_active=False)
    return {
        "in_mechelen": in_mechelen,
        "serving": serving,
        "elsewhere": elsewhere,
        "partnership": partnership,
        "inactive": inactive,
    }


def test_academies_active_in_2800_by_address_or_served(landscape):
    found = list(selectors.organisation_search(postcode="2800", types=["academy"]))
    assert found == [landscape["in_mechelen"], landscape["serving"]]


def test_without_type_filter_the_partnership_in_mechelen_is_found_too(landscape):
    found = set(selectors.organisation_search(postcode="2800"))
    assert found == {landscape["in_mechelen"], landscape["serving"], landscape["partnership"]}


def test_municipality_by_nis_code(landscape):
    found = list(selectors.organisation_search(municipality_nis=LEUVEN))
    assert found == [landscape["elsewhere"], landscape["serving"]]


def test_type_filter_and_name_search(landscape):
    assert list(selectors.organisation_search(types=["partnership"])) == [landscape["partnership"]]
    assert list(selectors.organisation_search(q="dijle")) == [landscape["in_mechelen"]]
    assert list(selectors.organisation_search(q="ACADEMIE", municipality_nis=ANTWERPEN)) == [
        landscape["serving"]
    ]


def test_inactive_organisations_are_not_in_the_directory(landscape):
    assert landscape["inactive"] not in selectors.organisation_search(q="Vroeger")


def test_an_organisation_in_and_serving_the_same_place_is_listed_once(landscape):
    landscape["in_mechelen"].municipalities_served.add(municipality(MECHELEN))
    found = list(selectors.organisation_search(postcode="2800", types=["academy"]))
    assert found.count(landscape["in_mechelen"]) == 1
    assert selectors.organisation_search(postcode="2800", types=["academy"]).count() == 2


def test_served_count_is_annotated(landscape):
    found = {o.pk: o.served_count for o in selectors.organisation_search()}
    assert found[landscape["serving"].pk] == 2
    assert found[landscape["in_mechelen"].pk] == 0


@pytest.mark.parametrize("postcode", ["9999", "28a0", "0000"])
def test_unknown_postcode_raises_on_the_postcode_field(landscape, postcode):
    with pytest.raises(ValidationError) as exc:
        list(selectors.organisation_search(postcode=postcode))
    assert "postcode" in exc.value.message_dict
    assert "Onbekende postcode" in exc.value.message_dict["postcode"][0]


def test_organisation_get_prefetches_and_404s(landscape, django_assert_max_num_queries):
    from django.http import Http404

    with django_assert_max_num_queries(4):
        org = selectors.organisation_get(landscape["serving"].slug)
        assert [m.name_nl for m in org.municipalities_served.all()] == ["Leuven", "Mechelen"]
        assert list(org.partners.all()) == []
    with pytest.raises(Http404):
        selectors.organisation_get(landscape["inactive"].slug)
    assert selectors.organisation_get(landscape["inactive"].slug, include_inactive=True)


def test_organisations_for_user_and_roles():
    user = UserFactory()
    coordinated = MembershipFactory(user=user).organisation
    member_of = MembershipFactory(user=user, role=Membership.Role.MEMBER).organisation
    OrganisationFactory()
    assert set(selectors.organisations_for_user(user)) == {coordinated, member_of}
    assert list(selectors.organisations_for_user(user, role="coordinator")) == [coordinated]
    assert list(selectors.organisations_for_user(UserFactory())) == []
    assert selectors.is_coordinator(user, coordinated)
    assert not selectors.is_coordinator(user, member_of)
    assert selectors.is_member(user, member_of)


def test_members_of_lists_coordinators_first():
    org = OrganisationFactory()
    member = MembershipFactory(organisation=org, role=Membership.Role.MEMBER)
    coordinator = MembershipFactory(organisation=org)
    assert list(selectors.members_of(org)) == [coordinator, member]
