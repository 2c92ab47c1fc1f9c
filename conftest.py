"""Project-wide pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _media_and_language(settings):
    """Every test starts in Dutch, as a visitor would."""
    from django.utils import translation

    translation.activate("nl")
    yield
    translation.deactivate()
