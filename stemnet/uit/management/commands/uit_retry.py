"""Run the due automatic retries of failed UiTdatabank syncs (cron, every few minutes)."""

from django.core.management.base import BaseCommand

from stemnet.uit.retry import uit_retry_due


class Command(BaseCommand):
    help = "Send again every UiTdatabank sync whose automatic retry is due."

    def handle(self, *args, **options):
        self.stdout.write(f"retried {uit_retry_due()}")
