"""One JSON line per request, with the request id honoured and sent back."""

import json
import logging

import pytest

from stemnet.accounts.tests.factories import UserFactory
from stemnet.core.requestlog import JsonFormatter

pytestmark = pytest.mark.django_db


def _lines(caplog):
    return [
        json.loads(JsonFormatter().format(r)) for r in caplog.records if r.name == "stemnet.request"
    ]


def test_a_request_is_one_json_line_with_its_id_user_status_and_duration(client, caplog):
    user = UserFactory()
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="stemnet.request"):
        response = client.get("/agenda/?q=robot", HTTP_X_REQUEST_ID="proxy-1234")
    assert response["X-Request-ID"] == "proxy-1234"
    [line] = _lines(caplog)
    assert line["request_id"] == "proxy-1234" and line["user_id"] == user.pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/agenda/", 200)
    assert line["duration_ms"] >= 0 and line["level"] == "INFO"


def test_a_missing_or_odd_request_id_is_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="stemnet.request"):
        response = client.get("/nope/", HTTP_X_REQUEST_ID="a b\nc")
    [line] = _lines(caplog)
    assert response.status_code == 404 and line["status"] == 404
    assert line["user_id"] is None
    assert line["request_id"] == response["X-Request-ID"] and len(line["request_id"]) == 32
