"""Background entry points: load by id, call a service."""

from stemnet.core.tasks import task
from stemnet.portal import services
from stemnet.portal.models import ContactMessage


@task()
def contact_message_send(message_id: int) -> None:
    contact = ContactMessage.objects.filter(pk=message_id).first()
    if contact is not None:  # purged in the meantime: nothing to send
        services.contact_message_mail(contact=contact)
