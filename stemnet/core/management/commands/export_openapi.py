"""Write the OpenAPI document of /api/v1 to docs/openapi.json (``make openapi``)."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def openapi_text() -> str:
    """The OpenAPI document as committed: sorted keys, indent 2, one final newline."""
    from django.utils import translation

    from stemnet.api import api

    # Titles and descriptions in English, whatever the default language.
    with translation.override("en"):
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document of the API to docs/openapi.json."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_PATH), help="where to write it")
        parser.add_argument(
            "--check", action="store_true", help="only report whether the file is current"
        )

    def handle(self, *args, output: str, check: bool, **options):
        path = Path(output)
        text = openapi_text()
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise SystemExit(f"{path} is out of date: run `make openapi`.")
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
