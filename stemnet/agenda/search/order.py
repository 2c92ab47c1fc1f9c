"""The order of a search's results and the page itself (``page``, ``load_page``).

By date: the next session from the searched period's start, then title, then id (found on
the day bitmaps: ``by_next_session``). By relevance: the full-text rank (``fulltext``). By
distance: the squared distance, then first session, then id (``near``).
"""

from __future__ import annotations

import datetime as dt
import heapq

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from stemnet.agenda.models import Activity, SearchEntry, Session
from stemnet.agenda.search import codec, fulltext, near, periods
from stemnet.agenda.search.filters import ActivityFilters
from stemnet.agenda.search.keys import day_key
from stemnet.agenda.search.match import Matched
from stemnet.places.selectors import Point, distance_km

# By distance without a radius: up to this many matches, the SQL of the page names them;
# above, SQL walks all entries in order and Python keeps the matching ones.
LISTED = 2000


def page(matched: Matched, everything: int, count: int, *, offset: int, limit: int) -> list:
    """The entry ids of one page of the matches, in the order of the search's sort."""
    if not count or offset >= count:
        return []
    if matched.page_ids is not None:
        return matched.page_ids
    f = matched.filters
    if f.effective_sort == "distance" and f.radius_km and matched.ordered is None:
        # Text and distance: the distances of the final matches only.
        matched.ordered = near.near(f, periods.lower(f), within=everything, ordered=True)
    has = codec.tester(everything)
    if matched.ordered is not None:
        kept = ((key, first, pk) for pk, key, first in matched.ordered if has(pk))
        return [row[2] for row in heapq.nsmallest(offset + limit, kept)][offset:]
    if matched.words is not None and f.effective_sort == "relevance":
        return fulltext.relevance_page(
            matched.words, everything, matched.keys, offset=offset, limit=limit
        )
    if f.effective_sort == "date":
        return by_next_session(f, matched.keys, everything, offset=offset, limit=limit)
    if count <= LISTED:
        listed = SearchEntry.objects.filter(pk__in=codec.members(everything))
        return page_ids(listed, f, offset=offset, limit=limit)
    walked = ordered(SearchEntry.objects.filter(last_end__gte=periods.lower(f)), f)
    found: list[int] = []
    position, chunk = 0, 500
    while len(found) < offset + limit:
        rows = list(walked.values_list("pk", flat=True)[position : position + chunk])
        found.extend(pk for pk in rows if has(pk))
        if len(rows) < chunk:
            break
        position, chunk = position + chunk, chunk * 2
    return found[offset : offset + limit]


def next_session_start(lower: dt.datetime, pk: str = "pk") -> Subquery:
    """The start of the first session (of the activity ``pk`` refers to) that ends at or
    after ``lower``: running sessions count, ended ones do not. What the date order sorts
    by and what a result shows as its next session."""
    sessions = Session.objects.filter(activity=OuterRef(pk), ends_at__gte=lower)
    return Subquery(sessions.order_by("starts_at").values("starts_at")[:1])


def ordered(base: QuerySet, filters: ActivityFilters) -> QuerySet:
    """``base`` in the order of a date or distance sort (by relevance: ``search``): by date,
    the next session from the searched period's start (``_lower``: now without one), then
    title, then id."""
    if filters.effective_sort == "distance":
        return base.alias(distance_order=near.distance_sq(filters.point)).order_by(
            "distance_order", "first_start", "pk"
        )
    nxt = next_session_start(periods.lower(filters))
    return base.alias(next_start=nxt).order_by("next_start", "title", "pk")


