"""Text searches on the word bitmaps (PostgreSQL): the bitmaps follow every write, a search
on them finds and orders exactly what the GIN index and the plain page query give, and a
query they cannot answer goes to the index. Also the stored form of every bitmap."""

from unittest import mock

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from stemnet.agenda import search
from stemnet.agenda.models import SearchEntry
from stemnet.agenda.search import (
    ActivityFilters,
    codec,
    fulltext,
    keys,
    order,
    reference,
    run,
    store,
)
from stemnet.agenda.search.text import query_words
from stemnet.agenda.tests.factories import ActivityFactory, in_days


def _words(query: str) -> tuple[str, ...]:
    return tuple(query_words(query))


pytestmark = pytest.mark.django_db


@given(st.sets(st.integers(0, 40_000), max_size=3000))
def test_stored_bitmaps_round_trip_in_the_shorter_form(ids):
    bitmap = codec.from_ids(ids)
    data = codec.encode(bitmap)
    assert codec.decode(data) == bitmap
    dense = len(codec.as_bytes(bitmap))
    assert len(data) <= dense + 1
    if ids:
        assert data[:1] == (b"S" if len(ids) * 4 < dense else b"D")
    else:
        assert data == b""


def test_a_stored_bitmap_of_another_form_is_refused():
    with pytest.raises(ValueError, match="not a stored bitmap"):
        codec.decode(b"\x01\x02")


def _keys(pk: int) -> set[str]:
    return set(SearchEntry.objects.get(pk=pk).bitmap_keys.split())


def _holds(key: str, pk: int) -> bool:
    return pk in codec.members(store.stored().get(key, 0))


def test_word_bitmaps_follow_the_text():
    a = ActivityFactory(title="Robots bouwen", description="We zoeken vulkanen.")
    if connection.vendor != "postgresql":
        # SQLite searches its FTS5 table: no word keys, and no word search.
        assert not any(k.startswith((keys.WORD, keys.TITLE_WORD)) for k in _keys(a.pk))
        assert fulltext.word_match(_words("robots")) is None
        return
    assert {"word:robot", "wtitle:robot", "word:vulkan", "wtitle:bouw"} <= _keys(a.pk)
    assert "wtitle:vulkan" not in _keys(a.pk)
    assert not any(k.startswith(keys.TITLE_TWICE) for k in _keys(a.pk))
    twice = ActivityFactory(title="Robots, robots en nog eens robots", description="Ja.")
    assert {"wtitle:robot", "wtwice:robot"} <= _keys(twice.pk)
    assert "wtwice:eens" not in _keys(twice.pk)
    assert _holds("word:vulkan", a.pk) and _holds("wtitle:robot", a.pk)
    a.description = "We kijken naar sterren."
    a.save()
    search.activity_reindex([a.pk])
    assert not _holds("word:vulkan", a.pk)
    assert _holds("word:sterr", a.pk)
    a.delete()
    assert not _holds("word:sterr", a.pk) and not _holds("wtitle:robot", a.pk)


@pytest.fixture
def texts():
    """Activities whose titles rank differently for "robot", titles of stop words only
    (an empty title vector ranks lowest of all), and two words to AND."""
    titles = [
        "Robots, robots en nog eens robots",
        "Robot bouwen",
        "Robotica voor beginners",
        "En dan?",  # only stop words
        "Over de brug",
        "Bouwen met lego",
        "Programmeer je robot",
        "Zonnepanelen",
        "Robotica met robots",  # two lexemes of "robo" (and of "robot")
    ]
    made = []
    for i in range(24):
        made.append(
            ActivityFactory(
                title=titles[i % len(titles)],
                description=("Wij bouwen een robot." if i % 3 else "Wij bouwen bruggen.")
                + (" Met sensoren." if i % 4 == 0 else ""),
                sessions=[(in_days(2 + i % 5, 10 + i % 3), in_days(2 + i % 5, 16))],
            )
        )
    return made


@pytest.mark.parametrize("q", ["robot", "robo", "bouwen robot", "bouw sens", "robots en bouwen"])
@pytest.mark.parametrize("extra", [{}, {"age": "10"}])
def test_word_searches_equal_the_index_and_the_plain_page(texts, q, extra):
    f = ActivityFilters.parse({"q": q, **extra})
    expected = order.page_ids(reference.filtered(f), f, offset=0, limit=100)
    assert expected, q
    words = fulltext.word_match(_words(q))
    if connection.vendor == "postgresql":
        assert words is not None  # the word bitmaps answer these
    pages = {}
    for most in (fulltext.MOST_WORD_KEYS, 0):  # 0: every query goes to the GIN index
        with mock.patch.object(fulltext, "MOST_WORD_KEYS", most):
            pages[most] = [
                [a.pk for a in run(f, page=n, page_size=size).results]
                for n, size in ((1, 100), (1, 2), (2, 3), (3, 3), (2, 7))
            ]
            if most == 0:
                assert fulltext.word_match(_words(q)) is None
    for found in pages.values():
        assert found[0] == expected
        assert found[1:] == [expected[0:2], expected[3:6], expected[6:9], expected[7:14]]


def test_relevance_ranks_titles_then_dates_then_ids(texts):
    f = ActivityFilters.parse({"q": "robot"})
    found = run(f, page_size=100).results
    if connection.vendor != "postgresql":
        # SQLite ranks with bm25 over the whole text: the plain page query's order.
        assert [a.pk for a in found] == order.page_ids(
            reference.filtered(f), f, offset=0, limit=100
        )
        return
    titles = [a.title for a in found]
    with_word = [t for t in titles if "obot" in t]
    # Every title with the word first: two words starting with it (ts_rank adds up the
    # lexemes: 2 × 0.061), then one said three times (0.061 × (1 + 1/4 + 1/9)), then once.
    assert titles[: len(with_word)] == with_word
    assert with_word[:5] == ["Robotica met robots"] * 2 + ["Robots, robots en nog eens robots"] * 3
    assert len(with_word) > 5


def test_a_query_the_bitmaps_cannot_answer_goes_to_the_index():
    if connection.vendor != "postgresql":
        assert fulltext.word_match(_words("robot")) is None
        return
    assert fulltext.pg_terms("'robots' & 'bouw':*") == (("robot", False), ("bouw", True))
    assert fulltext.pg_terms("'robots' | 'bouw'") is None  # not an AND of lexemes
    ActivityFactory(title="Robots", description="Robots bouwen")
    with mock.patch.object(fulltext, "MOST_WORD_KEYS", 0):
        assert fulltext.word_match(_words("robot")) is None
    assert fulltext.word_match(_words("robot")) is not None
