"""``manage.py import_reach_history FILE [--confirm]``: import historic reach figures.

Without ``--confirm`` it only shows what the import would do (a dry run): every bad row, the
organisations each name matches (exact, normalised or near, with the score) and those that
would be created. With ``--confirm`` it imports, all or nothing.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stemnet.reach import services
from stemnet.reach.history import NEAR, NEW, NORMALISED
from stemnet.reach.importing import HISTORY_COLUMNS


class Command(BaseCommand):
    help = (
        "Preview, and with --confirm import, reach history from a CSV with exactly the columns "
        + ",".join(HISTORY_COLUMNS)
        + ". One row per activity and year; nothing is written when any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV file")
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="import (without it: only show what would be matched, created and imported)",
        )

    def handle(self, *args, **options):
        path = options["file"]
        try:
            preview = services.reach_history_preview(file=path, actor=None)
        except FileNotFoundError as exc:
            raise CommandError(f"File not found: {path}") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        if not preview.ok:
            for error in preview.errors:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
            raise CommandError(
                f"{len(preview.errors)} problem(s) in {len({e.row for e in preview.errors})} "
                "row(s); nothing was imported."
            )
        self._show(preview)
        if not options["confirm"]:
            self.stdout.write(
                "Nothing was written. Check the organisations above, then run again with "
                "--confirm to import."
            )
            return
        try:
            result = services.reach_history_import(file=path, actor=None, expected=preview.digest)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"Imported {result.created} new and {result.updated} replaced activity-year rows; "
            f"{len(result.organisations_created)} organisation(s) created"
            + (
                f": {', '.join(result.organisations_created)}"
                if result.organisations_created
                else "."
            )
        )

    def _show(self, preview) -> None:
        for note in preview.notes:
            self.stdout.write(str(note))
        self.stdout.write(
            f"Preview: {preview.rows_new} new and {preview.rows_replaced} replaced "
            "activity-year rows."
        )
        self.stdout.write("Organisations (name in the file -> organisation):")
        for match in preview.organisations:
            if match.how == NEW:
                target = "NEW academy, created on --confirm (public in the directory)"
            elif match.how == NEAR:
                target = f"{match.organisation.name} (near match, {match.score_percent}%: check)"
            elif match.how == NORMALISED:
                target = f"{match.organisation.name} (same without accents or punctuation)"
            else:
                target = match.organisation.name
            self.stdout.write(f'  "{match.name}" ({match.rows} rows) -> {target}')
