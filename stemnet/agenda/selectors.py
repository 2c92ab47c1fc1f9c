"""Reads of the public agenda: the filters of a search, the search itself, facets, one activity.

Shared by the public page, the iCal feed and the API. A search finds its matches and counts
its facets on the search bitmaps (``agenda.bitmaps``: per filter value, the activities that
have it); SQL adds what bitmaps do not hold (full text, distance, today's sessions), orders
the page and loads it. ``_filtered`` is the same search as plain SQL over the entries (the
iCal feed uses it, the tests hold the bitmaps to it); no query loads all activities.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from dateutil.easter import easter
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import ExpressionWrapper, RawSQL
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThan
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from stemnet.agenda import bitmaps, search
from stemnet.agenda.models import (
    AGE_MAX,
    AGE_MIN,
    AccessibilityFeature,
    Activity,
    Domain,
    SearchEntry,
    Session,
    Theme,
)
from stemnet.agenda.session_window import FIRST_YEAR, LAST_YEAR
from stemnet.places.models import BRUSSELS, Municipality, Province
from stemnet.places.selectors import Point, distance_km, point_for_postcode

PAGE_RADII = (5, 10, 25, 50)
API_MAX_RADIUS = 100
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000  # the highest page number the page and the API accept
SORTS = ("relevance", "date", "distance")
KM_PER_DEGREE = 111.195  # mean Earth radius × π / 180
BRUSSELS_VALUE = BRUSSELS  # the region code stands in for a province
MULTI = ("kind", "domain", "theme", "province", "municipality", "accessibility", "source")
FLAGS = ("free", "uitpas", "places_left")
# The vocabulary filters; each term's bit sits in its model's ``entry_column`` of SearchEntry.
VOCABULARIES = {"domain": Domain, "theme": Theme, "accessibility": AccessibilityFeature}
_TRUE = {"1", "true", "on", "yes", "ja"}
_FALSE = {"", "0", "false", "off", "no", "nee"}
_SLUG = re.compile(r"^[-a-z0-9_]{1,50}$")


# --- dates ---------------------------------------------------------------------------------


def flemish_school_holidays(school_year: int) -> dict[str, tuple[dt.date, dt.date]]:
    """The holidays of the Flemish school year starting 1 September ``school_year``.

    Computed with the fixed rules of the Flemish Government (besluit of 17 April 1991):
    autumn = the week of 1 November (from 2 November when that is a Sunday); Christmas = two
    weeks from the Monday of the week of 25 December (the Monday after when it falls at a
    weekend); crocus = the week from the 7th Monday before Easter; Easter = two weeks from the
    first Monday of April (the Monday after Easter when Easter is in March, the second
    Monday before Easter when Easter is after 15 April); summer = 1 July to 31 August.
    """
    y1, y2 = school_year, school_year + 1
    nov1 = dt.date(y1, 11, 1)
    autumn = nov1 + dt.timedelta(days=1) if nov1.weekday() == 6 else _monday(nov1)
    xmas = dt.date(y1, 12, 25)
    christmas = _monday(xmas) + dt.timedelta(weeks=1) if xmas.weekday() >= 5 else _monday(xmas)
    easter_day = easter(y2)
    crocus = _monday(easter_day) - dt.timedelta(weeks=6)  # 7th Monday before
    if easter_day.month == 3:
        spring = easter_day + dt.timedelta(days=1)
    elif easter_day > dt.date(y2, 4, 15):
        spring = _monday(easter_day) - dt.timedelta(weeks=1)
    else:
        spring = dt.date(y2, 4, 1) + dt.timedelta(days=(7 - dt.date(y2, 4, 1).weekday()) % 7)
    return {
        "herfstvakantie": (autumn, autumn + dt.timedelta(days=6)),
        "kerstvakantie": (christmas, christmas + dt.timedelta(days=13)),
        "krokusvakantie": (crocus, crocus + dt.timedelta(days=6)),
        "paasvakantie": (spring, spring + dt.timedelta(days=13)),
        "zomervakantie": (dt.date(y2, 7, 1), dt.date(y2, 8, 31)),
    }


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


HOLIDAY_LABELS = {
    "herfstvakantie": gettext_lazy("autumn holiday"),
    "kerstvakantie": gettext_lazy("Christmas holiday"),
    "krokusvakantie": gettext_lazy("spring half-term (krokus)"),
    "paasvakantie": gettext_lazy("Easter holiday"),
    "zomervakantie": gettext_lazy("summer holiday"),
}
WHEN_LABELS = {
    "weekend": gettext_lazy("this weekend"),
    "next_weekend": gettext_lazy("next weekend"),
    "month": gettext_lazy("this month"),
    "next_month": gettext_lazy("next month"),
    "autumn": gettext_lazy("this autumn"),
    "winter": gettext_lazy("this winter"),
    "spring": gettext_lazy("this spring"),
    "summer": gettext_lazy("this summer"),
    "holiday": gettext_lazy("next school holiday"),
}
# Astronomical seasons, close enough: (start month, day) of each season.
SEASONS = {"spring": (3, 21), "summer": (6, 21), "autumn": (9, 23), "winter": (12, 21)}


def when_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The date presets offered on the page: the fixed ones and the coming school holidays."""
    today = today or timezone.localdate()
    choices = [(k, str(v)) for k, v in WHEN_LABELS.items()]
    for key, (start, end) in _coming_holidays(today)[:3]:
        label = HOLIDAY_LABELS[key.rsplit("-", 1)[0]]
        choices.append((key, f"{label} ({start:%d/%m}–{end:%d/%m/%Y})"))
    return choices


