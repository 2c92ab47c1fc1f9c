"""Distance: the entries within a radius of a postcode's point, found in SQL (a covering
index on latitude and longitude), and the page by distance."""

from __future__ import annotations

import datetime as dt
import math

from django.db import connection
from django.db.models import BooleanField, CharField, F, FloatField, Func, QuerySet
from django.db.models.expressions import ExpressionWrapper, RawSQL
from django.db.models.functions import Cast

from stemnet.agenda.models import SearchEntry
from stemnet.agenda.search import codec
from stemnet.agenda.search.filters import ActivityFilters
from stemnet.agenda.search.periods import lower
from stemnet.places.selectors import Point, bounding_box

KM_PER_DEGREE = 111.195  # mean Earth radius × π / 180


def box(point: Point, radius_km: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) around ``point``."""
    return bounding_box(point, radius_km)


def distance_sq(point: Point):
    """Squared equirectangular distance in km² (exact enough within 100 km; no SQL math)."""
    ky = KM_PER_DEGREE
    kx = KM_PER_DEGREE * math.cos(math.radians(point.lat))
    dy = (F("lat") - point.lat) * ky
    dx = (F("lon") - point.lon) * kx
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


def near_rows(f: ActivityFilters, lower: dt.datetime, within: int) -> QuerySet:
    """The entries within the radius (the covering index of the box first) with a session
    from ``lower`` on, whose bit is set in ``within`` (PostgreSQL; SQLite keeps them all)."""
    min_lat, max_lat, min_lon, max_lon = box(f.point, f.radius_km)
    rows = (
        SearchEntry.objects.filter(
            lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon
        )
        .filter(last_end__gte=lower)
        .alias(distance_sq=distance_sq(f.point))
        .filter(distance_sq__lte=f.radius_km**2)
    )
    kept = codec.within_sql(f'"{SearchEntry._meta.db_table}"."activity_id"', within)
    if kept:
        condition = RawSQL(*kept)  # noqa: S611 (column name and parameters only)
        rows = rows.filter(ExpressionWrapper(condition, output_field=BooleanField()))
    return rows.order_by()


def near(f: ActivityFilters, lower: dt.datetime, *, within: int, ordered: bool) -> list[tuple]:
    """The entries of ``near_rows``: [(id,)], or with ``ordered`` [(id, squared distance,
    first session as ``sortable_start``)]."""
    rows = near_rows(f, lower, within)
    if ordered:
        rows = rows.annotate(d=F("distance_sq"), fs=sortable_start()).values_list("pk", "d", "fs")
    else:
        rows = rows.values_list("pk")
    # A plain cursor: thousands of rows, which need none of Django's per-value converters.
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def near_page(
    f: ActivityFilters, *, within: int, final: int, page: tuple[int, int]
) -> tuple[list[int], list[int]]:
    """PostgreSQL: the ids of ``near_rows`` and, in the same statement, the page (offset,
    limit) of those also in ``final``, nearest first (then first session, then id: the
    order of ``order.page``). The ids come packed in one value; only the page's rows are sorted
    and sent."""
    rows = near_rows(f, lower(f), within).annotate(d=F("distance_sq"), fs=F("first_start"))
    inner, params = rows.values_list("pk", "d", "fs").query.sql_with_params()
    ids, found = codec.packed_ids_and_page(
        f"WITH n (id, d, fs) AS MATERIALIZED ({inner})",
        list(params),
        source="n",
        order="d, fs, id",
        limit=page[0] + page[1],
        best=codec.within_sql("id", final),
    )
    return ids, found[page[0] :]


def sortable_start():
    """The first session as something that sorts as the time does and loads fast (thousands
    of rows): seconds since 1970 on PostgreSQL, the stored text on SQLite."""
    if connection.vendor == "postgresql":
        return Func(
            F("first_start"),
            template="EXTRACT(EPOCH FROM %(expressions)s)::float8",
            output_field=FloatField(),
        )
    return Cast("first_start", output_field=CharField())
