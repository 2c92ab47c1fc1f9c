"""The real settings module (not settings_test), loaded in a subprocess with a production env."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# Each test loads the settings in a subprocess with an environment of its own (no test
# database), so the PostgreSQL pass of ``make test`` has nothing to add to the SQLite pass.
pytestmark = pytest.mark.database_independent

ROOT = Path(__file__).resolve().parents[3]
# Variables of the outer environment that would change what the settings read.
SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "PG_RANDOM_PAGE_COST",
    "STEMNET_VAR_DIR",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "BEHIND_TLS_PROXY",
    "CSRF_TRUSTED_ORIGINS",
    "EMAIL_BACKEND",
    "OUTBOX_DELIVERY_BACKEND",
    "TASKS_BACKEND",
    # Set by the browser tests (Playwright runs an event loop); never in production.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def _production_env(tmp_path, **overrides) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(64),  # 86 characters, random
            "ALLOWED_HOSTS": "stemnet.example.org",
            "DJANGO_SETTINGS_MODULE": "stemnet.settings",
            "STEMNET_VAR_DIR": str(tmp_path / "var"),
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _settings(tmp_path, names: list[str], **overrides) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))"
    )
    result = _run(["-c", code], _production_env(tmp_path, **overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_no_issues(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path)
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


def test_collectstatic_works_with_production_storage(tmp_path):
    """The manifest storage rewrites every reference (e.g. source maps) or fails the deploy."""
    # ~25 s on a quiet machine (brotli and gzip of every file); far more on a loaded one.
    command = ["manage.py", "collectstatic", "--noinput", "-v0"]
    result = _run(command, _production_env(tmp_path), timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = tmp_path / "var" / "static" / "staticfiles.json"
    assert manifest.exists()
    assert "vendor/leaflet-1.9.4/leaflet.js" in manifest.read_text()


def test_production_settings_refuse_to_load_without_secret_key(tmp_path):
    code = "from django.conf import settings; settings.INSTALLED_APPS"
    result = _run(["-c", code], _production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_debug_without_secret_key_uses_a_development_key(tmp_path):
    values = _settings(tmp_path, ["DEBUG", "SECRET_KEY"], SECRET_KEY=None, DEBUG="1")
    assert values["DEBUG"] is True
    assert "insecure" in values["SECRET_KEY"]


def test_sqlite_default_uses_wal_and_immediate_transactions(tmp_path):
    databases = _settings(tmp_path, ["DATABASES"])["DATABASES"]
    default = databases["default"]
    assert default["ENGINE"] == "django.db.backends.sqlite3"
    assert default["NAME"] == str(tmp_path / "var" / "stemnet.sqlite3")
    assert default["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in default["OPTIONS"]["init_command"]


def test_database_url_selects_postgresql_without_sqlite_options(tmp_path):
    url = "postgres://stemnet:secret@db.example.org:5432/stemnet"
    default = _settings(tmp_path, ["DATABASES"], DATABASE_URL=url)["DATABASES"]["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert "transaction_mode" not in default.get("OPTIONS", {})
    assert default["OPTIONS"]["options"] == "-c random_page_cost=1.1"
    custom = _settings(tmp_path, ["DATABASES"], DATABASE_URL=url, PG_RANDOM_PAGE_COST="2")
    assert custom["DATABASES"]["default"]["OPTIONS"]["options"] == "-c random_page_cost=2.0"


def test_redis_url_gives_a_working_shared_cache(tmp_path):
    """REDIS_URL (the Redis server on 127.0.0.1 that this machine and CI run) stores values."""
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('stemnet-settings-test', 42, 5); "
        "print(type(cache._cache).__name__, cache.get('stemnet-settings-test'))"
    )
    env = _production_env(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisCacheClient", "42"]


def test_language_and_time_zone(tmp_path):
    values = _settings(tmp_path, ["TIME_ZONE", "LANGUAGE_CODE", "USE_TZ", "LANGUAGES"])
    assert values["TIME_ZONE"] == "Europe/Brussels"
    assert values["LANGUAGE_CODE"] == "nl"
    assert values["USE_TZ"] is True
    assert [code for code, _ in values["LANGUAGES"]] == ["nl", "en"]


def test_production_security_settings(tmp_path):
    names = [
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "ALLOWED_HOSTS",
    ]
    values = _settings(tmp_path, names)
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["ALLOWED_HOSTS"] == ["stemnet.example.org"]


@pytest.mark.parametrize("debug", ["1", "0"])
def test_settings_module_imports_cleanly(tmp_path, debug):
    values = _settings(tmp_path, ["ROOT_URLCONF"], DEBUG=debug)
    assert values["ROOT_URLCONF"] == "stemnet.urls"


def test_every_mail_goes_through_the_outbox(tmp_path):
    names = ["EMAIL_BACKEND", "OUTBOX_DELIVERY_BACKEND"]
    production = _settings(tmp_path, names)
    assert production == {
        "EMAIL_BACKEND": "stemnet.core.mail.OutboxBackend",
        "OUTBOX_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    }
    demo = _settings(tmp_path, names, DEBUG="1")
    assert demo["EMAIL_BACKEND"] == "stemnet.core.mail.OutboxBackend"
    assert demo["OUTBOX_DELIVERY_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_database_connections_are_checked_before_reuse(tmp_path):
    url = "postgres://stemnet:secret@db.example.org:5432/stemnet"
    default = _settings(tmp_path, ["DATABASES"], DATABASE_URL=url)["DATABASES"]["default"]
    assert default["CONN_HEALTH_CHECKS"] is True
    assert default["CONN_MAX_AGE"] == 60


def test_tasks_run_on_rq_in_production_and_on_the_database_on_a_laptop(tmp_path):
    laptop = _settings(tmp_path, ["TASKS"], DEBUG="1")["TASKS"]
    assert laptop["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    names = ["TASKS", "RQ_QUEUES", "INSTALLED_APPS"]
    rq = _settings(tmp_path, names, TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/13")
    assert rq["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert rq["RQ_QUEUES"]["default"]["URL"] == "redis://127.0.0.1:6379/13"
    assert "django_rq" in rq["INSTALLED_APPS"]
    env = _production_env(tmp_path, TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/13")
    result = _run(["manage.py", "check"], env)
    assert result.returncode == 0, result.stdout + result.stderr
