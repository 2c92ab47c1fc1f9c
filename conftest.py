"""Project-wide pytest fixtures."""

import os

import pytest


@pytest.fixture(autouse=True)
def _media_and_language(settings):
    """Every test starts in Dutch, as a visitor would."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_demo_data_cached():
    """Tests start without demo data: forget a "demo data loaded" that an earlier test cached
    (the database is rolled back, the cache is not). Set rather than deleted, so pages cost
    no extra query in the query-count tests; ``seed_demo`` clears it when it records demo
    data."""
    from django.core.cache import cache

    from stemnet.core.selectors import DEMO_CACHE_KEY

    cache.set(DEMO_CACHE_KEY, False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference data once per test database."""
    from stemnet.places.services import places_load

    with django_db_blocker.unblock():
        places_load()


@pytest.fixture
def reference_data(db):
    """For transactional tests (which flush the database): make sure the places are there."""
    from stemnet.places.models import Municipality
    from stemnet.places.services import places_load

    if not Municipality.objects.exists():
        places_load()
    _seed_data_migrations()


# Data migrations that seed controlled vocabularies. A transactional test's flush empties
# those tables, so tests that run after one put the rows back (each forwards() is idempotent).
SEEDING_MIGRATIONS = [
    ("stemnet.agenda.migrations.0002_vocabularies", "agenda.Domain"),
    ("stemnet.reach.migrations.0002_target_groups", "reach.TargetGroup"),
    ("stemnet.uit.migrations.0002_term_mapping", "uit.UitTermMapping"),
]


def _seed_data_migrations():
    import importlib

    from django.apps import apps

    for module, model in SEEDING_MIGRATIONS:
        if not apps.get_model(model).objects.exists():
            importlib.import_module(module).forwards(apps, None)


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 (stoppable); mail goes through the outbox to it."""
    from stemnet.core.tests.smtpserver import SmtpServer

    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "stemnet.core.mail.OutboxBackend"
        settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = server.host
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield server


@pytest.fixture
def outbox_locmem(settings):
    """Mail goes through the outbox (Django's test setup otherwise skips it) to locmem."""
    settings.EMAIL_BACKEND = "stemnet.core.mail.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings


def pytest_collection_modifyitems(config, items):
    """``make test`` runs the suite twice, on SQLite and on PostgreSQL. A test marked
    ``database_independent`` (e.g. settings loaded in a subprocess with its own environment)
    gives the same result on both, so the PostgreSQL pass skips it, saying why."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    skip = pytest.mark.skip(
        reason="database-independent: the same on SQLite and PostgreSQL, run in the SQLite pass"
    )
    for item in items:
        if item.get_closest_marker("database_independent"):
            item.add_marker(skip)
