"""The small demo ecosystem (``seed_demo --small``), seeded once for this module: how it is
marked, and the demo logins that ``demo_accounts`` prints.

Every test here reads the same seeded database; each runs in its own savepoint, so what one
writes is gone for the next, and the seed itself is rolled back after the module.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from stemnet.accounts.demo import ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from stemnet.accounts.models import User
from stemnet.agenda.models import Activity
from stemnet.organisations.models import Organisation
from stemnet.portal.management.commands.demo_accounts import current_totp_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("small_demo")]


@pytest.fixture(scope="module")
def small_demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--force", "--small", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_seed_demo_marks_demo_data_and_keeps_real_names_clear(client):
    """Issue 12: the demo is marked on every page and in the figures' API, and no invented
    activity or figure appears under a real organisation's name (e.g. Ekoli)."""
    from django.core.cache import cache

    from stemnet.core.selectors import DEMO_CACHE_KEY, demo_data_loaded
    from stemnet.organisations.demo import REAL_NAMES
    from stemnet.reach.models import Participation

    cache.delete(DEMO_CACHE_KEY)  # the suite's autouse fixture says "no demo" before each test
    assert demo_data_loaded()
    assert 'class="demo-banner"' in client.get(reverse("portal:home")).content.decode()
    assert client.get("/api/v1/reach/summary", {"year": 2020}).json()["demo"] is True
    assert {"Ekoli", "Skillz vzw", "Buurtmakers", "Arteveldehogeschool"} <= REAL_NAMES
    assert Organisation.objects.filter(name__in=REAL_NAMES).count() >= 15
    assert Activity.objects.exists()
    assert not Activity.objects.filter(organiser__name__in=REAL_NAMES).exists()
    assert not Activity.objects.filter(co_organisers__name__in=REAL_NAMES).exists()
    assert Participation.objects.exists()
    assert not Participation.objects.filter(organisation__name__in=REAL_NAMES).exists()
    # No invented application, recognition or jury nomination of a real academy either.
    # Invented dates (the train-the-trainer sessions) are never under a real gangmaker.
    from stemnet.events.models import Event
    from stemnet.funding.models import Application, Recognition
    from stemnet.scoring.models import Entry

    assert Event.objects.filter(kind=Event.Kind.TRAINING).exists()
    assert not Event.objects.filter(
        kind=Event.Kind.TRAINING, organiser__name__in=REAL_NAMES
    ).exists()
    real_academies = ["Ekoli", "Skillz vzw"]
    assert Application.objects.exists()
    assert not Application.objects.filter(organisation__name__in=real_academies).exists()
    assert not Recognition.objects.filter(organisation__name__in=real_academies).exists()
    assert Entry.objects.exists()
    assert not Entry.objects.filter(owner_organisation__name__in=real_academies).exists()


def test_demo_login_without_and_with_totp(client):
    login = reverse("account_login")
    response = client.post(
        login, {"login": "academie@demo.stemnet.invalid", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")
    client.logout()

    response = client.post(
        login, {"login": "vlaio@demo.stemnet.invalid", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert not client.session.get("_auth_user_id")
    response = client.post(
        reverse("mfa_authenticate"), {"code": current_totp_code(DEMO_TOTP_SECRET)}
    )
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(
        User.objects.get(email="vlaio@demo.stemnet.invalid").pk
    )


def test_demo_accounts_prints_every_login_and_the_totp_secret():
    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    text = out.getvalue()
    for account in ACCOUNTS:
        assert account.email in text
    assert DEMO_PASSWORD in text
    assert DEMO_TOTP_SECRET in text
    assert "otpauth://totp/" in text


def test_the_fresh_code_hint_works_as_printed(tmp_path):
    """The hint names a command that works from the project folder without DEBUG set in
    the shell, and it prints the code valid now (no database needed)."""
    import os
    import subprocess
    import sys
    import time
    from pathlib import Path

    from stemnet.portal.management.commands.demo_accounts import FRESH_CODE_COMMAND

    out = io.StringIO()
    call_command("demo_accounts", stdout=out)
    assert f"nieuwe code:     {FRESH_CODE_COMMAND}" in out.getvalue()
    env_part, program, *args = FRESH_CODE_COMMAND.split()
    assert env_part == "DEBUG=1" and program == ".venv/bin/python"
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env.update(DEBUG="1", STEMNET_VAR_DIR=str(tmp_path))
    before = current_totp_code(DEMO_TOTP_SECRET)
    result = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        [sys.executable, *args],  # .venv/bin/python here is the test's interpreter
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    code = result.stdout.split()[0]
    assert code in {before, current_totp_code(DEMO_TOTP_SECRET, at=time.time())}
    assert FRESH_CODE_COMMAND in result.stdout
