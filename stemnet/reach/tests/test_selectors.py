"""The figures, reproduced from the imported history file (see data/make_history_2020.py)."""

import csv

import pytest

from stemnet.agenda.models import Activity
from stemnet.places.models import Municipality, PopulationCount
from stemnet.places.selectors import Point, distance_km
from stemnet.reach import selectors, services
from stemnet.reach.models import Participation
from stemnet.reach.tests.factories import (
    HISTORY_CSV,
    ParticipationFactory,
    held_activity,
    municipality_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    result = services.reach_history_import(file=str(HISTORY_CSV), actor=None)
    assert result.ok, result.errors
    return result


def test_2020_reproduces_vlaio_figures(history):
    assert history.created == 228 + 182 + 200
    summary = selectors.reach_summary(year=2020)
    assert summary["vintage"] == "2019"
    assert summary["municipalities"]["reached"] == 221
    assert summary["municipalities"]["total"] == 300
    assert summary["municipalities"]["by_province"] == [
        {"province": "Antwerpen", "reached": 41, "total": 69},
        {"province": "Limburg", "reached": 24, "total": 42},
        {"province": "Oost-Vlaanderen", "reached": 56, "total": 60},
        {"province": "Vlaams-Brabant", "reached": 36, "total": 65},
        {"province": "West-Vlaanderen", "reached": 64, "total": 64},
    ]
    # Brussels rows are rows 225-227; row 226 is a series.
    assert summary["brussels"] == {"reached": 3, "series_reached": 1, "total": 19}
    assert summary["participants"] == 12_500
    assert summary["girls"] == 5_680
    assert summary["girls_share"] == 0.4544
    assert summary["gender_unknown"] == 12_500 - 5_680
    assert summary["activities"] == 228
    assert summary["uitpas"] == 456
    # Every other row is a series: rows 0, 2, ... of 228 = 114.
    assert summary["series"] == 114


def test_2019_series_and_2025_on_285(history):
    s2019 = selectors.reach_summary(year=2019)
    assert s2019["series_municipalities"]["reached"] == 162
    assert s2019["series_municipalities"]["total"] == 300
    assert s2019["municipalities"]["reached"] == 182
    assert s2019["participants"] == 162 * 40 + 20 * 30
    rows = selectors.municipalities_reached(year=2019, series_only=True)
    assert len(rows) == 319
    assert sum(r["reached"] for r in rows) == 162

    s2025 = selectors.reach_summary(year=2025)
    assert s2025["vintage"] == "2025"
    assert s2025["municipalities"]["total"] == 285
    assert s2025["municipalities"]["reached"] == 200
    assert sum(p["total"] for p in s2025["municipalities"]["by_province"]) == 285
    assert s2025["participants"] == 6_000
    assert s2025["brussels"] == {"reached": 0, "series_reached": 0, "total": 19}

    # 2020 still says 221 of 300 after the 2025 rows exist.
    assert selectors.reach_summary(year=2020)["municipalities"]["total"] == 300


def test_filters_province_organisation_kind(history):
    antwerp = selectors.reach_summary(year=2020, province="Antwerpen")
    assert antwerp["municipalities"] == {
        "reached": 41,
        "total": 69,
        "by_province": [{"province": "Antwerpen", "reached": 41, "total": 69}],
    }
    # 41 + 4 second activities in Antwerp municipalities (the first four are there).
    assert antwerp["activities"] == 45
    assert antwerp["brussels"]["total"] == 0
    assert selectors.reach_summary(year=2020, province="70000")["municipalities"]["reached"] == 24
    limburg = selectors.reach_summary(year=2020, organisation="stem-academie-limburg")
    assert limburg["municipalities"]["reached"] == 24
    assert limburg["participants"] == 24 * 55
    series = selectors.reach_summary(year=2020, kind="reeks")
    assert series["activities"] == 114
    unknown = selectors.reach_summary(year=2020, organisation="no-such-academy")
    assert unknown["participants"] == 0
    coverage = selectors.coverage_by_province(year=2020)
    assert [c["province"] for c in coverage][-1] == "Brussel"
    assert coverage[-1]["reached"] == 3
    assert coverage[0]["share"] == round(41 / 69, 4)


def test_breakdowns(history):
    gender = {
        r["key"]: r["participants"]
        for r in selectors.participants_breakdown(year=2020, by="gender")
    }
    assert gender == {"girl": 5_680, "boy": 0, "x": 0, "unknown": 6_820}
    groups = {
        r["key"]: r["participants"]
        for r in selectors.participants_breakdown(year=2020, by="target_group")
    }
    assert groups == {"uitpas": 456, "unknown": 12_500 - 456}
    kinds = {
        r["key"]: r["participants"] for r in selectors.participants_breakdown(year=2019, by="kind")
    }
    assert kinds["reeks"] == 162 * 40
    assert kinds["kamp"] == 20 * 30
    ages = {
        r["key"]: r["participants"]
        for r in selectors.participants_breakdown(year=2020, by="age_band")
    }
    assert ages["unknown"] == 12_500  # history rows carry no age breakdown
    themes = {
        r["key"]: r["participants"] for r in selectors.participants_breakdown(year=2020, by="theme")
    }
    assert themes == {"none": 12_500}
    with pytest.raises(ValueError):
        selectors.participants_breakdown(year=2020, by="shoe_size")


def test_trend_counts_each_year_on_its_own_municipalities(history):
    rows = selectors.trend(years=[2025, 2019, 2020])
    assert [(r["year"], r["reached"], r["total"]) for r in rows] == [
        (2019, 182, 300),
        (2020, 221, 300),
        (2025, 200, 285),
    ]
    assert rows[0]["series_reached"] == 162


def _expected_2025_reached_from_2020() -> set[str]:
    """Hand count from the files: 2025 codes of the 2019 municipalities reached in 2020."""
    import pathlib

    places = pathlib.Path(HISTORY_CSV).parents[3] / "places" / "data" / "municipalities_2019.csv"
    with open(places, encoding="utf-8") as handle:
        successor = {r["nis_code"]: r["nis_code_2025"] for r in csv.DictReader(handle)}
    with open(HISTORY_CSV) as handle:
        reached = {r["municipality_nis"] for r in csv.DictReader(handle) if r["year"] == "2020"}
    return {successor[c] for c in reached if not c.startswith("21")}


def test_comparison_across_mergers(history):
    result = selectors.comparison_across_mergers(year_a=2020, year_b=2025)
    assert result["mapped"] is True
    assert "2025" in result["note"]
    assert result["total"] == 285
    assert result["reached_a"] == len(_expected_2025_reached_from_2020())
    assert result["reached_a"] < 221  # mergers fold reached municipalities together
    assert result["reached_b"] == 200
    antwerpen = next(r for r in result["rows"] if r["nis_code"] == "11002")
    assert antwerpen["reached_a"] is True
    # Antwerpen had two activities (55 each) and Borsbeek one in 2020.
    assert antwerpen["participants_a"] == 3 * 55
    assert {f["nis_code"] for f in antwerpen["former"]} == {"11002", "11007"}
    assert all(f["reached_a"] for f in antwerpen["former"])
    same = selectors.comparison_across_mergers(year_a=2025, year_b=2025)
    assert same["mapped"] is False


def test_white_spots_distance_hand_checked(db):
    # 2020: only Mechelen (12025) has an offer; Bonheiden (12005) is a white spot, and its
    # nearest offer is Mechelen at the distance between their centroids.
    ParticipationFactory(year=2020, age_min=8, age_max=12)
    spots = selectors.white_spots(year=2020)
    assert len(spots) == 319 - 1
    bonheiden = next(s for s in spots if s["nis_code"] == "12005")
    a, b = municipality_of("12005"), municipality_of("12025")
    expected = distance_km(Point(a.lat, a.lon), Point(b.lat, b.lon))
    assert bonheiden["nearest_nis_code"] == "12025"
    assert bonheiden["distance_km"] == round(expected, 1)
    assert 3 < bonheiden["distance_km"] < 10
    # For 16-18 year olds there is no offer anywhere: every municipality, no distance.
    teen = selectors.white_spots(year=2020, age_band="16-18")
    assert len(teen) == 319
    assert teen[0]["distance_km"] is None
    # Province limits the listed spots.
    assert {s["province"] for s in selectors.white_spots(year=2020, province="Limburg")} == {
        "Limburg"
    }


def test_population_share_none_until_loaded(db):
    ParticipationFactory(year=2020, participants=100, girls=40)
    rows = {r["nis_code"]: r for r in selectors.population_share(year=2020)}
    mechelen = rows["12025"]
    assert mechelen["participants"] == 100
    assert mechelen["population_5_18"] is None
    assert mechelen["share"] is None
    assert mechelen["population_2020_all_ages"] > 80_000  # all ages, labelled as such
    # Load (invented) Statbel counts for Mechelen only: its share appears, others stay None.
    m = municipality_of("12025")
    PopulationCount.objects.bulk_create(
        [
            PopulationCount(municipality=m, year=2020, age=a, sex="F", count=500)
            for a in range(0, 30)
        ]
    )
    rows = {r["nis_code"]: r for r in selectors.population_share(year=2020)}
    assert rows["12025"]["population_5_18"] == 14 * 500
    assert rows["12025"]["share"] == round(100 / 7000, 4)
    assert rows["12005"]["share"] is None


def test_agenda_activities_count_when_held(db):
    """A held agenda activity reaches its municipality even without recorded participation;
    before 2025 it is counted on the former municipality (Borsbeek by its postcode)."""
    antwerpen = Municipality.objects.current().get(nis_code="11002")
    held_activity(
        year=2024,
        municipality=antwerpen,
        postcode="2150",
        kind=Activity.Kind.SERIES,
    )
    held_activity(year=2024, status=Activity.Status.DRAFT)  # drafts never count
    held_activity(year=2024, status=Activity.Status.CANCELLED)
    rows = {r["nis_code"]: r for r in selectors.municipalities_reached(year=2024)}
    assert rows["11007"]["reached"] is True  # Borsbeek, 2019-2024 set
    assert rows["11007"]["series"] == 1
    assert rows["11002"]["reached"] is False
    assert rows["12025"]["reached"] is False
    summary = selectors.reach_summary(year=2024)
    assert summary["municipalities"]["reached"] == 1
    assert summary["activities"] == 1
    assert summary["participants"] == 0
    # In 2025 it would count on Antwerpen itself.
    held_activity(year=2025, municipality=antwerpen, postcode="2150")
    rows = {r["nis_code"]: r for r in selectors.municipalities_reached(year=2025)}
    assert rows["11002"]["reached"] is True
    assert "11007" not in rows


def test_region_view_and_school_reach(db):
    from stemnet.organisations.models import Organisation
    from stemnet.organisations.tests.factories import (
        OrganisationFactory,
        PartnershipMemberFactory,
    )
    from stemnet.reach.models import SchoolReach

    partnership = OrganisationFactory(name="STEM-Neteland", type=Organisation.Type.PARTNERSHIP)
    academy = OrganisationFactory(name="Academie Nete")
    school = OrganisationFactory(name="School Nete", type=Organisation.Type.SCHOOL)
    other_school = OrganisationFactory(name="Andere school", type=Organisation.Type.SCHOOL)
    PartnershipMemberFactory(partnership=partnership, member=academy, role="academy")
    PartnershipMemberFactory(partnership=partnership, member=school, role="school")
    herentals = Municipality.objects.current().get(nis_code="13011")
    academy.municipalities_served.add(herentals)
    ParticipationFactory(
        organisation=academy,
        year=2020,
        municipality=municipality_of("13011"),
    )
    ParticipationFactory(year=2020)  # another academy in Mechelen
    SchoolReach.objects.create(organisation=school, year=2020, pupils_total=400, pupils_reached=290)
    SchoolReach.objects.create(
        organisation=other_school, year=2020, pupils_total=100, pupils_reached=10
    )
    view = selectors.region_view(partnership=partnership, year=2020)
    assert [m["nis_code"] for m in view["municipalities"]] == ["13011"]
    assert [a["name"] for a in view["academies"]] == ["Academie Nete"]
    assert view["summary"]["municipalities"]["reached"] == 1
    assert view["reached"] == ["13011"]
    reach = selectors.school_reach(year=2020, partnership=partnership)
    assert reach["pupils_total"] == 400
    assert reach["share"] == 0.725  # "more than 70% of all pupils"
    assert selectors.school_reach(year=2020)["pupils_total"] == 500


def test_participations_list_filters(history):
    assert selectors.participations(year=2020, province="Limburg").count() == 24
    assert Participation.objects.filter(year=2020, source="history").count() == 228


def test_dashboard_matches_the_separate_selectors(history):
    years = [2019, 2020, 2025]
    board = selectors.dashboard(year=2020, years=years, age_band="9-12")
    assert board["summary"] == selectors.reach_summary(year=2020)
    assert board["municipalities"] == selectors.municipalities_reached(year=2020)
    assert board["provinces"] == selectors.coverage_by_province(year=2020)
    assert board["population"] == selectors.population_share(year=2020)
    assert board["trend"] == selectors.trend(years=years)
    assert board["white_spots"] == selectors.white_spots(year=2020, age_band="9-12")
    for by in selectors.BREAKDOWNS:
        assert board["breakdowns"][by] == selectors.participants_breakdown(year=2020, by=by)
    antwerp = selectors.dashboard(year=2020, province="Antwerpen")
    assert antwerp["summary"]["municipalities"]["reached"] == 41
    assert len(antwerp["white_spots"]) == 69 - 41


def test_theme_filter_and_held_activities_counted_each(db):
    from stemnet.organisations.tests.factories import OrganisationFactory

    academy = OrganisationFactory()
    robots = held_activity(year=2025, organiser=academy, themes=["robotica"])
    held_activity(year=2025, organiser=academy, themes=["robotica", "programmeren"])
    held_activity(year=2025, organiser=academy)
    user = __import__("stemnet.reach.tests.factories", fromlist=["coordinator_of"]).coordinator_of(
        academy
    )
    services.participation_record(activity=robots, actor=user, rows=[{"participants": 7}])
    summary = selectors.reach_summary(year=2025)
    assert summary["activities"] == 3  # two held without numbers, same place and kind
    assert summary["participants"] == 7
    themed = selectors.reach_summary(year=2025, theme="robotica")
    assert themed["activities"] == 2 and themed["participants"] == 7
    assert selectors.reach_summary(year=2025, theme="programmeren")["participants"] == 0
    themes = {
        r["key"]: r["participants"] for r in selectors.participants_breakdown(year=2025, by="theme")
    }
    assert themes == {"robotica": 7, "none": 0}
    assert 2025 in selectors.reach_years()


def test_dashboard_white_spots_with_province_use_offer_across_the_border(db):
    # Offer only in Mechelen (Antwerpen); Vlaams-Brabant's spots still get a nearest offer.
    ParticipationFactory(year=2020)
    board = selectors.dashboard(year=2020, province="Vlaams-Brabant")
    alone = selectors.white_spots(year=2020, province="Vlaams-Brabant")
    assert board["white_spots"] == alone
    assert len(alone) == 65 and all(s["nearest_nis_code"] == "12025" for s in alone)
