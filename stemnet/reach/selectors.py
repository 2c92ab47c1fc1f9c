"""Every reach figure, computed here and only here (pages, exports, the API, grant reports).

Counting rules (see also ``stemnet/reach/models.py``):

* A municipality is *reached* in a year when at least one activity took place there that
  year (with ``series_only``: at least one series, *reeks*). Activities are the recorded
  ``Participation`` rows of that year plus the agenda activities that were held that year
  but have no participation recorded yet: an activity that was held reached its
  municipality even when nobody entered the numbers. Draft and cancelled activities never
  count.
* *Held* has one definition, ``held_sessions``: a session of a published or archived
  activity that has started (``starts_at`` ≤ now), in the year it started (Belgian time).
  A session that has not begun has reached no one: it counts nowhere (coverage,
  municipalities, years) and participation cannot be entered for it
  (``activity_years``, ``activities_for_entry``).
* Totals are out of the municipalities that existed that year: the 2019-2024 set (300
  Flemish) before 2025, the 2025 set (285 Flemish) from 2025. Brussels (19) is reported
  separately. A year before 2025 is always counted on that year's municipalities, so 2020
  keeps saying "221 of 300" after the mergers; ``comparison_across_mergers`` maps onto the
  2025 municipalities and says so.
* Participants are unique participants per activity and year (a series counts a child once;
  a child taking part in two different activities counts in both: STEMnet keeps no person
  records). Participants count only what was recorded; nothing is estimated.
* Filters (all optional, keyword-only): ``province`` (Dutch name or NIS code; "Brussel" or
  "04000" for the Brussels region), ``partnership`` (an Organisation or its slug: the
  partnership and its member organisations as organisers), ``organisation`` (an Organisation
  or its slug), ``kind`` (``reeks``, ``kamp``, ...) and ``theme`` (a theme slug; history rows
  have no themes and drop out).

All aggregates are SQL GROUP BY over integer columns, grouped per municipality (≤ 319 rows)
and folded into provinces in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import connections
from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.agenda.models import Activity, Session, Theme
from stemnet.organisations.models import Organisation, PartnershipMember
from stemnet.places.models import BRUSSELS, FLANDERS, Municipality, PopulationCount, Province
from stemnet.places.selectors import Point, distance_km, population_years
from stemnet.reach.models import (
    AGE_BANDS,
    AGE_MAX,
    AGE_MIN,
    MERGER_YEAR,
    Kind,
    Participation,
    ParticipationBreakdown,
    SchoolReach,
    TargetGroup,
    age_band_label,
)

PROVINCE_ORDER = ["Antwerpen", "Limburg", "Oost-Vlaanderen", "Vlaams-Brabant", "West-Vlaanderen"]
BRUSSELS_NAMES = {"brussel", "brussels", "bruxelles", BRUSSELS}
HELD_STATUSES = [Activity.Status.PUBLISHED, Activity.Status.ARCHIVED]
BREAKDOWNS = ["age_band", "gender", "target_group", "kind", "theme", "residence"]


# --- helpers ---------------------------------------------------------------------------------


def vintage_for_year(year: int) -> str:
    """The set of municipalities that existed in ``year``."""
    return Municipality.Vintage.V2019 if year < MERGER_YEAR else Municipality.Vintage.V2025


@dataclass(frozen=True)
class MunicipalityInfo:
    id: int
    nis_code: str
    name: str
    province: str | None
    region: str  # "flanders" or "brussels"
    lat: float
    lon: float
    population_2020: int | None
    successor_id: int | None


def municipality_infos(vintage: str) -> dict[int, MunicipalityInfo]:
    """The municipalities of one set by id, in dashboard order (province, then name)."""
    rows = (
        Municipality.objects.of_vintage(vintage)
        .filter(region_id__in=[FLANDERS, BRUSSELS])
        .order_by("name_nl")
        .values_list(
            "pk",
            "nis_code",
            "name_nl",
            "province__name_nl",
            "region_id",
            "lat",
            "lon",
            "population_2020",
            "successor_id",
        )
    )
    infos = [
        MunicipalityInfo(
            id=pk,
            nis_code=nis_code,
            name=name,
            province=province,
            region="brussels" if region == BRUSSELS else "flanders",
            lat=lat,
            lon=lon,
            population_2020=population,
            successor_id=successor_id,
        )
        for pk, nis_code, name, province, region, lat, lon, population, successor_id in rows
    ]
    order = {name: i for i, name in enumerate(PROVINCE_ORDER)}
    infos.sort(key=lambda i: (order.get(i.province or "", len(order)), i.name))
    return {i.id: i for i in infos}


def _organisation(value) -> Organisation | None:
    if value is None or value == "":
        return None
    if isinstance(value, Organisation):
        return value
    org = Organisation.objects.filter(slug=str(value)).first()
    if org is None:
        # An unknown slug filters everything out rather than silently ignoring the filter.
        return Organisation(pk=-1, slug=str(value), name=str(value))
    return org


def partnership_organisation_ids(partnership: Organisation) -> list[int]:
    """The partnership itself and its member organisations."""
    ids = set(
        PartnershipMember.objects.filter(partnership=partnership).values_list(
            "member_id", flat=True
        )
    )
    ids.add(partnership.pk)
    return sorted(ids)


def _province_municipality_ids(province: str, infos: dict[int, MunicipalityInfo]) -> set[int]:
    value = province.strip()
    if value.lower() in BRUSSELS_NAMES:
        return {i.id for i in infos.values() if i.region == "brussels"}
    name = (
        Province.objects.filter(Q(name_nl__iexact=value) | Q(nis_code=value))
        .values_list("name_nl", flat=True)
        .first()
    )
    return {i.id for i in infos.values() if name is not None and i.province == name}


@dataclass
class _Scope:
    year_infos: dict[int, MunicipalityInfo]
    municipality_ids: set[int] | None
    organisation_ids: list[int] | None
    kind: str | None
    theme: str | None


def _scope(vintage: str, *, province, partnership, organisation, kind, theme) -> _Scope:
    infos = municipality_infos(vintage)
    municipality_ids = _province_municipality_ids(province, infos) if province else None
    organisation_ids = None
    org = _organisation(organisation)
    if org is not None:
        organisation_ids = [org.pk]
    part = _organisation(partnership)
    if part is not None:
        ids = partnership_organisation_ids(part) if part.pk != -1 else [-1]
        organisation_ids = (
            [i for i in organisation_ids if i in ids] if organisation_ids is not None else ids
        )
    return _Scope(infos, municipality_ids, organisation_ids, kind or None, theme or None)


def _filter(qs: QuerySet, scope: _Scope, *, theme_path: str = "activity__themes__slug"):
    if scope.municipality_ids is not None:
        qs = qs.filter(municipality_id__in=scope.municipality_ids)
    if scope.organisation_ids is not None:
        qs = qs.filter(organisation_id__in=scope.organisation_ids)
    if scope.kind:
        qs = qs.filter(kind=scope.kind)
    if scope.theme:
        qs = qs.filter(**{theme_path: scope.theme})
    return qs


def participations(
    *, year: int, province=None, partnership=None, organisation=None, kind=None, theme=None
) -> QuerySet[Participation]:
    """The recorded participation rows of a year within the filters (for lists and exports)."""
    scope = _scope(
        vintage_for_year(year),
        province=province,
        partnership=partnership,
        organisation=organisation,
        kind=kind,
        theme=theme,
    )
    return _filter(Participation.objects.filter(year=year), scope).select_related(
        "municipality", "organisation", "activity"
    )


def _year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime(year, 1, 1), tz),
        timezone.make_aware(dt.datetime(year + 1, 1, 1), tz),
    )


def held_sessions(year: int | None = None) -> QuerySet[Session]:
    """The sessions that count as held: started (``starts_at`` ≤ now), in ``year`` (Belgian
    time) when given. Their activity must also be published or archived
    (``HELD_STATUSES``); ``held_activities`` adds that. The one definition of "held"."""
    qs = Session.objects.filter(starts_at__lte=timezone.now())
    if year is not None:
        start, end = _year_bounds(year)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    return qs


def held_activities(year: int | None = None) -> QuerySet[Activity]:
    """Agenda activities held (in ``year``): published or archived, a session has started."""
    return Activity.objects.filter(
        status__in=HELD_STATUSES, pk__in=held_sessions(year).values("activity_id")
    )


def municipality_for_year(activity: Activity, year: int) -> Municipality:
    """Where an agenda activity took place, as a municipality of ``year``'s set.

    Agenda activities carry a 2025 municipality. From 2025 that is the answer. Before 2025:
    an unchanged municipality has exactly one predecessor (same code), which is the answer; a
    merged one is resolved by the activity's postcode localities (a former municipality whose
    name is one of the localities, e.g. postcode 2150 "Borsbeek"), else by the former
    municipality whose centroid lies nearest to the activity's point.
    """
    municipality = activity.municipality
    wanted = vintage_for_year(year)
    if municipality.vintage == wanted:
        return municipality
    if wanted == Municipality.Vintage.V2025:
        return municipality.successor or municipality
    predecessors = list(municipality.predecessors.all())
    if not predecessors:
        return municipality
    if len(predecessors) == 1:
        return predecessors[0]
    from stemnet.places.selectors import postcode_localities

    localities = {name.lower() for name in postcode_localities(activity.postcode or "")}
    named = [m for m in predecessors if m.name_nl.lower() in localities]
    if len(named) == 1:
        return named[0]
    point = Point(activity.lat, activity.lon)
    return min(predecessors, key=lambda m: distance_km(point, Point(m.lat, m.lon)))


def _unrecorded_held(
    year: int, scope: _Scope, band: tuple[int, int] | None = None
) -> list[tuple[int, str]]:
    """Held agenda activities without participation that year: (municipality id, kind) each."""
    # Sessions of the year without a participation row first (narrow rows, indexed), then
    # only those activities: the wide activity table is never scanned whole.
    unrecorded = (
        held_sessions(year)
        .filter(
            ~Exists(Participation.objects.filter(year=year, activity_id=OuterRef("activity_id")))
        )
        .values("activity_id")
    )
    qs = Activity.objects.filter(status__in=HELD_STATUSES, pk__in=unrecorded)
    if scope.organisation_ids is not None:
        qs = qs.filter(organiser_id__in=scope.organisation_ids)
    if scope.kind:
        qs = qs.filter(kind=scope.kind)
    if scope.theme:
        qs = qs.filter(themes__slug=scope.theme)
    if band:
        qs = qs.filter(age_min__lte=band[1], age_max__gte=band[0])
    if vintage_for_year(year) == Municipality.Vintage.V2025:
        pairs = [
            (r["municipality_id"], r["kind"])
            for r in qs.order_by().values("pk", "municipality_id", "kind")
        ]
    else:
        pairs = [
            (municipality_for_year(a, year).pk, a.kind) for a in qs.select_related("municipality")
        ]
    return [
        (m, k)
        for m, k in pairs
        if m in scope.year_infos and (scope.municipality_ids is None or m in scope.municipality_ids)
    ]


SUMS = ["participants", "girls", "boys", "gender_x", "attendances"]
_ZERO = {"activities": 0, "series": 0, **dict.fromkeys(SUMS, 0)}


@dataclass
class _Aggregate:
    """The year's participation in scope, grouped per municipality and per kind (one scan)."""

    per_municipality: dict[int, dict[str, int]]
    per_kind: dict[str, dict[str, int]]
    totals: dict[str, int]


