"""Every session lies within the years 2000-2100 (Belgian time): a database constraint.

Existing sessions outside those years are not changed or deleted here: which date was meant
(2026 typed as 1926? 2062?) only the organiser knows. The migration stops with the list of
such sessions instead, so they can be corrected first (the demo and a fresh database have
none). The configured window (``AGENDA_SESSIONS_FROM``, ``AGENDA_SESSIONS_YEARS_AHEAD``)
is narrower and checked by the services, not here.
"""

import datetime

from django.db import migrations, models

EARLIEST = datetime.datetime(1999, 12, 31, 23, 0, tzinfo=datetime.timezone.utc)
LATEST = datetime.datetime(2100, 12, 31, 23, 0, tzinfo=datetime.timezone.utc)


def refuse_sessions_outside(apps, schema_editor):
    Session = apps.get_model("agenda", "Session")
    outside = Session.objects.filter(
        models.Q(starts_at__lt=EARLIEST) | models.Q(ends_at__gt=LATEST)
    ).values_list("pk", "activity_id", "starts_at")
    found = list(outside[:50])
    if found:
        lines = "\n".join(f"  session {pk} of activity {a}: {s:%Y-%m-%d %H:%M}" for pk, a, s in found)
        raise RuntimeError(
            "These sessions lie outside the years 2000-2100; correct or delete them, "
            f"then migrate again:\n{lines}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0009_word_bitmaps"),
    ]

    operations = [
        migrations.RunPython(refuse_sessions_outside, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="session",
            constraint=models.CheckConstraint(
                condition=models.Q(("starts_at__gte", EARLIEST), ("ends_at__lte", LATEST)),
                name="session_within_years",
                violation_error_message="A session must lie within the years 2000-2100.",
            ),
        ),
    ]
