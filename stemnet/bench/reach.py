# ruff: noqa: S608 - DuckDB SQL built from integers and fixed names only, never user input
"""Reach monitor benchmark: the full dashboard of one year on SQLite and PostgreSQL, and the
same aggregates in DuckDB over an export of the same rows, in the same run.

    python -m stemnet.bench.reach [--db sqlite|postgres|both] [--runs 5] [--no-write]

It uses the agenda benchmark's databases (``var/bench/bench.sqlite3`` and PostgreSQL
``stemnet_bench``, 100,000 activities; built first by ``stemnet.bench.agenda`` when missing)
and adds 1,000,000 reach rows for the benchmark year: one ``Participation`` per activity
(100,000: unique participants, genders, attendances, where it took place) and nine
``ParticipationBreakdown`` rows each (900,000: five ages, three municipalities of residence,
one target group). STEMnet stores counts only, so a "participation row" is one of these count
rows.

Timed: ``stemnet.reach.exports.dashboard_figures({"year": Y})`` (every figure of the dashboard:
summary, provinces, municipalities, population share, five breakdowns, trend, white spots,
schools) through the Django selectors; then the same aggregates as SQL in DuckDB over Parquet
files exported from the same database. Both are printed with their ratio, and the reach section
of docs/benchmarks.md is rewritten.

The phases run in subprocesses with the production settings pointed at the benchmark database
(as the agenda benchmark does): ``--phase build`` and ``--phase measure``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
DOCS = BASE_DIR / "docs" / "benchmarks.md"
START = "<!-- bench:reach:start -->"
END = "<!-- bench:reach:end -->"
TARGET_MS = 300.0
BREAKDOWNS_PER_PARTICIPATION = 9  # 5 ages + 3 residences + 1 target group
BATCH = 5_000


def _log(message: str) -> None:
    print(message, flush=True)


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemnet.settings")
    import django

    django.setup()


# --- build (child process) -------------------------------------------------------------------


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` non-negative integers (random cut points)."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def _vacuum(connection) -> None:
    """On PostgreSQL, VACUUM (ANALYZE) the reach tables after the bulk load, as autovacuum
    would do in production shortly after (it may be off on a benchmark server): without a
    visibility map the covering indexes cannot be used for index-only scans. Cheap when the
    tables were vacuumed already."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) reach_participation, reach_participationbreakdown")


