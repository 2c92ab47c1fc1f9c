"""The public search as plain SQL over the search entries (``filtered``), one condition per
filter: the reference the bitmaps are held to by the tests (every count, facet and page of
``run`` equals what this gives). Nothing in a search runs it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from stemnet.agenda.models import SearchEntry, Session
from stemnet.agenda.search import fulltext, near
from stemnet.agenda.search.filters import VOCABULARIES, ActivityFilters, mask
from stemnet.agenda.search.order import page_ids  # noqa: F401 (the reference page)
from stemnet.agenda.search.periods import day_start
from stemnet.places.models import Municipality


def filtered(filters: ActivityFilters, *, skip: Collection[str] = ()) -> QuerySet:
    """Search entries matching every filter except the faceted ones named in ``skip``."""
    qs = SearchEntry.objects.all()
    f = filters
    qs = fulltext.filter_text(qs, f.words)

    start, end = f.date_range
    lower = day_start(start) if start else timezone.now()
    # Some session ends at or after ``lower`` exactly when the last one does.
    qs = qs.filter(last_end__gte=lower)
    if end:
        upper = day_start(end + dt.timedelta(days=1))
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
        min_lat, max_lat, min_lon, max_lon = near.box(f.point, f.radius_km)
        qs = qs.filter(lat__gte=min_lat, lat__lte=max_lat, lon__gte=min_lon, lon__lte=max_lon)
        qs = qs.alias(distance_sq=near.distance_sq(f.point)).filter(distance_sq__lte=f.radius_km**2)
    if f.max_price is not None:
        qs = qs.filter(price_cents__lte=math.floor(f.max_price * 100))

    for name, condition in faceted_conditions(f).items():
        if name not in skip:
            qs = qs.filter(condition)
    return qs


def faceted_conditions(f: ActivityFilters) -> dict[str, Q]:
    """The active filters that have a facet, each as one condition on SearchEntry."""
    out: dict[str, Q] = {}
    if f.kind:
        out["kind"] = Q(kind__in=f.kind)
    if f.source:
        out["source"] = Q(source__in=f.source)
    for name, model in VOCABULARIES.items():
        if getattr(f, name):
            out[name] = Q(GreaterThan(F(model.entry_column).bitand(mask(f, name)), 0))
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
