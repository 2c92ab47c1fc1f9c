"""One phase of the agenda benchmark on the database named by ``DATABASE_URL``.

Run by ``python -m stemnet.bench`` (which sets up the environment):

    python -m stemnet.bench.agenda --phase build   --out build.json [--activities N ...]
    python -m stemnet.bench.agenda --phase measure --out measure.json [--runs 30 ...]

``build`` migrates, loads the places and generates the data unless the database already
holds exactly the requested numbers (exit code 3 when it holds other data: the driver then
starts from an empty database). ``measure`` times the query mix and writes the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

EXIT_STALE = 3


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemnet.settings")
    import django

    django.setup()


def _log(message: str) -> None:
    print(message, flush=True)


def _index_complete(activities: int) -> bool:
    from django.db import connection

    from stemnet.agenda.models import Activity

    if Activity.objects.filter(search_text="").exists():
        return False
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM agenda_activity_fts")
            return cursor.fetchone()[0] == activities
    return True


def _analyze() -> None:
    """PostgreSQL: VACUUM (ANALYZE), as autovacuum would soon after a bulk load: planner
    statistics, and the visibility map the index-only scans of the distance search need
    (a reindex rewrites every search entry).

    SQLite keeps no statistics unless someone runs ANALYZE, which nothing in STEMnet does;
    so it is measured without (the steady state of a production SQLite database).
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def phase_build(args) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from stemnet.agenda.models import Activity, Session
    from stemnet.bench.generate import agenda_generate, agenda_reindex
    from stemnet.places.models import Municipality
    from stemnet.places.services import places_load

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
    except Exception as exc:  # noqa: BLE001 - the API needs no static files; say so and go on
        _log(f"  ! collectstatic failed (HTML pages would fail with DEBUG=0): {exc!s:.300}")
    if not Municipality.objects.exists():
        places_load()
    prepared = time.perf_counter() - t0

    n_act = Activity.objects.count()
    n_ses = Session.objects.count()
    meta_path = Path(args.meta)
    if n_act == args.activities and n_ses == args.sessions and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        meta["cached"] = True
        if not _index_complete(n_act):
            _log("  search index incomplete: reindexing every activity")
            t1 = time.perf_counter()
            agenda_reindex(list(Activity.objects.values_list("pk", flat=True)), log=_log)
            meta["seconds"]["reindex_again"] = time.perf_counter() - t1
        _log(f"  {connection.vendor}: cached data ({n_act:,} activities, {n_ses:,} sessions)")
        _analyze()
        return meta
    if n_act or n_ses:
        _log(f"  {connection.vendor}: holds {n_act:,} activities / {n_ses:,} sessions: stale")
        sys.exit(EXIT_STALE)

    _log(f"  {connection.vendor}: generating {args.activities:,} activities ...")
    result = agenda_generate(
        activities=args.activities,
        sessions=args.sessions,
        organisations=args.organisations,
        seed=args.seed,
        log=_log,
    )
    t1 = time.perf_counter()
    _analyze()
    seconds = {
        "migrate_and_places": prepared,
        **result.seconds,
        "analyze": time.perf_counter() - t1,
    }
    seconds["total"] = time.perf_counter() - t0
    meta = {
        "vendor": connection.vendor,
        "activities": result.activities,
        "sessions": result.sessions,
        "organisations": result.organisations,
        "base_date": result.base_date,
        "seed": args.seed,
        "built_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
        "seconds": seconds,
        "cached": False,
    }
    meta_path.parent.mkdir(parents=True, exist_ok=True)
    meta_path.write_text(json.dumps(meta, indent=2))
    _log(
        f"  built in {seconds['total']:.0f} s (rows {seconds.get('rows', 0):.0f} s, "
        f"reindex {seconds.get('reindex', 0):.0f} s)"
    )
    return meta


