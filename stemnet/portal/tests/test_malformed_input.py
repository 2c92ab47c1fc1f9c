"""Malformed input never makes a 5xx: every public page, every API operation, the forms.

The pages are found, not listed: every URL of the resolver that takes no arguments, plus
every same-site link the crawler meets from there (so pages with ids come with real ids),
anonymously and as an organisation's coordinator. Each page gets the malformed values in
every parameter its forms name (one parameter at a time, then all at once and repeated);
each POST form of a logged-in page gets them in each field. The API operations come from
the committed OpenAPI document. A failure lists every URL that answered 5xx.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation

from stemnet.agenda import services as agenda_services
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.funding.tests.factories import ApplicationFactory, RoundFactory, coordinator_of
from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.portal.tests.factories import NewsArticleFactory

pytestmark = pytest.mark.django_db

MALFORMED = [
    "\x00",
    "a\x00b",
    "99999999999999999999999",
    "-99999999999999999999",
    "-1",
    "1e308",
    "NaN",
    "Infinity",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "abc",
    "x" * 3000,
    "line\nbreak\r\nX-Injected: 1",
]
# Each field alone gets these; all fields at once get every value above. (A NUL byte is
# refused before any view runs: core/tests/test_bad_requests.py.)
PER_FIELD = ["99999999999999999999999", "-1", "1e308", "9999-12-31", "x" * 3000]
# Raw query strings: invalid UTF-8 after percent-decoding, odd separators.
RAW_QUERIES = ["%ff%fe=%c3%28", "q=%ff%fe&page=%c0%af", "a=%&b=%zz", "&&&=&="]
COMMON_PARAMS = ["page", "q", "sort", "year", "date_from", "date_to"]
# Not followed: leaving the session, files a browser downloads, vendor admin.
SKIP_PATHS = ("/static/", "/media/", "/admin/", "/en/admin/", "/accounts/logout", "/i18n/")
# Forms not posted: they end the session or the account, which the crawl still needs.
SKIP_FORMS = ("logout", "delete", "verwijder", "/deactivate", "mfa/")
MAX_PAGES = 120
ROOT = Path(__file__).resolve().parents[3]


class Forms(HTMLParser):
    """The links and forms of a page: ``links``; ``forms`` as (method, action, {name: value})."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._current: tuple[str, str, dict[str, str]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._current = (a.get("method", "get").lower(), a.get("action", ""), {})
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "textarea", "select", "button"):
            name = a.get("name")
            if not name or a.get("type") in ("file", "submit", "image"):
                return
            fields = self._current[2]
            if tag == "select":
                self._select = name
                fields.setdefault(name, "")
            elif a.get("type") in ("checkbox", "radio") and "checked" not in a:
                fields.setdefault(name, a.get("value", "on") if name not in fields else "")
            else:
                fields[name] = a.get("value", "")
        elif tag == "option" and self._select and self._current is not None:
            fields = self._current[2]
            if not fields.get(self._select) or "selected" in a:
                fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def _isolated(send):
    """Send one request inside a savepoint rolled back afterwards.

    On PostgreSQL a database error aborts the test's transaction, and every later request
    would then fail too; in production each request has its own transaction.
    """
    savepoint = transaction.savepoint()
    try:
        return send()
    finally:
        transaction.savepoint_rollback(savepoint)


def _argument_free_paths() -> list[str]:
    """Every URL of the resolver that needs no argument, in Dutch and in English."""
    names: list[str] = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    paths = []
    for name in sorted(set(names)):
        for language in ("nl", "en"):
            with translation.override(language):
                try:
                    paths.append(reverse(name))
                except Exception:  # noqa: BLE001, S112 - needs arguments: the crawl finds it
                    continue
    # The admin is Django's (a coordinator gets 403 on every page of it), as in the crawl.
    return sorted(p for p in set(paths) if not p.startswith(SKIP_PATHS))


