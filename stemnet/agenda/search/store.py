"""Writing the search bitmaps: each write moves activities between keys, a rebuild
recomputes them all beside the ones searches read.

Stored in ``SearchBitmap`` (``codec.encode``), written in the same transaction as the search
entries (``apply``), each write giving the row a new random ``version`` (``cache`` compares
the versions). A row's name is "<generation>|<key>" (``keys``): searches read the generation
``SearchGeneration.current``, and a rebuild writes the next one beside it and switches to it
at once, carrying over the writes made meanwhile (``rebuild``).
"""

from __future__ import annotations

import array
import secrets
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction

from stemnet.agenda.models import (
    SearchBitmap,
    SearchBitmapLog,
    SearchEntry,
    SearchGeneration,
    Session,
)
from stemnet.agenda.search.codec import decode, encode, from_ids
from stemnet.agenda.search.keys import after, entry_keys, stored_prefix

_BATCH = 400

# --- writing --------------------------------------------------------------------------------


def apply(old: dict[int, set[str]], new: dict[int, set[str]]) -> None:
    """Move activities from the bitmaps of their ``old`` keys to those of their ``new`` ones.

    Call inside the transaction that writes the search entries (it opens one otherwise).
    Writes the generation searches read; while a rebuild builds the next one, the change
    is also logged (``SearchBitmapLog``) for the rebuild to carry over (``rebuild``). The
    rows are locked in key order (no deadlock between two writers), changed in Python and
    written back, each with a new version.
    """
    changes = _changes((pk, old.get(pk, set()), new.get(pk, set())) for pk in old.keys() | new)
    if not changes:
        return
    with transaction.atomic():
        current, building = _generations_for_writing()
        _write(SearchBitmap, stored_prefix(current), changes)
        if building is not None:
            SearchBitmapLog.objects.bulk_create(
                SearchBitmapLog(
                    generation=building,
                    activity_id=pk,
                    before=" ".join(sorted(old.get(pk, ()))),
                    after=" ".join(sorted(new.get(pk, ()))),
                )
                for pk in old.keys() | new.keys()
                if old.get(pk, set()) != new.get(pk, set())
            )


def _changes(moves: Iterable[tuple[int, set[str], set[str]]]) -> dict:
    """{key: ([ids to add], [ids to remove])} of (id, keys before, keys after) moves, in
    order: the last move of an id decides its place in a key."""
    last: dict[str, dict[int, bool]] = defaultdict(dict)
    for activity_id, before, later in moves:
        for key in before - later:
            last[key][activity_id] = False
        for key in later - before:
            last[key][activity_id] = True
    return {
        key: ([i for i, add in ids.items() if add], [i for i, add in ids.items() if not add])
        for key, ids in last.items()
    }


def _write(model, prefix: str, changes: dict) -> None:
    keys = sorted(changes)
    for start in range(0, len(keys), _BATCH):
        chunk = keys[start : start + _BATCH]
        names = [prefix + key for key in chunk]
        rows = {
            row.name: row
            for row in model.objects.select_for_update().filter(name__in=names).order_by("name")
        }
        created, updated = [], []
        for key, name in zip(chunk, names, strict=True):
            add, remove = changes[key]
            row = rows.get(name)
            value = decode(row.bits) if row else 0
            value = (value | from_ids(add)) & ~from_ids(remove)
            data = encode(value)
            if row is None:
                created.append(model(name=name, bits=data, version=_version()))
            else:
                row.bits, row.version = data, _version()
                updated.append(row)
        model.objects.bulk_create(created)
        model.objects.bulk_update(updated, ["bits", "version"])


# --- generations ----------------------------------------------------------------------------
#
# The stored name of a bitmap is "<generation>|<key>" ("3|kind:kamp"). Searches read the
# generation ``SearchGeneration.current`` names (in the same statement: ``keys.PREFIX_SQL``);
# ``rebuild`` writes the next one beside it and switches.


def _generations_for_writing() -> tuple[int, int | None]:
    """(current, building) for a write, in its transaction. PostgreSQL: the row is locked
    for share until the write commits, so a rebuild starts (``_start``: for update) only
    once every write before it is committed, and every write after it sees ``building``.
    SQLite serialises writers anyway."""
    share = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT current, building FROM agenda_searchgeneration WHERE id = 1{share}"  # noqa: S608
        )
        row = cursor.fetchone()
    return row if row else (1, None)


def stored() -> dict[str, int]:
    """{key: bitmap} of every non-empty bitmap of the generation searches read (for checks
    and tests; a search reads only the ranges it needs)."""
    row = SearchGeneration.objects.filter(pk=1).first()
    prefix = stored_prefix(row.current if row else 1)
    out = {}
    rows = SearchBitmap.objects.filter(name__gte=prefix, name__lt=after(prefix))
    for name, bits in rows.values_list("name", "bits").iterator(chunk_size=500):
        value = decode(bits)
        if value:
            out[name[len(prefix) :]] = value
    return out


