import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from stemnet.agenda.models import Activity
from stemnet.agenda.search import ActivityFilters, flemish_school_holidays, run, when_range
from stemnet.agenda.tests.factories import ActivityFactory, in_days
from stemnet.organisations.tests.factories import municipality

pytestmark = pytest.mark.django_db


def parse(query: str, *, api: bool = False) -> ActivityFilters:
    return ActivityFilters.parse(QueryDict(query), api=api)


def ids(query: str = "", **kwargs) -> list[int]:
    return [a.pk for a in run(parse(query), **kwargs).results]


def place(nis: str) -> dict:
    m = municipality(nis)
    return {"municipality": m, "lat": m.lat, "lon": m.lon}


MECHELEN, ANTWERPEN, GENT = "12025", "11002", "44021"


# --- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("age=4", "age"),
        ("age=19", "age"),
        ("age=tien", "age"),
        ("age_min=12&age_max=8", "age_max"),
        ("date_from=2026-13-01", "date_from"),
        ("date_from=2026-12-01&date_to=2026-11-01", "date_to"),
        ("kind=circus", "kind"),
        ("domain=alchemie", "domain"),
        ("theme=nope", "theme"),
        ("accessibility=nope", "accessibility"),
        ("province=99999", "province"),
        ("municipality=Mechelen", "municipality"),
        ("postcode=0000", "postcode"),
        ("postcode=2800&radius_km=7", "radius_km"),
        ("radius_km=10", "postcode"),
        ("max_price=-1", "max_price"),
        ("max_price=gratis", "max_price"),
        ("free=misschien", "free"),
        ("sort=random", "sort"),
        ("when=someday", "when"),
    ],
)
def test_invalid_filters_name_the_parameter(query, field):
    with pytest.raises(ValidationError) as exc:
        parse(query)
    assert field in exc.value.message_dict


def test_api_accepts_any_radius_up_to_100_and_needs_postcode_for_distance_sort():
    assert parse("postcode=2800&radius_km=7", api=True).radius_km == 7
    with pytest.raises(ValidationError):
        parse("postcode=2800&radius_km=101", api=True)
    with pytest.raises(ValidationError):
        parse("sort=distance", api=True)


def test_round_trip_to_query():
    f = parse("q=robot&age=10&kind=kamp&kind=workshop&postcode=2800&radius_km=10&free=1")
    again = ActivityFilters.parse(f.to_query())
    assert again == f
    assert not f.is_empty() and ActivityFilters().is_empty()


# --- dates ---------------------------------------------------------------------------------


def test_flemish_school_holidays_2025_2026_match_the_published_calendar():
    h = flemish_school_holidays(2025)
    assert h["herfstvakantie"] == (dt.date(2025, 10, 27), dt.date(2025, 11, 2))
    assert h["kerstvakantie"] == (dt.date(2025, 12, 22), dt.date(2026, 1, 4))
    assert h["krokusvakantie"] == (dt.date(2026, 2, 16), dt.date(2026, 2, 22))
    assert h["paasvakantie"] == (dt.date(2026, 4, 6), dt.date(2026, 4, 19))
    assert h["zomervakantie"] == (dt.date(2026, 7, 1), dt.date(2026, 8, 31))


def test_flemish_school_holidays_rules_for_special_years():
    # 1 November 2026 is a Sunday; Easter 2027 is in March (28 March).
    h = flemish_school_holidays(2026)
    assert h["herfstvakantie"][0] == dt.date(2026, 11, 2)
    assert h["kerstvakantie"][0] == dt.date(2026, 12, 21)
    assert h["krokusvakantie"][0] == dt.date(2027, 2, 8)
    assert h["paasvakantie"][0] == dt.date(2027, 3, 29)
    # 2022: Christmas on a Sunday, Easter 2023 on 9 April.
    h = flemish_school_holidays(2022)
    assert h["kerstvakantie"][0] == dt.date(2022, 12, 26)
    assert h["paasvakantie"][0] == dt.date(2023, 4, 3)


def test_when_presets():
    wednesday = dt.date(2026, 11, 25)
    assert when_range("weekend", wednesday) == (dt.date(2026, 11, 28), dt.date(2026, 11, 29))
    sunday = dt.date(2026, 11, 29)
    assert when_range("weekend", sunday) == (sunday, sunday)
    assert when_range("month", wednesday) == (wednesday, dt.date(2026, 11, 30))
    assert when_range("autumn", wednesday) == (wednesday, dt.date(2026, 12, 20))
    assert when_range("kerstvakantie-2026", wednesday) == (
        dt.date(2026, 12, 21),
        dt.date(2027, 1, 3),
    )
    assert when_range("holiday", wednesday)[0] == dt.date(2026, 12, 21)