def _sizes() -> dict:
    from django.db import connection
    from django.db.models import Count

    from stemnet.agenda.models import Activity, Session

    sizes = {
        "activities": Activity.objects.count(),
        "sessions": Session.objects.count(),
        "by_status": dict(
            Activity.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        ),
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            sizes["db_bytes"] = cursor.fetchone()[0]
        else:
            sizes["db_bytes"] = os.path.getsize(connection.settings_dict["NAME"])
    return sizes


def _versions() -> dict:
    import sqlite3

    import django
    from django.db import connection

    versions = {
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    try:
        from importlib.metadata import version

        versions["gunicorn"] = version("gunicorn")
        versions["psycopg"] = version("psycopg")
    except Exception:  # noqa: BLE001, S110
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            versions["postgresql"] = cursor.fetchone()[0]
    return versions


def phase_measure(args) -> dict:
    import httpx
    from django.db import connection

    from stemnet.bench import measure

    meta = json.loads(Path(args.meta).read_text())
    base = dt.date.fromisoformat(meta["base_date"])
    queries = measure.query_strings(base)
    out: dict = {"vendor": connection.vendor, "build": meta, "queries": queries}
    out["sizes"] = _sizes()
    out["versions"] = _versions()
    out["settled_seconds"] = settle()
    out["load_before"] = os.getloadavg()
    out["calibration"] = calibrate()

    # What each query finds, and the statements behind it (selector and whole request).
    details = {}
    statements = {}
    api = measure.api_available()
    out["api_available"] = api
    if not api:
        _log(f"  ! {measure.API_PATH} answers 404: raw SQL replays the selector's statements")
    for label, query in queries:
        selector_sql, digest = measure.record_selector_sql(query)
        request_sql, body = measure.record_request_sql(query) if api else (selector_sql, {})
        statements[label] = request_sql
        details[label] = {
            "query": query,
            "count": digest["count"],
            "results": digest["results"],
            "http_count": body.get("count"),
            "request_statements": len(request_sql),
            "selector_statements": len(selector_sql),
        }
        if api and body.get("count") != digest["count"]:
            _log(f"  ! {label}: API count {body.get('count')} != selector {digest['count']}")
    out["details"] = details
    for label, _query in queries:
        details[label]["slowest"] = measure.slowest_statements(statements[label])
    if args.explain:
        out["explain"] = _explain(statements)

    _log(f"  {connection.vendor}: in-process ({args.warmup} warm-up + {args.runs} runs) ...")
    calls = [(label, measure.search_call(query)) for label, query in queries]
    out["inprocess"] = measure.summarise(
        measure.time_rounds(calls, warmup=args.warmup, runs=args.runs)
    )

    _log(f"  {connection.vendor}: raw SQL ...")
    calls = [(label, measure.replay_call(statements[label])) for label, _ in queries]
    out["raw_sql"] = measure.summarise(
        measure.time_rounds(calls, warmup=args.warmup, runs=args.runs)
    )
    connection.close()

    if args.http and api:
        _log(f"  {connection.vendor}: HTTP (gunicorn, {args.workers} workers) ...")
        with (
            measure.Gunicorn(workers=args.workers) as server,
            httpx.Client(base_url=server.base_url, timeout=60) as client,
        ):
            failures: dict[str, list[str]] = {}
            calls = measure.http_calls(client, queries, failures)
            out["http"] = measure.summarise(
                measure.time_rounds(calls, warmup=args.warmup, runs=args.runs)
            )
            out["http_failures"] = failures
            if failures:
                _log(f"  ! failed HTTP requests: {failures}")
        out["http_workers"] = args.workers
    out["load_after"] = os.getloadavg()
    return out


def settle(limit: float = 120, quiet: float = 1.0) -> float:
    """Wait (at most ``limit`` seconds) until the 1-minute load average is below ``quiet``:
    the build or the previous database's run keeps it high for a while, and measuring then
    would count their tail. Returns the seconds waited."""
    t0 = time.monotonic()
    while os.getloadavg()[0] >= quiet and time.monotonic() - t0 < limit:
        time.sleep(5)
    return time.monotonic() - t0


def calibrate(repeat: int = 3) -> dict:
    """Two fixed workloads timed on this machine (best of ``repeat``), so that runs on
    different machines can be compared: a pure-Python loop of 5,000,000 additions, and a
    database query counting 1,000,000 generated rows."""
    from django.db import connection

    def best(work) -> float:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            work()
            times.append(time.perf_counter() - t0)
        return min(times) * 1000

    def python_loop() -> int:
        total = 0
        for i in range(5_000_000):
            total += i
        return total

    if connection.vendor == "postgresql":
        sql = "SELECT count(*) FROM generate_series(1, 1000000)"
    else:
        sql = (
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) "
            "SELECT count(*) FROM c"
        )

    def database() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            if cursor.fetchone()[0] != 1_000_000:
                raise RuntimeError(f"calibration query counted wrongly: {sql}")

    return {"python_loop_ms": best(python_loop), "database_ms": best(database), "sql": sql}


def _explain(statements: dict) -> dict:
    """The query plans of every recorded statement (for finding a slow query's cause)."""
    from django.db import connection

    plans = {}
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        for label, stmts in statements.items():
            plans[label] = []
            for sql, params, _many in stmts:
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(prefix + sql, params)
                rows = cursor.fetchall()
                plans[label].append(
                    {"sql": sql, "plan": [" | ".join(str(c) for c in row) for row in rows]}
                )
    return plans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stemnet.bench.agenda")
    parser.add_argument("--phase", choices=["build", "measure"], required=True)
    parser.add_argument("--out", required=True, help="JSON file for the result")
    parser.add_argument("--meta", required=True, help="JSON file describing the built data")
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=300_000)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-http", dest="http", action="store_false")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args(argv)
    _setup()
    result = phase_build(args) if args.phase == "build" else phase_measure(args)
    Path(args.out).write_text(json.dumps(result, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
