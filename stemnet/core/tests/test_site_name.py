"""E-mails are signed with the site's name, not "example.com"."""

import pytest
from django.contrib.sites.models import Site
from django.core import mail

pytestmark = pytest.mark.django_db


def test_the_site_is_named_stemnet():
    site = Site.objects.get_current()
    assert site.name == "STEMnet" and site.domain != "example.com"


def test_account_mails_name_stemnet(client):
    from stemnet.accounts.tests.factories import UserFactory

    user = UserFactory(email="ouder@example.org")
    client.post("/accounts/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "example.com" not in message.subject + message.body
    assert "STEMnet" in message.subject + message.body
