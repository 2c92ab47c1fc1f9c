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
