"""The outbox's ``outbox_finished`` signal and per-message headers (used by the newsletters'
delivery log and RFC 8058 unsubscribe), against a real SMTP server."""

import pytest
from django.core.mail import EmailMessage

from stemnet.core import outbox
from stemnet.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished():
    seen = []

    def listener(sender, message, status, error, bounced, **kwargs):
        seen.append((message.recipients, status, bounced, "550" in error))

    outbox.outbox_finished.connect(listener)
    yield seen
    outbox.outbox_finished.disconnect(listener)


def test_signal_names_sent_and_hard_bounced_messages_and_headers_survive(
    smtp_server, finished, django_capture_on_commit_callbacks
):
    headers = {"List-Unsubscribe": "<https://example.org/u/1/>", "X-Demo": "ja"}
    with django_capture_on_commit_callbacks(execute=True):
        EmailMessage("Hallo", "Tekst", None, ["an@example.org"], headers=headers).send()
        EmailMessage("Hallo", "Tekst", None, ["refuse@example.org"]).send()
    assert finished == [
        (["an@example.org"], "sent", [], False),
        (["refuse@example.org"], "failed", ["refuse@example.org"], True),
    ]
    [received] = smtp_server.received
    assert received.message["List-Unsubscribe"] == "<https://example.org/u/1/>"
    assert received.message["X-Demo"] == "ja"


def test_a_temporary_failure_is_not_finished(
    smtp_server, finished, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        EmailMessage("Hallo", "Tekst", None, ["an@example.org"]).send()
    assert finished == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.QUEUED


def test_a_failing_listener_does_not_undo_the_send(smtp_server, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("listener bug")

    outbox.outbox_finished.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            EmailMessage("Hallo", "Tekst", None, ["an@example.org"]).send()
    finally:
        outbox.outbox_finished.disconnect(broken)
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