def _aggregate(year: int, scope: _Scope, band: tuple[int, int] | None = None) -> _Aggregate:
    qs = _filter(Participation.objects.filter(year=year), scope)
    if band:
        qs = qs.filter(age_min__lte=band[1], age_max__gte=band[0])
    if scope.theme:  # the theme join may repeat a row: count each row once
        qs = Participation.objects.filter(pk__in=qs.values("pk"))
    rows = (
        qs.order_by()
        .values("municipality_id", "kind")
        .annotate(
            activities=Count("*"),
            **{name: Coalesce(Sum(name), 0, output_field=IntegerField()) for name in SUMS},
        )
    )
    per_municipality: dict[int, dict[str, int]] = {}
    per_kind: dict[str, dict[str, int]] = {}
    totals = dict(_ZERO)

    def add(target: dict, values: dict) -> None:
        for key, value in values.items():
            target[key] += value

    for row in rows:
        municipality_id, kind = row.pop("municipality_id"), row.pop("kind")
        row["series"] = row["activities"] if kind == Kind.SERIES else 0
        add(per_municipality.setdefault(municipality_id, dict(_ZERO)), row)
        add(per_kind.setdefault(kind, dict(_ZERO)), row)
        add(totals, row)
    for municipality_id, kind in _unrecorded_held(year, scope, band):
        extra = {"activities": 1, "series": int(kind == Kind.SERIES)}
        add(per_municipality.setdefault(municipality_id, dict(_ZERO)), extra)
        add(per_kind.setdefault(kind, dict(_ZERO)), extra)
        add(totals, extra)
    return _Aggregate(per_municipality, per_kind, totals)


