"""The filters of a public search (``ActivityFilters``) and how a query string becomes one.

``ActivityFilters.parse`` reads and checks a query string once; every later step of the
search reads the parsed values (the text query's words included: ``words``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from stemnet.agenda.models import AGE_MAX, AGE_MIN, AccessibilityFeature, Activity, Domain, Theme
from stemnet.agenda.search.periods import when_range
from stemnet.agenda.search.text import query_words
from stemnet.agenda.session_window import FIRST_YEAR, LAST_YEAR
from stemnet.places.models import BRUSSELS, Province
from stemnet.places.selectors import Point, point_for_postcode

PAGE_RADII = (5, 10, 25, 50)
API_MAX_RADIUS = 100
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000  # the highest page number the page and the API accept
SORTS = ("relevance", "date", "distance")
BRUSSELS_VALUE = BRUSSELS  # the region code stands in for a province
MULTI = ("kind", "domain", "theme", "province", "municipality", "accessibility", "source")
FLAGS = ("free", "uitpas", "places_left")
# The vocabulary filters; each term's bit sits in its model's ``entry_column`` of SearchEntry.
VOCABULARIES = {"domain": Domain, "theme": Theme, "accessibility": AccessibilityFeature}
_TRUE = {"1", "true", "on", "yes", "ja"}
_FALSE = {"", "0", "false", "off", "no", "nee"}
# Fields worked out from the others (not filters of their own).
_DERIVED = ("point", "masks", "words")


@dataclass
class ActivityFilters:
    """Every filter of the public search; parse one from a query string with ``parse``."""

    q: str = ""
    age: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    when: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    kind: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    province: list[str] = field(default_factory=list)
    municipality: list[str] = field(default_factory=list)
    accessibility: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    postcode: str = ""
    radius_km: int | None = None
    free: bool = False
    max_price: Decimal | None = None
    uitpas: bool = False
    places_left: bool = False
    sort: str = ""
    # Derived while parsing: the postcode's point; while searching: the terms' bit sets.
    point: Point | None = field(default=None, compare=False, repr=False)
    masks: dict = field(default_factory=dict, compare=False, repr=False)
    # The words of ``q`` the full-text search looks for (``text.query_words``): the query
    # is parsed once, here, and every step of the search reads these.
    words: tuple[str, ...] = field(default=(), init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.words = tuple(query_words(self.q))

    @classmethod
    def parse(cls, data: QueryDict | dict, *, api: bool = False) -> ActivityFilters:
        """Read and check a query string; ValidationError (by parameter) for bad values.

        The page accepts only the radii it offers (5, 10, 25, 50 km); the API any 1-100.
        """
        return _parse(data, api=api)

    @property
    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        if self.when and not (self.date_from or self.date_to):
            found = when_range(self.when)
            if found:
                return found
        return self.date_from, self.date_to

    @property
    def effective_sort(self) -> str:
        if self.sort == "distance" and self.point:
            return "distance"
        if self.sort == "relevance" or (not self.sort and self.words):
            return "relevance" if self.words else "date"
        return "date"

    def is_empty(self) -> bool:
        blank = ActivityFilters()
        return all(
            getattr(self, f.name) == getattr(blank, f.name)
            for f in fields(self)
            if f.name not in _DERIVED and f.name != "sort"
        )

    def to_query(self) -> QueryDict:
        """The query string that reproduces these filters (for links and feeds)."""
        out = QueryDict(mutable=True)
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _DERIVED or value in (None, "", False, []):
                continue
            if isinstance(value, list):
                out.setlist(f.name, value)
            elif value is True:
                out[f.name] = "1"
            else:
                out[f.name] = str(value)
        return out

    def without(self, name: str) -> ActivityFilters:
        """A copy with one filter removed (facets; "widen your search" links)."""
        blank = ActivityFilters()
        copy = replace(self, **{name: getattr(blank, name)})
        if name == "postcode":
            copy = replace(copy, radius_km=None, point=None)
        if name in ("date_from", "date_to", "when"):
            copy = replace(copy, date_from=None, date_to=None, when="")
        return copy


def _parse(data, *, api: bool) -> ActivityFilters:
    errors: dict[str, list[str]] = {}
    get = data.get
    getlist = data.getlist if hasattr(data, "getlist") else (lambda k: _as_list(data.get(k)))

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    f = ActivityFilters(q=(get("q") or "").strip()[:200])
    _parse_ages(f, get, fail)
    _parse_dates(f, get, fail)
    _parse_choices(f, getlist, fail)
    _parse_place(f, get, fail, api=api)
    _parse_price_and_flags(f, get, fail)
    f.sort = (get("sort") or "").strip()
    if f.sort and f.sort not in SORTS:
        fail("sort", _("Sort by relevance, date or distance."))
    elif f.sort == "distance" and not f.postcode and api:
        fail("sort", _("Give a postcode to sort by distance."))
    if errors:
        raise ValidationError(errors)
    return f


def _parse_ages(f: ActivityFilters, get, fail) -> None:
    for name in ("age", "age_min", "age_max"):
        raw = (get(name) or "").strip()
        if raw:
            try:
                value = int(raw)
            except ValueError:
                value = None
            if value is None or not AGE_MIN <= value <= AGE_MAX:
                fail(name, _("Give an age between %(min)s and %(max)s.") % _AGES)
            else:
                setattr(f, name, value)
    if f.age_min is not None and f.age_max is not None and f.age_min > f.age_max:
        fail("age_max", _("The maximum age cannot be below the minimum age."))


def _parse_dates(f: ActivityFilters, get, fail) -> None:
    f.when = (get("when") or "").strip()
    if f.when and when_range(f.when) is None:
        fail("when", _("Unknown period “%(value)s”.") % {"value": f.when[:40]})
    for name in ("date_from", "date_to"):
        raw = (get(name) or "").strip()
        if not raw:
            continue
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            fail(name, _("Give a date as YYYY-MM-DD."))
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            # Sessions lie within these years; a day beyond overflowed the date range.
            fail(
                name,
                _("Give a date between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
            continue
        setattr(f, name, day)
    if f.date_from and f.date_to and f.date_to < f.date_from:
        fail("date_to", _("The end date cannot be before the start date."))


def _parse_choices(f: ActivityFilters, getlist, fail) -> None:
    """The multi-valued filters: kinds, sources, vocabulary terms, provinces, municipalities."""
    for name in MULTI:
        values = sorted({v.strip() for v in getlist(name) if v and v.strip()})
        setattr(f, name, values[:30])
    bad_kind = set(f.kind) - set(Activity.Kind.values)
    if bad_kind:
        fail("kind", _("Unknown kind: %(values)s.") % {"values": ", ".join(sorted(bad_kind))})
    bad_source = set(f.source) - set(Activity.Source.values)
    if bad_source:
        fail("source", _("Unknown source: %(values)s.") % {"values": ", ".join(bad_source)})
    for name, model in VOCABULARIES.items():
        values = getattr(f, name)
        if values:
            known = dict(model.objects.filter(slug__in=values).values_list("slug", "bit"))
            f.masks[(name, tuple(values))] = sum(1 << b for b in known.values() if b is not None)
            unknown = sorted(set(values) - set(known))
            if unknown:
                fail(name, _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})
    if f.province:
        known = set(Province.objects.filter(nis_code__in=f.province).values_list("pk", flat=True))
        unknown = sorted(set(f.province) - known - {BRUSSELS_VALUE})
        if unknown:
            fail("province", _("Unknown province: %(values)s.") % {"values": ", ".join(unknown)})
    if f.municipality and not all(re.fullmatch(r"\d{5}", v) for v in f.municipality):
        fail("municipality", _("Give a municipality as its five-digit NIS code."))


def _parse_place(f: ActivityFilters, get, fail, *, api: bool) -> None:
    f.postcode = (get("postcode") or "").strip()
    if f.postcode:
        point = point_for_postcode(f.postcode) if re.fullmatch(r"\d{4}", f.postcode) else None
        if point is None:
            fail("postcode", _("Unknown postcode “%(value)s”.") % {"value": f.postcode[:10]})
        f.point = point
    raw = (get("radius_km") or "").strip()
    if not raw:
        return
    try:
        radius = int(raw)
    except ValueError:
        radius = None
    allowed = range(1, API_MAX_RADIUS + 1) if api else PAGE_RADII
    if radius not in allowed:
        fail("radius_km", _radius_message(api))
    elif not f.postcode:
        fail("postcode", _("Give a postcode to search within a distance."))
    else:
        f.radius_km = radius


def _parse_price_and_flags(f: ActivityFilters, get, fail) -> None:
    for name in FLAGS:
        raw = (get(name) or "").strip().lower()
        if raw not in _TRUE | _FALSE:
            fail(name, _("Use true or false."))
        setattr(f, name, raw in _TRUE)
    raw = (get("max_price") or "").strip().replace(",", ".")
    if raw:
        try:
            f.max_price = Decimal(raw)
            if not f.max_price.is_finite() or f.max_price < 0:
                raise InvalidOperation
        except InvalidOperation:
            f.max_price = None
            fail("max_price", _("Give a maximum price of 0 euro or more."))


_AGES = {"min": AGE_MIN, "max": AGE_MAX}


def _radius_message(api: bool) -> str:
    if api:
        return _("Give a distance between 1 and %(max)s km.") % {"max": API_MAX_RADIUS}
    return _("Choose a distance of 5, 10, 25 or 50 km.")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def mask(filters: ActivityFilters, name: str) -> int:
    """The bit set of the selected terms of a vocabulary filter (looked up once per search)."""
    key = (name, tuple(getattr(filters, name)))
    if key not in filters.masks:
        bits = VOCABULARIES[name].objects.filter(slug__in=key[1]).values_list("bit", flat=True)
        filters.masks[key] = sum(1 << b for b in bits if b is not None)
    return filters.masks[key]
