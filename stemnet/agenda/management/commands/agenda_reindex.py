from django.core.management.base import BaseCommand

from stemnet.agenda.search import activity_reindex_all


class Command(BaseCommand):
    help = "Rebuild the search text, session span and full-text index of every activity."

    def handle(self, *args, **options):
        count = activity_reindex_all()
        self.stdout.write(f"Reindexed {count} activities.")