def _breakdown_aggregate(
    year: int, scope: _Scope, dimension: str | None = None
) -> dict[tuple[str, int | None], int]:
    """Breakdown counts of the year in scope: {(dimension, age / residence id / group id): n},
    all dimensions or only ``dimension``."""
    rows = ParticipationBreakdown.objects.filter(year=year)
    if dimension:
        rows = rows.filter(dimension=dimension)
    qs = _filter(
        rows,
        scope,
        theme_path="participation__activity__themes__slug",
    )
    if scope.theme:
        qs = ParticipationBreakdown.objects.filter(pk__in=qs.values("pk"))
    out: dict[tuple[str, int | None], int] = {}
    rows = (
        qs.order_by()
        .values_list("dimension", "age", "residence_id", "target_group_id")
        .annotate(n=Sum("count"))
    )
    for dimension, age, residence_id, group_id, n in rows:
        key = {"age": age, "residence": residence_id, "target_group": group_id}[dimension]
        out[(dimension, key)] = out.get((dimension, key), 0) + (n or 0)
    return out


def _uitpas(year: int, scope: _Scope) -> int:
    qs = _filter(
        ParticipationBreakdown.objects.filter(
            year=year,
            dimension=ParticipationBreakdown.Dimension.TARGET_GROUP,
            target_group__slug=TargetGroup.UITPAS,
        ),
        scope,
        theme_path="participation__activity__themes__slug",
    )
    if scope.theme:
        qs = ParticipationBreakdown.objects.filter(pk__in=qs.values("pk"))
    return qs.aggregate(n=Sum("count"))["n"] or 0


def _share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(part / whole, 4)


def _scope_for(year: int, filters: dict) -> _Scope:
    return _scope(vintage_for_year(year), **filters)


def _filters(province, partnership, organisation, kind, theme) -> dict:
    return {
        "province": province,
        "partnership": partnership,
        "organisation": organisation,
        "kind": kind,
        "theme": theme,
    }


# --- the figures -----------------------------------------------------------------------------


def _summary_from(year: int, scope: _Scope, agg: _Aggregate, uitpas: int) -> dict:
    provinces: dict[str, dict] = {}
    series_provinces: dict[str, dict] = {}
    brussels = {"reached": 0, "series_reached": 0, "total": 0}
    for info in scope.year_infos.values():
        if scope.municipality_ids is not None and info.id not in scope.municipality_ids:
            continue
        row = agg.per_municipality.get(info.id)
        reached = bool(row and row["activities"])
        series = bool(row and row["series"])
        if info.region == "brussels":
            brussels["total"] += 1
            brussels["reached"] += int(reached)
            brussels["series_reached"] += int(series)
            continue
        for target, hit in ((provinces, reached), (series_provinces, series)):
            p = target.setdefault(
                info.province, {"province": info.province, "reached": 0, "total": 0}
            )
            p["total"] += 1
            p["reached"] += int(hit)
    by_province = [provinces[n] for n in PROVINCE_ORDER if n in provinces]
    series_by_province = [series_provinces[n] for n in PROVINCE_ORDER if n in series_provinces]
    totals = agg.totals
    participants = totals["participants"]
    return {
        "year": year,
        "vintage": vintage_for_year(year),
        "municipalities": {
            "reached": sum(p["reached"] for p in by_province),
            "total": sum(p["total"] for p in by_province),
            "by_province": by_province,
        },
        "series_municipalities": {
            "reached": sum(p["reached"] for p in series_by_province),
            "total": sum(p["total"] for p in series_by_province),
            "by_province": series_by_province,
        },
        "brussels": brussels,
        "participants": participants,
        "girls": totals["girls"],
        "boys": totals["boys"],
        "gender_x": totals["gender_x"],
        "gender_unknown": participants - totals["girls"] - totals["boys"] - totals["gender_x"],
        "girls_share": _share(totals["girls"], participants),
        "attendances": totals["attendances"],
        "activities": totals["activities"],
        "series": totals["series"],
        "uitpas": uitpas,
    }


def reach_summary(
    *, year: int, province=None, partnership=None, organisation=None, kind=None, theme=None
) -> dict:
    """The headline figures of a year, in the shape of ``GET /api/v1/reach/summary``.

    ``{"year", "vintage", "municipalities": {"reached", "total", "by_province": [{"province",
    "reached", "total"}...]}, "series_municipalities": {"reached", "total", "by_province"},
    "brussels": {"reached", "series_reached", "total"}, "participants", "girls", "boys",
    "gender_x", "gender_unknown", "girls_share", "attendances", "activities", "series",
    "uitpas"}``. ``municipalities`` counts Flemish municipalities only (300 before 2025, 285
    from 2025) and ``by_province`` lists Antwerpen, Limburg, Oost-Vlaanderen, Vlaams-Brabant,
    West-Vlaanderen in that order; with a province filter only that province. ``participants``
    and the other counts include Brussels.
    """
    scope = _scope_for(year, _filters(province, partnership, organisation, kind, theme))
    return _summary_from(year, scope, _aggregate(year, scope), _uitpas(year, scope))


def _municipality_rows_from(scope: _Scope, agg: _Aggregate, series_only: bool) -> list[dict]:
    rows = []
    for info in scope.year_infos.values():
        if scope.municipality_ids is not None and info.id not in scope.municipality_ids:
            continue
        row = agg.per_municipality.get(info.id, _ZERO)
        rows.append(
            {
                "id": info.id,
                "nis_code": info.nis_code,
                "name": info.name,
                "province": info.province,
                "region": info.region,
                "reached": bool(row["series"] if series_only else row["activities"]),
                "activities": row["activities"],
                "series": row["series"],
                "participants": row["participants"],
                "girls": row["girls"],
                "attendances": row["attendances"],
            }
        )
    return rows


