"""With DEBUG on (the demo) visitors get the site's own 404 and 500 pages, not Django's
technical pages with the URL list or a traceback."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("stemnet.core.tests.urls_errors")]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_PAGES = False


@pytest.mark.parametrize("path", ["/bestaat-niet/", "/en/does-not-exist/", "/agenda/999999/x/"])
def test_unknown_address_shows_the_sites_404(client, debug, path):
    response = client.get(path)
    html = response.content.decode()
    assert response.status_code == 404
    assert "Using the URLconf" not in html and "technical_404" not in html
    assert "STEMnet" in html and 'class="site-header"' in html
    assert "Pagina niet gevonden" in html or "Page not found" in html


def test_a_bug_shows_the_sites_500(client, debug, caplog):
    client.raise_request_exception = False
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Traceback" not in html and "a bug" not in html
    assert "Er ging iets mis" in html
    assert any("a bug" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_developers_can_ask_for_the_technical_pages(client, settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_PAGES = True
    assert "Using the URLconf" in client.get("/bestaat-niet/").content.decode()
