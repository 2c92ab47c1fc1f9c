import pytest
from django.urls import reverse

from stemnet.accounts.tests.factories import UserFactory, activate_totp
from stemnet.portal.tests.factories import ContactMessageFactory, NewsArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(user)  # staff must use two-factor authentication
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "query", ["", "?q=Nieuwsbericht", "?is_demo__exact=1", "?visible=no", "?visible=yes"]
)
def test_news_admin_list_filters_and_search(admin_client, query):
    NewsArticleFactory(is_demo=True)
    response = admin_client.get(reverse("admin:portal_newsarticle_changelist") + query)
    assert response.status_code == 200


def test_news_admin_add_form_has_both_languages(admin_client):
    response = admin_client.get(reverse("admin:portal_newsarticle_add"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="title_nl"' in html and 'name="title_en"' in html


@pytest.mark.parametrize("query", ["", "?q=academie", "?handled__exact=0", "?language__exact=nl"])
def test_contact_admin_list(admin_client, query):
    ContactMessageFactory()
    response = admin_client.get(reverse("admin:portal_contactmessage_changelist") + query)
    assert response.status_code == 200


def test_contact_admin_message_is_read_only_but_handled_can_be_set(admin_client):
    contact = ContactMessageFactory(message="Origineel bericht")
    url = reverse("admin:portal_contactmessage_change", args=[contact.pk])
    response = admin_client.post(url, {"handled": "on", "message": "Vervalst"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.handled
    assert contact.message == "Origineel bericht"
    assert admin_client.get(reverse("admin:portal_contactmessage_add")).status_code == 403
