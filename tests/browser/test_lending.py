"""Lending in the browser: a coordinator finds a kit in the catalogue and reserves it for an
activity, a second coordinator is refused the same unit, the hub's staff approve, hand out
with the checklist and take back with a damage note, and the loan shows on the activity's
reach page; the catalogue and the loan pages pass axe."""

from __future__ import annotations

from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

FMT = "%Y-%m-%dT%H:%M"


def _log_in(page, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def _submit(page, button) -> None:
    with page.expect_navigation():
        button.click()


def _reserve(page, start, end) -> None:
    page.fill("#id_start_at", start.strftime(FMT))
    page.fill("#id_end_at", end.strftime(FMT))
    _submit(page, page.get_by_role("button", name="Aanvraag versturen"))


def test_request_approve_hand_out_take_back(page, base_url, demo_site):
    from stemnet.funding.tests.factories import coordinator_of
    from stemnet.lending.tests.factories import ItemFactory, at
    from stemnet.reach.tests.factories import held_activity

    vonk, tandwiel, _nest = demo_site["academies"]
    item = ItemFactory(name="Robotkit Tandwiel", units=1)
    item.accessories.create(name="Oplaadkabel")
    activity = held_activity(organiser=vonk, title="Robotreeks De Vonk")
    coordinator = coordinator_of(vonk)

    _log_in(page, base_url, coordinator)
    page.goto("/uitlenen/")
    page.fill("#id_q", "Tandwiel")
    _submit(page, page.get_by_role("button", name="Zoeken"))
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Robotkit Tandwiel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Robotkit Tandwiel")
    page.get_by_role("link", name="Reserveren").click()
    page.select_option("#id_activity", str(activity.pk))
    _reserve(page, at(3), at(2))  # the return before the pick-up: a clear message
    expect(page.get_by_role("alert")).to_contain_text("moet na het ophalen komen")
    _reserve(page, at(2), at(4))
    expect(page.locator(".tag.loan-requested")).to_have_text("aangevraagd")
    assert_no_serious_axe_violations(page)
    loan_url = page.url

    # A second coordinator asks for the same (only) unit in an overlapping period.
    _log_in(page, base_url, coordinator_of(tandwiel))
    page.goto(f"/uitlenen/materiaal/{item.pk}/reserveren/")
    _reserve(page, at(3), at(5))
    expect(page.get_by_role("alert")).to_contain_text("Al gereserveerd")

    # The hub's staff approve, hand out with the checklist, take back with a damage note.
    staff = coordinator_of(item.hub.organisation)
    _log_in(page, base_url, staff)
    page.goto(loan_url)
    _submit(page, page.get_by_role("button", name="Goedkeuren"))
    page.get_by_label("Exemplaar U01 werkt en is volledig").check()
    page.get_by_label("U01: 1 × Oplaadkabel").check()
    _submit(page, page.get_by_role("button", name="Meegeven"))
    expect(page.locator(".tag.loan-handed_out")).to_have_text("meegegeven")
    page.get_by_label("Staat (schade, slijtage)").fill("Wiel gebroken")
    page.get_by_label("Heeft onderhoud nodig: niet beschikbaar tot hersteld").check()
    _submit(page, page.get_by_role("button", name="Terugnemen"))
    expect(page.get_by_text("U01: Wiel gebroken")).to_be_visible()

    # The loan shows on the activity's reach page.
    _log_in(page, base_url, coordinator)
    page.goto(f"/bereik/mijn/activiteit/{activity.pk}/")
    expect(
        page.get_by_role("heading", name="Materiaal geleend voor deze activiteit")
    ).to_be_visible()
    expect(page.get_by_role("link", name="1 × Robotkit Tandwiel")).to_be_visible()
