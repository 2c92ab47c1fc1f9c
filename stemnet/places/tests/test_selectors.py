import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stemnet.places.models import Municipality
from stemnet.places.selectors import (
    Point,
    distance_km,
    municipalities_for_postcode,
    municipalities_valid_on,
    municipalities_within,
    municipality_for_postcode,
    municipality_get,
    municipality_list,
    point_for_postcode,
    postcode_exists,
    postcode_localities,
)

MECHELEN_CENTROID = Point(51.02866, 4.45023)  # municipalities.csv, 12025
ANTWERPEN_CENTROID = Point(51.25942, 4.3718)  # municipalities.csv, 11002 (2025)


def _names(municipalities):
    return [(m.nis_code, m.name_nl) for m in municipalities]


@pytest.mark.django_db
def test_2800_is_mechelen_with_mechelen_and_walem():
    assert _names(municipalities_for_postcode("2800")) == [("12025", "Mechelen")]
    assert municipality_for_postcode(" 2800 ").nis_code == "12025"
    assert postcode_localities("2800") == ["Mechelen", "Walem"]
    assert postcode_exists("2800")
    # The point is the mean of the two GeoNames points (Mechelen 51.0257/4.4776, Walem
    # 51.0671/4.4584).
    point = point_for_postcode("2800")
    assert point.lat == pytest.approx(51.0464)
    assert point.lon == pytest.approx(4.468)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("1040", [("21004", "Brussel"), ("21005", "Etterbeek")]),
        ("1050", [("21004", "Brussel"), ("21009", "Elsene")]),
        ("1804", [("23088", "Vilvoorde"), ("23096", "Zemst")]),
    ],
)
def test_postcodes_shared_by_two_municipalities(code, expected):
    assert _names(municipalities_for_postcode(code)) == expected
    assert municipality_for_postcode(code).nis_code == expected[0][0]


@pytest.mark.django_db
def test_unknown_postcode():
    assert municipalities_for_postcode("9999") == []
    assert municipality_for_postcode("5000") is None  # Namur: Wallonia is out of scope
    assert point_for_postcode("9999") is None
    assert not postcode_exists("9999")


@pytest.mark.django_db
def test_borsbeek_is_antwerpen_now_and_borsbeek_before_2025():
    assert _names(municipalities_for_postcode("2150")) == [("11002", "Antwerpen")]
    borsbeek = municipality_get("11007", on=dt.date(2020, 6, 1))
    assert borsbeek.name_nl == "Borsbeek"
    assert borsbeek.vintage == Municipality.Vintage.V2019
    assert borsbeek.successor.nis_code == "11002"
    assert borsbeek.successor.name_nl == "Antwerpen"
    assert municipality_get("11007", on=dt.date(2025, 6, 1)) is None
    assert municipality_get("11007", on=dt.date(2024, 12, 31)).name_nl == "Borsbeek"
    assert municipality_get("23106", on=dt.date(2024, 12, 31)) is None  # Pajottegem
    assert municipality_get("23106", on=dt.date(2025, 1, 1)).name_nl == "Pajottegem"
    assert municipality_get("23106").name_nl == "Pajottegem"  # today


@pytest.mark.django_db
def test_municipalities_valid_on():
    assert municipalities_valid_on(dt.date(2020, 1, 1)).count() == 319
    assert municipalities_valid_on(dt.date(2025, 1, 1)).count() == 304
    assert municipalities_valid_on(dt.date(2018, 12, 31)).count() == 0


@pytest.mark.django_db
def test_municipality_list_filters():
    antwerpen = municipality_list(vintage="2025", province="antwerpen")
    assert len(antwerpen) == 67
    assert len(municipality_list(vintage="2019", province="10000")) == 69
    assert len(municipality_list(vintage="2019")) == 319


def _haversine_by_hand(a: Point, b: Point) -> float:
    """Written out again, independently of the code under test (R = 6371.0088 km)."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = math.radians(b.lat - a.lat), math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.atan2(math.sqrt(h), math.sqrt(1 - h))


def test_distance_mechelen_antwerpen():
    # Computed by hand: 26.24 km between the area centroids (Antwerpen's centroid lies north
    # of the city because of the port area), 22.20 km between the GeoNames points of the
    # localities Mechelen (2800) and Antwerpen (2000).
    assert distance_km(MECHELEN_CENTROID, ANTWERPEN_CENTROID) == pytest.approx(26.24, abs=0.5)
    assert distance_km(MECHELEN_CENTROID, ANTWERPEN_CENTROID) == pytest.approx(
        _haversine_by_hand(MECHELEN_CENTROID, ANTWERPEN_CENTROID), abs=1e-6
    )
    centres = Point(51.0257, 4.4776), Point(51.2199, 4.4035)
    assert distance_km(*centres) == pytest.approx(22.20, abs=0.5)


@pytest.mark.django_db
def test_distance_from_loaded_centroids():
    mechelen = Municipality.objects.current().get(nis_code="12025")
    antwerpen = Municipality.objects.current().get(nis_code="11002")
    d = distance_km(Point(mechelen.lat, mechelen.lon), Point(antwerpen.lat, antwerpen.lon))
    assert d == pytest.approx(26.24, abs=0.5)


@pytest.mark.django_db
def test_municipalities_within_10_km_of_2800():
    found = municipalities_within(point_for_postcode("2800"), 10)
    names = [m.name_nl for m, _ in found]
    assert names[0] == "Mechelen"
    assert {"Bonheiden", "Sint-Katelijne-Waver"} <= set(names)
    assert "Antwerpen" not in names
    distances = [d for _, d in found]
    assert distances == sorted(distances)
    assert all(d <= 10 for d in distances)
    assert all(m.vintage == "2025" for m, _ in found)
    # The bounding box prefilter loses nothing: compare with a full scan.
    centre = point_for_postcode("2800")
    full = {
        m.nis_code
        for m in Municipality.objects.current()
        if distance_km(centre, Point(m.lat, m.lon)) <= 10
    }
    assert {m.nis_code for m, _ in found} == full


@pytest.mark.django_db
def test_municipalities_within_old_set():
    found = municipalities_within(point_for_postcode("2150"), 3, vintage="2019")
    assert "Borsbeek" in [m.name_nl for m, _ in found]


belgian_points = st.builds(
    Point,
    lat=st.floats(min_value=49.49, max_value=51.51, allow_nan=False),
    lon=st.floats(min_value=2.54, max_value=6.41, allow_nan=False),
)


@given(belgian_points, belgian_points, belgian_points)
def test_distance_is_a_metric_on_belgian_points(a, b, c):
    assert distance_km(a, a) == 0
    assert distance_km(a, b) >= 0
    assert distance_km(a, b) == pytest.approx(distance_km(b, a), abs=1e-9)
    assert distance_km(a, c) <= distance_km(a, b) + distance_km(b, c) + 1e-9
    assert distance_km(a, b) <= 354.0  # the diagonal of the box: 353.999 km, by hand
