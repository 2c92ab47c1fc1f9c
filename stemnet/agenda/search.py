"""Full-text search of activities: the one module with database-specific code.

Two engines behind one interface:

* SQLite (the embedded default): an FTS5 table ``agenda_activity_fts`` (migration 0003) whose
  rowid is the activity id and whose ``body`` holds the Dutch-stemmed, unaccented tokens of
  ``Activity.search_text`` (stemmed here in Python with Snowball's Dutch Porter stemmer, the
  same algorithm PostgreSQL's ``dutch`` configuration uses). Ranked with ``bm25``.
* PostgreSQL: ``SearchText.search_vector = strip(to_tsvector('dutch', search_text))`` (no
  word positions: migration 0007) with a GIN index (migration 0006; a table of its own so
  the search entries stay narrow), queried with ``to_tsquery('dutch', ...)``; ranked with
  ``ts_rank`` on ``SearchText.title_vector``. The lexemes of both vectors also have
  bitmaps (``agenda.bitmaps``, migration 0009): a search finds its matches there
  (``word_match``) and ranks only the titles that can rank above the rest
  (``relevance_page``); the GIN index answers what the bitmaps cannot (``text_matches``).

Both lower-case and strip accents from text and query, drop Dutch stop words from the query,
AND the terms together and treat the last term as a prefix ("robo" finds "robotica").
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, transaction
from django.db.models import F, Func, QuerySet, Value
from django.db.models.expressions import RawSQL

FTS_TABLE = "agenda_activity_fts"
PG_CONFIG = "dutch"
_BATCH = 500
_WORD = re.compile(r"[a-z0-9]+")

# Snowball's Dutch stop-word list (the one PostgreSQL's `dutch` configuration uses), unaccented.
DUTCH_STOP_WORDS = frozenset(
    """
    de en van ik te dat die in een hij het niet zijn is was op aan met als voor had er maar om
    hem dan zou of wat mijn men dit zo door over ze zich bij ook tot je mij uit der daar haar
    naar heb hoe heeft hebben deze u want nog zal me zij nu ge geen omdat iets worden toch al
    waren veel meer doen toen moet ben zonder kan hun dus alles onder ja eens hier wie werd
    altijd doch wordt wezen kunnen ons zelf tegen na reeds wil kon niets uw iemand geweest
    andere
    """.split()  # noqa: SIM905
)


def normalise(text: str) -> str:
    """Lower-case ``text`` and strip its accents ("Robótica" → "robotica")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    # "dutch_porter" is the classic Snowball Dutch stemmer, identical to PostgreSQL's.
    return snowballstemmer.stemmer("dutch_porter")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """One word's Dutch stem (cached: a corpus repeats its words, stemming is the slow part)."""
    return _stemmer().stemWord(word)


def stem_words(text: str) -> list[str]:
    """The unaccented, lower-case, Dutch-stemmed words of ``text``, in order."""
    return [stem(w) for w in _WORD.findall(normalise(text))]


def query_words(query: str) -> list[str]:
    """The unaccented, lower-case words of a search query without Dutch stop words."""
    words = _WORD.findall(normalise(query))
    kept = [w for w in words if w not in DUTCH_STOP_WORDS]
    return kept[:12]


# --- indexing -------------------------------------------------------------------------------


def build_search_text(activity) -> str:
    """Unaccented lower-case text of an activity with prefetched themes/domains."""
    parts = [
        activity.title,
        activity.description,
        " ".join(f"{t.name_nl} {t.name_en}" for t in activity.themes.all()),
        " ".join(f"{d.name_nl} {d.name_en}" for d in activity.domains.all()),
        activity.organiser.name if activity.organiser_id else "",
        activity.municipality.name_nl if activity.municipality_id else "",
        activity.venue_name,
        activity.postcode,
    ]
    return normalise(" ".join(p for p in parts if p))


