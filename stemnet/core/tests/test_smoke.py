import pytest


@pytest.mark.django_db
def test_home_page_answers_in_dutch(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b'lang="nl"' in response.content


@pytest.mark.django_db
def test_english_prefix(client):
    response = client.get("/en/")
    assert response.status_code == 200
    assert b'lang="en"' in response.content
