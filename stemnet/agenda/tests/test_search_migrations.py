"""The agenda's migrations import no live search code; a database with activities that
passes the migrations which changed the index's form gets its index rebuilt once ``migrate``
is done (``agenda.migrations._search_index``, ``agenda.signals``)."""

import ast
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from stemnet.agenda import signals
from stemnet.agenda.migrations import _search_index
from stemnet.agenda.models import SearchBitmap, SearchEntry, SearchText
from stemnet.agenda.search import ActivityFilters, run
from stemnet.agenda.search.check import search_differences
from stemnet.agenda.search.text import FTS_TABLE
from stemnet.agenda.tests.factories import ActivityFactory

MIGRATIONS = Path(_search_index.__file__).parent


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
    return found


def test_migrations_import_no_live_code():
    for path in sorted(MIGRATIONS.glob("*.py")):
        ours = {m for m in _imports(path) if m.startswith("stemnet")}
        frozen = {m for m in ours if m.startswith("stemnet.agenda.migrations.")}
        assert ours == frozen, f"{path.name} imports {sorted(ours - frozen)}"


@pytest.mark.django_db
def test_an_index_left_to_after_the_migrations_is_rebuilt():
    made = [ActivityFactory(title=f"Robotica {i}", kind="kamp") for i in range(3)]
    # A database that came through 0008 before it was frozen: no entries, no bitmaps.
    SearchEntry.objects.all().delete()
    SearchText.objects.all().delete()
    SearchBitmap.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    assert search_differences()

    editor = SimpleNamespace(connection=connection)
    _search_index.reindex_after_migrate(apps, editor)
    out = io.StringIO()
    agenda = apps.get_app_config("agenda")
    signals.reindex_after_migrate(sender=apps.get_app_config("places"), stdout=out)
    assert out.getvalue() == ""  # once, for the agenda
    signals.reindex_after_migrate(sender=agenda, stdout=out)
    assert out.getvalue() == "Search index rebuilt for 3 activities.\n"

    assert search_differences() == []
    found = run(ActivityFilters.parse({"q": "robotica", "kind": "kamp"}))
    assert sorted(a.pk for a in found.results) == sorted(a.pk for a in made)
    signals.reindex_after_migrate(sender=agenda, stdout=out)  # done: not again
    assert out.getvalue().count("rebuilt") == 1


@pytest.mark.django_db
def test_an_empty_database_asks_for_nothing():
    editor = SimpleNamespace(connection=connection)
    _search_index.reindex_after_migrate(apps, editor)
    assert not getattr(connection, _search_index.REINDEX_AFTER_MIGRATE, False)
