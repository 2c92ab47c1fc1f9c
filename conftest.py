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
