"""Timing the agenda search three ways: in-process, over HTTP (gunicorn) and as raw SQL.

* in-process: parse the query string into the selector's filters and run
  ``search.run`` (count, one page of results and the facets), forcing every lazy part;
* HTTP: ``GET /api/v1/activities?<query>`` against ``gunicorn stemnet.wsgi --workers 2``
  started here with the production settings (``DEBUG=0``), sequential requests with httpx;
* raw SQL: the exact statements (SQL and parameters) the API request issues, recorded
  once through ``connection.execute_wrapper`` while the request runs in-process, then
  replayed on a plain cursor (execute + fetchall), timing their sum per request.

Queries run round-robin (every query once per round) after a few warm-up rounds, so one
query's cache does not flatter the next run of the same query.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from urllib.parse import urlencode

from stemnet.bench.stats import summary_ms

API_PATH = "/api/v1/activities"

# (label, query). {dN} is the base date plus N days (ISO), so the mix keeps its meaning on
# whatever day the data was generated.
QUERIES: list[tuple[str, str]] = [
    (
        "text+age+radius+dates",
        "q=robot&age=10&postcode=2800&radius_km=10&date_from={d0}&date_to={d60}",
    ),
    ("camps in a province", "kind=kamp&province=10000"),
    ("theme, free", "theme=digitalisering&free=1"),
    ("text by distance", "q=programmeren&sort=distance&postcode=9000&radius_km=25"),
    ("everything, page 1", ""),
    ("everything, page 20", "page=20"),
    ("age, next two weeks", "age=8&date_from={d0}&date_to={d14}"),
    ("text only", "q=drones"),
    ("text+province", "q=sterrenkunde&province=70000"),
    ("domain+age range", "domain=mathematics&age_min=12&age_max=16"),
    ("radius+kind", "postcode=3000&radius_km=15&kind=workshop"),
    ("radius by distance, page 3", "postcode=8000&radius_km=20&sort=distance&page=3"),
    ("municipality+theme", "municipality=11002&theme=robotica"),
    ("uitpas+price+age", "uitpas=1&max_price=20&age=11"),
    ("camp places left, summer", "places_left=1&kind=kamp&date_from={d30}&date_to={d90}"),
    ("accessibility+province", "accessibility=rolstoeltoegankelijk&province=40000"),
    ("UiT source, upcoming", "source=uit&date_from={d0}"),
    ("two words+age", "q=3d printen&age=13"),
    ("text+radius+free", "q=natuur&postcode=3500&radius_km=30&free=1"),
    (
        "two themes+province",
        "theme=energie-klimaat&theme=circulaire-economie&province=20001",
    ),
    ("one topic word", "q=minecraft"),
    ("no match", "q=vulkanen&age=10"),
    ("kind+domain+age, page 4", "kind=reeks&domain=technology&age=9&page=4"),
    ("text, page 10", "q=robot&page=10"),
    ("one weekend by date", "date_from={d7}&date_to={d9}&sort=date"),
    ("free, small radius, age", "max_price=0&postcode=9000&radius_km=5&age=7"),
    ("prefix text", "q=progr&age=12"),
]


def query_strings(base_date: dt.date) -> list[tuple[str, str]]:
    days = {f"d{n}": (base_date + dt.timedelta(days=n)).isoformat() for n in range(0, 366)}
    out = []
    for label, template in QUERIES:
        raw = template.format(**days)
        # Re-encode so spaces etc. are valid in a URL.
        pairs = [tuple(p.split("=", 1)) for p in raw.split("&") if p]
        out.append((label, urlencode(pairs)))
    return out


def time_rounds(
    calls: list[tuple[str, Callable[[], object]]], *, warmup: int, runs: int
) -> dict[str, list[float]]:
    """Durations in seconds per label: ``warmup`` untimed rounds, then ``runs`` timed ones."""
    from stemnet.core.runtime import freeze_loaded_objects

    for _ in range(warmup):
        for _label, call in calls:
            call()
    freeze_loaded_objects()  # as each server worker does (stemnet/wsgi.py)
    times: dict[str, list[float]] = {label: [] for label, _ in calls}
    for _ in range(runs):
        for label, call in calls:
            t0 = time.perf_counter()
            call()
            times[label].append(time.perf_counter() - t0)
    return times


def summarise(times: dict[str, list[float]]) -> dict:
    everything = [t for values in times.values() for t in values]
    return {
        "all": summary_ms(everything),
        "per_query": {label: summary_ms(values) for label, values in times.items()},
    }


# --- in-process -------------------------------------------------------------------------


def search_call(query: str) -> Callable[[], dict]:
    """A call that runs the selector for ``query`` like the API does; returns a digest."""
    from django.http import QueryDict

    from stemnet.agenda import search

    def call() -> dict:
        params = QueryDict(query)
        filters = search.ActivityFilters.parse(params, api=True)
        page = int(params.get("page") or 1)
        page_size = int(params.get("page_size") or 20)
        result = search.run(filters, page=page, page_size=page_size)
        return {
            "count": result.count,
            "results": len(result.results),
            "facets": sum(len(values) for values in result.facets.values()),
        }

    return call


# --- raw SQL ------------------------------------------------------------------------------


class StatementRecorder:
    """An execute wrapper that keeps (sql, params, many) of every statement."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, object, bool]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def api_available() -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(API_PATH)
    except Resolver404:
        return False
    return True


