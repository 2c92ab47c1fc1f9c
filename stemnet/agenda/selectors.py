"""Reads of the public agenda outside the search: one activity, an organiser's upcoming ones.

The search itself is ``agenda.search`` (``search.run``). The names below it used to have
here still work for code that imports them from this module (``activity_search`` is
``search.run``).
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.agenda.models import Activity
from stemnet.agenda.search import (  # noqa: F401 (the names this module used to have)
    FLAGS,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE_RADII,
    PAGE_SIZE,
    ActivityFilters,
    Facet,
    SearchResult,
    flemish_school_holidays,
    when_choices,
    when_range,
)
from stemnet.agenda.search import run as activity_search
from stemnet.agenda.search.order import next_session_start


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


__all__ = [
    "ActivityFilters",
    "Facet",
    "SearchResult",
    "activity_get_public",
    "activity_list_upcoming_of_organisation",
    "activity_search",
    "flemish_school_holidays",
    "organiser_profiles",
    "when_choices",
    "when_range",
]
