"""Reach figures of a period of dates (a grant's reporting window), not of calendar years.

A grant runs from its start date (often mid-year); each report covers one contiguous
window of it (``Report.period_start``-``period_end``, the windows disjoint). Counting whole
calendar years would count what happened before the grant started, and a year shared by
two windows twice. Here every figure is dated and falls in exactly one window:

* A recorded participation row (an activity's unique participants in a year) is dated by
  the first *held* session (``selectors.held_sessions``: started) of its activity in that
  year, Belgian time. A row of a series that started before the window belongs to the
  window it started in: participation is stored per activity and year, never per session,
  so it is not split.
* A row without such a session (history rows, which have no agenda activity) is dated
  1 January of its year.
* A held agenda activity without a recorded row that year counts as an activity (and
  reaches its municipality), dated by its first held session that year, as in
  ``selectors``.
* ``municipalities`` counts the distinct municipalities reached in the window (Flemish and
  Brussels), on the 2025 set, so a window across 1 January 2025 does not count a municipality
  twice under two codes.

Only sessions that have started count, so a window that is still running grows as it runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from stemnet.agenda.models import Activity
from stemnet.places.models import Municipality
from stemnet.reach.models import Participation
from stemnet.reach.selectors import (
    HELD_STATUSES,
    _filter,
    _scope,
    held_sessions,
    vintage_for_year,
)


def _first_held(activity_ids, years: range) -> dict[tuple[int, int], dt.date]:
    """(activity id, year) → the local date of the activity's first held session that year."""
    tz = timezone.get_current_timezone()
    first: dict[tuple[int, int], dt.date] = {}
    sessions = (
        held_sessions()
        .filter(activity_id__in=activity_ids)
        .filter(
            starts_at__gte=timezone.make_aware(dt.datetime(years.start, 1, 1), tz),
            starts_at__lt=timezone.make_aware(dt.datetime(years.stop, 1, 1), tz),
        )
        .values_list("activity_id", "starts_at")
    )
    for activity_id, starts_at in sessions:
        day = timezone.localtime(starts_at, tz).date()
        key = (activity_id, day.year)
        if key not in first or day < first[key]:
            first[key] = day
    return first


def _current_ids(ids: set[int]) -> dict[int, int]:
    """Municipality id → the id of the same place in the 2025 set."""
    rows = Municipality.objects.filter(pk__in=ids).values_list("pk", "vintage", "successor_id")
    return {
        pk: (successor or pk) if vintage != Municipality.Vintage.V2025 else pk
        for pk, vintage, successor in rows
    }


def _dated_items(start: dt.date, end: dt.date, scope) -> list[dict]:
    """Every recorded row and unrecorded held activity of the years around the window, each
    with its date, municipality and counts."""
    years = range(start.year, end.year + 1)
    rows = list(
        _filter(Participation.objects.filter(year__in=years), scope)
        .order_by()
        .values("activity_id", "year", "municipality_id", "participants", "girls")
    )
    activities = Activity.objects.filter(status__in=HELD_STATUSES)
    if scope.organisation_ids is not None:
        activities = activities.filter(organiser_id__in=scope.organisation_ids)
    ids = {r["activity_id"] for r in rows if r["activity_id"]}
    held_ids = set(
        activities.filter(
            pk__in=held_sessions()
            .filter(starts_at__year__gte=years.start, starts_at__year__lt=years.stop)
            .values("activity_id")
        ).values_list("pk", flat=True)
    )
    first = _first_held(ids | held_ids, years)
    items = []
    for row in rows:
        day = first.get((row["activity_id"], row["year"])) or dt.date(row["year"], 1, 1)
        items.append({**row, "date": day, "activities": 1})
    recorded = {(r["activity_id"], r["year"]) for r in rows}
    places = dict(Activity.objects.filter(pk__in=held_ids).values_list("pk", "municipality_id"))
    for (activity_id, year), day in first.items():
        if activity_id in held_ids and (activity_id, year) not in recorded:
            items.append(
                {
                    "activity_id": activity_id,
                    "year": year,
                    "municipality_id": places[activity_id],
                    "participants": 0,
                    "girls": 0,
                    "date": day,
                    "activities": 1,
                }
            )
    return items


def _sum(items: list[dict], current: dict[int, int]) -> dict:
    return {
        "participants": sum(i["participants"] for i in items),
        "girls": sum(i["girls"] for i in items),
        "activities": sum(i["activities"] for i in items),
        "municipalities": len({current[i["municipality_id"]] for i in items}),
    }


def period_figures(*, start: dt.date, end: dt.date, organisation=None, partnership=None) -> dict:
    """The reach of ``organisation`` (or a partnership and its members) from ``start`` to
    ``end`` (both included): ``{"start", "end", "participants", "girls", "activities",
    "municipalities", "years": {"2026": {...the same four, for the window's part of that
    calendar year...}}}``. The parts add up to the window (municipalities: distinct per part)."""
    scope = _scope(
        vintage_for_year(end.year),
        province=None,
        partnership=partnership,
        organisation=organisation,
        kind=None,
        theme=None,
    )
    scope = replace(scope, municipality_ids=None)
    items = [i for i in _dated_items(start, end, scope) if start <= i["date"] <= end]
    current = _current_ids({i["municipality_id"] for i in items})
    figures = {"start": start.isoformat(), "end": end.isoformat(), **_sum(items, current)}
    figures["years"] = {
        str(year): _sum([i for i in items if i["date"].year == year], current)
        for year in range(start.year, end.year + 1)
    }
    return figures
