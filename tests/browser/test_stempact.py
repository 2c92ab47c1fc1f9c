"""STEMpact in the browser: a school invites a teacher, the teacher answers through the
personal link (once), the school sees its radar against the cohort median (axe-clean, no
inline styles), staff pair it with a sponsor company, the school adds an action and enters
the award, a juror scores it and staff see the ranking."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations


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


def test_school_from_baseline_to_the_jury_ranking(page, base_url):
    from stemnet.funding.tests.factories import officer, reviewer
    from stemnet.scoring import services as scoring
    from stemnet.stempact import award, pairing
    from stemnet.stempact.models import Aspect
    from stemnet.stempact.tests import factories as f

    staff = officer()
    cohort = f.cohort(staff, items_per_aspect=1)
    school = f.selected(cohort, staff, org=f.school(name="Sint-Jozef Mechelen"))
    other = f.selected(cohort, staff, org=f.school(name="Atheneum Bonheiden"))
    m = f.measurement(cohort, staff)
    f.answer_all(m, other, staff, "x@other.example.org", lambda a: 4)
    company = f.company(name="Peterbedrijf Tandwiel")
    pairing.offer_save(
        cohort=cohort,
        company=company,
        capacity=1,
        expertise=[Aspect.PROFESSIONALISATION],
        actor=staff,
    )

    # The school invites a teacher; the e-mail holds a personal link.
    _log_in(page, base_url, school.coordinator)
    page.goto(f"/stempact/school/{school.pk}/")
    page.get_by_label("E-mailadres").fill("juf.an@sint-jozef.example.org")
    mail.outbox.clear()
    _submit(page, page.get_by_role("button", name="Uitnodigen"))
    expect(page.get_by_text("De uitnodiging is onderweg.")).to_be_visible()
    link = re.search(r"https?://\S+/stempact/vragenlijst/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]

    # The teacher answers without an account; the link then says it was used.
    page.context.clear_cookies()
    page.goto(path)
    for legend in page.locator("fieldset.survey-item").all():
        legend.get_by_label("2", exact=True).check()
    page.locator("fieldset.survey-item").first.get_by_label("niet van toepassing").check()
    _submit(page, page.get_by_role("button", name="Mijn antwoorden versturen"))
    expect(page.get_by_role("heading", name="Bedankt")).to_be_visible()
    page.goto(path)
    expect(page.get_by_text("al gebruikt")).to_be_visible()

    # The school sees its radar and table against the median; both pass axe.
    _log_in(page, base_url, school.coordinator)
    page.goto(f"/stempact/school/{school.pk}/")
    radar = page.get_by_role("img", name="Je school tegenover de mediaan van de cohorte")
    expect(radar).to_be_visible()
    expect(page.get_by_role("table", name="Scores per aspect")).to_contain_text("3,00")
    assert page.locator("[style]").count() == 0
    assert_no_serious_axe_violations(page)

    # Staff pair the cohort with the engine and send the introductions.
    _log_in(page, base_url, staff)
    page.goto(f"/stempact/beheer/{cohort.pk}/koppeling/")
    _submit(page, page.get_by_role("button", name="Koppeling berekenen"))
    expect(page.get_by_role("row", name=re.compile("Sint-Jozef Mechelen"))).to_contain_text(
        "Peterbedrijf Tandwiel"
    )
    expect(page.get_by_role("row", name=re.compile("Atheneum Bonheiden"))).to_contain_text(
        "niet gekoppeld"
    )
    _submit(page, page.get_by_role("button", name="Kennismakingsmails sturen naar nieuwe koppels"))
    assert_no_serious_axe_violations(page)
    cohort = award.award_open(cohort=cohort, criteria=["Impact"], actor=staff)

    # The school adds an action to its plan and enters the award.
    _log_in(page, base_url, school.coordinator)
    page.goto(f"/stempact/school/{school.pk}/")
    page.get_by_text("Actie toevoegen").click()
    page.locator("#id_aspect").select_option(Aspect.CURRICULUM.value)
    page.locator("#id_title").fill("STEM-lijn in de eerste graad")
    page.locator("#id_owner").fill("Directie")
    page.locator("#id_due_on").fill(dt.date(2026, 5, 1).isoformat())
    _submit(page, page.get_by_role("button", name="Actie bewaren"))
    expect(page.get_by_role("table").last).to_contain_text("STEM-lijn in de eerste graad")
    page.get_by_label("Waarom je actieplan de award verdient").fill("Ons plan werkt.")
    _submit(page, page.get_by_role("button", name="Kandidaat stellen voor de award"))
    expect(page.get_by_text("Je kandidatuur is bewaard.")).to_be_visible()

    # A juror scores; staff see the ranking.
    school.refresh_from_db()
    juror = reviewer()
    assignment = scoring.assignment_create(entry=school.award_entry, reviewer=juror, actor=staff)
    scoring.assignment_declare(assignment=assignment, has_conflict=False, actor=juror)
    for criterion in cohort.award_panel.criteria.all():
        scoring.score_save(assignment=assignment, criterion=criterion, value=7, actor=juror)
    scoring.assignment_submit(assignment=assignment, actor=juror)
    _log_in(page, base_url, staff)
    page.goto(f"/stempact/beheer/{cohort.pk}/award/")
    expect(page.get_by_role("row", name=re.compile("Sint-Jozef Mechelen"))).to_contain_text("7,00")
    assert_no_serious_axe_violations(page)
