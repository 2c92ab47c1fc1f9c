"""Sending an issue in the background, through the durable outbox.

``issue_send_start`` refuses an issue that is not a draft (no issue goes out twice), counts
the recipients into a ``core.Job`` and enqueues the first batch. Each batch
(``issue_send_batch``) writes at most ``NEWSLETTER_MAILS_PER_MINUTE`` mails to the outbox,
one ``Delivery`` row each, and schedules the next batch a minute later: that is the throttle.
The outbox sends each mail with its retries and backoff; its ``outbox_finished`` signal
records the outcome on the delivery (``receivers``), and a permanent refusal of the address
(a hard bounce) stops mail to it. Pause stops the batches; resume goes on where it stopped.
Who unsubscribes while a send runs is not mailed: each batch reads the active subscribers.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.core.models import Job
from stemnet.core.outbox import outbox_store
from stemnet.newsletters import mails, selectors
from stemnet.newsletters.models import Audience, Delivery, Issue

logger = logging.getLogger(__name__)
JOB_KIND = "newsletters.send"
BATCH_INTERVAL = dt.timedelta(minutes=1)


def _enqueue_batch(issue_id: int, run_after: dt.datetime | None = None) -> None:
    from stemnet.core.tasks import enqueue_later
    from stemnet.newsletters.tasks import issue_send_batch_task

    try:
        if run_after is None:
            issue_send_batch_task.enqueue(issue_id=issue_id)
        else:
            enqueue_later(issue_send_batch_task, run_after, issue_id=issue_id)
    except Exception:  # the broker is away: manage.py newsletter_send picks it up
        logger.exception("Could not enqueue a batch of issue %s", issue_id)


def issue_send_start(*, issue: Issue, actor) -> Issue:
    """Start sending; a ValidationError if it is not a draft or has no content."""
    if issue.audience == Audience.ACADEMIES:
        from stemnet.newsletters.services.subscribers import subscribers_sync_directory

        subscribers_sync_directory()
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != Issue.Status.DRAFT:
            raise ValidationError(
                _("This issue has already been sent or is being sent; it goes out only once."),
                code="already_sent",
            )
        if not issue.blocks.exists() and not mails.wants_digest(issue):
            raise ValidationError(_("Add at least one block before you send the issue."))
        now = timezone.now()
        issue.job = Job.objects.create(
            kind=JOB_KIND,
            owner=actor,
            status=Job.Status.RUNNING,
            total=selectors.recipients_count(issue),
            result={"issue": issue.pk, "cursor": 0},
        )
        issue.status = Issue.Status.SENDING
        issue.started_at = now
        issue.next_batch_at = now
        issue.save(update_fields=["job", "status", "started_at", "next_batch_at", "updated_at"])
        audit.record(issue, "newsletters.issue.send_started", actor=actor)
        transaction.on_commit(lambda: _enqueue_batch(issue.pk), robust=True)
    return issue


def issue_send_batch(*, issue_id: int, now: dt.datetime | None = None) -> int:
    """Write the next batch of mails to the outbox; returns how many. Does nothing unless
    the issue is sending and its batch is due (so a duplicate task is harmless)."""
    now = now or timezone.now()
    with transaction.atomic():
        issue = Issue.objects.select_for_update().filter(pk=issue_id).first()
        if issue is None or issue.status != Issue.Status.SENDING:
            return 0
        if issue.next_batch_at and issue.next_batch_at > now:
            return 0
        job = Job.objects.select_for_update().get(pk=issue.job_id)
        batch = selectors.recipients_after(
            issue,
            after_pk=job.result.get("cursor", 0),
            limit=settings.NEWSLETTER_MAILS_PER_MINUTE,
            now=now,
        )
        _write_batch(issue, batch)
        job.result["cursor"] = batch[-1].pk if batch else job.result.get("cursor", 0)
        job.done = min(job.total, job.done + len(batch)) if job.total else job.done
        if len(batch) < settings.NEWSLETTER_MAILS_PER_MINUTE:
            _finish(issue, job, now)
        else:
            issue.next_batch_at = now + BATCH_INTERVAL
            issue.save(update_fields=["next_batch_at", "updated_at"])
            run_after = issue.next_batch_at
            transaction.on_commit(lambda: _enqueue_batch(issue.pk, run_after), robust=True)
        job.save(update_fields=["result", "done", "status", "updated_at"])
    return len(batch)


def _write_batch(issue: Issue, batch: list) -> None:
    languages: dict[str, list[dict]] = {}
    digests: dict[str, list[dict]] = {}
    personal = mails.wants_digest(issue)
    for subscriber in batch:
        if subscriber.language not in languages:
            from django.utils import translation

            with translation.override(subscriber.language):
                languages[subscriber.language] = mails.issue_blocks(issue)
        digest = selectors.digest_for(issue, subscriber, digests) if personal else None
        message = mails.issue_message(
            issue, subscriber, blocks=languages[subscriber.language], digest=digest
        )
        row = outbox_store(message=message)
        Delivery.objects.create(
            issue=issue,
            subscriber=subscriber,
            outbox_message_id=row.pk,
            activity_count=len(digest or []),
        )


def _finish(issue: Issue, job: Job, now: dt.datetime) -> None:
    issue.status = Issue.Status.SENT
    issue.sent_at = now
    issue.next_batch_at = None
    issue.save(update_fields=["status", "sent_at", "next_batch_at", "updated_at"])
    job.status = Job.Status.DONE
    job.done = job.total = issue.deliveries.count()
    audit.record(issue, "newsletters.issue.sent", data={"mails": job.done})


@transaction.atomic
def issue_send_pause(*, issue: Issue, actor) -> bool:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != Issue.Status.SENDING:
        return False
    issue.status = Issue.Status.PAUSED
    issue.save(update_fields=["status", "updated_at"])
    audit.record(issue, "newsletters.issue.paused", actor=actor)
    return True


@transaction.atomic
def issue_send_resume(*, issue: Issue, actor) -> bool:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != Issue.Status.PAUSED:
        return False
    issue.status = Issue.Status.SENDING
    issue.next_batch_at = timezone.now()
    issue.save(update_fields=["status", "next_batch_at", "updated_at"])
    audit.record(issue, "newsletters.issue.resumed", actor=actor)
    transaction.on_commit(lambda: _enqueue_batch(issue.pk), robust=True)
    return True


def issues_send_due(*, now: dt.datetime | None = None) -> int:
    """The sweep (``manage.py newsletter_send``, from cron): run every due batch."""
    now = now or timezone.now()
    due = Issue.objects.filter(status=Issue.Status.SENDING, next_batch_at__lte=now)
    return sum(issue_send_batch(issue_id=pk, now=now) for pk in due.values_list("pk", flat=True))


def delivery_record_outcome(*, message_id: int, status: str, error: str, bounced) -> None:
    """The outbox finished a message: log the outcome on its delivery; a hard bounce stops
    mail to the address."""
    from stemnet.newsletters.services.subscribers import subscriber_record_bounce

    delivery = (
        Delivery.objects.select_related("subscriber").filter(outbox_message_id=message_id).first()
    )
    if delivery is None:
        return
    email = delivery.subscriber.email
    if bounced and email in {b.lower() for b in bounced}:
        delivery.status = Delivery.Status.BOUNCED
        subscriber_record_bounce(email=email, reason=error)
    elif status == "sent":
        delivery.status = Delivery.Status.SENT
    else:
        delivery.status = Delivery.Status.FAILED
    delivery.error = error[:2000]
    delivery.finished_at = timezone.now()
    delivery.save(update_fields=["status", "error", "finished_at"])
