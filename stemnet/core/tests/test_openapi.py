"""The committed OpenAPI document (docs/openapi.json) must match the API."""

from stemnet.core.management.commands.export_openapi import DEFAULT_PATH, openapi_text


def test_committed_openapi_document_is_current():
    assert DEFAULT_PATH.exists(), "docs/openapi.json is missing: run `make openapi`."
    committed = DEFAULT_PATH.read_text(encoding="utf-8")
    assert committed == openapi_text(), "docs/openapi.json is out of date: run `make openapi`."


def test_openapi_document_lists_the_agenda():
    text = openapi_text()
    assert '"/api/v1/activities"' in text
    assert '"/api/v1/activities/{activity_id}"' in text