def _coming_holidays(today: dt.date) -> list[tuple[str, tuple[dt.date, dt.date]]]:
    found = []
    for year in (today.year - 1, today.year):
        for name, (start, end) in flemish_school_holidays(year).items():
            if end >= today:
                found.append((f"{name}-{start.year}", (start, end)))
    return sorted(found, key=lambda item: item[1][0])


def when_range(when: str, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The (first, last) day of a preset, clipped to start today; None when unknown."""
    today = today or timezone.localdate()
    if when in ("weekend", "next_weekend"):
        saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:
            saturday = today - dt.timedelta(days=1)
        if when == "next_weekend":
            saturday += dt.timedelta(weeks=1)
        return max(saturday, today), saturday + dt.timedelta(days=1)
    if when in ("month", "next_month"):
        first = today.replace(day=1)
        if when == "next_month":
            first = (first + dt.timedelta(days=32)).replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return max(first, today), last
    if when in SEASONS:
        for year in (today.year - 1, today.year, today.year + 1):
            start = dt.date(year, *SEASONS[when])
            end = _season_end(when, year)
            if end >= today:
                return max(start, today), end
    if when == "holiday":
        coming = _coming_holidays(today)
        return (max(coming[0][1][0], today), coming[0][1][1]) if coming else None
    match = re.fullmatch(r"([a-z]+)-(\d{4})", when or "")
    if match and match.group(1) in HOLIDAY_LABELS:
        year = int(match.group(2))
        for school_year in (year - 1, year):
            start, end = flemish_school_holidays(school_year)[match.group(1)]
            if start.year == year:
                return start, end
    return None


def _season_end(season: str, year: int) -> dt.date:
    order = ["spring", "summer", "autumn", "winter"]
    nxt = order[(order.index(season) + 1) % 4]
    end_year = year + 1 if season == "winter" else year
    return dt.date(end_year, *SEASONS[nxt]) - dt.timedelta(days=1)


# --- filters -------------------------------------------------------------------------------


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
        if self.sort == "relevance" or (not self.sort and search.query_words(self.q)):
            return "relevance" if search.query_words(self.q) else "date"
        return "date"

    def is_empty(self) -> bool:
        blank = ActivityFilters()
        return all(
            getattr(self, f.name) == getattr(blank, f.name)
            for f in fields(self)
            if f.name not in ("sort", "point", "masks")
        )

    def to_query(self) -> QueryDict:
        """The query string that reproduces these filters (for links and feeds)."""
        out = QueryDict(mutable=True)
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("point", "masks") or value in (None, "", False, []):
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
    f = ActivityFilters()

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    f.q = (get("q") or "").strip()[:200]

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

    f.when = (get("when") or "").strip()
    if f.when and when_range(f.when) is None:
        fail("when", _("Unknown period “%(value)s”.") % {"value": f.when[:40]})
    for name in ("date_from", "date_to"):
        raw = (get(name) or "").strip()
        if raw:
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

    f.postcode = (get("postcode") or "").strip()
    if f.postcode:
        point = point_for_postcode(f.postcode) if re.fullmatch(r"\d{4}", f.postcode) else None
        if point is None:
            fail("postcode", _("Unknown postcode “%(value)s”.") % {"value": f.postcode[:10]})
        f.point = point
    raw = (get("radius_km") or "").strip()
    if raw:
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

    f.sort = (get("sort") or "").strip()
    if f.sort and f.sort not in SORTS:
        fail("sort", _("Sort by relevance, date or distance."))
    elif f.sort == "distance" and not f.postcode and api:
        fail("sort", _("Give a postcode to sort by distance."))

    if errors:
        raise ValidationError(errors)
    return f


_AGES = {"min": AGE_MIN, "max": AGE_MAX}


def _radius_message(api: bool) -> str:
    if api:
        return _("Give a distance between 1 and %(max)s km.") % {"max": API_MAX_RADIUS}
    return _("Choose a distance of 5, 10, 25 or 50 km.")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


# --- the query -----------------------------------------------------------------------------
#
# Searches run on the narrow SearchEntry table (one row per published activity with
# sessions, kept by ``search.activity_reindex``); only the page of results reads activities.


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _mask(filters: ActivityFilters, name: str) -> int:
    """The bit set of the selected terms of a vocabulary filter (looked up once per search)."""
    key = (name, tuple(getattr(filters, name)))
    if key not in filters.masks:
        bits = VOCABULARIES[name].objects.filter(slug__in=key[1]).values_list("bit", flat=True)
        filters.masks[key] = sum(1 << b for b in bits if b is not None)
    return filters.masks[key]


def _filtered(filters: ActivityFilters, *, skip: Collection[str] = ()) -> QuerySet:
    """Search entries matching every filter except the faceted ones named in ``skip``."""
    qs = SearchEntry.objects.all()
    f = filters
    qs = search.filter_text(qs, f.q)

    start, end = f.date_range
    lower = _day_start(start) if start else timezone.now()
    # Some session ends at or after ``lower`` exactly when the last one does.
    qs = qs.filter(last_end__gte=lower)
    if end:
        upper = _day_start(end + dt.timedelta(days=1))
        sessions = Session.objects.filter(
            activity=OuterRef("pk"), ends_at__gte=lower, starts_at__lt=upper
        )
        qs = qs.filter(first_start__lt=upper).filter(Exists(sessions))

    if f.age is not None:
        qs = qs.filter(age_min__lte=f.age, age_max__gte=f.age)
    if f.age_min is not None:
        qs = qs.filter(age_max__gte=f.age_min)
    if f.age_max is not None:
        qs = qs.filter(age_min__lte=f.age_max)

    if f.point and f.radius_km:
        min_lat, max_lat, min_lon, max_lon = _box(f.point, f.radius_km)
        qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)
        qs = qs.alias(distance_sq=_distance_sq(f.point)).filter(distance_sq__lte=f.radius_km**2)
    if f.max_price is not None:
        qs = qs.filter(price_cents__lte=math.floor(f.max_price * 100))

    for name, condition in _faceted_conditions(f).items():
        if name not in skip:
            qs = qs.filter(condition)
    return qs


def _faceted_conditions(f: ActivityFilters) -> dict[str, Q]:
    """The active filters that have a facet, each as one condition on SearchEntry."""
    out: dict[str, Q] = {}
    if f.kind:
        out["kind"] = Q(kind__in=f.kind)
    if f.source:
        out["source"] = Q(source__in=f.source)
    for name, model in VOCABULARIES.items():
        if getattr(f, name):
            out[name] = Q(GreaterThan(F(model.entry_column).bitand(_mask(f, name)), 0))
    if f.province:
        out["province"] = Q(place__in=[int(p) for p in f.province])
    if f.municipality:
        ids = Municipality.objects.filter(nis_code__in=f.municipality).values("pk")
        out["municipality"] = Q(municipality_id__in=ids)
    if f.free:
        out["free"] = Q(free=True)
    if f.uitpas:
        out["uitpas"] = Q(uitpas=True)
    if f.places_left:
        out["places_left"] = Q(has_places=True)
    return out


def _box(point: Point, radius_km: float) -> tuple[float, float, float, float]:
    from stemnet.places.selectors import bounding_box

    return bounding_box(point, radius_km)


def _distance_sq(point: Point):
    """Squared equirectangular distance in km² (exact enough within 100 km; no SQL math)."""
    ky = KM_PER_DEGREE
    kx = KM_PER_DEGREE * math.cos(math.radians(point.lat))
    dy = (F("lat") - point.lat) * ky
    dx = (F("lon") - point.lon) * kx
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class SearchResult:
    count: int
    results: list[Activity]
    facets: dict[str, list[Facet]]
    page: int
    page_size: int
    filters: ActivityFilters
    sort: str

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def activity_search(
    filters: ActivityFilters,
    *,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    facets: bool = True,
) -> SearchResult:
    """One page of published activities matching ``filters``, the count and the facets.

    Each result carries ``next_session`` (start of its next session in the searched period),
    ``next_session_end`` and ``distance_km`` (None without a postcode). The matches and
    every facet count come from the search bitmaps (``_match``); SQL finds what bitmaps do
    not hold (text, distance, today's sessions), orders the page and loads it.
    """
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    offset = (page - 1) * page_size
    matched = _match(filters, page=(offset, page_size))
    everything = matched.all()
    count = everything.bit_count()
    ids = _page(matched, everything, count, offset=offset, limit=page_size)
    return SearchResult(
        count=count,
        results=_load_page(ids, filters),
        facets=activity_facets(filters, matched=matched) if facets else {},
        page=page,
        page_size=page_size,
        filters=filters,
        sort=filters.effective_sort,
    )


# Every bitmap key but the dates' ("day:…", "first:…", "last:…"), as (first, last) ranges
# of names: "access:…" to "all", "domain:…", "free" to "kind:…", "muni:…" to "uitpas".
_VALUE_KEYS = (("a", bitmaps.ALL), ("domain:", "domain;"), ("free", "kind;"), ("muni:", "uitpas"))
# By distance without a radius: up to this many matches, the SQL of the page names them;
# above, SQL walks all entries in order and Python keeps the matching ones.
_LISTED = 2000


@dataclass
class _Matched:
    """What a search matched, as bitmaps: ``base`` holds every filter without a facet (text,
    dates, ages, distance, price), ``faceted`` each active filter with a facet; ``keys`` are
    the bitmaps read (the facets count on them). ``page_ids`` is the page itself when the
    text search found it (by relevance, in the GIN index); ``words`` what the word bitmaps
    said of the text (PostgreSQL; a page by relevance is then ranked in ``_page``);
    ``ordered`` are rows (id, sort key, first session) a page can be ordered by in Python
    (the entries within the distance, by distance)."""

    filters: ActivityFilters
    keys: dict[str, int]
    base: int
    faceted: dict[str, int]
    ordered: list[tuple] | None = None
    page_ids: list[int] | None = None
    words: search.WordMatch | None = None

    def all(self) -> int:
        return self.without("")

    def without(self, name: str) -> int:
        """The matches of every filter but the faceted one ``name`` (what its facet counts)."""
        out = self.base
        for other, bits in self.faceted.items():
            if other != name:
                out &= bits
        return out


def _match(f: ActivityFilters, *, page: tuple[int, int] | None = None) -> _Matched:
    """The bitmaps of a search (see ``_Matched``); ``page`` = (offset, limit) of the page a
    text search ordered by relevance should find."""
    start, end = f.date_range
    today = timezone.localdate()
    ranges = list(_VALUE_KEYS)
    if start and end:
        ranges.append((bitmaps.day_key("day", start), bitmaps.day_key("day", end)))
    elif start:
        ranges.append((bitmaps.day_key("last", start), "last;"))
    elif end:
        tomorrow = today + dt.timedelta(days=1)
        ranges.append((bitmaps.day_key("day", tomorrow), bitmaps.day_key("day", end)))
    else:
        ranges.append((bitmaps.day_key("last", today + dt.timedelta(days=1)), "last;"))
    if f.effective_sort == "relevance":
        ranges.append(("first:", "first;"))
    elif f.effective_sort == "date":  # the next sessions' days (``_by_next_session``)
        ranges.append((bitmaps.day_key("day", timezone.localdate(_lower(f))), "day;"))
    keys = bitmaps.CACHE.sync(ranges)
    universe = keys.get(bitmaps.ALL, 0)
    base = universe & _dates(f, keys, today)

    if f.age is not None:
        base &= keys.get(f"age:{f.age}", 0)
    if f.age_min is not None:
        base &= _union(keys, (f"age:{a}" for a in range(f.age_min, AGE_MAX + 1)))
    if f.age_max is not None:
        base &= _union(keys, (f"age:{a}" for a in range(AGE_MIN, f.age_max + 1)))
    if f.max_price is not None:
        most = bitmaps.price_key(math.floor(f.max_price * 100))
        base &= bitmaps.union_of_range(keys, bitmaps.price_key(0), most)

    faceted: dict[str, int] = {}
    if f.kind:
        faceted["kind"] = _union(keys, (f"kind:{v}" for v in f.kind))
    if f.source:
        faceted["source"] = _union(keys, (f"source:{v}" for v in f.source))
    for name in VOCABULARIES:
        if getattr(f, name):
            prefix = _BIT_KEYS[name]
            bits = bitmaps.set_bits(_mask(f, name))
            faceted[name] = _union(keys, (f"{prefix}:{b}" for b in bits))
    if f.province:
        faceted["province"] = _union(keys, (f"place:{int(p)}" for p in f.province))
    if f.municipality:
        ids = Municipality.objects.filter(nis_code__in=f.municipality).values_list("pk", flat=True)
        faceted["municipality"] = _union(keys, (f"muni:{pk}" for pk in ids))
    for name, key in bitmaps.FLAG_KEYS.items():
        if getattr(f, name):
            faceted[name] = keys.get(key, 0)
    # Text and distance: the word bitmaps answer most text searches (PostgreSQL), so they
    # come first; SQL answers the rest, each step reading only what the bitmaps so far
    # match: distance (an index alone answers it), then the text left to the GIN index or
    # FTS5 (which by relevance finds the page too).
    matched = _Matched(f, keys, base, faceted)
    sort = f.effective_sort
    text = bool(search.query_words(f.q))
    if text and matched.base:
        matched.words = search.word_match(f.q)
        if matched.words is not None:
            matched.base &= matched.words.text
            text = False
    if f.point and f.radius_km and matched.base:
        # By distance with no text left, this step orders the page too: PostgreSQL finds it
        # (``_near_page``), elsewhere these rows order it in Python (see ``_page``).
        by_distance = sort == "distance" and not text
        if by_distance and page is not None and connection.vendor == "postgresql":
            ids, matched.page_ids = _near_page(
                f, within=matched.base, final=matched.all(), page=page
            )
        else:
            rows = _near(f, _lower(f), within=matched.base, ordered=by_distance)
            if by_distance:
                matched.ordered = rows
            ids = [row[0] for row in rows]
        matched.base &= bitmaps.from_ids(ids)
    if text and matched.base:
        ranked = sort == "relevance" and page is not None
        ids, found = search.text_matches(
            f.q, within=matched.base, page=page if ranked else None, final=matched.all()
        )
        matched.page_ids = found
        matched.base &= bitmaps.from_ids(ids)
    return matched


# The bitmap key prefix of each vocabulary's terms ("theme:<bit>").
_BIT_KEYS = {"domain": "domain", "theme": "theme", "accessibility": "access"}


def _union(keys: dict[str, int], names) -> int:
    out = 0
    for name in names:
        out |= keys.get(name, 0)
    return out


def _dates(f: ActivityFilters, keys: dict[str, int], today: dt.date) -> int:
    """The entries with a session in the searched period (from now on when none is given).

    From a given first day on, whole days: the day bitmaps of the period, or the entries
    whose last session ends on or after it. From now on, what ends later today is not in
    a day bitmap: SQL finds those few sessions (or entries) and the bitmaps the rest.
    """
    start, end = f.date_range
    if start:
        prefix = "day" if end else "last"
        first = bitmaps.day_key(prefix, start)
        last = bitmaps.day_key(prefix, end) if end else "last;"
        return bitmaps.union_of_range(keys, first, last)
    now = timezone.now()
    tomorrow = today + dt.timedelta(days=1)
    cut = _day_start(tomorrow)
    if end:
        first, last = bitmaps.day_key("day", tomorrow), bitmaps.day_key("day", end)
        upper = min(_day_start(end + dt.timedelta(days=1)), cut)
        today_ids = (
            Session.objects.filter(ends_at__gte=now, starts_at__lt=upper)
            .values_list("activity_id", flat=True)
            .distinct()
        )
    else:
        first, last = bitmaps.day_key("last", tomorrow), "last;"
        today_ids = SearchEntry.objects.filter(last_end__gte=now, last_end__lt=cut).values_list(
            "pk", flat=True
        )
    return bitmaps.union_of_range(keys, first, last) | bitmaps.from_ids(today_ids)


def _lower(f: ActivityFilters) -> dt.datetime:
    """The moment from which a session counts: the searched period's first day, or now."""
    start, _end = f.date_range
    return _day_start(start) if start else timezone.now()


def _near_rows(f: ActivityFilters, lower: dt.datetime, within: int) -> QuerySet:
    """The entries within the radius (the covering index of the box first) with a session
    from ``lower`` on, whose bit is set in ``within`` (PostgreSQL; SQLite keeps them all)."""
    min_lat, max_lat, min_lon, max_lon = _box(f.point, f.radius_km)
    rows = (
        SearchEntry.objects.filter(
            lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
        )
        .filter(last_end__gte=lower)
        .alias(distance_sq=_distance_sq(f.point))
        .filter(distance_sq__lte=f.radius_km**2)
    )
    kept = bitmaps.within_sql(f'"{SearchEntry._meta.db_table}"."activity_id"', within)
    if kept:
        condition = RawSQL(*kept)  # noqa: S611 (column name and parameters only)
        rows = rows.filter(ExpressionWrapper(condition, output_field=BooleanField()))
    return rows.order_by()


def _near(f: ActivityFilters, lower: dt.datetime, *, within: int, ordered: bool) -> list[tuple]:
    """The entries of ``_near_rows``: [(id,)], or with ``ordered`` [(id, squared distance,
    first session as ``_sortable_start``)]."""
    rows = _near_rows(f, lower, within)
    if ordered:
        rows = rows.annotate(d=F("distance_sq"), fs=_sortable_start()).values_list("pk", "d", "fs")
    else:
        rows = rows.values_list("pk")
    # A plain cursor: thousands of rows, which need none of Django's per-value converters.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _near_page(
    f: ActivityFilters, *, within: int, final: int, page: tuple[int, int]
) -> tuple[list[int], list[int]]:
    """PostgreSQL: the ids of ``_near_rows`` and, in the same statement, the page (offset,
    limit) of those also in ``final``, nearest first (then first session, then id: the
    order of ``_page``). The ids come packed in one value; only the page's rows are sorted
    and sent."""
    rows = _near_rows(f, _lower(f), within).annotate(d=F("distance_sq"), fs=F("first_start"))
    inner, params = rows.values_list("pk", "d", "fs").query.sql_with_params()
    ids, found = bitmaps.packed_ids_and_page(
        f"WITH n (id, d, fs) AS MATERIALIZED ({inner})",
        list(params),
        source="n",
        order="d, fs, id",
        limit=page[0] + page[1],
        best=bitmaps.within_sql("id", final),
    )
    return ids, found[page[0] :]


def _sortable_start():
    """The first session as something that sorts as the time does and loads fast (thousands
    of rows): seconds since 1970 on PostgreSQL, the stored text on SQLite."""
    if connection.vendor == "postgresql":
        return Func(
            F("first_start"),
            template="EXTRACT(EPOCH FROM %(expressions)s)::float8",
            output_field=FloatField(),
        )
    return Cast("first_start", output_field=CharField())


def _page(matched: _Matched, everything: int, count: int, *, offset: int, limit: int) -> list:
    """The entry ids of one page of the matches, in the order of the search's sort."""
    if not count or offset >= count:
        return []
    if matched.page_ids is not None:
        return matched.page_ids
    f = matched.filters
    if f.effective_sort == "distance" and f.radius_km and matched.ordered is None:
        # Text and distance: the distances of the final matches only.
        matched.ordered = _near(f, _lower(f), within=everything, ordered=True)
    has = bitmaps.tester(everything)
    if matched.ordered is not None:
        kept = ((key, first, pk) for pk, key, first in matched.ordered if has(pk))
        return [row[2] for row in heapq.nsmallest(offset + limit, kept)][offset:]
    if matched.words is not None and f.effective_sort == "relevance":
        return search.relevance_page(
            matched.words, everything, matched.keys, offset=offset, limit=limit
        )
    if f.effective_sort == "date":
        return _by_next_session(f, matched.keys, everything, offset=offset, limit=limit)
    if count <= _LISTED:
        listed = SearchEntry.objects.filter(pk__in=bitmaps.members(everything))
        return _page_ids(listed, f, offset=offset, limit=limit)
    walked = _ordered(SearchEntry.objects.filter(last_end__gte=_lower(f)), f)
    found: list[int] = []
    position, chunk = 0, 500
    while len(found) < offset + limit:
        rows = list(walked.values_list("pk", flat=True)[position : position + chunk])
        found.extend(pk for pk in rows if has(pk))
        if len(rows) < chunk:
            break
        position, chunk = position + chunk, chunk * 2
    return found[offset : offset + limit]


def next_session_start(lower: dt.datetime, pk: str = "pk") -> Subquery:
    """The start of the first session (of the activity ``pk`` refers to) that ends at or
    after ``lower``: running sessions count, ended ones do not. What the date order sorts
    by and what a result shows as its next session."""
    sessions = Session.objects.filter(activity=OuterRef(pk), ends_at__gte=lower)
    return Subquery(sessions.order_by("starts_at").values("starts_at")[:1])


def _ordered(base: QuerySet, filters: ActivityFilters) -> QuerySet:
    """``base`` in the order of a date or distance sort (by relevance: ``search``): by date,
    the next session from the searched period's start (``_lower``: now without one), then
    title, then id."""
    if filters.effective_sort == "distance":
        return base.alias(distance_order=_distance_sq(filters.point)).order_by(
            "distance_order", "first_start", "pk"
        )
    nxt = next_session_start(_lower(filters))
    return base.alias(next_start=nxt).order_by("next_start", "title", "pk")


def _by_next_session(
    f: ActivityFilters, keys: dict[str, int], matches: int, *, offset: int, limit: int
) -> list[int]:
    """A slice of the entries in the bitmap ``matches`` in date order (``_ordered``),
    found on the day bitmaps ("day:<day>", in ``keys`` from the first searched day on).

    Every match has a session ending at or after ``lower`` (``_dates``). Those whose next
    session starts before the first day ends form the first group (SQL, unless ``lower``
    is that day's midnight: then exactly the first day's bitmap). Any later day's bitmap,
    less the entries already placed, holds those whose next session starts that day (a
    session touches the day it starts). Groups are counted in day order until the slice is
    reached; only the entries of its groups are ordered in SQL.
    """
    lower = _lower(f)
    day = timezone.localdate(lower)
    first = keys.get(bitmaps.day_key("day", day), 0) & matches
    if first and lower != _day_start(day):
        starting = Session.objects.filter(
            activity_id__in=bitmaps.members(first),
            ends_at__gte=lower,
            starts_at__lt=_day_start(day + dt.timedelta(days=1)),
        )
        first &= bitmaps.from_ids(starting.values_list("activity_id", flat=True).distinct())
    later = sorted(k for k in keys if k.startswith("day:") and k > bitmaps.day_key("day", day))
    left = matches & ~first
    before = seen = chosen = 0
    groups = iter(keys[k] for k in later)
    group = first
    while True:
        n = group.bit_count()
        if n and seen + n <= offset:
            before += n
        elif n:
            chosen |= group
        seen += n
        if seen >= offset + limit or not left:
            break
        day_bits = next(groups, None)
        if day_bits is None:
            break
        group = day_bits & left
        left ^= group
    listed = SearchEntry.objects.filter(pk__in=bitmaps.members(chosen))
    ordered = listed.alias(next_start=next_session_start(lower))
    ids = ordered.order_by("next_start", "title", "pk").values_list("pk", flat=True)
    return list(ids[offset - before : offset - before + limit])


def _page_ids(base: QuerySet, filters: ActivityFilters, *, offset: int, limit: int) -> list:
    """The entry ids of one page of ``base`` (the matching entries), in order."""
    if filters.effective_sort == "relevance":
        return search.ranked_ids(base, filters.q, offset=offset, limit=limit)
    return list(_ordered(base, filters).values_list("pk", flat=True)[offset : offset + limit])


# What a result list shows (API summary, cards, map markers); the page loads only these.
LIST_FIELDS = (
    "title",
    "slug",
    "kind",
    "age_min",
    "age_max",
    "price",
    "price_reduced",
    "places_left",
    "source",
    "status",
    "lat",
    "lon",
    "first_start",
    "municipality__nis_code",
    "municipality__name_nl",
    "organiser__slug",
    "organiser__name",
)


def _load_page(ids: list[int], filters: ActivityFilters) -> list[Activity]:
    """The activities of a page's ids, in that order, with next session and distance."""
    if not ids:
        return []
    upcoming = Session.objects.filter(
        activity=OuterRef("pk"), ends_at__gte=_lower(filters)
    ).order_by("starts_at")
    found = (
        Activity.objects.select_related("organiser", "municipality")
        .only(*LIST_FIELDS)
        .annotate(
            next_session=Subquery(upcoming.values("starts_at")[:1]),
            next_session_end=Subquery(upcoming.values("ends_at")[:1]),
        )
    )
    by_pk = {a.pk: a for a in found.filter(pk__in=ids)}
    rows = [by_pk[pk] for pk in ids if pk in by_pk]
    for row in rows:
        row.distance_km = (
            round(distance_km(filters.point, Point(row.lat, row.lon)), 1) if filters.point else None
        )
    return rows


def activity_facets(
    filters: ActivityFilters, *, matched: _Matched | None = None
) -> dict[str, list[Facet]]:
    """Counts per filter value, each with every *other* active filter applied.

    ``matched`` is what ``_match`` gives for these filters (computed when not given). Each
    count is the number of bits a value's bitmap shares with the matches of every other
    filter.
    """
    if matched is None:
        matched = _match(filters)
    keys = matched.keys
    english = (get_language() or "nl").startswith("en")
    terms = _vocabularies()
    scopes: dict[str, int] = {}

    def counter(name: str):
        if name not in scopes:
            scopes[name] = matched.without(name)
        scope = scopes[name]
        return lambda key: (scope & keys[key]).bit_count() if key in keys else 0

    out: dict[str, list[Facet]] = {}
    for name, choices in (("kind", Activity.Kind.choices), ("source", Activity.Source.choices)):
        selected = getattr(filters, name)
        count = counter(name)
        out[name] = [
            Facet(value, str(label), count(f"{name}:{value}"), value in selected)
            for value, label in choices
        ]

    for name in ("domain", "theme", "accessibility"):
        count = counter(name)
        out[name] = [
            Facet(
                slug,
                name_en if english else name_nl,
                count(f"{_BIT_KEYS[name]}:{bit}") if bit is not None else 0,
                slug in getattr(filters, name),
            )
            for _pk, slug, name_nl, name_en, bit in terms[name]
        ]

    count = counter("province")
    provinces = [(slug, name_nl) for _pk, slug, name_nl, _en, _bit in terms["province"]]
    provinces.append((BRUSSELS_VALUE, _("Brussels")))
    out["province"] = [
        Facet(value, name, count(f"place:{int(value)}"), value in filters.province)
        for value, name in provinces
    ]

    count = counter("municipality")
    per_nis: dict[str, list] = {}
    for pk, nis, name, _en, _bit in terms["municipality"]:
        n = count(f"muni:{pk}")
        if n:
            entry = per_nis.setdefault(nis, [name, 0])
            entry[1] += n
    out["municipality"] = [
        Facet(nis, name, n, nis in filters.municipality)
        for nis, (name, n) in sorted(per_nis.items(), key=lambda item: item[1][0])
    ]

    flag_labels = {
        "free": _("Free"),
        "uitpas": _("UiTPAS reduction"),
        "places_left": _("Places left"),
    }
    for name in FLAGS:
        total = counter(name)(bitmaps.FLAG_KEYS[name])
        out[name] = [Facet("1", flag_labels[name], total, getattr(filters, name))]
    return out


def _vocabularies() -> dict[str, list[tuple[str, str, str, str, int | None]]]:
    """Every term of the facet vocabularies, the provinces and the municipalities, in one
    UNION query.

    Gives {facet: [(pk as text, slug, Dutch name, English name, bit), ...]} in display order.
    """
    sql, params = _vocabulary_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: dict[str, list] = {f: [] for f in ("domain", "theme", "accessibility", "province")}
    out["municipality"] = []
    for facet, key, code, name_nl, name_en, _rank, bit in sorted(
        rows,
        key=lambda r: (r[0], r[5], r[2] if r[0] in ("domain", "theme", "accessibility") else r[3]),
    ):
        out[facet].append((key, code, name_nl, name_en, bit))
    return out


@lru_cache(maxsize=2)
def _vocabulary_sql(vendor: str | None = None) -> tuple[str, tuple]:
    """The SQL of ``_vocabularies`` (built once per process and database vendor)."""

    def rows(model, name: str, slug: str, name_en: str, position, bit):
        return (
            model.objects.annotate(
                facet=Value(name, output_field=CharField()),
                key=Cast("pk", output_field=CharField()),
                code=F(slug),
                english=F(name_en),
                rank=position,
                index_bit=bit,
            )
            .values_list("facet", "key", "code", "name_nl", "english", "rank", "index_bit")
            .order_by()
        )

    query = rows(Domain, "domain", "slug", "name_en", F("position"), F("bit")).union(
        rows(Theme, "theme", "slug", "name_en", F("position"), F("bit")),
        rows(AccessibilityFeature, "accessibility", "slug", "name_en", F("position"), F("bit")),
        rows(Province, "province", "nis_code", "name_nl", Value(0), Value(None, IntegerField())),
        rows(
            Municipality,
            "municipality",
            "nis_code",
            "name_nl",
            Value(0),
            Value(None, IntegerField()),
        ),
        all=True,
    )
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)


