"""Reads of the public agenda: the filters of a search, the search itself, facets, one activity.

Shared by the public page, the iCal feed and the API. Every query is SQL: filters are
WHERE clauses and EXISTS subqueries, facets are GROUP BY queries, distances are prefiltered
with a bounding box on the indexed (lat, lon) columns; Python only touches one page of rows.
"""

from __future__ import annotations

import datetime as dt
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
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import ExpressionWrapper
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThan
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from stemnet.agenda import search
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
from stemnet.places.models import BRUSSELS, Municipality, Province
from stemnet.places.selectors import Point, distance_km, point_for_postcode

PAGE_RADII = (5, 10, 25, 50)
API_MAX_RADIUS = 100
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
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
                setattr(f, name, dt.date.fromisoformat(raw))
            except ValueError:
                fail(name, _("Give a date as YYYY-MM-DD."))
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
    ``next_session_end`` and ``distance_km`` (None without a postcode). A small, fixed number
    of queries: one statement counts the matches for the count and every facet at once
    (``_counts``), one finds the page's ids, one loads those activities. On PostgreSQL a
    text search finds its page's ids in the counting statement too, so the text is matched
    once.
    """
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    offset = (page - 1) * page_size
    together = connection.vendor == "postgresql" and bool(search.query_words(filters.q))
    counts = _counts(
        filters,
        _SETS if facets else ("facet_key",),
        page=(offset, page_size) if together else None,
    )
    count = counts.total()
    if not count:
        ids = []
    elif together:
        ids = counts.page_ids
    else:
        ids = _page_ids(_filtered(filters), filters, offset=offset, limit=page_size)
    return SearchResult(
        count=count,
        results=_load_page(ids, filters),
        facets=activity_facets(filters, counts=counts) if facets else {},
        page=page,
        page_size=page_size,
        filters=filters,
        sort=filters.effective_sort,
    )


# The grouped counts every facet is computed from (see SearchEntry).
_SETS = ("facet_key", "access_bits", "municipality_id", "theme_bits")
_MUNICIPALITY_SET = _SETS.index("municipality_id")


@dataclass
class Counts:
    """What ``_counts`` gives: rows per value of each grouped column, for the matches
    ("all") and for every active faceted filter (the rows matching every filter but that
    one), and the details of each municipality counted."""

    by_key: dict[str, dict[str, dict[int, int]]]
    # municipality id -> (nis code, Dutch name, province nis code, region code)
    places: dict[int, tuple[str, str, str | None, str]]
    # The ids of the asked page of matches, in order (when ``_counts`` was given a page).
    page_ids: list[int] = field(default_factory=list)

    def total(self) -> int:
        return sum(self.by_key["all"]["facet_key"].values())

    def get(self, name: str, column: str) -> dict[int, int]:
        """The counts of ``column`` for facet ``name`` (without its own filter)."""
        return self.by_key[name if name in self.by_key else "all"][column]


def _counts(
    filters: ActivityFilters,
    columns: tuple[str, ...] = _SETS,
    *,
    page: tuple[int, int] | None = None,
) -> Counts:
    """Rows per value of each of ``columns``, for the matches and for every facet, at once.

    "all" counts the rows matching every filter; each active faceted filter ``name`` counts
    the rows matching every filter but that one (what its facet shows). One statement: the
    rows matching the filters without a facet, each active faceted filter a boolean column,
    one ``COUNT(*) FILTER (WHERE ...)`` per key, grouped by every column at once (PostgreSQL:
    GROUP BY GROUPING SETS; SQLite, which has none: a UNION ALL of one GROUP BY per column),
    each group tagged with the index of its column; the municipalities' details are joined
    to their groups. With ``page`` = (offset, limit) the same statement also gives that
    page's ids (``Counts.page_ids``, in the order of ``filters.effective_sort``).
    """
    conditions = _faceted_conditions(filters)
    flags = {
        f"m_{n}": ExpressionWrapper(c, output_field=BooleanField()) for n, c in conditions.items()
    }
    matches = _filtered(filters, skip=conditions)
    if len(conditions) > 1:
        # A row counts somewhere only when it fails at most one faceted filter.
        hits = sum(Case(When(c, then=1), default=0) for c in conditions.values())
        matches = matches.alias(hits=hits).filter(hits__gte=len(conditions) - 1)
    extra = _PAGE_COLUMNS if page else {}
    matches = matches.values(*columns, **flags, **extra)
    sql, params = matches.order_by().query.sql_with_params()
    params = tuple(params)
    keys = ["all", *conditions]
    aggregates = []
    for key in keys:
        wanted = [f"m_{n}" for n in conditions if n != key]
        where = f" FILTER (WHERE {' AND '.join(wanted)})" if wanted else ""
        aggregates.append(f"COUNT(*){where}")
    counted = ", ".join(aggregates)
    if connection.vendor == "postgresql":
        # GROUPING() sets one bit per column *not* grouped, the first column highest.
        every = (1 << len(columns)) - 1
        tag = " ".join(
            f"WHEN {every ^ (1 << (len(columns) - 1 - i))} THEN {i}" for i in range(len(columns))
        )
        names = ", ".join(columns)
        sets = ", ".join(f"({c})" for c in columns)
        grouped = (
            f"SELECT CASE GROUPING({names}) {tag} END AS g, "  # noqa: S608 (names only)
            f"COALESCE({names}) AS v, {counted} FROM m GROUP BY GROUPING SETS ({sets})"
        )
        with_clause = f"WITH m AS ({sql})"
    else:
        grouped = " UNION ALL ".join(
            f"SELECT {i} AS g, {column} AS v, {counted} FROM m GROUP BY {column}"  # noqa: S608
            for i, column in enumerate(columns)
        )
        # Not MATERIALIZED: SQLite then scans once per column, which measured no slower
        # than writing the matches to a temporary table first.
        with_clause = f"WITH m AS ({sql})"
    if page:
        everything = " AND ".join(f"m_{n}" for n in conditions) or "1 = 1"
        key, key_params, order = _page_order(filters)
        zeros = ", 0" * (len(keys) - 1)
        grouped += (
            f" UNION ALL SELECT -1, rid, ROW_NUMBER() OVER (ORDER BY {order}){zeros} FROM ("  # noqa: S608
            f"SELECT rid, fs, ti, k FROM (SELECT m.*, {key} AS k FROM m WHERE {everything}) "
            f"ranked ORDER BY {order} LIMIT %s OFFSET %s) page"
        )
        params = (*params, *key_params, page[1], page[0])
    places_table = Municipality._meta.db_table
    query = (
        f"{with_clause} SELECT c.*, p.nis_code, p.name_nl, p.province_id, p.region_id "  # noqa: S608
        f"FROM ({grouped}) c LEFT JOIN {places_table} p "
        f"ON c.g = {_MUNICIPALITY_SET} AND p.id = c.v"
    )
    by_key: dict = {key: {c: {} for c in columns} for key in keys}
    targets = [[by_key[key][column] for key in keys] for column in columns]
    places = {}
    page_rows = []
    width = len(keys)
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        for row in cursor.fetchall():
            g, value = row[0], row[1]
            if g < 0:
                page_rows.append((row[2], value))
                continue
            for target, n in zip(targets[g], row[2 : 2 + width], strict=True):
                if n:
                    target[value] = n
            if row[2 + width] is not None:
                places[value] = row[2 + width :]
    return Counts(by_key, places, [pk for _position, pk in sorted(page_rows)])


# What the matches carry for a page found in the counting statement (see ``_page_order``).
_PAGE_COLUMNS = {
    "rid": F("pk"),
    "fs": F("first_start"),
    "ti": F("title"),
    "la": F("lat"),
    "lo": F("lon"),
    "tv": F("title_vector"),
}


def _page_order(filters: ActivityFilters) -> tuple[str, list, str]:
    """(sort key ``k`` as SQL over the columns of ``_PAGE_COLUMNS``, its parameters, ORDER BY)
    of a page found in the counting statement: the order ``_page_ids`` gives."""
    sort = filters.effective_sort
    if sort == "relevance":
        rank, rank_params = search.rank_sql("tv", filters.q)
        return rank, rank_params, "k DESC, fs, rid"
    if sort == "distance":
        ky = KM_PER_DEGREE
        kx = KM_PER_DEGREE * math.cos(math.radians(filters.point.lat))
        dy, dx = "((la - %s) * %s)", "((lo - %s) * %s)"
        key = f"{dy} * {dy} + {dx} * {dx}"
        lat, lon = filters.point.lat, filters.point.lon
        return key, [lat, ky, lat, ky, lon, kx, lon, kx], "k, fs, rid"
    return "0", [], "fs, ti, rid"


def _page_ids(base: QuerySet, filters: ActivityFilters, *, offset: int, limit: int) -> list:
    """The entry ids of one page of ``base`` (the matching entries), in order."""
    sort = filters.effective_sort
    if sort == "relevance":
        return search.ranked_ids(base, filters.q, offset=offset, limit=limit)
    if sort == "distance":
        ordered = base.alias(distance_order=_distance_sq(filters.point)).order_by(
            "distance_order", "first_start", "pk"
        )
    else:
        ordered = base.order_by("first_start", "title", "pk")
    return list(ordered.values_list("pk", flat=True)[offset : offset + limit])


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
    start, _end = filters.date_range
    lower = _day_start(start) if start else timezone.now()
    upcoming = Session.objects.filter(activity=OuterRef("pk"), ends_at__gte=lower).order_by(
        "starts_at"
    )
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


def _bit_counts(counts: dict[int, int], terms) -> dict[str, int]:
    """Per term (pk as text): the rows whose bit set has the term's bit."""
    per_bit: dict[int, int] = {}
    for bits, n in counts.items():
        while bits:
            low = bits & -bits
            index = low.bit_length() - 1
            per_bit[index] = per_bit.get(index, 0) + n
            bits ^= low
    return {pk: per_bit.get(bit, 0) for pk, _slug, _nl, _en, bit in terms if bit is not None}


