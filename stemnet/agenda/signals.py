"""A search entry deleted by a cascade (an activity or a municipality deleted in the admin,
say) leaves the search bitmaps here; ``agenda.search`` deletes entries itself, without this.

After ``migrate``: the search index rebuilt when a migration noted it must be
(``agenda.migrations._search_index``), with today's code on today's schema."""

from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import post_migrate, pre_delete
from django.dispatch import receiver

from stemnet.agenda.migrations._search_index import REINDEX_AFTER_MIGRATE
from stemnet.agenda.models import SearchEntry
from stemnet.agenda.search import store


@receiver(pre_delete, sender=SearchEntry, dispatch_uid="agenda.search_entry_bitmaps")
def search_entry_leaves_bitmaps(sender, instance: SearchEntry, **kwargs) -> None:
    store.apply({instance.pk: set(instance.bitmap_keys.split())}, {})


@receiver(post_migrate, dispatch_uid="agenda.reindex_after_migrate")
def reindex_after_migrate(sender, using="default", verbosity=1, stdout=None, **kwargs) -> None:
    """Rebuild the search index once the agenda's migrations are all applied, if one of them
    asked for it; say so when ``migrate`` stopped before the last one."""
    connection = connections[using]
    if getattr(sender, "label", None) != "agenda" or not getattr(
        connection, REINDEX_AFTER_MIGRATE, False
    ):
        return
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    last = loader.graph.leaf_nodes("agenda")
    write = stdout.write if stdout is not None else print
    if not all(node in loader.applied_migrations for node in last):
        write("The search index is rebuilt after the agenda's last migration.\n")
        return
    from stemnet.agenda.search import activity_reindex_all

    setattr(connection, REINDEX_AFTER_MIGRATE, False)
    count = activity_reindex_all()
    if verbosity:
        write(f"Search index rebuilt for {count} activities.\n")
