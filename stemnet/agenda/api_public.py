"""Public read API of the STEM agenda: /api/v1/activities and /api/v1/activities/{id}.

The query parameters are those of the public search page (one parser,
``ActivityFilters.parse``); multi-valued filters repeat the parameter. Bad input is a 422
with the reason.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from stemnet.agenda import search, selectors
from stemnet.agenda.models import Activity
from stemnet.agenda.search import ActivityFilters

router = Router(tags=["agenda"])


class ErrorOut(Schema):
    detail: str


class NamedOut(Schema):
    value: str
    label: str


class MunicipalityOut(Schema):
    nis_code: str
    name: str


class OrganiserOut(Schema):
    slug: str
    name: str
    url: str


class FacetOut(Schema):
    value: str
    label: str
    count: int


class SessionOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class ActivitySummaryOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    age_min: int
    age_max: int
    next_session: dt.datetime | None = Field(
        None, description="Start of the next session (within the searched dates)."
    )
    next_session_end: dt.datetime | None = None
    municipality: MunicipalityOut
    organiser: OrganiserOut
    source: str
    status: str
    price: Decimal
    price_reduced: Decimal | None = Field(None, description="Price with UiTPAS reduction.")
    places_left: int | None
    lat: float
    lon: float
    url: str
    distance_km: float | None = Field(None, description="Only when a postcode is given.")


class ActivityOut(ActivitySummaryOut):
    description: str
    domains: list[NamedOut]
    themes: list[NamedOut]
    accessibility: list[NamedOut]
    co_organisers: list[OrganiserOut]
    venue_name: str
    street: str
    postcode: str
    capacity: int | None
    booking_url: str
    booking_email: str
    image: str | None
    image_alt: str
    cancel_reason: str
    external_url: str
    sessions: list[SessionOut]
    ical_url: str


class ActivityPage(Schema):
    count: int
    page: int
    page_size: int
    num_pages: int = Field(
        ...,
        description="Pages of page_size results (at least 1). A page past the last answers "
        "with no results, and the same count, num_pages and facets.",
    )
    results: list[ActivitySummaryOut]
    facets: dict[str, list[FacetOut]] = Field(
        ...,
        description="Counts per value of kind, domain, theme, province, municipality, "
        "accessibility, source, free, uitpas and places_left; each computed with the "
        "other active filters.",
    )


class ActivityQuery(Schema):
    q: str = Field("", description="Words to find (Dutch stemming; accents and case ignored).")
    age: int | None = Field(None, ge=5, le=18, description="A child's age.")
    age_min: int | None = Field(None, ge=5, le=18, description="Age range: from.")
    age_max: int | None = Field(None, ge=5, le=18, description="Age range: to.")
    date_from: dt.date | None = Field(None, description="Has a session on or after this day.")
    date_to: dt.date | None = Field(None, description="Has a session on or before this day.")
    when: str = Field(
        "",
        description="A period instead of dates: weekend, next_weekend, month, next_month, "
        "autumn, winter, spring, summer, holiday, or a Flemish school holiday such as "
        "kerstvakantie-2026.",
    )
    kind: list[str] = Field(
        default_factory=list, description="Kind: " + ", ".join(Activity.Kind.values)
    )
    domain: list[str] = Field(default_factory=list, description="STEM domain code.")
    theme: list[str] = Field(default_factory=list, description="Theme code.")
    province: list[str] = Field(
        default_factory=list, description="Province NIS code (04000 for Brussels)."
    )
    municipality: list[str] = Field(default_factory=list, description="Municipality NIS code.")
    accessibility: list[str] = Field(default_factory=list, description="Feature code.")
    source: list[str] = Field(default_factory=list, description="own, uit or import.")
    postcode: str = Field("", description="Belgian postcode; adds distance_km to each result.")
    radius_km: int | None = Field(None, ge=1, le=100, description="Only within this distance.")
    free: bool = False
    max_price: Decimal | None = Field(None, ge=0, description="Maximum price in euro.")
    uitpas: bool = Field(False, description="Only with an UiTPAS reduction.")
    places_left: bool = Field(False, description="Only when not fully booked.")
    sort: str = Field("", description="relevance (default with q), date or distance.")
    page: int = Field(1, ge=1, le=search.MAX_PAGE)
    page_size: int = Field(search.PAGE_SIZE, ge=1, le=search.MAX_PAGE_SIZE)


class _Urls:
    """Absolute URLs of activity and organiser pages, each pattern reversed once (a list
    page needs forty; slugs and ids need no quoting)."""

    def __init__(self) -> None:
        pk, slug = 987654321, "slug-0f3c"
        activity = reverse("agenda:activity_detail", kwargs={"pk": pk, "slug": slug})
        organiser = reverse("organisations:organisation_detail", kwargs={"slug": slug})
        self._activity = settings.SITE_URL + activity.replace(str(pk), "{pk}").replace(
            slug, "{slug}"
        )
        self._organiser = settings.SITE_URL + organiser.replace(slug, "{slug}")

    def activity(self, activity: Activity) -> str:
        return self._activity.format(pk=activity.pk, slug=activity.slug)

    def organiser(self, org) -> dict:
        return {"slug": org.slug, "name": org.name, "url": self._organiser.format(slug=org.slug)}


def _summary(activity: Activity, urls: _Urls) -> dict:
    return {
        "id": activity.pk,
        "title": activity.title,
        "kind": activity.kind,
        "kind_label": str(activity.get_kind_display()),
        "age_min": activity.age_min,
        "age_max": activity.age_max,
        "next_session": getattr(activity, "next_session", None),
        "next_session_end": getattr(activity, "next_session_end", None),
        "municipality": {
            "nis_code": activity.municipality.nis_code,
            "name": activity.municipality.name_nl,
        },
        "organiser": urls.organiser(activity.organiser),
        "source": activity.source,
        "status": activity.status,
        "price": activity.price,
        "price_reduced": activity.price_reduced,
        "places_left": activity.places_left,
        "lat": activity.lat,
        "lon": activity.lon,
        "url": urls.activity(activity),
        "distance_km": getattr(activity, "distance_km", None),
    }


@router.get(
    "/activities",
    response={200: ActivityPage, 422: ErrorOut},
    summary="Search the public STEM agenda",
)
def activity_list(request, filters: Query[ActivityQuery]):
    """Published, upcoming activities matching every filter, with facet counts.

    Multi-valued filters (kind, domain, theme, province, municipality, accessibility, source)
    repeat the parameter and match any of their values.
    """
    parsed = ActivityFilters.parse(request.GET, api=True)
    result = search.run(parsed, page=filters.page, page_size=filters.page_size)
    urls = _Urls()
    data = {
        "count": result.count,
        "page": result.page,
        "page_size": result.page_size,
        "num_pages": result.num_pages,
        "results": [_summary(a, urls) for a in result.results],
        "facets": {
            name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
            for name, values in result.facets.items()
        },
    }
    # Rendered as it is: the dict has ActivityPage's shape (a test validates answers against
    # it); validating its some 400 facet values cost 5-20 ms a request under the profiler.
    from stemnet.api import api

    return api.create_response(request, data, status=200)


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityOut, 404: ErrorOut},
    summary="One activity of the public agenda",
)
def activity_detail(request, activity_id: int):
    """A published (or cancelled) activity with its sessions; drafts are 404."""
    activity = selectors.activity_get_public(activity_id)
    now = timezone.now()
    sessions = list(activity.sessions.all())
    upcoming = [s for s in sessions if s.ends_at >= now]
    urls = _Urls()
    data = _summary(activity, urls)
    data["next_session"] = upcoming[0].starts_at if upcoming else None
    data["next_session_end"] = upcoming[0].ends_at if upcoming else None

    def named(terms):
        return [{"value": t.slug, "label": t.name} for t in terms]

    data.update(
        description=activity.description,
        domains=named(activity.domains.all()),
        themes=named(activity.themes.all()),
        accessibility=named(activity.accessibility.all()),
        co_organisers=[urls.organiser(o) for o in activity.co_organisers.all()],
        venue_name=activity.venue_name,
        street=activity.street,
        postcode=activity.postcode,
        capacity=activity.capacity,
        booking_url=activity.booking_url,
        booking_email=activity.booking_email,
        image=activity.image.url if activity.image else None,
        image_alt=activity.image_alt,
        cancel_reason=activity.cancel_reason,
        external_url=activity.external_url,
        sessions=[{"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at} for s in sessions],
        ical_url=settings.SITE_URL + reverse("agenda:activity_ical", args=[activity.pk]),
    )
    return data
