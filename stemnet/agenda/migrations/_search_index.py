"""What the migrations that changed the search index's form do with the data: nothing here.

The search index (entries, text rows, full-text table, bitmaps) is derived from the
activities and their sessions. Migrations 0003, 0008 and 0009 used to rebuild it with the
search code of the day, which no longer fits the schema at those points. Now, when a
database with activities passes one of them, they only note it on the connection; once
``migrate`` has brought the agenda to its last migration, ``agenda.signals`` rebuilds the
index with today's code on today's schema (``manage.py agenda_reindex`` does the same by
hand). An empty database (a new site, the tests) needs nothing.

Frozen: this file never imports the live search code and must not change with it.
"""

# The attribute set on the database connection (``agenda.signals`` reads it).
REINDEX_AFTER_MIGRATE = "stemnet_agenda_reindex_after_migrate"


def reindex_after_migrate(apps, schema_editor):
    """Note that the search index must be rebuilt once the migrations are done."""
    if apps.get_model("agenda", "Activity").objects.exists():
        setattr(schema_editor.connection, REINDEX_AFTER_MIGRATE, True)
