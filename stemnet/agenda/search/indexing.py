"""Indexing: keeping the search data of activities in step with their rows.

``activity_reindex`` after every write (in its transaction): ``Activity.search_text`` and
session span, the narrow ``SearchEntry`` row (published activities with sessions only), on
PostgreSQL the ``SearchText`` row (stripped text vector with its GIN index, title vector),
on SQLite the FTS5 row (``text.FTS_TABLE``), and the bitmaps (``store.apply``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, transaction
from django.db.models import Func, Value

from stemnet.agenda.search import keys, store
from stemnet.agenda.search.text import FTS_TABLE, PG_CONFIG, normalise, stem_words

_BATCH = 500


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
    (``store.rebuild``).
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
    switched to (``store.rebuild``). Searches never find the agenda empty and
    writes meanwhile are kept."""
    from stemnet.agenda.models import Activity, SearchEntry

    ids = set(Activity.objects.values_list("pk", flat=True))
    ids |= set(SearchEntry.objects.values_list("pk", flat=True))
    activity_reindex(ids)
    store.rebuild()
    return len(ids)


# --- the narrow search table (SearchEntry) and its bitmaps -----------------------------------


def _bits(terms) -> int:
    return sum(1 << t.bit for t in terms if t.bit is not None)


def write_entries(
    batch: list[int], activities: list, sessions=None, *, update_bitmaps: bool = True
) -> None:
    """Replace the SearchEntry (and SearchText) rows of ``batch`` with those of the published
    ``activities``, which come with municipality, themes, domains and accessibility loaded,
    and move them in the search bitmaps (``agenda.search.store``) from their old keys to the new
    (on PostgreSQL the keys include the lexemes of the text rows just written).

    ``sessions`` is what ``session_rows`` gives for ``batch`` (read when not given). Sets
    the activities' ``first_start`` and ``last_end`` when they have none.
    ``update_bitmaps=False`` leaves the bitmaps to a ``store.rebuild`` after a bulk load.
    """
    from stemnet.agenda.models import SearchEntry as entry_model
    from stemnet.agenda.models import SearchText as text_model
    from stemnet.agenda.models import Session as session_model

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
        lexemes = store.entry_lexemes([e.activity_id for e in entries])
    for entry in entries:
        words = lexemes.get(entry.activity_id, ((), (), ()))
        new[entry.activity_id] = entry_keys = keys.entry_keys(
            entry, sessions.get(entry.activity_id, ()), *words
        )
        entry.bitmap_keys = " ".join(sorted(entry_keys))
    entry_model.objects.bulk_create(entries, batch_size=_BATCH)
    if update_bitmaps:
        store.apply(old, new)


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
    from stemnet.agenda.models import SearchEntry, SearchText

    for start in range(0, len(activity_ids), _BATCH):
        batch = activity_ids[start : start + _BATCH]
        store.apply(_forget(SearchEntry, batch), {})
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