def activity_reindex(activity_ids: Iterable[int], *, bitmaps: bool = True) -> None:
    """Bring the search data of these activities up to date. Call it after every write.

    For each id: recompute ``Activity.search_text`` (unaccented lower-case title,
    description, theme and domain names, organiser, municipality, venue and postcode),
    ``first_start``/``last_end`` from its sessions (one aggregate query per batch), its
    ``SearchEntry`` (published activities with sessions only) and the full-text index
    (SQLite FTS5 rows; PostgreSQL's generated tsvector column follows by itself).
    Ids of deleted activities are removed from the index. A fixed number of queries per 500
    ids; call it inside the same transaction as the write. ``bitmaps=False`` leaves the
    search bitmaps alone, for a bulk load that rebuilds them once at the end
    (``agenda.bitmaps.rebuild``).
    """
    from stemnet.agenda.models import Activity, Session

    ids = sorted({int(i) for i in activity_ids})
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        # One transaction per batch, the activities locked while read: a write of one of
        # them waits, and reindexes it after (a rebuild never writes over it with what it
        # read before).
        with transaction.atomic():
            activities = list(
                Activity.objects.filter(pk__in=batch)
                .select_for_update(of=("self",))
                .select_related("organiser", "municipality")
                .prefetch_related("themes", "domains", "accessibility")
            )
            sessions = session_rows(batch, Session)
            for activity in activities:
                activity.search_text = build_search_text(activity)
                spans = sessions.get(activity.pk)
                activity.first_start = min(s for s, _e in spans) if spans else None
                activity.last_end = max(e for _s, e in spans) if spans else None
            if activities:
                fields = ["search_text", "first_start", "last_end"]
                Activity.objects.bulk_update(activities, fields)
            write_entries(batch, activities, sessions, update_bitmaps=bitmaps)
            if connection.vendor == "sqlite":
                _sqlite_index(batch, activities)


def session_rows(batch: list[int], session_model) -> dict[int, list[tuple]]:
    """{activity id: [(start, end) of each session]} for the ids of ``batch``."""
    out: dict[int, list[tuple]] = {}
    for activity_id, starts_at, ends_at in session_model.objects.filter(
        activity_id__in=batch
    ).values_list("activity_id", "starts_at", "ends_at"):
        out.setdefault(activity_id, []).append((starts_at, ends_at))
    return out


def activity_reindex_all() -> int:
    """Reindex every activity (after a bulk load or a restore, or on a live site); returns
    how many. The activities in batches, each in its own transaction, updating the
    bitmaps searches read as any write does; then the bitmaps are rebuilt beside them and
    switched to (``agenda.bitmaps.rebuild``). Searches never find the agenda empty and
    writes meanwhile are kept."""
    from stemnet.agenda import bitmaps
    from stemnet.agenda.models import Activity, SearchEntry

    ids = set(Activity.objects.values_list("pk", flat=True))
    ids |= set(SearchEntry.objects.values_list("pk", flat=True))
    activity_reindex(ids)
    bitmaps.rebuild()
    return len(ids)


# --- the narrow search table (SearchEntry) and its bitmaps -----------------------------------


def _bits(terms) -> int:
    return sum(1 << t.bit for t in terms if t.bit is not None)


