"""Background entry points: load by id, call the documents/services."""

import datetime

from django.utils import timezone

from stemnet.core.tasks import task
from stemnet.funding import documents


@task()
def send_receipt(application_id: int) -> int:
    from stemnet.funding.models import Application

    application = Application.objects.select_related("round", "organisation").get(pk=application_id)
    return documents.receipt_send(application)


@task()
def send_info_request(info_request_id: int) -> int:
    from stemnet.funding.models import InfoRequest

    return documents.info_request_send(
        InfoRequest.objects.select_related("application").get(pk=info_request_id)
    )


@task()
def send_reminders(days: int = 7) -> int:
    from stemnet.funding.services import reminders_send

    return reminders_send(days=days, today=timezone.localdate() or datetime.date.today())
