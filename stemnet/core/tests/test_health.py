"""/healthz, /readyz and 503 (not 500) while the database is away."""

import httpx
import pytest

from stemnet.core.tests.liveserver import AppServer, app_env
from stemnet.core.tests.smtpserver import free_port


@pytest.mark.django_db
def test_healthz_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "cache": "ok"}


def test_database_away_answers_503_with_retry_after_and_healthz_stays_up(tmp_path):
    """A real server whose PostgreSQL address refuses connections (nothing listens there)."""
    away = f"postgres://postgres@127.0.0.1:{free_port()}/stemnet_away"
    env = app_env(database_url=away, var_dir=tmp_path)
    with (
        AppServer(env, workers=1) as server,
        httpx.Client(base_url=server.base, timeout=10) as http,
    ):
        assert http.get("/healthz").status_code == 200
        ready = http.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["database"] == "unavailable: OperationalError"
        for method, path in [
            ("GET", "/"),
            ("GET", "/en/agenda/"),
            ("GET", "/api/v1/activities"),
            ("GET", "/organisaties/"),
        ]:
            response = http.request(method, path, headers={"Accept-Language": "en"})
            assert response.status_code == 503, (path, response.text[:300])
            assert response.headers["Retry-After"] == "15"
        page = http.get("/").text
        assert "STEMnet is even niet beschikbaar" in page
        api = http.get("/api/v1/activities", headers={"Accept-Language": "en"})
        assert api.json() == {"detail": "The database is not available. Try again in a moment."}
    assert "Traceback" not in server.log.read_text()