def record_request_sql(query: str) -> tuple[list[tuple[str, object, bool]], dict]:
    """Run ``GET /api/v1/activities?query`` in-process; return its statements and JSON."""
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    recorder = StatementRecorder()
    with connection.execute_wrapper(recorder):
        response = client.get(f"{API_PATH}?{query}")
    if response.status_code != 200:
        raise RuntimeError(
            f"{API_PATH}?{query} answered {response.status_code}: {response.content[:300]!r}"
        )
    return recorder.statements, response.json()


def record_selector_sql(query: str) -> tuple[list[tuple[str, object, bool]], dict]:
    """Run the selector for ``query`` in-process; return its statements and digest."""
    from django.db import connection

    recorder = StatementRecorder()
    with connection.execute_wrapper(recorder):
        digest = search_call(query)()
    return recorder.statements, digest


def replay_call(statements: list[tuple[str, object, bool]]) -> Callable[[], int]:
    """A call that re-executes the recorded statements on a plain cursor, fetching all rows."""
    from django.db import connection

    selects = [s for s in statements if s[0].lstrip().upper().startswith(("SELECT", "WITH"))]

    def call() -> int:
        rows = 0
        with connection.cursor() as cursor:
            for sql, params, _many in selects:
                cursor.execute(sql, params)
                rows += len(cursor.fetchall())
        return rows

    return call


def slowest_statements(statements, *, repeat: int = 1, top: int = 3) -> list[dict]:
    """The ``top`` slowest SELECTs of a request (median of ``repeat`` runs), for diagnosis."""
    from django.db import connection

    timed = []
    with connection.cursor() as cursor:
        for sql, params, _many in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                continue
            runs = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                runs.append(time.perf_counter() - t0)
            runs.sort()
            timed.append({"ms": runs[len(runs) // 2] * 1000, "sql": sql, "params": repr(params)})
    timed.sort(key=lambda item: -item["ms"])
    return timed[:top]


# --- HTTP ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """``gunicorn stemnet.wsgi --workers 2`` on a free local port, with this process' env."""

    def __init__(self, workers: int = 2) -> None:
        self.port = free_port()
        self.workers = workers
        self.process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "stemnet.wsgi",
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(cmd, env=os.environ.copy())  # noqa: S603
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                r = httpx.get(f"{self.base_url}{API_PATH}?page_size=1", timeout=10)
                if r.status_code == 200:
                    return
                raise RuntimeError(f"gunicorn answered {r.status_code}: {r.text[:300]}")
            except httpx.TransportError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not become ready in time")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def http_calls(
    client, queries: list[tuple[str, str]], failures: dict[str, list[str]] | None = None
) -> list[tuple[str, Callable[[], object]]]:
    """Calls that GET each query. A failed request (non-200, or the connection dropped, as
    when gunicorn kills a worker after its 30 s timeout) is kept in ``failures`` with its
    elapsed time still counted; without ``failures`` it raises."""
    import httpx

    def make(label: str, query: str):
        url = f"{API_PATH}?{query}"

        def call():
            try:
                r = client.get(url)
            except httpx.TransportError as exc:
                if failures is None:
                    raise
                failures.setdefault(label, []).append(f"{type(exc).__name__}: {exc}"[:200])
                return b""
            if r.status_code != 200:
                if failures is None:
                    raise RuntimeError(f"{url} answered {r.status_code}: {r.text[:300]}")
                failures.setdefault(label, []).append(f"HTTP {r.status_code}")
            return r.content

        return call

    return [(label, make(label, query)) for label, query in queries]