def by_next_session(
    f: ActivityFilters, keys: dict[str, int], matches: int, *, offset: int, limit: int
) -> list[int]:
    """A slice of the entries in the bitmap ``matches`` in date order (``ordered``),
    found on the day bitmaps ("day:<day>", in ``keys`` from the first searched day on).

    Every match has a session ending at or after ``lower`` (``_dates``). Those whose next
    session starts before the first day ends form the first group (SQL, unless ``lower``
    is that day's midnight: then exactly the first day's bitmap). Any later day's bitmap,
    less the entries already placed, holds those whose next session starts that day (a
    session touches the day it starts). Groups are counted in day order until the slice is
    reached; only the entries of its groups are ordered in SQL.
    """
    lower = periods.lower(f)
    day = timezone.localdate(lower)
    first = keys.get(day_key("day", day), 0) & matches
    if first and lower != periods.day_start(day):
        starting = Session.objects.filter(
            activity_id__in=codec.members(first),
            ends_at__gte=lower,
            starts_at__lt=periods.day_start(day + dt.timedelta(days=1)),
        )
        first &= codec.from_ids(starting.values_list("activity_id", flat=True).distinct())
    later = sorted(k for k in keys if k.startswith("day:") and k > day_key("day", day))
    left = matches & ~first
    before = seen = chosen = 0
    groups = iter(keys[k] for k in later)
    group = first
    while True:
        n = group.bit_count()
        if n and seen + n <= offset:
            before += n
        elif n:
            chosen |= group
        seen += n
        if seen >= offset + limit or not left:
            break
        day_bits = next(groups, None)
        if day_bits is None:
            break
        group = day_bits & left
        left ^= group
    listed = SearchEntry.objects.filter(pk__in=codec.members(chosen))
    ordered = listed.alias(next_start=next_session_start(lower))
    ids = ordered.order_by("next_start", "title", "pk").values_list("pk", flat=True)
    return list(ids[offset - before : offset - before + limit])


def page_ids(base: QuerySet, filters: ActivityFilters, *, offset: int, limit: int) -> list:
    """The ids of one page of ``base`` (entries), in the search's order, in plain SQL."""
    if filters.effective_sort == "relevance":
        return fulltext.ranked_ids(base, filters.words, offset=offset, limit=limit)
    return list(ordered(base, filters).values_list("pk", flat=True)[offset : offset + limit])


# What a result list shows (API summary, cards, map markers); the page loads only these.
LIST_FIELDS = (
    "title",
    "slug",
    "kind",
    "age_min",
    "age_max",
    "price",
    "price_reduced",
    "places_left",
    "source",
    "status",
    "lat",
    "lon",
    "first_start",
    "municipality__nis_code",
    "municipality__name_nl",
    "organiser__slug",
    "organiser__name",
)


def load_page(
    ids: list[int], filters: ActivityFilters, *, with_sessions: bool = False
) -> list[Activity]:
    """The activities of a page's ids, in that order, with next session and distance.

    ``with_sessions``: every field, and their sessions in the searched period (from its
    start, or now) prefetched in order: what a calendar file shows.
    """
    if not ids:
        return []
    lower = periods.lower(filters)
    upcoming = Session.objects.filter(activity=OuterRef("pk"), ends_at__gte=lower).order_by(
        "starts_at"
    )
    found = Activity.objects.select_related("organiser", "municipality").annotate(
        next_session=Subquery(upcoming.values("starts_at")[:1]),
        next_session_end=Subquery(upcoming.values("ends_at")[:1]),
    )
    if with_sessions:
        sessions = Session.objects.filter(ends_at__gte=lower)
        _start, end = filters.date_range
        if end:
            sessions = sessions.filter(starts_at__lt=periods.day_start(end + dt.timedelta(days=1)))
        found = found.prefetch_related(
            Prefetch("sessions", queryset=sessions.order_by("starts_at"))
        )
    else:
        found = found.only(*LIST_FIELDS)
    by_pk = {a.pk: a for a in found.filter(pk__in=ids)}
    rows = [by_pk[pk] for pk in ids if pk in by_pk]
    for row in rows:
        row.distance_km = (
            round(distance_km(filters.point, Point(row.lat, row.lon)), 1) if filters.point else None
        )
    return rows
