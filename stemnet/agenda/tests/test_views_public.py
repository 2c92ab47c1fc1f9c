import json
import re

import pytest
from django.urls import reverse

from stemnet.agenda.models import Activity
from stemnet.agenda.tests.factories import ActivityFactory, in_days

pytestmark = pytest.mark.django_db
LIST = "/agenda/"


def test_list_shows_results_with_facets_and_filters(client):
    robot = ActivityFactory(title="Robots bouwen", kind="kamp", themes=["robotica"])
    ActivityFactory(title="Sterren kijken", kind="workshop")
    response = client.get(LIST, {"q": "robot", "age": "10", "postcode": "2800", "radius_km": "10"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert robot.get_absolute_url() in html
    assert "Sterren kijken" not in html
    assert 'value="robot"' in html  # the form keeps what was typed
    assert re.search(
        r'name="kind" value="kamp"[^>]*>\s*\S+\s*<span class="facet-count" id="c-kind-kamp">\(1\)',
        html,
    )
    assert "km" in html  # distance on the card
    assert "/agenda/feed.ics?" in html and "/api/v1/activities?" in html


def test_list_without_filters_and_pagination_keeps_the_filters(client):
    for i in range(25):
        ActivityFactory(kind="kamp", sessions=[(in_days(i + 1), in_days(i + 1, 16))])
    response = client.get(LIST, {"kind": "kamp"})
    html = response.content.decode()
    assert "25" in html
    assert "kind=kamp&amp;page=2" in html
    page2 = client.get(LIST, {"kind": "kamp", "page": "2"}).content.decode()
    assert page2.count('class="card activity-card"') == 5


def test_a_page_past_the_last_goes_to_the_last_page(client):
    """Issue 12: never "Page 57 of 56"; the address names the page that is shown."""
    for i in range(25):
        ActivityFactory(kind="kamp", sessions=[(in_days(i + 1), in_days(i + 1, 16))])
    response = client.get(LIST, {"kind": "kamp", "page": "57"})
    assert response.status_code == 302
    assert response["Location"] == "/agenda/?kind=kamp&page=2"
    html = client.get(response["Location"]).content.decode()
    assert "Pagina 2 van 2" in html and html.count('class="card activity-card"') == 5
    htmx = client.get(LIST, {"kind": "kamp", "page": "3"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 302 and htmx["Location"] == "/agenda/?kind=kamp&page=2"
    # A search without matches has one (empty) page; page 2 of it is page 1.
    response = client.get(LIST, {"kind": "workshop", "page": "2"})
    assert response["Location"] == "/agenda/?kind=workshop"
    assert client.get(LIST, {"page": "9"})["Location"] == "/agenda/?page=2"


def test_bad_input_is_a_clear_400_and_keeps_the_values(client):
    response = client.get(LIST, {"age": "40", "postcode": "0000", "q": "robot"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert 'value="40"' in html and 'value="robot"' in html and 'value="0000"' in html
    assert 'aria-invalid="true"' in html


def test_empty_state_suggests_widening(client):
    ActivityFactory(kind="kamp")
    html = client.get(LIST, {"kind": "workshop", "postcode": "2800", "radius_km": "5"}).content
    html = html.decode()
    assert 'class="empty-state"' in html
    assert "radius_km=10" in html  # a larger radius
    assert "/agenda/?postcode=2800&amp;radius_km=5" in html  # without the kind


def test_htmx_request_gets_only_the_results_and_out_of_band_counts(client):
    ActivityFactory(title="Robots bouwen", kind="kamp")
    response = client.get(LIST, {"q": "robot"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert html.strip().startswith('<section id="results"')
    assert "Robots bouwen" in html
    assert '<span class="facet-count" id="c-kind-kamp" hx-swap-oob="true">(1)</span>' in html
    assert 'id="f-view" value="list" hx-swap-oob="true"' in html
    # The whole select (its options moved one by one would each become selected).
    select = re.search(
        r'<select name="municipality" id="f-municipality"[^>]*>(.*?)</select>', html, re.S
    )
    assert select and 'hx-swap-oob="true"' in select.group(0)
    assert re.findall(r"<option[^>]* selected", select.group(1)) == ['<option value="" selected']
    assert "{#" not in html and "#}" not in html  # no template comment shown as text


def test_htmx_municipality_select_marks_exactly_the_chosen_one(client):
    """Issue 12: after a swap the select must show the URL's municipality, never one of its
    own choosing; a chosen municipality without matches keeps its name."""
    ActivityFactory(title="Robots bouwen")
    html = client.get(
        LIST, {"q": "robot", "municipality": "33037"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    select = re.search(r'<select name="municipality".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option[^>]*selected[^>]*>[^<]*", select) == [
        '<option value="33037" selected>Zonnebeke (0)'
    ]


def test_htmx_request_with_bad_input_shows_the_errors(client):
    response = client.get(LIST, {"age": "40"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200  # HTMX only swaps 2xx
    assert 'role="alert"' in html
    assert re.search(r'<p class="errorlist" id="f-age-error" hx-swap-oob="true">\S', html)
    assert '<p class="errorlist" id="f-q-error" hx-swap-oob="true"></p>' in html


def test_map_view_renders_markers(client):
    a = ActivityFactory(title="Robots bouwen")
    html = client.get(LIST, {"view": "map"}).content.decode()
    assert 'id="agenda-map"' in html
    data = re.search(r'<script id="agenda-markers" type="application/json">(.*?)</script>', html)
    markers = json.loads(data.group(1))
    assert markers[0]["url"] == a.get_absolute_url()
    assert "leaflet.js" in html


def test_list_query_count_is_bounded(client, django_assert_max_num_queries):
    for i in range(30):
        ActivityFactory(kind="kamp" if i % 2 else "workshop", themes=["robotica"])
    query = {"q": "activiteit", "age": "10", "theme": "robotica", "postcode": "2800"}
    with django_assert_max_num_queries(20):
        response = client.get(LIST, {**query, "radius_km": "25", "sort": "distance"})
    assert response.status_code == 200


def test_detail_page(client):
    activity = ActivityFactory(
        title="Robotica-kamp",
        themes=["robotica"],
        accessibility=["rolstoeltoegankelijk"],
        price_reduced="2.50",
        price="10",
        sessions=[(in_days(-3), in_days(-3, 16)), (in_days(3), in_days(3, 16))],
    )
    response = client.get(activity.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert activity.organiser.get_absolute_url() in html
    assert reverse("agenda:activity_ical", args=[activity.pk]) in html
    assert activity.booking_url in html
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Event" and data["name"] == "Robotica-kamp"
    assert data["typicalAgeRange"] == "8-12"
    assert data["offers"]["priceCurrency"] == "EUR" and data["offers"]["price"] == "10.00"
    assert data["location"]["address"]["postalCode"] == "2800"
    assert data["location"]["geo"]["latitude"] == activity.lat
    assert data["eventStatus"].endswith("EventScheduled")
    assert data["startDate"].startswith(in_days(3).date().isoformat())
    assert data["organizer"]["name"] == activity.organiser.name


def test_detail_of_cancelled_activity_shows_the_reason(client):
    activity = ActivityFactory(
        status=Activity.Status.CANCELLED, cancel_reason="Te weinig inschrijvingen"
    )
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "Te weinig inschrijvingen" in html
    assert "EventCancelled" in html


@pytest.mark.parametrize("status", [Activity.Status.DRAFT, Activity.Status.ARCHIVED])
def test_drafts_and_archived_are_404(client, status):
    activity = ActivityFactory(status=status)
    assert client.get(activity.get_absolute_url()).status_code == 404
    assert client.get(f"/agenda/{activity.pk}.ics").status_code == 404


def test_unknown_is_404_and_wrong_slug_redirects(client):
    activity = ActivityFactory(title="Robots bouwen")
    assert client.get("/agenda/999999-iets/").status_code == 404
    response = client.get(f"/agenda/{activity.pk}-verkeerd/")
    assert response.status_code == 301
    assert response["Location"] == activity.get_absolute_url()
    assert client.get(f"/agenda/{activity.pk}/")["Location"] == activity.get_absolute_url()


def test_json_ld_cannot_break_out_of_the_script(client):
    activity = ActivityFactory(title="</script><script>alert(1)</script>")
    html = client.get(activity.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def test_nav_has_the_agenda(client):
    html = client.get("/").content.decode()
    assert 'href="/agenda/"' in html


def test_prices_in_the_sites_one_money_format(client):
    """Issue 12: money in one format everywhere, the agenda's prices too."""
    activity = ActivityFactory(title="Dronekamp", price="1250.5", price_reduced="2.5")
    dutch = client.get(activity.get_absolute_url()).content.decode()
    assert "€ 1.250,50" in dutch and "€ 2,50" in dutch
    card = client.get(LIST, {"q": "dronekamp"}).content.decode()
    assert "€ 1.250,50" in card and "€ 2,50" in card
    english = client.get("/en" + activity.get_absolute_url()).content.decode()
    assert "€ 1,250.50" in english and "€ 2.50" in english