def write_entries(
    batch: list[int], activities: list, sessions=None, apps=None, *, update_bitmaps: bool = True
) -> None:
    """Replace the SearchEntry (and SearchText) rows of ``batch`` with those of the published
    ``activities``, which come with municipality, themes, domains and accessibility loaded,
    and move them in the search bitmaps (``agenda.bitmaps``) from their old keys to the new
    (on PostgreSQL the keys include the lexemes of the text rows just written).

    ``sessions`` is what ``session_rows`` gives for ``batch`` (read when not given). Sets
    the activities' ``first_start`` and ``last_end`` when they have none. ``apps`` lets a
    migration pass its historical models; ``update_bitmaps=False`` leaves the bitmaps to a
    ``bitmaps.rebuild`` after a bulk load.
    """
    from django.apps import apps as live_apps

    from stemnet.agenda import bitmaps

    entry_model = (apps or live_apps).get_model("agenda", "SearchEntry")
    text_model = (apps or live_apps).get_model("agenda", "SearchText")
    session_model = (apps or live_apps).get_model("agenda", "Session")
    old = _forget(entry_model, batch)
    if sessions is None:
        sessions = session_rows(batch, session_model)
    entries, texts, new = [], [], {}
    postgres = connection.vendor == "postgresql"
    for a in activities:
        spans = sessions.get(a.pk)
        if spans and a.first_start is None:
            a.first_start = min(s for s, _e in spans)
            a.last_end = max(e for _s, e in spans)
        entry = entry_for(entry_model, a)
        if entry is None:
            continue
        if postgres:
            texts.append(
                text_model(
                    activity_id=a.pk,
                    search_vector=_stripped(SearchVector(Value(a.search_text), config=PG_CONFIG)),
                    title_vector=SearchVector(Value(normalise(a.title)), config=PG_CONFIG),
                    first_start=a.first_start,
                )
            )
        entries.append(entry)
    lexemes = {}
    if postgres:
        text_model.objects.filter(activity_id__in=batch).delete()
        text_model.objects.bulk_create(texts, batch_size=_BATCH)
        lexemes = bitmaps.entry_lexemes([e.activity_id for e in entries])
    for entry in entries:
        words = lexemes.get(entry.activity_id, ((), (), ()))
        new[entry.activity_id] = keys = bitmaps.entry_keys(
            entry, sessions.get(entry.activity_id, ()), *words
        )
        entry.bitmap_keys = " ".join(sorted(keys))
    entry_model.objects.bulk_create(entries, batch_size=_BATCH)
    if update_bitmaps:
        bitmaps.apply(old, new, apps=apps)


def entry_for(entry_model, a):
    """The SearchEntry of the activity ``a`` (with municipality, themes, domains and
    accessibility loaded, ``first_start`` and ``last_end`` set), unsaved; None when it has
    none (not published, or no sessions)."""
    from stemnet.places.models import BRUSSELS

    if a.status != "published" or a.last_end is None or a.first_start is None:
        return None
    muni = a.municipality
    place = muni.province_id or (muni.region_id if muni.region_id == BRUSSELS else "0")
    return entry_model(
        activity_id=a.pk,
        last_end=a.last_end,
        first_start=a.first_start,
        municipality_id=a.municipality_id,
        theme_bits=_bits(a.themes.all()),
        domain_bits=_bits(a.domains.all()),
        access_bits=_bits(a.accessibility.all()),
        place=int(place),
        lat=a.lat,
        lon=a.lon,
        age_min=a.age_min,
        age_max=a.age_max,
        price_cents=int(round(a.price * 100)),
        free=a.price == 0,
        uitpas=a.price_reduced is not None,
        has_places=a.places_left is None or a.places_left > 0,
        kind=a.kind,
        source=a.source,
        title=a.title[:200],
    )


def entries_forget(activity_ids: list[int]) -> None:
    """Take these activities out of the search (entries, text rows and bitmaps) before they
    are deleted in bulk; without it, each deleted entry leaves the bitmaps on its own
    (``agenda.signals``), which is slower for many."""
    from stemnet.agenda import bitmaps
    from stemnet.agenda.models import SearchEntry, SearchText

    for start in range(0, len(activity_ids), _BATCH):
        batch = activity_ids[start : start + _BATCH]
        bitmaps.apply(_forget(SearchEntry, batch), {})
        SearchText.objects.filter(activity_id__in=batch).delete()


def _forget(entry_model, batch: list[int]) -> dict[int, set[str]]:
    """Delete the entries of ``batch``; gives the bitmap keys each was in.

    Plain SQL (``DELETE … RETURNING``, PostgreSQL and SQLite ≥ 3.35): the ``pre_delete``
    signal, which takes a deleted entry out of its bitmaps, is for deletions that do not
    come through here.
    """
    if not batch:
        return {}
    table = entry_model._meta.db_table
    holes = ", ".join(["%s"] * len(batch))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE activity_id IN ({holes}) "  # noqa: S608
            "RETURNING activity_id, bitmap_keys",
            batch,
        )
        return {pk: set(keys.split()) for pk, keys in cursor.fetchall()}


def _stripped(vector):
    """The tsvector without word positions: matching (``@@``, prefixes, AND) needs none, and
    ranking reads the title's own vector; a third smaller table to read per text search."""
    return Func(vector, function="strip", output_field=SearchVectorField())


