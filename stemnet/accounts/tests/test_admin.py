import pytest

from stemnet.accounts.models import User
from stemnet.accounts.tests.factories import PASSWORD, UserFactory, activate_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_superuser=True, is_staff=True, email="admin@example.org")
    activate_totp(admin)  # superusers must use MFA
    client.force_login(admin)
    return client


def test_user_changelist_lists_and_searches(admin_client):
    UserFactory(email="an.peeters@example.org", name="An Peeters")
    UserFactory(email="jan@example.org", name="Jan Janssens", is_demo=True)
    response = admin_client.get("/admin/accounts/user/", {"q": "peeters"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "an.peeters@example.org" in html
    assert "jan@example.org" not in html
    response = admin_client.get("/admin/accounts/user/", {"is_demo__exact": "1"})
    assert "jan@example.org" in response.content.decode()


def test_user_change_page_renders(admin_client):
    user = UserFactory()
    response = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_admin_adds_user_by_email(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New@Example.org",
            "name": "Nieuw",
            "language": "en",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="new@example.org")
    assert user.check_password(PASSWORD)
    assert user.language == "en"
