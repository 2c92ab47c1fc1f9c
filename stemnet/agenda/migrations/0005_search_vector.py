"""PostgreSQL: keep the Dutch tsvector of search_text in a stored generated column.

The expression index of 0003 made every match recompute to_tsvector() for the recheck and
for ts_rank; a stored column is computed once per write. The column is not a model field:
PostgreSQL fills it, only stemnet/agenda/search.py reads it. Nothing changes on SQLite.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE agenda_activity ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('dutch'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS agenda_activity_search_vector_gin "
        "ON agenda_activity USING gin (search_vector)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS agenda_activity_search_gin")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS agenda_activity_search_gin ON agenda_activity "
        "USING gin (to_tsvector('dutch', search_text))"
    )
    schema_editor.execute("DROP INDEX IF EXISTS agenda_activity_search_vector_gin")
    schema_editor.execute("ALTER TABLE agenda_activity DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("agenda", "0004_api_tokens")]
    operations = [migrations.RunPython(forwards, backwards)]
