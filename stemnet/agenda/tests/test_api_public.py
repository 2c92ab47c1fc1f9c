import pytest

from stemnet.agenda.models import Activity
from stemnet.agenda.tests.factories import ActivityFactory, in_days

pytestmark = pytest.mark.django_db
URL = "/api/v1/activities"


def test_list_with_filters_facets_and_distance(client):
    robot = ActivityFactory(title="Robots bouwen", kind="kamp", themes=["robotica"])
    ActivityFactory(title="Robots programmeren", kind="workshop")
    ActivityFactory(title="Sterren kijken", kind="kamp")
    response = client.get(URL, {"q": "robots", "kind": ["kamp"], "postcode": "2800"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["page"] == 1 and body["page_size"] == 20
    result = body["results"][0]
    assert result["id"] == robot.pk
    for key in (
        "title", "kind", "age_min", "age_max", "next_session", "municipality", "organiser",
        "source", "url",
    ):  # fmt: skip
        assert key in result
    assert result["distance_km"] is not None and result["distance_km"] < 5
    assert result["url"].endswith(robot.get_absolute_url())
    assert result["next_session"].startswith(in_days(7).astimezone().date().isoformat()[:4])
    kinds = {f["value"]: f["count"] for f in body["facets"]["kind"]}
    assert kinds["kamp"] == 1 and kinds["workshop"] == 1  # the kind facet ignores kind=kamp
    assert set(body["facets"]) >= {"kind", "domain", "theme", "province", "accessibility"}
    assert {"value", "label", "count"} == set(body["facets"]["theme"][0])


def test_repeated_parameters_and_pagination(client):
    for i in range(5):
        ActivityFactory(
            kind="kamp" if i % 2 else "reeks", sessions=[(in_days(i + 1), in_days(i + 1, 16))]
        )
    ActivityFactory(kind="workshop")
    body = client.get(URL + "?kind=kamp&kind=reeks&page=2&page_size=2&sort=date").json()
    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["results"][0]["distance_km"] is None


def test_a_page_past_the_last_is_empty_with_the_right_counts(client):
    """Issue 12: page 4 of 3 answers 200 with no results and the search's count, num_pages
    and facets; a page number beyond what any search can have is a 422 with a reason."""
    for i in range(5):
        ActivityFactory(kind="kamp", sessions=[(in_days(i + 1), in_days(i + 1, 16))])
    last = client.get(URL, {"kind": "kamp", "page": 3, "page_size": 2}).json()
    assert (last["count"], last["num_pages"], len(last["results"])) == (5, 3, 1)
    past = client.get(URL, {"kind": "kamp", "page": 4, "page_size": 2})
    assert past.status_code == 200
    body = past.json()
    assert (body["count"], body["page"], body["num_pages"], body["results"]) == (5, 4, 3, [])
    assert body["facets"] == last["facets"]
    empty = client.get(URL, {"kind": "workshop"}).json()
    assert (empty["count"], empty["num_pages"]) == (0, 1)
    absurd = client.get(URL, {"page": str(10**20)})
    assert absurd.status_code == 422
    assert "page" in absurd.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "age=4",
        "age=abc",
        "age_min=12&age_max=8",
        "date_from=2026-12-01&date_to=2026-11-01",
        "date_from=gisteren",
        "kind=circus",
        "domain=alchemie",
        "postcode=0000",
        "postcode=2800&radius_km=500",
        "radius_km=10",
        "sort=distance",
        "sort=popular",
        "page=0",
        "page_size=1000",
        "max_price=-3",
        "municipality=Mechelen",
        "when=ooit",
    ],
)
def test_bad_input_is_422_with_a_reason(client, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_any_radius_up_to_100(client):
    ActivityFactory()
    assert client.get(URL, {"postcode": "2800", "radius_km": "7"}).json()["count"] == 1


def test_detail(client):
    activity = ActivityFactory(themes=["robotica"], accessibility=["vgt"])
    body = client.get(f"{URL}/{activity.pk}").json()
    assert body["id"] == activity.pk
    assert body["themes"] == [{"value": "robotica", "label": "Robotica"}]
    assert len(body["sessions"]) == 1
    assert body["ical_url"].endswith(f"/agenda/{activity.pk}.ics")
    assert body["next_session"] is not None


@pytest.mark.parametrize("status", [Activity.Status.DRAFT, Activity.Status.ARCHIVED])
def test_detail_of_unpublished_is_404(client, status):
    activity = ActivityFactory(status=status)
    response = client.get(f"{URL}/{activity.pk}")
    assert response.status_code == 404
    assert client.get(f"{URL}/999999").status_code == 404


def test_list_query_count_is_bounded(client, django_assert_max_num_queries):
    for i in range(30):
        ActivityFactory(kind="kamp" if i % 2 else "workshop", themes=["robotica"])
    with django_assert_max_num_queries(16):
        response = client.get(
            URL,
            {"q": "activiteit", "age": 10, "theme": "robotica", "postcode": "2800", "radius_km": 25,
             "free": "true", "page_size": 50},
        )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["count"] == 30


def test_list_answers_match_the_published_schema(client):
    """The list is rendered without ninja's response validation: check its shape here."""
    from stemnet.agenda.api_public import ActivityPage

    ActivityFactory(title="Robots bouwen", kind="kamp", themes=["robotica"], price_reduced=5)
    ActivityFactory(title="Sterren kijken", kind="reeks", places_left=0)
    for query in ({}, {"q": "robots", "postcode": "2800", "sort": "distance"}, {"q": "niets"}):
        body = client.get(URL, query).json()
        page = ActivityPage.model_validate(body)
        assert page.model_dump(mode="json") == body
