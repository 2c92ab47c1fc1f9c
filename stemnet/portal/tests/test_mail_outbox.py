"""Every mail path goes through the outbox to a real SMTP server, and survives it being down.

The contact form, an invitation and a funding receipt (with its PDF) are sent while the
SMTP server (aiosmtpd on 127.0.0.1) is stopped: each action succeeds, the mails wait in the
outbox, and after the server is back the sweep delivers each exactly once.
"""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from stemnet.core.models import OutboxMessage
from stemnet.funding import services as funding
from stemnet.funding.tests.factories import ApplicationFactory, coordinator_of
from stemnet.organisations import services as organisations
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory
from stemnet.portal.models import ContactMessage

pytestmark = pytest.mark.django_db


def test_contact_invitation_and_receipt_wait_for_smtp_and_arrive_once(
    client, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.CONTACT_EMAIL = "team@example.org"
    smtp_server.stop()
    org = OrganisationFactory()
    coordinator = MembershipFactory(organisation=org).user
    application = ApplicationFactory()
    applicant = coordinator_of(application.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:contact"),
            {
                "name": "An Peeters",
                "email": "an@example.org",
                "subject": "Kampen",
                "message": "Welke academies organiseren een kamp?",
                "consent": "on",
                "website": "",
            },
        )
        assert response.status_code == 302
        organisations.invitation_create(
            organisation=org, email="nieuw@example.org", role="member", actor=coordinator
        )
        funding.application_submit(application=application, actor=applicant)
    assert ContactMessage.objects.count() == 1
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).count() == 3

    smtp_server.start()
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2), tick=False):
        call_command("send_outbox", stdout=StringIO())
        call_command("send_outbox", stdout=StringIO())
    by_recipient = {r.rcpt_tos[0]: r.message for r in smtp_server.received}
    assert len(smtp_server.received) == 3
    assert set(by_recipient) == {"team@example.org", "nieuw@example.org", applicant.email}
    assert by_recipient["team@example.org"]["Reply-To"] == "an@example.org"
    [receipt] = by_recipient[applicant.email].iter_attachments()
    assert receipt.get_content_type() == "application/pdf"
    assert receipt.get_content().startswith(b"%PDF")
