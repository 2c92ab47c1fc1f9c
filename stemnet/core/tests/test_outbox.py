"""The durable mail outbox against a real SMTP server (aiosmtpd on 127.0.0.1)."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives, send_mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from stemnet.core import outbox
from stemnet.core.models import AuditEntry, OutboxMessage

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


def test_message_is_stored_then_sent_once_after_the_commit(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert send_mail("Hallo", "Tekst", None, ["an@example.org"]) == 1
    row = OutboxMessage.objects.get()
    assert row.status == Status.QUEUED and row.recipients == ["an@example.org"]
    assert smtp_server.received == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.message) == (Status.SENT, 1, b"")
    assert row.sent_at is not None
    [received] = smtp_server.received
    assert received.rcpt_tos == ["an@example.org"]
    assert received.message["Subject"] == "Hallo"
    assert outbox.outbox_deliver(message_id=row.pk) is None  # never twice
    assert len(smtp_server.received) == 1


def test_rolled_back_work_sends_nothing(smtp_server, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_mail("Nooit", "Tekst", None, ["an@example.org"])
        raise RuntimeError("the user's action failed")
    assert not OutboxMessage.objects.exists()
    assert smtp_server.received == []


def test_headers_alternatives_attachments_and_bcc_survive(
    smtp_server, django_capture_on_commit_callbacks
):
    message = EmailMultiAlternatives(
        subject="Beslissing €",
        body="Beste Ann,\n\nZie bijlage.\n",
        from_email="STEMnet <noreply@stemnet.example>",
        to=["Ann Peeters <ann@example.org>"],
        cc=["cc@example.org"],
        bcc=["archief@example.org"],
        reply_to=["vlaio@example.org"],
        headers={"X-STEMnet-Round": "7"},
    )
    message.attach_alternative("<p>Beste Ann</p>", "text/html")
    pdf = b"%PDF-1.4\n\x00\xff binary"
    message.attach("beslissing.pdf", pdf, "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        message.send()
    [received] = smtp_server.received
    assert sorted(received.rcpt_tos) == [
        "ann@example.org",
        "archief@example.org",
        "cc@example.org",
    ]
    parsed = received.message
    assert parsed["Subject"] == "Beslissing €"
    assert parsed["Reply-To"] == "vlaio@example.org"
    assert parsed["X-STEMnet-Round"] == "7"
    assert "Bcc" not in parsed
    assert received.mail_from == "noreply@stemnet.example"
    plain = parsed.get_body(("plain",)).get_content()
    assert plain.replace("\r\n", "\n") == "Beste Ann,\n\nZie bijlage.\n"  # CRLF on the wire
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Beste Ann</p>"
    [attachment] = parsed.iter_attachments()
    assert attachment.get_filename() == "beslissing.pdf"
    assert attachment.get_content() == pdf


def test_smtp_down_backs_off_exponentially_then_parks_as_failed(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 4
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Hallo", "Tekst", None, ["an@example.org"])
    row = OutboxMessage.objects.get()
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        while row.status == Status.QUEUED:
            waits.append(round((row.next_attempt_at - timezone.now()).total_seconds()))
            clock.shift(waits[-1] - 1)
            outbox.outbox_send_due()  # not due yet: nothing is tried
            assert OutboxMessage.objects.get().attempts == len(waits)
            clock.shift(1)
            call_command("send_outbox", stdout=StringIO())
            row.refresh_from_db()
    assert waits == [60, 120, 240]
    assert row.status == Status.FAILED and row.attempts == 4
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at is None

    smtp_server.start()
    staff = get_user_model().objects.create_user(email="staf@example.org", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.outbox_retry(message=row, actor=staff)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
    assert len(smtp_server.received) == 1
    entry = AuditEntry.objects.get(code="core.outboxmessage.retried")
    assert entry.actor == staff and entry.data["attempts"] == 4


def test_permanent_refusal_is_parked_at_once(smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Hallo", "Tekst", None, ["refuse-me@example.org"])
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "550" in row.last_error


def test_sweep_gives_back_a_crashed_workers_message_and_forgets_old_sent_mail(
    smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_KEEP_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Oud", "Tekst", None, ["oud@example.org"])
    OutboxMessage.objects.filter(subject="Oud").update(
        sent_at=timezone.now() - dt.timedelta(days=31)
    )
    stuck = outbox.outbox_store(
        message=EmailMessage("Vast", "Tekst", None, ["vast@example.org"])
    )  # stored outside the capture: its task never ran
    OutboxMessage.objects.filter(pk=stuck.pk).update(
        status=Status.SENDING, claimed_at=timezone.now() - dt.timedelta(minutes=11), attempts=1
    )
    result = outbox.outbox_send_due()
    assert (result.released, result.sent, result.purged) == (1, 1, 1)
    assert list(OutboxMessage.objects.values_list("subject", "status", "attempts")) == [
        ("Vast", Status.SENT, 2)
    ]
    assert [r.message["Subject"] for r in smtp_server.received] == ["Oud", "Vast"]


def test_locmem_delivery_gives_back_the_message_as_built(
    outbox_locmem, django_capture_on_commit_callbacks
):
    message = EmailMessage(
        "Ontvangstbewijs", "Bedankt.\n", None, ["an@example.org"], reply_to=["x@example.org"]
    )
    message.attach("bewijs.pdf", b"%PDF-1.4 x", "application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        message.send()
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.to, sent.reply_to) == (
        "Ontvangstbewijs",
        "Bedankt.\n",
        ["an@example.org"],
        ["x@example.org"],
    )
    assert sent.attachments == [("bewijs.pdf", b"%PDF-1.4 x", "application/pdf")]


def _admin_client(client, **flags):
    from allauth.mfa.models import Authenticator

    user = get_user_model().objects.create_user(email="beheer@example.org", **flags)
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(user)
    return user


def test_staff_list_shows_state_but_never_the_message(
    client, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Wachtwoord", "Geheime link /reset/abc123/", None, ["an@example.org"])
    row = OutboxMessage.objects.get()
    _admin_client(client, is_staff=True, is_superuser=True)
    page = client.get("/admin/core/outboxmessage/").content.decode()
    assert "Wachtwoord" in page and "an@example.org" in page
    assert "Connection refused" in page
    detail = client.get(f"/admin/core/outboxmessage/{row.pk}/change/").content.decode()
    assert "abc123" not in page + detail


def test_staff_retry_now_from_the_list(client, outbox_locmem, django_capture_on_commit_callbacks):
    stored = outbox.outbox_store(message=EmailMessage("Hallo", "Tekst", None, ["a@example.org"]))
    OutboxMessage.objects.filter(pk=stored.pk).update(status=Status.FAILED, attempts=10)
    _admin_client(client, is_staff=True, is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/core/outboxmessage/",
            {"action": "retry_now", "_selected_action": [stored.pk]},
        )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.status, stored.attempts) == (Status.SENT, 1)
    assert [m.subject for m in mail.outbox] == ["Hallo"]


def test_people_without_staff_rights_cannot_see_the_outbox(client):
    _admin_client(client)
    response = client.get("/admin/core/outboxmessage/")
    assert response.status_code == 302 and "/login/" in response["Location"]
