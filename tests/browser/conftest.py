"""Browser tests: Django's live server driven by Debian's Chromium through Playwright.

* ``browser`` (session): headless Chromium at ``/usr/bin/chromium``. When it is missing the
  tests are skipped locally and FAIL in CI (environment variable ``CI`` set).
* ``page``: a fresh browser page on the live server (``base_url``) with a small, fixed data
  set (academies around Mechelen, a partnership, news). Screenshots of failed tests go to
  ``tests/browser/screenshots/`` (ignored by git).
* ``assert_no_serious_axe_violations(page)`` (in ``tests/browser/axe.py``): runs the vendored
  axe-core and fails on any violation of impact "serious" or "critical".
"""

from __future__ import annotations

import contextlib
import os
import random
import re
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
MISSING = f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test."""
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    # Playwright's sync API keeps an asyncio loop in this thread; Django would then refuse
    # database access from the test code (fixtures, factories).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()
    playwright.stop()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture
def demo_site(reference_data):
    """A small, fixed data set: enough for every public page to show real content."""
    from stemnet.organisations.models import Organisation, PartnershipMember
    from stemnet.organisations.tests.factories import OrganisationFactory, municipality

    mechelen = municipality("12025")
    bonheiden = municipality("12005")
    gent = municipality("44021")
    vonk = OrganisationFactory(
        name="STEM-academie De Vonk Mechelen",
        description="Robots, micro:bit en proefjes voor kinderen van 8 tot 14 jaar.",
        website="https://example.org/de-vonk",
    )
    vonk.municipalities_served.set([mechelen, bonheiden])
    tandwiel = OrganisationFactory(name="Robotclub Het Tandwiel Mechelen")
    tandwiel.municipalities_served.set([mechelen])
    nest = OrganisationFactory(
        name="STEM-academie Het Uitvindersnest Bonheiden",
        postcode="2820",
        municipality=bonheiden,
        street="Voorbeeldstraat 3",
    )
    nest.municipalities_served.set([bonheiden, mechelen])
    OrganisationFactory(
        name="Wetenschapsatelier De Zeppelin Gent", postcode="9000", municipality=gent
    )
    wiweter = OrganisationFactory(name="WiWeTeR Thomas More", type=Organisation.Type.GANGMAKER)
    neteland = OrganisationFactory(
        name="Neteland STEM-land",
        type=Organisation.Type.PARTNERSHIP,
        postcode="2200",
        municipality=municipality("13011"),
    )
    PartnershipMember.objects.create(
        partnership=neteland, member=wiweter, role=PartnershipMember.Role.KNOWLEDGE_INSTITUTION
    )
    PartnershipMember.objects.create(
        partnership=neteland, member=vonk, role=PartnershipMember.Role.ACADEMY
    )
    try:
        from stemnet.portal.demo import seed_news
    except ImportError:  # pragma: no cover - the portal's demo news is optional
        seed_news = None
    if seed_news:
        seed_news(random.Random(2020))
    return {"academies": [vonk, tandwiel, nest], "partnership": neteland}


@pytest.fixture
def page(browser, base_url, demo_site, request):
    context = browser.new_context(base_url=base_url, locale="nl-BE")
    context.set_default_timeout(10_000)
    page = context.new_page()
    # Chromium reports each Content-Security-Policy refusal on the console: a page or script
    # of ours that the policy blocks fails the test that drove it (issue 13).
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{message.text} ({message.location})")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::")[-1])
        # A screenshot that cannot be taken must never hide the real failure.
        with contextlib.suppress(Exception):
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()
    assert not refused, "Content-Security-Policy refused:\n" + "\n".join(refused)
