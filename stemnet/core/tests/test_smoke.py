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


def test_server_workers_keep_their_loaded_objects_out_of_the_collector():
    import gc
    import importlib

    gc.unfreeze()
    try:
        wsgi = importlib.reload(importlib.import_module("stemnet.wsgi"))
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
