"""Reach monitor in the browser: the VLAIO dashboard and the public page "STEM in cijfers"
show the map next to the table, work with HTMX filters and pass the axe check."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def _participation(year: int) -> None:
    from stemnet.organisations.models import Organisation
    from stemnet.reach.tests.factories import ParticipationFactory, municipality_of

    vonk = Organisation.objects.get(name="STEM-academie De Vonk Mechelen")
    vintage = "2019" if year < 2025 else "2025"
    ParticipationFactory(year=year, organisation=vonk, participants=30, girls=12)
    ParticipationFactory(
        year=year,
        organisation=vonk,
        municipality=municipality_of("44021", vintage),
        participants=12,
        girls=7,
        kind="kamp",
    )


def _log_in_as_vlaio(page, base_url: str) -> None:
    from stemnet.reach.tests.factories import vlaio_user

    client = Client()
    client.force_login(vlaio_user())
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def test_vlaio_dashboard_filters_and_passes_axe(page, base_url):
    _participation(2020)
    _log_in_as_vlaio(page, base_url)
    page.goto("/bereik/?year=2020")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bereikmonitor")
    expect(page.locator(".reach-figures")).to_contain_text("2 / 300")
    # the map draws the 2019-2024 municipalities from the boundaries file
    expect(page.locator("#reach-map path.leaflet-interactive").first).to_be_attached()
    expect(page.locator("#reach-map")).not_to_have_attribute("aria-busy", "true")
    assert_no_serious_axe_violations(page)

    # an HTMX filter change replaces the results and keeps the URL shareable
    page.get_by_label("Soort activiteit", exact=True).select_option("kamp")
    expect(page).to_have_url(re.compile(r"kind=kamp"), timeout=30_000)
    expect(page.locator(".reach-figures")).to_contain_text("1 / 300")
    expect(page.locator("#reach-map path.leaflet-interactive").first).to_be_attached()
    assert_no_serious_axe_violations(page)


def test_public_page_shows_figures_and_map_and_passes_axe(page):
    _participation(2020)
    page.goto("/bereik/cijfers/?year=2020")
    expect(page.get_by_role("heading", level=1)).to_have_text("STEM in cijfers")
    expect(page.locator(".reach-figures")).to_contain_text("2 / 300")
    expect(page.locator("#reach-map path.leaflet-interactive").first).to_be_attached()
    expect(page.get_by_role("main")).to_contain_text("geen namen")
    assert_no_serious_axe_violations(page)
