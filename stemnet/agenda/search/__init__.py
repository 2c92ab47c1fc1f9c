"""The public search of the agenda: one entry point, ``run``.

    from stemnet.agenda import search

    filters = search.ActivityFilters.parse(request.GET)  # ValidationError for bad input
    result = search.run(filters, page=2)  # count, results, facets

The page, the API, the calendar feed, the benchmark (and mailings) call ``run`` and nothing
else of the search. Writes keep the index in step with ``activity_reindex`` (in the write's
transaction).

The modules, in the order a search goes through them:

* ``filters``: ``ActivityFilters`` and its ``parse`` (the query string read and checked
  once; the text query's words included); ``periods``: the named periods ("when").
* ``keys``: the key format of the bitmaps ("kind:kamp", "day:2026-12-05", "1|age:10").
* ``cache``: the bitmaps a process has read, kept current; ``codec``: bitmaps as integers.
* ``match``: the matches as bitmaps, one per filter; ``near`` (distance) and ``fulltext``
  (SQLite FTS5, PostgreSQL tsvector and word bitmaps) add what bitmaps do not hold.
* ``order``: the page in the search's order, loaded; ``facets``: the facet counts.
* ``engine``: ``run``, which puts them together.
* Writing: ``indexing`` (entries, text rows), ``store`` (bitmaps, generations, rebuild),
  ``text`` (normalising and stemming). ``reference`` is the same search in plain SQL,
  which the tests hold every count, facet and page to.

How to add a filter (say ``indoor``, a yes/no value of an activity):

1. ``filters``: a field of ``ActivityFilters`` and its reading and checking in ``_parse``
   (in the group it belongs to, with a message in Dutch and English for bad input); a
   flag goes in ``FLAGS``.
2. The value in the search entry: a ``SearchEntry`` column (a migration) filled by
   ``indexing.entry_for``.
3. ``keys``: its key ("indoor") in ``_entry_values`` (a flag: ``FLAG_KEYS``; keep it inside
   ``VALUE_RANGES`` or add its range there). ``manage.py agenda_reindex`` writes it for the
   activities there are.
4. ``match``: AND its bitmap into ``base`` (no facet) or add it to ``_faceted`` (a facet);
   ``facets``: its counts, if it has a facet.
5. ``reference``: the same filter as a SQL condition (the tests compare the two).
6. The form: the search page's template and ``views_public`` (field lists, error ids),
   and the API's documented query (``api_public.ActivityQuery``), which lists every
   parameter for the OpenAPI description.

Nothing else changes: the page, the API and the feed pass the query string to ``parse``
and the filters to ``run``.
"""

from stemnet.agenda.search.engine import MOST_RESULTS, SearchResult, run
from stemnet.agenda.search.facets import Facet
from stemnet.agenda.search.filters import (
    FLAGS,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE_RADII,
    PAGE_SIZE,
    ActivityFilters,
)
from stemnet.agenda.search.indexing import (
    activity_reindex,
    activity_reindex_all,
    entries_forget,
)
from stemnet.agenda.search.periods import flemish_school_holidays, when_choices, when_range

__all__ = [
    "FLAGS",
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "MOST_RESULTS",
    "PAGE_RADII",
    "PAGE_SIZE",
    "ActivityFilters",
    "Facet",
    "SearchResult",
    "activity_reindex",
    "activity_reindex_all",
    "entries_forget",
    "flemish_school_holidays",
    "run",
    "when_choices",
    "when_range",
]
