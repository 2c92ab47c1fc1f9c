"""Full-text matching and ranking, the one part with database-specific code.

* SQLite: the FTS5 table ``agenda_activity_fts`` (rowid = activity id, ``body`` = Dutch
  stems; ``text.stem_words``), ranked with ``bm25``.
* PostgreSQL: ``SearchText.search_vector`` (stripped, GIN index) matched with
  ``to_tsquery('dutch', ...)``, ranked with ``ts_rank`` on ``SearchText.title_vector``. The
  lexemes also have bitmaps (``keys.WORD`` ...): a search finds its matches there
  (``word_match``) and ranks only the titles that can rank above the rest
  (``relevance_page``); the GIN index answers what the bitmaps cannot (``text_matches``).

Every function takes the query's words as ``filters.ActivityFilters.words`` holds them
(parsed once, by ``text.query_words``).
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Func, QuerySet
from django.db.models.expressions import RawSQL

from stemnet.agenda.search import codec, keys
from stemnet.agenda.search.cache import WORDS, union_of_range
from stemnet.agenda.search.text import FTS_TABLE, PG_CONFIG, pg_tsquery, sqlite_match


def filter_text(queryset: QuerySet, words: tuple[str, ...]) -> QuerySet:
    """Keep the search entries (``SearchEntry``) matching the full-text query of ``words``.

    A no-op for an empty query. SQLite: a self-contained id subquery on the FTS5 table, so
    the queryset can itself be nested.
    """
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from stemnet.agenda.models import SearchText

        tsquery = SearchQuery(pg_tsquery(words), config=PG_CONFIG, search_type="raw")
        matching = SearchText.objects.filter(search_vector=tsquery).values("activity_id")
        return queryset.filter(pk__in=matching)
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return queryset.filter(pk__in=RawSQL(sql, [sqlite_match(words)]))  # noqa: S611


def text_matches(
    words: tuple[str, ...], *, within: int, page: tuple[int, int] | None = None, final: int = 0
) -> tuple[list[int], list[int] | None]:
    """The activities in the bitmap ``within`` whose text matches ``words``, and with ``page``
    = (offset, limit) that slice, best first, of the matches in the bitmap ``final``, ranked
    as ``ranked_ids`` ranks (PostgreSQL: ``ts_rank`` of the title, at least 1e-20; SQLite:
    ``bm25``; then by first session and id). On PostgreSQL a search asks ``word_match``
    first; this reads the GIN index for the queries that cannot be answered there.

    One statement over the full-text index. PostgreSQL keeps only the rows in ``within``
    (see ``codec.within_sql``), sends the ids as one packed value and ranks only
    the rows in ``final``, sending just the page; SQLite sends the matching rows and Python
    does the rest. (SQLite's index also holds activities that are not published: ``within``
    leaves them out.)
    """
    if connection.vendor == "postgresql":
        tsquery = "to_tsquery(%s::regconfig, %s)"
        terms = [PG_CONFIG, pg_tsquery(words)]
        kept, kept_params = codec.within_sql("activity_id", within)
        carried, params = "", [*terms, *kept_params]
        if page:
            # Ranked where the row is read, and only the matches of every filter (``final``).
            ranked, ranked_params = codec.within_sql("activity_id", final)
            carried = (
                f", CASE WHEN {ranked} THEN "
                f"GREATEST(ts_rank(title_vector, {tsquery}), {_NO_RANK}) END AS k, "
                "first_start AS fs"
            )
            params = [*ranked_params, *terms, *params]
        matched = (
            f"WITH m AS MATERIALIZED (SELECT activity_id AS id{carried} "  # noqa: S608
            f"FROM agenda_searchtext WHERE search_vector @@ {tsquery} AND {kept})"
        )
        ids, found = codec.packed_ids_and_page(
            matched,
            params,
            source="m",
            order="k DESC, fs, id",
            limit=page[0] + page[1] if page else None,
            best=("k IS NOT NULL", []),
        )
        return ids, (found[page[0] :] if page else None)
    has = codec.tester(within)
    if page:
        # Materialised: otherwise SQLite may run the full-text query once per entry.
        sql = (
            f"WITH r AS MATERIALIZED (SELECT rowid AS id, bm25({FTS_TABLE}) AS score "  # noqa: S608
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
            "SELECT r.id, r.score, e.first_start FROM r "
            "CROSS JOIN agenda_searchentry e ON e.activity_id = r.id"
        )
    else:
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [sqlite_match(words)])
        rows = [row for row in cursor.fetchall() if has(row[0])]
    if not page:
        return [row[0] for row in rows], None
    best = codec.tester(final)
    kept_rows = ((score, first, pk) for pk, score, first in rows if best(pk))
    found = [row[2] for row in heapq.nsmallest(page[0] + page[1], kept_rows)]
    return [row[0] for row in rows], found[page[0] :]


# --- PostgreSQL: text searches on the word bitmaps -------------------------------------------

# A query whose words name more lexeme keys than this (a prefix of one or two letters) goes
# to the GIN index instead (``text_matches``): a union of that many bitmaps costs more.
MOST_WORD_KEYS = 256
# The rank of a title that holds none of the query's words (``ts_rank`` gives 0 or 1e-20).
_NO_RANK = "1e-20::real"
_TERM = re.compile(r"'([a-z0-9]+)'(:\*)?")


@dataclass
class WordMatch:
    """What the word bitmaps say of a text query (see ``word_match``)."""

    text: int  # the entries whose text matches
    titled: int  # those of them whose title holds a word of the query
    # Those whose title may rank above the rest of ``titled`` (only these are ranked in SQL).
    ranked: int
    # One word: every title in ``titled`` but not in ``ranked`` has the same rank (see
    # ``relevance_page``); several: those rank as the titles without any word of the query.
    one_word: bool
    tsquery: str


@lru_cache(maxsize=4096)
def pg_terms(tsquery: str) -> tuple[tuple[str, bool], ...] | None:
    """The lexemes of a tsquery built by ``pg_tsquery`` as PostgreSQL's ``dutch``
    configuration makes them: ((lexeme, is a prefix), ...); None when the parsed query is
    anything but an AND of lexemes (then the GIN index answers). Cached per process: the
    result depends only on the query and the configuration."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsquery(%s::regconfig, %s)::text", [PG_CONFIG, tsquery])
        parsed = cursor.fetchone()[0] or ""
    terms = []
    for part in parsed.split(" & "):
        found = _TERM.fullmatch(part.strip())
        if not found:
            return None
        terms.append((found[1], bool(found[2])))
    return tuple(terms)


