import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse

from stemnet.accounts.models import User
from stemnet.accounts.tests.factories import (
    PASSWORD,
    UserFactory,
    activate_totp,
    verified_user,
)
from stemnet.accounts.tests.html_checks import check_page
from stemnet.core.models import AuditEntry
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def logged_in(client) -> bool:
    return SESSION_KEY in client.session


def login(client, email, password=PASSWORD, path="/accounts/login/"):
    return client.post(path, {"login": email, "password": password})


def reauthenticate(client):
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


# --- Sign-up, verification, login -----------------------------------------------------------


def test_signup_sends_verification_and_confirming_logs_in(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "New.Person@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email__iexact="new.person@example.org")
    assert user.language == "nl"
    assert not logged_in(client)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert message.subject.startswith("[STEMnet]")
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", message.body).group(1)

    page = client.get(path)
    assert page.status_code == 200
    check_page(page.content.decode())
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert logged_in(client)

    client.post("/accounts/logout/")
    assert not logged_in(client)
    response = login(client, "new.person@example.org")
    assert response.status_code == 302
    assert logged_in(client)


def test_signup_in_english_remembers_the_language(client):
    client.post(
        "/en/accounts/signup/",
        {"email": "en@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.get(email="en@example.org").language == "en"
    assert "Please confirm" in mail.outbox[0].subject or "Confirm" in mail.outbox[0].subject


def test_malformed_email_at_signup_shows_message_and_keeps_input(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "piet@@example", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voer een geldig e-mailadres in" in html
    assert 'value="piet@@example"' in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'aria-invalid="true"' in html
    check_page(html)
    assert not User.objects.exists()
    assert not mail.outbox


def test_unverified_login_is_refused_and_verification_resent(client):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    response = login(client, user.email)

    assert not logged_in(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1


def test_wrong_password_shows_a_message(client):
    user = verified_user()
    response = login(client, user.email, "wrong-password")
    assert response.status_code == 200
    assert not logged_in(client)
    html = response.content.decode()
    assert 'class="form-errors"' in html
    assert f'value="{user.email}"' in html


def test_login_throttled_after_five_failures(client):
    user = verified_user()
    for _ in range(5):
        response = login(client, user.email, "wrong-password")
        assert "Te veel" not in response.content.decode()
    response = login(client, user.email)  # even the right password is refused now
    assert response.status_code == 200
    assert not logged_in(client)
    assert "Te veel inlogpogingen" in response.content.decode()


def test_throttling_counts_per_address(client):
    user = verified_user()
    other = verified_user()
    for _ in range(5):
        login(client, user.email, "wrong-password")
    client.cookies.clear()
    response = client.post(
        "/accounts/login/",
        {"login": other.email, "password": PASSWORD},
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302
    assert logged_in(client)


def test_password_reset_sends_mail_and_key_sets_new_password(client):
    user = verified_user()
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", body).group(1)

    response = client.get(path)
    assert response.status_code == 302  # allauth moves the key into the session
    form_url = response["Location"]
    page = client.get(form_url)
    check_page(page.content.decode())
    new = "another-long-passphrase-42"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_mail_uses_recipients_language(client):
    user = verified_user(language="en")
    client.post("/accounts/password/reset/", {"email": user.email})
    assert "Password Reset" in mail.outbox[0].subject


# --- Language after login -------------------------------------------------------------------


def test_login_activates_preferred_language(client):
    user = verified_user(language="en")
    response = login(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == "/en/account/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()


def test_login_keeps_next_but_in_preferred_language(client):
    user = verified_user(language="en")
    response = client.post(
        "/accounts/login/?next=/account/gegevens/",
        {"login": user.email, "password": PASSWORD},
    )
    assert response["Location"] == "/en/account/gegevens/"


def test_login_in_dutch_stays_dutch(client):
    user = verified_user(language="nl")
    response = login(client, user.email, path="/en/accounts/login/")
    assert response["Location"] == "/account/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"


# --- MFA requirement ------------------------------------------------------------------------


def vlaio_staff():
    user = verified_user()
    MembershipFactory(
        user=user,
        organisation=OrganisationFactory(type=Organisation.Type.VLAIO, name="VLAIO"),
        role=Membership.Role.MEMBER,
    )
    return user


def test_vlaio_staff_without_totp_is_sent_to_activation(client):
    user = vlaio_staff()
    client.force_login(user)
    for path in ["/account/", "/", "/organisaties/", "/en/account/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].endswith("/accounts/2fa/totp/activate/"), path
    page = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "twee-factor-authenticatie" in html


def test_vlaio_staff_with_totp_passes(client):
    user = vlaio_staff()
    activate_totp(user)
    client.force_login(user)
    assert client.get("/account/").status_code == 200


def test_reviewer_and_superuser_must_use_mfa(client):
    reviewer = MembershipFactory(role=Membership.Role.REVIEWER).user
    client.force_login(reviewer)
    assert client.get("/account/").status_code == 302
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302


def test_coordinator_is_not_redirected(client):
    coordinator = MembershipFactory(role=Membership.Role.COORDINATOR).user
    client.force_login(coordinator)
    assert client.get("/account/").status_code == 200


def test_mfa_requirement_leaves_allauth_pages_language_switch_and_logout(client):
    user = vlaio_staff()
    client.force_login(user)
    assert client.get("/accounts/email/").status_code == 200
    assert client.get("/en/accounts/email/").status_code == 200
    assert client.get("/static/css/stemnet.css").status_code in {200, 404}  # never a redirect
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response["Location"] == "/en/"
    assert client.post("/accounts/logout/").status_code == 302
    assert not logged_in(client)


def test_mfa_requirement_answers_htmx_and_api_without_html_redirect(client):
    user = vlaio_staff()
    client.force_login(user)
    response = client.get("/account/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].endswith("/accounts/2fa/totp/activate/")
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 403
    assert "twee-factor-authenticatie" in response.json()["detail"]


def test_totp_activation_through_the_page_lets_staff_in(client):
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

    user = vlaio_staff()
    login(client, user.email)
    response = client.get("/account/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before adding an authenticator
    response = client.get(response["Location"])
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    check_page(page.content.decode())
    secret = page.context["form"].secret
    code = hotp_value(secret, next(yield_hotp_counters_from_time()))
    response = client.post(reverse("mfa_activate_totp"), {"code": f"{code:06d}"})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


# --- Every allauth page in our layout -------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/en/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/confirm-email/",
        "/accounts/password/reset/key/1-invalid/",
    ],
)
def test_anonymous_allauth_pages_use_our_layout(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    check_page(response.content.decode())


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/logout/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/2fa/totp/deactivate/",
        "/accounts/2fa/recovery-codes/",
        "/accounts/2fa/recovery-codes/generate/",
        "/accounts/reauthenticate/",
        "/account/",
        "/account/verwijderen/",
    ],
)
def test_logged_in_pages_use_our_layout(client, path):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = verified_user()
    if "deactivate" in path or "recovery" in path:
        activate_totp(user)
        RecoveryCodes.activate(user)
    client.force_login(user)
    if path != "/accounts/reauthenticate/":
        reauthenticate(client)  # so the page itself renders, not the password prompt
    response = client.get(path)
    assert response.status_code == 200
    check_page(response.content.decode())


def test_mfa_authenticate_page_during_login(client):
    user = verified_user()
    activate_totp(user)
    response = login(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not logged_in(client)
    page = client.get(response["Location"])
    check_page(page.content.decode())


def test_english_pages_are_english(client):
    html = client.get("/en/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign In" in html


# --- Profile --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/account/", "/account/gegevens/", "/account/verwijderen/"])
def test_anonymous_is_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_profile_shows_details_memberships_and_links(client):
    user = verified_user(name="An Peeters")
    membership = MembershipFactory(user=user, role=Membership.Role.COORDINATOR)
    client.force_login(user)
    response = client.get("/account/")
    html = response.content.decode()
    check_page(html)
    assert "An Peeters" in html
    assert user.email in html
    assert membership.organisation.get_absolute_url() in html
    assert "coördinator" in html or "coordinator" in html
    for name in ["account_email", "account_change_password", "mfa_index"]:
        assert reverse(name) in html
    assert reverse("accounts:data_export") in html
    assert reverse("accounts:delete") in html


def test_profile_edit_saves_name(client):
    user = verified_user(name="Old")
    client.force_login(user)
    response = client.post("/account/", {"name": "Nieuwe Naam", "language": "nl"})
    assert response.status_code == 302
    assert response["Location"] == "/account/"
    user.refresh_from_db()
    assert user.name == "Nieuwe Naam"


def test_profile_edit_language_switches_to_it(client):
    user = verified_user(language="nl")
    client.force_login(user)
    response = client.post("/account/", {"name": "An", "language": "en"})
    assert response["Location"] == "/en/account/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.language == "en"


def test_profile_edit_invalid_language_keeps_input(client):
    user = verified_user(name="Old", language="nl")
    client.force_login(user)
    response = client.post("/account/", {"name": "Typed Name", "language": "xx"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Typed Name"' in html
    assert 'id="id_language_error"' in html
    user.refresh_from_db()
    assert user.name == "Old"


# --- Personal data export -------------------------------------------------------------------


def test_export_contains_memberships_and_no_password_hash(client):
    user = verified_user()
    membership = MembershipFactory(user=user, role=Membership.Role.COORDINATOR)
    activate_totp(user)
    client.force_login(user)
    client.post("/account/", {"name": "Exported", "language": "nl"})

    response = client.get("/account/gegevens/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    raw = response.content.decode()
    data = json.loads(raw)["data"]
    assert data["account"]["email"] == user.email
    assert data["memberships"] == [
        {
            "organisation": membership.organisation.name,
            "organisation_id": membership.organisation_id,
            "role": "coordinator",
            "since": data["memberships"][0]["since"],
        }
    ]
    assert data["email_addresses"] == [{"email": user.email, "verified": True, "primary": True}]
    assert [a["type"] for a in data["mfa_authenticators"]] == ["totp"]
    assert any(e["event"] == "accounts.user.updated" for e in data["audit_trail"])
    user.refresh_from_db()
    assert user.password not in raw
    assert "password" not in raw
    assert "JBSWY3DPEHPK3PXP" not in raw


# --- Delete account -------------------------------------------------------------------------


def test_delete_requires_the_current_password(client):
    user = verified_user()
    client.force_login(user)
    response = client.post("/account/verwijderen/", {"password": "not-my-password"})
    assert response.status_code == 200
    assert "Dit is niet je huidige wachtwoord" in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()
    assert logged_in(client)


def test_delete_removes_account_logs_out_and_goes_home(client):
    user = verified_user()
    MembershipFactory(user=user, role=Membership.Role.MEMBER)
    client.force_login(user)
    user_id = user.pk
    response = client.post("/account/verwijderen/", {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert not User.objects.filter(pk=user_id).exists()
    assert not Membership.objects.filter(user_id=user_id).exists()
    assert not EmailAddress.objects.filter(user_id=user_id).exists()
    assert not logged_in(client)
    assert AuditEntry.objects.filter(code="accounts.user.deleted", object_id=str(user_id)).exists()
    home = client.get(response["Location"])
    assert "verwijderd" in home.content.decode()


def test_delete_refused_for_sole_coordinator(client):
    user = verified_user()
    organisation = MembershipFactory(user=user, role=Membership.Role.COORDINATOR).organisation
    client.force_login(user)
    page = client.get("/account/verwijderen/")
    assert organisation.name in page.content.decode()
    response = client.post("/account/verwijderen/", {"password": PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert "enige coördinator" in html
    assert organisation.name in html
    assert User.objects.filter(pk=user.pk).exists()
    assert logged_in(client)


def test_staff_cannot_switch_their_authenticator_off(client):
    from allauth.mfa.models import Authenticator

    user = vlaio_staff()
    activate_totp(user)
    client.force_login(user)
    reauthenticate(client)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert Authenticator.objects.filter(user=user, type="totp").exists()


def test_others_can_switch_their_authenticator_off(client):
    from allauth.mfa.models import Authenticator

    user = verified_user()
    activate_totp(user)
    client.force_login(user)
    reauthenticate(client)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type="totp").exists()


def _login(client, email, password, client_address, proxy="127.0.0.1"):
    client.logout()
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_failed_logins_behind_the_proxy_do_not_lock_out_other_people(client, settings):
    """Behind the TLS proxy, one guesser's wrong passwords locked everybody out."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    victim = verified_user(email="an@example.org")
    other = verified_user(email="jan@example.org")
    for n in range(10):  # enough for the per-address and the per-account limit
        email = victim.email if n < 5 else f"guess{n}@example.org"
        _login(client, email, "wrong-password", "203.0.113.5")
    response = _login(client, other.email, PASSWORD, "203.0.113.5")
    assert "_auth_user_id" not in client.session  # the guesser's address is stopped
    response = _login(client, other.email, PASSWORD, "203.0.113.9")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(other.pk)
    # The guessed account is throttled from any address (per account, not only per address).
    response = _login(client, victim.email, PASSWORD, "198.51.100.1")
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_a_forged_forwarded_header_from_outside_does_not_reset_the_count(client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    other = verified_user(email="jan@example.org")
    for n in range(10):
        _login(client, f"guess{n}@example.org", "x", f"203.0.113.{n}", proxy="198.51.100.66")
    response = _login(client, other.email, PASSWORD, "203.0.113.200", proxy="198.51.100.66")
    assert "_auth_user_id" not in client.session  # counted under 198.51.100.66 itself
    assert response.status_code in (200, 429)
