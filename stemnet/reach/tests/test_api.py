import pytest

from stemnet.agenda import services as agenda_services
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory, PartnershipMemberFactory
from stemnet.reach import services
from stemnet.reach.models import Participation
from stemnet.reach.tests.factories import (
    HISTORY_CSV,
    ParticipationFactory,
    coordinator_of,
    held_activity,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/reach/summary"


def test_summary_2020_from_history(client):
    assert services.reach_history_import(file=str(HISTORY_CSV), actor=None).ok
    response = client.get(URL, {"year": 2020})
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2020
    assert data["municipalities"]["reached"] == 221
    assert data["municipalities"]["total"] == 300
    assert data["municipalities"]["by_province"] == [
        {"province": "Antwerpen", "reached": 41, "total": 69},
        {"province": "Limburg", "reached": 24, "total": 42},
        {"province": "Oost-Vlaanderen", "reached": 56, "total": 60},
        {"province": "Vlaams-Brabant", "reached": 36, "total": 65},
        {"province": "West-Vlaanderen", "reached": 64, "total": 64},
    ]
    assert data["brussels"]["reached"] == 3 and data["brussels"]["total"] == 19
    assert data["participants"] == 12_500
    assert data["girls"] == 5_680
    assert data["activities"] == 228
    assert client.get(URL, {"year": 2019}).json()["series_municipalities"]["reached"] == 162
    data_2025 = client.get(URL, {"year": 2025}).json()
    assert data_2025["municipalities"]["total"] == 285
    assert data_2025["municipalities"]["reached"] == 200
    province = client.get(URL, {"year": 2020, "province": "West-Vlaanderen"}).json()
    assert province["municipalities"]["reached"] == 64
    org = client.get(URL, {"year": 2020, "organisation": "stem-academie-limburg"}).json()
    assert org["municipalities"]["reached"] == 24


def test_summary_partnership_filter_and_bad_input(client):
    partnership = OrganisationFactory(name="Netwerk", type=Organisation.Type.PARTNERSHIP)
    member = OrganisationFactory()
    PartnershipMemberFactory(partnership=partnership, member=member, role="academy")
    ParticipationFactory(organisation=member, participants=30, girls=10)
    ParticipationFactory(participants=50, girls=20)
    data = client.get(URL, {"year": 2020, "partnership": partnership.slug}).json()
    assert data["participants"] == 30
    assert data["municipalities"]["reached"] == 1
    for params in [
        {},
        {"year": "twintig"},
        {"year": 1900},
        {"year": 2020, "province": "Atlantis"},
        {"year": 2020, "partnership": "no-such"},
        {"year": 2020, "organisation": "no-such"},
        {"year": 2020, "kind": "cursus"},
        {"year": 2020, "theme": "no-such"},
    ]:
        response = client.get(URL, params)
        assert response.status_code == 422, params
        assert response.json()["detail"]


def _key(organisation):
    coordinator = coordinator_of(organisation)
    return agenda_services.api_token_create(
        organisation=organisation, actor=coordinator, name="bereik"
    ).key


def test_write_participation_with_token(client):
    activity = held_activity(year=2025)
    key = _key(activity.organiser)
    url = f"/api/v1/reach/activities/{activity.pk}/participation"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    body = {
        "rows": [
            {"age": 9, "residence": "2800", "participants": 6, "girls": 3},
            {"participants": 4, "target_group": "uitpas"},
        ]
    }
    response = client.put(url, body, content_type="application/json", **auth)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["year"], data["participants"], data["girls"]) == (2025, 10, 3)
    assert Participation.objects.get().source == "api"
    assert client.get(url + "?year=2025", **auth).json()["participants"] == 10

    bad = {"rows": [{"participants": 2, "girls": 3}]}
    response = client.put(url, bad, content_type="application/json", **auth)
    assert response.status_code == 422
    assert "meisjes" in response.json()["detail"]
    response = client.put(
        url, {"rows": [{"participants": -1}]}, content_type="application/json", **auth
    )
    assert response.status_code == 422
    assert client.put(url, body, content_type="application/json").status_code == 401

    foreign = held_activity(year=2025)
    response = client.put(
        f"/api/v1/reach/activities/{foreign.pk}/participation",
        body,
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 403
    assert client.get(url + "?year=2024", **auth).status_code == 404
    assert client.delete(url + "?year=2025", **auth).status_code == 204
    assert not Participation.objects.exists()


def test_summary_says_demo_while_demo_data_is_loaded(client):
    from stemnet.core.services import demo_data_record

    ParticipationFactory(participants=30, girls=10)
    assert client.get(URL, {"year": 2020}).json()["demo"] is False
    demo_data_record(seed=2020)
    data = client.get(URL, {"year": 2020}).json()
    assert data["demo"] is True
    assert data["participants"] == 30


def test_a_token_without_the_participation_scope_is_refused(client):
    activity = held_activity(year=2025)
    key = agenda_services.api_token_create(
        organisation=activity.organiser,
        actor=coordinator_of(activity.organiser),
        name="agenda only",
        scopes=["activities"],
    ).key
    url = f"/api/v1/reach/activities/{activity.pk}/participation?year=2025"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401
