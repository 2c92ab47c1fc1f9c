"""The configurable target groups; UiTPAS (reduced rate, kansentarief) comes first.

Administrators can add other groups (e.g. the official disadvantage indicators) in the admin.
"""

from django.db import migrations

TARGET_GROUPS = [
    ("uitpas", "UiTPAS of kansentarief", "UiTPAS or reduced rate"),
]


def forwards(apps, schema_editor):
    TargetGroup = apps.get_model("reach", "TargetGroup")
    for i, (slug, nl, en) in enumerate(TARGET_GROUPS):
        TargetGroup.objects.update_or_create(
            slug=slug, defaults={"name_nl": nl, "name_en": en, "position": i}
        )


class Migration(migrations.Migration):
    dependencies = [("reach", "0001_participation")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
