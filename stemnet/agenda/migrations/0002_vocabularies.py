"""The controlled vocabularies of the agenda: STEM domains, themes, accessibility features.

Themes include the three Flemish transition priorities named in VLAIO's 2020 call
(digitalisering, circulaire economie, energie & klimaat). Administrators can add terms.
"""

from django.db import migrations

DOMAINS = [
    ("science", "Wetenschappen", "Science"),
    ("technology", "Technologie", "Technology"),
    ("engineering", "Engineering", "Engineering"),
    ("mathematics", "Wiskunde", "Mathematics"),
]

THEMES = [
    # slug, nl, en, transition priority
    ("digitalisering", "Digitalisering", "Digitalisation", True),
    ("circulaire-economie", "Circulaire economie", "Circular economy", True),
    ("energie-klimaat", "Energie & klimaat", "Energy & climate", True),
    ("robotica", "Robotica", "Robotics", False),
    ("programmeren", "Programmeren", "Coding", False),
    ("elektronica", "Elektronica", "Electronics", False),
    ("3d-ontwerp", "3D-ontwerp en -printen", "3D design and printing", False),
    ("natuur-milieu", "Natuur en milieu", "Nature and environment", False),
    ("ruimtevaart", "Ruimtevaart en sterrenkunde", "Space and astronomy", False),
    ("chemie", "Chemie", "Chemistry", False),
    ("biologie-gezondheid", "Biologie en gezondheid", "Biology and health", False),
    ("bouwen-constructie", "Bouwen en constructie", "Building and construction", False),
    ("wiskunde-logica", "Wiskunde en logica", "Mathematics and logic", False),
    ("kunst-stem", "STEM en kunst", "STEM and art", False),
    ("herstellen", "Herstellen en hergebruiken", "Repair and reuse", False),
]

FEATURES = [
    ("rolstoeltoegankelijk", "Rolstoeltoegankelijk", "Wheelchair accessible"),
    ("vgt", "Vlaamse Gebarentaal", "Flemish Sign Language"),
    ("bijzondere-noden", "Voor kinderen met bijzondere noden", "For children with special needs"),
    ("gratis-vervoer", "Gratis vervoer", "Free transport"),
    ("prikkelarm", "Prikkelarm", "Low-stimulus"),
    ("kansentarief", "Kansentarief", "Reduced rate for low incomes"),
    ("nederlands-leren", "Ook voor anderstalige kinderen", "Also for children learning Dutch"),
]


def forwards(apps, schema_editor):
    Domain = apps.get_model("agenda", "Domain")
    Theme = apps.get_model("agenda", "Theme")
    Feature = apps.get_model("agenda", "AccessibilityFeature")
    for i, (slug, nl, en) in enumerate(DOMAINS):
        Domain.objects.update_or_create(
            slug=slug, defaults={"name_nl": nl, "name_en": en, "position": i}
        )
    for i, (slug, nl, en, priority) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "name_nl": nl,
                "name_en": en,
                "position": i,
                "is_transition_priority": priority,
            },
        )
    for i, (slug, nl, en) in enumerate(FEATURES):
        Feature.objects.update_or_create(
            slug=slug, defaults={"name_nl": nl, "name_en": en, "position": i}
        )


def backwards(apps, schema_editor):
    for name, rows in (("Domain", DOMAINS), ("Theme", THEMES), ("AccessibilityFeature", FEATURES)):
        apps.get_model("agenda", name).objects.filter(slug__in=[r[0] for r in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
