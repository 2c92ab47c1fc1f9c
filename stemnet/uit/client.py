"""HTTP client of publiq's UiTdatabank APIs (Entry API 3.0, Search API 3.0), with httpx.

* OAuth2 client credentials: ``POST UIT_TOKEN_URL`` with ``grant_type=client_credentials``,
  the client id and secret, and ``audience=https://api.publiq.be`` (publiq's authorization
  server wants it). The token is cached (Django cache) until a minute before it expires; a 401
  drops it and asks once for a new one.
* Timeouts on every call; retries with exponential backoff (0.5 s, 1 s, 2 s …) on 429, 5xx
  and network errors, respecting ``Retry-After`` (seconds, capped at 60).
* Errors come back as ``UitError`` with the HTTP status, publiq's problem document
  (``application/problem+json``) and a Dutch explanation for the coordinator.
* The Search API identifies us with the ``x-client-id`` header.

Nothing is sent when the client is not configured (``UitNotConfigured``).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import httpx
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

AUDIENCE = "https://api.publiq.be"
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 60.0


class UitNotConfigured(RuntimeError):
    """No credentials or hosts are configured: nothing is sent."""


class UitError(RuntimeError):
    def __init__(self, message: str, *, status: int | None = None, problem: dict | None = None):
        super().__init__(message)
        self.status = status
        self.problem = problem or {}

    @property
    def rejected(self) -> bool:
        """UiTdatabank refused the content (4xx other than auth/rate limit): fix and retry."""
        return (
            self.status is not None
            and 400 <= self.status < 500
            and self.status
            not in (
                401,
                403,
                429,
            )
        )

    def dutch(self) -> str:
        """The reason in Dutch, with publiq's own (English) details for the record."""
        if self.status is None:
            head = "UiTdatabank was niet bereikbaar"
        elif self.status in (401, 403):
            head = (
                "UiTdatabank weigerde de toegang (controleer de client-id en het geheim, "
                "en de rechten van de client)"
            )
        elif self.status == 404:
            head = "UiTdatabank kent dit item niet (meer)"
        elif self.status == 409:
            head = "UiTdatabank meldt dat dit al bestaat"
        elif self.status == 429:
            head = "UiTdatabank kreeg te veel aanvragen; later opnieuw proberen"
        elif self.status >= 500:
            head = "UiTdatabank had een storing"
        else:
            head = "UiTdatabank weigerde de gegevens"
        details = []
        if self.problem.get("title"):
            details.append(str(self.problem["title"]))
        if self.problem.get("detail"):
            details.append(str(self.problem["detail"]))
        for err in self.problem.get("schemaErrors", []) or []:
            details.append(f"{err.get('jsonPointer', '/')}: {err.get('error', '')}")
        text = head + (f" (HTTP {self.status})" if self.status else "") + "."
        if details:
            text += " Details: " + "; ".join(details)[:800]
        elif str(self) and self.status is None:
            text += f" ({self})"
        return text


@dataclass(frozen=True)
class Created:
    id: str
    url: str


