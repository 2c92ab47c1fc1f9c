"""Reads of the public agenda: the filters of a search, the search itself, facets, one activity.

Shared by the public page, the iCal feed and the API. Every query is SQL: filters are
WHERE clauses and EXISTS subqueries, facets are GROUP BY queries, distances are prefiltered
with a bounding box on the indexed (lat, lon) columns; Python only touches one page of rows.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation

from dateutil.easter import easter
from django.core.exceptions import ValidationError
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import ExpressionWrapper
from django.db.models.functions import Cast
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
    # Derived while parsing: the postcode's point.
    point: Point | None = field(default=None, compare=False, repr=False)

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
            if f.name not in ("sort", "point")
        )

    def to_query(self) -> QueryDict:
        """The query string that reproduces these filters (for links and feeds)."""
        out = QueryDict(mutable=True)
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "point" or value in (None, "", False, []):
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
    for name, model in (("domain", Domain), ("theme", Theme), ("accessibility", _Feature)):
        values = getattr(f, name)
        if values:
            known = set(model.objects.filter(slug__in=values).values_list("slug", flat=True))
            unknown = sorted(set(values) - known)
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
_Feature = AccessibilityFeature


def _radius_message(api: bool) -> str:
    if api:
        return _("Give a distance between 1 and %(max)s km.") % {"max": API_MAX_RADIUS}
    return _("Choose a distance of 5, 10, 25 or 50 km.")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


# --- the query -----------------------------------------------------------------------------


def _through(name: str):
    return getattr(Activity, name).through


_M2M = {"domain": ("domains", "domain"), "theme": ("themes", "theme")}
_M2M["accessibility"] = ("accessibility", "accessibilityfeature")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(filters: ActivityFilters, *, skip: str = "") -> QuerySet:
    """Published activities matching every filter except ``skip`` (for that facet)."""
    qs = Activity.objects.filter(status=Activity.Status.PUBLISHED)
    f = filters
    qs = search.filter_text(qs, f.q)

    start, end = f.date_range
    if start or end:
        lower = _day_start(start) if start else timezone.now()
        sessions = Session.objects.filter(activity=OuterRef("pk"), ends_at__gte=lower)
        qs = qs.filter(last_end__gte=lower)
        if end:
            upper = _day_start(end + dt.timedelta(days=1))
            sessions = sessions.filter(starts_at__lt=upper)
            qs = qs.filter(first_start__lt=upper)
        qs = qs.filter(Exists(sessions))
    else:
        qs = qs.filter(last_end__gte=timezone.now())

    if f.age is not None:
        qs = qs.filter(age_min__lte=f.age, age_max__gte=f.age)
    if f.age_min is not None:
        qs = qs.filter(age_max__gte=f.age_min)
    if f.age_max is not None:
        qs = qs.filter(age_min__lte=f.age_max)

    if f.kind and skip != "kind":
        qs = qs.filter(kind__in=f.kind)
    if f.source and skip != "source":
        qs = qs.filter(source__in=f.source)
    for name, (attr, column) in _M2M.items():
        values = getattr(f, name)
        if values and skip != name:
            through = _through(attr).objects.filter(
                activity_id=OuterRef("pk"), **{f"{column}__slug__in": values}
            )
            qs = qs.filter(Exists(through))
    if f.province and skip != "province":
        cond = Q(municipality__province_id__in=[p for p in f.province if p != BRUSSELS_VALUE])
        if BRUSSELS_VALUE in f.province:
            cond |= Q(municipality__region_id=BRUSSELS)
        qs = qs.filter(cond)
    if f.municipality and skip != "municipality":
        qs = qs.filter(municipality__nis_code__in=f.municipality)

    if f.point and f.radius_km:
        min_lat, max_lat, min_lon, max_lon = _box(f.point, f.radius_km)
        qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)
        qs = qs.alias(distance_sq=_distance_sq(f.point)).filter(distance_sq__lte=f.radius_km**2)

    if f.free and skip != "free":
        qs = qs.filter(price=0)
    if f.max_price is not None:
        qs = qs.filter(price__lte=f.max_price)
    if f.uitpas and skip != "uitpas":
        qs = qs.filter(price_reduced__isnull=False)
    if f.places_left and skip != "places_left":
        qs = qs.filter(_HAS_PLACES)
    return qs


_HAS_PLACES = Q(places_left__isnull=True) | Q(places_left__gt=0)  # = _FLAG_CONDITIONS


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
    of queries: one GROUP BY of the matches by kind, source and municipality (which gives the
    count and every facet whose own filter is inactive), the page, and one GROUP BY per other
    facet.
    """
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    base = _filtered(filters)
    core = _core(base)
    count = sum(row[3] for row in core)
    rows = _page(base, filters, page=page, page_size=page_size) if count else []
    return SearchResult(
        count=count,
        results=rows,
        facets=activity_facets(filters, core=core) if facets else {},
        page=page,
        page_size=page_size,
        filters=filters,
        sort=filters.effective_sort,
    )


