"""A NUL byte anywhere in a request is a 400 with a reason in the visitor's language."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/agenda/?q=a%00b", "/en/agenda/?page=%00", "/agenda/%00/"])
def test_pages_refuse_nul_bytes_with_a_reason(client, url):
    response = client.get(url)
    assert response.status_code == 400
    reason = "NUL" if url.startswith("/en/") else "NUL-teken"
    assert reason in response.content.decode()


def test_forms_and_the_api_refuse_nul_bytes(client):
    assert client.post("/contact/", {"name": "a\x00b"}).status_code == 400
    response = client.get("/api/v1/organisations?q=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_dates_beyond_the_agenda_and_huge_offsets_are_4xx(client):
    response = client.get("/api/v1/activities?date_to=9999-12-31", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and "2100" in response.json()["detail"]
    assert client.get("/agenda/?date_to=9999-12-31").status_code == 400
    assert client.get("/api/v1/organisations?page=99999999999999999999").status_code == 422


def test_a_choice_id_too_large_for_the_database_is_refused_not_a_500(client):
    """A tampered multiple-choice value of 23 digits: PostgreSQL finds no such row and the
    form says so; SQLite's driver cannot even send it, which is now a 400 with a reason."""
    from django.db import connection

    from stemnet.funding.tests.factories import coordinator_of
    from stemnet.organisations.tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    client.force_login(coordinator_of(organisation))
    client.raise_request_exception = False
    huge = "99999999999999999999999"
    response = client.post(
        "/agenda/beheer/nieuw/",
        {"organisation": organisation.slug, "title": "Robots", "domains": huge},
    )
    if connection.vendor == "sqlite":
        assert response.status_code == 400
        assert "te groot" in response.content.decode()
    else:
        assert response.status_code == 200
        assert huge in response.content.decode()  # "… is geen beschikbare keuze"
