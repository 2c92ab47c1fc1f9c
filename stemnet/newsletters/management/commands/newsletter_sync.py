"""Sync the academies' newsletter with the directory (cron, daily; sending syncs too)."""

from django.core.management.base import BaseCommand

from stemnet.newsletters.services.subscribers import subscribers_sync_directory


class Command(BaseCommand):
    help = "Add the directory's coordinators and members to the academies' newsletter."

    def handle(self, *args, **options):
        counts = subscribers_sync_directory()
        self.stdout.write(
            f"added {counts['added']}, back {counts['returned']}, left {counts['left']}"
        )
