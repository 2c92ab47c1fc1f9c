"""Extract Dutch catalogues per app (stemnet/<app>/locale) and for the project templates."""

import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

ROOT = Path(__file__).resolve().parents[3]  # the stemnet package


class Command(BaseCommand):
    help = "Run makemessages for every STEMnet app and for the shared templates."

    def handle(self, *args, **options):
        apps = sorted(p for p in ROOT.iterdir() if (p / "apps.py").exists())
        cwd = os.getcwd()
        try:
            for app in apps:
                (app / "locale").mkdir(exist_ok=True)
                os.chdir(app)
                call_command("makemessages", locale=["nl"], no_obsolete=True, verbosity=0)
                self.stdout.write(f"{app.name}: locale/nl/LC_MESSAGES/django.po")
            (ROOT / "locale").mkdir(exist_ok=True)
            os.chdir(ROOT)
            call_command(
                "makemessages",
                locale=["nl"],
                no_obsolete=True,
                verbosity=0,
                ignore_patterns=[f"{app.name}/*" for app in apps] + ["static/*", "bench/*"],
            )
            self.stdout.write("project: stemnet/locale/nl/LC_MESSAGES/django.po")
        finally:
            os.chdir(cwd)
