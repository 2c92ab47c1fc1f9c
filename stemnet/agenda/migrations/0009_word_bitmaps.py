"""Bitmaps of the full-text words on PostgreSQL ("word:<lexeme>", "wtitle:<lexeme>"), keys
as long as a lexeme, and the stored form of ``agenda.bitmaps.encode`` (dense or ids)."""

from django.db import migrations, models


def collate_c(apps, schema_editor):
    """PostgreSQL: the keys sort byte by byte (collation "C"), whatever the database's
    collation. A search reads keys by range ("domain:" to "domain;", "word:progr" to
    "word:progr" + the last character); a language's collation ignores punctuation and
    would put "domain:3" after "domain;". SQLite compares text byte by byte already."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'ALTER TABLE agenda_searchbitmap ALTER COLUMN name TYPE text COLLATE "C"'
        )


def rebuild_with_words(apps, schema_editor):
    from stemnet.agenda.search.store import rebuild

    rebuild(apps=apps)


def rebuild_without_words(apps, schema_editor):
    """Back to keys of at most 40 characters: the words' keys go (a rebuild would keep
    them, empty)."""
    from stemnet.agenda.search.keys import TITLE_TWICE, TITLE_WORD, WORD
    from stemnet.agenda.search.store import rebuild

    rebuild(apps=apps, words=False)
    SearchBitmap = apps.get_model("agenda", "SearchBitmap")
    for prefix in (WORD, TITLE_WORD, TITLE_TWICE):
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
        migrations.RunPython(rebuild_with_words, rebuild_without_words),
    ]
