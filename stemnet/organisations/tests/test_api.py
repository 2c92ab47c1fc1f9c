import pytest

from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import (
    OrganisationFactory,
    PartnershipMemberFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisations"


@pytest.fixture
def landscape():
    here = OrganisationFactory(name="Academie Mechelen")
    serving = OrganisationFactory(
        name="Academie Antwerpen", postcode="2000", municipality=municipality("11002")
    )
    serving.municipalities_served.add(municipality("12025"))
    OrganisationFactory(name="Academie Leuven", postcode="3000", municipality=municipality("24062"))
    OrganisationFactory(name="School Mechelen", type=Organisation.Type.SCHOOL)
    return here, serving


def test_filter_by_postcode_and_type(client, landscape):
    response = client.get(URL, {"postcode": "2800", "type": "academy"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["name"] for r in body["results"]] == ["Academie Antwerpen", "Academie Mechelen"]
    first = body["results"][0]
    assert first["municipality"] == {"nis_code": "11002", "name": "Antwerpen"}
    assert first["municipalities_served_count"] == 1
    assert first["url"].endswith("/organisaties/academie-antwerpen/")


def test_repeatable_type_and_municipality_and_q(client, landscape):
    body = client.get(f"{URL}?type=academy&type=school&municipality=12025").json()
    assert [r["name"] for r in body["results"]] == [
        "Academie Antwerpen",
        "Academie Mechelen",
        "School Mechelen",
    ]
    body = client.get(URL, {"q": "leuven"}).json()
    assert [r["name"] for r in body["results"]] == ["Academie Leuven"]


def test_unknown_postcode_is_422_with_reason(client, landscape):
    response = client.get(URL, {"postcode": "9999"})
    assert response.status_code == 422
    assert "postcode" in response.json()["detail"]
    assert "9999" in response.json()["detail"]


def test_invalid_type_is_422(client):
    assert client.get(URL, {"type": "pirates"}).status_code == 422


def test_pagination(client):
    for n in range(5):
        OrganisationFactory(name=f"Org {n}")
    body = client.get(URL, {"page_size": 2, "page": 3}).json()
    assert body["count"] == 5
    assert [r["name"] for r in body["results"]] == ["Org 4"]


def test_detail_with_partners(client):
    link = PartnershipMemberFactory(partnership__name="Partnerschap X", member__name="Academie Y")
    link.partnership.municipalities_served.add(municipality("24062"))
    body = client.get(f"{URL}/{link.partnership.slug}").json()
    assert body["name"] == "Partnerschap X"
    assert body["type"] == "partnership"
    assert body["municipalities_served"] == [{"nis_code": "24062", "name": "Leuven"}]
    assert body["partners"][0]["slug"] == link.member.slug
    assert body["partners"][0]["role"] == "academy"
    member = client.get(f"{URL}/{link.member.slug}").json()
    assert member["partnerships"][0]["name"] == "Partnerschap X"


def test_detail_unknown_is_404(client):
    assert client.get(f"{URL}/bestaat-niet").status_code == 404


def test_unknown_municipality_is_422(client):
    response = client.get(URL, {"municipality": "99999"})
    assert response.status_code == 422
    assert "municipality" in response.json()["detail"]
