"""The company contact point in the browser: a company's request from the public form
through triage, suggestion, introduction and follow-up to "afgerond"."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


def _submit(page, button) -> None:
    with page.expect_navigation():
        button.click()


def _log_in_as_vlaio(page, base_url: str) -> None:
    from stemnet.reach.tests.factories import vlaio_user

    client = Client()
    client.force_login(vlaio_user())
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def test_company_request_from_form_to_done(page, base_url):
    # The company: no account, the public form in Dutch.
    page.goto("/contactpunt/")
    assert_no_serious_axe_violations(page)
    page.locator("#id_company_name").fill("Tandwielen <b>NV</b>")
    page.locator("#id_contact_name").fill("An Peeters")
    page.get_by_label("Je e-mailadres").fill("an@example.org")
    page.get_by_label("Wat vraag of bied je?").select_option("visit")
    page.get_by_label("Vertel ons meer").fill("We ontvangen graag een groep in ons atelier.")
    page.get_by_label("Postcode van je bedrijf").fill("2800")
    page.get_by_label("Met hoeveel academies wil je kennismaken?").fill("1")
    page.get_by_label("Ik ga akkoord").check()
    _submit(page, page.get_by_role("button", name="Vraag versturen"))
    expect(page.locator("#request-status")).to_have_text("Nieuw")
    follow_url = page.url

    # VLAIO staff: queue, triage, suggestion, introduction, follow-up.
    _log_in_as_vlaio(page, base_url)
    page.goto("/contactpunt/beheer/")
    _submit(page, page.get_by_role("link", name="Tandwielen <b>NV</b>"))
    page.get_by_label("Nieuwe status").select_option("in_progress")
    _submit(page, page.get_by_role("button", name="Status wijzigen"))
    expect(page.locator("#request-status")).to_have_text("In behandeling")
    _submit(page, page.get_by_role("button", name="Academies voorstellen"))
    suggestion = page.locator(".suggestion").first
    expect(suggestion).to_contain_text("Afstand")
    assert_no_serious_axe_violations(page)
    _submit(page, suggestion.get_by_role("button", name="Voorstellen", exact=True))
    expect(page.locator("#request-status")).to_have_text("Gekoppeld")
    _submit(page, page.get_by_role("button", name="Stuur de opvolging nu"))

    # The company answers on its private page.
    page.goto(follow_url)
    _submit(page, page.get_by_role("button", name="Ja, we hebben contact"))
    expect(page.locator("#contact-answer")).to_contain_text("ja")

    page.goto("/contactpunt/beheer/?status=matched")
    _submit(page, page.get_by_role("link", name="Tandwielen <b>NV</b>"))
    expect(page.locator("#contact-happened")).to_be_visible()
    page.get_by_label("Nieuwe status").select_option("done")
    _submit(page, page.get_by_role("button", name="Status wijzigen"))
    expect(page.locator("#request-status")).to_have_text("Afgerond")
