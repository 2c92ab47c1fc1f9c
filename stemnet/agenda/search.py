"""Full-text search of activities: the one module with database-specific code.

Two engines behind one interface:

* SQLite (the embedded default): an FTS5 table ``agenda_activity_fts`` (migration 0003) whose
  rowid is the activity id and whose ``body`` holds the Dutch-stemmed, unaccented tokens of
  ``Activity.search_text`` (stemmed here in Python with Snowball's Dutch Porter stemmer, the
  same algorithm PostgreSQL's ``dutch`` configuration uses). Ranked with ``bm25``.
* PostgreSQL: ``SearchText.search_vector = strip(to_tsvector('dutch', search_text))`` (no
  word positions: migration 0007) with a GIN index (migration 0006; a table of its own so
  the search entries stay narrow), queried
  with ``to_tsquery('dutch', ...)``; ranked with ``ts_rank`` on ``SearchEntry.title_vector``.

Both lower-case and strip accents from text and query, drop Dutch stop words from the query,
AND the terms together and treat the last term as a prefix ("robo" finds "robotica").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, Func, Max, Min, QuerySet, Value
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


def activity_reindex(activity_ids: Iterable[int]) -> None:
    """Bring the search data of these activities up to date. Call it after every write.

    For each id: recompute ``Activity.search_text`` (unaccented lower-case title,
    description, theme and domain names, organiser, municipality, venue and postcode),
    ``first_start``/``last_end`` from its sessions (one aggregate query per batch), its
    ``SearchEntry`` (published activities with sessions only) and the full-text index
    (SQLite FTS5 rows; PostgreSQL's generated tsvector column follows by itself).
    Ids of deleted activities are removed from the index. A fixed number of queries per 500
    ids; call it inside the same transaction as the write.
    """
    from stemnet.agenda.models import Activity, Session

    ids = sorted({int(i) for i in activity_ids})
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        activities = list(
            Activity.objects.filter(pk__in=batch)
            .select_related("organiser", "municipality")
            .prefetch_related("themes", "domains", "accessibility")
        )
        spans = session_spans(batch, Session)
        for activity in activities:
            activity.search_text = build_search_text(activity)
            activity.first_start, activity.last_end = spans.get(activity.pk, (None, None))
        if activities:
            Activity.objects.bulk_update(activities, ["search_text", "first_start", "last_end"])
        write_entries(batch, activities)
        if connection.vendor == "sqlite":
            _sqlite_index(batch, activities)


def session_spans(batch: list[int], session_model) -> dict[int, tuple]:
    """{activity id: (start of its first session, end of its last)} for the ids of ``batch``."""
    return {
        row["activity_id"]: (row["first"], row["last"])
        for row in session_model.objects.filter(activity_id__in=batch)
        .values("activity_id")
        .annotate(first=Min("starts_at"), last=Max("ends_at"))
        .order_by()
    }


def activity_reindex_all() -> int:
    """Reindex every activity (after a bulk load or a restore); returns how many."""
    from stemnet.agenda.models import Activity

    ids = list(Activity.objects.values_list("pk", flat=True))
    activity_reindex(ids)
    return len(ids)


# --- the narrow search table (SearchEntry) --------------------------------------------------
#
# facet_key packs what the facets of kind, source, the three flags and the STEM domains
# count, so one small-integer GROUP BY answers them all (accessibility, municipality and
# themes have columns of their own):
#   bits 0-7  STEM domains (their ``bit``)   bit 8 free   bit 9 UiTPAS   bit 10 places left
#   bits 12-15  source (index in Activity.Source)   bits 16-23  kind (index in Activity.Kind)
# After a change to the kinds or sources, run ``manage.py agenda_reindex``.

FREE_BIT, UITPAS_BIT, PLACES_BIT = 1 << 8, 1 << 9, 1 << 10


@lru_cache(maxsize=1)
def kinds() -> tuple[str, ...]:
    from stemnet.agenda.models import Activity

    return tuple(Activity.Kind.values)


@lru_cache(maxsize=1)
def sources() -> tuple[str, ...]:
    from stemnet.agenda.models import Activity

    return tuple(Activity.Source.values)


def facet_key(entry) -> int:
    """The packed facet key of a SearchEntry (see above)."""
    key = entry.domain_bits
    key |= FREE_BIT if entry.free else 0
    key |= UITPAS_BIT if entry.uitpas else 0
    key |= PLACES_BIT if entry.has_places else 0
    key |= sources().index(entry.source) << 12
    return key | (kinds().index(entry.kind) << 16)


@lru_cache(maxsize=8192)
def unpack_facet_key(key: int) -> tuple[str, str, bool, bool, bool, int]:
    """(kind, source, free, uitpas, places left, domain bits) of a packed facet key."""
    return (
        kinds()[(key >> 16) & 0xFF],
        sources()[(key >> 12) & 0xF],
        bool(key & FREE_BIT),
        bool(key & UITPAS_BIT),
        bool(key & PLACES_BIT),
        key & 0xFF,
    )


def _bits(terms) -> int:
    return sum(1 << t.bit for t in terms if t.bit is not None)


def write_entries(batch: list[int], activities: list, apps=None) -> None:
    """Replace the SearchEntry (and SearchText) rows of ``batch`` with those of the published
    ``activities``, which come with municipality, themes, domains and accessibility loaded.

    ``apps`` lets a migration pass its historical models.
    """
    from django.apps import apps as live_apps

    from stemnet.places.models import BRUSSELS

    entry_model = (apps or live_apps).get_model("agenda", "SearchEntry")
    text_model = (apps or live_apps).get_model("agenda", "SearchText")
    entry_model.objects.filter(activity_id__in=batch).delete()
    entries, texts = [], []
    postgres = connection.vendor == "postgresql"
    for a in activities:
        if a.status != "published" or a.last_end is None or a.first_start is None:
            continue
        muni = a.municipality
        place = muni.province_id or (muni.region_id if muni.region_id == BRUSSELS else "0")
        entry = entry_model(
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
        entry.facet_key = facet_key(entry)
        if postgres:
            entry.title_vector = SearchVector(Value(normalise(a.title)), config=PG_CONFIG)
            vector = _stripped(SearchVector(Value(a.search_text), config=PG_CONFIG))
            texts.append(text_model(activity_id=a.pk, search_vector=vector))
        entries.append(entry)
    entry_model.objects.bulk_create(entries, batch_size=_BATCH)
    if postgres:
        text_model.objects.filter(activity_id__in=batch).delete()
        text_model.objects.bulk_create(texts, batch_size=_BATCH)


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


def rank_sql(column: str, query: str) -> tuple[str, list]:
    """PostgreSQL: SQL (and its parameters) ranking the tsvector ``column`` for ``query``,
    as ``ranked_ids`` ranks (``ts_rank`` with the same tsquery)."""
    return "ts_rank(" + column + ", to_tsquery(%s::regconfig, %s))", [
        PG_CONFIG,
        _pg_tsquery(query_words(query)),
    ]


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


def ranked_ids(matches: QuerySet, query: str, *, offset: int, limit: int) -> list[int]:
    """Ids of one page of ``matches`` (entries already passed to ``filter_text``), best first.

    Ties (and a query without words) go by first session, then id. PostgreSQL ranks on the
    title's vector; SQLite with bm25 over the whole text, in a join with the full-text
    matches, never per row in a correlated subquery. (On PostgreSQL ``activity_search``
    finds a text search's page in its counting statement with ``rank_sql``; this plain
    query is what the tests hold that page to.)
    """
    words = query_words(query)
    if not words:
        ids = matches.order_by("first_start", "pk").values_list("pk", flat=True)
        return list(ids[offset : offset + limit])
    if connection.vendor == "postgresql":
        # Every match ranked first (OFFSET 0 keeps PostgreSQL from flattening the subquery):
        # left to itself, the planner sorts all entries by rank and tests the text per row.
        tsquery = SearchQuery(_pg_tsquery(words), config=PG_CONFIG, search_type="raw")
        ranked = matches.annotate(
            rid=F("pk"), rk=SearchRank(F("title_vector"), tsquery), fs=F("first_start")
        ).values("rid", "rk", "fs")
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
