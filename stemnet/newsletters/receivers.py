"""Listeners: the outbox tells the delivery log how each newsletter mail ended."""

from django.dispatch import receiver

from stemnet.core.outbox import outbox_finished


@receiver(outbox_finished, dispatch_uid="newsletters.delivery_outcome")
def record_delivery_outcome(sender, message, status, error, bounced, **kwargs):
    from stemnet.newsletters.services.sending import delivery_record_outcome

    delivery_record_outcome(message_id=message.pk, status=status, error=error, bounced=bounced)