def municipalities_reached(
    *,
    year: int,
    province=None,
    partnership=None,
    organisation=None,
    kind=None,
    theme=None,
    series_only: bool = False,
) -> list[dict]:
    """One row per municipality of the year's set (by province, then Brussels), for map and
    table.

    Row: ``{"id", "nis_code", "name", "province" (None for Brussels), "region" ("flanders" |
    "brussels"), "reached" (bool; series only when ``series_only``), "activities", "series",
    "participants", "girls", "attendances"}``.
    """
    scope = _scope_for(year, _filters(province, partnership, organisation, kind, theme))
    return _municipality_rows_from(scope, _aggregate(year, scope), series_only)


def _coverage_from(rows: list[dict]) -> list[dict]:
    groups: dict[str, dict] = {}
    for row in rows:
        name = row["province"] if row["region"] == "flanders" else "Brussel"
        g = groups.setdefault(
            name,
            {
                "province": name,
                "region": row["region"],
                "reached": 0,
                "total": 0,
                "participants": 0,
            },
        )
        g["total"] += 1
        g["reached"] += int(row["reached"])
        g["participants"] += row["participants"]
    out = [groups[n] for n in [*PROVINCE_ORDER, "Brussel"] if n in groups]
    for g in out:
        g["share"] = _share(g["reached"], g["total"])
    return out


def coverage_by_province(
    *,
    year: int,
    province=None,
    partnership=None,
    organisation=None,
    kind=None,
    theme=None,
    series_only: bool = False,
) -> list[dict]:
    """Per province (fixed order) and then Brussels: ``{"province", "region", "reached",
    "total", "share", "participants"}``; Brussels has ``"province": "Brussel"`` and
    ``"region": "brussels"``."""
    rows = municipalities_reached(
        year=year,
        province=province,
        partnership=partnership,
        organisation=organisation,
        kind=kind,
        theme=theme,
        series_only=series_only,
    )
    return _coverage_from(rows)


def _theme_counts(year: int, scope: _Scope, total: int) -> tuple[dict[str, int], int]:
    """Participants per theme slug (an activity with two themes counts in both) and the
    participants without any theme (history rows and activities without themes)."""
    base = _filter(Participation.objects.filter(year=year), scope)
    if not scope.theme:
        return _theme_counts_joined(base)
    with_theme = base.filter(activity__themes__isnull=False)
    counts = dict(
        with_theme.order_by()
        .values_list("activity__themes__slug")
        .annotate(n=Sum("participants"))
        .values_list("activity__themes__slug", "n")
    )
    themed = (
        Participation.objects.filter(pk__in=with_theme.values("pk")).aggregate(
            n=Sum("participants")
        )["n"]
        or 0
    )
    return counts, max(total - themed, 0)


