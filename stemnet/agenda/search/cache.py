"""What a process has read of the search bitmaps (``Bitmaps``), kept while it is current.

Every process keeps the bitmaps it has read and, once per search, checks the count and
version sum of the keys it may need and reloads what changed, so a write in one worker is
seen by the next search in every other; the database stays the one source of truth.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Iterable

from django.conf import settings
from django.db import connection

from stemnet.agenda.search.codec import decode
from stemnet.agenda.search.keys import PREFIX_SQL, key_of

_BATCH = 400


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

    ``views`` is how many sets of ranges to remember; ``most_bytes`` names the setting that
    bounds the bytes the bitmaps kept take (``sys.getsizeof`` of each): past it the least
    recently used go first, with the remembered views that hold them, and a search that
    needs one again reads it again. The words' bitmaps are read as queries ask for them:
    a process should not end up holding every word.
    """

    def __init__(self, *, views: int = 64, most_bytes: str | None = None) -> None:
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[int, int]] = OrderedDict()
        self._views: dict[tuple, tuple[tuple, dict[str, int]]] = {}
        self._database = None
        self._most_views = views
        self._most_bytes = most_bytes
        self.size = 0  # bytes of the bitmaps in ``_cache``

    def sync(self, ranges: Iterable[tuple[str, str]], *, most: int | None = None) -> View | None:
        """{key: bitmap} for every existing key in the (first, last) ``ranges``, current;
        None, and nothing read, when the ranges hold more than ``most`` keys.

        Each statement names the generation searches read itself (``PREFIX_SQL``): a
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
            f"name BETWEEN {PREFIX_SQL} || %s AND {PREFIX_SQL} || %s" for _ in ranges
        )
        params = [bound for pair in ranges for bound in pair]
        table = "agenda_searchbitmap"
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
                names[key_of(name)] = (name, version)
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
                    self._keep(key_of(name), version, decode(bits))
            found = View()
            for key in names:
                cached = self._cache.get(key)
                if cached is not None:
                    found[key] = cached[1]
                    self._cache.move_to_end(key)
            self._shrink(keep=found)
            # The signature was read before the versions: if a write came in between, the
            # next look sees a different sum and reads again; never the other way round.
            if len(self._views) >= self._most_views:
                self._views.pop(next(iter(self._views)))
            self._views[ranges] = (signature, found)
            return found

    def _keep(self, key: str, version: int, bits: int) -> None:
        old = self._cache.pop(key, None)
        if old is not None:
            self.size -= sys.getsizeof(old[1])
        self._cache[key] = (version, bits)
        self.size += sys.getsizeof(bits)

    def _shrink(self, *, keep: dict[str, int]) -> None:
        """Drop the least recently used bitmaps (and the views holding them) until the
        cache is within its bound; never those of ``keep``, the search under way."""
        most = getattr(settings, self._most_bytes) if self._most_bytes else None
        if most is None or self.size <= most:
            return
        dropped = set()
        for key in list(self._cache):
            if self.size <= most:
                break
            if key in keep:
                continue
            self.size -= sys.getsizeof(self._cache.pop(key)[1])
            dropped.add(key)
        if dropped:
            for ranges in [r for r, (_s, view) in self._views.items() if dropped & view.keys()]:
                del self._views[ranges]

    def forget(self, *, locked: bool = False) -> None:
        """Drop everything read."""
        if locked:
            self._cache.clear()
            self._views.clear()
            self.size = 0
            return
        with self._lock:
            self.forget(locked=True)


# The bitmaps of the filter values (a few thousand keys, every search needs most of them),
# and those of the words (PostgreSQL; read as text queries ask for them).
CACHE = Bitmaps(most_bytes="AGENDA_SEARCH_CACHE_BYTES")
WORDS = Bitmaps(views=256, most_bytes="AGENDA_SEARCH_WORD_CACHE_BYTES")
