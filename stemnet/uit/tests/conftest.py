import json
from pathlib import Path

import pytest
from django.core.cache import cache

from stemnet.uit.tests.fakeuit import Server

CONTRACTS = Path(__file__).resolve().parent / "contracts"


def search_document(name: str) -> dict:
    return json.loads((CONTRACTS / "events" / "search" / name).read_text(encoding="utf-8"))


def search_documents() -> list[dict]:
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((CONTRACTS / "events" / "search").glob("*.json"))
    ]


@pytest.fixture
def fake_uit(settings):
    """A fake publiq on 127.0.0.1 (random port), with the settings pointing at it."""
    cache.clear()
    with Server() as state:
        settings.UIT_TOKEN_URL = f"{state.base}/oauth/token"
        settings.UIT_CLIENT_ID = "stemnet-test"
        settings.UIT_CLIENT_SECRET = "geheim"
        settings.UIT_ENTRY_URL = f"{state.base}/entry"
        settings.UIT_SEARCH_URL = f"{state.base}/search"
        settings.UIT_SEARCH_QUERIES = []
        settings.UIT_SEARCH_REGIONS = []
        yield state
    cache.clear()


@pytest.fixture
def no_uit(settings):
    cache.clear()
    settings.UIT_TOKEN_URL = ""
    settings.UIT_CLIENT_ID = ""
    settings.UIT_CLIENT_SECRET = ""
    settings.UIT_ENTRY_URL = ""
    settings.UIT_SEARCH_URL = ""
    return settings


@pytest.fixture(autouse=True)
def slept(monkeypatch):
    """Retries back off with time.sleep; tests record the delays instead of waiting."""
    slept: list[float] = []
    monkeypatch.setattr("stemnet.uit.client.time.sleep", slept.append)
    return slept