def _theme_counts_joined(base: QuerySet) -> tuple[dict[str, int], int]:
    """``_theme_counts`` in one GROUP BY: the rows in scope LEFT JOIN the activities' themes
    (straight on the m2m table, without the wide activity table). The group without a theme
    holds the participants without any theme; each row counts once per theme it has."""
    through = Activity.themes.through
    table = through._meta.db_table
    activity_col = through._meta.get_field("activity").column
    theme_col = through._meta.get_field("theme").column
    connection = connections[base.db]
    qn = connection.ops.quote_name
    sql, params = base.order_by().values("activity_id", "participants").query.sql_with_params()
    # Quoted model names and Django-compiled SQL with its params: nothing from user input.
    query = (
        f"SELECT t.{qn(theme_col)}, SUM(p.{qn('participants')}) FROM ({sql}) p "  # noqa: S608
        f"LEFT JOIN {qn(table)} t ON t.{qn(activity_col)} = p.{qn('activity_id')} "
        f"GROUP BY t.{qn(theme_col)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    slugs = dict(Theme.objects.values_list("pk", "slug"))
    counts = {slugs[theme_id]: int(n) for theme_id, n in rows if theme_id is not None and n}
    without = sum(int(n or 0) for theme_id, n in rows if theme_id is None)
    return counts, without


def _breakdown_from(
    by: str,
    agg: _Aggregate,
    bd: dict[tuple[str, int | None], int],
    themes: tuple[dict[str, int], int] | None,
) -> list[dict]:
    total = agg.totals["participants"]
    rows: list[dict] = []

    def add(key, label, n):
        rows.append({"key": key, "label": label, "participants": n, "share": _share(n, total)})

    if by == "gender":
        t = agg.totals
        add("girl", _("girls"), t["girls"])
        add("boy", _("boys"), t["boys"])
        add("x", _("x"), t["gender_x"])
        add("unknown", _("unknown"), total - t["girls"] - t["boys"] - t["gender_x"])
    elif by == "kind":
        for value, label in Kind.choices:
            add(value, str(label), agg.per_kind.get(value, _ZERO)["participants"])
    elif by == "theme":
        counts, without = themes or ({}, 0)
        for t in Theme.objects.all():
            if counts.get(t.slug):
                add(t.slug, t.name, counts[t.slug])
        add("none", _("no theme"), without)
    elif by == "age_band":
        by_age = {k: n for (d, k), n in bd.items() if d == "age"}
        for band in AGE_BANDS:
            n = sum(v for age, v in by_age.items() if band[0] <= age <= band[1])
            add(age_band_label(band), age_band_label(band), n)
        add("unknown", _("not recorded"), max(total - sum(by_age.values()), 0))
    elif by == "target_group":
        by_group = {k: n for (d, k), n in bd.items() if d == "target_group"}
        for group in TargetGroup.objects.all():
            if group.is_active or by_group.get(group.pk):
                add(group.slug, group.name, by_group.get(group.pk, 0))
        add("unknown", _("other or not recorded"), max(total - sum(by_group.values()), 0))
    else:  # residence
        by_residence = {k: n for (d, k), n in bd.items() if d == "residence"}
        names = {
            m["pk"]: m
            for m in Municipality.objects.filter(pk__in=list(by_residence)).values(
                "pk", "nis_code", "name_nl"
            )
        }
        for pk, n in sorted(by_residence.items(), key=lambda kv: (-kv[1], names[kv[0]]["name_nl"])):
            add(names[pk]["nis_code"], names[pk]["name_nl"], n)
        add("unknown", _("not recorded"), max(total - sum(by_residence.values()), 0))
    return rows


def participants_breakdown(
    *,
    year: int,
    by: str,
    province=None,
    partnership=None,
    organisation=None,
    kind=None,
    theme=None,
) -> list[dict]:
    """Participants of a year split by ``by``: "age_band", "gender", "target_group", "kind",
    "theme" or "residence".

    Rows ``{"key", "label", "participants", "share"}`` (share of all participants in scope).
    Age, residence and target group are recorded separately from the total, so each of those
    ends with a row ``{"key": "unknown"}`` for participants whose value was not recorded
    (for target groups: not in a recorded group or not recorded). Theme: an activity with two
    themes counts in both; participants without theme (history rows) are under "none".
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    scope = _scope_for(year, _filters(province, partnership, organisation, kind, theme))
    agg = _aggregate(year, scope)
    dimension = {"age_band": "age", "target_group": "target_group", "residence": "residence"}
    bd = _breakdown_aggregate(year, scope, dimension[by]) if by in dimension else {}
    themes = _theme_counts(year, scope, agg.totals["participants"]) if by == "theme" else None
    return _breakdown_from(by, agg, bd, themes)


def _trend_from(years, scope_filters: dict, known: dict | None = None) -> list[dict]:
    """Per year, one scan over all the years (grouped by year and municipality); ``known``
    holds aggregates already computed ({year: _Aggregate}), which are reused."""
    years = sorted({int(y) for y in years})
    if not years:
        return []
    known = known or {}
    scopes = {
        vintage: _scope(vintage, **scope_filters)
        for vintage in {vintage_for_year(y) for y in years}
    }
    any_scope = next(iter(scopes.values()))
    qs = Participation.objects.filter(year__in=[y for y in years if y not in known])
    # Municipality filter differs per vintage: apply it in Python below.
    qs = _filter(qs, replace(any_scope, municipality_ids=None))
    if any_scope.theme:
        qs = Participation.objects.filter(pk__in=qs.values("pk"))
    rows = (
        qs.order_by()
        .values("year", "municipality_id", "kind")
        .annotate(
            activities=Count("*"),
            **{name: Coalesce(Sum(name), 0, output_field=IntegerField()) for name in SUMS},
        )
    )
    per_year: dict[int, _Aggregate] = {
        y: _Aggregate(per_municipality={}, per_kind={}, totals=dict(_ZERO)) for y in years
    }
    for row in rows:
        year = row.pop("year")
        municipality_id, kind = row.pop("municipality_id"), row.pop("kind")
        scope = scopes[vintage_for_year(year)]
        if scope.municipality_ids is not None and municipality_id not in scope.municipality_ids:
            continue
        row["series"] = row["activities"] if kind == Kind.SERIES else 0
        target = per_year[year].per_municipality.setdefault(municipality_id, dict(_ZERO))
        for key, value in row.items():
            target[key] += value
            per_year[year].totals[key] += value
    out = []
    for year in years:
        scope = scopes[vintage_for_year(year)]
        if year in known:
            agg = known[year]
        else:
            agg = per_year[year]
            for municipality_id, kind in _unrecorded_held(year, scope):
                target = agg.per_municipality.setdefault(municipality_id, dict(_ZERO))
                target["activities"] += 1
                target["series"] += int(kind == Kind.SERIES)
                agg.totals["activities"] += 1
                agg.totals["series"] += int(kind == Kind.SERIES)
        s = _summary_from(year, scope, agg, uitpas=0)
        out.append(
            {
                "year": year,
                "vintage": s["vintage"],
                "reached": s["municipalities"]["reached"],
                "total": s["municipalities"]["total"],
                "series_reached": s["series_municipalities"]["reached"],
                "brussels_reached": s["brussels"]["reached"],
                "participants": s["participants"],
                "girls": s["girls"],
                "girls_share": s["girls_share"],
                "attendances": s["attendances"],
                "activities": s["activities"],
            }
        )
    return out


def trend(
    *, years, province=None, partnership=None, organisation=None, kind=None, theme=None
) -> list[dict]:
    """Per year (ascending): ``{"year", "vintage", "reached", "total", "series_reached",
    "brussels_reached", "participants", "girls", "girls_share", "attendances", "activities"}``.
    Each year is counted on its own municipalities (300 before 2025, 285 from 2025)."""
    return _trend_from(years, _filters(province, partnership, organisation, kind, theme))


def reach_years(*, organisation=None, partnership=None) -> list[int]:
    """The years with recorded participation or held agenda activities, newest first; with
    ``organisation`` / ``partnership`` (an Organisation or slug) only those organisers'."""
    scope = _scope(
        Municipality.Vintage.V2025,
        province=None,
        partnership=partnership,
        organisation=organisation,
        kind=None,
        theme=None,
    )
    recorded = Participation.objects.all()
    held = Activity.objects.filter(status__in=HELD_STATUSES, first_start__isnull=False)
    if scope.organisation_ids is not None:
        recorded = recorded.filter(organisation_id__in=scope.organisation_ids)
        held = held.filter(organiser_id__in=scope.organisation_ids)
    years = set(recorded.order_by().values_list("year", flat=True).distinct())
    tz = timezone.get_current_timezone()
    first = held.aggregate(low=Min("first_start"))["low"]
    if first is not None:
        now_year = timezone.localdate().year
        for year in range(timezone.localtime(first, tz).year, now_year + 1):
            if year not in years and held_activities(year).filter(pk__in=held).exists():
                years.add(year)
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class ReachYear:
    """A year of figures and whether it is complete.

    The rule (``year_status``): a year is *complete* once it has ended and
    ``settings.REACH_RECORDING_DAYS`` days (default 90) have passed, because organisers enter
    their numbers after the activities. Before that it is *running* (the current year, or
    later) or *recording* (ended, numbers still coming in until ``complete_from``).
    """

    year: int
    status: str  # "complete", "recording" or "running"
    complete_from: dt.date

    @property
    def complete(self) -> bool:
        return self.status == "complete"


def year_status(year: int, today: dt.date | None = None) -> ReachYear:
    from django.conf import settings

    today = today or timezone.localdate()
    complete_from = dt.date(year + 1, 1, 1) + dt.timedelta(days=settings.REACH_RECORDING_DAYS)
    if today.year <= year:
        status = "running"
    elif today < complete_from:
        status = "recording"
    else:
        status = "complete"
    return ReachYear(year=year, status=status, complete_from=complete_from)


@dataclass(frozen=True)
class YearChoice:
    years: list[ReachYear]  # every year with records, newest first
    default: ReachYear  # the year a page opens on

    def get(self, value) -> ReachYear:
        """The chosen year when it is one of ``years``, else ``default``."""
        try:
            wanted = int(value)
        except (TypeError, ValueError):
            return self.default
        return next((y for y in self.years if y.year == wanted), self.default)


def reach_year_choice(*, organisation=None, partnership=None) -> YearChoice:
    """The years a figures page offers and the one it opens on (the public page, the
    coordinator's page and the dashboard all use this).

    Offered: every year with records (``reach_years``, within the organisation or
    partnership when given), each with its status. Opened on: the latest *complete* year
    with records; when no year with records is complete yet, the newest year with records;
    with no records at all, the latest complete year (shown empty).
    """
    today = timezone.localdate()
    years = [
        year_status(y, today)
        for y in reach_years(organisation=organisation, partnership=partnership)
    ]
    complete = [y for y in years if y.complete]
    if complete:
        default = complete[0]
    elif years:
        default = years[0]
    else:
        last = today.year - 1
        while not year_status(last, today).complete:
            last -= 1
        default = year_status(last, today)
        years = [default]
    return YearChoice(years=years, default=default)


def figure_sources() -> dict[int, dict[str, int]]:
    """Where the recorded figures come from: per year, the participation rows per ``Source``.

    The public page derives its provenance sentences from this (e.g. "imported from earlier
    records" only for years that have history rows), never from an assumption.
    """
    out: dict[int, dict[str, int]] = {}
    rows = Participation.objects.order_by().values_list("year", "source").annotate(n=Count("*"))
    for year, source, n in rows:
        out.setdefault(year, {})[source] = n
    return out


def _band(age_band) -> tuple[int, int] | None:
    if not age_band:
        return None
    if isinstance(age_band, tuple | list):
        return int(age_band[0]), int(age_band[1])
    low, _sep, high = str(age_band).partition("-")
    return int(low), int(high or low)


def _white_spots_from(scope: _Scope, offered: set[int], province) -> list[dict]:
    infos = scope.year_infos
    with_offer = [infos[i] for i in offered if i in infos]
    listed = _province_municipality_ids(province, infos) if province else set(infos)
    rows = []
    for info in infos.values():
        if info.id in offered or info.id not in listed:
            continue
        nearest, distance = None, None
        here = Point(info.lat, info.lon)
        for other in with_offer:
            d = distance_km(here, Point(other.lat, other.lon))
            if distance is None or d < distance:
                nearest, distance = other, d
        rows.append(
            {
                "id": info.id,
                "nis_code": info.nis_code,
                "name": info.name,
                "province": info.province,
                "region": info.region,
                "nearest_nis_code": nearest.nis_code if nearest else None,
                "nearest_name": nearest.name if nearest else None,
                "distance_km": round(distance, 1) if distance is not None else None,
            }
        )
    rows.sort(key=lambda r: (-(r["distance_km"] or 0), r["name"]))
    return rows


def white_spots(
    *,
    year: int,
    age_band=None,
    province=None,
    partnership=None,
    organisation=None,
    kind=None,
    theme=None,
) -> list[dict]:
    """Municipalities of the year's set without any offer (for ``age_band``, e.g. "9-12" or
    (9, 12): without an activity whose age range overlaps the band), with the nearest
    municipality that has such an offer and the distance between the centroids in km.

    Rows ``{"id", "nis_code", "name", "province", "region", "nearest_nis_code",
    "nearest_name", "distance_km"}`` (nearest/distance None when there is no offer at all),
    farthest first. ``province`` limits the white spots listed; the nearest offer may lie
    across the border. The other filters limit the offer that counts.
    """
    scope = _scope_for(year, _filters(None, partnership, organisation, kind, theme))
    agg = _aggregate(year, scope, _band(age_band))
    offered = {m for m, row in agg.per_municipality.items() if row["activities"]}
    return _white_spots_from(scope, offered, province)


def _population_5_18(year: int, ids: list[int]) -> dict[int, int]:
    """Residents aged 5-18 on 1 January of ``year`` per municipality, one GROUP BY for all.

    The same number as ``places.selectors.population_by_age(m, year, 5, 18)`` for a
    municipality of the year's own set (its own figures; the predecessors are only added up
    for a 2025 municipality before 2025, which is never in that year's set). A municipality
    without figures for the year is absent: its population is None, never estimated.
    """
    rows = (
        PopulationCount.objects.filter(year=year, municipality_id__in=ids)
        .order_by()
        .values_list("municipality_id")
        .annotate(n=Sum("count", filter=Q(age__gte=AGE_MIN, age__lte=AGE_MAX)))
    )
    return {municipality_id: n or 0 for municipality_id, n in rows}


def _population_from(year: int, scope: _Scope, agg: _Aggregate, residence: dict) -> list[dict]:
    loaded = year in population_years()
    populations = _population_5_18(year, list(scope.year_infos)) if loaded else {}
    rows = []
    for info in scope.year_infos.values():
        if scope.municipality_ids is not None and info.id not in scope.municipality_ids:
            continue
        population = populations.get(info.id)
        participants = agg.per_municipality.get(info.id, _ZERO)["participants"]
        residents = residence.get(info.id, 0) if residence else None
        rows.append(
            {
                "id": info.id,
                "nis_code": info.nis_code,
                "name": info.name,
                "province": info.province,
                "region": info.region,
                "participants": participants,
                "residents": residents,
                "population_5_18": population,
                "share": _share(participants, population),
                "residents_share": _share(residents, population),
                "population_2020_all_ages": info.population_2020,
            }
        )
    return rows


def population_share(
    *, year: int, province=None, partnership=None, organisation=None, kind=None, theme=None
) -> list[dict]:
    """Per municipality of the year's set: participants against the population aged 5-18.

    Rows ``{"id", "nis_code", "name", "province", "region", "participants" (at activities
    held there), "residents" (participants living there, from the residence breakdown;
    None when nobody recorded residence that year), "population_5_18" (Statbel, 1 January of
    ``year``; None when not loaded), "share" (participants / population_5_18, None when the
    population is not loaded — never estimated), "residents_share", "population_2020_all_ages"
    (total population of ALL ages on 1 January 2020, shipped reference data; not a 5-18
    figure)}``.
    """
    scope = _scope_for(year, _filters(province, partnership, organisation, kind, theme))
    bd = _breakdown_aggregate(year, scope, ParticipationBreakdown.Dimension.RESIDENCE)
    residence = {k: n for (d, k), n in bd.items() if d == "residence"}
    return _population_from(year, scope, _aggregate(year, scope), residence)


def dashboard(
    *,
    year: int,
    years=None,
    age_band=None,
    province=None,
    partnership=None,
    organisation=None,
    kind=None,
    theme=None,
) -> dict:
    """Every figure of the dashboard at once, with as few scans as possible.

    The same values as the separate selectors (same filters):
    ``{"summary": reach_summary, "provinces": coverage_by_province, "municipalities":
    municipalities_reached, "series_municipalities": municipalities_reached(series_only),
    "population": population_share, "breakdowns": {by: participants_breakdown for by in
    BREAKDOWNS}, "trend": trend(years) ([] without years), "white_spots": white_spots(age_band),
    "schools": school_reach}``. Participation is scanned once for the year (grouped by
    municipality and kind), the breakdowns once, the trend years once.
    """
    filters = _filters(province, partnership, organisation, kind, theme)
    scope = _scope_for(year, filters)
    agg = _aggregate(year, scope)
    bd = _breakdown_aggregate(year, scope)
    uitpas_id = TargetGroup.objects.filter(slug=TargetGroup.UITPAS).values_list("pk", flat=True)
    uitpas = sum(bd.get(("target_group", pk), 0) for pk in uitpas_id)
    municipalities = _municipality_rows_from(scope, agg, series_only=False)
    band = _band(age_band)
    spots_scope = _scope_for(year, {**filters, "province": None}) if province else scope
    # The nearest offer may lie outside the province: count the offer everywhere.
    offer = _aggregate(year, spots_scope, band) if band or province else agg
    offered = {m for m, row in offer.per_municipality.items() if row["activities"]}
    residence = {k: n for (d, k), n in bd.items() if d == "residence"}
    themes = _theme_counts(year, scope, agg.totals["participants"])
    return {
        "summary": _summary_from(year, scope, agg, uitpas),
        "provinces": _coverage_from(municipalities),
        "municipalities": municipalities,
        "series_municipalities": _municipality_rows_from(scope, agg, series_only=True),
        "population": _population_from(year, scope, agg, residence),
        "breakdowns": {by: _breakdown_from(by, agg, bd, themes) for by in BREAKDOWNS},
        "trend": _trend_from(years, filters, known={year: agg}) if years else [],
        "white_spots": _white_spots_from(spots_scope, offered, province),
        "schools": school_reach(year=year, partnership=partnership),
    }


def school_reach(*, year: int, partnership=None) -> dict:
    """Pupils reached in the schools with pupil counts entered for ``year``.

    ``{"year", "schools": [{"id", "name", "slug", "pupils_total", "pupils_reached",
    "share"}], "pupils_total", "pupils_reached", "share"}``; with ``partnership`` only its
    member schools (the "more than 70% of all pupils" figure).
    """
    qs = SchoolReach.objects.filter(year=year).select_related("organisation")
    part = _organisation(partnership)
    if part is not None:
        qs = qs.filter(
            organisation_id__in=partnership_organisation_ids(part) if part.pk != -1 else []
        )
    schools = [
        {
            "id": r.organisation_id,
            "name": r.organisation.name,
            "slug": r.organisation.slug,
            "pupils_total": r.pupils_total,
            "pupils_reached": r.pupils_reached,
            "share": _share(r.pupils_reached, r.pupils_total),
        }
        for r in qs.order_by("organisation__name")
    ]
    total = sum(s["pupils_total"] for s in schools)
    reached = sum(s["pupils_reached"] for s in schools)
    return {
        "year": year,
        "schools": schools,
        "pupils_total": total,
        "pupils_reached": reached,
        "share": _share(reached, total),
    }


def comparison_across_mergers(
    *,
    year_a: int,
    year_b: int,
    province=None,
    partnership=None,
    organisation=None,
    kind=None,
    theme=None,
) -> dict:
    """Compare two years on the 2025 municipalities (285 Flemish + 19 Brussels).

    A year before 2025 is mapped through the merger mapping (``Municipality.successor``): a
    2025 municipality counts as reached in that year when at least one of the municipalities
    it was formed from was reached, so e.g. Borsbeek (11007) and Antwerpen (11002) in 2020
    both become Antwerpen (11002). ``note`` says so in the user's language.

    ``{"year_a", "year_b", "mapped": bool, "note", "total", "reached_a", "reached_b",
    "rows": [{"id", "nis_code", "name", "province", "region", "reached_a", "reached_b",
    "participants_a", "participants_b", "former": [{"nis_code", "name", "reached_a"}]}]}``
    (``reached_*`` and ``total`` count Flemish municipalities).
    """
    target = municipality_infos(Municipality.Vintage.V2025)
    filters = {
        "province": province,
        "partnership": partnership,
        "organisation": organisation,
        "kind": kind,
        "theme": theme,
    }
    infos_2019 = (
        municipality_infos(Municipality.Vintage.V2019) if min(year_a, year_b) < MERGER_YEAR else {}
    )
    former: dict[int, list[MunicipalityInfo]] = defaultdict(list)
    for info in infos_2019.values():
        if info.successor_id:
            former[info.successor_id].append(info)

    def mapped(year):
        rows = municipalities_reached(year=year, **filters)
        by_target: dict[int, dict] = defaultdict(lambda: {"reached": False, "participants": 0})
        reached_old: dict[int, bool] = {}
        for row in rows:
            if year < MERGER_YEAR:
                reached_old[row["id"]] = row["reached"]
                info = infos_2019.get(row["id"])
                key = info.successor_id if info else None
            else:
                key = row["id"]
            if key is None:
                continue
            by_target[key]["reached"] |= row["reached"]
            by_target[key]["participants"] += row["participants"]
        return by_target, reached_old

    a, old_a = mapped(year_a)
    b, _old_b = mapped(year_b)
    scope_ids = _province_municipality_ids(province, target) if province else set(target.keys())
    rows = []
    for info in target.values():
        if info.id not in scope_ids:
            continue
        rows.append(
            {
                "id": info.id,
                "nis_code": info.nis_code,
                "name": info.name,
                "province": info.province,
                "region": info.region,
                "reached_a": a[info.id]["reached"] if info.id in a else False,
                "reached_b": b[info.id]["reached"] if info.id in b else False,
                "participants_a": a[info.id]["participants"] if info.id in a else 0,
                "participants_b": b[info.id]["participants"] if info.id in b else 0,
                "former": [
                    {"nis_code": f.nis_code, "name": f.name, "reached_a": old_a.get(f.id, False)}
                    for f in former.get(info.id, [])
                ]
                if year_a < MERGER_YEAR
                else [],
            }
        )
    is_mapped = (year_a < MERGER_YEAR) != (year_b < MERGER_YEAR) or (
        year_a < MERGER_YEAR and year_b < MERGER_YEAR
    )
    if is_mapped:
        note = _(
            "Years before 2025 are shown on the 2025 municipalities using the merger mapping: "
            "a merged municipality counts as reached when at least one of the former "
            "municipalities was reached. These figures therefore differ from the figures of "
            "those years on their own municipalities (300 Flemish municipalities before 2025, "
            "285 since)."
        )
    else:
        note = _("Both years are counted on the 2025 municipalities; no mapping was needed.")
    flemish = [r for r in rows if r["region"] == "flanders"]
    return {
        "year_a": year_a,
        "year_b": year_b,
        "mapped": is_mapped,
        "note": note,
        "total": len(flemish),
        "reached_a": sum(r["reached_a"] for r in flemish),
        "reached_b": sum(r["reached_b"] for r in flemish),
        "rows": rows,
    }


def region_view(*, partnership, year: int | None = None) -> dict:
    """A partnership's region: the municipalities served by the partnership and its member
    organisations (2025 set), its academies and other members, and, with ``year``, the
    reach of its organisers in those municipalities.

    ``{"partnership": {"name", "slug"}, "municipalities": [{"id", "nis_code", "name",
    "province"}], "academies": [{"id", "name", "slug"}], "members": [{"id", "name", "slug",
    "type"}], "summary": reach_summary(...) or None, "reached": [nis codes reached]}``.
    For a year before 2025 ``reached`` lists the 2025 municipalities of which at least one
    former municipality was reached.
    """
    part = _organisation(partnership)
    if part is None or part.pk == -1:
        raise Organisation.DoesNotExist(f"no partnership {partnership!r}")
    org_ids = partnership_organisation_ids(part)
    municipalities = (
        Municipality.objects.filter(served_by__in=org_ids)
        .distinct()
        .select_related("province", "successor")
        .order_by("name_nl")
    )
    current = {}
    for m in municipalities:
        m2025 = m if m.vintage == Municipality.Vintage.V2025 else (m.successor or m)
        current[m2025.pk] = m2025
    members = Organisation.objects.filter(pk__in=org_ids).exclude(pk=part.pk).order_by("name")
    result = {
        "partnership": {"name": part.name, "slug": part.slug},
        "municipalities": [
            {
                "id": m.pk,
                "nis_code": m.nis_code,
                "name": m.name_nl,
                "province": m.province.name_nl if m.province_id else None,
            }
            for m in sorted(current.values(), key=lambda m: m.name_nl)
        ],
        "academies": [
            {"id": o.pk, "name": o.name, "slug": o.slug}
            for o in members
            if o.type == Organisation.Type.ACADEMY
        ],
        "members": [{"id": o.pk, "name": o.name, "slug": o.slug, "type": o.type} for o in members],
        "summary": None,
        "reached": [],
    }
    if year is not None:
        result["summary"] = reach_summary(year=year, partnership=part)
        rows = municipalities_reached(year=year, partnership=part)
        reached_ids = {r["id"] for r in rows if r["reached"]}
        if year < MERGER_YEAR:
            reached_ids = set(
                Municipality.objects.filter(pk__in=reached_ids).values_list(
                    "successor_id", flat=True
                )
            )
        result["reached"] = sorted(m.nis_code for pk, m in current.items() if pk in reached_ids)
    return result


# --- coordinator reads -----------------------------------------------------------------------


def activity_years(activity: Activity) -> list[int]:
    """The years in which the activity has held sessions (started; Belgian time), ascending:
    the years participation can be entered for."""
    tz = timezone.get_current_timezone()
    starts = held_sessions().filter(activity=activity).values_list("starts_at", flat=True)
    return sorted({timezone.localtime(s, tz).year for s in starts})


def participation_get(*, activity: Activity, year: int) -> Participation | None:
    return (
        Participation.objects.filter(activity=activity, year=year)
        .prefetch_related("breakdown", "session_attendances")
        .first()
    )


def participation_list(*, organisation: Organisation, year: int | None = None):
    """The participation rows of an organisation (newest year first)."""
    qs = Participation.objects.filter(organisation=organisation).select_related(
        "activity", "municipality"
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def activities_for_entry(*, organisation: Organisation) -> QuerySet[Activity]:
    """The organisation's held activities (a session has started), for entering participation."""
    return held_activities().filter(organiser=organisation).order_by("-first_start", "title")


def target_group_list() -> list[TargetGroup]:
    return list(TargetGroup.objects.filter(is_active=True))


def participation_recorded_by(user) -> list[dict]:
    """For the personal data export: the participation figures this person recorded."""
    return [
        {
            "activity": p.activity_name,
            "year": p.year,
            "participants": p.participants,
            "source": p.source,
            "recorded": p.updated_at,
        }
        for p in Participation.objects.filter(created_by=user).select_related("activity")
    ]


def children_by_activity(activity_ids) -> dict[int, int]:
    """{activity id: unique participants over all its recorded years} (for lending)."""
    rows = (
        Participation.objects.filter(activity_id__in=list(activity_ids))
        .values("activity_id")
        .annotate(n=Sum("participants"))
        .values_list("activity_id", "n")
    )
    return {activity_id: n or 0 for activity_id, n in rows}
