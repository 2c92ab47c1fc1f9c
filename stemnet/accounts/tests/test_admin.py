import pytest
from django.urls import reverse

from stemnet.accounts.models import User
from stemnet.accounts.tests.factories import PASSWORD, UserFactory, activate_totp, verified_user

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


def _totp_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def test_admin_login_with_a_password_alone_logs_nobody_in(client):
    admin = verified_user(is_superuser=True, is_staff=True, email="root@example.org")
    activate_totp(admin)
    response = client.post(
        "/admin/login/", {"username": admin.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get("/admin/").status_code == 302


def test_admin_is_reached_through_the_site_login_with_totp(client):
    admin = verified_user(is_superuser=True, is_staff=True, email="root@example.org")
    activate_totp(admin)
    response = client.get("/admin/login/?next=/admin/")
    login_url = response["Location"]
    assert login_url.startswith(reverse("account_login"))
    response = client.post(login_url, {"login": admin.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code("JBSWY3DPEHPK3PXP")})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_login_refuses_a_logged_in_non_staff_user(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403
