import pytest
from django.urls import reverse

from stemnet.accounts.tests.factories import UserFactory
from stemnet.agenda.models import Activity
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory
from stemnet.uit.models import UitSync

pytestmark = pytest.mark.django_db
URL = reverse("uit:sync_list")


def coordinator(organisation):
    user = UserFactory()
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.COORDINATOR)
    return user


def test_anonymous_must_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


def test_forbidden_for_non_coordinators(client):
    organisation = OrganisationFactory()
    member = UserFactory()
    MembershipFactory(user=member, organisation=organisation, role=Membership.Role.MEMBER)
    client.force_login(member)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"organisation": organisation.slug}).status_code == 403
    activity = ActivityFactory(organiser=organisation)
    response = client.post(reverse("uit:sync_retry", args=[activity.pk]))
    assert response.status_code == 403
    other = coordinator(OrganisationFactory())
    client.force_login(other)
    assert client.get(URL, {"organisation": organisation.slug}).status_code == 403
    assert client.post(reverse("uit:sync_retry", args=[activity.pk])).status_code == 403


def test_page_shows_each_state_and_says_when_not_configured(client, no_uit):
    organisation = OrganisationFactory()
    client.force_login(coordinator(organisation))
    sent = ActivityFactory(organiser=organisation, title="Op UiT")
    UitSync.objects.create(
        activity=sent, state="sent", uit_id="x", uit_url="https://io-test.uitdatabank.be/events/x"
    )
    failed = ActivityFactory(organiser=organisation, title="Mislukt")
    UitSync.objects.create(
        activity=failed, state="failed", last_error="UiTdatabank had een storing"
    )
    ActivityFactory(organiser=organisation, title="Nooit verstuurd")
    ActivityFactory(title="Van iemand anders")
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "UiTdatabank is niet ingesteld." in html
    assert 'href="https://io-test.uitdatabank.be/events/x"' in html and "op UiT" in html
    # Without credentials nothing can be sent: no activity offers to send or try again, and
    # each says why.
    assert "Opnieuw proberen" not in html and "Opnieuw versturen" not in html
    assert html.count("Niet verstuurd: UiTdatabank is niet ingesteld op deze site.") == 3
    assert "UiTdatabank had een storing" not in html
    assert "Van iemand anders" not in html


def test_retry_sends_it_against_the_fake(client, fake_uit, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    client.force_login(coordinator(organisation))
    activity = ActivityFactory(organiser=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("uit:sync_retry", args=[activity.pk]))
    assert response.status_code == 302
    sync = UitSync.objects.get(activity=activity)
    assert sync.state == UitSync.State.SENT
    page = client.get(response["Location"]).content.decode()
    assert sync.uit_url in page
    assert "UiTdatabank is niet ingesteld." not in page


def test_imported_activities_cannot_be_sent_back(client):
    organisation = OrganisationFactory()
    client.force_login(coordinator(organisation))
    activity = ActivityFactory(
        organiser=organisation, source=Activity.Source.UIT, external_id="abc"
    )
    assert client.post(reverse("uit:sync_retry", args=[activity.pk])).status_code == 403


def test_stored_reasons_are_shown_in_the_readers_language(client, fake_uit):
    from stemnet.uit.models import REASON_ENDED

    organisation = OrganisationFactory()
    client.force_login(coordinator(organisation))
    ended = ActivityFactory(organiser=organisation, title="Voorbij")
    UitSync.objects.create(activity=ended, state="sent", uit_id="y", last_error=REASON_ENDED)
    failed = ActivityFactory(organiser=organisation, title="Mislukt")
    UitSync.objects.create(activity=failed, state="failed", last_error="HTTP 503 from UiT")
    dutch = client.get(URL).content.decode()
    assert REASON_ENDED in dutch and "Opnieuw proberen" in dutch
    english = client.get("/en" + URL).content.decode()
    assert "Activity ended: it stays unchanged on UiT." in english
    assert REASON_ENDED not in english
    assert "HTTP 503 from UiT" in english and "Try again" in english
