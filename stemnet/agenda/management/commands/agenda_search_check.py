from django.core.management.base import BaseCommand, CommandError

from stemnet.agenda.search.check import search_differences


class Command(BaseCommand):
    help = (
        "Compare the search entries and bitmaps with the activity rows and report every "
        "difference; exit code 1 when there is any. Reads only: safe on a live site."
    )

    def handle(self, *args, **options):
        differences = search_differences()
        for line in differences:
            self.stdout.write(line)
        if differences:
            raise CommandError(f"{len(differences)} differences in the search index.")
        self.stdout.write("The search index agrees with the activities.")
