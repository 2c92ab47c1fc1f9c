"""E-mails (allauth) are signed with the site's name: "STEMnet", not Django's default
"example.com". The domain comes from SITE_URL. A site an administrator already renamed is
left alone."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations

DEFAULT = "example.com"


def name_the_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    site, _created = Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "STEMnet"}
    )
    if site.name == DEFAULT or site.domain == DEFAULT:
        site.name = "STEMnet"
        site.domain = domain
        site.save(update_fields=["name", "domain"])


def back_to_default(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.filter(pk=settings.SITE_ID, name="STEMnet").update(
        name=DEFAULT, domain=DEFAULT
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_outbox_message"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(name_the_site, back_to_default)]
