"""Rebuilding the search (``manage.py agenda_reindex``) on a live site: searches during a
rebuild never find the agenda empty, and every write made during it is found after.

Real threads with their own connections. On PostgreSQL a searcher and a writer run the
whole time; more writes and searches are made at set moments (after the rebuild read the
entries: those writes reach the new bitmaps only through the log it carries over). The
in-memory SQLite test database is shared-cache, where a reader and a writer of one table
fail at once instead of waiting: there the searches and writes run only at those moments,
each in its own thread while the rebuild waits.
"""

import threading
import time
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, close_old_connections, connection, transaction

from stemnet.agenda.models import Activity, SearchGeneration
from stemnet.agenda.search import ActivityFilters, activity_reindex, run, store
from stemnet.agenda.tests.factories import ActivityFactory

BASE = 12


def _retry(work):
    """Run ``work`` until SQLite's shared cache lets it (PostgreSQL waits by itself)."""
    for _attempt in range(500):
        try:
            return work()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def _in_thread(work) -> None:
    """Run ``work`` in a thread of its own (its own connection) and wait for it."""
    failures = []

    def run():
        try:
            work()
        except Exception as error:  # noqa: BLE001 (reported in the test's thread)
            failures.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not failures, failures


class Agenda:
    """What the test wrote and what searches during the rebuild saw."""

    def __init__(self, base: list[Activity]) -> None:
        self.base = base
        self.kinds = {a.pk: a.kind for a in base}  # every activity written, by kind
        self.counts: list[int] = []
        self.failures: list[Exception] = []
        self.lock = threading.Lock()

    def search(self) -> None:
        result = _retry(lambda: run(ActivityFilters.parse({}), page_size=5))
        with self.lock:
            self.counts.append(result.count if result.results else 0)

    def write(self, tag: str) -> None:
        """A new activity, and an existing one changes kind."""
        new = _retry(lambda: ActivityFactory(kind="kamp", title=f"Nieuw {tag}"))
        edited = self.base[len(self.kinds) % BASE]
        kind = "reeks" if self.kinds[edited.pk] != "reeks" else "eenmalig"

        def edit():
            with transaction.atomic():
                Activity.objects.filter(pk=edited.pk).update(kind=kind)
                activity_reindex([edited.pk])

        _retry(edit)
        with self.lock:
            self.kinds[new.pk] = "kamp"
            self.kinds[edited.pk] = kind

    def loop(self, work, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                work()
        except Exception as error:  # noqa: BLE001 (reported in the test's thread)
            self.failures.append(error)
        finally:
            close_old_connections()
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_searches_and_writes_during_a_rebuild(reference_data):
    agenda = Agenda([ActivityFactory(kind="workshop", title=f"Basis {i}") for i in range(BASE)])
    generation = SearchGeneration.objects.get(pk=1).current
    postgres = connection.vendor == "postgresql"
    rebuild, entry_keys = store.rebuild, store.entry_keys
    main = threading.current_thread()
    moments = iter(range(1, 1000))
    in_rebuild = threading.Event()

    def building(*args, **kwargs):
        in_rebuild.set()
        try:
            return rebuild(*args, **kwargs)
        finally:
            in_rebuild.clear()

    def keys_of_an_entry(*args, **kwargs):
        # The rebuild has read this chunk of entries: write and search meanwhile.
        if in_rebuild.is_set() and threading.current_thread() is main:
            moment = next(moments)
            if moment <= 3:
                _in_thread(lambda: agenda.write(f"moment {moment}"))
                _in_thread(agenda.search)
        return entry_keys(*args, **kwargs)

    stop = threading.Event()
    threads = []
    if postgres:
        threads = [
            threading.Thread(target=agenda.loop, args=(agenda.search, stop)),
            threading.Thread(target=agenda.loop, args=(lambda: agenda.write("loop"), stop)),
        ]
    with (
        mock.patch.object(store, "rebuild", building),
        mock.patch.object(store, "entry_keys", keys_of_an_entry),
    ):
        for thread in threads:
            thread.start()
        try:
            call_command("agenda_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
        finally:
            stop.set()
            for thread in threads:
                thread.join(60)

    assert not agenda.failures, agenda.failures
    assert next(moments) > 3  # the three moments came
    assert agenda.counts and min(agenda.counts) >= BASE  # never an empty page
    assert SearchGeneration.objects.get(pk=1).current == generation + 1
    # Every write is found: each kind's search finds exactly the activities of that kind.
    for kind in ("kamp", "reeks", "eenmalig", "workshop"):
        expected = {pk for pk, k in agenda.kinds.items() if k == kind}
        found = run(ActivityFilters.parse({"kind": kind}), page_size=100)
        assert {a.pk for a in found.results} == expected, kind
    # And the bitmaps are those a rebuild from the rows gives.
    after = store.stored()
    store.rebuild()
    assert store.stored() == after


@pytest.mark.django_db
def test_migration_0011_numbers_the_bitmaps_and_back():
    """The existing bitmaps become generation 1, and the reverse keeps the generation
    searches read, without its prefix (plain SQL; no live search code)."""
    from importlib import import_module

    from django.apps import apps

    from stemnet.agenda.models import SearchBitmap

    migration = import_module("stemnet.agenda.migrations.0011_search_generations")
    made = ActivityFactory(kind="kamp")
    store.rebuild()  # generation 2
    before = store.stored()
    editor = type("Editor", (), {"execute": lambda self, sql, params=(): _execute(sql, params)})()
    migration.unnumber_the_bitmaps(apps, editor)
    names = set(SearchBitmap.objects.values_list("name", flat=True))
    assert "kind:kamp" in names and not any("|" in n for n in names)
    migration.number_the_bitmaps(apps, editor)
    assert store.stored() == before
    found = run(ActivityFilters.parse({"kind": "kamp"}))
    assert [a.pk for a in found.results] == [made.pk]


def _execute(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or None)
