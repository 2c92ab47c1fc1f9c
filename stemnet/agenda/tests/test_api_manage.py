import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from stemnet.agenda import services
from stemnet.agenda.models import Activity, ApiToken
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.core.audit import entries_for
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

BRU = ZoneInfo("Europe/Brussels")
S = Activity.Status


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def coordinator(organisation):
    from stemnet.organisations.tests.factories import MembershipFactory

    return MembershipFactory(organisation=organisation).user


@pytest.fixture
def key(organisation, coordinator):
    return services.api_token_create(organisation=organisation, actor=coordinator, name="w").key


def auth(key):
    return {"Authorization": f"Bearer {key}"}


def payload(**extra):
    data = {
        "title": "Zonnewagens bouwen",
        "description": "We bouwen een wagentje op zonne-energie.",
        "kind": "workshop",
        "domains": ["technology", "science"],
        "themes": ["energie-klimaat"],
        "age_min": 9,
        "age_max": 13,
        "postcode": "3000",
        "price": "7.50",
        "sessions": [{"starts_at": "2026-12-02T14:00", "ends_at": "2026-12-02T16:00"}],
    }
    data.update(extra)
    return data


def list_url(organisation):
    return f"/api/v1/organisations/{organisation.slug}/activities"


def write_endpoints(organisation, activity):
    """(method, url, body) of every write endpoint."""
    pk = activity.pk
    return [
        ("post", list_url(organisation), payload()),
        ("put", f"/api/v1/manage/activities/{pk}", payload()),
        ("post", f"/api/v1/manage/activities/{pk}/publish", None),
        ("post", f"/api/v1/manage/activities/{pk}/cancel", {"reason": "Ziek"}),
        ("post", f"/api/v1/manage/activities/{pk}/archive", None),
    ]


def call(client, method, url, body, headers=None):
    kwargs = {"headers": headers or {}}
    if body is not None:
        kwargs.update(data=body, content_type="application/json")
    return getattr(client, method)(url, **kwargs)


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer stn_wrong"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer " + "x" * 500},
    ],
)
def test_no_or_wrong_token_is_401(client, organisation, headers):
    activity = ActivityFactory(organiser=organisation)
    for method, url, body in [
        ("get", list_url(organisation), None),
        ("get", f"/api/v1/manage/activities/{activity.pk}", None),
        *write_endpoints(organisation, activity),
    ]:
        response = call(client, method, url, body, headers)
        assert response.status_code == 401, url
        assert response.json()["detail"]
    activity.refresh_from_db()
    assert activity.status == S.PUBLISHED


def test_revoked_token_is_401(client, organisation, coordinator, key):
    services.api_token_revoke(token=ApiToken.objects.get(), actor=coordinator)
    assert client.get(list_url(organisation), headers=auth(key)).status_code == 401


def test_token_stops_working_when_its_maker_is_no_coordinator_any_more(
    client, organisation, coordinator, key
):
    assert client.get(list_url(organisation), headers=auth(key)).status_code == 200
    Membership.objects.filter(user=coordinator).update(role=Membership.Role.MEMBER)
    assert client.get(list_url(organisation), headers=auth(key)).status_code == 401


def test_use_is_recorded(client, organisation, key):
    client.get(list_url(organisation), headers=auth(key))
    assert ApiToken.objects.get().last_used_at is not None


# --- another organisation's activities --------------------------------------------------------


def test_another_organisations_activities_are_403(client, organisation, key):
    other = OrganisationFactory()
    activity = ActivityFactory(organiser=other)
    assert client.get(list_url(other), headers=auth(key)).status_code == 403
    url = f"/api/v1/manage/activities/{activity.pk}"
    assert client.get(url, headers=auth(key)).status_code == 403
    for method, url, body in write_endpoints(other, activity):
        response = call(client, method, url, body, auth(key))
        assert response.status_code == 403, url
        assert response.json()["detail"]
    activity.refresh_from_db()
    assert activity.status == S.PUBLISHED and activity.title.startswith("STEM-activiteit")
    assert not Activity.objects.filter(organiser=other).exclude(pk=activity.pk).exists()


def test_unknown_activity_is_404(client, key):
    response = client.get("/api/v1/manage/activities/999999", headers=auth(key))
    assert response.status_code == 404


# --- own activities ---------------------------------------------------------------------------


def test_list_includes_drafts(client, organisation, key):
    ActivityFactory(organiser=organisation, status=S.DRAFT, title="Nog geheim")
    ActivityFactory(organiser=organisation, title="Al openbaar")
    ActivityFactory(title="Van een ander")
    response = client.get(list_url(organisation), headers=auth(key))
    assert response.status_code == 200
    titles = {a["title"] for a in response.json()["items"]}
    assert titles == {"Nog geheim", "Al openbaar"}
    drafts = client.get(list_url(organisation) + "?status=draft", headers=auth(key)).json()
    assert [a["title"] for a in drafts["items"]] == ["Nog geheim"]