def word_match(words: tuple[str, ...]) -> WordMatch | None:
    """PostgreSQL: the text matches of the query's ``words`` from the word bitmaps
    (``keys.WORD`` ...): the AND of its words, each the union of the bitmaps of the
    lexemes it stands for (the last word as a prefix, as in ``pg_tsquery``). The same
    set as ``search_vector @@ to_tsquery(…)`` over the entries, without visiting a row.

    For the order by relevance (``ts_rank`` of the title; see ``relevance_page``): with one
    word, a title holding its lexeme once ranks the same as every other such title, so only
    titles holding it more than once, or two of the lexemes a prefix stands for, are ranked;
    with several words, a title holding fewer than two of them ranks as one holding none,
    so only titles holding two or more are.

    None on SQLite, and for a query that is not a plain AND of lexemes or names more than
    ``MOST_WORD_KEYS`` keys: ``text_matches`` answers those.
    """
    if connection.vendor != "postgresql" or not words:
        return None
    tsquery = pg_tsquery(words)
    terms = pg_terms(tsquery)
    if not terms:
        return None
    prefixes = (keys.WORD, keys.TITLE_WORD, keys.TITLE_TWICE)
    ranges = [
        keys.word_range(prefix, lexeme, starts=starts)
        for lexeme, starts in terms
        for prefix in prefixes
    ]
    view = WORDS.sync(ranges, most=MOST_WORD_KEYS)
    if view is None:
        return None
    text = None
    titled = twice = 0  # in the title of at least one, of at least two of the query's parts
    for (first, last), (title_first, title_last), twice_range in zip(
        ranges[::3], ranges[1::3], ranges[2::3], strict=True
    ):
        bits = union_of_range(view, first, last)
        text = bits if text is None else text & bits
        if len(terms) == 1:
            # The parts of one word: each lexeme it stands for, each once or more than once.
            twice = union_of_range(view, *twice_range)
            for key, bits in view.items():
                if title_first <= key <= title_last:
                    twice |= titled & bits
                    titled |= bits
        else:
            bits = union_of_range(view, title_first, title_last)
            twice |= titled & bits
            titled |= bits
    text = text or 0
    return WordMatch(text, titled & text, twice & text, len(terms) == 1, tsquery)


