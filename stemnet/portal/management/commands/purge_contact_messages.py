from django.core.management.base import BaseCommand

from stemnet.portal.services import RETENTION_MONTHS, contact_messages_purge


class Command(BaseCommand):
    help = f"Delete contact messages received more than {RETENTION_MONTHS} months ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run=False, **options):
        count = contact_messages_purge(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {count} contact message(s) older than {RETENTION_MONTHS} months."
        )
