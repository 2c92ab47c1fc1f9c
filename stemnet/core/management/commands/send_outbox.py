"""Send the outbox's due e-mails (run from cron every few minutes, next to the worker)."""

from django.core.management.base import BaseCommand

from stemnet.core.outbox import outbox_send_due


class Command(BaseCommand):
    help = (
        "Send every due message of the mail outbox (retries after a failure), give back "
        "messages a crashed worker left half-sent, and forget sent mail after OUTBOX_KEEP_DAYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="at most this many per run")

    def handle(self, *args, limit: int, **options):
        result = outbox_send_due(limit=limit)
        self.stdout.write(
            f"sent {result.sent}, retrying later {result.retrying}, failed {result.failed}, "
            f"released {result.released}, purged {result.purged}"
        )
