"""The programme office and the coordinator's activity list on a 390 px phone: no page
scrolls sideways, headings sit below the site header and tab titles hold no markup."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from tests.browser.axe import assert_no_serious_axe_violations

PHONE = {"width": 390, "height": 844}


def _log_in(page, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def _check(page, path: str) -> None:
    page.goto(path)
    assert "<" not in page.title(), page.title()
    # The first heading of the page comes after the site header, inside the main content.
    assert page.evaluate("document.querySelector('h1, h2').closest('main') !== null"), (
        f"{path}: a heading is rendered outside <main>"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} scrolls sideways: {width} px"
    assert_no_serious_axe_violations(page)


@pytest.fixture
def office(demo_site):
    from stemnet.agenda.tests.factories import ActivityFactory, in_days
    from stemnet.funding.tests.factories import ApplicationFactory, RoundFactory, officer

    vonk = demo_site["academies"][0]
    round = RoundFactory(
        title_nl="Erkenning en ondersteuning STEM-academies (test)", budget=Decimal("308500")
    )
    ApplicationFactory(round=round, organisation=vonk, title="Robotica in elke deelgemeente")
    for n in range(3):
        ActivityFactory(
            organiser=vonk,
            title=f"Zonne-energie: bouw een zonnewagentje en laat het racen {n}",
            sessions=[(in_days(7 + n), in_days(7 + n, 16)), (in_days(14 + n), in_days(14 + n, 16))],
        )
    return {"round": round, "officer": officer(), "academy": vonk}


def test_office_pages_fit_a_phone(page, base_url, office):
    from stemnet.funding.tests.factories import coordinator_of

    page.set_viewport_size(PHONE)
    _log_in(page, base_url, office["officer"])
    _check(page, "/financiering/beheer/")
    _check(page, f"/financiering/beheer/ronde/{office['round'].pk}/")
    page.context.clear_cookies()
    _log_in(page, base_url, coordinator_of(office["academy"]))
    _check(page, "/agenda/beheer/")
