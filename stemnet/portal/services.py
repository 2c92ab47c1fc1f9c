"""Writes of the portal: contact messages (store, rate limit, mail, purge)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stemnet.portal.models import ContactMessage

RETENTION_MONTHS = 12
RATE_LIMIT_WINDOW = 60 * 60  # seconds


def ip_hash(ip: str) -> str:
    """A keyed SHA-256 of the IP address: enough to rate-limit, useless to find the sender."""
    return hmac.new(settings.SECRET_KEY.encode(), (ip or "").encode(), hashlib.sha256).hexdigest()


def _rate_key(fingerprint: str) -> str:
    return f"portal:contact:{fingerprint}"


def contact_rate_limited(*, fingerprint: str) -> bool:
    """True when this sender already sent the maximum number of messages this hour."""
    return cache.get(_rate_key(fingerprint), 0) >= settings.CONTACT_RATE_LIMIT_PER_HOUR


def _sender_fingerprint(email: str) -> str:
    return ip_hash("email:" + email.strip().lower())


def _sender_rate_limited(fingerprint: str) -> bool:
    limit = settings.CONTACT_RATE_LIMIT_PER_EMAIL_PER_HOUR
    return cache.get(_rate_key(fingerprint), 0) >= limit


def _rate_count(fingerprint: str) -> None:
    key = _rate_key(fingerprint)
    # add() starts the hour's window; incr() counts within it without extending it.
    if not cache.add(key, 1, timeout=RATE_LIMIT_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=RATE_LIMIT_WINDOW)


@transaction.atomic
def contact_message_create(
    *, name: str, email: str, subject: str, message: str, language: str, ip: str
) -> ContactMessage:
    """Store a contact message and mail it to the STEMnet team once the transaction commits.

    Raises ValidationError when this IP address already sent
    ``settings.CONTACT_RATE_LIMIT_PER_HOUR`` messages in the last hour, or this sender's
    e-mail address ``settings.CONTACT_RATE_LIMIT_PER_EMAIL_PER_HOUR`` (from any address).
    """
    fingerprint = ip_hash(ip)
    sender = _sender_fingerprint(email)
    if contact_rate_limited(fingerprint=fingerprint) or _sender_rate_limited(sender):
        raise ValidationError(
            _(
                "You have sent several messages in a short time. Please wait an hour and try "
                "again, or write to %(email)s. Your message has not been sent yet; it is still "
                "in the form."
            )
            % {"email": settings.CONTACT_EMAIL},
            code="rate_limited",
        )
    contact = ContactMessage.objects.create(
        name=name.strip(),
        email=email.strip(),
        subject=subject.strip(),
        message=message.strip(),
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        ip_hash=fingerprint,
    )
    _rate_count(fingerprint)
    _rate_count(sender)
    from stemnet.portal.tasks import contact_message_send

    transaction.on_commit(lambda: contact_message_send.enqueue(message_id=contact.pk))
    return contact


def contact_message_mail(*, contact: ContactMessage) -> None:
    """Mail a contact message to the team (in the site's language), replying goes to the sender."""
    with translation.override(settings.LANGUAGE_CODE):
        admin_path = reverse("admin:portal_contactmessage_change", args=[contact.pk])
        context = {"contact": contact, "admin_url": f"{settings.SITE_URL}{admin_path}"}
        subject = _("[STEMnet contact] %(subject)s") % {"subject": contact.subject}
        body = render_to_string("portal/emails/contactmessage_mail.txt", context)
    EmailMessage(
        subject=" ".join(subject.split())[:200],
        body=body,
        to=[settings.CONTACT_EMAIL],
        reply_to=[contact.email],
    ).send()


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """The moment 12 months before ``now`` (29 February falls back to 28 February)."""
    now = now or timezone.now()
    year, month = now.year, now.month - RETENTION_MONTHS
    while month < 1:
        month += 12
        year -= 1
    day = now.day
    while True:
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def contact_messages_purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete contact messages received more than 12 months ago; return how many."""
    old = ContactMessage.objects.filter(created_at__lt=retention_cutoff(now))
    count = old.count()
    if not dry_run:
        old.delete()
    return count
