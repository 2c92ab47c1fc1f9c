"""Seed the term mapping: our kinds, themes and STEM domains → UiTdatabank taxonomy terms.

Term ids and labels checked against publiq's taxonomy (cultuurnet/taxonomy json/terms.json,
snapshot 16e46039, 2026-07-06; vendored in uit/tests/contracts/taxonomy). Administrators can
change the mapping in the admin. The taxonomy has no "workshop" event type any more
(0.3.1.0.0, once "Cursus of workshop", is now "Lessenreeks"), so one-off activities,
workshops and open studios use "Cursus met open sessies" (0.3.1.0.1), where each session can
be booked on its own. Position 0 marks the value an imported event gets back.
"""

from django.db import migrations

LESSENREEKS = ("0.3.1.0.0", "Lessenreeks")
KAMP = ("0.57.0.0.0", "Kamp of vakantie")
OPEN_SESSIES = ("0.3.1.0.1", "Cursus met open sessies")
WETENSCHAP = ("1.25.0.0.0", "Wetenschap")
TECHNIEK = ("1.21.0.0.0", "Computer en techniek")
MILIEU = ("1.64.0.0.0", "Milieu en natuur")
CREATIVITEIT = ("1.42.0.0.0", "Creativiteit")

ROWS = [
    # scheme, our value, (term id, label), position
    ("kind", "reeks", LESSENREEKS, 0),
    ("kind", "kamp", KAMP, 0),
    ("kind", "eenmalig", OPEN_SESSIES, 0),
    ("kind", "workshop", OPEN_SESSIES, 1),
    ("kind", "open_atelier", OPEN_SESSIES, 2),
    ("theme", "digitalisering", TECHNIEK, 0),
    ("theme", "circulaire-economie", MILIEU, 1),
    ("theme", "energie-klimaat", MILIEU, 1),
    ("theme", "robotica", TECHNIEK, 1),
    ("theme", "programmeren", TECHNIEK, 1),
    ("theme", "elektronica", TECHNIEK, 1),
    ("theme", "3d-ontwerp", TECHNIEK, 1),
    ("theme", "natuur-milieu", MILIEU, 0),
    ("theme", "ruimtevaart", WETENSCHAP, 1),
    ("theme", "chemie", WETENSCHAP, 1),
    ("theme", "biologie-gezondheid", WETENSCHAP, 1),
    ("theme", "bouwen-constructie", TECHNIEK, 1),
    ("theme", "wiskunde-logica", WETENSCHAP, 1),
    ("theme", "kunst-stem", CREATIVITEIT, 0),
    ("theme", "herstellen", TECHNIEK, 1),
    ("domain", "science", WETENSCHAP, 0),
    ("domain", "technology", TECHNIEK, 0),
    ("domain", "engineering", TECHNIEK, 1),
    ("domain", "mathematics", WETENSCHAP, 1),
]


def forwards(apps, schema_editor):
    UitTermMapping = apps.get_model("uit", "UitTermMapping")
    for scheme, value, (term_id, label), position in ROWS:
        UitTermMapping.objects.update_or_create(
            scheme=scheme,
            value=value,
            defaults={"term_id": term_id, "term_label": label, "position": position},
        )


def backwards(apps, schema_editor):
    UitTermMapping = apps.get_model("uit", "UitTermMapping")
    for scheme, value, _term, _position in ROWS:
        UitTermMapping.objects.filter(scheme=scheme, value=value).delete()


class Migration(migrations.Migration):
    dependencies = [("uit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
