"""Fault tests: a bounded load (loopback only) against a real app server while the SMTP server
and PostgreSQL are stopped and started.

The app runs in gunicorn (2 workers × 4 threads) on a copy of the test database; mail goes
through the durable outbox to a real SMTP server (aiosmtpd) on 127.0.0.1.

* ``test_smtp_outage_under_load`` (every run): SMTP is stopped during the load. Nothing may
  fail, and after it is back every mail arrives exactly once.
* ``test_smtp_and_postgresql_outage_under_load``: also stops the machine's PostgreSQL for a
  few seconds (at most 15), so it only runs with ``STEMNET_FAULT_TEST=1`` and a PostgreSQL
  ``DATABASE_URL``. While the database is away requests must fail only with 503 and
  Retry-After; after it is back none may fail. Figures of a run are in ``docs/faults.md``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest

from stemnet.core.tests.faults import Load, Phase
from stemnet.core.tests.liveserver import AppServer, app_env
from stemnet.core.tests.smtpserver import SmtpServer

PSQL = shutil.which("psql") or "/usr/bin/psql"
PG_DUMP = shutil.which("pg_dump") or "/usr/bin/pg_dump"
# Seconds between the stop and the start command. The stop and start commands themselves took
# about 7 s on the loaded machine of the recorded run (8 s here gave 15.1 s in all).
PG_DOWN_SECONDS = 4


def _postgres(settings: dict) -> str:
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"


def _psql(url: str, sql: str = "", data: bytes | None = None) -> None:
    subprocess.run(  # noqa: S603 - the PostgreSQL client, fixed arguments
        [PSQL, "-q", url, *(["-c", sql] if sql else [])],
        input=data,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def app_database_source(django_db_setup, django_db_blocker, tmp_path_factory):
    """The test database's schema and reference data, taken before any test's transaction."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            path = tmp_path_factory.mktemp("app-database") / "source.sqlite3"
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.close()
            return ("sqlite", path)
        dump = subprocess.run(  # noqa: S603 - pg_dump of the committed test database
            [PG_DUMP, f"{_postgres(connection.settings_dict)}/{connection.settings_dict['NAME']}"],
            check=True,
            capture_output=True,
        )
        return ("postgresql", dump.stdout)


