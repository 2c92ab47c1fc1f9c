"""Automatic retries of failed UiTdatabank syncs, then parking and an alert.

A sync that fails for a reason that may pass (UiTdatabank unreachable, 5xx, 429, refused
credentials; not a refusal of the content) stays queued and is tried again after
``UIT_SYNC_RETRY_BASE_SECONDS`` × 2^(n−1) (at most ``UIT_SYNC_RETRY_MAX_SECONDS``). After
``UIT_SYNC_MAX_ATTEMPTS`` failed attempts in a row it is parked as failed with its reason, and
the organiser's coordinators get one mail (through the mail outbox) pointing to the UiT page,
where the state and the reason show and "Try again" starts a fresh round.

The retry is a deferred task where the task backend can defer (database, RQ); ``manage.py
uit_retry`` (cron) runs every due retry in any case.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from stemnet.core import audit
from stemnet.uit.models import UitSync

State = UitSync.State


def retry_delay(failed_attempts: int) -> dt.timedelta:
    seconds = settings.UIT_SYNC_RETRY_BASE_SECONDS * 2 ** max(0, failed_attempts - 1)
    return dt.timedelta(seconds=min(seconds, settings.UIT_SYNC_RETRY_MAX_SECONDS))


def uit_sync_failed(*, sync: UitSync, reason: str) -> UitSync:
    """Record a failed attempt: queue the next one with backoff, or park and alert."""
    from stemnet.core.tasks import enqueue_later
    from stemnet.uit.tasks import sync_activity

    sync.failed_attempts += 1
    sync.last_error = reason
    if sync.failed_attempts >= settings.UIT_SYNC_MAX_ATTEMPTS:
        sync.state = State.FAILED
        sync.next_attempt_at = None
        sync.save()
        audit.record(
            sync,
            "uit.uitsync.failed",
            data={"error": reason[:500], "attempts": sync.failed_attempts},
        )
        transaction.on_commit(lambda: _alert_coordinators(sync.pk), robust=True)
        return sync
    sync.state = State.QUEUED
    sync.next_attempt_at = timezone.now() + retry_delay(sync.failed_attempts)
    sync.save()
    activity_id, when = sync.activity_id, sync.next_attempt_at
    transaction.on_commit(
        lambda: enqueue_later(sync_activity, when, activity_id=activity_id), robust=True
    )
    return sync


def uit_retry_due(*, limit: int = 200) -> int:
    """Run every sync whose automatic retry is due (``manage.py uit_retry``)."""
    from stemnet.uit.services import uit_sync_activity

    due = UitSync.objects.filter(state=State.QUEUED, next_attempt_at__lte=timezone.now())
    ids = list(due.order_by("next_attempt_at").values_list("activity_id", flat=True)[:limit])
    for activity_id in ids:
        uit_sync_activity(activity_id=activity_id)
    return len(ids)


def _alert_coordinators(sync_id: int) -> None:
    from stemnet.organisations.selectors import members_of

    sync = UitSync.objects.select_related("activity__organiser").get(pk=sync_id)
    organiser = sync.activity.organiser
    coordinators = [
        m.user for m in members_of(organiser) if m.role == m.Role.COORDINATOR and m.user.email
    ]
    for user in coordinators:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            link = settings.SITE_URL + reverse("uit:sync_list") + f"?organisation={organiser.slug}"
            context = {"sync": sync, "activity": sync.activity, "link": link}
            subject = render_to_string("uit/email/sync_failed_subject.txt", context)
            body = render_to_string("uit/email/sync_failed.txt", context)
        send_mail(" ".join(subject.split()), body, None, [user.email])
