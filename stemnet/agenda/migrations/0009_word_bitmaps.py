"""Bitmaps of the full-text words on PostgreSQL ("word:<lexeme>", "wtitle:<lexeme>"), keys
as long as a lexeme, and the stored form of the bitmaps (dense or ids). Existing activities
get their word keys after the last migration (``_search_index``)."""

from django.db import migrations, models

from stemnet.agenda.migrations._search_index import reindex_after_migrate


def collate_c(apps, schema_editor):
    """PostgreSQL: the keys sort byte by byte (collation "C"), whatever the database's
    collation. A search reads keys by range ("domain:" to "domain;", "word:progr" to
    "word:progr" + the last character); a language's collation ignores punctuation and
    would put "domain:3" after "domain;". SQLite compares text byte by byte already."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE agenda_searchbitmap ALTER COLUMN name TYPE text COLLATE "C"'
        )


# The prefixes of the words' keys when this migration was written.
WORD_PREFIXES = ("word:", "wtitle:", "wtwice:")


def forget_the_words(apps, schema_editor):
    """Back to keys of at most 40 characters: the words' keys go."""
    SearchBitmap = apps.get_model("agenda", "SearchBitmap")
    for prefix in WORD_PREFIXES:
        SearchBitmap.objects.filter(name__startswith=prefix).delete()


class Migration(migrations.Migration):
    dependencies = [("agenda", "0008_search_bitmaps")]

    operations = [
        migrations.AlterField(
            model_name="searchbitmap",
            name="name",
            field=models.TextField(primary_key=True, serialize=False),
        ),
        migrations.RunPython(collate_c, migrations.RunPython.noop),
        migrations.RunPython(reindex_after_migrate, forget_the_words),
    ]
