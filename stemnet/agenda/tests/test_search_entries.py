"""The search index: entries and bitmaps follow every write, terms get bits, the facet counts
of a search equal counts made by hand in Python over the activities, and its matches and
pages equal what the plain SQL of each filter gives (``_filtered``, ``_page_ids``)."""

import datetime as dt
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stemnet.agenda import search, services
from stemnet.agenda.models import Activity, Domain, SearchEntry, Theme
from stemnet.agenda.search import ActivityFilters, order, reference, run
from stemnet.agenda.tests.factories import ActivityFactory, in_days
from stemnet.organisations.tests.factories import municipality

pytestmark = pytest.mark.django_db


def test_only_published_activities_with_sessions_have_an_entry():
    published = ActivityFactory()
    draft = ActivityFactory(status=Activity.Status.DRAFT)
    no_sessions = ActivityFactory(sessions=[])
    indexed = set(SearchEntry.objects.values_list("pk", flat=True))
    assert published.pk in indexed
    assert draft.pk not in indexed
    assert no_sessions.pk not in indexed


def test_entry_follows_cancel_and_edit():
    activity = ActivityFactory(themes=["robotica"], price="5", price_reduced="1")
    entry = SearchEntry.objects.get(pk=activity.pk)
    assert entry.theme_bits == 1 << Theme.objects.get(slug="robotica").bit
    assert (entry.free, entry.uitpas, entry.price_cents) == (False, True, 500)
    activity.themes.set([Theme.objects.get(slug="programmeren")])
    activity.price = Decimal(0)
    activity.save()
    search.activity_reindex([activity.pk])
    entry.refresh_from_db()
    assert entry.theme_bits == 1 << Theme.objects.get(slug="programmeren").bit
    assert entry.free
    services.activity_cancel(activity=activity, actor=None, reason="Ziek")
    assert not SearchEntry.objects.filter(pk=activity.pk).exists()


def test_terms_get_distinct_bits_and_the_index_has_a_limit():
    bits = list(Theme.objects.values_list("bit", flat=True))
    assert None not in bits and len(set(bits)) == len(bits)
    new = Theme.objects.create(slug="nieuw", name_nl="Nieuw", name_en="New")
    assert new.bit is not None and new.bit not in bits
    for i in range(Domain.max_terms - Domain.objects.count()):
        Domain.objects.create(slug=f"d{i}", name_nl=f"D{i}", name_en=f"D{i}")
    with pytest.raises(ValidationError, match="hoogstens 8"):
        Domain.objects.create(slug="one-too-many", name_nl="X", name_en="X")


def test_a_reused_bit_does_not_tag_activities_of_the_deleted_term():
    old = Theme.objects.create(slug="oud", name_nl="Oud", name_en="Old")
    activity = ActivityFactory(themes=[old])
    assert SearchEntry.objects.get(pk=activity.pk).theme_bits & (1 << old.bit)
    freed = old.bit
    old.delete()  # the activity's link goes with it, its entry still has the bit
    new = Theme.objects.create(slug="nieuw-thema", name_nl="Nieuw", name_en="New")
    assert new.bit == freed
    assert not SearchEntry.objects.get(pk=activity.pk).theme_bits & (1 << freed)
    result = run(ActivityFilters.parse({"theme": "nieuw-thema"}))
    assert activity.pk not in {a.pk for a in result.results}


# --- facet counts against counting by hand ------------------------------------------------