# --- filters -------------------------------------------------------------------------------


def test_only_published_upcoming_activities_by_default():
    shown = ActivityFactory()
    ActivityFactory(status=Activity.Status.DRAFT)
    ActivityFactory(status=Activity.Status.ARCHIVED)
    past = ActivityFactory(sessions=[(in_days(-10), in_days(-10, 16))])
    ongoing = ActivityFactory(sessions=[(in_days(-10), in_days(-10, 16)), (in_days(5), in_days(5))])
    assert set(ids()) == {shown.pk, ongoing.pk}
    assert past.pk in ids(f"date_from={in_days(-11).date()}")


def test_age_and_age_range():
    young = ActivityFactory(age_min=6, age_max=9)
    old = ActivityFactory(age_min=12, age_max=16)
    assert ids("age=10") == []
    assert ids("age=9") == [young.pk]
    assert set(ids("age_min=9&age_max=12")) == {young.pk, old.pk}
    assert ids("age_min=10") == [old.pk]
    assert ids("age_max=8") == [young.pk]


def test_date_range_matches_any_session_in_it():
    a = ActivityFactory(sessions=[(in_days(3), in_days(3, 16)), (in_days(30), in_days(30, 16))])
    b = ActivityFactory(sessions=[(in_days(10), in_days(12, 16))])
    d = lambda n: (in_days(n)).date().isoformat()  # noqa: E731
    assert ids(f"date_from={d(4)}&date_to={d(9)}") == []
    assert ids(f"date_from={d(11)}&date_to={d(11)}") == [b.pk]
    assert set(ids(f"date_from={d(1)}&date_to={d(30)}")) == {a.pk, b.pk}
    assert ids(f"date_from={d(20)}") == [a.pk]
    # The next session shown is the first one in the period.
    result = run(parse(f"date_from={d(20)}"))
    assert result.results[0].next_session == in_days(30)


def test_kind_domain_theme_accessibility_province_municipality_source():
    a = ActivityFactory(
        kind="kamp", domains=["science"], themes=["robotica"], accessibility=["vgt"]
    )
    b = ActivityFactory(kind="workshop", domains=["mathematics"], **place(GENT))
    c = ActivityFactory(kind="reeks", source="uit", external_id="x1", **place(ANTWERPEN))
    assert ids("kind=kamp") == [a.pk]
    assert set(ids("kind=kamp&kind=workshop")) == {a.pk, b.pk}
    assert ids("domain=science") == [a.pk]
    assert set(ids("domain=science&domain=mathematics")) == {a.pk, b.pk}
    assert ids("theme=robotica") == [a.pk]
    assert ids("accessibility=vgt") == [a.pk]
    assert ids("province=40000") == [b.pk]
    assert set(ids("province=10000")) == {a.pk, c.pk}
    assert ids(f"municipality={ANTWERPEN}") == [c.pk]
    assert ids("source=uit") == [c.pk]
    assert ids("kind=kamp&domain=mathematics") == []


def test_brussels_counts_as_a_province():
    b = ActivityFactory(postcode="1000", **place("21004"))
    ActivityFactory()
    assert ids("province=04000") == [b.pk]


def test_price_uitpas_places():
    free = ActivityFactory(price=0, places_left=None)
    cheap = ActivityFactory(
        price=Decimal("5"), price_reduced=Decimal("1.25"), capacity=10, places_left=0
    )
    dear = ActivityFactory(price=Decimal("50"), capacity=10, places_left=3)
    assert ids("free=1") == [free.pk]
    assert set(ids("max_price=5")) == {free.pk, cheap.pk}
    assert set(ids("max_price=4,99")) == {free.pk}
    assert ids("uitpas=true") == [cheap.pk]
    assert set(ids("places_left=1")) == {free.pk, dear.pk}


def test_full_text_with_filters_and_relevance():
    a = ActivityFactory(title="Robots bouwen", age_min=8, age_max=12)
    ActivityFactory(title="Robots programmeren", age_min=14, age_max=18)
    ActivityFactory(title="Sterren kijken")
    assert ids("q=robots&age=10") == [a.pk]
    result = run(parse("q=robot"))
    assert result.count == 2 and result.sort == "relevance"


