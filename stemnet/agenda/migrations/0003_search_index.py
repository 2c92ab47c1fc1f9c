"""The full-text index of activities (see stemnet/agenda/search/fulltext.py).

SQLite: an FTS5 table of Dutch-stemmed tokens, rowid = activity id.
PostgreSQL: a GIN index on to_tsvector('dutch', search_text).
"""

from django.db import migrations

from stemnet.agenda.migrations._search_index import reindex_after_migrate


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS agenda_activity_fts USING fts5("
            "body, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS agenda_activity_search_gin ON agenda_activity "
            "USING gin (to_tsvector('dutch', search_text))"
        )
    # Whatever already exists is indexed after the last migration (``_search_index``).
    reindex_after_migrate(apps, schema_editor)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS agenda_activity_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS agenda_activity_search_gin")


class Migration(migrations.Migration):
    dependencies = [("agenda", "0002_vocabularies")]
    operations = [migrations.RunPython(create, drop)]