THEMES = ["robotica", "programmeren", "chemie"]
DOMAINS = ["science", "technology", "mathematics"]
FEATURES = ["rolstoeltoegankelijk", "vgt"]
PLACES = ["12025", "44021", "21004"]  # Mechelen, Gent, Brussel
# A word of each corpus description (none of them occurs in any other field of the corpus).
WORDS = ["sterren", "vulkanen", "bijen"]


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """24 activities varying every faceted property, made once for the module."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            sid = transaction.savepoint()
            made = []
            for i in range(24):
                place = municipality(PLACES[i % 3])
                made.append(
                    ActivityFactory(
                        # Some titles carry the word too: relevance ranks them first.
                        title=f"Corpus {i}" + (f" {WORDS[i % 3]}" if i % 5 == 0 else ""),
                        description=f"Samen {WORDS[i % 3]} onderzoeken"
                        + (f" en {WORDS[(i + 1) % 3]}." if i % 4 == 3 else "."),
                        kind=Activity.Kind.values[i % 5],
                        source=Activity.Source.values[(i // 5) % 2],
                        domains=[DOMAINS[i % 3], DOMAINS[(i // 3) % 3]],
                        themes=[THEMES[j] for j in range(3) if (i >> j) & 1],
                        accessibility=[FEATURES[j] for j in range(2) if (i >> (j + 1)) & 1],
                        municipality=place,
                        lat=place.lat,
                        lon=place.lon,
                        price=0 if i % 4 == 0 else 10,
                        price_reduced=None if i % 3 else 2,
                        capacity=10,
                        places_left=0 if i % 7 == 0 else 3,
                        age_min=5 + i % 6,
                        age_max=12 + i % 6,
                        sessions=[(in_days(2 + i), in_days(2 + i, 16))],
                    )
                )
            yield list(
                Activity.objects.filter(pk__in=[a.pk for a in made])
                .select_related("municipality")
                .prefetch_related("domains", "themes", "accessibility")
            )
            transaction.savepoint_rollback(sid)


def _matches(activity, f: ActivityFilters, skip: str = "") -> bool:
    """Does ``activity`` pass every filter of ``f`` except ``skip``? Plain Python."""
    nis = activity.municipality.nis_code
    province = activity.municipality.province_id or "04000"
    checks = {
        "kind": not f.kind or activity.kind in f.kind,
        "source": not f.source or activity.source in f.source,
        "domain": not f.domain or bool({d.slug for d in activity.domains.all()} & set(f.domain)),
        "theme": not f.theme or bool({t.slug for t in activity.themes.all()} & set(f.theme)),
        "accessibility": not f.accessibility
        or bool({a.slug for a in activity.accessibility.all()} & set(f.accessibility)),
        "province": not f.province or province in f.province,
        "municipality": not f.municipality or nis in f.municipality,
        "free": not f.free or activity.price == 0,
        "uitpas": not f.uitpas or activity.price_reduced is not None,
        "places_left": not f.places_left or activity.places_left != 0,
        "age": f.age is None or activity.age_min <= f.age <= activity.age_max,
        "q": _has_words(f"{activity.title} {activity.description}", f.q),
    }
    return all(ok for name, ok in checks.items() if name != skip)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.lists(st.sampled_from(Activity.Kind.values), max_size=2),
    theme=st.lists(st.sampled_from(THEMES), max_size=2),
    domain=st.lists(st.sampled_from(DOMAINS), max_size=1),
    accessibility=st.lists(st.sampled_from(FEATURES), max_size=1),
    municipality=st.lists(st.sampled_from(PLACES), max_size=1),
    province=st.lists(st.sampled_from(["10000", "40000", "04000"]), max_size=1),
    flags=st.sets(st.sampled_from(["free", "uitpas", "places_left"])),
    age=st.one_of(st.none(), st.integers(5, 18)),
    q=st.sampled_from(["", "sterren", "ster", "vulkanen bijen", "bijen sterr"]),
    sort=st.sampled_from(["", "date", "relevance", "distance"]),
    listed=st.sampled_from([order.LISTED, 0]),
)
def test_facets_equal_counting_by_hand(
    corpus, kind, theme, domain, accessibility, municipality, province, flags, age, q, sort, listed
):
    query = QueryDict(mutable=True)
    for name, values in (
        ("kind", kind),
        ("theme", theme),
        ("domain", domain),
        ("accessibility", accessibility),
        ("municipality", municipality),
        ("province", province),
    ):
        query.setlist(name, values)
    for flag in flags:
        query[flag] = "1"
    if age is not None:
        query["age"] = str(age)
    query.update({"q": q, "sort": sort, "postcode": "2800" if sort == "distance" else ""})
    f = ActivityFilters.parse(query)
    # ``listed`` 0: pages as for many matches (walked in order, or by the days' bitmaps).
    with mock.patch.object(order, "LISTED", listed):
        result = run(f, page_size=100)
        later = run(f, page=2, page_size=3)

    assert {a.pk for a in result.results} == {a.pk for a in corpus if _matches(a, f)}
    assert result.count == len(result.results)
    # The order of the page: as the plain page query over the rows gives it.
    expected = order.page_ids(reference.filtered(f), f, offset=0, limit=100)
    assert [a.pk for a in result.results] == expected
    assert [a.pk for a in later.results] == expected[3:6]
    for facet, values in result.facets.items():
        for value in values:
            expected = [
                a for a in corpus if _matches(a, f, skip=facet) and _has(a, facet, value.value)
            ]
            assert value.count == len(expected), (facet, value.value, f)


def _has_words(text: str, query: str) -> bool:
    """Every word of ``query`` is a word of ``text``; the last one may be a word's start."""
    words = re.findall(r"\w+", text.lower())
    *whole, last = query.split() or [""]
    return all(w in words for w in whole) and any(w.startswith(last) for w in words)


