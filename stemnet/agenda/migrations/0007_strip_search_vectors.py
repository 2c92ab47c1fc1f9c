"""PostgreSQL: the text table keeps its words without their positions (``strip``).

Matching needs no positions and ranking reads the title's vector; stripped vectors make
``agenda_searchtext`` about a third smaller, and a text search reads that much less
(see agenda/search.py). SQLite has no such table: nothing to do there.
"""

from django.db import migrations

FORWARDS = "UPDATE agenda_searchtext SET search_vector = strip(search_vector)"
BACKWARDS = (
    "UPDATE agenda_searchtext t SET search_vector = to_tsvector('dutch', a.search_text) "
    "FROM agenda_activity a WHERE a.id = t.activity_id"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("agenda", "0006_search_entries")]

    operations = [migrations.RunPython(forwards, backwards)]
