from django.db import migrations, models


def withdraw_duplicate_drafts(apps, schema_editor):
    """Double clicks on "apply" left several active applications of one organisation in one
    round. Keep the oldest; later duplicates that are still drafts become withdrawn (nothing
    was submitted with them). Submitted duplicates are left alone: the constraint then stops
    the migration and someone decides."""
    Application = apps.get_model("funding", "Application")
    seen = set()
    for application in (
        Application.objects.exclude(status="withdrawn").order_by("created_at", "pk").iterator()
    ):
        key = (application.round_id, application.organisation_id)
        if key in seen and application.status == "draft":
            Application.objects.filter(pk=application.pk).update(status="withdrawn")
        seen.add(key)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0002_round_appeal"),
    ]

    operations = [
        # Reversing leaves the withdrawn duplicates withdrawn: which were drafts is not known.
        migrations.RunPython(withdraw_duplicate_drafts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "withdrawn"), _negated=True),
                fields=("round", "organisation"),
                name="one_active_application_per_round",
                violation_error_message=(
                    "Your organisation already has an application in this round."
                ),
            ),
        ),
    ]
