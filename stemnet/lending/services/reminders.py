"""Overdue reminders by e-mail: through the outbox, in the recipient's language, at most
once a day per loan (``manage.py lending_overdue_reminders``, run daily)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from stemnet.core import audit
from stemnet.lending import selectors
from stemnet.lending.models import Loan

INTERVAL = dt.timedelta(hours=23)


def _recipient(loan: Loan) -> tuple[str, str]:
    user = loan.requested_by
    if user is not None and user.email:
        return user.email, getattr(user, "language", "") or settings.LANGUAGE_CODE
    return loan.borrower.email, settings.LANGUAGE_CODE


def loan_overdue_remind(*, loan: Loan, now: dt.datetime) -> bool:
    email, language = _recipient(loan)
    if not email:
        return False
    with translation.override(language):
        context = {"loan": loan, "site_url": settings.SITE_URL}
        subject = render_to_string("lending/email/overdue_subject.txt", context).strip()
        body = render_to_string("lending/email/overdue.txt", context)
    with transaction.atomic():
        send_mail(subject, body, None, [email])
        loan.reminded_at = now
        loan.save(update_fields=["reminded_at"])
        audit.record(loan, "lending.loan.reminded", data={"to": email})
    return True


def loans_overdue_remind(*, now: dt.datetime | None = None) -> int:
    """Remind the borrower of every overdue loan not reminded in the last day."""
    now = now or timezone.now()
    sent = 0
    for loan in selectors.loans_overdue(now).select_related("requested_by"):
        if loan.reminded_at is None or now - loan.reminded_at >= INTERVAL:
            sent += loan_overdue_remind(loan=loan, now=now)
    return sent
