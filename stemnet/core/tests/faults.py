"""A bounded load on loopback against the app server, in phases, while services fail.

Each worker thread has its own client (cookies, CSRF token) and repeats a mix of public
pages, the API, sign-ups and password-reset requests. Every sign-up and every reset request
that is answered with a redirect must lead to exactly one mail to its own address.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

PASSWORD = "Fault-test-password-2026"  # noqa: S105 - a throwaway account on a test database
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OK = {200, 302}


@dataclass
class Outcome:
    path: str
    status: int  # 0: no HTTP answer (connection error, timeout)
    retry_after: str | None = None
    error: str = ""


@dataclass
class Phase:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    expected_mail: set[str] = field(default_factory=set)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status not in OK]

    def summary(self) -> dict:
        failed = self.failed
        return {
            "requests": len(self.outcomes),
            "failed": len(failed),
            "failed_503_with_retry_after": sum(
                1 for o in failed if o.status == 503 and o.retry_after
            ),
            "statuses": dict(Counter(o.status for o in self.outcomes)),
            "mails_expected": len(self.expected_mail),
        }


class Load:
    def __init__(self, base: str, *, threads: int = 4):
        self.base = base
        self.threads = threads
        self.numbers = itertools.count(1)
        self.lock = threading.Lock()

    def _record(self, phase: Phase, outcome: Outcome) -> Outcome:
        with self.lock:
            phase.outcomes.append(outcome)
        return outcome

    def _request(self, http: httpx.Client, phase: Phase, method: str, path: str, **kw):
        try:
            response = http.request(method, path, **kw)
        except httpx.HTTPError as exc:
            self._record(phase, Outcome(path, 0, error=type(exc).__name__))
            return None
        self._record(
            phase, Outcome(path, response.status_code, response.headers.get("Retry-After"))
        )
        return response

    def _form(self, http, phase, path: str, data: dict, address: str) -> None:
        page = self._request(http, phase, "GET", path)
        if page is None or page.status_code != 200:
            return
        match = TOKEN.search(page.text)
        if not match:
            return
        response = self._request(
            http, phase, "POST", path, data={**data, "csrfmiddlewaretoken": match.group(1)}
        )
        if response is not None and response.status_code == 302:
            with self.lock:
                phase.expected_mail.add(address)

    def _step(self, http: httpx.Client, phase: Phase, kind: int) -> None:
        n = next(self.numbers)
        if kind == 0:
            self._request(http, phase, "GET", "/")
        elif kind == 1:
            self._request(http, phase, "GET", "/agenda/")
        elif kind == 2:
            self._request(http, phase, "GET", "/api/v1/activities")
        elif kind == 3:
            address = f"signup-{n}@example.org"
            data = {"email": address, "password1": PASSWORD, "password2": PASSWORD}
            self._form(http, phase, "/accounts/signup/", data, address)
            http.cookies.clear()  # signed up (not logged in): start again as a visitor
        else:
            address = f"reset-{n}@example.org"
            self._form(http, phase, "/accounts/password/reset/", {"email": address}, address)

    def run(
        self,
        phase: Phase,
        *,
        steps: int = 0,
        until: threading.Event | None = None,
        pause: float = 0.0,
        max_seconds: float = 60,
    ) -> Phase:
        """Each thread takes ``steps`` steps, or steps until ``until`` is set (bounded)."""
        deadline = time.monotonic() + max_seconds

        def worker(offset: int) -> None:
            with httpx.Client(base_url=self.base, timeout=15, follow_redirects=False) as http:
                taken = 0
                while time.monotonic() < deadline:
                    if until is None and taken >= steps:
                        return
                    if until is not None and until.is_set():
                        return
                    self._step(http, phase, (offset + taken) % 5)
                    taken += 1
                    if pause:
                        time.sleep(pause)

        with ThreadPoolExecutor(self.threads) as pool:
            list(pool.map(worker, range(self.threads)))
        return phase
