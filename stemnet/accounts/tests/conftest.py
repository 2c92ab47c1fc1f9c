import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Allauth counts login attempts in the cache; every test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()
