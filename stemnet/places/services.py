"""Loading reference data: the shipped places files and Statbel's population files.

Both loaders are idempotent: running them twice changes nothing, and a changed source
value updates the row in place (primary keys stay, so other apps' foreign keys hold).
"""

import csv
import datetime as dt
import io
import json
import logging
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stemnet.places.models import (
    BRUSSELS,
    FLANDERS,
    MAX_AGE,
    Municipality,
    PopulationCount,
    Postcode,
    Province,
    Region,
)

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
MERGER_DATE = dt.date(2025, 1, 1)
V2019_FROM = dt.date(2019, 1, 1)
V2019_TO = dt.date(2024, 12, 31)

REGIONS = {
    FLANDERS: ("Vlaams Gewest", "Région flamande"),
    BRUSSELS: ("Brussels Hoofdstedelijk Gewest", "Région de Bruxelles-Capitale"),
}

# Fields compared and written for every municipality row (attnames, so no extra queries).
MUNICIPALITY_FIELDS = [
    "valid_from",
    "valid_to",
    "name_nl",
    "name_fr",
    "province_id",
    "region_id",
    "lat",
    "lon",
    "population_2020",
    "successor_id",
    "merged_2025",
    "boundary",
]
POSTCODE_FIELDS = ["lat", "lon", "point_from_municipality", "shared"]


def boundaries_cache_key(vintage: str) -> str:
    return f"places:boundaries:{vintage}"


@dataclass
class LoadResult:
    municipalities_2019: int
    municipalities_2025: int
    postcodes: int
    created: int = 0
    updated: int = 0
    deleted: int = 0


