from django.core.management.base import BaseCommand

from stemnet.agenda.search import activity_reindex_all


class Command(BaseCommand):
    help = (
        "Rebuild the search text, session span, search entries, full-text index and search "
        "bitmaps of every activity. Safe on a live site: the new bitmaps are built beside "
        "the ones searches read and switched to at once; writes meanwhile are carried over."
    )

    def handle(self, *args, **options):
        count = activity_reindex_all()
        self.stdout.write(f"Reindexed {count} activities.")
