"""Does the search index agree with the activities? (``manage.py agenda_search_check``)

Compares, reading only: each activity's session span with its sessions; the search entries
with what ``indexing.entry_for`` makes of the activities (a published activity with sessions
has one, with the same values; no other activity has one); each entry's stored bitmap keys
and every bitmap of the generation searches read with what a rebuild would compute from
the entries (``store.compute``); on PostgreSQL, a full-text row per entry. A write that
skipped ``indexing.activity_reindex`` shows up here.

On PostgreSQL it reads in one read-only REPEATABLE READ transaction (one snapshot, so a
write landing meanwhile is not reported, and nothing can be written); SQLite reads without
a transaction (a write lock there would stop every writer while the check runs).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from stemnet.agenda.search import codec, indexing, store

_BATCH = 500
# The entry columns the check compares (all but the activity and the stored keys).
_COLUMNS = (
    "last_end",
    "first_start",
    "municipality_id",
    "access_bits",
    "theme_bits",
    "domain_bits",
    "place",
    "lat",
    "lon",
    "age_min",
    "age_max",
    "price_cents",
    "free",
    "uitpas",
    "has_places",
    "kind",
    "source",
    "title",
)
_SHOWN = 10  # ids listed per bitmap difference


def search_differences() -> list[str]:
    """Every difference between the search index and the activity rows, one line each."""
    with _snapshot():
        return [*_entry_differences(), *_bitmap_differences()]


@contextmanager
def _snapshot():
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # SQLite; or inside a transaction already (a test), whose snapshot it reads.
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _entry_differences() -> Iterator[str]:
    from stemnet.agenda.models import Activity, SearchEntry, SearchText, Session

    entry_ids = set(SearchEntry.objects.values_list("pk", flat=True))
    ids = sorted(set(Activity.objects.values_list("pk", flat=True)) | entry_ids)
    texts = set()
    if connection.vendor == "postgresql":
        texts = set(SearchText.objects.values_list("activity_id", flat=True))
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        activities = {
            a.pk: a
            for a in Activity.objects.filter(pk__in=batch)
            .select_related("municipality")
            .prefetch_related("themes", "domains", "accessibility")
        }
        entries = {e.pk: e for e in SearchEntry.objects.filter(pk__in=batch)}
        sessions = indexing.session_rows(batch, Session)
        for pk in batch:
            yield from _one(pk, activities.get(pk), entries.get(pk), sessions.get(pk), texts)


def _one(pk: int, activity, entry, spans, texts: set[int]) -> Iterator[str]:
    if activity is None:
        yield f"activity {pk}: a search entry, but no such activity"
        return
    first = min(s for s, _e in spans) if spans else None
    last = max(e for _s, e in spans) if spans else None
    if (activity.first_start, activity.last_end) != (first, last):
        yield (
            f"activity {pk}: session span {activity.first_start} – {activity.last_end}, "
            f"its sessions give {first} – {last}"
        )
    activity.first_start, activity.last_end = first, last  # in memory only
    expected = indexing.entry_for(type(entry) if entry else _entry_model(), activity)
    if expected is None:
        if entry is not None:
            yield f"activity {pk}: a search entry, but it is not published with sessions"
        return
    if entry is None:
        yield f"activity {pk}: published with sessions, but no search entry"
        return
    for column in _COLUMNS:
        have, want = getattr(entry, column), getattr(expected, column)
        if have != want:
            yield f"activity {pk}: search entry {column} is {have!r}, the activity gives {want!r}"
    if connection.vendor == "postgresql" and pk not in texts:
        yield f"activity {pk}: no full-text row"


def _entry_model():
    from stemnet.agenda.models import SearchEntry

    return SearchEntry


def _bitmap_differences() -> Iterator[str]:
    ids_by_key, keys_by_entry = store.compute()
    for pk in sorted(keys_by_entry):
        yield f"activity {pk}: the search entry's stored bitmap keys differ from its values"
    stored = store.stored()
    for key in sorted(ids_by_key.keys() | stored.keys()):
        want = codec.from_ids(ids_by_key.get(key, ()))
        have = stored.get(key, 0)
        if have == want:
            continue
        extra, missing = codec.members(have & ~want), codec.members(want & ~have)
        parts = []
        if extra:
            parts.append(f"holds {_listed(extra)} that it should not")
        if missing:
            parts.append(f"lacks {_listed(missing)}")
        yield f"bitmap {key!r}: " + "; ".join(parts)


def _listed(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:_SHOWN])
    return shown + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")
