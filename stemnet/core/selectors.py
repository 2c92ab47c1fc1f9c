"""Reads shared by every app: whether demo data is loaded."""

from django.core.cache import cache

from stemnet.core.models import DemoData

DEMO_CACHE_KEY = "core:demo-data-loaded"
DEMO_CACHE_SECONDS = 300


def demo_data_loaded() -> bool:
    """True while ``manage.py seed_demo`` has loaded demo data (a ``DemoData`` row exists).

    The one test for "demo data is loaded": the banner on every page, the figures' notes and
    the ``demo`` field of the reach API all use it. Cached (the services that write or
    remove the row clear the cache), so a page costs no query.
    """
    value = cache.get(DEMO_CACHE_KEY)
    if value is None:
        value = DemoData.objects.exists()
        cache.set(DEMO_CACHE_KEY, value, DEMO_CACHE_SECONDS)
    return value
