"""PostgreSQL: no two active reservations of one unit may overlap (an exclusion constraint).

The span is ``[start_at, blocked_until)``: the loan plus the item's buffer days. The
constraint needs the btree_gist extension (``unit_id WITH =`` in a GiST index). It is not a
model constraint because models use no ``django.contrib.postgres`` features (STYLE.md); on
SQLite ``stemnet.lending.services.loans`` checks under the database's write lock instead.
"""

from django.db import migrations

NAME = "lending_reservation_no_overlap"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE lending_reservation ADD CONSTRAINT {NAME} EXCLUDE USING gist "
        "(unit_id WITH =, tstzrange(start_at, blocked_until, '[)') WITH &&) WHERE (active)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE lending_reservation DROP CONSTRAINT IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("lending", "0001_catalogue_and_loans")]
    operations = [migrations.RunPython(forwards, backwards)]
