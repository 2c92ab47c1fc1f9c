"""Background entry points: load by id, call a service."""

from stemnet.core.tasks import task
from stemnet.organisations import services
from stemnet.organisations.models import Invitation


@task()
def invitation_send(invitation_id: int) -> None:
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True)
        .first()
    )
    if invitation is not None:  # revoked or accepted in the meantime: nothing to send
        services.invitation_email_send(invitation=invitation)
