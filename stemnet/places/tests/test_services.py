"""The shipped reference data, loaded by places_load (once per test database, see conftest)."""

import shutil
from collections import Counter

import pytest
from django.db.models import Count, Sum

from stemnet.places.models import BRUSSELS, FLANDERS, Municipality, Postcode, Province, Region
from stemnet.places.services import DATA_DIR, places_load

pytestmark = pytest.mark.django_db

V2019 = Municipality.Vintage.V2019
V2025 = Municipality.Vintage.V2025


def _per_province(vintage: str) -> dict[str, int]:
    rows = (
        Municipality.objects.of_vintage(vintage)
        .flemish()
        .values("province__name_nl")
        .annotate(n=Count("pk"))
    )
    return {r["province__name_nl"]: r["n"] for r in rows}


def test_regions_and_provinces():
    assert set(Region.objects.values_list("nis_code", flat=True)) == {FLANDERS, BRUSSELS}
    assert dict(Province.objects.values_list("name_nl", "nis_code")) == {
        "Antwerpen": "10000",
        "Vlaams-Brabant": "20001",
        "West-Vlaanderen": "30000",
        "Oost-Vlaanderen": "40000",
        "Limburg": "70000",
    }


def test_flemish_municipalities_per_province_2019_2024():
    assert _per_province(V2019) == {
        "Antwerpen": 69,
        "Limburg": 42,
        "Oost-Vlaanderen": 60,
        "Vlaams-Brabant": 65,
        "West-Vlaanderen": 64,
    }
    assert Municipality.objects.of_vintage(V2019).flemish().count() == 300
    assert Municipality.objects.of_vintage(V2019).brussels().count() == 19


def test_flemish_municipalities_per_province_since_2025():
    assert _per_province(V2025) == {
        "Antwerpen": 67,
        "Limburg": 38,
        "Oost-Vlaanderen": 55,
        "Vlaams-Brabant": 63,
        "West-Vlaanderen": 62,
    }
    assert Municipality.objects.current().flemish().count() == 285
    assert Municipality.objects.current().brussels().count() == 19


def test_brussels_municipalities_have_no_province():
    for vintage in (V2019, V2025):
        brussels = Municipality.objects.of_vintage(vintage).brussels()
        assert brussels.count() == 19
        assert not brussels.filter(province__isnull=False).exists()
    assert not Municipality.objects.flemish().filter(province__isnull=True).exists()


def test_every_old_municipality_has_exactly_one_successor_and_every_new_one_is_reached():
    old = Municipality.objects.of_vintage(V2019)
    assert not old.filter(successor__isnull=True).exists()
    assert not old.exclude(successor__vintage=V2025).exists()  # one FK: exactly one, of 2025
    assert not Municipality.objects.current().filter(successor__isnull=False).exists()
    reached = set(old.values_list("successor__nis_code", flat=True))
    assert reached == set(Municipality.objects.current().values_list("nis_code", flat=True))


def test_28_old_municipalities_merged_into_13():
    merged_old = Municipality.objects.of_vintage(V2019).filter(merged_2025=True)
    assert merged_old.count() == 28
    assert Municipality.objects.current().filter(merged_2025=True).count() == 13
    assert set(merged_old.values_list("successor__merged_2025", flat=True)) == {True}
    # Unchanged municipalities keep their code.
    for m in Municipality.objects.of_vintage(V2019).filter(merged_2025=False):
        assert m.successor.nis_code == m.nis_code


@pytest.mark.parametrize(
    ("new_code", "new_name", "old_codes"),
    [
        ("23106", "Pajottegem", {"23023", "23024", "23032"}),  # Galmaarden, Gooik, Herne
        ("11002", "Antwerpen", {"11002", "11007"}),  # + Borsbeek
        ("46030", "Beveren-Kruibeke-Zwijndrecht", {"46003", "46013", "11056"}),
        ("71072", "Hasselt", {"71022", "73040"}),  # + Kortessem
        ("73111", "Tongeren-Borgloon", {"73009", "73083"}),
        ("46029", "Lokeren", {"44045", "46014"}),  # + Moerbeke
    ],
)
def test_merger_mapping_matches_sources(new_code, new_name, old_codes):
    new = Municipality.objects.current().get(nis_code=new_code)
    assert new.name_nl == new_name
    assert set(new.predecessors.values_list("nis_code", flat=True)) == old_codes