def phase_build(args) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction

    from stemnet.agenda.models import Activity
    from stemnet.places.models import Municipality
    from stemnet.reach.models import (
        Participation,
        ParticipationBreakdown,
        Source,
        TargetGroup,
    )
    from stemnet.reach.services import target_group_get

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    year = args.year
    activities = Activity.objects.count()
    if activities < args.activities:
        _log(f"  {connection.vendor}: only {activities:,} activities; run the agenda build first")
        sys.exit(2)
    n_part = Participation.objects.count()
    n_rows = ParticipationBreakdown.objects.count()
    expected_parts = args.rows // (1 + BREAKDOWNS_PER_PARTICIPATION)
    meta_path = Path(args.meta)
    if (
        n_part == expected_parts
        and n_part + n_rows == args.rows
        and meta_path.exists()
        and json.loads(meta_path.read_text()).get("year") == year
    ):
        meta = json.loads(meta_path.read_text())
        meta["cached"] = True
        _vacuum(connection)
        _log(f"  {connection.vendor}: cached reach data ({n_part + n_rows:,} rows)")
        return meta
    if n_part or n_rows:
        _log(f"  {connection.vendor}: removing {n_part + n_rows:,} earlier reach rows")
        with transaction.atomic():
            ParticipationBreakdown.objects.all().delete()
            Participation.objects.all().delete()

    rng = random.Random(args.seed)
    uitpas = target_group_get(TargetGroup.UITPAS)
    flemish = list(
        Municipality.objects.current().flemish().order_by("pk").values_list("pk", flat=True)
    )
    source = (
        Activity.objects.order_by("pk")
        .values_list("pk", "organiser_id", "municipality_id", "kind", "age_min", "age_max")
        .iterator(chunk_size=10_000)
    )
    made_parts = made_rows = 0
    t_rows = time.perf_counter()
    batch: list[tuple] = []

    def flush(batch):
        nonlocal made_parts, made_rows
        participations = []
        for pk, org, mun, kind, _age_min, _age_max, p, girls, boys, x in batch:
            participations.append(
                Participation(
                    activity_id=pk,
                    year=year,
                    municipality_id=mun,
                    organisation_id=org,
                    kind=kind,
                    age_min=_age_min,
                    age_max=_age_max,
                    participants=p,
                    girls=girls,
                    boys=boys,
                    gender_x=x,
                    attendances=p * rng.randint(1, 8),
                    source=Source.DEMO,
                )
            )
        with transaction.atomic():
            Participation.objects.bulk_create(participations, batch_size=BATCH)
            rows = []
            for part, item in zip(participations, batch, strict=True):
                _pk, org, mun, kind, age_min, age_max, p = item[:7]
                common = {
                    "participation_id": part.pk,
                    "year": year,
                    "municipality_id": mun,
                    "organisation_id": org,
                    "kind": kind,
                }
                low = max(5, min(age_min, 14))
                ages = list(range(low, low + 5))
                for age, n in zip(ages, _split(rng, p, 5), strict=True):
                    rows.append(ParticipationBreakdown(dimension="age", age=age, count=n, **common))
                homes = [mun, *rng.sample(flemish, 2)]
                if len(set(homes)) < 3:
                    homes = [mun] + [m for m in flemish if m != mun][:2]
                lived = _split(rng, p - rng.randint(0, p // 5), 3)
                for home, n in zip(homes, lived, strict=True):
                    rows.append(
                        ParticipationBreakdown(
                            dimension="residence", residence_id=home, count=n, **common
                        )
                    )
                rows.append(
                    ParticipationBreakdown(
                        dimension="target_group",
                        target_group_id=uitpas.pk,
                        count=rng.randint(0, p // 3),
                        **common,
                    )
                )
            ParticipationBreakdown.objects.bulk_create(rows, batch_size=BATCH)
        made_parts += len(participations)
        made_rows += len(rows)

    for pk, org, mun, kind, age_min, age_max in source:
        if made_parts + len(batch) >= expected_parts:
            break
        p = rng.randint(5, 40)
        girls = round(p * rng.uniform(0.15, 0.45))
        x = 1 if rng.random() < 0.02 and girls < p else 0
        boys = max(0, p - girls - x - rng.randint(0, 2))
        batch.append((pk, org, mun, kind, age_min, age_max, p, girls, boys, x))
        if len(batch) == 10_000:
            flush(batch)
            batch = []
            _log(f"    {made_parts + made_rows:,} rows")
    if batch:
        flush(batch)
    rows_seconds = time.perf_counter() - t_rows
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _vacuum(connection)
    meta = {
        "vendor": connection.vendor,
        "year": year,
        "participations": made_parts,
        "breakdown_rows": made_rows,
        "rows": made_parts + made_rows,
        "activities": activities,
        "seed": args.seed,
        "built_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
        "seconds": {"rows": rows_seconds, "total": time.perf_counter() - t0},
        "cached": False,
    }
    meta_path.parent.mkdir(parents=True, exist_ok=True)
    meta_path.write_text(json.dumps(meta, indent=2))
    _log(f"  built {meta['rows']:,} rows in {rows_seconds:.0f} s")
    return meta


# --- export and DuckDB (child process) -------------------------------------------------------


def _year_bounds_utc(year: int) -> tuple[str, str]:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Europe/Brussels")
    start = dt.datetime(year, 1, 1, tzinfo=tz).astimezone(dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz).astimezone(dt.UTC)
    return start.strftime("%Y-%m-%d %H:%M:%S"), end.strftime("%Y-%m-%d %H:%M:%S")


EXPORTS = {
    "participation": (
        "SELECT id, activity_id, year, municipality_id, organisation_id, kind, participants, "
        "girls, boys, gender_x, COALESCE(attendances, 0) FROM reach_participation",
        "id BIGINT, activity_id BIGINT, year INTEGER, municipality_id BIGINT, "
        "organisation_id BIGINT, kind VARCHAR, participants INTEGER, girls INTEGER, "
        "boys INTEGER, gender_x INTEGER, attendances INTEGER",
    ),
    "breakdown": (
        "SELECT participation_id, dimension, age, residence_id, target_group_id, count, year, "
        "municipality_id FROM reach_participationbreakdown",
        "participation_id BIGINT, dimension VARCHAR, age INTEGER, residence_id BIGINT, "
        "target_group_id BIGINT, count INTEGER, year INTEGER, municipality_id BIGINT",
    ),
    "municipality": (
        "SELECT m.id, m.nis_code, m.vintage, p.name_nl, m.region_id, m.lat, m.lon, "
        "m.successor_id FROM places_municipality m "
        "LEFT JOIN places_province p ON p.nis_code = m.province_id",
        "id BIGINT, nis_code VARCHAR, vintage VARCHAR, province VARCHAR, region VARCHAR, "
        "lat DOUBLE, lon DOUBLE, successor_id BIGINT",
    ),
    "activity": (
        "SELECT id, status, kind, municipality_id, organiser_id, age_min, age_max "
        "FROM agenda_activity",
        "id BIGINT, status VARCHAR, kind VARCHAR, municipality_id BIGINT, organiser_id BIGINT, "
        "age_min INTEGER, age_max INTEGER",
    ),
    "session": (
        "SELECT activity_id, starts_at FROM agenda_session",
        "activity_id BIGINT, starts_at TIMESTAMP",
    ),
    "activity_theme": (
        "SELECT at.activity_id, t.slug FROM agenda_activity_themes at "
        "JOIN agenda_theme t ON t.id = at.theme_id",
        "activity_id BIGINT, slug VARCHAR",
    ),
    "target_group": (
        "SELECT id, slug FROM reach_targetgroup",
        "id BIGINT, slug VARCHAR",
    ),
}


def export_parquet(folder: Path) -> dict:
    """Write the rows the dashboard reads to Parquet files (via CSV), one per table."""
    import duckdb
    from django.db import connection

    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    con = duckdb.connect()
    for name, (sql, columns) in EXPORTS.items():
        path = folder / f"{name}.csv"
        n = 0
        with connection.cursor() as cursor, path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            cursor.execute(sql)
            while True:
                chunk = cursor.fetchmany(50_000)
                if not chunk:
                    break
                for row in chunk:
                    writer.writerow(
                        [
                            v.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
                            if isinstance(v, dt.datetime)
                            else ("" if v is None else v)
                            for v in row
                        ]
                    )
                n += len(chunk)
        spec = ", ".join(
            f"'{c.split()[0]}': '{' '.join(c.split()[1:])}'" for c in columns.split(", ")
        )
        con.execute(
            f"COPY (SELECT * FROM read_csv('{path}', header=false, columns={{{spec}}}, "
            f"nullstr='')) TO '{folder / (name + '.parquet')}' (FORMAT parquet)"
        )
        path.unlink()
        counts[name] = n
    con.close()
    return counts


def duckdb_queries(year: int) -> dict[str, str]:
    """The dashboard's aggregates as DuckDB SQL over the Parquet views (no filters)."""
    start, end = _year_bounds_utc(year)
    vintage = "2019" if year < 2025 else "2025"
    held = (
        f"SELECT DISTINCT a.id, a.municipality_id, a.kind FROM activity a "
        f"JOIN session s ON s.activity_id = a.id "
        f"WHERE a.status IN ('published', 'archived') "
        f"AND s.starts_at >= TIMESTAMP '{start}' AND s.starts_at < TIMESTAMP '{end}' "
        f"AND a.id NOT IN (SELECT activity_id FROM participation "
        f"WHERE year = {year} AND activity_id IS NOT NULL)"
    )
    per_municipality = (
        f"WITH p AS (SELECT municipality_id, count(*) AS activities, "
        f"count(*) FILTER (WHERE kind = 'reeks') AS series, sum(participants) AS participants, "
        f"sum(girls) AS girls, sum(boys) AS boys, sum(gender_x) AS x, "
        f"sum(attendances) AS attendances FROM participation WHERE year = {year} "
        f"GROUP BY municipality_id), "
        f"h AS (SELECT municipality_id, count(*) AS activities, "
        f"count(*) FILTER (WHERE kind = 'reeks') AS series FROM ({held}) GROUP BY 1) "
        f"SELECT m.id, m.nis_code, m.province, m.region, "
        f"coalesce(p.activities, 0) + coalesce(h.activities, 0) AS activities, "
        f"coalesce(p.series, 0) + coalesce(h.series, 0) AS series, "
        f"coalesce(p.participants, 0) AS participants, coalesce(p.girls, 0) AS girls, "
        f"coalesce(p.attendances, 0) AS attendances "
        f"FROM municipality m LEFT JOIN p ON p.municipality_id = m.id "
        f"LEFT JOIN h ON h.municipality_id = m.id "
        f"WHERE m.vintage = '{vintage}' AND m.region IN ('02000', '04000')"
    )
    return {
        "municipalities": per_municipality + " ORDER BY m.nis_code",
        "provinces": (
            f"SELECT CASE WHEN region = '04000' THEN 'Brussel' ELSE province END AS province, "
            f"count(*) FILTER (WHERE activities > 0) AS reached, count(*) AS total, "
            f"count(*) FILTER (WHERE series > 0) AS series_reached, "
            f"sum(participants) AS participants FROM ({per_municipality}) GROUP BY 1 ORDER BY 1"
        ),
        "summary": (
            f"SELECT sum(participants), sum(girls), sum(boys), sum(gender_x), "
            f"sum(attendances), count(*), count(*) FILTER (WHERE kind = 'reeks') "
            f"FROM participation WHERE year = {year}"
        ),
        "uitpas": (
            f"SELECT sum(b.count) FROM breakdown b JOIN target_group g "
            f"ON g.id = b.target_group_id WHERE b.year = {year} "
            f"AND b.dimension = 'target_group' AND g.slug = 'uitpas'"
        ),
        "by_kind": (
            f"SELECT kind, sum(participants) FROM participation WHERE year = {year} "
            f"GROUP BY kind ORDER BY kind"
        ),
        "by_theme": (
            f"SELECT t.slug, sum(p.participants) FROM participation p "
            f"JOIN activity_theme t ON t.activity_id = p.activity_id WHERE p.year = {year} "
            f"GROUP BY t.slug ORDER BY t.slug"
        ),
        "without_theme": (
            f"SELECT sum(participants) FROM participation p WHERE p.year = {year} AND "
            f"(p.activity_id IS NULL OR NOT EXISTS (SELECT 1 FROM activity_theme t "
            f"WHERE t.activity_id = p.activity_id))"
        ),
        "by_age_band": (
            f"SELECT CASE WHEN age <= 8 THEN '5-8' WHEN age <= 12 THEN '9-12' "
            f"WHEN age <= 15 THEN '13-15' ELSE '16-18' END AS band, sum(count) "
            f"FROM breakdown WHERE year = {year} AND dimension = 'age' GROUP BY 1 ORDER BY 1"
        ),
        "by_target_group": (
            f"SELECT target_group_id, sum(count) FROM breakdown WHERE year = {year} "
            f"AND dimension = 'target_group' GROUP BY 1 ORDER BY 1"
        ),
        "by_residence": (
            f"SELECT residence_id, sum(count) FROM breakdown WHERE year = {year} "
            f"AND dimension = 'residence' GROUP BY 1 ORDER BY 2 DESC"
        ),
        "trend": (
            f"SELECT year, count(DISTINCT municipality_id), sum(participants), sum(girls), "
            f"count(*) FROM participation WHERE year <= {year} GROUP BY year ORDER BY year"
        ),
        "white_spots": (
            f"WITH m AS ({per_municipality}), g AS (SELECT id, lat, lon FROM municipality), "
            f"spots AS (SELECT m.id, g.lat, g.lon FROM m JOIN g USING (id) "
            f"WHERE m.activities = 0), "
            f"offer AS (SELECT m.id, g.lat, g.lon FROM m JOIN g USING (id) "
            f"WHERE m.activities > 0) "
            f"SELECT s.id, arg_min(o.id, d) AS nearest, min(d) AS km FROM ("
            f"SELECT s.id AS sid, o.id AS oid, 6371 * 2 * asin(sqrt("
            f"power(sin(radians(o.lat - s.lat) / 2), 2) + cos(radians(s.lat)) * "
            f"cos(radians(o.lat)) * power(sin(radians(o.lon - s.lon) / 2), 2))) AS d "
            f"FROM spots s, offer o) x JOIN spots s ON s.id = x.sid "
            f"JOIN offer o ON o.id = x.oid GROUP BY s.id"
        ),
    }


def _views(con, folder: Path) -> None:
    for name in EXPORTS:
        con.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM "
            f"read_parquet('{folder / (name + '.parquet')}')"
        )


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def phase_measure(args) -> dict:
    import duckdb
    from django.db import connection

    from stemnet.reach import exports, selectors

    year = args.year
    out: dict = {"vendor": connection.vendor, "year": year, "runs": args.runs}
    out["build"] = json.loads(Path(args.meta).read_text())

    _log(f"  {connection.vendor}: dashboard through the selectors ...")
    timings = []
    figures = None
    for i in range(args.warmup + args.runs):
        connection.close()  # a fresh connection each round, as a request would have
        t = time.perf_counter()
        figures = exports.dashboard_figures({"year": year})
        if i >= args.warmup:
            timings.append(time.perf_counter() - t)
    out["django_ms"] = [round(s * 1000, 1) for s in timings]
    out["django_median_ms"] = round(_median(timings) * 1000, 1)
    # The single selectors, once each, to show where the time goes.
    parts = {}
    calls = {
        "reach_summary": lambda: selectors.reach_summary(year=year),
        "coverage_by_province": lambda: selectors.coverage_by_province(year=year),
        "municipalities_reached": lambda: selectors.municipalities_reached(year=year),
        "population_share": lambda: selectors.population_share(year=year),
        "participants_breakdown x5": lambda: [
            selectors.participants_breakdown(year=year, by=by) for by in exports.BREAKDOWNS
        ],
        "trend": lambda: selectors.trend(years=exports.trend_years(year)),
        "white_spots": lambda: selectors.white_spots(year=year),
        "school_reach": lambda: selectors.school_reach(year=year),
        "dashboard (all at once)": lambda: selectors.dashboard(
            year=year, years=exports.trend_years(year)
        ),
    }
    for name, call in calls.items():
        t = time.perf_counter()
        call()
        parts[name] = round((time.perf_counter() - t) * 1000, 1)
    out["django_parts_ms"] = parts

    folder = BENCH_DIR / f"reach-{connection.vendor}"
    _log(f"  {connection.vendor}: export to Parquet ...")
    t = time.perf_counter()
    out["exported"] = export_parquet(folder)
    out["export_seconds"] = round(time.perf_counter() - t, 1)
    connection.close()

    _log("  DuckDB: the same aggregates over the Parquet files ...")
    con = duckdb.connect()
    con.execute(f"SET threads = {args.duckdb_threads}")
    _views(con, folder)
    queries = duckdb_queries(year)
    timings = []
    results = {}
    for i in range(args.warmup + args.runs):
        t = time.perf_counter()
        results = {name: con.execute(sql).fetchall() for name, sql in queries.items()}
        if i >= args.warmup:
            timings.append(time.perf_counter() - t)
    con.close()
    out["duckdb_version"] = duckdb.__version__
    out["duckdb_threads"] = args.duckdb_threads
    out["duckdb_ms"] = [round(s * 1000, 1) for s in timings]
    out["duckdb_median_ms"] = round(_median(timings) * 1000, 1)
    out["ratio"] = (
        round(out["django_median_ms"] / out["duckdb_median_ms"], 1)
        if out["duckdb_median_ms"]
        else None
    )
    out["check"] = _compare(figures, results)
    return out


def _compare(figures: dict, results: dict) -> dict:
    """Do DuckDB and the selectors agree? (participants, girls, reached per province, kinds)"""
    s = figures["summary"]
    duck_summary = results["summary"][0]
    provinces = {r[0]: (r[1], r[2]) for r in results["provinces"]}
    ours = {p["province"]: (p["reached"], p["total"]) for p in figures["provinces"]}
    kinds = dict(results["by_kind"])
    our_kinds = {
        r["key"]: r["participants"] for r in figures["breakdowns"]["kind"] if r["participants"]
    }
    checks = {
        "participants": (s["participants"], duck_summary[0]),
        "girls": (s["girls"], duck_summary[1]),
        "uitpas": (s["uitpas"], results["uitpas"][0][0] or 0),
        "provinces": (ours, provinces),
        "kinds": (our_kinds, kinds),
        "white_spots": (len(figures["white_spots"]), len(results["white_spots"])),
    }
    return {
        name: {"selectors": str(a), "duckdb": str(b), "equal": a == b}
        for name, (a, b) in checks.items()
    }


# --- driver (parent process) -----------------------------------------------------------------


def _run_child(phase: str, url: str, meta: Path, args) -> tuple[int, dict]:
    from stemnet.bench.__main__ import child_env

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    cmd = [
        sys.executable,
        "-m",
        "stemnet.bench.reach",
        "--phase",
        phase,
        "--out",
        str(out),
        "--meta",
        str(meta),
        "--rows",
        str(args.rows),
        "--activities",
        str(args.activities),
        "--year",
        str(args.year),
        "--runs",
        str(args.runs),
        "--warmup",
        str(args.warmup),
        "--duckdb-threads",
        str(args.duckdb_threads),
    ]
    code = subprocess.call(cmd, env=child_env(url), cwd=BASE_DIR)  # noqa: S603
    try:
        data = json.loads(out.read_text()) if code == 0 and out.exists() else {}
    finally:
        out.unlink(missing_ok=True)
    return code, data


def _ensure_agenda(vendor: str, url: str, args) -> None:
    """Build the agenda benchmark's 100,000 activities when the database lacks them."""
    from stemnet.bench import __main__ as agenda_driver

    meta = BENCH_DIR / f"agenda-{vendor}.json"
    if meta.exists():
        built = json.loads(meta.read_text())
        if built.get("activities", 0) >= args.activities:
            return
    if vendor == "postgres":
        agenda_driver.pg_create(args.postgres_url)
    agenda_args = argparse.Namespace(
        activities=args.activities, sessions=args.activities * 3, organisations=300
    )
    _log(f"== reach {vendor}: building the agenda data first")
    code, _data = agenda_driver.run_phase("build", url, meta, agenda_args, [])
    if code != 0:
        raise SystemExit(f"{vendor}: agenda build failed (exit {code})")


def bench_database(vendor: str, args) -> dict:
    from stemnet.bench import __main__ as agenda_driver

    if vendor == "sqlite":
        url = f"sqlite:///{agenda_driver.SQLITE_PATH}"
    else:
        url = args.postgres_url.rstrip("/") + "/" + agenda_driver.PG_DB
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    _ensure_agenda(vendor, url, args)
    meta = BENCH_DIR / f"reach-{vendor}.json"
    _log(f"== reach {vendor}: build")
    code, _built = _run_child("build", url, meta, args)
    if code != 0:
        raise SystemExit(f"reach {vendor}: build failed (exit {code})")
    _log(f"== reach {vendor}: measure")
    code, result = _run_child("measure", url, meta, args)
    if code != 0:
        raise SystemExit(f"reach {vendor}: measurement failed (exit {code})")
    (BENCH_DIR / f"reach-{vendor}-result.json").write_text(json.dumps(result, indent=2))
    return result


def console(result: dict) -> str:
    ok = all(c["equal"] for c in result["check"].values())
    lines = [
        f"reach {result['vendor']} ({result['build']['rows']:,} rows, year {result['year']}):",
        f"  selectors (Django, full dashboard): median {result['django_median_ms']:.0f} ms "
        f"(runs {result['django_ms']})",
        f"  DuckDB over Parquet (same aggregates): median {result['duckdb_median_ms']:.0f} ms "
        f"(runs {result['duckdb_ms']})",
        f"  ratio selectors / DuckDB: {result['ratio']}",
        f"  figures agree: {'yes' if ok else 'NO'}",
        "  selectors one by one (ms): "
        + ", ".join(f"{k} {v:.0f}" for k, v in result["django_parts_ms"].items()),
    ]
    return "\n".join(lines)


def section(results: list[dict], when: dt.datetime) -> str:
    from stemnet.bench.report import machine

    info = machine()
    lines = [
        START,
        "## Reach monitor: dashboard of one year",
        "",
        f"Run {when:%Y-%m-%d %H:%M} UTC with `python -m stemnet.bench.reach` (part of "
        f"`make bench`) on {info['cpus']} × {info['cpu']}, {info['memory_gib']} GiB.",
        "",
        "Data: the agenda benchmark's 100,000 activities plus 1,000,000 reach rows for the "
        "year: 100,000 participation rows (one per activity: unique participants, genders, "
        "attendances, municipality) and 900,000 breakdown rows (5 ages, 3 municipalities of "
        "residence, 1 target group each). Timed: `reach.exports.dashboard_figures` (every "
        "figure of the dashboard, through `reach.selectors`) with a fresh connection per "
        "round; then the same aggregates in DuckDB over a Parquet export of the same rows. "
        f"Target: ≤ {TARGET_MS:.0f} ms on PostgreSQL.",
        "",
        "| database | rows | selectors, median ms | DuckDB, median ms | ratio | target | "
        "figures agree |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        ok = all(c["equal"] for c in r["check"].values())
        target = (
            ("met" if r["django_median_ms"] <= TARGET_MS else "NOT met")
            if r["vendor"] == "postgresql"
            else "–"
        )
        lines.append(
            f"| {r['vendor']} | {r['build']['rows']:,} | {r['django_median_ms']:.0f} | "
            f"{r['duckdb_median_ms']:.0f} | {r['ratio']} | {target} | "
            f"{'yes' if ok else 'no'} |"
        )
    lines += ["", "Where the selectors' time goes (one call each, ms):", ""]
    names = list(results[0]["django_parts_ms"]) if results else []
    lines.append("| selector | " + " | ".join(r["vendor"] for r in results) + " |")
    lines.append("|---|" + "---:|" * len(results))
    for name in names:
        lines.append(
            f"| {name} | "
            + " | ".join(f"{r['django_parts_ms'].get(name, math.nan):.0f}" for r in results)
            + " |"
        )
    lines += [
        "",
        f"DuckDB {results[0]['duckdb_version'] if results else ''}, "
        f"{results[0]['duckdb_threads'] if results else ''} threads; "
        "export to Parquet (not timed above): "
        + ", ".join(f"{r['vendor']} {r['export_seconds']} s" for r in results)
        + ".",
        END,
    ]
    return "\n".join(lines)


def write_section(path: Path, text: str) -> None:
    """Replace the reach section of ``path`` (or append it), keeping everything else."""
    from stemnet.bench.report import HEADER

    current = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if pattern.search(current):
        new = pattern.sub(lambda _m: text, current)
    else:
        new = current.rstrip("\n") + "\n\n" + text + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


def run(args) -> list[dict]:
    """Benchmark every database in ``args.db`` and write the reach section (the driver)."""
    from stemnet.bench import __main__ as agenda_driver

    if args.db is None:
        reachable = agenda_driver.postgres_reachable(args.postgres_url)
        args.db = "both" if reachable else "sqlite"
    vendors = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    started = dt.datetime.now(tz=dt.UTC)
    results = [bench_database(v, args) for v in vendors]
    for result in results:
        print(console(result), flush=True)
    if args.write:
        write_section(DOCS, section(results, started))
        print(f"== wrote {DOCS.relative_to(BASE_DIR)} (reach section)", flush=True)
    return results


def driver_args(agenda_args) -> argparse.Namespace:
    """The reach benchmark's options when ``python -m stemnet.bench`` (make bench) runs it."""
    return argparse.Namespace(
        db=agenda_args.db,
        postgres_url=agenda_args.postgres_url,
        activities=agenda_args.activities,
        rows=getattr(agenda_args, "reach_rows", 1_000_000),
        year=dt.date.today().year,
        runs=5,
        warmup=1,
        seed=20261125,
        duckdb_threads=min(os.cpu_count() or 1, 4),
        write=agenda_args.write,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stemnet.bench.reach", description=__doc__)
    parser.add_argument("--phase", choices=["build", "measure"])
    parser.add_argument("--out")
    parser.add_argument("--meta")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"])
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/"),
    )
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--runs", dest="runs", type=int, default=5)
    parser.add_argument("--warmup", dest="warmup", type=int, default=1)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=dt.date.today().year)
    parser.add_argument("--duckdb-threads", type=int, default=min(os.cpu_count() or 1, 4))
    parser.add_argument("--no-write", dest="write", action="store_false")
    args = parser.parse_args(argv)
    if args.phase:
        _setup()
        data = phase_build(args) if args.phase == "build" else phase_measure(args)
        Path(args.out).write_text(json.dumps(data, indent=2, default=str))
        return 0
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