# --- one activity ------------------------------------------------------------------------


def activity_get_public(pk: int) -> Activity:
    """A published or cancelled activity with what its page shows; Http404 otherwise."""
    activity = (
        Activity.objects.public()
        .select_related("organiser", "municipality__province")
        .prefetch_related("domains", "themes", "accessibility", "co_organisers", "sessions")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404(_("No such activity."))
    return activity


def activities_for_feed(filters: ActivityFilters, *, limit: int = 500) -> list[Activity]:
    """Up to ``limit`` matching activities by next session (``next_session_start``), with
    their sessions prefetched."""
    from django.db.models import Prefetch

    start, end = filters.date_range
    lower = _lower(filters)
    sessions = Session.objects.filter(ends_at__gte=lower)
    if end:
        sessions = sessions.filter(starts_at__lt=_day_start(end + dt.timedelta(days=1)))
    return list(
        Activity.objects.filter(pk__in=_filtered(filters).values("pk"))
        .select_related("organiser", "municipality")
        .prefetch_related(Prefetch("sessions", queryset=sessions.order_by("starts_at")))
        .alias(next_start=next_session_start(lower))
        .order_by("next_start", "pk")[:limit]
    )


def activity_list_upcoming_of_organisation(
    organisation_id: int, *, limit: int = 30
) -> tuple[list[Activity], int]:
    """The ``limit`` soonest published activities an organisation organises or co-organises
    that have a session still to come or running, and how many there are in all.

    Each carries ``next_session`` (``next_session_start`` from now), as search results do.
    """
    now = timezone.now()
    upcoming = Activity.objects.published().filter(
        Q(organiser_id=organisation_id) | Q(co_organisers__id=organisation_id),
        last_end__gte=now,
    )
    ids = upcoming.values("pk").distinct()
    activities = (
        Activity.objects.filter(pk__in=ids)
        .select_related("organiser", "municipality")
        .annotate(next_session=next_session_start(now))
        .order_by("next_session", "title", "pk")
    )
    shown = list(activities[:limit])
    total = len(shown) if len(shown) < limit else ids.count()
    return shown, total


__all__ = [
    "ActivityFilters",
    "Facet",
    "SearchResult",
    "activities_for_feed",
    "activity_facets",
    "activity_get_public",
    "activity_list_upcoming_of_organisation",
    "activity_search",
    "flemish_school_holidays",
    "when_choices",
    "when_range",
]


def organiser_profiles(organisation_ids) -> dict[int, dict]:
    """Per organiser: the theme slugs and the age range of its published activities (for
    the matching engine's suggestions)."""
    out: dict[int, dict] = {}
    rows = (
        Activity.objects.published()
        .filter(organiser_id__in=list(organisation_ids))
        .values_list("organiser_id", "age_min", "age_max", "themes__slug")
    )
    for organiser_id, age_min, age_max, theme in rows:
        profile = out.setdefault(organiser_id, {"themes": set(), "min_age": 99, "max_age": 0})
        profile["min_age"] = min(profile["min_age"], age_min)
        profile["max_age"] = max(profile["max_age"], age_max)
        if theme:
            profile["themes"].add(theme)
    return out
