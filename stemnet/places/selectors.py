"""Reads of the reference data: postcodes, municipalities at a date, distances."""

import datetime as dt
import math
from dataclasses import dataclass

from stemnet.places.models import Municipality, Postcode

EARTH_RADIUS_KM = 6371.0088


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
    day = on or dt.date.today()
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
