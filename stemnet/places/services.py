"""Loading the shipped reference data (idempotent: running it twice changes nothing)."""

import csv
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from stemnet.places.models import Municipality, Postcode, Province, Region

DATA_DIR = Path(__file__).resolve().parent / "data"
MERGER_DATE = dt.date(2025, 1, 1)
V2019_FROM = dt.date(2019, 1, 1)
V2019_TO = dt.date(2024, 12, 31)

REGIONS = {
    "02000": ("Vlaams Gewest", "Région flamande"),
    "04000": ("Brussels Hoofdstedelijk Gewest", "Région de Bruxelles-Capitale"),
}


@dataclass
class LoadResult:
    municipalities_2019: int
    municipalities_2025: int
    postcodes: int


def _csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _boundaries(name: str) -> dict[str, dict]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        collection = json.load(handle)
    return {f["properties"]["nis_code"]: f["geometry"] for f in collection["features"]}


@transaction.atomic
def places_load() -> LoadResult:
    """Create or update regions, provinces, both sets of municipalities and the postcodes."""
    for code, (nl, fr) in REGIONS.items():
        Region.objects.update_or_create(nis_code=code, defaults={"name_nl": nl, "name_fr": fr})

    rows_2025 = _csv("municipalities.csv")
    rows_2019 = _csv("municipalities_2019.csv")
    provinces = {}
    for row in rows_2025:
        if row["province_nis"]:
            provinces[row["province"]] = row["province_nis"]
    for name, code in provinces.items():
        Province.objects.update_or_create(
            nis_code=code, defaults={"name_nl": name, "region_id": "02000"}
        )
    province_by_name = {p.name_nl: p for p in Province.objects.all()}

    boundaries_2025 = _boundaries("boundaries_2025.geojson")
    boundaries_2019 = _boundaries("boundaries_2019.geojson")

    existing = {(m.nis_code, m.vintage): m for m in Municipality.objects.all()}
    current: dict[str, Municipality] = {}
    for row in rows_2025:
        values = {
            "valid_from": MERGER_DATE,
            "valid_to": None,
            "name_nl": row["name_nl"],
            "name_fr": row["name_fr"],
            "province": province_by_name.get(row["province"]),
            "region_id": row["region_nis"],
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "population_2020": int(row["population_total_2020_01_01"] or 0) or None,
            "successor": None,
            "merged_2025": row["merged_2025"] == "yes",
            "boundary": boundaries_2025.get(row["nis_code"]),
        }
        current[row["nis_code"]] = _upsert(existing, row["nis_code"], "2025", values)

    for row in rows_2019:
        region = "04000" if row["region"].startswith("Brussels") else "02000"
        values = {
            "valid_from": V2019_FROM,
            "valid_to": V2019_TO,
            "name_nl": row["name_nl"],
            "name_fr": row["name_fr"],
            "province": province_by_name.get(row["province"]),
            "region_id": region,
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "population_2020": int(row["population_total_2020_01_01"] or 0) or None,
            "successor": current[row["nis_code_2025"]],
            "merged_2025": row["merged_2025"] == "yes",
            "boundary": boundaries_2019.get(row["nis_code"]),
        }
        _upsert(existing, row["nis_code"], "2019", values)

    postcode_rows = _csv("postcodes.csv")
    wanted = set()
    for row in postcode_rows:
        municipality = current[row["nis_code"]]
        use_centroid = not row["lat"] or row["point_in_municipality"] != "yes"
        key = (row["postcode"], row["locality"], municipality.pk)
        wanted.add(key)
        Postcode.objects.update_or_create(
            code=row["postcode"],
            locality=row["locality"],
            municipality=municipality,
            defaults={
                "lat": municipality.lat if use_centroid else float(row["lat"]),
                "lon": municipality.lon if use_centroid else float(row["lon"]),
                "point_from_municipality": use_centroid,
                "shared": row["postcode_shared"] == "yes",
            },
        )
    for pc in Postcode.objects.all():
        if (pc.code, pc.locality, pc.municipality_id) not in wanted:
            pc.delete()

    return LoadResult(
        municipalities_2019=len(rows_2019),
        municipalities_2025=len(rows_2025),
        postcodes=len(postcode_rows),
    )


def _upsert(existing, nis_code: str, vintage: str, values: dict) -> Municipality:
    municipality = existing.get((nis_code, vintage))
    if municipality is None:
        municipality = Municipality.objects.create(nis_code=nis_code, vintage=vintage, **values)
        existing[(nis_code, vintage)] = municipality
        return municipality
    changed = [k for k, v in values.items() if getattr(municipality, k) != v]
    if changed:
        for key in changed:
            setattr(municipality, key, values[key])
        municipality.save()
    return municipality
