"""One JSON line per request (request id, user id, method, path, status, duration).

``RequestLogMiddleware`` takes the request id from ``X-Request-ID`` (when it is a short
token) or makes one, sends it back in the response's ``X-Request-ID`` and logs one record
on the ``stemnet.request`` logger. ``JsonFormatter`` writes any record as one JSON line;
production turns it on with ``LOG_JSON=1`` (see settings).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

logger = logging.getLogger("stemnet.request")
_TOKEN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _TOKEN.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "path": request.path[:500],
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message and the request fields."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: getattr(record, k) for k in FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
