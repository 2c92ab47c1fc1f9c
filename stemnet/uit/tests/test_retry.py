"""Failed UiTdatabank syncs are retried with backoff, then parked and the coordinator alerted.

Only UiTdatabank is faked (``fakeuit``: publiq's token endpoint and Entry API, checking each
body against publiq's schema); mail goes through the real outbox.
"""

from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stemnet.accounts.tests.factories import UserFactory
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import MembershipFactory
from stemnet.uit import services
from stemnet.uit.models import UitSync
from stemnet.uit.retry import uit_retry_due

pytestmark = pytest.mark.django_db
State = UitSync.State
DOWN = [(503, {}, {"title": "Service Unavailable"})] * 4  # the client's 4 tries of one attempt


@pytest.fixture
def retries(settings, outbox_locmem):
    settings.UIT_SYNC_MAX_ATTEMPTS = 3
    settings.UIT_SYNC_RETRY_BASE_SECONDS = 300
    settings.UIT_SYNC_RETRY_MAX_SECONDS = 3600
    return settings


def coordinator_of(activity, **kwargs):
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=activity.organiser, role=Membership.Role.COORDINATOR)
    return user


def test_retried_with_backoff_then_parked_and_coordinators_alerted(
    fake_uit, retries, client, django_capture_on_commit_callbacks
):
    activity = ActivityFactory(title="Robotkamp")
    coordinator = coordinator_of(activity, language="nl")
    fake_uit.fail_next("POST", r"^/entry/events$", *DOWN * 3)
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            sync = services.uit_sync_activity(activity_id=activity.pk)
        while sync.state == State.QUEUED:
            waits.append(round((sync.next_attempt_at - timezone.now()).total_seconds()))
            clock.shift(waits[-1] - 1)
            assert uit_retry_due() == 0  # not due yet
            clock.shift(1)
            with django_capture_on_commit_callbacks(execute=True):
                call_command("uit_retry", stdout=StringIO())
            sync.refresh_from_db()
    assert waits == [300, 600]
    assert (sync.state, sync.failed_attempts, sync.next_attempt_at) == (State.FAILED, 3, None)
    assert "storing" in sync.last_error and "503" in sync.last_error
    assert len(fake_uit.calls("POST", r"^/entry/events$")) == 12

    [alert] = mail.outbox
    assert alert.to == [coordinator.email]
    assert "Robotkamp" in alert.subject
    assert "3" in alert.body and "storing" in alert.body
    assert f"?organisation={activity.organiser.slug}" in alert.body

    client.force_login(coordinator)
    page = client.get(reverse("uit:sync_list")).content.decode()
    assert "503" in page and "Opnieuw proberen" in page

    with django_capture_on_commit_callbacks(execute=True):  # UiT is back; the coordinator retries
        services.uit_sync_retry(activity=activity, actor=coordinator)
    sync.refresh_from_db()
    assert (sync.state, sync.failed_attempts) == (State.SENT, 0)
    assert len(mail.outbox) == 1  # no second alert


def test_a_retry_that_succeeds_sends_once_and_alerts_nobody(
    fake_uit, retries, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    coordinator_of(activity)
    fake_uit.fail_next("POST", r"^/entry/events$", *DOWN)
    sync = services.uit_sync_activity(activity_id=activity.pk)
    assert (sync.state, sync.failed_attempts) == (State.QUEUED, 1)
    with time_machine.travel(sync.next_attempt_at, tick=False):
        assert uit_retry_due() == 1
    sync.refresh_from_db()
    assert (sync.state, sync.failed_attempts, sync.next_attempt_at) == (State.SENT, 0, None)
    assert len(fake_uit.events) == 1
    assert mail.outbox == []


def test_refused_content_is_not_retried(fake_uit, retries):
    activity = ActivityFactory()
    fake_uit.fail_next("POST", r"^/entry/events$", (400, {}, {"title": "Invalid"}))
    sync = services.uit_sync_activity(activity_id=activity.pk)
    assert (sync.state, sync.failed_attempts, sync.next_attempt_at) == (State.REJECTED, 0, None)
