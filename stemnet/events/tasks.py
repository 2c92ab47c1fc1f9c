"""Background entry points of events: load by id, call the mail renderer or a service."""

from stemnet.core.tasks import task


@task()
def registration_mail(registration_id: int, kind: str) -> str:
    from stemnet.events.mail import registration_mail_send

    return registration_mail_send(registration_id=registration_id, kind=kind)


@task()
def offers_lapse_task() -> int:
    from stemnet.events.services import offers_lapse

    return offers_lapse()
