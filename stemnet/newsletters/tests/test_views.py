"""Pages: sign-up with bad input, confirm, preferences, RFC 8058 unsubscribe, archive, and the
editors' pages (forbidden to others)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from stemnet.accounts.tests.factories import UserFactory
from stemnet.newsletters import tokens
from stemnet.newsletters.models import Block, Delivery, Issue, Subscriber
from stemnet.newsletters.tests.factories import IssueFactory, SubscriberFactory, gangmaker
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
SIGNUP = reverse("newsletters:signup")


def test_sign_up_page_keeps_what_was_typed_and_names_the_errors(client):
    response = client.post(
        SIGNUP, {"email": "geen-adres", "postcode": "0000", "radius_km": "10", "ages": ["8"]}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Geef een geldig e-mailadres" in text
    assert "Onbekende postcode “0000”" in text
    assert "Vink het vakje aan" in text
    assert 'value="geen-adres"' in text
    assert Subscriber.objects.count() == 0


def test_sign_up_answer_does_not_tell_whether_the_address_is_known(client):
    SubscriberFactory(email="bekend@example.org")
    data = {"postcode": "2800", "radius_km": "10", "frequency": "every", "consent": "on"}
    known = client.post(SIGNUP, {**data, "email": "bekend@example.org"})
    new = client.post(SIGNUP, {**data, "email": "nieuw@example.org"})
    assert known.status_code == new.status_code == 200
    assert known.content.decode().count("Kijk in je mailbox") == 2  # title and heading
    assert new.content.decode().count("Kijk in je mailbox") == 2


def test_english_sign_up_in_english(client):
    response = client.post("/en" + SIGNUP, {"email": "x"})
    assert "Enter a valid e-mail address" in response.content.decode()


def test_confirm_needs_a_post_and_expired_links_say_so(client, settings):
    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING)
    url = reverse("newsletters:confirm", kwargs={"token": tokens.confirm_token(subscriber)})
    assert client.get(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING  # a scanner's GET confirms nothing
    with time_machine.travel(dt.timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS + 1)):
        expired = client.post(url)
    assert expired.status_code == 410
    assert "Deze link is verlopen" in expired.content.decode()
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert client.get(url.replace("bevestigen/", "bevestigen/x")).status_code == 404


def test_rfc8058_one_click_post_unsubscribes_without_csrf_and_get_does_not():
    client = Client(enforce_csrf_checks=True)
    subscriber = SubscriberFactory()
    issue = IssueFactory(status=Issue.Status.SENT)
    Delivery.objects.create(issue=issue, subscriber=subscriber, status="sent")
    url = reverse(
        "newsletters:unsubscribe", kwargs={"token": tokens.link_token(subscriber, issue.pk)}
    )
    page = client.get(url)
    assert page.status_code == 200 and "Ja, meld me af" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    response = client.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert Delivery.objects.get().unsubscribed_at is not None


def test_preferences_page_changes_preferences_and_resubscribes(client):
    subscriber = SubscriberFactory(status=Subscriber.Status.UNSUBSCRIBED)
    token = tokens.link_token(subscriber)
    url = reverse("newsletters:preferences", kwargs={"token": token})
    assert 'value="2800"' in client.get(url).content.decode()
    bad = client.post(url, {"postcode": "12", "radius_km": "10", "frequency": "every"})
    assert bad.status_code == 400 and 'value="12"' in bad.content.decode()
    client.post(
        url,
        {
            "postcode": "9000",
            "radius_km": "25",
            "ages": ["6"],
            "frequency": "monthly",
            "language": "en",
        },
    )
    subscriber.refresh_from_db()
    assert (subscriber.postcode, subscriber.ages, subscriber.language) == ("9000", [6], "en")
    client.post(reverse("newsletters:resubscribe", kwargs={"token": token}))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_archive_shows_sent_issues_without_personal_parts(client):
    sent = IssueFactory(status=Issue.Status.SENT, text="Openbaar nieuws")
    draft = IssueFactory(subject="Nog geheim")
    listing = client.get(reverse("newsletters:archive_list")).content.decode()
    assert sent.subject in listing and "Nog geheim" not in listing
    detail = client.get(reverse("newsletters:archive_detail", kwargs={"pk": sent.pk}))
    text = detail.content.decode()
    assert "Openbaar nieuws" in text
    assert "afmelden" not in text and "Activiteiten voor jou" not in text
    assert (
        client.get(reverse("newsletters:archive_detail", kwargs={"pk": draft.pk})).status_code
        == 404
    )
    assert client.get("/en" + reverse("newsletters:archive_list")).status_code == 200


def test_editor_pages_are_forbidden_to_others(client):
    issue = IssueFactory()
    coordinator = MembershipFactory(organisation=OrganisationFactory()).user
    for user in (UserFactory(), coordinator):
        client.force_login(user)
        assert client.get(reverse("newsletters:issue_list")).status_code == 403
        response = client.post(
            reverse("newsletters:issue_send", kwargs={"pk": issue.pk, "action": "start"})
        )
        assert response.status_code == 403
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    client.logout()
    assert client.get(reverse("newsletters:issue_list")).status_code == 302


def test_editor_writes_previews_tests_and_sends_an_issue(
    client, outbox_locmem, django_capture_on_commit_callbacks
):
    editor = gangmaker()
    SubscriberFactory()
    client.force_login(editor)
    response = client.post(
        reverse("newsletters:issue_create"),
        {"audience": "parents", "subject": "Herfstnummer", "include_digest": "on"},
    )
    issue = Issue.objects.get()
    assert response.url == reverse("newsletters:issue_detail", kwargs={"pk": issue.pk})
    add = reverse("newsletters:block_add", kwargs={"pk": issue.pk})
    no_alt = client.post(add, {"kind": "image", "title": "Foto"})
    assert no_alt.status_code == 400
    assert "Beschrijf de afbeelding" in no_alt.content.decode()
    added = client.post(add, {"kind": "text", "title": "Welkom", "text": "Fijn dat je er bent."})
    assert added.status_code == 302, added.content.decode()[-3000:]
    client.post(add, {"kind": "event", "title": "Netwerkmoment", "starts_on": "2027-09-24"})
    assert list(issue.blocks.values_list("kind", flat=True)) == ["text", "event"]
    preview = client.get(
        reverse("newsletters:issue_preview", kwargs={"pk": issue.pk}),
        {"postcode": "2800", "radius_km": "10", "ages": ["8"]},
    )
    assert "Fijn dat je er bent." in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletters:issue_test_send", kwargs={"pk": issue.pk}))
    assert mail.outbox[-1].to == [editor.email]
    assert mail.outbox[-1].subject.startswith("[TEST]")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletters:issue_send", kwargs={"pk": issue.pk, "action": "start"}))
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    progress = client.get(reverse("newsletters:issue_progress", kwargs={"pk": issue.pk}))
    assert "1 van 1" in progress.content.decode()
    again = client.post(
        reverse("newsletters:issue_send", kwargs={"pk": issue.pk, "action": "start"}),
        follow=True,
    )
    assert "maar één keer" in again.content.decode()
    assert Block.objects.filter(issue=issue).count() == 2
