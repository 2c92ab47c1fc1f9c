"""``manage.py uit_import``: import STEM events from UiTdatabank's Search API (cron/worker).

``--file PATH`` (repeatable) imports saved Search API responses offline instead.
"""

from django.core.management.base import BaseCommand, CommandError

from stemnet.uit.models import UitImportRun
from stemnet.uit.services import uit_import_file, uit_import_run


class Command(BaseCommand):
    help = "Import STEM activities from UiTdatabank (Search API 3.0), or from saved files."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            action="append",
            dest="files",
            metavar="PATH",
            help="a saved Search API response (page, list of events or one event); repeatable",
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="run as a background task instead of now"
        )

    def handle(self, *args, files=None, enqueue=False, **options):
        if enqueue:
            from stemnet.uit.tasks import import_from_search

            import_from_search.enqueue()
            self.stdout.write("Import queued.")
            return
        runs = [uit_import_file(path=p) for p in files] if files else [uit_import_run()]
        failed = False
        for run in runs:
            self.stdout.write(
                f"{run.source}: {run.get_status_display()} – {run.created} new, "
                f"{run.updated} updated, {run.cancelled} cancelled, {run.own} own, "
                f"{run.failed} failed, {run.page} page(s)."
            )
            for error in run.errors:
                self.stdout.write(
                    f"  {error.get('uit_id') or '?'} {error.get('name', '')}: "
                    f"{error.get('reason', '')}"
                )
            if run.message:
                self.stdout.write(f"  {run.message}")
            failed = failed or run.status == UitImportRun.Status.STOPPED
        if failed:
            raise CommandError("The import stopped; see the message above.")
