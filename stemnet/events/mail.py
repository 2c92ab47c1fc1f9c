"""E-mails to attendees, in their language, through the outbox (``EMAIL_BACKEND``).

The confirmation carries the event as an ICS file; an offer names until when it holds."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from stemnet.events.ical import calendar_bytes
from stemnet.events.models import Registration

KINDS = ("confirmed", "waiting", "offered", "reminder")


def registration_mail_send(*, registration_id: int, kind: str) -> str:
    registration = (
        Registration.objects.select_related("event", "event__organiser")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or kind not in KINDS:
        return "skipped"
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "event": registration.event,
            "link": settings.SITE_URL + reverse("events:registration_mine"),
            "event_link": settings.SITE_URL + registration.event.get_absolute_url(),
            "kind": kind,
        }
        subject = render_to_string("events/mail_subject.txt", context)
        body = render_to_string("events/mail_body.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, None, [registration.email])
    if kind in ("confirmed", "reminder"):
        message.attach(
            f"{registration.event.slug}.ics",
            calendar_bytes([registration.event], name=registration.event.title),
            "text/calendar",
        )
    message.send()
    return kind