def test_zwijndrecht_moved_province():
    old = Municipality.objects.of_vintage(V2019).get(nis_code="11056")
    assert old.province.name_nl == "Antwerpen"
    assert old.successor.province.name_nl == "Oost-Vlaanderen"


def test_population_2020_sums():
    for vintage in (V2019, V2025):
        qs = Municipality.objects.of_vintage(vintage)
        assert qs.flemish().aggregate(s=Sum("population_2020"))["s"] == 6_629_143
        assert qs.brussels().aggregate(s=Sum("population_2020"))["s"] == 1_218_255
    pajottegem = Municipality.objects.current().get(nis_code="23106")
    assert pajottegem.population_2020 == 8836 + 9189 + 6699  # Galmaarden + Gooik + Herne


def test_postcodes_loaded():
    assert Postcode.objects.count() == 1209
    assert Postcode.objects.values("code").distinct().count() == 543
    shared = set(Postcode.objects.filter(shared=True).values_list("code", flat=True))
    assert shared == {"1040", "1050", "1804"}
    assert not Postcode.objects.exclude(municipality__vintage=V2025).exists()
    # Rows without a usable GeoNames point take the municipality centroid.
    for pc in Postcode.objects.filter(point_from_municipality=True).select_related("municipality"):
        assert (pc.lat, pc.lon) == (pc.municipality.lat, pc.municipality.lon)


def test_boundaries_loaded_for_every_municipality():
    assert not Municipality.objects.filter(boundary__isnull=True).exists()
    mechelen = Municipality.objects.current().get(nis_code="12025")
    assert mechelen.boundary["type"] in {"Polygon", "MultiPolygon"}


def _snapshot():
    return (
        Counter(Municipality.objects.values_list("vintage", flat=True)),
        Postcode.objects.count(),
        Province.objects.count(),
        Region.objects.count(),
        sorted(Municipality.objects.values_list("pk", "nis_code", "vintage", "successor_id")),
    )


def test_loading_twice_changes_nothing():
    before = _snapshot()
    result = places_load()
    assert (result.created, result.updated, result.deleted) == (0, 0, 0)
    assert (result.municipalities_2019, result.municipalities_2025, result.postcodes) == (
        319,
        304,
        1209,
    )
    places_load()
    assert _snapshot() == before


def test_loading_restores_values_changed_in_the_database():
    mechelen = Municipality.objects.current().get(nis_code="12025")
    Municipality.objects.filter(pk=mechelen.pk).update(name_nl="Mechel", population_2020=1)
    Postcode.objects.filter(code="2800", locality="Mechelen").update(lat=0, lon=0)
    Postcode.objects.filter(code="2800", locality="Walem").delete()
    result = places_load()
    assert (result.created, result.updated, result.deleted) == (1, 2, 0)
    mechelen.refresh_from_db()
    assert (mechelen.name_nl, mechelen.population_2020) == ("Mechelen", 86921)
    centre = Postcode.objects.get(code="2800", locality="Mechelen")
    assert (centre.lat, centre.lon) == (51.0257, 4.4776)
    walem = Postcode.objects.get(code="2800", locality="Walem")
    assert (walem.lat, walem.lon) == (51.0671, 4.4584)


def test_changed_source_values_update_rows_in_place(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    municipalities = (data / "municipalities.csv").read_text(encoding="utf-8")
    (data / "municipalities.csv").write_text(
        municipalities.replace(
            "12025,Mechelen,Malines,Antwerpen,10000,Vlaams Gewest,02000,51.02866,4.45023,86921,",
            "12025,Mechelen,Malines,Antwerpen,10000,Vlaams Gewest,02000,51.02866,4.45023,86999,",
        ),
        encoding="utf-8",
    )
    postcodes = (data / "postcodes.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    walem = next(line for line in postcodes if line.startswith("2800,Walem,"))
    postcodes.remove(walem)
    postcodes.append(walem.replace("Walem", "Walem-Dorp"))
    (data / "postcodes.csv").write_text("".join(postcodes), encoding="utf-8")
    mechelen_pk = Municipality.objects.current().get(nis_code="12025").pk

    result = places_load(data_dir=data)

    assert (result.created, result.updated, result.deleted) == (1, 1, 1)
    mechelen = Municipality.objects.current().get(nis_code="12025")
    assert (mechelen.pk, mechelen.population_2020) == (mechelen_pk, 86999)
    localities = set(Postcode.objects.filter(code="2800").values_list("locality", flat=True))
    assert localities == {"Mechelen", "Walem-Dorp"}
    assert Postcode.objects.count() == 1209