def test_create_update_publish_cancel_archive(client, organisation, coordinator, key):
    response = call(client, "post", list_url(organisation), payload(), auth(key))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["municipality"] == "24062"
    assert body["domains"] == ["technology", "science"] or set(body["domains"]) == {
        "technology",
        "science",
    }
    start = dt.datetime.fromisoformat(body["sessions"][0]["starts_at"])
    assert timezone.localtime(start, BRU).hour == 14  # naive times are Brussels time
    activity = Activity.objects.get(pk=body["id"])
    assert activity.created_by == coordinator
    assert entries_for(activity).first().actor == coordinator

    url = f"/api/v1/manage/activities/{activity.pk}"
    response = call(client, "put", url, payload(title="Zonnewagens racen"), auth(key))
    assert response.status_code == 200
    assert response.json()["title"] == "Zonnewagens racen"

    response = call(client, "post", url + "/publish", None, auth(key))
    assert response.status_code == 200 and response.json()["status"] == "published"
    response = call(client, "post", url + "/cancel", {"reason": ""}, auth(key))
    assert response.status_code == 422
    response = call(client, "post", url + "/cancel", {"reason": "Regen"}, auth(key))
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "Regen"
    response = call(client, "post", url + "/archive", None, auth(key))
    assert response.json()["status"] == "archived"
    response = call(client, "post", url + "/publish", None, auth(key))
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"age_max": 19}, "age_max"),
        ({"postcode": "9999"}, "postcode"),
        ({"kind": "concert"}, "kind"),
        ({"domains": ["alchemie"]}, "domains"),
        ({"domains": []}, "domains"),
        ({"price": "-1"}, "price"),
        ({"price": "123456789"}, "price"),
        ({"capacity": 5, "places_left": 9}, "places_left"),
        ({"booking_url": "geen url"}, "booking_url"),
        ({"title": "a\x00b"}, "title"),
        (
            {"sessions": [{"starts_at": "2026-12-02T16:00", "ends_at": "2026-12-02T14:00"}]},
            "sessions",
        ),
        ({"sessions": [{"starts_at": "morgen", "ends_at": "2026-12-02T14:00"}]}, "sessions"),
        ({"age_min": "acht"}, "age_min"),
        ({"capacity": 10**12}, "capacity"),
    ],
)
def test_bad_input_is_422_with_the_reason(client, organisation, key, change, field):
    response = call(client, "post", list_url(organisation), payload(**change), auth(key))
    assert response.status_code == 422, response.content
    assert field in response.json()["detail"]
    assert not Activity.objects.exists()


def test_malformed_json_is_4xx(client, organisation, key):
    response = client.post(
        list_url(organisation), data="{not json", content_type="application/json", headers=auth(key)
    )
    assert 400 <= response.status_code < 500


def test_uitdatabank_activities_are_read_only(client, organisation, key):
    activity = ActivityFactory(organiser=organisation, source=Activity.Source.UIT)
    url = f"/api/v1/manage/activities/{activity.pk}"
    response = call(client, "put", url, payload(), auth(key))
    assert response.status_code == 422
    assert "UiTdatabank" in response.json()["detail"]


def test_a_token_works_only_within_its_scopes_and_validity(client, organisation, coordinator):
    """Tokens had neither scopes nor an expiry: a leaked key worked for everything, forever."""
    import datetime as dt

    import time_machine
    from django.utils import timezone

    only_reach = services.api_token_create(
        organisation=organisation, actor=coordinator, name="r", scopes=["participation"]
    ).key
    assert client.get(list_url(organisation), headers=auth(only_reach)).status_code == 401
    short = services.api_token_create(
        organisation=organisation, actor=coordinator, name="s", scopes=["activities"], valid_days=30
    ).key
    assert client.get(list_url(organisation), headers=auth(short)).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert client.get(list_url(organisation), headers=auth(short)).status_code == 401


def test_a_token_needs_a_scope_and_a_sane_validity(organisation, coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.api_token_create(organisation=organisation, actor=coordinator, name="x", scopes=[])
    assert "scopes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.api_token_create(
            organisation=organisation, actor=coordinator, name="x", valid_days=5000
        )
    assert "valid_days" in error.value.message_dict


def test_only_vlaio_tokens_may_carry_the_contact_point_scope(client, organisation, coordinator):
    """An academy's token never reads the companies' requests: the form does not offer the
    scope, and the service refuses it."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.api_token_create(
            organisation=organisation,
            actor=coordinator,
            name="x",
            scopes=[ApiToken.Scope.CONTACT_POINT],
        )
    assert "scopes" in error.value.message_dict
    key = services.api_token_create(organisation=organisation, actor=coordinator, name="y").key
    assert ApiToken.Scope.CONTACT_POINT not in ApiToken.objects.get(prefix=key[:12]).scopes
    client.force_login(coordinator)
    page = client.get(reverse("agenda:api_tokens"), {"organisation": organisation.slug})
    assert 'value="contact_point"' not in page.content.decode()
    assert 'value="activities"' in page.content.decode()
