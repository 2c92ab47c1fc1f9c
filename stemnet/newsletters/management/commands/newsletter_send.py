"""Run the due batches of newsletters being sent (cron, every minute, next to the worker)."""

from django.core.management.base import BaseCommand

from stemnet.newsletters.services.sending import issues_send_due


class Command(BaseCommand):
    help = (
        "Write the due batches of the newsletter issues being sent to the mail outbox "
        "(the worker schedules them itself; this sweep catches what a broker outage left)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"mails queued: {issues_send_due()}")
