"""``manage.py import_reach_history FILE``: import historic reach figures (all or nothing)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stemnet.reach import services
from stemnet.reach.importing import HISTORY_COLUMNS


class Command(BaseCommand):
    help = (
        "Import reach history from a CSV with exactly the columns "
        + ",".join(HISTORY_COLUMNS)
        + ". One row per activity and year; nothing is written when any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            result = services.reach_history_import(file=path, actor=None)
        except FileNotFoundError as exc:
            raise CommandError(f"File not found: {path}") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
            raise CommandError(
                f"{len(result.errors)} problem(s) in {len({e.row for e in result.errors})} "
                "row(s); nothing was imported."
            )
        self.stdout.write(
            f"Imported {result.created} new and {result.updated} replaced activity-year rows; "
            f"{len(result.organisations_created)} organisation(s) created"
            + (
                f": {', '.join(result.organisations_created)}"
                if result.organisations_created
                else "."
            )
        )