def _route(path: str) -> str:
    """One probe per view and route: the crawl meets many activities, one is enough, and a
    page in English is the same view as in Dutch."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return f"{match._func_path} {match.route.removeprefix('en/')}"


def _local(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIP_PATHS):
        return None
    return parts.path


class Prober:
    def __init__(self, client, login=None):
        client.raise_request_exception = False  # count 500s instead of stopping at the first
        self.client = client
        self.login = login
        self.failures: list[str] = []
        self.requests = 0
        self.posted: set[str] = set()

    def _auth(self):
        if self.login is not None:
            self.client.force_login(self.login)

    def get(self, url: str):
        self._auth()
        cache.clear()  # rate limits must not turn the probes into 429s
        self.requests += 1
        response = _isolated(lambda: self.client.get(url))
        if response.status_code >= 500:
            self.failures.append(f"GET {url[:200]!r} -> {response.status_code}")
        return response

    def post(self, url: str, data: dict):
        self._auth()
        cache.clear()
        self.requests += 1
        response = _isolated(lambda: self.client.post(url, data))
        if response.status_code >= 500:
            shown = {k: (v[:40] if isinstance(v, str) else v) for k, v in data.items()}
            self.failures.append(f"POST {url} {shown!r} -> {response.status_code}")
        return response

    def crawl(self, seeds: list[str]) -> dict[str, Forms]:
        pages: dict[str, Forms] = {}
        queue = list(seeds)
        while queue and len(pages) < MAX_PAGES:
            path = queue.pop(0)
            if path in pages:
                continue
            response = self.get(path)
            parsed = Forms()
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                parsed.feed(response.content.decode("utf-8", "replace"))
            pages[path] = parsed
            for href in parsed.links:
                local = _local(href)
                if local and local not in pages:
                    queue.append(local)
        return pages

    def query_params(self, path: str, page: Forms):
        names = {n for method, _a, fields in page.forms if method == "get" for n in fields}
        for name in sorted(names):
            for value in PER_FIELD:
                self.get(f"{path}?{urlencode({name: value})}")
        names.update(COMMON_PARAMS)
        for value in MALFORMED:
            everything = [(n, value) for n in sorted(names)]
            self.get(f"{path}?{urlencode(everything + everything)}")
        for raw in RAW_QUERIES:
            self.get(f"{path}?{raw}")

    def post_forms(self, path: str, page: Forms):
        for method, action, fields in page.forms:
            target = _local(action) if action else path
            if method != "post" or not target or any(s in target for s in SKIP_FORMS):
                continue
            if _route(target) in self.posted:
                continue
            self.posted.add(_route(target))
            names = [n for n in fields if n != "csrfmiddlewaretoken"]
            for name in names:
                for value in PER_FIELD:
                    self.post(target, {**fields, name: value})
            for value in MALFORMED:
                self.post(target, {**fields, **dict.fromkeys(names, value)})


@pytest.fixture
def ecosystem():
    """A little of everything, so the crawl meets pages with ids."""
    organisation = OrganisationFactory(name="STEM-academie Mechelen")
    coordinator = coordinator_of(organisation)
    ActivityFactory.create_batch(3, organiser=organisation)
    NewsArticleFactory()
    funding_round = RoundFactory()
    ApplicationFactory(round=funding_round, organisation=organisation)
    key = agenda_services.api_token_create(
        organisation=organisation, actor=coordinator, name="probe"
    ).key
    return {"organisation": organisation, "coordinator": coordinator, "key": key}


def _one_per_route(pages: dict[str, Forms]) -> dict[str, Forms]:
    chosen: dict[str, tuple[str, Forms]] = {}
    for path, page in pages.items():
        key = _route(path)
        # Prefer the page with the most forms (an activity's edit page over its detail).
        if key not in chosen or len(page.forms) > len(chosen[key][1].forms):
            chosen[key] = (path, page)
    return dict(chosen.values())


def _report(prober: Prober) -> str:
    return f"{len(prober.failures)} of {prober.requests} requests: " + "\n".join(prober.failures)


def test_public_pages_answer_malformed_input_without_a_server_error(client, ecosystem):
    prober = Prober(client)
    pages = prober.crawl(_argument_free_paths() + ["/agenda/feed.ics"])
    assert len(pages) > 20
    for path, page in _one_per_route(pages).items():
        prober.query_params(path, page)
    assert not prober.failures, _report(prober)


SHARDS = 3  # the logged-in probe is the suite's longest test: three parts run side by side


@pytest.mark.parametrize("shard", range(SHARDS))
def test_logged_in_pages_and_forms_answer_malformed_input_without_a_server_error(
    client, ecosystem, shard
):
    """Every page a coordinator reaches, each shard probing every third one (by path)."""
    prober = Prober(client, login=ecosystem["coordinator"])
    pages = prober.crawl(_argument_free_paths())
    assert len(pages) > 20
    chosen = sorted(_one_per_route(pages).items())
    for path, page in chosen[shard::SHARDS]:
        prober.query_params(path, page)
        prober.post_forms(path, page)
    assert not prober.failures, _report(prober)


def _api_operations() -> list[tuple[str, str, dict]]:
    document = json.loads((ROOT / "docs" / "openapi.json").read_text())
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_api_operations_answer_malformed_input_without_a_server_error(client, ecosystem):
    organisation = ecosystem["organisation"]
    activity = organisation.activities.first()
    real = {
        "activity_id": str(activity.pk),
        "slug": organisation.slug,
        "code": "2800",
    }
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ecosystem['key']}"}
    client.raise_request_exception = False
    failures: list[str] = []
    count = 0

    def call(method: str, url: str, body: str | None = None):
        nonlocal count
        count += 1
        cache.clear()
        response = _isolated(
            lambda: client.generic(
                method, url, body or "", content_type="application/json", **headers
            )
        )
        if response.status_code >= 500:
            failures.append(
                f"{method} {url[:200]!r} {(body or '')[:80]!r} -> {response.status_code}"
            )

    for method, path, operation in _api_operations():
        parameters = operation.get("parameters", [])
        base = path
        for p in parameters:
            if p["in"] == "path":
                base = base.replace("{" + p["name"] + "}", real[p["name"]])
        for p in parameters:
            for value in MALFORMED:
                if p["in"] == "path":
                    bad = path
                    for q in parameters:
                        if q["in"] == "path":
                            bad = bad.replace(
                                "{" + q["name"] + "}",
                                urlencode({"": value})[1:] if q is p else real[q["name"]],
                            )
                    call(method, bad)
                elif p["in"] == "query":
                    call(method, f"{base}?{urlencode({p['name']: value})}")
        for raw in RAW_QUERIES:
            call(method, f"{base}?{raw}")
        if "requestBody" in operation:
            for value in MALFORMED:
                call(method, base, json.dumps({"title": value, "age_min": value, "reason": value}))
            for body in ("{", "[]", "null", '{"age_min": 1e999}', '{"price": NaN}', "\x00"):
                call(method, base, body)
    assert not failures, f"{len(failures)} of {count} requests:\n" + "\n".join(failures)