def _sqlite_index(batch: list[int], activities: list) -> None:
    placeholders = ",".join(["%s"] * len(batch))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", batch)  # noqa: S608
        if activities:
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, body) VALUES (%s, %s)",  # noqa: S608
                [(a.pk, " ".join(stem_words(a.search_text))) for a in activities],
            )


# --- querying -------------------------------------------------------------------------------


def _sqlite_match(words: list[str]) -> str:
    terms = [f'"{stem(w)}"' for w in words]
    terms[-1] += "*"
    return " AND ".join(terms)


def _pg_tsquery(words: list[str]) -> str:
    terms = [f"'{w}'" for w in words]
    terms[-1] += ":*"
    return " & ".join(terms)


def filter_text(queryset: QuerySet, query: str) -> QuerySet:
    """Keep the search entries (``SearchEntry``) matching the full-text ``query``.

    A no-op for an empty query. SQLite: a self-contained id subquery on the FTS5 table, so
    the queryset can itself be nested.
    """
    words = query_words(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        from stemnet.agenda.models import SearchText

        tsquery = SearchQuery(_pg_tsquery(words), config=PG_CONFIG, search_type="raw")
        matching = SearchText.objects.filter(search_vector=tsquery).values("activity_id")
        return queryset.filter(pk__in=matching)
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return queryset.filter(pk__in=RawSQL(sql, [_sqlite_match(words)]))  # noqa: S611


def text_matches(
    query: str, *, within: int, page: tuple[int, int] | None = None, final: int = 0
) -> tuple[list[int], list[int] | None]:
    """The activities in the bitmap ``within`` whose text matches ``query``, and with ``page``
    = (offset, limit) that slice, best first, of the matches in the bitmap ``final``, ranked
    as ``ranked_ids`` ranks (PostgreSQL: ``ts_rank`` of the title, at least 1e-20; SQLite:
    ``bm25``; then by first session and id). On PostgreSQL a search asks ``word_match``
    first; this reads the GIN index for the queries that cannot be answered there.

    One statement over the full-text index. PostgreSQL keeps only the rows in ``within``
    (see ``agenda.bitmaps.within_sql``), sends the ids as one packed value and ranks only
    the rows in ``final``, sending just the page; SQLite sends the matching rows and Python
    does the rest. (SQLite's index also holds activities that are not published: ``within``
    leaves them out.)
    """
    from stemnet.agenda import bitmaps

    words = query_words(query)
    if connection.vendor == "postgresql":
        tsquery = "to_tsquery(%s::regconfig, %s)"
        terms = [PG_CONFIG, _pg_tsquery(words)]
        kept, kept_params = bitmaps.within_sql("activity_id", within)
        carried, params = "", [*terms, *kept_params]
        if page:
            # Ranked where the row is read, and only the matches of every filter (``final``).
            ranked, ranked_params = bitmaps.within_sql("activity_id", final)
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
        ids, found = bitmaps.packed_ids_and_page(
            matched,
            params,
            source="m",
            order="k DESC, fs, id",
            limit=page[0] + page[1] if page else None,
            best=("k IS NOT NULL", []),
        )
        return ids, (found[page[0] :] if page else None)
    has = bitmaps.tester(within)
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
        cursor.execute(sql, [_sqlite_match(words)])
        rows = [row for row in cursor.fetchall() if has(row[0])]
    if not page:
        return [row[0] for row in rows], None
    best = bitmaps.tester(final)
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
    """The lexemes of a tsquery built by ``_pg_tsquery`` as PostgreSQL's ``dutch``
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


def word_match(query: str) -> WordMatch | None:
    """PostgreSQL: the text matches of ``query`` from the word bitmaps (see
    ``agenda.bitmaps``): the AND of its words, each the union of the bitmaps of the
    lexemes it stands for (the last word as a prefix, as in ``_pg_tsquery``). The same
    set as ``search_vector @@ to_tsquery(…)`` over the entries, without visiting a row.

    For the order by relevance (``ts_rank`` of the title; see ``relevance_page``): with one
    word, a title holding its lexeme once ranks the same as every other such title, so only
    titles holding it more than once, or two of the lexemes a prefix stands for, are ranked;
    with several words, a title holding fewer than two of them ranks as one holding none,
    so only titles holding two or more are.

    None on SQLite, and for a query that is not a plain AND of lexemes or names more than
    ``MOST_WORD_KEYS`` keys: ``text_matches`` answers those.
    """
    from stemnet.agenda import bitmaps

    words = query_words(query)
    if connection.vendor != "postgresql" or not words:
        return None
    tsquery = _pg_tsquery(words)
    terms = pg_terms(tsquery)
    if not terms:
        return None
    prefixes = (bitmaps.WORD, bitmaps.TITLE_WORD, bitmaps.TITLE_TWICE)
    ranges = [
        bitmaps.word_range(prefix, lexeme, starts=starts)
        for lexeme, starts in terms
        for prefix in prefixes
    ]
    view = bitmaps.WORDS.sync(ranges, most=MOST_WORD_KEYS)
    if view is None:
        return None
    text = None
    titled = twice = 0  # in the title of at least one, of at least two of the query's parts
    for (first, last), (title_first, title_last), twice_range in zip(
        ranges[::3], ranges[1::3], ranges[2::3], strict=True
    ):
        bits = bitmaps.union_of_range(view, first, last)
        text = bits if text is None else text & bits
        if len(terms) == 1:
            # The parts of one word: each lexeme it stands for, each once or more than once.
            twice = bitmaps.union_of_range(view, *twice_range)
            for key, bits in view.items():
                if title_first <= key <= title_last:
                    twice |= titled & bits
                    titled |= bits
        else:
            bits = bitmaps.union_of_range(view, title_first, title_last)
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
    from stemnet.agenda import bitmaps

    ranked, above = [], 0
    candidates = final & words.ranked
    if candidates:
        rank = f"GREATEST(ts_rank(title_vector, to_tsquery(%s::regconfig, %s)), {_NO_RANK})"
        scored = (
            f"WITH c AS MATERIALIZED (SELECT activity_id AS id, {rank} AS k, "  # noqa: S608
            "first_start AS fs FROM agenda_searchtext WHERE activity_id = ANY(%s))"
        )
        above_ids, ranked = bitmaps.packed_ids_and_page(
            scored,
            [PG_CONFIG, words.tsquery, bitmaps.members(candidates)],
            source="c",
            order="k DESC, fs, id",
            limit=offset + limit,
            kept=(f"k > {_NO_RANK}", []),
            best=(f"k > {_NO_RANK}", []),
        )
        above = bitmaps.from_ids(above_ids)
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
    from stemnet.agenda import bitmaps
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
    listed = SearchEntry.objects.filter(pk__in=bitmaps.members(matches & chosen))
    order = ("first_start", "title", "pk") if by_title else ("first_start", "pk")
    ids = listed.order_by(*order).values_list("pk", flat=True)
    return list(ids[offset - before : offset - before + limit])


def ranked_ids(matches: QuerySet, query: str, *, offset: int, limit: int) -> list[int]:
    """Ids of one page of ``matches`` (entries already passed to ``filter_text``), best first.

    Ties (and a query without words) go by first session, then id. PostgreSQL ranks on the
    title's vector; SQLite with bm25 over the whole text, in a join with the full-text
    matches, never per row in a correlated subquery. (A search orders the rows of
    ``text_matches`` instead; this plain query is what the tests hold that order to.)
    """
    words = query_words(query)
    if not words:
        ids = matches.order_by("first_start", "pk").values_list("pk", flat=True)
        return list(ids[offset : offset + limit])
    if connection.vendor == "postgresql":
        # Every match ranked first (OFFSET 0 keeps PostgreSQL from flattening the subquery):
        # left to itself, the planner sorts all entries by rank and tests the text per row.
        tsquery = SearchQuery(_pg_tsquery(words), config=PG_CONFIG, search_type="raw")
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
        cursor.execute(sql, [_sqlite_match(words), *params, limit, offset])
        return [row[0] for row in cursor.fetchall()]