def test_distance_radius_and_sort():
    mechelen = ActivityFactory(**place(MECHELEN))
    antwerpen = ActivityFactory(**place(ANTWERPEN))
    gent = ActivityFactory(**place(GENT))
    assert ids("postcode=2800&radius_km=10") == [mechelen.pk]
    assert set(ids("postcode=2800&radius_km=25")) == {mechelen.pk, antwerpen.pk}
    assert ids("postcode=2800&sort=distance") == [mechelen.pk, antwerpen.pk, gent.pk]
    assert ids("postcode=2000&sort=distance") == [antwerpen.pk, mechelen.pk, gent.pk]
    assert ids("postcode=9000&radius_km=10") == [gent.pk]
    rows = run(parse("postcode=2800&sort=distance")).results
    assert rows[0].distance_km < 5
    assert 15 < rows[1].distance_km < 30
    assert 45 < rows[2].distance_km < 70
    assert run(parse("")).results[0].distance_km is None


def test_pagination():
    made = [ActivityFactory(sessions=[(in_days(i + 1), in_days(i + 1, 16))]) for i in range(5)]
    result = run(parse(""), page=2, page_size=2)
    assert result.count == 5 and result.num_pages == 3
    assert [a.pk for a in result.results] == [made[2].pk, made[3].pk]
    assert result.has_next and result.has_previous
    assert run(parse(""), page=9, page_size=2).results == []


# --- facets --------------------------------------------------------------------------------


def facet(result, name) -> dict[str, int]:
    return {f.value: f.count for f in result.facets[name]}


def test_facet_counts_reflect_the_other_filters():
    ActivityFactory(kind="kamp", domains=["science", "technology"], price=0)
    ActivityFactory(kind="kamp", domains=["science"], price=Decimal("10"), **place(GENT))
    ActivityFactory(kind="workshop", domains=["mathematics"], price=0)
    ActivityFactory(kind="workshop", domains=["technology"], status=Activity.Status.DRAFT)

    result = run(parse(""))
    assert facet(result, "kind") == {
        "kamp": 2, "workshop": 1, "reeks": 0, "eenmalig": 0, "open_atelier": 0,
    }  # fmt: skip
    assert facet(result, "domain") == {
        "science": 2, "technology": 1, "mathematics": 1, "engineering": 0,
    }  # fmt: skip
    assert facet(result, "free") == {"1": 2}
    assert facet(result, "province")["10000"] == 2
    assert facet(result, "province")["40000"] == 1

    # With kind=kamp: the kind facet ignores its own filter, the others apply it.
    result = run(parse("kind=kamp"))
    assert result.count == 2
    assert facet(result, "kind")["kamp"] == 2 and facet(result, "kind")["workshop"] == 1
    assert facet(result, "domain") == {
        "science": 2, "technology": 1, "mathematics": 0, "engineering": 0,
    }  # fmt: skip
    assert facet(result, "free") == {"1": 1}

    # With free=1 and domain=science.
    result = run(parse("free=1&domain=science"))
    assert result.count == 1
    assert facet(result, "free") == {"1": 1}
    assert facet(result, "domain")["science"] == 1
    assert facet(result, "domain")["mathematics"] == 1
    assert facet(result, "kind")["kamp"] == 1 and facet(result, "kind")["workshop"] == 0
    assert [f.value for f in result.facets["domain"] if f.selected] == ["science"]

    # Places: the province facet ignores the province filter, the municipality facet not.
    result = run(parse("province=40000"))
    assert result.count == 1
    assert facet(result, "province")["10000"] == 2 and facet(result, "province")["40000"] == 1
    assert facet(result, "municipality") == {GENT: 1}
    result = run(parse(f"municipality={MECHELEN}&source=own"))
    assert result.count == 2
    assert facet(result, "municipality") == {MECHELEN: 2, GENT: 1}
    assert facet(result, "province")["40000"] == 0
    assert facet(result, "source") == {"own": 2, "uit": 0, "import": 0}
    assert facet(result, "free") == {"1": 2}


def test_query_count_is_fixed(django_assert_max_num_queries):
    for i in range(12):
        ActivityFactory(kind="kamp" if i % 2 else "workshop", themes=["robotica"])
    filters = parse("q=activiteit&age=10&kind=kamp&theme=robotica&postcode=2800&radius_km=25")
    with django_assert_max_num_queries(14):
        result = run(filters, page_size=5)
        [(a.organiser.name, a.municipality.name_nl) for a in result.results]
    assert result.count == 6
