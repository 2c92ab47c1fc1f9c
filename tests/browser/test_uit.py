"""UiTdatabank sync page in the browser: a coordinator sees the reason of a failed sync in
Dutch, retries, and sees the activity "op UiT" with its link (local fake UiTdatabank)."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def fake_uit(settings):
    from django.core.cache import cache

    from stemnet.uit.tests.fakeuit import Server

    cache.clear()
    with Server() as state:
        settings.UIT_TOKEN_URL = f"{state.base}/oauth/token"
        settings.UIT_CLIENT_ID = "stemnet-test"
        settings.UIT_CLIENT_SECRET = "geheim"
        settings.UIT_ENTRY_URL = f"{state.base}/entry"
        settings.UIT_SEARCH_URL = f"{state.base}/search"
        yield state
    cache.clear()


def test_coordinator_retries_a_failed_sync_and_sees_it_on_uit(page, base_url, fake_uit):
    from stemnet.accounts.tests.factories import UserFactory
    from stemnet.agenda.tests.factories import ActivityFactory
    from stemnet.organisations.models import Membership, Organisation
    from stemnet.organisations.tests.factories import MembershipFactory
    from stemnet.uit.models import UitSync

    vonk = Organisation.objects.get(name="STEM-academie De Vonk Mechelen")
    user = UserFactory()
    MembershipFactory(user=user, organisation=vonk, role=Membership.Role.COORDINATOR)
    activity = ActivityFactory(organiser=vonk, title="Robots bouwen voor 10-jarigen")
    UitSync.objects.create(
        activity=activity, state="failed", last_error="UiTdatabank had een storing (HTTP 503)."
    )
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )

    page.goto("/uit/activiteiten/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("UiTdatabank")
    row = page.get_by_role("row", name="Robots bouwen voor 10-jarigen")
    expect(row).to_contain_text("versturen naar UiT mislukt")
    expect(row).to_contain_text("UiTdatabank had een storing")
    assert_no_serious_axe_violations(page)

    row.get_by_role("button", name="Opnieuw proberen").click()
    expect(page.get_by_text("staat in de wachtrij voor UiTdatabank")).to_be_visible()
    row = page.get_by_role("row", name="Robots bouwen voor 10-jarigen")
    link = row.get_by_role("link", name="op UiT")
    expect(link).to_be_visible()
    sync = UitSync.objects.get(activity=activity)
    assert sync.state == "sent" and link.get_attribute("href") == sync.uit_url
    assert [r.path for r in fake_uit.entry_calls()][-1] == "/entry/events"
    assert_no_serious_axe_violations(page)
