"""Project-wide pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _media_and_language(settings):
    """Every test starts in Dutch, as a visitor would."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.deactivate()


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
    _agenda_vocabularies()


def _agenda_vocabularies():
    """Vocabularies come from a data migration; a flush removes them, so put them back."""
    import importlib

    from django.apps import apps

    from stemnet.agenda.models import Domain

    if not Domain.objects.exists():
        importlib.import_module("stemnet.agenda.migrations.0002_vocabularies").forwards(apps, None)
