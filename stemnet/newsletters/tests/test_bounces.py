"""Bounce reports from a bounce mailbox (RFC 3464 DSN)."""

import pytest
from django.core.management import call_command

from stemnet.newsletters.models import Subscriber
from stemnet.newsletters.services.bounces import hard_bounces
from stemnet.newsletters.tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def dsn(recipient: str, action: str, status: str) -> bytes:
    return (
        "From: MAILER-DAEMON@example.net\r\nTo: bounces@example.org\r\n"
        "Subject: Undelivered Mail\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n"
        "--b--\r\n"
    ).encode()


def test_only_permanent_failures_are_hard_bounces():
    assert hard_bounces(dsn("Weg@Example.org", "failed", "5.1.1")) == [("weg@example.org", "5.1.1")]
    assert hard_bounces(dsn("vol@example.org", "failed", "4.2.2")) == []
    assert hard_bounces(dsn("traag@example.org", "delayed", "4.4.7")) == []
    assert hard_bounces(b"Subject: no report\r\n\r\nhello") == []


def test_command_stops_mail_to_the_bounced_address(tmp_path, capsys):
    gone = SubscriberFactory(email="weg@example.org")
    kept = SubscriberFactory(email="vol@example.org")
    (tmp_path / "1.eml").write_bytes(dsn("weg@example.org", "failed", "5.1.1"))
    (tmp_path / "2.eml").write_bytes(dsn("vol@example.org", "failed", "4.2.2"))
    call_command("newsletter_bounces", str(tmp_path / "1.eml"), str(tmp_path / "2.eml"))
    assert "subscriptions stopped 1" in capsys.readouterr().out
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.status, kept.status) == (Subscriber.Status.BOUNCED, Subscriber.Status.ACTIVE)
