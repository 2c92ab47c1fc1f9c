"""Bitmaps of the search entries: for each filter value, which activities have it.

The public search counts its facets and finds its matches here instead of visiting rows:
each key ("kind:kamp", "age:10", "muni:312", "day:2026-12-05", ...) has one bitmap in which
bit *n* is set when the search entry of activity *n* has that value (see ``entry_keys``).
A facet count is then ``(matches & bitmap).bit_count()`` on Python integers, a few
microseconds per value whatever the number of matches.

On PostgreSQL the words of the full-text index have bitmaps too: "word:<lexeme>" for each
lexeme of an entry's ``SearchText.search_vector``, "wtitle:<lexeme>" for those of its
``title_vector`` and "wtwice:<lexeme>" for those its title holds more than once (the
lexemes PostgreSQL's ``dutch`` configuration made), so a text search combines the bitmaps
of its words instead of visiting every matching row (``agenda.search``).

Stored in ``SearchBitmap`` (``encode``: the integer's bytes, or for a sparse bitmap its ids),
written in the same transaction as the search entries (``apply``), each write giving the
row a new random ``version``. A row's name is "<generation>|<key>": searches read the
generation ``SearchGeneration.current``, and a rebuild writes the next one beside it and
switches to it at once, carrying over the writes made meanwhile (``rebuild``).

Every process keeps the bitmaps it has read (``Bitmaps``) and, once per search, checks
the count and version sum of the keys it may need and reloads what changed, so a write
in one worker is seen by the next search in every other; the database stays the one
source of truth.
"""

from __future__ import annotations

import array
import datetime as dt
import secrets
import sys
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

# Keys of the searchable values of one entry.
ALL = "all"
# The prefixes of the words' keys; all sort after every value key ("uitpas" is the last).
WORD = "word:"
TITLE_WORD = "wtitle:"
TITLE_TWICE = "wtwice:"  # the lexeme is in the title more than once
# The end of a range of keys with one prefix: after every character a lexeme can hold.
_AFTER = "\U0010ffff"
FLAG_KEYS = {"free": "free", "uitpas": "uitpas", "places_left": "places"}
_BATCH = 400


def day_key(prefix: str, day: dt.date) -> str:
    """ "day:2026-12-05" (a session touches that day), "first:…" or "last:…" (the first
    session starts, the last one ends that day)."""
    return f"{prefix}:{day.isoformat()}"


def price_key(cents: int) -> str:
    """Zero-padded, so the keys of the prices up to a maximum form one range."""
    return f"price:{cents:09d}"


def word_range(prefix: str, lexeme: str, *, starts: bool) -> tuple[str, str]:
    """The (first, last) keys of one word of a text query: the lexeme itself, or with
    ``starts`` every lexeme that starts with it (a tsquery's ``'progr':*``)."""
    key = prefix + lexeme
    return (key, key + _AFTER) if starts else (key, key)


def entry_keys(
    entry,
    sessions: Iterable[tuple[dt.datetime, dt.datetime]],
    words: Iterable[str] = (),
    title_words: Iterable[str] = (),
    title_twice: Iterable[str] = (),
) -> set[str]:
    """Every key whose bitmap holds this SearchEntry, given its sessions (start, end) and,
    on PostgreSQL, the lexemes of its text, of its title and those its title holds more
    than once.

    A session touches each day from its start's to its end's (local time, both included),
    so an activity has a session in the days ``a``..``b`` exactly when its bit is in one of
    the bitmaps ``day:a``..``day:b``; ``first:<day>`` is the day its first session starts
    (a page in date order starts from these), ``last:<day>`` the day its last one ends.
    """
    keys = {
        ALL,
        f"kind:{entry.kind}",
        f"source:{entry.source}",
        f"place:{entry.place}",
        f"muni:{entry.municipality_id}",
        price_key(entry.price_cents),
        day_key("first", timezone.localtime(entry.first_start).date()),
        day_key("last", timezone.localtime(entry.last_end).date()),
    }
    keys.update(f"age:{age}" for age in range(entry.age_min, entry.age_max + 1))
    for name, bits in (
        ("domain", entry.domain_bits),
        ("theme", entry.theme_bits),
        ("access", entry.access_bits),
    ):
        keys.update(f"{name}:{bit}" for bit in set_bits(bits))
    for flag, key in (("free", "free"), ("uitpas", "uitpas"), ("has_places", "places")):
        if getattr(entry, flag):
            keys.add(key)
    for starts_at, ends_at in sessions:
        first = timezone.localtime(starts_at).date()
        last = timezone.localtime(ends_at).date()
        for n in range((last - first).days + 1):
            keys.add(day_key("day", first + dt.timedelta(days=n)))
    keys.update(WORD + w for w in words)
    keys.update(TITLE_WORD + w for w in title_words)
    keys.update(TITLE_TWICE + w for w in title_twice)
    return keys