def _has(activity, facet: str, value: str) -> bool:
    if facet in ("kind", "source"):
        return getattr(activity, facet) == value
    if facet in ("domain", "theme", "accessibility"):
        attr = {"domain": "domains", "theme": "themes"}.get(facet, facet)
        return value in {t.slug for t in getattr(activity, attr).all()}
    if facet == "province":
        return (activity.municipality.province_id or "04000") == value
    if facet == "municipality":
        return activity.municipality.nis_code == value
    if facet == "free":
        return activity.price == 0
    if facet == "uitpas":
        return activity.price_reduced is not None
    if facet == "places_left":
        return activity.places_left != 0
    raise AssertionError(facet)


def test_date_filter_uses_sessions_in_the_period(corpus):
    day = (in_days(5)).date()
    f = ActivityFilters.parse({"date_from": day.isoformat(), "date_to": day.isoformat()})
    result = run(f)
    assert [a.title for a in result.results] == ["Corpus 3"]
    assert result.facets["kind"][Activity.Kind.values.index(corpus[3].kind)].count == 1
    assert dt.date.today() <= day


@pytest.mark.parametrize(
    ("q", "sort"),
    [("sterren", ""), ("ster", "date"), ("bijen", "distance"), ("vulkanen", "relevance")],
)
def test_text_search_pages_come_in_the_plain_page_order(corpus, q, sort):
    """A text search orders the rows of its one text query itself: as the plain query does."""
    f = ActivityFilters.parse({"q": q, "sort": sort, "postcode": "2800" if sort else ""})
    expected = order.page_ids(reference.filtered(f), f, offset=0, limit=100)
    assert len(expected) >= 6
    assert [a.pk for a in run(f, page_size=100).results] == expected
    assert [a.pk for a in run(f, page=2, page_size=3).results] == expected[3:6]


@pytest.mark.parametrize("sort", ["distance", "relevance", "date"])
@pytest.mark.parametrize("q", ["", "ster"])
def test_searches_within_a_distance_page_as_the_plain_query(corpus, q, sort):
    """Distance first, then text, then (by distance with text) the distances of the final
    matches only: the same matches and order as the plain query."""
    f = ActivityFilters.parse({"q": q, "sort": sort, "postcode": "2800", "radius_km": "25"})
    expected = order.page_ids(reference.filtered(f), f, offset=0, limit=100)
    assert 4 <= len(expected) < len(corpus)
    assert [a.pk for a in run(f, page_size=100).results] == expected
    assert [a.pk for a in run(f, page=2, page_size=3).results] == expected[3:6]


@pytest.mark.parametrize("extra", [{"free": "1"}, {"kind": ["kamp", "reeks"]}, {"uitpas": "1"}])
def test_by_distance_with_facet_filters_pages_as_the_plain_query(corpus, extra):
    """The page by distance comes from the rows within the radius that pass every filter,
    the faceted ones too (which the distance step itself does not apply)."""
    query = QueryDict(mutable=True)
    query.update({"sort": "distance", "postcode": "2800", "radius_km": "25"})
    for name, value in extra.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    f = ActivityFilters.parse(query)
    expected = order.page_ids(reference.filtered(f), f, offset=0, limit=100)
    assert 3 <= len(expected) < 16
    assert [a.pk for a in run(f, page_size=100).results] == expected
    assert [a.pk for a in run(f, page=2, page_size=2).results] == expected[2:4]


def test_relevance_puts_title_matches_first(corpus):
    titles = [a.title for a in run(ActivityFilters.parse({"q": "sterren"})).results]
    assert titles[:2] == ["Corpus 0 sterren", "Corpus 15 sterren"]
    assert not any(t.endswith("sterren") for t in titles[2:])
