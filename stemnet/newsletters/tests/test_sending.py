"""Sending through the outbox: digest, throttle, pause/resume, twice refused, unsubscribes
during a send, outcomes and hard bounces, RFC 8058 headers."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from stemnet.agenda.tests.factories import ActivityFactory, in_days
from stemnet.core.models import Job, OutboxMessage
from stemnet.newsletters import selectors
from stemnet.newsletters.models import Delivery, DigestResult, Issue, Subscriber
from stemnet.newsletters.services import sending
from stemnet.newsletters.services.subscribers import subscriber_unsubscribe
from stemnet.newsletters.tests.factories import IssueFactory, SubscriberFactory, gangmaker
from stemnet.organisations.tests.factories import municipality

pytestmark = pytest.mark.django_db


def start(issue, editor, capture):
    with capture(execute=True):
        sending.issue_send_start(issue=issue, actor=editor)
    issue.refresh_from_db()
    return issue


def next_batch(capture, minutes=1):
    with capture(execute=True):
        return sending.issues_send_due(now=timezone.now() + dt.timedelta(minutes=minutes))


def test_digest_matches_preferences_with_one_search_per_preference_set(
    outbox_locmem, django_capture_on_commit_callbacks, monkeypatch
):
    near = ActivityFactory(title="Robots bouwen in Mechelen", age_min=8, age_max=12)
    ActivityFactory(title="Te jong", age_min=5, age_max=6)
    ActivityFactory(
        title="Ver weg in Gent",
        municipality=municipality("44021"),
        postcode="9000",
        lat=51.05,
        lon=3.72,
    )
    ActivityFactory(title="Te laat", sessions=[(in_days(90), in_days(90, 16))])
    mechelen = [SubscriberFactory() for _ in range(3)]
    ghent = [SubscriberFactory(postcode="9000", province="40000") for _ in range(2)]
    calls = []
    real = selectors.digest_search
    monkeypatch.setattr(selectors, "digest_search", lambda s: calls.append(s) or real(s))

    issue = start(IssueFactory(), gangmaker(), django_capture_on_commit_callbacks)

    assert len(calls) == 2  # two distinct preference sets, five subscribers
    assert DigestResult.objects.filter(issue=issue).count() == 2
    assert issue.status == Issue.Status.SENT
    by_address = {m.to[0]: m for m in mail.outbox}
    for subscriber in mechelen:
        body = by_address[subscriber.email].body
        assert near.title in body
        assert "Te jong" not in body and "Ver weg in Gent" not in body and "Te laat" not in body
    for subscriber in ghent:
        body = by_address[subscriber.email].body
        assert "Ver weg in Gent" in body and near.title not in body
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert Delivery.objects.get(subscriber=mechelen[0]).activity_count == 1


def test_throttled_batches_with_pause_resume_and_unsubscribe_during_the_send(
    outbox_locmem, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_MAILS_PER_MINUTE = 2
    subscribers = [SubscriberFactory() for _ in range(6)]
    issue = IssueFactory(include_digest=False)
    issue = start(issue, gangmaker(), django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2  # the first minute's batch
    assert (issue.job.done, issue.job.total) == (2, 6)
    assert next_batch(django_capture_on_commit_callbacks, minutes=0) == 0  # not due yet

    sending.issue_send_pause(issue=issue, actor=None)
    assert next_batch(django_capture_on_commit_callbacks) == 0
    subscriber_unsubscribe(subscriber=subscribers[-1], ip=None)
    sending.issue_send_resume(issue=issue, actor=None)
    assert next_batch(django_capture_on_commit_callbacks) == 2
    assert next_batch(django_capture_on_commit_callbacks, minutes=2) == 1

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert issue.job.status == Job.Status.DONE
    mailed = sorted(m.to[0] for m in mail.outbox)
    assert mailed == sorted(s.email for s in subscribers[:5])  # not the one who left


def test_an_issue_goes_out_only_once(outbox_locmem, django_capture_on_commit_callbacks):
    SubscriberFactory()
    editor = gangmaker()
    issue = start(IssueFactory(), editor, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as caught:
        sending.issue_send_start(issue=issue, actor=editor)
    assert caught.value.code == "already_sent"
    assert len(mail.outbox) == 1


def test_segment_by_province_age_and_theme():
    issue = IssueFactory(segment_provinces=["10000"], segment_ages=[8], segment_themes=["energie"])
    yes = SubscriberFactory(ages=[8], themes=["energie"])
    SubscriberFactory(province="40000")
    SubscriberFactory(ages=[15])
    SubscriberFactory(themes=["zorg"])
    no_preferences = SubscriberFactory(ages=[], themes=[])
    found = selectors.recipients_after(issue, after_pk=0, limit=10)
    assert found == [yes, no_preferences]
    assert selectors.recipients_count(issue) == 2


def test_monthly_subscribers_skip_an_issue_within_four_weeks(
    outbox_locmem, django_capture_on_commit_callbacks
):
    monthly = SubscriberFactory(frequency="monthly")
    editor = gangmaker()
    start(IssueFactory(include_digest=False), editor, django_capture_on_commit_callbacks)
    start(IssueFactory(include_digest=False), editor, django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == [monthly.email]


def test_smtp_outcomes_hard_bounce_and_rfc8058_headers(
    smtp_server, django_capture_on_commit_callbacks
):
    good = SubscriberFactory(email="goed@example.org")
    bad = SubscriberFactory(email="refuse-me@example.org")
    issue = start(
        IssueFactory(include_digest=False), gangmaker(), django_capture_on_commit_callbacks
    )

    outcomes = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert outcomes == {good.email: "sent", bad.email: "bounced"}
    bad.refresh_from_db()
    assert bad.status == Subscriber.Status.BOUNCED
    assert "550" in Delivery.objects.get(subscriber=bad).error
    assert OutboxMessage.objects.filter(status="failed").count() == 1
    assert selectors.issue_figures(issue) == {
        "queued": 0,
        "sent": 1,
        "failed": 0,
        "bounced": 1,
        "unsubscribed": 0,
    }
    [received] = smtp_server.received
    message = received.message
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<http")
    assert "/nieuwsbrief/afmelden/" in message["List-Unsubscribe"]

    # A bounced address is not mailed again.
    next_issue = start(
        IssueFactory(include_digest=False), gangmaker(), django_capture_on_commit_callbacks
    )
    assert list(next_issue.deliveries.values_list("subscriber", flat=True)) == [good.pk]


def test_a_temporary_failure_waits_for_the_retry(smtp_server, django_capture_on_commit_callbacks):
    SubscriberFactory()
    smtp_server.stop()
    issue = start(
        IssueFactory(include_digest=False), gangmaker(), django_capture_on_commit_callbacks
    )
    assert selectors.issue_figures(issue)["queued"] == 1
    row = OutboxMessage.objects.get()
    assert row.status == "queued" and row.attempts == 1
    smtp_server.start()
    from stemnet.core.outbox import outbox_send_due

    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox_send_due()
    assert selectors.issue_figures(issue)["sent"] == 1
