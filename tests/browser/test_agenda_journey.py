"""The parent's journey on the agenda with JavaScript on, filter after filter (issue 12).

After every HTMX swap the form must show exactly the search in the address bar, and the
results must be those of the same address loaded without JavaScript: a control that changes
on its own (the municipality select once jumped to its last option) would silently narrow
the next search.
"""

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.browser.htmx import wait_for_htmx

pytestmark = pytest.mark.browser

# Every control of the search form as the page sees it: name, kind and state.
CONTROLS = """() => Array.from(document.getElementById('agenda-filters').elements)
  .filter(el => el.name && el.type !== 'submit' && el.type !== 'button')
  .map(el => ({
    name: el.name,
    type: el.type,
    value: el.type === 'select-multiple' ? null : el.value,
    checked: el.type === 'checkbox' ? el.checked : null,
    option: el.type === 'checkbox' ? el.value : null,
  }))"""


@pytest.fixture
def journey(demo_site):
    """Robots and other activities in five municipalities, free and paid, for several ages."""
    from stemnet.agenda.tests.factories import ActivityFactory, in_days
    from stemnet.organisations.tests.factories import municipality

    vonk, _tandwiel, nest = demo_site["academies"]
    places = {
        "12025": "2800",  # Mechelen
        "12005": "2820",  # Bonheiden
        "11002": "2000",  # Antwerpen
        "44021": "9000",  # Gent
        "33037": "8980",  # Zonnebeke, the last municipality in the list
    }
    n = 0
    for nis, postcode in places.items():
        where = municipality(nis)
        for i in range(4):
            n += 1
            start = in_days(3 + n)
            ActivityFactory(
                title=f"{'Robot bouwen' if i < 3 else 'Proefjes'} in {where.name_nl} {i}",
                organiser=(vonk, nest)[n % 2],
                municipality=where,
                lat=where.lat,
                lon=where.lon,
                postcode=postcode,
                price=0 if i % 2 == 0 else 12,
                age_min=6 if i == 0 else 9,
                age_max=9 if i == 0 else 14,
                sessions=[(start, start + dt.timedelta(hours=2))],
            )


def _params(url: str) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in parse_qsl(urlsplit(url).query) if k != "page")


def _shown(page) -> tuple[str, list[str]]:
    heading = page.locator("#results-heading").inner_text().strip()
    titles = page.locator("#results .activity-card h3").all_inner_texts()
    return heading, titles


def _check(page, plain, expected: dict[str, list[str]]) -> str:
    """The address holds exactly the intended search, every control shows it, and the
    results equal those of the same address without JavaScript."""
    wait_for_htmx(page)
    params = _params(page.url)
    wanted = sorted((k, v) for k, values in expected.items() for v in values)
    assert params == wanted, f"the address holds {params}, the parent asked for {wanted}"
    by_name: dict[str, list[str]] = {}
    for key, value in params:
        by_name.setdefault(key, []).append(value)
    for control in page.evaluate(CONTROLS):
        name, values = control["name"], by_name.get(control["name"], [])
        if control["type"] == "checkbox":
            assert control["checked"] == (control["option"] in values), (name, control, values)
        elif control["type"] == "hidden":
            assert control["value"] == (values[0] if values else "list"), (name, control)
        else:
            assert control["value"] == (values[0] if values else ""), (name, control, values)
    response = plain.goto(page.url)
    assert response is not None and response.status == 200
    with_js, without_js = _shown(page), _shown(plain)
    assert with_js == without_js, f"{page.url}: {with_js} with JavaScript, {without_js} without"
    return with_js[0]


def test_filters_in_sequence_keep_the_url_state(browser, base_url, page, journey):
    page.set_viewport_size({"width": 1366, "height": 900})
    plain_context = browser.new_context(
        base_url=base_url, locale="nl-BE", java_script_enabled=False
    )
    plain = plain_context.new_page()
    try:
        page.goto("/agenda/")
        expected: dict[str, list[str]] = {}

        page.locator("#f-q").fill("robot")
        page.locator("#f-q").press("Enter")
        page.wait_for_url("**q=robot*")
        expected["q"] = ["robot"]
        assert _check(page, plain, expected) == "15 activiteiten"

        if not page.locator("#f-free").is_visible():
            page.locator("#more-filters summary").click()
        page.locator("#f-free").check()
        page.wait_for_url("**free=1*")
        expected["free"] = ["1"]
        assert _check(page, plain, expected) == "10 activiteiten"

        page.locator("#f-age").fill("10")
        page.locator("#f-age").press("Enter")
        page.wait_for_url("**age=10*")
        expected["age"] = ["10"]
        assert _check(page, plain, expected) == "5 activiteiten"

        page.locator("#f-postcode").fill("2800")
        page.locator("#f-postcode").press("Enter")
        page.wait_for_url("**postcode=2800*")
        wait_for_htmx(page)
        page.locator("#f-radius").select_option("10")
        page.wait_for_url("**radius_km=10*")
        expected.update(postcode=["2800"], radius_km=["10"])
        assert _check(page, plain, expected) == "2 activiteiten"

        page.locator("#f-sort").select_option("distance")
        page.wait_for_url("**sort=distance*")
        expected["sort"] = ["distance"]
        assert _check(page, plain, expected) == "2 activiteiten"

        page.locator("#f-municipality").select_option("12005")
        page.wait_for_url("**municipality=12005*")
        expected["municipality"] = ["12005"]
        assert _check(page, plain, expected) == "1 activiteit"

        page.locator("#f-free").uncheck()
        page.wait_for_function("() => !location.search.includes('free=1')")
        del expected["free"]
        assert _check(page, plain, expected) == "2 activiteiten"

        # Back restores the previous search from HTMX's history: the form must follow.
        page.go_back()
        page.wait_for_function("() => location.search.includes('free=1')")
        expected["free"] = ["1"]
        assert _check(page, plain, expected) == "1 activiteit"
    finally:
        plain_context.close()
