"""The backup and restore drill of docs/operations.md, run against the test database."""

import shutil
import subprocess
import tarfile

import pytest
from django.db import connection
from psycopg import sql

from stemnet.agenda.tests.factories import ActivityFactory

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql" or not shutil.which("pg_dump"),
    reason="the drill uses PostgreSQL's pg_dump and pg_restore (SQLite has no such tools)",
)


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cursor.fetchone()[0]
    return counts


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_pg_dump_restores_into_a_fresh_database_with_every_row(tmp_path, reference_data):
    import psycopg

    ActivityFactory.create_batch(3)
    name = connection.settings_dict["NAME"]
    restored = f"{name}_restore"
    dump = tmp_path / "stemnet.dump"
    with connection.cursor() as cursor:
        before = _counts(cursor)
    subprocess.run(  # noqa: S603
        [shutil.which("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", _url(name)],
        check=True,
    )
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(restored)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(restored)))
    try:
        subprocess.run(  # noqa: S603
            [
                shutil.which("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={_url(restored)}",
                str(dump),
            ],
            check=True,
        )
        with psycopg.connect(_url(restored)) as copy, copy.cursor() as cursor:
            after = _counts(cursor)
    finally:
        with psycopg.connect(_url("postgres"), autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(restored)))
    assert before["agenda_activity"] >= 3 and before["places_municipality"] > 300
    assert after == before


def test_media_archive_restores_every_file(tmp_path):
    media = tmp_path / "media"
    (media / "funding" / "7").mkdir(parents=True)
    (media / "funding" / "7" / "plan.pdf").write_bytes(b"%PDF-1.4 plan")
    (media / "logo.png").write_bytes(b"\x89PNG")
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(media, arcname=".")
    target = tmp_path / "restored"
    with tarfile.open(archive) as tar:
        tar.extractall(target, filter="data")
    files = {p.relative_to(media): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    assert {
        p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()
    } == files