def relevance_page(
    words: WordMatch, final: int, days: dict[str, int], *, offset: int, limit: int
) -> list[int]:
    """PostgreSQL: one page of the matches ``final`` best first, as ``ranked_ids`` orders
    them (``ts_rank`` of the title, then first session, then id).

    Three tiers (``word_match`` says why): the matches in ``words.ranked``, ranked by
    PostgreSQL (their rows, by primary key) as far as the page needs; with one word, the
    other titles holding it, which all share one rank; then the rest, which share the
    lowest. The last two each go by first session, found on the first-session bitmaps
    ``days`` ("first:<day>"; ``order_by_first_session``).
    """

    ranked, above = [], 0
    candidates = final & words.ranked
    if candidates:
        rank = f"GREATEST(ts_rank(title_vector, to_tsquery(%s::regconfig, %s)), {_NO_RANK})"
        scored = (
            f"WITH c AS MATERIALIZED (SELECT activity_id AS id, {rank} AS k, "  # noqa: S608
            "first_start AS fs FROM agenda_searchtext WHERE activity_id = ANY(%s))"
        )
        above_ids, ranked = codec.packed_ids_and_page(
            scored,
            [PG_CONFIG, words.tsquery, codec.members(candidates)],
            source="c",
            order="k DESC, fs, id",
            limit=offset + limit,
            kept=(f"k > {_NO_RANK}", []),
            best=(f"k > {_NO_RANK}", []),
        )
        above = codec.from_ids(above_ids)
    page = ranked[offset : offset + limit]
    skip = max(0, offset - above.bit_count())
    rest = final & ~above
    tiers = [rest & words.titled, rest & ~words.titled] if words.one_word else [rest]
    for tier in tiers:
        if len(page) >= limit:
            break
        size = tier.bit_count()
        if skip >= size:
            skip -= size
            continue
        page += order_by_first_session(
            days, tier, offset=skip, limit=limit - len(page), by_title=False
        )
        skip = 0
    return page


def order_by_first_session(
    days: dict[str, int], matches: int, *, offset: int, limit: int, by_title: bool = True
) -> list[int]:
    """A slice of the entries in the bitmap ``matches`` ordered by first session, then
    title (unless ``by_title`` is false), then id: the days of the first sessions, in order,
    are counted on their bitmaps (``days`` holds the "first:<day>" keys) until the slice is
    reached, and only the matches of its days are ordered in SQL."""
    from stemnet.agenda.models import SearchEntry

    before, seen, chosen = 0, 0, 0
    for key in sorted(k for k in days if k.startswith("first:")):
        n = (matches & days[key]).bit_count()
        if not n:
            continue
        if seen + n <= offset:
            before += n
        else:
            chosen |= days[key]
        seen += n
        if seen >= offset + limit:
            break
    listed = SearchEntry.objects.filter(pk__in=codec.members(matches & chosen))
    order = ("first_start", "title", "pk") if by_title else ("first_start", "pk")
    ids = listed.order_by(*order).values_list("pk", flat=True)
    return list(ids[offset - before : offset - before + limit])


def ranked_ids(matches: QuerySet, words: tuple[str, ...], *, offset: int, limit: int) -> list[int]:
    """Ids of one page of ``matches`` (entries already passed to ``filter_text``), best first.

    Ties (and a query without words) go by first session, then id. PostgreSQL ranks on the
    title's vector; SQLite with bm25 over the whole text, in a join with the full-text
    matches, never per row in a correlated subquery. (A search orders the rows of
    ``text_matches`` instead; this plain query is what the tests hold that order to.)
    """
    if not words:
        ids = matches.order_by("first_start", "pk").values_list("pk", flat=True)
        return list(ids[offset : offset + limit])
    if connection.vendor == "postgresql":
        # Every match ranked first (OFFSET 0 keeps PostgreSQL from flattening the subquery):
        # left to itself, the planner sorts all entries by rank and tests the text per row.
        tsquery = SearchQuery(pg_tsquery(words), config=PG_CONFIG, search_type="raw")
        title = F("activity__search_text_row__title_vector")
        # A title without the query's words ranks 0 or 1e-20 (by the query's form): the same.
        rank = Func(SearchRank(title, tsquery), RawSQL(_NO_RANK, ()), function="GREATEST")  # noqa: S611
        ranked = matches.annotate(rid=F("pk"), rk=rank, fs=F("first_start")).values(
            "rid", "rk", "fs"
        )
        inner, params = ranked.order_by().query.sql_with_params()
        sql = (
            f"SELECT m.rid FROM ({inner} OFFSET 0) m "  # noqa: S608
            "ORDER BY m.rk DESC, m.fs, m.rid LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [row[0] for row in cursor.fetchall()]
    # Materialised and the outer loop (CROSS JOIN): otherwise SQLite may run the full-text
    # query once per entry (27 s instead of 50 ms at 100,000 activities).
    inner, params = matches.values("pk").order_by().query.sql_with_params()
    sql = (
        f"WITH r AS MATERIALIZED (SELECT rowid AS id, bm25({FTS_TABLE}) AS score "  # noqa: S608
        f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
        "SELECT r.id FROM r CROSS JOIN agenda_searchentry e ON e.activity_id = r.id "
        f"WHERE r.id IN ({inner}) "
        "ORDER BY r.score, e.first_start, r.id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [sqlite_match(words), *params, limit, offset])
        return [row[0] for row in cursor.fetchall()]
