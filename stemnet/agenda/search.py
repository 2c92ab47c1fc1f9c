"""Full-text search of activities: the one module with database-specific code.

Two engines behind one interface:

* SQLite (the embedded default): an FTS5 table ``agenda_activity_fts`` (migration 0003) whose
  rowid is the activity id and whose ``body`` holds the Dutch-stemmed, unaccented tokens of
  ``Activity.search_text`` (stemmed here in Python with Snowball's Dutch Porter stemmer, the
  same algorithm PostgreSQL's ``dutch`` configuration uses). Ranked with ``bm25``.
* PostgreSQL: a stored generated column ``search_vector = to_tsvector('dutch', search_text)``
  with a GIN index (migrations 0003 and 0005; not a model field), queried with
  ``to_tsquery('dutch', ...)`` and ranked with ``ts_rank``.

Both lower-case and strip accents from text and query, drop Dutch stop words from the query,
AND the terms together and treat the last term as a prefix ("robo" finds "robotica").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from django.db import connection
from django.db.models import FloatField, Max, Min, QuerySet
from django.db.models.expressions import RawSQL

FTS_TABLE = "agenda_activity_fts"
PG_CONFIG = "dutch"
# Stored generated column to_tsvector('dutch', search_text), GIN-indexed (migration 0005).
PG_COLUMN = "search_vector"
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


def stem_words(text: str) -> list[str]:
    """The unaccented, lower-case, Dutch-stemmed words of ``text``, in order."""
    words = _WORD.findall(normalise(text))
    return _stemmer().stemWords(words) if words else []


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
    ``first_start``/``last_end`` from its sessions (one aggregate query per batch) and the
    full-text index (SQLite FTS5 rows; PostgreSQL's generated tsvector column follows by itself).
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
            .prefetch_related("themes", "domains")
        )
        spans = {
            row["activity_id"]: (row["first"], row["last"])
            for row in Session.objects.filter(activity_id__in=batch)
            .values("activity_id")
            .annotate(first=Min("starts_at"), last=Max("ends_at"))
            .order_by()
        }
        for activity in activities:
            activity.search_text = build_search_text(activity)
            activity.first_start, activity.last_end = spans.get(activity.pk, (None, None))
        if activities:
            Activity.objects.bulk_update(activities, ["search_text", "first_start", "last_end"])
        if connection.vendor == "sqlite":
            _sqlite_index(batch, activities)


def activity_reindex_all() -> int:
    """Reindex every activity (after a bulk load or a restore); returns how many."""
    from stemnet.agenda.models import Activity

    ids = list(Activity.objects.values_list("pk", flat=True))
    activity_reindex(ids)
    return len(ids)


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
    stems = _stemmer().stemWords(words)
    terms = [f'"{s}"' for s in stems]
    terms[-1] += "*"
    return " AND ".join(terms)


def _pg_tsquery(words: list[str]) -> str:
    terms = [f"'{w}'" for w in words]
    terms[-1] += ":*"
    return " & ".join(terms)


def filter_text(queryset: QuerySet, query: str) -> QuerySet:
    """Keep the activities matching the full-text ``query`` (no-op for an empty query).

    Uses a self-contained id subquery so the queryset can itself be nested (facets).
    """
    words = query_words(query)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        sql = (
            "SELECT id FROM agenda_activity "  # noqa: S608
            f"WHERE {PG_COLUMN} @@ to_tsquery('{PG_CONFIG}', %s)"
        )
        return queryset.filter(pk__in=RawSQL(sql, [_pg_tsquery(words)]))  # noqa: S611
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return queryset.filter(pk__in=RawSQL(sql, [_sqlite_match(words)]))  # noqa: S611


def annotate_rank(queryset: QuerySet, query: str) -> QuerySet:
    """Annotate ``rank`` (higher is better) for a queryset already passed to ``filter_text``.

    Only for the outermost query (it refers to the ``agenda_activity`` table by name on
    SQLite). Without words every row gets rank 0.
    """
    from django.db.models import Value

    words = query_words(query)
    if not words:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        sql = f"ts_rank(agenda_activity.{PG_COLUMN}, to_tsquery('{PG_CONFIG}', %s))"
        return queryset.annotate(
            rank=RawSQL(sql, [_pg_tsquery(words)], output_field=FloatField())  # noqa: S611
        )
    sql = (
        f"(SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} "  # noqa: S608
        f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = agenda_activity.id)"
    )
    return queryset.annotate(
        rank=RawSQL(sql, [_sqlite_match(words)], output_field=FloatField())  # noqa: S611
    )