class UitClient:
    def __init__(
        self,
        *,
        token_url: str,
        client_id: str,
        client_secret: str,
        entry_url: str,
        search_url: str = "",
        timeout: float = 15.0,
        max_attempts: int = 4,
        backoff: float = 0.5,
        sleep: Callable[[float], None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.entry_url = entry_url.rstrip("/")
        self.search_url = search_url.rstrip("/")
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.sleep = sleep or (lambda seconds: time.sleep(seconds))
        self.timeout = timeout
        self.transport = transport

    @cached_property
    def http(self) -> httpx.Client:
        # Made on first use: building one costs ~25 ms (its TLS context), and every agenda
        # write asks ``can_write`` of a client it never sends with.
        return httpx.Client(
            timeout=httpx.Timeout(self.timeout, connect=min(self.timeout, 5.0)),
            transport=self.transport,
            headers={"Accept": "application/json", "User-Agent": "STEMnet UiT-koppeling"},
        )

    @classmethod
    def from_settings(cls, **kwargs) -> UitClient:
        return cls(
            token_url=settings.UIT_TOKEN_URL,
            client_id=settings.UIT_CLIENT_ID,
            client_secret=settings.UIT_CLIENT_SECRET,
            entry_url=settings.UIT_ENTRY_URL,
            search_url=settings.UIT_SEARCH_URL,
            **kwargs,
        )

    def close(self) -> None:
        if "http" in self.__dict__:
            self.http.close()

    def __enter__(self) -> UitClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- configuration ----------------------------------------------------------------

    @property
    def can_write(self) -> bool:
        return all([self.token_url, self.client_id, self.client_secret, self.entry_url])

    @property
    def can_search(self) -> bool:
        return bool(self.search_url and self.client_id)

    # --- token ------------------------------------------------------------------------

    def _token_key(self) -> str:
        raw = f"{self.token_url}|{self.client_id}".encode()
        return "uit:token:" + hashlib.sha256(raw).hexdigest()[:32]

    def token(self, *, refresh: bool = False) -> str:
        if not self.can_write:
            raise UitNotConfigured("UiTdatabank is not configured.")
        key = self._token_key()
        if not refresh:
            cached = cache.get(key)
            if cached:
                return cached
        response = self._send(
            "POST",
            self.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
                "audience": AUDIENCE,
            },
            auth=False,
        )
        data = self._json(response)
        token = data.get("access_token")
        if not token:
            raise UitError("Token response without access_token", status=response.status_code)
        lifetime = int(data.get("expires_in") or 3600)
        cache.set(key, token, max(lifetime - 60, 1))
        return token

    # --- transport --------------------------------------------------------------------

    def _retry_after(self, response: httpx.Response | None, attempt: int) -> float:
        delay = self.backoff * (2 ** (attempt - 1))
        if response is not None:
            header = response.headers.get("Retry-After", "").strip()
            if header.isdigit():
                delay = max(delay, float(header))
        return min(delay, MAX_RETRY_AFTER)

    def _send(self, method: str, url: str, *, auth: bool = True, **kwargs) -> httpx.Response:
        refreshed = False
        need_token = False
        attempt = 0
        while True:
            attempt += 1
            headers = dict(kwargs.pop("headers", {}) or {})
            if auth:
                headers["Authorization"] = f"Bearer {self.token(refresh=need_token)}"
                need_token = False
            try:
                response = self.http.request(method, url, headers=headers, **kwargs)
            except httpx.TransportError as exc:
                if attempt >= self.max_attempts:
                    raise UitError(f"{type(exc).__name__}: {exc}") from exc
                self.sleep(self._retry_after(None, attempt))
                kwargs["headers"] = headers
                continue
            kwargs["headers"] = headers
            if response.status_code == 401 and auth and not refreshed:
                refreshed = need_token = True
                attempt -= 1  # a token refresh is not a retry
                continue
            if response.status_code in RETRY_STATUSES and attempt < self.max_attempts:
                logger.info("UiT %s %s → %s, retry %s", method, url, response.status_code, attempt)
                self.sleep(self._retry_after(response, attempt))
                continue
            if response.status_code >= 400:
                problem = {}
                try:
                    problem = response.json()
                    if not isinstance(problem, dict):
                        problem = {}
                except ValueError:
                    pass
                raise UitError(
                    f"{method} {url} → HTTP {response.status_code}",
                    status=response.status_code,
                    problem=problem,
                )
            return response

    @staticmethod
    def _json(response: httpx.Response) -> dict:
        try:
            data = response.json()
        except ValueError as exc:
            raise UitError("Response is not JSON", status=response.status_code) from exc
        if not isinstance(data, dict):
            raise UitError("Response is not a JSON object", status=response.status_code)
        return data

    def _entry(self, method: str, path: str, **kwargs) -> httpx.Response:
        if not self.can_write:
            raise UitNotConfigured("UiTdatabank is not configured.")
        return self._send(method, self.entry_url + path, **kwargs)

    def _created(self, response: httpx.Response, kind: str) -> Created:
        data = self._json(response)
        ident = data.get("id") or data.get(f"{kind}Id") or data.get("imageId")
        url = data.get("url") or data.get("@id") or f"{self.entry_url}/{kind}s/{ident}"
        if not ident:
            raise UitError(f"No id in the {kind} response", status=response.status_code)
        return Created(id=str(ident), url=str(url))

    # --- Entry API --------------------------------------------------------------------

    def event_create(self, body: dict) -> Created:
        return self._created(self._entry("POST", "/events", json=body), "event")

    def event_update(self, event_id: str, body: dict) -> Created:
        response = self._entry("PUT", f"/events/{event_id}", json=body)
        try:
            return self._created(response, "event")
        except UitError:
            return Created(id=event_id, url=f"{self.entry_url}/events/{event_id}")

    def event_status(self, event_id: str, status: dict) -> None:
        self._entry("PUT", f"/events/{event_id}/status", json=status)

    def event_delete(self, event_id: str) -> None:
        self._entry("DELETE", f"/events/{event_id}")

    def place_create(self, body: dict) -> Created:
        return self._created(self._entry("POST", "/places", json=body), "place")

    def organizer_create(self, body: dict) -> Created:
        return self._created(self._entry("POST", "/organizers", json=body), "organizer")

    def image_create(self, body: dict) -> Created:
        return self._created(self._entry("POST", "/images", json=body), "image")

    # --- Search API -------------------------------------------------------------------

    def search(self, resource: str, params: dict) -> dict:
        if not self.can_search:
            raise UitNotConfigured("The UiTdatabank Search API is not configured.")
        response = self._send(
            "GET",
            f"{self.search_url}/{resource}",
            params=params,
            headers={"x-client-id": self.client_id},
            auth=False,
        )
        return self._json(response)

    def search_raw(self, resource: str, params: dict) -> httpx.Response:
        """A Search API page as the raw response (the import checks it itself)."""
        if not self.can_search:
            raise UitNotConfigured("The UiTdatabank Search API is not configured.")
        return self._send(
            "GET",
            f"{self.search_url}/{resource}",
            params=params,
            headers={"x-client-id": self.client_id},
            auth=False,
        )
