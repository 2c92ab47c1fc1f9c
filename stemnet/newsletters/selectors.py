"""Reads of the newsletters: who gets an issue, the parents' digest, figures, the archive."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.newsletters.models import (
    Audience,
    Delivery,
    DigestResult,
    Frequency,
    Issue,
    Subscriber,
)

CHUNK = 1000
DIGEST_RADII = (5, 10, 25, 50)
MONTHLY_GAP = dt.timedelta(days=28)


# --- vocabularies for the forms ------------------------------------------------------------


def theme_choices() -> list[tuple[str, str]]:
    from stemnet.agenda.models import Theme

    return [(t.slug, t.name) for t in Theme.objects.order_by("position", "slug")]


def province_choices() -> list[tuple[str, str]]:
    from stemnet.places.models import Province

    return list(Province.objects.order_by("name_nl").values_list("nis_code", "name_nl"))


# --- who gets an issue ---------------------------------------------------------------------


def in_segment(subscriber: Subscriber, issue: Issue) -> bool:
    """The issue's segment (provinces, ages, themes; empty = everyone) holds the subscriber.
    A parent without ages or themes in the preferences counts as interested in all."""
    if issue.segment_provinces and subscriber.province not in issue.segment_provinces:
        return False
    ages = set(subscriber.ages)
    if issue.segment_ages and ages and not ages & set(issue.segment_ages):
        return False
    themes = set(subscriber.themes)
    return not (issue.segment_themes and themes and not themes & set(issue.segment_themes))


def _candidates(issue: Issue, now: dt.datetime) -> QuerySet[Subscriber]:
    delivered = Delivery.objects.filter(issue=issue, subscriber=OuterRef("pk"))
    recent = Delivery.objects.filter(
        subscriber=OuterRef("pk"), created_at__gte=now - MONTHLY_GAP
    ).exclude(issue=issue)
    qs = Subscriber.objects.filter(
        audience=issue.audience, status=Subscriber.Status.ACTIVE
    ).exclude(Exists(delivered))
    qs = qs.exclude(Q(frequency=Frequency.MONTHLY) & Exists(recent))
    if issue.segment_provinces:
        qs = qs.filter(province__in=issue.segment_provinces)
    return qs.order_by("pk")


def recipients_after(
    issue: Issue, *, after_pk: int, limit: int, now: dt.datetime | None = None
) -> list[Subscriber]:
    """Up to ``limit`` active subscribers in the issue's segment, by id after ``after_pk``,
    who have not had this issue (read at each batch: who unsubscribed meanwhile is left out)."""
    now = now or timezone.now()
    found: list[Subscriber] = []
    qs = _candidates(issue, now)
    while len(found) < limit:
        chunk = list(qs.filter(pk__gt=after_pk)[:CHUNK])
        if not chunk:
            break
        for subscriber in chunk:
            after_pk = subscriber.pk
            if in_segment(subscriber, issue):
                found.append(subscriber)
                if len(found) == limit:
                    break
    return found


def recipients_count(issue: Issue) -> int:
    return sum(1 for s in _iter_candidates(issue) if in_segment(s, issue))


def _iter_candidates(issue: Issue) -> Iterator[Subscriber]:
    fields = ("pk", "province", "ages", "themes")
    return _candidates(issue, timezone.now()).only(*fields).iterator(chunk_size=CHUNK)


# --- the parents' digest -------------------------------------------------------------------


def digest_key(subscriber: Subscriber) -> str:
    return hashlib.sha256(json.dumps(subscriber.preference_key()).encode()).hexdigest()


def digest_query(subscriber: Subscriber, today: dt.date | None = None) -> dict:
    """The agenda search of a preference set: near the postcode, the children's ages,
    the themes, sessions in the next ``NEWSLETTER_DIGEST_DAYS`` days."""
    today = today or timezone.localdate()
    query: dict = {
        "date_from": today.isoformat(),
        "date_to": (today + dt.timedelta(days=settings.NEWSLETTER_DIGEST_DAYS)).isoformat(),
        "sort": "date",
    }
    if subscriber.postcode:
        query["postcode"] = subscriber.postcode
        if subscriber.radius_km in DIGEST_RADII:
            query["radius_km"] = str(subscriber.radius_km)
    if subscriber.ages:
        query["age_min"] = str(min(subscriber.ages))
        query["age_max"] = str(max(subscriber.ages))
    if subscriber.themes:
        query["theme"] = list(subscriber.themes)
    return query


def digest_search(subscriber: Subscriber) -> list[dict]:
    """One agenda search (its public entry point, ``search.run``) for a preference set, as
    plain items."""
    from django.http import QueryDict

    from stemnet.agenda import search

    data = QueryDict(mutable=True)
    for name, value in digest_query(subscriber).items():
        data.setlist(name, value if isinstance(value, list) else [value])
    try:
        filters = search.ActivityFilters.parse(data)
    except ValidationError:  # a theme or postcode that no longer exists: drop that part
        for name in ("theme", "postcode", "radius_km"):
            data.pop(name, None)
        filters = search.ActivityFilters.parse(data)
    result = search.run(filters, page_size=settings.NEWSLETTER_DIGEST_SIZE, facets=False)
    return [_item(activity) for activity in result.results]


def _item(activity) -> dict:
    start = getattr(activity, "next_session", None)
    return {
        "id": activity.pk,
        "title": activity.title,
        "slug": activity.slug,
        "start": timezone.localtime(start).isoformat() if start else "",
        "place": activity.municipality.name_nl if activity.municipality_id else "",
        "age_min": activity.age_min,
        "age_max": activity.age_max,
        "distance_km": round(d, 1) if (d := getattr(activity, "distance_km", None)) else None,
    }


def digest_for(issue: Issue, subscriber: Subscriber, cache: dict | None = None) -> list[dict]:
    """The digest of a subscriber for an issue: one search per distinct preference set,
    kept per issue (``DigestResult``) so later batches and the same preferences reuse it."""
    key = digest_key(subscriber)
    if cache is not None and key in cache:
        return cache[key]
    stored = DigestResult.objects.filter(issue=issue, key=key).first()
    if stored is None:
        stored, _created = DigestResult.objects.get_or_create(
            issue=issue, key=key, defaults={"items": digest_search(subscriber)}
        )
    if cache is not None:
        cache[key] = stored.items
    return stored.items


# --- figures and lists ---------------------------------------------------------------------


def issue_figures(issue: Issue) -> dict[str, int]:
    counts = dict(
        issue.deliveries.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {
        "queued": counts.get(Delivery.Status.QUEUED, 0),
        "sent": counts.get(Delivery.Status.SENT, 0),
        "failed": counts.get(Delivery.Status.FAILED, 0),
        "bounced": counts.get(Delivery.Status.BOUNCED, 0),
        "unsubscribed": issue.deliveries.filter(unsubscribed_at__isnull=False).count(),
    }


def subscriber_counts() -> dict[str, dict[str, int]]:
    rows = Subscriber.objects.values_list("audience", "status").annotate(n=Count("id"))
    out: dict[str, dict[str, int]] = {a: {} for a in Audience.values}
    for audience, status, n in rows.values_list("audience", "status", "n"):
        out[audience][status] = n
    return out


def issue_list() -> QuerySet[Issue]:
    return Issue.objects.select_related("created_by", "job").order_by("-created_at")


def issue_get(pk: int) -> Issue:
    issue = Issue.objects.select_related("job").filter(pk=pk).first()
    if issue is None:
        raise Http404(_("No such issue."))
    return issue


def archive_list() -> QuerySet[Issue]:
    return Issue.objects.filter(status=Issue.Status.SENT).order_by("-sent_at")


def archive_get(pk: int) -> Issue:
    issue = archive_list().filter(pk=pk).prefetch_related("blocks").first()
    if issue is None:
        raise Http404(_("No such issue."))
    return issue
