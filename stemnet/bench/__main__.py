"""``python -m stemnet.bench``: the agenda search benchmark on SQLite and PostgreSQL.

For each database: build (or reuse) a separate benchmark database with 100,000 activities
and 300,000 sessions, time a fixed mix of searches in-process, over HTTP (gunicorn, two
workers) and as raw SQL, print the tables and rewrite the agenda section of
docs/benchmarks.md. The phases run in subprocesses (``stemnet.bench.agenda``) with the
production settings (``DEBUG=0``) pointed at the benchmark database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
SQLITE_PATH = BENCH_DIR / "bench.sqlite3"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/"
PG_DB = "stemnet_bench"
DOCS = BASE_DIR / "docs" / "benchmarks.md"
EXIT_STALE = 3


def postgres_reachable(admin_url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(admin_url.rstrip("/") + "/postgres", connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001
        return False


def _pg_admin(admin_url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(sql)


def pg_create(admin_url: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.rstrip("/") + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{PG_DB}"')


def pg_drop(admin_url: str) -> None:
    _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')


def sqlite_drop() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)


def child_env(database_url: str) -> dict[str, str]:
    env = os.environ.copy()
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": env.get("BENCH_SECRET_KEY", "bench-only-secret-key-0123456789abcdef"),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "DJANGO_SETTINGS_MODULE": "stemnet.settings",
            "LOG_LEVEL": "WARNING",
            # Production serves hashed static files: collected by the build phase.
            "STATIC_ROOT": str(BENCH_DIR / "static"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("TASKS_BACKEND", None)
    return env


def run_phase(
    phase: str, database_url: str, meta: Path, args, extra: list[str]
) -> tuple[int, dict]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    cmd = [
        sys.executable,
        "-m",
        "stemnet.bench.agenda",
        "--phase",
        phase,
        "--out",
        str(out),
        "--meta",
        str(meta),
        "--activities",
        str(args.activities),
        "--sessions",
        str(args.sessions),
        "--organisations",
        str(args.organisations),
        *extra,
    ]
    code = subprocess.call(cmd, env=child_env(database_url), cwd=BASE_DIR)  # noqa: S603
    try:
        data = json.loads(out.read_text()) if code == 0 else {}
    finally:
        out.unlink(missing_ok=True)
    return code, data


def bench_database(vendor: str, args) -> dict:
    if vendor == "sqlite":
        url = f"sqlite:///{SQLITE_PATH}"
        drop, create = sqlite_drop, (lambda: None)
    else:
        url = args.postgres_url.rstrip("/") + "/" + PG_DB
        drop = lambda: pg_drop(args.postgres_url)  # noqa: E731
        create = lambda: pg_create(args.postgres_url)  # noqa: E731
    meta = BENCH_DIR / f"agenda-{vendor}.json"
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if args.rebuild:
        drop()
        meta.unlink(missing_ok=True)
    create()
    print(f"== {vendor}: build", flush=True)
    t0 = time.perf_counter()
    code, built = run_phase("build", url, meta, args, [])
    if code == EXIT_STALE:
        print(f"== {vendor}: the benchmark database holds other data; rebuilding", flush=True)
        drop()
        meta.unlink(missing_ok=True)
        create()
        code, built = run_phase("build", url, meta, args, [])
    if code != 0:
        raise SystemExit(f"{vendor}: build failed (exit {code})")
    print(f"== {vendor}: build phase took {time.perf_counter() - t0:.0f} s", flush=True)
    if args.build_only:
        return {}
    extra = ["--runs", str(args.runs), "--warmup", str(args.warmup), "--workers", "2"]
    if not args.http:
        extra.append("--no-http")
    if args.explain:
        extra.append("--explain")
    print(f"== {vendor}: measure", flush=True)
    started = dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds")
    code, result = run_phase("measure", url, meta, args, extra)
    if code != 0:
        raise SystemExit(f"{vendor}: measurement failed (exit {code})")
    result.update(started=started, runs=args.runs, warmup=args.warmup)
    (BENCH_DIR / f"agenda-{vendor}-result.json").write_text(json.dumps(result, indent=2))
    if args.drop:
        drop()
        meta.unlink(missing_ok=True)
    return result


def _scale(text: str) -> int:
    """ "100k", "1m" or a plain number of activities."""
    raw = text.strip().lower().replace("_", "").replace(",", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(raw[-1:], 1)
    try:
        value = int(raw[:-1] if factor > 1 else raw) * factor
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a number of activities: {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m stemnet.bench",
        description=(
            "Agenda search benchmark: builds a separate database (var/bench/bench.sqlite3 "
            f"and/or PostgreSQL '{PG_DB}'), times a fixed mix of searches in-process, over "
            "HTTP (gunicorn, 2 workers) and as raw SQL, prints p50/p95 and rewrites the "
            "agenda section of docs/benchmarks.md."
        ),
    )
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres", "both"],
        help="database(s) to measure (default: both when PostgreSQL is reachable)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", PG_ADMIN_URL),
        help=f"PostgreSQL server URL without database (default {PG_ADMIN_URL})",
    )
    parser.add_argument(
        "--scale",
        type=_scale,
        help="activities, with three sessions each (100k, 1m or a number; sets --activities "
        "and --sessions; make bench SCALE=1m)",
    )
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=300_000)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--runs", type=int, default=30, help="timed rounds per query")
    parser.add_argument("--warmup", type=int, default=5, help="untimed rounds first")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the data")
    parser.add_argument("--drop", action="store_true", help="drop the database afterwards")
    parser.add_argument("--build-only", action="store_true", help="build, do not measure")
    parser.add_argument("--no-http", dest="http", action="store_false", help="skip HTTP")
    parser.add_argument("--explain", action="store_true", help="keep query plans in the JSON")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="only rewrite docs/benchmarks.md from the last saved results (var/bench/)",
    )
    parser.add_argument(
        "--no-write", dest="write", action="store_false", help="do not touch docs/benchmarks.md"
    )
    parser.add_argument(
        "--no-reach", dest="reach", action="store_false", help="skip the reach benchmark"
    )
    parser.add_argument("--reach-rows", type=int, default=1_000_000, help="reach rows to add")
    parser.add_argument(
        "--only",
        choices=["matching"],
        help="run only this benchmark (matching: the engine on 3,000 x 10,000, no database)",
    )
    parser.add_argument(
        "--no-matching", dest="matching", action="store_false", help="skip the matching benchmark"
    )
    args = parser.parse_args(argv)
    if args.only == "matching":
        from stemnet.bench import matching

        figures = matching.run(write=args.write)
        return 0 if figures["equal"] else 1
    if args.scale:
        args.activities, args.sessions = args.scale, 3 * args.scale

    if args.report_only:
        args.db = args.db or "both"
    elif args.db is None:
        args.db = "both" if postgres_reachable(args.postgres_url) else "sqlite"
        print(f"== databases: {args.db}", flush=True)
    elif args.db in ("postgres", "both") and not postgres_reachable(args.postgres_url):
        raise SystemExit(f"PostgreSQL is not reachable at {args.postgres_url}")
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None and args.http:
        print("!! gunicorn not found next to this Python; HTTP may fail", flush=True)

    vendors = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    started = dt.datetime.now(tz=dt.UTC)
    if args.report_only:
        saved = [BENCH_DIR / f"agenda-{v}-result.json" for v in vendors]
        results = [json.loads(p.read_text()) for p in saved if p.exists()]
        if not results:
            raise SystemExit("No saved results in var/bench/: run the benchmark first.")
        stamps = [dt.datetime.fromisoformat(r["started"]) for r in results if r.get("started")]
        started = min(stamps) if stamps else started
    else:
        results = [bench_database(v, args) for v in vendors]
    if args.build_only:
        return 0

    from stemnet.bench import report

    for result in results:
        print(report.console(result), flush=True)
    if args.write:
        text = report.section(
            results,
            runs=results[0].get("runs", args.runs),
            warmup=results[0].get("warmup", args.warmup),
            when=started,
        )
        report.write_section(DOCS, text)
        print(f"== wrote {DOCS.relative_to(BASE_DIR)}", flush=True)
    if args.reach and not args.report_only:
        # The reach monitor's dashboard on the same databases (stemnet/bench/reach.py).
        from stemnet.bench import reach

        reach.run(reach.driver_args(args))
    if args.matching and not args.report_only:
        from stemnet.bench import matching

        matching.run(write=args.write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
