"""Validation of our Entry API bodies against publiq's JSON Schemas (contract fixtures).

The schemas live under ``stemnet/uit/tests/contracts/models`` (vendored unchanged, see the
README there). They refer to each other with relative ``$ref``s such as ``./event-name.json``
and ``../models/event.json``, so every file is registered in a ``referencing.Registry`` under
a base URI ``https://schemas.stemnet.invalid/models/<file>``; relative references then resolve
inside that folder. The schemas use draft 2020-12 keywords (``minContains``,
``dependentRequired``), so they are validated with ``Draft202012Validator``.

``date-time`` and ``uri`` formats are checked by our own small checkers (the optional
packages jsonschema would use for them are not installed), so a body with a naive datetime or
a relative link fails here before UiTdatabank rejects it.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

MODELS_DIR = Path(__file__).resolve().parent / "tests" / "contracts" / "models"
BASE = "https://schemas.stemnet.invalid/models/"

# What each Entry API request body must match (the spec's requestBody schema).
EVENT_POST = "event-post.json"
EVENT_PUT = "event-post.json"  # PUT /events/{id} takes the same complete event
EVENT_STATUS_PUT = "event-status.json"
EVENT_WORKFLOW_STATUS_PUT = "event-workflowStatus-put.json"
PLACE_POST = "place-post.json"
ORGANIZER_POST = "organizer.json"
IMAGE_POST = "image-post.json"


class ContractError(ValueError):
    """A body does not match publiq's schema; ``errors`` lists ``(json pointer, message)``."""

    def __init__(self, schema: str, errors: list[tuple[str, str]]):
        self.schema = schema
        self.errors = errors
        first = "; ".join(f"{path or '/'}: {message}" for path, message in errors[:3])
        super().__init__(f"{schema}: {first}")


def _date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value and parsed.tzinfo is not None


def _uri(value) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and (parts.netloc or parts.path))


@lru_cache(maxsize=1)
def format_checker() -> FormatChecker:
    checker = FormatChecker()
    checker.checks("date-time")(_date_time)
    checker.checks("uri")(_uri)
    return checker


@lru_cache(maxsize=1)
def registry() -> Registry:
    resources = []
    for path in sorted(MODELS_DIR.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((BASE + path.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources)


@cache
def validator(schema: str) -> Draft202012Validator:
    reg = registry()
    contents = reg.contents(BASE + schema)
    # A schema without "$id" needs its own URI as base for the relative "$ref"s it holds.
    return Draft202012Validator(
        {"$ref": BASE + schema} if "$id" not in contents else contents,
        registry=reg,
        format_checker=format_checker(),
    )


def errors(schema: str, body) -> list[tuple[str, str]]:
    """Every mismatch of ``body`` with ``schema`` as (JSON pointer, message), deepest first."""
    found = []
    for error in validator(schema).iter_errors(body):
        leaves = _leaves(error)
        for leaf in leaves:
            pointer = "/" + "/".join(str(p) for p in leaf.absolute_path)
            found.append((pointer, leaf.message))
    return sorted(set(found))


def _leaves(error) -> list:
    """The most specific sub-errors (``anyOf`` nests the interesting ones)."""
    if not error.context:
        return [error]
    # For anyOf/oneOf pick the branch that got furthest (the non-deprecated schema).
    best = max(error.context, key=lambda e: (len(e.absolute_path), -len(list(e.context or []))))
    branch = [e for e in error.context if e.relative_schema_path[0] == best.relative_schema_path[0]]
    out = []
    for sub in branch:
        out.extend(_leaves(sub))
    return out


def validate(schema: str, body) -> None:
    """Raise ContractError when ``body`` does not match ``schema``."""
    found = errors(schema, body)
    if found:
        raise ContractError(schema, found)