def _csv(data_dir: Path, name: str) -> list[dict[str, str]]:
    with open(data_dir / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _boundaries(data_dir: Path, name: str) -> dict[str, dict]:
    with open(data_dir / name, encoding="utf-8") as handle:
        collection = json.load(handle)
    return {f["properties"]["nis_code"]: f["geometry"] for f in collection["features"]}


def _population(value: str) -> int | None:
    return int(value) if value else None


@transaction.atomic
def places_load(*, data_dir: Path = DATA_DIR) -> LoadResult:
    """Create or update regions, provinces, both sets of municipalities and the postcodes.

    Postcode rows that are no longer in the data are deleted. Municipalities are never
    deleted (other apps point at them); none disappears from the shipped files.
    """
    result = LoadResult(0, 0, 0)
    for code, (nl, fr) in REGIONS.items():
        Region.objects.update_or_create(nis_code=code, defaults={"name_nl": nl, "name_fr": fr})

    rows_2025 = _csv(data_dir, "municipalities.csv")
    rows_2019 = _csv(data_dir, "municipalities_2019.csv")
    provinces = {row["province"]: row["province_nis"] for row in rows_2025 if row["province_nis"]}
    for name, code in provinces.items():
        Province.objects.update_or_create(
            nis_code=code, defaults={"name_nl": name, "region_id": FLANDERS}
        )
    province_ids = dict(Province.objects.values_list("name_nl", "nis_code"))

    boundaries_2025 = _boundaries(data_dir, "boundaries_2025.geojson")
    boundaries_2019 = _boundaries(data_dir, "boundaries_2019.geojson")

    values_2025 = {
        row["nis_code"]: {
            "valid_from": MERGER_DATE,
            "valid_to": None,
            "name_nl": row["name_nl"],
            "name_fr": row["name_fr"],
            "province_id": province_ids.get(row["province"]),
            "region_id": row["region_nis"],
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "population_2020": _population(row["population_total_2020_01_01"]),
            "successor_id": None,
            "merged_2025": row["merged_2025"] == "yes",
            "boundary": boundaries_2025.get(row["nis_code"]),
        }
        for row in rows_2025
    }
    _upsert_municipalities(Municipality.Vintage.V2025, values_2025, result)
    current_ids = dict(
        Municipality.objects.current().values_list("nis_code", "pk")
    )  # after creation

    values_2019 = {
        row["nis_code"]: {
            "valid_from": V2019_FROM,
            "valid_to": V2019_TO,
            "name_nl": row["name_nl"],
            "name_fr": row["name_fr"],
            "province_id": province_ids.get(row["province"]),
            "region_id": BRUSSELS if row["region"].startswith("Brussels") else FLANDERS,
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "population_2020": _population(row["population_total_2020_01_01"]),
            "successor_id": current_ids[row["nis_code_2025"]],
            "merged_2025": row["merged_2025"] == "yes",
            "boundary": boundaries_2019.get(row["nis_code"]),
        }
        for row in rows_2019
    }
    _upsert_municipalities(Municipality.Vintage.V2019, values_2019, result)

    postcode_rows = _csv(data_dir, "postcodes.csv")
    centroids = {
        pk: (lat, lon)
        for pk, lat, lon in Municipality.objects.current().values_list("pk", "lat", "lon")
    }
    wanted: dict[tuple[str, str, int], dict] = {}
    for row in postcode_rows:
        municipality_id = current_ids[row["nis_code"]]
        use_centroid = not row["lat"] or row["point_in_municipality"] != "yes"
        lat, lon = (
            centroids[municipality_id] if use_centroid else (float(row["lat"]), float(row["lon"]))
        )
        wanted[(row["postcode"], row["locality"], municipality_id)] = {
            "lat": lat,
            "lon": lon,
            "point_from_municipality": use_centroid,
            "shared": row["postcode_shared"] == "yes",
        }
    existing = {(p.code, p.locality, p.municipality_id): p for p in Postcode.objects.all()}
    new, changed = [], []
    for key, values in wanted.items():
        postcode = existing.get(key)
        if postcode is None:
            code, locality, municipality_id = key
            new.append(
                Postcode(code=code, locality=locality, municipality_id=municipality_id, **values)
            )
        elif _assign(postcode, values):
            changed.append(postcode)
    stale = [p.pk for key, p in existing.items() if key not in wanted]
    Postcode.objects.bulk_create(new)
    Postcode.objects.bulk_update(changed, POSTCODE_FIELDS)
    Postcode.objects.filter(pk__in=stale).delete()
    result.created += len(new)
    result.updated += len(changed)
    result.deleted += len(stale)

    result.municipalities_2019 = len(rows_2019)
    result.municipalities_2025 = len(rows_2025)
    result.postcodes = len(wanted)
    transaction.on_commit(_forget_boundaries)
    return result


def _forget_boundaries() -> None:
    """Drop the cached boundary FeatureCollections; a missing cache table is no reason to fail."""
    try:
        cache.delete_many([boundaries_cache_key(v) for v in Municipality.Vintage.values])
    except Exception as exc:  # noqa: BLE001 - e.g. the database cache table is not created yet
        logger.warning("Could not clear the cached boundaries: %s", exc)


def _assign(obj, values: dict) -> bool:
    """Set the values that differ; True when anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _upsert_municipalities(vintage: str, rows: dict[str, dict], result: LoadResult) -> None:
    existing = {m.nis_code: m for m in Municipality.objects.of_vintage(vintage)}
    new, changed = [], []
    for nis_code, values in rows.items():
        municipality = existing.get(nis_code)
        if municipality is None:
            new.append(Municipality(nis_code=nis_code, vintage=vintage, **values))
        elif _assign(municipality, values):
            changed.append(municipality)
    Municipality.objects.bulk_create(new)
    Municipality.objects.bulk_update(changed, MUNICIPALITY_FIELDS, batch_size=100)
    result.created += len(new)
    result.updated += len(changed)


# --- Population by age and sex (Statbel TF_SOC_POP_STRUCT_<year>) --------------------------

POPULATION_COLUMNS = ("CD_REFNIS", "CD_SEX", "CD_AGE", "MS_POPULATION")
FILE_YEAR = re.compile(r"TF_SOC_POP_STRUCT_(\d{4})", re.IGNORECASE)
# REFNIS codes of Wallonia (Walloon Brabant 25xxx, Hainaut 5xxxx, Liège 6xxxx,
# Luxembourg 8xxxx, Namur 9xxxx): out of scope, skipped without complaint.
WALLOON = re.compile(r"^(25|5|6|8|9)\d+$")
MAX_REPORTED_ERRORS = 50


@dataclass
class PopulationLoadResult:
    year: int
    municipalities: int
    rows_read: int
    rows_skipped: int
    counts_written: int
    residents: int
    errors: list[str] = field(default_factory=list)


def population_year_from_name(name: str) -> int | None:
    match = FILE_YEAR.search(Path(name).name)
    return int(match.group(1)) if match else None


def _population_text(path: Path) -> str:
    """The text of a Statbel file: a .txt/.csv, or the first of those inside a .zip."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith((".txt", ".csv"))]
            if not names:
                raise ValidationError(_("The zip file holds no .txt or .csv file."))
            raw = archive.read(names[0])
    else:
        raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _population_parse(
    text: str, vintage_ids: dict[str, int]
) -> tuple[dict[tuple[int, int, str], int], int, int, list[str]]:
    """Sum MS_POPULATION per (municipality, age, sex); return sums, rows, skipped, errors."""
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in "|;\t," if d in first_line), "|")
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(name or "").strip().upper() for name in (reader.fieldnames or [])]
    missing = [c for c in POPULATION_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            _("The file lacks the column(s) %(columns)s; is it a Statbel TF_SOC_POP_STRUCT file?")
            % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    sums: dict[tuple[int, int, str], int] = defaultdict(int)
    rows = skipped = 0
    errors: list[str] = []
    for row in reader:
        rows += 1
        line = reader.line_num
        refnis = (row["CD_REFNIS"] or "").strip()
        sex = (row["CD_SEX"] or "").strip().upper()
        age_text = (row["CD_AGE"] or "").strip()
        count_text = (row["MS_POPULATION"] or "").strip()
        problems = []
        municipality_id = vintage_ids.get(refnis)
        if municipality_id is None:
            if WALLOON.match(refnis):
                skipped += 1
                continue
            problems.append(_("unknown municipality code '%(code)s'") % {"code": refnis})
        if sex not in PopulationCount.Sex.values:
            problems.append(_("sex '%(sex)s' is not M or F") % {"sex": sex})
        if not age_text.isdigit() or int(age_text) > MAX_AGE:
            problems.append(
                _("age '%(age)s' is not a whole number from 0 to 120") % {"age": age_text}
            )
        if not count_text.isdigit():
            problems.append(_("population '%(n)s' is not a whole number") % {"n": count_text})
        if problems:
            errors.append(
                _("line %(line)d: %(problems)s") % {"line": line, "problems": "; ".join(problems)}
            )
            continue
        sums[(municipality_id, int(age_text), sex)] += int(count_text)
    return sums, rows, skipped, errors


@transaction.atomic
def population_load(*, path: Path | str, year: int | None = None) -> PopulationLoadResult:
    """Load a Statbel age/sex population file; all or nothing.

    Any bad row (unknown Flemish/Brussels code, sex, age or count) aborts the load with a
    ValidationError naming every bad line; nothing is written then. Rows of Walloon
    municipalities are skipped. Counts already loaded for the same year and municipalities
    are replaced, so loading a file twice gives the same rows.
    """
    path = Path(path)
    year = year or population_year_from_name(path.name)
    if year is None:
        raise ValidationError(
            _("Give the year: the file name has no TF_SOC_POP_STRUCT_<year> in it.")
        )
    vintage = Municipality.Vintage.V2025 if year >= MERGER_DATE.year else Municipality.Vintage.V2019
    vintage_ids = dict(Municipality.objects.of_vintage(vintage).values_list("nis_code", "pk"))
    sums, rows, skipped, errors = _population_parse(_population_text(path), vintage_ids)
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        extra = len(errors) - len(shown)
        if extra:
            shown.append(
                ngettext("… and %(n)d more bad line", "… and %(n)d more bad lines", extra)
                % {"n": extra}
            )
        raise ValidationError(shown)
    if not sums:
        raise ValidationError(_("The file holds no Flemish or Brussels population rows."))

    municipality_ids = {key[0] for key in sums}
    PopulationCount.objects.filter(year=year, municipality_id__in=municipality_ids).delete()
    PopulationCount.objects.bulk_create(
        [
            PopulationCount(municipality_id=m, year=year, age=age, sex=sex, count=count)
            for (m, age, sex), count in sorted(sums.items())
        ],
        batch_size=1000,
    )
    return PopulationLoadResult(
        year=year,
        municipalities=len(municipality_ids),
        rows_read=rows,
        rows_skipped=skipped,
        counts_written=len(sums),
        residents=sum(sums.values()),
    )
