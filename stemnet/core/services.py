"""Writes shared by every app: the record that demo data is loaded."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from stemnet.core.models import DemoData
from stemnet.core.selectors import DEMO_CACHE_KEY


def _forget_cached() -> None:
    cache.delete(DEMO_CACHE_KEY)
    # Other processes may have read the old value inside this transaction's lifetime.
    transaction.on_commit(lambda: cache.delete(DEMO_CACHE_KEY))


def demo_data_record(*, seed: int) -> DemoData:
    """Record that demo data is loaded (``manage.py seed_demo``); one row, replaced."""
    DemoData.objects.all().delete()
    row = DemoData.objects.create(seeded_at=timezone.now(), seed=seed)
    _forget_cached()
    return row


def demo_data_forget() -> None:
    """Record that no demo data is loaded any more."""
    DemoData.objects.all().delete()
    _forget_cached()
