"""Sign-up and password reset while the mail server is down: nothing fails, nothing is lost.

A real SMTP server (aiosmtpd on 127.0.0.1) is stopped, people sign up and ask for a new
password, then it is started again and the outbox sweep (``manage.py send_outbox``) delivers
every mail exactly once, with links that work.
"""

import re
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from stemnet.accounts.models import User
from stemnet.accounts.tests.factories import PASSWORD, verified_user
from stemnet.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_signup_and_reset_answer_while_smtp_is_down_and_every_mail_arrives_once(
    client, smtp_server, django_capture_on_commit_callbacks
):
    smtp_server.stop()
    people = [verified_user(), verified_user()]
    with django_capture_on_commit_callbacks(execute=True):
        for n in (1, 2):
            response = client.post(
                "/accounts/signup/",
                {"email": f"new{n}@example.org", "password1": PASSWORD, "password2": PASSWORD},
            )
            assert response.status_code == 302, response.content[:300]
            client.logout()
        for person in people:
            response = client.post("/accounts/password/reset/", {"email": person.email})
            assert response.status_code == 302
            assert response["Location"] == "/accounts/password/reset/done/"
    assert User.objects.filter(email__startswith="new").count() == 2
    queued = OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED)
    assert queued.count() == 4
    assert all("Connection refused" in row.last_error for row in queued)
    assert smtp_server.received == []

    smtp_server.start()
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2), tick=False):
        call_command("send_outbox", stdout=StringIO())
        call_command("send_outbox", stdout=StringIO())  # a second sweep sends nothing again
    received = smtp_server.received
    assert sorted(r.rcpt_tos[0] for r in received) == sorted(
        ["new1@example.org", "new2@example.org", *(p.email for p in people)]
    )
    assert not OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT).exists()

    reset = next(r for r in received if r.rcpt_tos == [people[0].email])
    body = reset.message.get_body(("plain",)).get_content()
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", body).group(1)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert b"password1" in response.content
