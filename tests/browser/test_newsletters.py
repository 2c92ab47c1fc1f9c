"""Newsletters in the browser: a parent signs up, confirms from the mail, an editor sends an
issue, the parent's digest (received by a real SMTP server) holds the activities that match
the preferences, the parent changes them and unsubscribes with the RFC 8058 one-click POST."""

from __future__ import annotations

import re

from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations


def _log_in(page, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def _submit(page, button) -> None:
    with page.expect_navigation():
        button.click()


def _link(text: str, path: str) -> str:
    return re.search(rf"(http://\S+{path}\S+/)", text).group(1)


def test_sign_up_confirm_digest_preferences_unsubscribe(
    page, base_url, smtp_server, settings, demo_site
):
    from stemnet.agenda.tests.factories import ActivityFactory
    from stemnet.newsletters.models import Subscriber
    from stemnet.newsletters.tests.factories import gangmaker
    from stemnet.organisations.tests.factories import municipality

    settings.SITE_URL = base_url
    ActivityFactory(title="Robots bouwen in Mechelen", age_min=8, age_max=12)
    ActivityFactory(
        title="Sterrenkijken in Gent",
        municipality=municipality("44021"),
        postcode="9000",
        lat=51.05,
        lon=3.72,
    )

    # A parent signs up.
    page.goto("/nieuwsbrief/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("E-mailadres").fill("ouder@example.org")
    page.get_by_label("Postcode").fill("2800")
    page.get_by_label("Afstand").select_option("10")
    page.get_by_label("9", exact=True).check()
    page.get_by_label(re.compile("Ik wil de STEMnet-nieuwsbrief")).check()
    _submit(page, page.get_by_role("button", name="Inschrijven"))
    expect(page.get_by_role("heading", name="Kijk in je mailbox")).to_be_visible()

    # The confirmation arrives; the link asks before it confirms.
    [confirmation] = smtp_server.received
    page.goto(_link(confirmation.message.get_body().get_content(), "/bevestigen/"))
    _submit(page, page.get_by_role("button", name="Ja, bevestig mijn inschrijving"))
    expect(page.get_by_role("heading", name="Je bent ingeschreven")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE

    # An editor writes and sends an issue.
    _log_in(page, base_url, gangmaker())
    page.goto("/nieuwsbrief/beheer/nieuw/")
    page.locator("#id_audience").select_option("parents")
    page.get_by_label("Onderwerp").fill("Herfst vol STEM")
    _submit(page, page.get_by_role("button", name="Opslaan"))
    page.locator("#id_kind").select_option("text")
    page.locator("#id_text").fill("Dag ouders, dit is de herfsteditie.")
    _submit(page, page.get_by_role("button", name="Blok toevoegen"))
    assert_no_serious_axe_violations(page)
    _submit(page, page.get_by_role("button", name="Verstuur deze editie"))
    expect(page.get_by_text("1 van 1 mails aan de wachtrij gegeven")).to_be_visible()
    expect(page.locator("#send-bar")).to_have_attribute("value", "1")
    page.context.clear_cookies()

    # The digest matches the preferences (near 2800, age 9), with the one-click headers.
    issue_mail = smtp_server.received[-1].message
    text = issue_mail.get_body(preferencelist=("plain",)).get_content()
    assert "Dag ouders, dit is de herfsteditie." in text
    assert "Robots bouwen in Mechelen" in text and "Sterrenkijken in Gent" not in text
    assert issue_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = issue_mail["List-Unsubscribe"].strip().strip("<>")

    # The parent changes the preferences from the link in the mail.
    page.goto(_link(text, "/voorkeuren/"))
    page.get_by_label("Postcode").fill("9000")
    _submit(page, page.get_by_role("button", name="Voorkeuren bewaren"))
    expect(page.get_by_text("Je voorkeuren zijn bewaard.")).to_be_visible()
    assert Subscriber.objects.get().postcode == "9000"

    # A GET only asks; the mail client's one-click POST unsubscribes.
    page.goto(unsubscribe_url)
    expect(page.get_by_role("button", name="Ja, meld me af")).to_be_visible()
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE
    response = page.request.post(
        unsubscribe_url,
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    page.goto(unsubscribe_url)
    expect(page.get_by_role("heading", name="Je bent afgemeld")).to_be_visible()
    expect(page.get_by_role("button", name="Opnieuw inschrijven")).to_be_visible()