def _key_counts(keys: dict[int, int]) -> dict[str, dict]:
    """Decode packed facet keys into counts per kind, source, flag and domain bit set.

    Adds the counts up by the key's high part (kind, source, flags) and its low byte (the
    domains) first, then decodes the few distinct parts.
    """
    high: dict[int, int] = {}
    low: dict[int, int] = {}
    for key, n in keys.items():
        high[key >> 8] = high.get(key >> 8, 0) + n
        low[key & 0xFF] = low.get(key & 0xFF, 0) + n
    out: dict[str, dict] = {"kind": {}, "source": {}, "domain_bits": low}
    flags = dict.fromkeys(FLAGS, 0)
    for part, n in high.items():
        kind, source, free, uitpas, places, _domains = search.unpack_facet_key(part << 8)
        out["kind"][kind] = out["kind"].get(kind, 0) + n
        out["source"][source] = out["source"].get(source, 0) + n
        for name, on in zip(FLAGS, (free, uitpas, places), strict=True):
            flags[name] += n if on else 0
    out.update(flags)
    return out


def activity_facets(
    filters: ActivityFilters, *, counts: Counts | None = None
) -> dict[str, list[Facet]]:
    """Counts per filter value, each with every *other* active filter applied.

    ``counts`` is what ``_counts`` gives for these filters (computed when not given).
    """
    if counts is None:
        counts = _counts(filters)
    english = (get_language() or "nl").startswith("en")
    terms = _vocabularies()
    decoded: dict[str, dict] = {}

    def decoded_for(name: str) -> dict:
        """The decoded facet keys for facet ``name`` (without its own filter)."""
        key = name if name in counts.by_key else "all"
        if key not in decoded:
            decoded[key] = _key_counts(counts.by_key[key]["facet_key"])
        return decoded[key]

    out: dict[str, list[Facet]] = {}
    for name, choices in (("kind", Activity.Kind.choices), ("source", Activity.Source.choices)):
        selected = getattr(filters, name)
        per_value = decoded_for(name)[name]
        out[name] = [
            Facet(value, str(label), per_value.get(value, 0), value in selected)
            for value, label in choices
        ]

    for name in ("domain", "theme", "accessibility"):
        if name == "domain":
            bit_sets = decoded_for(name)["domain_bits"]
        else:
            bit_sets = counts.get(name, VOCABULARIES[name].entry_column)
        per_term = _bit_counts(bit_sets, terms[name])
        out[name] = [
            Facet(
                slug,
                name_en if english else name_nl,
                per_term.get(pk, 0),
                slug in getattr(filters, name),
            )
            for pk, slug, name_nl, name_en, _bit in terms[name]
        ]

    # Places: per municipality, and per province (Brussels as one) by adding those up.
    places = counts.places
    per_province: dict[str, int] = {}
    for pk, n in counts.get("province", "municipality_id").items():
        _nis, _name, province_id, region_id = places[pk]
        key = province_id or (BRUSSELS_VALUE if region_id == BRUSSELS else None)
        if key:
            per_province[key] = per_province.get(key, 0) + n
    provinces = [(slug, name_nl) for _pk, slug, name_nl, _en, _bit in terms["province"]]
    provinces.append((BRUSSELS_VALUE, _("Brussels")))
    out["province"] = [
        Facet(pk, name, per_province.get(pk, 0), pk in filters.province) for pk, name in provinces
    ]
    per_nis: dict[str, list] = {}
    for pk, n in counts.get("municipality", "municipality_id").items():
        nis, name = places[pk][:2]
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
        total = decoded_for(name)[name]
        out[name] = [Facet("1", flag_labels[name], total, getattr(filters, name))]
    return out


