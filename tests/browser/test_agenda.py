"""The agenda in the browser: axe on the search and activity pages, and the parent's scenario
on a phone (robotica for a child of 10 within 10 km of 2800 this autumn, add to calendar)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.axe import assert_no_serious_axe_violations, axe_violations, describe
from tests.browser.htmx import wait_for_htmx

pytestmark = pytest.mark.browser


@pytest.fixture
def agenda(demo_site):
    from stemnet.agenda.models import Activity
    from stemnet.agenda.selectors import when_range
    from stemnet.agenda.tests.factories import ActivityFactory
    from stemnet.organisations.tests.factories import municipality

    vonk = demo_site["academies"][0]
    # "dit najaar": a day inside the page's own "this autumn" preset, whatever today is.
    first, last = when_range("autumn")
    day = min(first + dt.timedelta(days=1), last)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(14)))
    robot = ActivityFactory(
        title="Robotica-atelier: bouw je eigen robot",
        description="Bouw en programmeer een robot met micro:bit.",
        organiser=vonk,
        themes=["robotica", "programmeren"],
        accessibility=["rolstoeltoegankelijk"],
        age_min=9,
        age_max=12,
        price="15",
        price_reduced="3",
        capacity=12,
        places_left=4,
        sessions=[(start, start + dt.timedelta(hours=2))],
    )
    for i in range(6):
        ActivityFactory(title=f"Proefjes {i}", organiser=vonk, kind="kamp", domains=["science"])
    gent = municipality("44021")
    ActivityFactory(
        title="Sterrenkijken in Gent",
        municipality=gent,
        lat=gent.lat,
        lon=gent.lon,
        postcode="9000",
    )
    ActivityFactory(title="Geannuleerd", status=Activity.Status.CANCELLED, cancel_reason="Ziek")
    return robot


@pytest.mark.parametrize("lang", ["", "/en"])
@pytest.mark.parametrize(
    "path",
    [
        "/agenda/",
        "/agenda/?q=robotica&age=10&postcode=2800&radius_km=10&when=autumn",
        "/agenda/?view=map",
        "/agenda/?q=zzzz",
        "/agenda/?age=40",
    ],
)
def test_axe_list(page, agenda, path, lang):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(lang + path)
    violations = axe_violations(page)
    print(describe(violations))
    assert_no_serious_axe_violations(page)


@pytest.mark.parametrize("lang", ["", "/en"])
def test_axe_detail(page, agenda, lang):
    page.goto(lang + agenda.get_absolute_url())
    print(describe(axe_violations(page)))
    assert_no_serious_axe_violations(page)
    from stemnet.agenda.models import Activity

    page.goto(lang + Activity.objects.get(title="Geannuleerd").get_absolute_url())
    assert_no_serious_axe_violations(page)


def test_parent_scenario_on_a_phone(page, agenda):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/agenda/")
    page.locator("#f-q").fill("robotica")
    page.locator("#f-age").fill("10")
    page.locator("#f-postcode").fill("2800")
    page.locator("#f-radius").select_option("10")
    page.locator("#f-when").select_option("autumn")
    page.locator("#f-when").press("Enter")
    page.wait_for_url("**/agenda/?*q=robotica*")
    wait_for_htmx(page)
    assert page.locator("#f-age").input_value() == "10"
    assert page.locator("#f-postcode").input_value() == "2800"
    assert "age_min" not in page.url and "view=list" not in page.url, page.url
    page.locator("#more-filters summary").click()
    assert page.locator("#c-kind-workshop").inner_text() == "(1)"
    page.locator("#f-kind-kamp").check()
    page.wait_for_url("**kind=kamp*")
    wait_for_htmx(page)
    assert page.locator("#c-kind-workshop").inner_text() == "(1)"
    assert page.locator("#c-domain-technology").inner_text() == "(0)"
    page.locator("#f-kind-kamp").uncheck()
    page.wait_for_function("() => !location.search.includes('kind=kamp')")
    wait_for_htmx(page)
    page.get_by_role("link", name="Robotica-atelier: bouw je eigen robot").click()
    page.wait_for_url(f"**{agenda.get_absolute_url()}")
    link = page.locator("a[href$='.ics']")
    href = link.get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200
    assert b"BEGIN:VEVENT" in response.body()


@pytest.mark.parametrize("lang", ["", "/en"])
def test_axe_academy_page_with_upcoming_activities(page, agenda, lang):
    page.goto(lang + agenda.organiser.get_absolute_url())
    assert page.locator(".org-activities .activity-card").count() >= 1
    assert_no_serious_axe_violations(page)


TOP = """(selector) => {
  const e = document.querySelector(selector);
  return e ? e.getBoundingClientRect().top + window.scrollY : null;
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_results_and_booking_come_first(browser, base_url, agenda, javascript):
    """Issue 12: on a desktop the results start in the first screen (the filters sit beside
    them), and on a phone an activity's price and booking come before its map."""
    context = browser.new_context(base_url=base_url, locale="nl-BE", java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 1366, "height": 900})
        page.goto("/agenda/?q=robot&age=10")
        heading, card = page.evaluate(TOP, "#results-heading"), page.evaluate(TOP, ".activity-card")
        filters = page.evaluate(TOP, "#agenda-filters")
        assert heading < 900 and card < 900 - 100, (heading, card)
        assert abs(heading - filters) < 60, "the results start beside the filters"

        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(agenda.get_absolute_url())
        price, book = (
            page.evaluate(TOP, ".activity-facts"),
            page.evaluate(TOP, "a.button[href^='https://tickets']"),
        )
        where = page.evaluate(TOP, "#agenda-map")
        assert price is not None and book is not None and where is not None
        assert price < book < where, (price, book, where)
        assert book < 844 * 1.5, "the booking button is at most half a screen down"
    finally:
        context.close()