@pytest.fixture
def app_database(app_database_source, tmp_path):
    """A fresh copy of the test database for the server process, dropped afterwards."""
    from django.db import connection

    vendor, source = app_database_source
    if vendor == "sqlite":
        path = tmp_path / "app.sqlite3"
        shutil.copyfile(source, path)
        yield f"sqlite:///{path}"
        return
    server = _postgres(connection.settings_dict)
    copy = f"{connection.settings_dict['NAME']}_fault"
    _psql(f"{server}/postgres", f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    _psql(f"{server}/postgres", f'CREATE DATABASE "{copy}"')
    _psql(f"{server}/{copy}", data=source)
    try:
        yield f"{server}/{copy}"
    finally:
        _psql(f"{server}/postgres", f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


@pytest.fixture
def app_and_smtp(app_database, tmp_path):
    with SmtpServer() as smtp:
        env = app_env(
            database_url=app_database,
            var_dir=tmp_path,
            EMAIL_HOST=smtp.host,
            EMAIL_PORT=str(smtp.port),
            OUTBOX_RETRY_BASE_SECONDS="1",
        )
        with AppServer(env) as server:
            yield server, smtp


def mail_figures(phases: list[Phase], smtp: SmtpServer) -> dict:
    expected = set().union(*(phase.expected_mail for phase in phases))
    received = Counter(r.rcpt_tos[0] for r in smtp.received)
    return {
        "mails_expected": len(expected),
        "mails_received": sum(received[address] for address in expected),
        "mails_lost": len(expected - set(received)),
        "mails_duplicated": sum(received[address] - 1 for address in expected if received[address]),
    }


def sweep_outbox(server: AppServer) -> str:
    time.sleep(2)  # the retries are due 1-2 s after their failed attempt
    return server.manage("send_outbox").stdout.strip()


def report(name: str, figures: dict, server: AppServer) -> None:
    text = json.dumps(figures, indent=1)
    print(f"\n== {name}\n{text}")  # noqa: T201 - the figures of the run (pytest -s)
    (Path(server.env["STEMNET_VAR_DIR"]) / f"{name}.json").write_text(text)


@pytest.mark.django_db
def test_smtp_outage_under_load(app_and_smtp):
    server, smtp = app_and_smtp
    load = Load(server.base, threads=4)
    before = load.run(Phase("smtp up"), steps=5)
    smtp.stop()
    during = load.run(Phase("smtp down"), steps=10)
    smtp.start()
    after = load.run(Phase("smtp back"), steps=5)
    swept = sweep_outbox(server)
    phases = [before, during, after]
    figures = {p.name: p.summary() for p in phases} | mail_figures(phases, smtp)
    figures["sweep"] = swept
    report("smtp-outage", figures, server)
    assert all(not p.failed for p in phases), figures
    assert during.expected_mail, figures  # sign-ups and resets went through while SMTP was down
    assert figures["mails_lost"] == 0 and figures["mails_duplicated"] == 0, figures
    assert "Traceback" not in server.log.read_text()


def pg_cluster(action: str) -> None:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(  # noqa: S603 - the machine's own cluster tool, fixed arguments
        ["/usr/bin/pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action],
        check=True,
        timeout=60,
        capture_output=True,
    )


def wait_ready(base: str, timeout: float = 30) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if httpx.get(f"{base}/readyz", timeout=3).status_code == 200:
                return time.monotonic() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the app did not become ready again after PostgreSQL came back")


@pytest.mark.skipif(
    os.environ.get("STEMNET_FAULT_TEST") != "1"
    or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="stops and starts the machine's shared PostgreSQL server: run it on purpose, once, "
    "with STEMNET_FAULT_TEST=1 and a PostgreSQL DATABASE_URL",
)
@pytest.mark.django_db(transaction=True)  # no open transaction while PostgreSQL is stopped
def test_smtp_and_postgresql_outage_under_load(app_and_smtp):
    from django.db import connections

    connections.close_all()
    server, smtp = app_and_smtp
    load = Load(server.base, threads=4)
    phases = [load.run(Phase("all up"), steps=10)]
    smtp.stop()
    phases.append(load.run(Phase("smtp down"), steps=10))
    smtp.start()

    back = threading.Event()
    outage = Phase("postgresql down")
    runner = threading.Thread(
        target=load.run, args=(outage,), kwargs={"until": back, "pause": 0.05}
    )
    started = time.monotonic()
    pg_cluster("stop")
    runner.start()
    try:
        time.sleep(PG_DOWN_SECONDS)
    finally:
        pg_cluster("start")
    stopped_for = time.monotonic() - started
    ready_after = wait_ready(server.base)
    back.set()
    runner.join(timeout=60)
    phases.append(outage)
    phases.append(load.run(Phase("after recovery"), steps=15))
    swept = sweep_outbox(server)
    connections.close_all()  # this process's connections died with the server

    figures = {p.name: p.summary() for p in phases} | mail_figures(phases, smtp)
    figures |= {
        "postgresql_stopped_seconds": round(stopped_for, 1),
        "ready_again_after_start_seconds": round(ready_after, 1),
        "sweep": swept,
    }
    report("smtp-and-postgresql-outage", figures, server)
    assert not phases[0].failed and not phases[1].failed, figures
    assert stopped_for < 15, figures
    assert all(o.status == 503 and o.retry_after for o in outage.failed), figures
    assert not phases[-1].failed, figures  # after recovery: 0 failed
    assert figures["mails_lost"] == 0 and figures["mails_duplicated"] == 0, figures
