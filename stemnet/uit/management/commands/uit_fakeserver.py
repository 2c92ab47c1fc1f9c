"""``manage.py uit_fakeserver``: a local stand-in for UiTdatabank, for demos (DEBUG only).

Serves publiq's token endpoint, the Entry API (checking every body against the vendored JSON
Schemas, 400 with ``schemaErrors`` otherwise) and the Search API (the example documents in
``uit/tests/contracts/events/search``) on 127.0.0.1. Start it, then start the web server and
the worker with the printed environment variables.
"""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a local fake UiTdatabank (token, Entry and Search API) for demos (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8765)

    def handle(self, *args, port: int, **options):
        if not settings.DEBUG:
            raise CommandError("The fake UiTdatabank is for demos only: run it with DEBUG=1.")
        from stemnet.uit.tests import fakeuit

        server = fakeuit.Server(port=port)
        folder = Path(fakeuit.__file__).resolve().parent / "contracts" / "events" / "search"
        with server as state:
            state.search_events = [
                json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
            ]
            self.stdout.write("Fake UiTdatabank running. Use these settings:")
            for key, value in {
                "UIT_TOKEN_URL": f"{state.base}/oauth/token",
                "UIT_CLIENT_ID": "stemnet-demo",
                "UIT_CLIENT_SECRET": "geheim",
                "UIT_ENTRY_URL": f"{state.base}/entry",
                "UIT_SEARCH_URL": f"{state.base}/search",
            }.items():
                self.stdout.write(f"export {key}={value}")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                self.stdout.write("Stopped.")
