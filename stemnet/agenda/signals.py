"""A search entry deleted by a cascade (an activity or a municipality deleted in the admin,
say) leaves the search bitmaps here; ``agenda.search`` deletes entries itself, without this."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from stemnet.agenda.models import SearchEntry
from stemnet.agenda.search import store


@receiver(pre_delete, sender=SearchEntry, dispatch_uid="agenda.search_entry_bitmaps")
def search_entry_leaves_bitmaps(sender, instance: SearchEntry, **kwargs) -> None:
    store.apply({instance.pk: set(instance.bitmap_keys.split())}, {})
