"""PDF documents (receipt, decision letter) and e-mails, in the applicant's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from stemnet.funding.models import Application, InfoRequest
from stemnet.organisations.models import Membership


def applicant_language(application: Application) -> str:
    """The language of the application's first coordinator (Dutch when there is none)."""
    membership = (
        Membership.objects.filter(
            organisation=application.organisation, role=Membership.Role.COORDINATOR
        )
        .select_related("user")
        .order_by("created_at", "pk")
        .first()
    )
    return membership.user.language if membership else settings.LANGUAGE_CODE


def applicant_emails(application: Application) -> list[str]:
    return list(
        Membership.objects.filter(
            organisation=application.organisation, role=Membership.Role.COORDINATOR
        ).values_list("user__email", flat=True)
    )


def _pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def receipt_pdf(application: Application, language: str | None = None) -> bytes:
    with translation.override(language or applicant_language(application)):
        return _pdf(
            "funding/pdf/receipt.html",
            {"application": application, "now": timezone.localtime()},
        )


def decision_letter_html(application: Application, language: str | None = None) -> str:
    """The decision letter as HTML, in the applicant's language (the PDF prints this)."""
    with translation.override(language or applicant_language(application)):
        return render_to_string(
            "funding/pdf/decision_letter.html",
            {
                "application": application,
                "decision": application.decision,
                "grant": getattr(application, "grant", None),
                "now": timezone.localtime(),
            },
        )


def decision_letter_pdf(application: Application, language: str | None = None) -> bytes:
    from weasyprint import HTML

    html = decision_letter_html(application, language)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _send(application: Application, template: str, context: dict, attachment=None) -> int:
    recipients = applicant_emails(application)
    if not recipients:
        return 0
    with translation.override(applicant_language(application)):
        context = {"application": application, "site_url": settings.SITE_URL, **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
        message = EmailMessage(subject, body, None, recipients)
        if attachment:
            message.attach(*attachment)
        return message.send()


def receipt_send(application: Application) -> int:
    pdf = receipt_pdf(application)
    return _send(
        application,
        "funding/email/receipt",
        {},
        (f"receipt-{application.pk}.pdf", pdf, "application/pdf"),
    )


def info_request_send(info: InfoRequest) -> int:
    return _send(info.application, "funding/email/info_request", {"info": info})


def reminder_send(application: Application, *, kind: str, due, obj=None) -> int:
    return _send(application, "funding/email/reminder", {"kind": kind, "due": due, "object": obj})
