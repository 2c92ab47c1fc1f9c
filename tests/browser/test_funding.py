"""Funding in the browser: a coordinator applies and submits, a reviewer declares no conflict
and scores, an officer decides and issues the letter, the first report arrives pre-filled
with reach figures; every page passes axe."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _log_in(page, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def _submit(page, button) -> None:
    """Click a form's button and wait for the page it leads to (the server has answered)."""
    with page.expect_navigation():
        button.click()


def _axe(page, path: str | None = None) -> None:
    if path:
        page.goto(path)
    assert_no_serious_axe_violations(page)


def test_apply_review_decide_report(page, base_url, demo_site):
    from stemnet.funding import services
    from stemnet.funding.models import Application, Report
    from stemnet.funding.tests.factories import (
        CRITERIA,
        RoundFactory,
        coordinator_of,
        officer,
        reviewer,
    )
    from stemnet.reach.tests.factories import ParticipationFactory

    vonk = demo_site["academies"][0]
    this_year = timezone.localdate().year
    ParticipationFactory(organisation=vonk, year=this_year, participants=24, girls=11)
    staff = officer(name="Pieter Officier")
    round = RoundFactory(
        title_nl="Oproep STEM-academies (test)",
        required_attachments=["Activiteitenplan"],
        subsidy_formula={"type": "per_municipality", "amount": "1500", "cap": "30000"},
        grant_start=dt.date(this_year, 1, 1),
        budget=Decimal("50000"),
        max_per_application=Decimal("30000"),
    )
    services._panel_for(round, staff, CRITERIA)
    coordinator = coordinator_of(vonk, name="Lotte Coördinator")
    judge = reviewer(name="Eline Beoordelaar")

    # --- The coordinator applies and submits -------------------------------------------------
    _log_in(page, base_url, coordinator)
    _axe(page, "/financiering/")
    page.get_by_role("link", name="Oproep STEM-academies (test)").click()
    # axe must not run while the round's page is still loading (the navigation would
    # destroy its script's context).
    expect(page.get_by_role("heading", level=1)).to_have_text("Oproep STEM-academies (test)")
    _axe(page)
    page.get_by_role("button", name=re.compile("aanvraag", re.I)).click()
    page.wait_for_url(re.compile(r"/aanvraag/\d+/bewerken/"))
    application = Application.objects.get(round=round, organisation=vonk)
    _axe(page)
    page.get_by_label("Projecttitel").fill("Robots in elke wijk")
    page.locator("#id_plan").fill("Wekelijkse robotica-reeksen.")
    page.get_by_label("Motivering").fill("Meer meisjes bereiken.")
    page.get_by_label("Geplande activiteiten").fill("Twee reeksen en een kamp.")
    page.get_by_label("Gevraagd bedrag").fill("1500")  # €1,500 × 1 municipality
    page.get_by_label("Te bereiken gemeenten").select_option(label="Mechelen")
    page.get_by_role("button", name="Plan bewaren").click()
    page.wait_for_url(re.compile(r"/bewerken/"))
    page.get_by_label("Welke bijlage").select_option("Activiteitenplan")
    page.get_by_label("PDF-bestand").set_input_files(
        {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Opladen").click()
    page.wait_for_url(re.compile(r"/bewerken/"))
    assert page.get_by_text("De aanvraag is volledig.").is_visible()
    _axe(page)
    page.get_by_role("button", name="Aanvraag indienen").click()
    page.wait_for_url(re.compile(r"/aanvraag/\d+/$"))
    assert page.locator(".status-submitted").is_visible()
    _axe(page)
    receipt = page.request.get(f"/financiering/aanvraag/{application.pk}/ontvangstbewijs.pdf")
    assert receipt.body().startswith(b"%PDF-")

    # --- The officer checks eligibility, opens the review and assigns the reviewer ---------
    _log_in(page, base_url, staff)
    _axe(page, f"/financiering/beheer/aanvraag/{application.pk}/")
    page.get_by_label("ontvankelijk", exact=True).check()
    _submit(page, page.get_by_role("button", name="Ontvankelijkheid vastleggen"))
    page.goto(f"/financiering/beheer/ronde/{round.pk}/")
    _axe(page)
    _submit(page, page.get_by_role("button", name="Beoordeling openen"))
    page.goto(f"/financiering/beheer/aanvraag/{application.pk}/")
    page.get_by_label("Beoordelaar").select_option(label="Eline Beoordelaar")
    _submit(page, page.get_by_role("button", name="Toewijzen"))
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW

    # --- The reviewer declares no conflict and scores ------------------------------------------
    _log_in(page, base_url, judge)
    assignment = application.entry.assignments.get(reviewer=judge)
    page.goto(f"/beoordeling/toewijzing/{assignment.pk}/verklaring/")
    page.get_by_label(re.compile("geen belangenconflict", re.I)).check()
    page.get_by_role("button", name=re.compile("verklaring", re.I)).click()
    page.wait_for_url(re.compile(r"/toewijzing/\d+/$"))
    for criterion in round.panel.criteria.all():
        page.check(f"input[name='score_{criterion.pk}'][value='8']")
    _submit(page, page.get_by_role("button", name=re.compile("indienen", re.I)))
    assignment.refresh_from_db()
    assert assignment.state == "submitted"
    _axe(page, f"/financiering/aanvraag/{application.pk}/lezen/")

    # --- The officer decides; the letter is ready ---------------------------------------------
    _log_in(page, base_url, staff)
    page.goto(f"/financiering/beheer/aanvraag/{application.pk}/")
    page.get_by_label("goedgekeurd / erkend").check()
    page.get_by_label("Toegekend bedrag (euro)").fill("1500")
    _submit(page, page.get_by_role("button", name="Beslissing vastleggen"))
    _axe(page)
    letter = page.request.get(f"/financiering/aanvraag/{application.pk}/beslissing.pdf")
    assert letter.body().startswith(b"%PDF-")
    application.refresh_from_db()
    assert application.decision.amount_granted == Decimal("1500.00")

    # --- The applicant finds the first report pre-filled --------------------------------------
    _log_in(page, base_url, coordinator)
    page.goto(f"/financiering/aanvraag/{application.pk}/")
    _axe(page)
    page.get_by_role("link", name=re.compile("voortgangsrapport 1|eindrapport 1", re.I)).click()
    figures = page.locator("#reach-figures")
    assert "24" in figures.inner_text() and "11" in figures.inner_text()
    _axe(page)
    report = Report.objects.get(grant__application=application)
    assert report.prefilled_figures["participants"] == 24
    _axe(page, "/financiering/resultaten/")
