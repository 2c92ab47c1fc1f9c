"""Public read API of events: /api/v1/events and /api/v1/events/{slug}."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from stemnet.events import selectors
from stemnet.events.models import Event

router = Router(tags=["events"])


class ErrorOut(Schema):
    detail: str


class TrackOut(Schema):
    title: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int | None


class AudienceOut(Schema):
    organisation_type: str
    role: str
    price: Decimal


class EventOut(Schema):
    slug: str
    title: str
    kind: str
    kind_label: str
    trainer_step: str
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    latitude: Decimal | None
    longitude: Decimal | None
    online_url: str
    capacity: int
    places_left: int
    registration_deadline: dt.datetime
    organiser: str
    url: str
    is_demo: bool


class EventDetailOut(EventOut):
    description: str
    tracks: list[TrackOut]
    audiences: list[AudienceOut]


def _out(event: Event, taken: int) -> dict:
    return {
        **{
            f: getattr(event, f)
            for f in (
                "slug",
                "title",
                "kind",
                "trainer_step",
                "summary",
                "starts_at",
                "ends_at",
                "place",
                "latitude",
                "longitude",
                "online_url",
                "capacity",
                "registration_deadline",
                "is_demo",
            )
        },
        "kind_label": str(event.get_kind_display()),
        "places_left": max(event.capacity - taken, 0),
        "organiser": event.organiser.name,
        "url": settings.SITE_URL + event.get_absolute_url(),
    }


@router.get("/events", response=list[EventOut], url_name="event_list")
@paginate
def event_list(request, past: bool = False):
    """Published events, upcoming (by start) or past (latest first)."""
    return [_out(e, e.taken) for e in selectors.events_public(past=past)]


@router.get(
    "/events/{slug}", response={200: EventDetailOut, 404: ErrorOut}, url_name="event_detail"
)
def event_detail(request, slug: str):
    try:
        event = selectors.event_get(slug)
    except Event.DoesNotExist as exc:
        raise Http404("No such event.") from exc
    from stemnet.events.services import places_taken

    return {
        **_out(event, places_taken(event)),
        "description": event.description,
        "tracks": list(event.tracks.all()),
        "audiences": list(event.audiences.all()),
    }