_FLAG_CONDITIONS = {
    "free": Q(price=0),
    "uitpas": Q(price_reduced__isnull=False),
    "places_left": Q(places_left__isnull=True) | Q(places_left__gt=0),
}


def _core(base: QuerySet) -> list[tuple]:
    """(kind, source, municipality id, n, free, uitpas, places_left) of the matches."""
    return list(
        base.values_list("kind", "source", "municipality_id")
        .annotate(
            n=Count("pk"),
            **{name: Count("pk", filter=cond) for name, cond in _FLAG_CONDITIONS.items()},
        )
        .order_by()
    )


def _page(base: QuerySet, filters: ActivityFilters, *, page: int, page_size: int) -> list:
    sort = filters.effective_sort
    qs = base.select_related("organiser", "municipality")
    start, _end = filters.date_range
    lower = _day_start(start) if start else timezone.now()
    upcoming = Session.objects.filter(activity=OuterRef("pk"), ends_at__gte=lower).order_by(
        "starts_at"
    )
    qs = qs.annotate(
        next_session=Subquery(upcoming.values("starts_at")[:1]),
        next_session_end=Subquery(upcoming.values("ends_at")[:1]),
    )
    if sort == "relevance":
        qs = search.annotate_rank(qs, filters.q).order_by("-rank", "first_start", "pk")
    elif sort == "distance":
        qs = qs.annotate(distance_order=_distance_sq(filters.point)).order_by(
            "distance_order", "first_start", "pk"
        )
    else:
        qs = qs.order_by("first_start", "title", "pk")
    offset = (page - 1) * page_size
    rows = list(qs[offset : offset + page_size])
    for row in rows:
        row.distance_km = (
            round(distance_km(filters.point, Point(row.lat, row.lon)), 1) if filters.point else None
        )
    return rows


