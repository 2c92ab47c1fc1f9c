"""What a search matches, as bitmaps (``match``): one per filter, and their AND.

The filter values come from the bitmaps (``cache.CACHE``, keys spelt by ``keys``); SQL adds
what bitmaps do not hold: the sessions still running today, the distance (``near``) and the
text the word bitmaps cannot answer (``fulltext``). Each step reads only what the steps
before it matched.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from stemnet.agenda.models import AGE_MAX, AGE_MIN, SearchEntry, Session
from stemnet.agenda.search import codec, fulltext, near
from stemnet.agenda.search.cache import CACHE, union_of_range
from stemnet.agenda.search.filters import VOCABULARIES, ActivityFilters, mask
from stemnet.agenda.search.keys import (
    ALL,
    DAYS,
    FIRST_DAYS,
    FLAG_KEYS,
    LAST_END,
    VALUE_RANGES,
    day_key,
    price_key,
    value_key,
)
from stemnet.agenda.search.periods import day_start, lower
from stemnet.places.models import Municipality


@dataclass
class Matched:
    """What a search matched, as bitmaps: ``base`` holds every filter without a facet (text,
    dates, ages, distance, price), ``faceted`` each active filter with a facet; ``keys`` are
    the bitmaps read (the facets count on them). ``page_ids`` is the page itself when the
    text search found it (by relevance, in the GIN index); ``words`` what the word bitmaps
    said of the text (PostgreSQL; a page by relevance is then ranked in ``order.page``);
    ``ordered`` are rows (id, sort key, first session) a page can be ordered by in Python
    (the entries within the distance, by distance)."""

    filters: ActivityFilters
    keys: dict[str, int]
    base: int
    faceted: dict[str, int]
    ordered: list[tuple] | None = None
    page_ids: list[int] | None = None
    words: fulltext.WordMatch | None = None

    def all(self) -> int:
        return self.without("")

    def without(self, name: str) -> int:
        """The matches of every filter but the faceted one ``name`` (what its facet counts)."""
        out = self.base
        for other, bits in self.faceted.items():
            if other != name:
                out &= bits
        return out


def match(f: ActivityFilters, *, page: tuple[int, int] | None = None) -> Matched:
    """The bitmaps of a search (see ``Matched``); ``page`` = (offset, limit) of the page a
    text search ordered by relevance should find."""
    today = timezone.localdate()
    found = CACHE.sync(_ranges(f, today))
    base = found.get(ALL, 0) & _dates(f, found, today)
    if f.age is not None:
        base &= found.get(value_key("age", f.age), 0)
    if f.age_min is not None:
        base &= _union(found, (value_key("age", a) for a in range(f.age_min, AGE_MAX + 1)))
    if f.age_max is not None:
        base &= _union(found, (value_key("age", a) for a in range(AGE_MIN, f.age_max + 1)))
    if f.max_price is not None:
        most = price_key(math.floor(f.max_price * 100))
        base &= union_of_range(found, price_key(0), most)
    matched = Matched(f, found, base, _faceted(f, found))
    _text_and_distance(matched, page)
    return matched


def _ranges(f: ActivityFilters, today: dt.date) -> list[tuple[str, str]]:
    """The key ranges a search reads: every value, the days of its period, and the days its
    order walks (first sessions by relevance, next sessions by date)."""
    start, end = f.date_range
    ranges = list(VALUE_RANGES)
    if start and end:
        ranges.append((day_key("day", start), day_key("day", end)))
    elif start:
        ranges.append((day_key("last", start), LAST_END))
    elif end:
        tomorrow = today + dt.timedelta(days=1)
        ranges.append((day_key("day", tomorrow), day_key("day", end)))
    else:
        ranges.append((day_key("last", today + dt.timedelta(days=1)), LAST_END))
    if f.effective_sort == "relevance":
        ranges.append(FIRST_DAYS)
    elif f.effective_sort == "date":  # the next sessions' days (``order.by_next_session``)
        ranges.append((day_key("day", timezone.localdate(lower(f))), DAYS[1]))
    return ranges


def _faceted(f: ActivityFilters, found: dict[str, int]) -> dict[str, int]:
    """The matches of each active filter that has a facet."""
    out: dict[str, int] = {}
    for name in ("kind", "source", "province"):
        if getattr(f, name):
            out[name] = _union(found, (value_key(name, v) for v in getattr(f, name)))
    for name in VOCABULARIES:
        if getattr(f, name):
            bits = codec.set_bits(mask(f, name))
            out[name] = _union(found, (value_key(name, b) for b in bits))
    if f.municipality:
        ids = Municipality.objects.filter(nis_code__in=f.municipality).values_list("pk", flat=True)
        out["municipality"] = _union(found, (value_key("municipality", pk) for pk in ids))
    for name, key in FLAG_KEYS.items():
        if getattr(f, name):
            out[name] = found.get(key, 0)
    return out


def _text_and_distance(matched: Matched, page: tuple[int, int] | None) -> None:
    """Narrow ``matched.base`` by text and distance.

    The word bitmaps answer most text searches (PostgreSQL), so they come first; SQL
    answers the rest, each step reading only what the bitmaps so far match: distance (an
    index alone answers it), then the text left to the GIN index or FTS5 (which by
    relevance finds the page too).
    """
    f = matched.filters
    sort = f.effective_sort
    text = bool(f.words)
    if text and matched.base:
        matched.words = fulltext.word_match(f.words)
        if matched.words is not None:
            matched.base &= matched.words.text
            text = False
    if f.point and f.radius_km and matched.base:
        # By distance with no text left, this step orders the page too: PostgreSQL finds it
        # (``near.near_page``), elsewhere these rows order it in Python (``order.page``).
        by_distance = sort == "distance" and not text
        if by_distance and page is not None and connection.vendor == "postgresql":
            ids, matched.page_ids = near.near_page(
                f, within=matched.base, final=matched.all(), page=page
            )
        else:
            rows = near.near(f, lower(f), within=matched.base, ordered=by_distance)
            if by_distance:
                matched.ordered = rows
            ids = [row[0] for row in rows]
        matched.base &= codec.from_ids(ids)
    if text and matched.base:
        ranked = sort == "relevance" and page is not None
        ids, found = fulltext.text_matches(
            f.words, within=matched.base, page=page if ranked else None, final=matched.all()
        )
        matched.page_ids = found
        matched.base &= codec.from_ids(ids)


def _union(found: dict[str, int], names) -> int:
    out = 0
    for name in names:
        out |= found.get(name, 0)
    return out


def _dates(f: ActivityFilters, found: dict[str, int], today: dt.date) -> int:
    """The entries with a session in the searched period (from now on when none is given).

    From a given first day on, whole days: the day bitmaps of the period, or the entries
    whose last session ends on or after it. From now on, what ends later today is not in
    a day bitmap: SQL finds those few sessions (or entries) and the bitmaps the rest.
    """
    start, end = f.date_range
    if start:
        prefix = "day" if end else "last"
        first = day_key(prefix, start)
        last = day_key(prefix, end) if end else LAST_END
        return union_of_range(found, first, last)
    now = timezone.now()
    tomorrow = today + dt.timedelta(days=1)
    cut = day_start(tomorrow)
    if end:
        first, last = day_key("day", tomorrow), day_key("day", end)
        upper = min(day_start(end + dt.timedelta(days=1)), cut)
        today_ids = (
            Session.objects.filter(ends_at__gte=now, starts_at__lt=upper)
            .values_list("activity_id", flat=True)
            .distinct()
        )
    else:
        first, last = day_key("last", tomorrow), LAST_END
        today_ids = SearchEntry.objects.filter(last_end__gte=now, last_end__lt=cut).values_list(
            "pk", flat=True
        )
    return union_of_range(found, first, last) | codec.from_ids(today_ids)
