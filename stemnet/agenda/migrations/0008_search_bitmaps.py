"""Search bitmaps: the public search counts its facets on per-value bitmaps of the entries
instead of grouping rows, so the packed ``facet_key`` goes; a text search ranks and orders
its matches from the text row it matched (title vector and first session move to
``SearchText``). The entries, text rows and bitmaps of existing activities are written
after the last migration (``_search_index``).
"""

import django.contrib.postgres.search
from django.db import migrations, models

from stemnet.agenda.migrations._search_index import reindex_after_migrate

KINDS = ("reeks", "kamp", "eenmalig", "workshop", "open_atelier")
SOURCES = ("own", "uit", "import")

COPY_TITLES_BACK = (
    "UPDATE agenda_searchentry e SET title_vector = t.title_vector "
    "FROM agenda_searchtext t WHERE e.activity_id = t.activity_id"
)


def copy_titles_back(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(COPY_TITLES_BACK)
        _checks_now(schema_editor)


def _checks_now(schema_editor):
    """PostgreSQL refuses to alter a table with deferred checks of rows updated in the same
    transaction pending: run them now (the reverse alters the tables right after)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def pack_facet_keys(apps, schema_editor):
    """The packed key the search of 0006/0007 grouped by (domains, flags, source, kind)."""
    kind = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS))
    source = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SOURCES))
    flag = "(CASE WHEN {} THEN {} ELSE 0 END)"
    schema_editor.execute(
        "UPDATE agenda_searchentry SET facet_key = domain_bits"
        f" + {flag.format('free', 256)} + {flag.format('uitpas', 512)}"
        f" + {flag.format('has_places', 1024)}"
        f" + (CASE source {source} ELSE 0 END) * 4096 + (CASE kind {kind} ELSE 0 END) * 65536"
    )
    _checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("agenda", "0007_strip_search_vectors")]

    operations = [
        migrations.CreateModel(
            name="SearchBitmap",
            fields=[
                ("name", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("version", models.BigIntegerField()),
                ("bits", models.BinaryField(default=b"")),
            ],
            options={"verbose_name": "search bitmap", "verbose_name_plural": "search bitmaps"},
        ),
        migrations.AddField(
            model_name="searchentry",
            name="bitmap_keys",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="searchtext",
            name="title_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="searchtext",
            name="first_start",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(migrations.RunPython.noop, copy_titles_back),
        migrations.RemoveField(model_name="searchentry", name="title_vector"),
        migrations.AlterField(
            model_name="searchentry", name="facet_key", field=models.IntegerField(default=0)
        ),
        migrations.RunPython(migrations.RunPython.noop, pack_facet_keys),
        migrations.RemoveField(model_name="searchentry", name="facet_key"),
        migrations.RemoveIndex(model_name="searchentry", name="agenda_sear_lat_48420e_idx"),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                fields=["lat", "lon"],
                include=["last_end", "first_start", "activity"],
                name="agenda_searchentry_near",
            ),
        ),
        migrations.RunPython(reindex_after_migrate, migrations.RunPython.noop),
    ]
