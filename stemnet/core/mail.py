"""E-mail through a durable outbox: the ``EMAIL_BACKEND`` stores, the task worker sends.

``OutboxBackend`` is the project's ``EMAIL_BACKEND``: every ``send_mail``/``EmailMessage.send``
(allauth, invitations, funding letters, the contact form …) writes one ``core.OutboxMessage``
row in the caller's transaction, so a user action never fails because the mail server is
down, and a mail is never sent for work that was rolled back. After the commit a task sends
it through ``OUTBOX_DELIVERY_BACKEND`` (SMTP in production, the console in the demo, locmem in
tests), with retries and exponential backoff (``stemnet.core.outbox``).

``StoredEmail`` turns a row back into an ``EmailMessage``: its ``message()`` is the stored MIME
message byte for byte, and its subject, body, addresses, alternatives and attachments are read
from it for backends that look at them (locmem, console).
"""

from __future__ import annotations

import email
import email.policy
from email.message import Message
from email.utils import formataddr, getaddresses

from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import MIMEMixin


class OutboxBackend(BaseEmailBackend):
    """Store each message in the outbox; a task sends it once the transaction commits."""

    def send_messages(self, email_messages) -> int:
        from stemnet.core.outbox import outbox_store

        stored = 0
        for message in email_messages:
            if not message.recipients():
                continue
            outbox_store(message=message)
            stored += 1
        return stored


class _StoredMIME(MIMEMixin, Message):
    """A parsed stored message that flattens back as Django's own messages do."""


def _addresses(parsed: Message, header: str) -> list[str]:
    return [
        formataddr((name, address)) if name else address
        for name, address in getaddresses([str(v) for v in parsed.get_all(header, [])])
        if address
    ]


def _content(part) -> str | bytes:
    try:
        return part.get_content()
    except (KeyError, LookupError):  # an unknown charset: hand over the raw bytes
        return part.get_payload(decode=True) or b""


class StoredEmail(EmailMultiAlternatives):
    """An outbox row as an ``EmailMessage`` that any Django e-mail backend can send."""

    def __init__(self, *, raw: bytes, from_email: str, recipients: list[str]):
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        to = _addresses(parsed, "To")
        cc = _addresses(parsed, "Cc")
        shown = {address for _name, address in getaddresses(to + cc)}
        super().__init__(
            subject=str(parsed.get("Subject", "")),
            body="",
            from_email=from_email,
            to=to,
            cc=cc,
            bcc=[address for address in recipients if address not in shown],
            reply_to=_addresses(parsed, "Reply-To"),
        )
        body = parsed.get_body(preferencelist=("plain", "html"))
        if body is not None:
            self.body = _content(body)
            if body.get_content_type() == "text/html":
                self.content_subtype = "html"
        for part in parsed.walk():
            if part is body or part.is_multipart() or part.get_content_disposition():
                continue
            if part.get_content_maintype() == "text":
                self.alternatives.append((_content(part), part.get_content_type()))
        for part in parsed.iter_attachments():
            self.attachments.append((part.get_filename(), _content(part), part.get_content_type()))
        self.raw = raw
        self.envelope = list(recipients)

    def recipients(self) -> list[str]:
        return list(self.envelope)

    def message(self):
        return email.message_from_bytes(self.raw, _class=_StoredMIME)
