"""The search bitmaps: they hold exactly their ids, and what a search finds through them
(dates, pages of many matches) equals what the plain SQL of each filter gives."""

import datetime as dt
import sys
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from stemnet.agenda.models import SearchBitmap, SearchEntry
from stemnet.agenda.search import ActivityFilters, cache, codec, keys, order, reference, run, store
from stemnet.agenda.tests.factories import ActivityFactory, in_days

pytestmark = pytest.mark.django_db


@given(st.sets(st.integers(0, 5000), max_size=200))
def test_bitmaps_hold_exactly_their_ids(ids):
    bitmap = codec.from_ids(ids)
    assert bitmap.bit_count() == len(ids)
    assert codec.members(bitmap) == sorted(ids)
    has = codec.tester(bitmap)
    assert [i for i in range(5100) if has(i)] == sorted(ids)
    assert codec.set_bits(bitmap) == sorted(ids)


def test_date_pages_of_many_matches_keep_the_order_within_a_day():
    """Many matches in date order are paged by the days of their first sessions; activities
    starting the same day still come by time, then title."""
    made = [
        ActivityFactory(title=f"Dag {i}", sessions=[(in_days(3 + i // 3, 10 + i % 2), in_days(9))])
        for i in range(8)
    ]
    f = ActivityFilters.parse({})
    expected = order.page_ids(reference.filtered(f), f, offset=0, limit=100)
    assert set(expected) == {a.pk for a in made}
    with mock.patch.object(order, "LISTED", 0):
        for page in (1, 2, 3):
            ids = [a.pk for a in run(f, page=page, page_size=3).results]
            assert ids == expected[(page - 1) * 3 : page * 3]


def _around_now() -> list[tuple[dt.datetime, dt.datetime]]:
    """Sessions on every side of now: ended earlier today, running, later today, over
    midnight, several days long, in the past and to come."""
    now = timezone.localtime()
    hour = dt.timedelta(hours=1)
    midnight = timezone.make_aware(dt.datetime.combine(now.date(), dt.time.min))
    return [
        (now - 3 * hour, now - hour),
        (now - hour, now + hour),
        (now + hour, now + 2 * hour),
        (midnight + dt.timedelta(hours=23), midnight + dt.timedelta(hours=25)),
        (now - dt.timedelta(days=2), now + dt.timedelta(days=2)),
        (now - dt.timedelta(days=9), now - dt.timedelta(days=8)),
        (now + dt.timedelta(days=1), now + dt.timedelta(days=1, hours=2)),
        (now + dt.timedelta(days=6), now + dt.timedelta(days=6, hours=2)),
        (midnight + dt.timedelta(days=3), midnight + dt.timedelta(days=3)),
    ]


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [
        (None, None),
        (0, None),
        (1, None),
        (None, 0),
        (None, 1),
        (None, -1),
        (0, 0),
        (-9, -8),
        (1, 3),
        (3, 3),
        (-2, 6),
        (2, 2),
    ],
)
def test_date_matches_equal_the_sessions_in_the_period(date_from, date_to):
    """Each activity has one session of ``_around_now``; the bitmaps (and today's sessions
    read in SQL) find exactly the activities the plain session query finds."""
    made = [ActivityFactory(title=f"S{i}", sessions=[span]) for i, span in enumerate(_around_now())]
    today = timezone.localdate()
    query = {}
    if date_from is not None:
        query["date_from"] = (today + dt.timedelta(days=date_from)).isoformat()
    if date_to is not None:
        query["date_to"] = (today + dt.timedelta(days=date_to)).isoformat()
    f = ActivityFilters.parse(query)
    expected = set(reference.filtered(f).values_list("pk", flat=True))
    found = run(f, page_size=100)
    assert {a.pk for a in found.results} == expected
    assert found.count == len(expected)
    if (date_from, date_to) == (None, None):  # upcoming: all but the two that ended
        assert expected == {a.pk for a in made} - {made[0].pk, made[5].pk}


def _stored() -> dict[str, int]:
    """Every stored bitmap that holds someone, as an integer."""
    return store.stored()


def test_bitmaps_after_writes_equal_a_rebuild():
    from stemnet.agenda import services
    from stemnet.agenda.search import activity_reindex

    kept = ActivityFactory(themes=["robotica"], age_min=8, age_max=10, price="3")
    edited = ActivityFactory(themes=["chemie"], price="5")
    cancelled = ActivityFactory(kind="kamp")
    deleted = ActivityFactory(accessibility=["vgt"])
    edited.themes.set([])
    edited.price = 0
    edited.age_min = 12
    edited.save()
    edited.sessions.all().delete()
    edited.sessions.create(starts_at=in_days(20), ends_at=in_days(22))
    activity_reindex([edited.pk])
    services.activity_cancel(activity=cancelled, actor=None, reason="Ziek")
    deleted.delete()  # no reindex: the entry goes by the cascade

    written = _stored()
    store.rebuild()
    assert written == _stored()
    everyone = written[keys.ALL]
    assert set(codec.members(everyone)) == {kept.pk, edited.pk}
    assert set(SearchEntry.objects.values_list("pk", flat=True)) == {kept.pk, edited.pk}
    assert codec.members(written["free"]) == [edited.pk]
    assert codec.members(written["age:12"]) == [edited.pk]
    assert not any(deleted.pk in codec.members(v) for v in written.values())


def test_a_process_sees_the_writes_of_another():
    """Each process keeps the bitmaps it read; a write elsewhere gives the rows new versions,
    which the next search reads."""
    elsewhere = cache.Bitmaps()
    first = ActivityFactory(kind="kamp")
    assert codec.members(elsewhere.sync([("kind:", "kind;")])["kind:kamp"]) == [first.pk]
    second = ActivityFactory(kind="kamp")
    seen = elsewhere.sync([("kind:", "kind;")])
    assert codec.members(seen["kind:kamp"]) == sorted([first.pk, second.pk])


def test_a_process_keeps_its_bitmaps_within_a_bound_in_bytes(settings):
    """The bitmaps kept take at most ``AGENDA_SEARCH_WORD_CACHE_BYTES`` (say); a search
    keeps the ones it reads whatever the bound, the next one drops the least recently
    used (with the views holding them) and reads them again when it needs them."""
    few = cache.Bitmaps(views=4, most_bytes="AGENDA_SEARCH_WORD_CACHE_BYTES")
    made = {kind: ActivityFactory(kind=kind).pk for kind in ("kamp", "reeks", "workshop")}
    ranges = [("kind:", "kind;")]
    settings.AGENDA_SEARCH_WORD_CACHE_BYTES = 1
    for _ in range(2):  # the second time read again
        seen = few.sync(ranges)
        assert {k: codec.members(v) for k, v in seen.items() if v} == {
            f"kind:{kind}": [pk] for kind, pk in made.items()
        }
        assert len(few._cache) == 3  # the search under way keeps its bitmaps
        assert few.size == sum(sys.getsizeof(v) for v in seen.values())
        few.sync([("all", "all")])  # the next search: the kinds' bitmaps go, and their view
        assert list(few._cache) == ["all"] and tuple(ranges) not in few._views
    settings.AGENDA_SEARCH_WORD_CACHE_BYTES = None  # no bound
    few.sync(ranges)
    assert len(few._cache) == 4
    assert few.sync(ranges, most=2) is None  # three keys in the range


def test_key_ranges_hold_exactly_the_keys_with_their_prefix():
    """Searches read bitmaps by key range ("domain:" to "domain;", a word's prefix to the
    prefix and the last character): the keys sort byte by byte on both databases, so each
    range holds exactly the keys that start with its prefix (a language's collation would
    not: it ignores the punctuation)."""
    from django.db import connection

    ActivityFactory(themes=["robotica", "chemie"], title="Robots en robotica bouwen")
    ActivityFactory(kind="kamp", accessibility=["vgt"], title="Programmeer een robot")
    names = list(SearchBitmap.objects.values_list("name", flat=True))
    assert all(n.startswith("1|") for n in names)  # the first generation
    prefixes = ["domain:", "theme:", "access:", "age:", "kind:", "day:", "first:", "last:"]
    if connection.vendor == "postgresql":
        prefixes += ["word:robot", "word:", "wtitle:rob", "wtwice:"]
    for prefix in ("1|" + p for p in prefixes):
        last = prefix[:-1] + ";" if prefix.endswith(":") else prefix + "\U0010ffff"
        found = SearchBitmap.objects.filter(name__gte=prefix, name__lte=last)
        assert sorted(found.values_list("name", flat=True)) == sorted(
            n for n in names if n.startswith(prefix)
        ), prefix
    assert any(n.startswith("1|domain:") for n in names)
    if connection.vendor == "postgresql":
        assert any(n.startswith("1|word:robot") for n in names)
