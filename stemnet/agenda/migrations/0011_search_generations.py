"""Generations of the search bitmaps: a rebuild writes the next generation beside the one
searches read and switches (``agenda.search.store.rebuild``). The bitmaps there are become
generation 1: their names get the prefix "1|". Plain SQL, no live search code."""

from django.db import migrations, models


def number_the_bitmaps(apps, schema_editor):
    state = apps.get_model("agenda", "SearchGeneration")
    state.objects.update_or_create(pk=1, defaults={"current": 1, "building": None})
    schema_editor.execute("UPDATE agenda_searchbitmap SET name = '1|' || name")


def unnumber_the_bitmaps(apps, schema_editor):
    """Keep the generation searches read, without its prefix."""
    state = apps.get_model("agenda", "SearchGeneration").objects.filter(pk=1).first()
    prefix = f"{state.current if state else 1}|"
    bitmap = apps.get_model("agenda", "SearchBitmap")
    bitmap.objects.exclude(name__startswith=prefix).delete()
    schema_editor.execute(
        "UPDATE agenda_searchbitmap SET name = SUBSTR(name, %s)", [len(prefix) + 1]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agenda", "0010_session_within_years"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchBitmapLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("generation", models.PositiveIntegerField()),
                ("activity_id", models.BigIntegerField()),
                ("before", models.TextField()),
                ("after", models.TextField()),
            ],
            options={
                "verbose_name": "search bitmap write",
                "verbose_name_plural": "search bitmap writes",
            },
        ),
        migrations.CreateModel(
            name="SearchGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("current", models.PositiveIntegerField(default=1)),
                ("building", models.PositiveIntegerField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "search generation",
                "verbose_name_plural": "search generations",
            },
        ),
        migrations.RunPython(number_the_bitmaps, unnumber_the_bitmaps),
    ]