def set_bits(value: int) -> list[int]:
    """The positions of the bits set in ``value``, lowest first."""
    out = []
    while value:
        low = value & -value
        out.append(low.bit_length() - 1)
        value ^= low
    return out


def as_bytes(bitmap: int) -> bytes:
    """The bitmap as stored: little-endian bytes, bit *n* in byte n // 8."""
    return bitmap.to_bytes((bitmap.bit_length() + 7) // 8, "little")


def encode(bitmap: int) -> bytes:
    """The bitmap as ``SearchBitmap.bits`` holds it: empty for none; "D" and the bytes of
    ``as_bytes`` when dense; "S" and the ids (4 bytes each, little-endian) when that is
    shorter (a rare word of a late activity, say: a few ids instead of 12 kB)."""
    if not bitmap:
        return b""
    size = (bitmap.bit_length() + 7) // 8
    if bitmap.bit_count() * 4 < size:
        ids = array.array("I", set_bits(bitmap))
        if sys.byteorder != "little":
            ids.byteswap()
        return b"S" + ids.tobytes()
    return b"D" + bitmap.to_bytes(size, "little")


def decode(data) -> int:
    """The bitmap ``encode`` stored."""
    data = bytes(data or b"")
    if not data:
        return 0
    if data[:1] == b"D":
        return int.from_bytes(data[1:], "little")
    if data[:1] != b"S":
        raise ValueError(f"not a stored bitmap: {data[:8]!r}")
    ids = array.array("I")
    ids.frombytes(data[1:])
    if sys.byteorder != "little":
        ids.byteswap()
    return from_ids(ids)


def members(bitmap: int) -> list[int]:
    """The activity ids in a bitmap, in increasing order (bit by bit for a few, else byte by
    byte)."""
    if bitmap.bit_count() < 256:
        return set_bits(bitmap)
    out = []
    for index, byte in enumerate(as_bytes(bitmap)):
        if byte:
            base = index * 8
            out.extend(base + j for j in range(8) if byte >> j & 1)
    return out


def tester(bitmap: int):
    """A function telling whether an activity id is in ``bitmap`` (reads its bytes, so a
    test does not shift the whole integer)."""
    data = as_bytes(bitmap)
    size = len(data)
    return lambda i: i >> 3 < size and bool(data[i >> 3] >> (i & 7) & 1)


def within_sql(column: str, bitmap: int) -> tuple[str, list] | None:
    """PostgreSQL: a condition (SQL, parameters) keeping the rows whose ``column`` (an
    activity id) is in ``bitmap``, so a query sends only those; None on SQLite, which has no
    ``get_bit`` (the caller keeps the right ones in Python in any case)."""
    if connection.vendor != "postgresql":
        return None
    data = as_bytes(bitmap)
    # get_bit fails past the last byte: CASE keeps it in range whatever the order.
    sql = f"CASE WHEN {column} < %s THEN get_bit(%s::bytea, {column}) ELSE 0 END = 1"
    return sql, [len(data) * 8, data]


def unpack_ids(data) -> list[int]:
    """The ids packed by PostgreSQL's ``string_agg(int4send(id), '')``: 4 bytes each,
    big-endian."""
    ids = array.array("i")
    ids.frombytes(bytes(data or b""))
    if sys.byteorder == "little":
        ids.byteswap()
    return ids.tolist()


def packed_ids_and_page(
    with_sql: str,
    params: list,
    *,
    source: str,
    order: str,
    limit: int | None,
    kept: tuple[str, list] | None = None,
    best: tuple[str, list] | None = None,
) -> tuple[list[int], list[int]]:
    """PostgreSQL, one statement: ``with_sql`` (with its ``params``) is a WITH clause that
    defines ``source``, rows with an ``id`` column and the columns ``order`` names. Gives
    every id of ``source`` (those where ``kept`` holds), packed by PostgreSQL into one value,
    and, unless ``limit`` is None, the ids of the first ``limit`` rows in ``order`` (of
    those where ``best`` holds), in that order: only the page is sorted and sent.
    ``kept`` and ``best`` are (SQL condition, parameters)."""
    kept_sql, kept_params = kept or ("TRUE", [])
    sql = (
        f"{with_sql} SELECT -1, string_agg(int4send(id::int4), ''::bytea) "  # noqa: S608
        f"FROM {source} WHERE {kept_sql}"
    )
    params = [*params, *kept_params]
    if limit is not None:
        best_sql, best_params = best or ("TRUE", [])
        sql += (
            f" UNION ALL SELECT ROW_NUMBER() OVER (ORDER BY {order}), int4send(id::int4) "  # noqa: S608
            f"FROM (SELECT * FROM {source} WHERE {best_sql} ORDER BY {order} LIMIT %s) p"
        )
        params += [*best_params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids, ordered = [], []
    for position, data in rows:
        if position < 0:
            ids = unpack_ids(data)
        else:
            ordered.append((position, unpack_ids(data)[0]))
    return ids, [pk for _position, pk in sorted(ordered)]


def from_ids(ids: Iterable[int]) -> int:
    """The bitmap of some activity ids."""
    ids = list(ids)
    if not ids:
        return 0
    buffer = bytearray(max(ids) // 8 + 1)
    for i in ids:
        buffer[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(buffer, "little")


# --- writing --------------------------------------------------------------------------------


def apply(old: dict[int, set[str]], new: dict[int, set[str]], apps=None) -> None:
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
        current, building = _generations_for_writing(apps)
        _write(_model(apps), _prefix(current), changes)
        if building is not None:
            log = (apps or _live_apps()).get_model("agenda", "SearchBitmapLog")
            log.objects.bulk_create(
                log(
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
    for activity_id, before, after in moves:
        for key in before - after:
            last[key][activity_id] = False
        for key in after - before:
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
# generation ``SearchGeneration.current`` names (in the same statement: ``_PREFIX_SQL``);
# ``rebuild`` writes the next one beside it and switches.

_SEPARATOR = "|"
# Without the row (a database flushed by a test, say), generation 1.
_PREFIX_SQL = (
    "(COALESCE((SELECT CAST(current AS TEXT) FROM agenda_searchgeneration WHERE id = 1), '1')"
    " || '|')"
)


def _prefix(generation: int | None) -> str:
    """The prefix of a generation's names ("" for the unnumbered bitmaps of migrations
    before 0011)."""
    return "" if generation is None else f"{generation}{_SEPARATOR}"


def _state_model(apps=None):
    try:
        return (apps or _live_apps()).get_model("agenda", "SearchGeneration")
    except LookupError:  # a migration before 0011: one unnumbered generation
        return None


def _generations_for_writing(apps=None) -> tuple[int | None, int | None]:
    """(current, building) for a write, in its transaction. PostgreSQL: the row is locked
    for share until the write commits, so a rebuild starts (``_start``: for update) only
    once every write before it is committed, and every write after it sees ``building``.
    SQLite serialises writers anyway."""
    state = _state_model(apps)
    if state is None:
        return None, None
    share = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT current, building FROM {state._meta.db_table} WHERE id = 1{share}"  # noqa: S608
        )
        row = cursor.fetchone()
    return row if row else (1, None)


def stored(apps=None) -> dict[str, int]:
    """{key: bitmap} of every non-empty bitmap of the generation searches read (for checks
    and tests; a search reads only the ranges it needs)."""
    state = _state_model(apps)
    row = state.objects.filter(pk=1).first() if state else None
    current = None if state is None else (row.current if row else 1)
    prefix = _prefix(current)
    out = {}
    rows = _model(apps).objects.filter(name__gte=prefix, name__lt=_after(prefix))
    for name, bits in rows.values_list("name", "bits").iterator(chunk_size=500):
        value = decode(bits)
        if value:
            out[name[len(prefix) :]] = value
    return out


def _after(prefix: str) -> str:
    """The first name after every name with this prefix."""
    return prefix + _AFTER if prefix else _AFTER


def rebuild(apps=None, *, words: bool = True) -> int:
    """Recompute every bitmap from the search entries and their sessions (and on PostgreSQL
    the lexemes of their text rows; ``words=False`` leaves the words out, for a schema
    whose keys cannot hold them); returns how many keys.

    For a bulk load, a restore or ``manage.py agenda_reindex``, on a live site: the next
    generation is written beside the one searches read (``_start``), from the entries as
    they are read; writes meanwhile change the current generation and are logged (see
    ``apply``). Under a lock of the generation row (writes wait for this moment only) the
    log is carried over and ``current`` switches, in one transaction; then the old
    generation's rows go. Searches read one generation or the other, never none. One
    rebuild at a time.
    """
    state = _state_model(apps)
    if state is None:
        return _rebuild_unnumbered(apps, words=words)
    model = _model(apps)
    log = (apps or _live_apps()).get_model("agenda", "SearchBitmapLog")
    building = _start(state, model, log)
    ids_by_key, keys_by_entry = _compute(apps, words=words)
    prefix = _prefix(building)
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
        _store_entry_keys(apps, {pk: k for pk, k in keys_by_entry.items() if pk not in written})
    old_prefix = _prefix(old)
    model.objects.filter(name__gte=old_prefix, name__lt=_after(old_prefix)).delete()
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
        prefix = _prefix(building)  # the leftovers of a rebuild that did not finish
        model.objects.filter(name__gte=prefix, name__lt=_after(prefix)).delete()
        log.objects.all().delete()
    return building


def _rebuild_unnumbered(apps, *, words: bool) -> int:
    """Migrations before 0011: one unnumbered generation, rewritten in place."""
    model = _model(apps)
    ids_by_key, keys_by_entry = _compute(apps, words=words)
    gone = model.objects.exclude(name__in=list(ids_by_key)).values_list("name", flat=True)
    for key in gone:
        ids_by_key[key] = array.array("i")
    model.objects.all().delete()
    model.objects.bulk_create(
        (
            model(name=key, bits=encode(from_ids(ids)), version=_version())
            for key, ids in ids_by_key.items()
        ),
        batch_size=200,
    )
    _store_entry_keys(apps, keys_by_entry)
    return len(ids_by_key)


def _compute(apps, *, words: bool) -> tuple[dict[str, array.array], dict[int, str]]:
    """({key: ids in increasing order}, {entry id: its keys as stored, where they differ
    from its ``bitmap_keys``}) from the entries, their sessions and (PostgreSQL, with
    ``words``) their text rows' lexemes."""
    entry_model = (apps or _live_apps()).get_model("agenda", "SearchEntry")
    session_model = (apps or _live_apps()).get_model("agenda", "Session")
    with_words = words and connection.vendor == "postgresql"
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


def _store_entry_keys(apps, keys_by_entry: dict[int, str]) -> None:
    entry_model = (apps or _live_apps()).get_model("agenda", "SearchEntry")
    entries = [entry_model(pk=pk, bitmap_keys=keys) for pk, keys in keys_by_entry.items()]
    entry_model.objects.bulk_update(entries, ["bitmap_keys"], batch_size=1000)


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


def _model(apps=None):
    return (apps or _live_apps()).get_model("agenda", "SearchBitmap")


def _live_apps():
    from django.apps import apps

    return apps


# --- reading --------------------------------------------------------------------------------


class View(dict):
    """{key: bitmap} of the ranges a search asked for, as ``Bitmaps.sync`` gives it; kept as
    long as nothing in them changes, with the unions computed on it (``union_of_range``)."""

    __slots__ = ("unions",)

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.unions: dict[tuple[str, str], int] = {}


def union_of_range(view: dict[str, int], first: str, last: str) -> int:
    """The union of the bitmaps of the keys ``first``..``last`` (say every day of a period);
    computed once per ``View``."""
    unions = getattr(view, "unions", None)
    if unions is not None and (first, last) in unions:
        return unions[(first, last)]
    out = 0
    for key, bits in view.items():
        if first <= key <= last:
            out |= bits
    if unions is not None:
        unions[(first, last)] = out
    return out


class Bitmaps:
    """The bitmaps one process has read, by key, each with the version it was read at.

    ``sync`` is called once per search with the key ranges the search may need. One small
    statement reads how many keys the ranges hold and the sum of their versions: when both
    are what they were at this process' last look at the same ranges, nothing changed (a
    write gives a row a new random 40-bit version, so an unchanged sum after a write has a
    chance of about one in 10¹²) and the bitmaps read then answer. Otherwise a second
    statement reads every key's version and a third the bitmaps that are missing or
    changed. Thread-safe (the development server and the test live server use threads).

    ``views`` is how many sets of ranges to remember; ``keys``, when given, how many
    bitmaps to keep at most (the least recently used go first): the words' bitmaps are
    read as queries ask for them, and a process should not end up holding every word.
    """

    def __init__(self, *, views: int = 64, keys: int | None = None) -> None:
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._views: dict[tuple, tuple[tuple, dict[str, int]]] = {}
        self._database = None
        self._most_views = views
        self._most_keys = keys

    def sync(self, ranges: Iterable[tuple[str, str]], *, most: int | None = None) -> View | None:
        """{key: bitmap} for every existing key in the (first, last) ``ranges``, current;
        None, and nothing read, when the ranges hold more than ``most`` keys.

        Each statement names the generation searches read itself (``_PREFIX_SQL``): a
        rebuild's switch between two of them makes the next search read again; should the
        old generation's rows be gone before their bits are read, this one reads again."""
        ranges = tuple(ranges)
        for _attempt in range(3):
            found = self._sync(ranges, most)
            if found is not False:
                return found
        raise RuntimeError("The search bitmaps kept changing generation while being read.")

    def _sync(self, ranges: tuple, most: int | None) -> View | None | bool:
        where = " OR ".join(
            f"name BETWEEN {_PREFIX_SQL} || %s AND {_PREFIX_SQL} || %s" for _ in ranges
        )
        params = [bound for pair in ranges for bound in pair]
        table = _model()._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*), COALESCE(SUM(version), 0) FROM {table} WHERE {where}",  # noqa: S608
                params,
            )
            signature = tuple(int(v) for v in cursor.fetchone())
        if most is not None and signature[0] > most:
            return None
        with self._lock:
            if self._database != connection.settings_dict["NAME"]:
                self.forget(locked=True)
                self._database = connection.settings_dict["NAME"]
            seen = self._views.get(ranges)
            if seen is not None and seen[0] == signature:
                return seen[1]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT name, version FROM {table} WHERE {where}", params)  # noqa: S608
            names = {}
            for name, version in cursor.fetchall():
                names[name.partition(_SEPARATOR)[2]] = (name, version)
        with self._lock:
            stale = [n for k, (n, v) in names.items() if self._cache.get(k, (None,))[0] != v]
            for start in range(0, len(stale), _BATCH):
                chunk = stale[start : start + _BATCH]
                holes = ", ".join(["%s"] * len(chunk))
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT name, version, bits FROM {table} WHERE name IN ({holes})",  # noqa: S608
                        chunk,
                    )
                    rows = cursor.fetchall()
                if len(rows) < len(chunk):
                    return False  # that generation is gone: read the current one
                for name, version, bits in rows:
                    self._cache[name.partition(_SEPARATOR)[2]] = (version, decode(bits))
            found = View()
            for key in names:
                cached = self._cache.get(key)
                if cached is not None:
                    found[key] = cached[1]
                    self._cache.move_to_end(key)
            while self._most_keys is not None and len(self._cache) > self._most_keys:
                self._cache.popitem(last=False)
            # The signature was read before the versions: if a write came in between, the
            # next look sees a different sum and reads again; never the other way round.
            if len(self._views) >= self._most_views:
                self._views.pop(next(iter(self._views)))
            self._views[ranges] = (signature, found)
            return found

    def forget(self, *, locked: bool = False) -> None:
        """Drop everything read."""
        if locked:
            self._cache.clear()
            self._views.clear()
            return
        with self._lock:
            self._cache.clear()
            self._views.clear()


# The bitmaps of the filter values (a few thousand keys, every search needs most of them),
# and those of the words (PostgreSQL; read as text queries ask for them).
CACHE = Bitmaps()
WORDS = Bitmaps(views=256, keys=4096)
