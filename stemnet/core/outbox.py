"""The durable mail outbox: store, send with retries and backoff, park as failed, retry.

* ``outbox_store`` (called by ``mail.OutboxBackend``) writes the row in the caller's
  transaction and enqueues ``tasks.outbox_send`` on commit. If the enqueue itself fails (the
  broker is away), the row waits for ``manage.py send_outbox``.
* ``outbox_deliver`` claims a due row (one UPDATE, so two workers never send the same row),
  sends it outside any transaction through ``OUTBOX_DELIVERY_BACKEND`` and records the result.
  A failure schedules the next attempt after ``OUTBOX_RETRY_BASE_SECONDS`` × 2^(attempt−1)
  (at most ``OUTBOX_RETRY_MAX_SECONDS``); after ``OUTBOX_MAX_ATTEMPTS`` attempts, or on a
  permanent refusal (SMTP 5xx), the row is parked as failed with the reason.
* ``outbox_send_due`` is the periodic sweep (``manage.py send_outbox``, from cron): it sends
  every due row, gives back rows a crashed worker left "being sent", and forgets sent mail
  after ``OUTBOX_KEEP_DAYS``.
* ``outbox_retry`` is the staff's "retry now".
* ``outbox_finished`` (a signal) tells listeners the sender need not know (the newsletters'
  delivery log) that a message went out or failed for good, and which recipients the mail
  server refused permanently (a hard bounce).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from stemnet.core import audit
from stemnet.core.mail import StoredEmail
from stemnet.core.models import OutboxMessage

logger = logging.getLogger(__name__)
Status = OutboxMessage.Status

# Sent after a message is sent (``status="sent"``) or parked as failed (``status="failed"``):
# kwargs ``message`` (the row), ``status``, ``error`` and ``bounced`` (the recipients the
# mail server refused with a 5xx answer).
outbox_finished = Signal()


def _enqueue(message_id: int, run_after: dt.datetime | None = None) -> None:
    from stemnet.core.tasks import enqueue_later, outbox_send

    try:
        if run_after is None:
            outbox_send.enqueue(message_id=message_id)
        else:
            enqueue_later(outbox_send, run_after, message_id=message_id)
    except Exception:  # the broker is away: the row stays queued for send_outbox
        logger.exception("Could not enqueue outbox message %s; send_outbox will", message_id)


def outbox_store(*, message) -> OutboxMessage:
    """Write one ``EmailMessage`` to the outbox; it is sent after the transaction commits."""
    row = OutboxMessage.objects.create(
        subject=str(message.subject or "")[:255],
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        recipients=[str(address) for address in message.recipients()],
        message=message.message().as_bytes(),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(row.pk), robust=True)
    return row


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base × 2^(attempts−1), capped."""
    seconds = settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)
    return dt.timedelta(seconds=min(seconds, settings.OUTBOX_RETRY_MAX_SECONDS))


def _permanent(exc: Exception) -> bool:
    """The mail server refused for good (5xx): trying again would give the same answer."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _refused(exc: Exception) -> list[str]:
    """The recipients a mail server refused for good (5xx to RCPT TO): hard bounces."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return [str(rcpt) for rcpt, (code, _m) in exc.recipients.items() if code >= 500]
    return []


def _finished(row: OutboxMessage, exc: Exception | None = None) -> None:
    try:
        outbox_finished.send(
            sender=OutboxMessage,
            message=row,
            status=row.status,
            error=row.last_error,
            bounced=_refused(exc) if exc is not None else [],
        )
    except Exception:  # a listener's fault must not undo a sent mail or retry it
        logger.exception("A listener of outbox_finished failed for message %s", row.pk)


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _claim(message_id: int, now: dt.datetime) -> OutboxMessage | None:
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=Status.QUEUED, next_attempt_at__lte=now
    ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    return OutboxMessage.objects.get(pk=message_id) if claimed else None


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    """Send one due message (background task); ``None`` when it is not due or not queued."""
    now = timezone.now()
    row = _claim(message_id, now)
    if row is None:
        return None
    try:
        stored = StoredEmail(
            raw=bytes(row.message), from_email=row.from_email, recipients=row.recipients
        )
        with get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False) as conn:
            conn.send_messages([stored])
    except Exception as exc:  # any failure of the mail server or the network
        return _attempt_failed(row, exc)
    row.status = Status.SENT
    row.sent_at = timezone.now()
    row.claimed_at = None
    row.next_attempt_at = None
    row.last_error = ""
    row.message = b""
    fields = ["status", "sent_at", "claimed_at", "next_attempt_at", "last_error", "message"]
    row.save(update_fields=fields)
    _finished(row)
    return row


def _attempt_failed(row: OutboxMessage, exc: Exception) -> OutboxMessage:
    row.last_error = _reason(exc)
    row.claimed_at = None
    if _permanent(exc) or row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        row.status = Status.FAILED
        row.next_attempt_at = None
        logger.error("Outbox message %s failed for good: %s", row.pk, row.last_error)
    else:
        row.status = Status.QUEUED
        row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
        logger.warning(
            "Outbox message %s: attempt %s failed (%s); next at %s",
            row.pk,
            row.attempts,
            row.last_error,
            row.next_attempt_at.isoformat(),
        )
    row.save(update_fields=["status", "last_error", "claimed_at", "next_attempt_at"])
    if row.status == Status.QUEUED:
        _enqueue(row.pk, run_after=row.next_attempt_at)
    else:
        _finished(row, exc)
    return row


@dataclass
class SweepResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0
    purged: int = 0


def outbox_send_due(*, limit: int = 500) -> SweepResult:
    """Send every due message (``manage.py send_outbox``), oldest first."""
    now = timezone.now()
    result = SweepResult()
    stale = now - dt.timedelta(seconds=settings.OUTBOX_SENDING_TIMEOUT_SECONDS)
    result.released = OutboxMessage.objects.filter(
        status=Status.SENDING, claimed_at__lt=stale
    ).update(status=Status.QUEUED, claimed_at=None, next_attempt_at=now)
    due = OutboxMessage.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
    for message_id in due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]:
        row = outbox_deliver(message_id=message_id)
        if row is None:
            continue
        if row.status == Status.SENT:
            result.sent += 1
        elif row.status == Status.FAILED:
            result.failed += 1
        else:
            result.retrying += 1
    keep = now - dt.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    result.purged, _detail = OutboxMessage.objects.filter(
        status=Status.SENT, sent_at__lt=keep
    ).delete()
    return result


@transaction.atomic
def outbox_retry(*, message: OutboxMessage, actor) -> bool:
    """Staff's "retry now": a failed or waiting message is sent again at once (fresh attempts)."""
    row = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if row.status not in (Status.QUEUED, Status.FAILED):
        return False
    previous = {"status": row.status, "attempts": row.attempts, "error": row.last_error[:500]}
    if row.status == Status.FAILED:
        row.attempts = 0
    row.status = Status.QUEUED
    row.next_attempt_at = timezone.now()
    row.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(row, "core.outboxmessage.retried", actor=actor, data=previous)
    transaction.on_commit(lambda: _enqueue(row.pk), robust=True)
    return True