def _vocabularies() -> dict[str, list[tuple[str, str, str, str, int | None]]]:
    """Every term of the facet vocabularies and the provinces, in one UNION query.

    Gives {facet: [(pk as text, slug, Dutch name, English name, bit), ...]} in display order.
    """
    sql, params = _vocabulary_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: dict[str, list] = {"domain": [], "theme": [], "accessibility": [], "province": []}
    for facet, key, code, name_nl, name_en, _rank, bit in sorted(
        rows, key=lambda r: (r[0], r[5], r[3] if r[0] == "province" else r[2])
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
    """Up to ``limit`` matching activities, soonest first, with their sessions prefetched."""
    from django.db.models import Prefetch

    start, end = filters.date_range
    lower = _day_start(start) if start else timezone.now()
    sessions = Session.objects.filter(ends_at__gte=lower)
    if end:
        sessions = sessions.filter(starts_at__lt=_day_start(end + dt.timedelta(days=1)))
    return list(
        Activity.objects.filter(pk__in=_filtered(filters).values("pk"))
        .select_related("organiser", "municipality")
        .prefetch_related(Prefetch("sessions", queryset=sessions.order_by("starts_at")))
        .order_by("first_start", "pk")[:limit]
    )


__all__ = [
    "ActivityFilters",
    "Facet",
    "SearchResult",
    "activities_for_feed",
    "activity_facets",
    "activity_get_public",
    "activity_search",
    "flemish_school_holidays",
    "when_choices",
    "when_range",
]