def rebuild() -> int:
    """Recompute every bitmap from the search entries and their sessions (and on PostgreSQL
    the lexemes of their text rows); returns how many keys.

    For a bulk load, a restore or ``manage.py agenda_reindex``, on a live site: the next
    generation is written beside the one searches read (``_start``), from the entries as
    they are read; writes meanwhile change the current generation and are logged (see
    ``apply``). Under a lock of the generation row (writes wait for this moment only) the
    log is carried over and ``current`` switches, in one transaction; then the old
    generation's rows go. Searches read one generation or the other, never none. One
    rebuild at a time.
    """
    state, model, log = SearchGeneration, SearchBitmap, SearchBitmapLog
    building = _start(state, model, log)
    ids_by_key, keys_by_entry = compute()
    prefix = stored_prefix(building)
    model.objects.bulk_create(
        (
            model(name=prefix + key, bits=encode(from_ids(ids)), version=_version())
            for key, ids in ids_by_key.items()
        ),
        batch_size=200,
    )
    with transaction.atomic():
        row = state.objects.select_for_update().get(pk=1)
        if row.building != building:
            raise RuntimeError("Another rebuild of the search bitmaps took over.")
        logged = list(
            log.objects.filter(generation=building)
            .order_by("pk")
            .values_list("activity_id", "before", "after")
        )
        # The whole log in order, onto what the entries were when read: each key ends as
        # the last logged write left it (a key no write named never changed).
        changes = _changes(
            (pk, set(before.split()), set(after.split())) for pk, before, after in logged
        )
        _write(model, prefix, changes)
        old = row.current
        row.current, row.building = building, None
        row.save(update_fields=["current", "building"])
        log.objects.all().delete()
        written = {pk for pk, _before, _after in logged}
        _store_entry_keys({pk: k for pk, k in keys_by_entry.items() if pk not in written})
    old_prefix = stored_prefix(old)
    model.objects.filter(name__gte=old_prefix, name__lt=after(old_prefix)).delete()
    return len(ids_by_key)


def _start(state, model, log) -> int:
    """Mark the next generation as being built; gives its number. Waits (PostgreSQL) until
    every write that began before is committed (``_generations_for_writing``)."""
    with transaction.atomic():
        row = state.objects.select_for_update().filter(pk=1).first()
        if row is None:
            row = state.objects.create(pk=1, current=1)
        building = row.current + 1
        row.building = building
        row.save(update_fields=["building"])
        prefix = stored_prefix(building)  # the leftovers of a rebuild that did not finish
        model.objects.filter(name__gte=prefix, name__lt=after(prefix)).delete()
        log.objects.all().delete()
    return building


def compute() -> tuple[dict[str, array.array], dict[int, str]]:
    """({key: ids in increasing order}, {entry id: its keys as stored, where they differ
    from its ``bitmap_keys``}) from the entries, their sessions and (PostgreSQL) their text
    rows' lexemes."""
    entry_model, session_model = SearchEntry, Session
    with_words = connection.vendor == "postgresql"
    ids_by_key: dict[str, array.array] = {}
    keys_by_entry = {}
    sessions = defaultdict(list)
    for activity_id, starts_at, ends_at in session_model.objects.filter(
        activity__search_entry__isnull=False
    ).values_list("activity_id", "starts_at", "ends_at"):
        sessions[activity_id].append((starts_at, ends_at))
    last = 0
    while True:
        # In pk order, so every key's ids come in increasing order.
        chunk = list(entry_model.objects.filter(pk__gt=last).order_by("pk")[:2000])
        if not chunk:
            break
        last = chunk[-1].pk
        lexemes = entry_lexemes([e.pk for e in chunk]) if with_words else {}
        for entry in chunk:
            found = lexemes.get(entry.pk, ((), (), ()))
            keys = entry_keys(entry, sessions.get(entry.pk, ()), *found)
            as_stored = " ".join(sorted(keys))
            if as_stored != entry.bitmap_keys:
                keys_by_entry[entry.pk] = as_stored
            for key in keys:
                ids = ids_by_key.get(key)
                if ids is None:
                    ids = ids_by_key[key] = array.array("i")
                ids.append(entry.pk)
    return ids_by_key, keys_by_entry


def _store_entry_keys(keys_by_entry: dict[int, str]) -> None:
    entries = [SearchEntry(pk=pk, bitmap_keys=keys) for pk, keys in keys_by_entry.items()]
    SearchEntry.objects.bulk_update(entries, ["bitmap_keys"], batch_size=1000)


def entry_lexemes(activity_ids: list[int]) -> dict[int, tuple[list[str], ...]]:
    """PostgreSQL: {activity id: (lexemes of its text, lexemes of its title, lexemes its
    title holds more than once)} from the ``SearchText`` rows of these activities."""
    if not activity_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT activity_id, tsvector_to_array(search_vector), "
            "tsvector_to_array(title_vector), ARRAY(SELECT u.lexeme FROM unnest(title_vector) u "
            "WHERE cardinality(u.positions) > 1) FROM agenda_searchtext "
            "WHERE activity_id = ANY(%s)",
            [list(activity_ids)],
        )
        return {pk: (text or [], title or [], twice) for pk, text, title, twice in cursor}


def _version() -> int:
    """A new random version, 40 bits: the sum of a range's versions stays exact (``sync``)."""
    return secrets.randbits(40) or 1
