"""Certificates of attendance (PDF by WeasyPrint), only for people who were checked in."""

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from stemnet.events.models import Registration


def certificate_pdf(*, registration: Registration) -> bytes:
    if registration.checked_in_at is None:
        raise ValidationError(
            _("A certificate of attendance is only for people who were checked in at the event."),
            code="no_checkin",
        )
    from weasyprint import HTML

    with translation.override(registration.language or translation.get_language()):
        html = render_to_string(
            "events/pdf/certificate.html",
            {"registration": registration, "event": registration.event},
        )
    return HTML(string=html).write_pdf()