def activity_facets(
    filters: ActivityFilters, *, core: list[tuple] | None = None
) -> dict[str, list[Facet]]:
    """Counts per filter value, each with every *other* active filter applied (GROUP BY).

    ``core`` (from ``_core`` of the fully filtered matches) answers every facet whose own
    filter is inactive; the others get their own GROUP BY without their filter.
    """
    if core is None:
        core = _core(_filtered(filters))
    english = (get_language() or "nl").startswith("en")
    out: dict[str, list[Facet]] = {}
    terms = _vocabularies()

    def from_core(index: int) -> dict:
        counts: dict = {}
        for row in core:
            counts[row[index]] = counts.get(row[index], 0) + row[3]
        return counts

    for name, index, choices in (
        ("kind", 0, Activity.Kind.choices),
        ("source", 1, Activity.Source.choices),
    ):
        selected = getattr(filters, name)
        if selected:
            counts = _counts(_filtered(filters, skip=name).values_list(name))
        else:
            counts = from_core(index)
        out[name] = [
            Facet(value, str(label), counts.get(value, 0), value in selected)
            for value, label in choices
        ]

    for name, (attr, column) in _M2M.items():
        rows = (
            _through(attr)
            .objects.filter(activity_id__in=_filtered(filters, skip=name).values("pk"))
            .values_list(f"{column}_id")
            .annotate(n=Count("activity_id"))
            .order_by()
        )
        counts = {str(pk): n for pk, n in rows}
        out[name] = [
            Facet(
                slug,
                name_en if english else name_nl,
                counts.get(pk, 0),
                slug in getattr(filters, name),
            )
            for pk, slug, name_nl, name_en in terms[name]
        ]

    # Places: per municipality, and per province (Brussels as one) by adding those up.
    place_fields = ("nis_code", "name_nl", "province_id", "region_id")
    if filters.province or filters.municipality:
        by_place = {}
        for name in ("province", "municipality"):
            rows = (
                _filtered(filters, skip=name)
                .values_list(*(f"municipality__{f}" for f in place_fields))
                .annotate(n=Count("pk"))
                .order_by()
            )
            by_place[name] = [(tuple(row[:4]), row[4]) for row in rows]
    else:
        per_municipality = from_core(2)
        places = {
            row[0]: tuple(row[1:])
            for row in Municipality.objects.filter(pk__in=per_municipality).values_list(
                "pk", *place_fields
            )
        }
        pairs = [(places[pk], n) for pk, n in per_municipality.items() if pk in places]
        by_place = {"province": pairs, "municipality": pairs}

    counts: dict[str, int] = {}
    for (_nis, _name, province_id, region_id), n in by_place["province"]:
        key = province_id or (BRUSSELS_VALUE if region_id == BRUSSELS else None)
        if key:
            counts[key] = counts.get(key, 0) + n
    provinces = [(slug, name_nl) for _pk, slug, name_nl, _en in terms["province"]]
    provinces.append((BRUSSELS_VALUE, _("Brussels")))
    out["province"] = [
        Facet(pk, name, counts.get(pk, 0), pk in filters.province) for pk, name in provinces
    ]
    out["municipality"] = [
        Facet(nis, name, n, nis in filters.municipality)
        for (nis, name, _p, _r), n in sorted(by_place["municipality"], key=lambda p: p[0][1])
    ]

    flag_labels = {
        "free": _("Free"),
        "uitpas": _("UiTPAS reduction"),
        "places_left": _("Places left"),
    }
    for index, name in enumerate(FLAGS, start=4):
        if getattr(filters, name):
            total = _filtered(filters, skip=name).filter(_FLAG_CONDITIONS[name]).count()
        else:
            total = sum(row[index] for row in core)
        out[name] = [Facet("1", flag_labels[name], total, getattr(filters, name))]
    return out


def _counts(rows) -> dict[str, int]:
    return dict(rows.annotate(n=Count("pk")).order_by())


def _vocabularies() -> dict[str, list[tuple[str, str, str, str]]]:
    """Every term of the facet vocabularies and the provinces, in one UNION query.

    Gives {facet: [(pk as text, slug, Dutch name, English name), ...]} in display order.
    """

    def rows(model, name: str, slug: str, name_en: str, position):
        return (
            model.objects.annotate(
                facet=Value(name, output_field=CharField()),
                key=Cast("pk", output_field=CharField()),
                code=F(slug),
                english=F(name_en),
                rank=position,
            )
            .values_list("facet", "key", "code", "name_nl", "english", "rank")
            .order_by()
        )

    query = rows(Domain, "domain", "slug", "name_en", F("position")).union(
        rows(Theme, "theme", "slug", "name_en", F("position")),
        rows(_Feature, "accessibility", "slug", "name_en", F("position")),
        rows(Province, "province", "nis_code", "name_nl", Value(0)),
        all=True,
    )
    out: dict[str, list] = {"domain": [], "theme": [], "accessibility": [], "province": []}
    for facet, key, code, name_nl, name_en, _rank in sorted(
        query, key=lambda r: (r[0], r[5], r[3] if r[0] == "province" else r[2])
    ):
        out[facet].append((key, code, name_nl, name_en))
    return out


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
        _filtered(filters)
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
