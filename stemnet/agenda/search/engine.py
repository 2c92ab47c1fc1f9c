"""The public search's one entry point: ``run``."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from stemnet.agenda.models import Activity
from stemnet.agenda.search import facets as facet_counts
from stemnet.agenda.search import order
from stemnet.agenda.search.facets import Facet
from stemnet.agenda.search.filters import PAGE_SIZE, ActivityFilters
from stemnet.agenda.search.match import match

# The most results one page holds: a calendar file's (the API allows 100, the page 20).
MOST_RESULTS = 500


@dataclass
class SearchResult:
    count: int
    results: list[Activity]
    facets: dict[str, list[Facet]]
    page: int
    page_size: int
    filters: ActivityFilters
    sort: str

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def run(
    filters: ActivityFilters,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    facets: bool = True,
    calendar: bool = False,
) -> SearchResult:
    """One page of published activities matching ``filters`` (``ActivityFilters.parse``),
    the count and the facets.

    Each result carries ``next_session`` (start of its next session in the searched period),
    ``next_session_end`` and ``distance_km`` (None without a postcode). ``page_size`` is at
    most ``MOST_RESULTS``. ``facets=False`` leaves the facet counts out (``{}``).
    ``calendar=True`` orders by next session whatever ``filters.sort`` says and loads every
    field of the activities with their sessions in the searched period (``sessions.all()``):
    what a calendar file or a mailing lists.

    The matches and every facet count come from the search bitmaps (``match``); SQL finds
    what bitmaps do not hold (text, distance, today's sessions), orders the page
    (``order.page``) and loads it.
    """
    if calendar and filters.effective_sort != "date":
        filters = replace(filters, sort="date")
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MOST_RESULTS))
    offset = (page - 1) * page_size
    matched = match(filters, page=(offset, page_size))
    everything = matched.all()
    count = everything.bit_count()
    ids = order.page(matched, everything, count, offset=offset, limit=page_size)
    return SearchResult(
        count=count,
        results=order.load_page(ids, filters, with_sessions=calendar),
        facets=facet_counts.facets(filters, matched) if facets else {},
        page=page,
        page_size=page_size,
        filters=filters,
        sort=filters.effective_sort,
    )
