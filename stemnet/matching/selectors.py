"""Reads of the contact point: the queue, the SLA clock, the engine's inputs, the figures."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from stemnet.agenda import selectors as agenda_selectors
from stemnet.matching import engine
from stemnet.matching.models import CompanyRequest, Introduction, MatchingLock, MatchingRun
from stemnet.organisations.models import Membership, Organisation

USE = "contact_point"
OPEN = (CompanyRequest.Status.NEW, CompanyRequest.Status.IN_PROGRESS, CompanyRequest.Status.MATCHED)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """``days`` working days (Monday-Friday) after ``start``; public holidays are not
    skipped (the SLA is our configuration, MATCHING_SLA_WORKING_DAYS, not a VLAIO rule)."""
    moment = start
    left = days
    while left > 0:
        moment += dt.timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment


def sla_due(request: CompanyRequest) -> dt.datetime:
    return add_working_days(request.created_at, settings.MATCHING_SLA_WORKING_DAYS)


def sla_overdue(request: CompanyRequest, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return request.first_answer_at is None and now > sla_due(request)


def follow_up_due_at(request: CompanyRequest) -> dt.datetime | None:
    if request.matched_at is None:
        return None
    return request.matched_at + dt.timedelta(days=settings.MATCHING_FOLLOW_UP_DAYS)


def request_queue(*, status: str = "", owner_id: int | None = None) -> QuerySet:
    qs = CompanyRequest.objects.select_related("owner", "municipality__province")
    qs = qs.filter(status=status) if status else qs.filter(status__in=OPEN)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    return qs.order_by("created_at")


def request_get(pk: int) -> CompanyRequest:
    return (
        CompanyRequest.objects.select_related("owner", "municipality")
        .prefetch_related(
            "themes",
            Prefetch("introductions", Introduction.objects.select_related("academy")),
            "notes__author",
        )
        .get(pk=pk)
    )


def request_by_token(token: str) -> CompanyRequest | None:
    if not token or len(token) > 64:
        return None
    return CompanyRequest.objects.filter(follow_token=token).first()


def staff_users() -> QuerySet:
    """VLAIO staff who may own a request (the same people ``is_vlaio_staff`` admits)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation__type=Organisation.Type.VLAIO,
        )
        .exclude(memberships__role=Membership.Role.REVIEWER)
        .distinct()
        .order_by("email")
    )


# ---------------------------------------------------------------- engine inputs


def request_need(request: CompanyRequest) -> engine.Need:
    return engine.Need(
        id=f"request:{request.pk}",
        lat=request.lat,
        lon=request.lon,
        capacity=request.academies_wanted,
        themes=frozenset(t.slug for t in request.themes.all()),
        min_age=request.min_age,
        max_age=request.max_age,
        max_distance_km=float(request.radius_km),
    )


def academy_offers() -> tuple[list[engine.Offer], dict[str, Organisation]]:
    """Every active academy with a place, as an offer: themes and ages from its published
    activities (an academy without any is open to every age). An academy can receive many
    introductions, so its capacity is the number of requests a run may hand it (10)."""
    academies = list(
        Organisation.objects.active()
        .academies()
        .filter(municipality__isnull=False)
        .select_related("municipality")
    )
    profiles = agenda_selectors.organiser_profiles(a.pk for a in academies)
    offers, by_key = [], {}
    for academy in academies:
        profile = profiles.get(academy.pk, {})
        key = f"academy:{academy.pk}"
        offers.append(
            engine.Offer(
                id=key,
                lat=academy.municipality.lat,
                lon=academy.municipality.lon,
                capacity=10,
                themes=frozenset(profile.get("themes", ())),
                min_age=profile.get("min_age"),
                max_age=profile.get("max_age"),
            )
        )
        by_key[key] = academy
    return offers, by_key


def locks_for(scope: str) -> QuerySet:
    return MatchingLock.objects.filter(use=USE, scope=scope)


def runs_for(scope: str, *, use: str = USE) -> QuerySet:
    return MatchingRun.objects.filter(use=use, scope=scope).select_related("ran_by")


# ---------------------------------------------------------------- figures


def _median_hours(pairs) -> float | None:
    hours = [(b - a).total_seconds() / 3600 for a, b in pairs if a and b]
    return round(statistics.median(hours), 1) if hours else None


def figures(*, include_demo: bool = True) -> dict:
    """Requests per month, type and province, median time to first answer and to a match
    (hours), and the share matched (of requests no longer new)."""
    qs = CompanyRequest.objects.select_related("municipality__province")
    if not include_demo:
        qs = qs.filter(is_demo=False)
    rows = list(qs)
    kinds = dict(CompanyRequest.Kind.choices)
    per_month = Counter(timezone.localtime(r.created_at).strftime("%Y-%m") for r in rows)
    per_kind = Counter(str(kinds[r.kind]) for r in rows)
    per_province = Counter(
        r.municipality.province.name_nl if r.municipality.province_id else "Brussel" for r in rows
    )
    handled = [r for r in rows if r.status != CompanyRequest.Status.NEW]
    matched = [r for r in handled if r.matched_at]
    return {
        "total": len(rows),
        "per_month": sorted(per_month.items()),
        "per_kind": sorted(per_kind.items()),
        "per_province": sorted(per_province.items()),
        "median_hours_to_first_answer": _median_hours(
            (r.created_at, r.first_answer_at) for r in rows
        ),
        "median_hours_to_match": _median_hours((r.created_at, r.matched_at) for r in rows),
        "share_matched": round(len(matched) / len(handled), 3) if handled else None,
    }


def introductions_received(academy: Organisation) -> QuerySet:
    return Introduction.objects.filter(academy=academy).select_related("request")
