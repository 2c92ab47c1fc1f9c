"""A live session: the facilitator opens the projector view, three phones join by code (one
types it, two follow the QR code's link), vote on a phone-size page, the projector's vote
distribution follows within seconds, and the results page ranks the ideas per stakeholder
group; every page passes axe."""

from __future__ import annotations

from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

PHONE = {"width": 390, "height": 844}


def _log_in(page, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def _phone(browser, base_url, refused):
    context = browser.new_context(base_url=base_url, locale="nl-BE", viewport=PHONE)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    phone.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return phone


def test_live_session_with_three_phones(page, browser, base_url):
    from stemnet.participation.tests.factories import consultation, idea, vlaio_staff

    c = consultation(title="Laat je STEM horen! (test)")
    first = idea(c, title="STEM-kampen in elke gemeente")
    idea(c, title="Uitleendienst voor STEM-materiaal")
    _log_in(page, base_url, vlaio_staff())
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/participatie/{c.pk}/projector/")
    join_url = page.locator(".join-url").inner_text()
    assert_no_serious_axe_violations(page)

    refused: list[str] = []
    phones = [_phone(browser, base_url, refused) for _ in range(3)]
    # The first phone types the code; the others open the QR code's link.
    phones[0].goto("/participatie/")
    phones[0].get_by_label("Code").fill(c.join_code.lower())
    phones[0].get_by_role("button", name="Meedoen").click()
    phones[0].get_by_label("Je naam").fill("An")
    phones[0].get_by_label("Groep belanghebbenden").select_option("company")
    phones[0].get_by_role("button", name="Meedoen").click()
    expect(phones[0].get_by_role("heading", name=c.title)).to_be_visible()
    phones[0].goto(f"/participatie/zaal/{c.join_code}/")
    for phone, name, group in [(phones[1], "Bram", "school"), (phones[2], "Cato", "company")]:
        phone.goto(join_url)
        phone.get_by_label("Je naam").fill(name)
        phone.get_by_label("Groep belanghebbenden").select_option(group)
        phone.get_by_role("button", name="Naar de zaal").click()
    for phone in phones:
        expect(phone.get_by_test_id("phone-title")).to_have_text(c.title)

    page.get_by_role("button", name="Toon het eerste idee").click()
    expect(page.get_by_test_id("live-title")).to_have_text(first.title)
    for phone in phones:  # the phones follow the facilitator by themselves
        expect(phone.get_by_test_id("phone-title")).to_have_text(first.title)
    assert_no_serious_axe_violations(phones[0])

    for phone, score in zip(phones, ["4", "5", "4"], strict=True):
        phone.get_by_role("button", name=score, exact=True).click()
        expect(phone.locator(".vote-status")).to_contain_text(f"{score} op 5")
    # the projector was not reloaded: its distribution follows by polling
    expect(page.get_by_test_id("count-4")).to_have_text("2")
    expect(page.get_by_test_id("count-5")).to_have_text("1")
    # a phone changes its mind: still one vote per phone
    phones[1].get_by_role("button", name="3", exact=True).click()
    expect(page.get_by_test_id("count-5")).to_have_text("0")
    expect(page.get_by_test_id("count-3")).to_have_text("1")
    page.screenshot(path="tests/browser/screenshots/participation-projector.png")
    phones[0].screenshot(path="tests/browser/screenshots/participation-phone.png")

    page.goto(f"/participatie/{c.pk}/resultaten/")
    table = page.locator("table.results")
    expect(table.locator("thead")).to_contain_text("bedrijf")
    expect(table.locator("thead")).to_contain_text("school")
    expect(table.locator("tbody tr").first).to_contain_text(first.title)
    expect(table.locator("tbody tr").first).to_contain_text("3,67")
    assert_no_serious_axe_violations(page)
    for phone in phones:
        phone.context.close()
    assert not refused, refused
