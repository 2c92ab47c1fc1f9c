"""End to end: a visitor finds the academies active in postcode 2800 and opens one."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.htmx import wait_for_htmx

pytestmark = pytest.mark.browser


def _results(page):
    """The links to organisations in the result list (directory detail pages)."""
    return page.get_by_role("main").get_by_role(
        "link", name=re.compile(r"STEM-academie|Robotclub|Wetenschapsatelier")
    )


def test_visitor_finds_academies_in_2800_from_the_home_page(page):
    # The home page's search finds activities (issue 12); academies are one link away.
    page.goto("/")
    page.get_by_role("link", name="Zoek STEM-academies in je buurt").click()
    expect(page).to_have_url(re.compile(r"/organisaties/\?type=academy"))
    form = page.get_by_role("search").or_(page.locator("form")).first
    form.get_by_label(re.compile("postcode", re.I)).fill("2800")
    form.get_by_label(re.compile("postcode", re.I)).press("Enter")

    expect(page).to_have_url(re.compile(r"/organisaties/\?.*postcode=2800"))
    wait_for_htmx(page)
    results = _results(page)
    expect(results.first).to_be_visible()
    names = results.all_inner_texts()
    # Active in Mechelen: the two academies there and the one in Bonheiden that serves it.
    assert any("De Vonk Mechelen" in n for n in names)
    assert any("Het Tandwiel Mechelen" in n for n in names)
    assert any("Uitvindersnest Bonheiden" in n for n in names)
    assert not any("Gent" in n for n in names), "an academy in Gent is not active in 2800"
    assert_no_serious_axe_violations(page)

    page.get_by_role("link", name=re.compile("Het Uitvindersnest Bonheiden")).first.click()
    expect(page).to_have_url(re.compile(r"/organisaties/stem-academie-het-uitvindersnest"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "STEM-academie Het Uitvindersnest Bonheiden"
    )
    assert_no_serious_axe_violations(page)


def test_the_home_page_search_opens_the_agenda(page):
    page.goto("/")
    search = page.get_by_role("search", name="Zoek STEM-activiteiten")
    search.get_by_label("Wat?").fill("robot")
    search.get_by_label("Leeftijd van het kind").fill("10")
    search.get_by_label(re.compile("postcode", re.I)).fill("2800")
    search.get_by_role("button", name="Zoek activiteiten").click()
    expect(page).to_have_url(re.compile(r"/agenda/\?q=robot&age=10&postcode=2800"))
    expect(page.locator("#results-heading")).to_be_visible()
    expect(page.locator("#f-q")).to_have_value("robot")


def test_visitor_searches_the_directory_by_postcode(page):
    page.goto("/organisaties/")
    form = page.get_by_role("search").or_(page.locator("form")).first
    form.get_by_label(re.compile("postcode", re.I)).fill("2800")
    form.get_by_role("button").first.click()

    expect(page).to_have_url(re.compile(r"postcode=2800"))
    wait_for_htmx(page)
    expect(_results(page).first).to_be_visible()
    page.get_by_role("link", name="STEM-academie De Vonk Mechelen").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("STEM-academie De Vonk Mechelen")


def test_unknown_postcode_gets_a_clear_message_and_keeps_the_input(page):
    page.goto("/organisaties/?postcode=0000")
    field = page.get_by_label(re.compile("postcode", re.I)).first
    expect(field).to_have_value("0000")
    expect(page.get_by_role("main")).to_contain_text("0000")
