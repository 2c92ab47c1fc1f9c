"""A local fake of publiq's token endpoint, Entry API and Search API (127.0.0.1 only).

Entry API requests are checked the way UiTdatabank checks them: a bearer token from our token
endpoint, and a body valid against publiq's JSON Schema for that operation (else 400 with a
``schemaErrors`` problem document, as in the spec). Every request is recorded.
Search API pages are sliced (``start``/``limit``) from ``events`` (real example documents).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from stemnet.uit import schemas

ENTRY_BODY_SCHEMAS = [
    ("POST", re.compile(r"^/entry/events$"), schemas.EVENT_POST),
    ("PUT", re.compile(r"^/entry/events/[0-9a-f-]{36}$"), schemas.EVENT_PUT),
    ("PUT", re.compile(r"^/entry/events/[0-9a-f-]{36}/status$"), schemas.EVENT_STATUS_PUT),
    ("POST", re.compile(r"^/entry/places$"), schemas.PLACE_POST),
    ("POST", re.compile(r"^/entry/organizers$"), schemas.ORGANIZER_POST),
    ("POST", re.compile(r"^/entry/images$"), schemas.IMAGE_POST),
]


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    body: object


@dataclass
class FakeUit:
    base: str = ""
    requests: list[Recorded] = field(default_factory=list)
    tokens_issued: int = 0
    token_lifetime: int = 3600
    valid_tokens: set = field(default_factory=set)
    events: dict = field(default_factory=dict)  # uit id → last body
    statuses: dict = field(default_factory=dict)  # uit id → last status body
    deleted: list = field(default_factory=list)
    # scripted answers: (method, path regex) → list of (status, headers, body) used first
    script: list = field(default_factory=list)
    search_events: list = field(default_factory=list)
    search_places: list = field(default_factory=list)
    search_organizers: list = field(default_factory=list)
    # start offset → raw bytes served instead of the page (a malformed page)
    broken_pages: dict = field(default_factory=dict)

    def calls(self, method: str, pattern: str) -> list[Recorded]:
        rx = re.compile(pattern)
        return [r for r in self.requests if r.method == method and rx.search(r.path)]

    def entry_calls(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith("/entry/")]

    def fail_next(self, method: str, pattern: str, *answers) -> None:
        self.script.append((method, re.compile(pattern), list(answers)))


def _handler(state: FakeUit):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _body(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            ctype = self.headers.get("Content-Type", "")
            if "json" in ctype:
                try:
                    return json.loads(raw or b"null")
                except ValueError:
                    return raw
            if "x-www-form-urlencoded" in ctype:
                return {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            return raw

        def _send(self, status: int, body=None, headers=None, ctype="application/json"):
            payload = (
                b""
                if body is None
                else (body if isinstance(body, bytes) else json.dumps(body).encode())
            )
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if payload:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _handle(self, method: str):
            split = urlsplit(self.path)
            path = split.path
            query = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(split.query).items()}
            body = self._body()
            state.requests.append(
                Recorded(method, path, query, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            for i, (m, rx, answers) in enumerate(state.script):
                if m == method and rx.search(path) and answers:
                    status, headers, answer = answers.pop(0)
                    if not answers:
                        state.script.pop(i)
                    return self._send(status, answer, headers)
            if path == "/oauth/token":
                return self._token(body)
            if path.startswith("/entry/"):
                return self._entry(method, path, body)
            if path.startswith("/search/"):
                return self._search(path, query)
            return self._send(404, {"title": "Not found"})

        def _token(self, body):
            if not isinstance(body, dict) or body.get("grant_type") != "client_credentials":
                return self._send(400, {"error": "unsupported_grant_type"})
            if body.get("client_secret") != "geheim":
                return self._send(401, {"error": "invalid_client"})
            state.tokens_issued += 1
            token = f"token-{state.tokens_issued}"
            state.valid_tokens.add(token)
            return self._send(
                200,
                {"access_token": token, "token_type": "Bearer", "expires_in": state.token_lifetime},
            )

        def _entry(self, method, path, body):
            auth = self.headers.get("Authorization", "")
            if not auth.startswith("Bearer ") or auth[7:] not in state.valid_tokens:
                return self._send(401, {"title": "Unauthorized", "status": 401})
            for m, rx, schema in ENTRY_BODY_SCHEMAS:
                if m == method and rx.match(path):
                    problems = schemas.errors(schema, body)
                    if problems:
                        return self._send(
                            400,
                            {
                                "type": "https://api.publiq.be/probs/body/invalid-data",
                                "title": "Invalid body data",
                                "status": 400,
                                "schemaErrors": [
                                    {"jsonPointer": p, "error": e} for p, e in problems
                                ],
                            },
                            ctype="application/problem+json",
                        )
            parts = path.split("/")[2:]
            new = str(uuid.uuid4())
            if method == "POST" and parts == ["events"]:
                state.events[new] = body
                url = f"{state.base}/entry/events/{new}"
                return self._send(201, {"id": new, "eventId": new, "url": url})
            if method == "POST" and parts[0] in ("places", "organizers"):
                kind = parts[0][:-1]
                url = f"https://io-test.uitdatabank.be/{parts[0]}/{new}"
                return self._send(201, {"id": new, f"{kind}Id": new, "url": url})
            if method == "POST" and parts == ["images"]:
                url = f"https://io-test.uitdatabank.be/images/{new}"
                return self._send(201, {"@id": url, "imageId": new})
            if len(parts) >= 2 and parts[0] == "events":
                ident = parts[1]
                if ident not in state.events:
                    return self._send(404, {"title": "Not Found", "status": 404})
                if method == "PUT" and len(parts) == 2:
                    state.events[ident] = body
                    url = f"{state.base}/entry/events/{ident}"
                    return self._send(200, {"id": ident, "eventId": ident, "url": url})
                if method == "PUT" and parts[2:] == ["status"]:
                    state.statuses[ident] = body
                    return self._send(204)
                if method == "DELETE" and len(parts) == 2:
                    state.deleted.append(ident)
                    return self._send(204)
            return self._send(404, {"title": "Not Found"})

        def _search(self, path, query):
            if not self.headers.get("x-client-id"):
                return self._send(401, {"title": "Missing x-client-id"})
            resource = path.split("/")[2]
            if resource == "places":
                items = state.search_places
            elif resource == "organizers":
                items = state.search_organizers
            else:
                items = state.search_events
            start = int(query.get("start", 0))
            limit = int(query.get("limit", 30))
            if resource == "events" and start in state.broken_pages:
                return self._send(200, state.broken_pages[start])
            page = items[start : start + limit]
            return self._send(
                200, {"itemsPerPage": limit, "totalItems": len(items), "member": page}
            )

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

        def do_PUT(self):
            self._handle("PUT")

        def do_DELETE(self):
            self._handle("DELETE")

    return Handler


class Server:
    def __init__(self, port: int = 0):
        self.state = FakeUit()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self.state))
        host, port = self.httpd.server_address[:2]
        self.state.base = f"http://{host}:{port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeUit:
        self.thread.start()
        return self.state

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
