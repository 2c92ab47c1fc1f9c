"""iCalendar files of the agenda: one activity's sessions, or the sessions of a search.

Times are written in UTC (every calendar client converts them); the UID of a session,
``activity-<pk>-session-<session pk>@stemnet``, stays the same across downloads so a
subscribed calendar updates instead of duplicating.
"""

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vGeo

from stemnet.agenda.models import Activity

PRODID = "-//STEMnet//STEM-agenda//NL"
UID_DOMAIN = "stemnet"


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Brussels")
    return cal


def _location(activity: Activity) -> str:
    parts = [activity.venue_name, activity.street]
    place = " ".join(p for p in (activity.postcode, activity.municipality.name_nl) if p)
    return ", ".join(p for p in [*parts, place] if p)


def _events(activity: Activity, sessions: Iterable, *, base_url: str) -> Iterable[Event]:
    url = base_url + activity.get_absolute_url()
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    cancelled = activity.status == Activity.Status.CANCELLED
    summary = activity.title
    if cancelled:
        summary = _("Cancelled: %(title)s") % {"title": activity.title}
    description = f"{activity.description}\n\n{activity.organiser.name}\n{url}"
    if cancelled and activity.cancel_reason:
        description = f"{activity.cancel_reason}\n\n{description}"
    for session in sessions:
        event = Event()
        event.add("uid", f"activity-{activity.pk}-session-{session.pk}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at.astimezone(dt.UTC))
        event.add("dtend", session.ends_at.astimezone(dt.UTC))
        event.add("summary", summary)
        event.add("description", description)
        event.add("location", _location(activity))
        event.add("geo", vGeo((activity.lat, activity.lon)))
        event.add("url", url)
        if activity.organiser.email:
            organizer = vCalAddress(f"mailto:{activity.organiser.email}")
            organizer.params["cn"] = activity.organiser.name
            event.add("organizer", organizer)
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("last-modified", activity.updated_at.astimezone(dt.UTC).replace(microsecond=0))
        yield event


def activity_calendar(activity: Activity, *, base_url: str) -> bytes:
    """The .ics of one activity: one VEVENT per session (its sessions may be prefetched)."""
    cal = _calendar(activity.title)
    for event in _events(activity, activity.sessions.all(), base_url=base_url):
        cal.add_component(event)
    return cal.to_ical()


def search_calendar(
    activities: Iterable[Activity], *, base_url: str, name: str, description: str = ""
) -> bytes:
    """The .ics of a search: the (prefetched) upcoming sessions of each activity.

    ``description`` becomes the calendar's X-WR-CALDESC, which calendar apps show with it.
    """
    cal = _calendar(name)
    if description:
        cal.add("x-wr-caldesc", description)
    for activity in activities:
        for event in _events(activity, activity.sessions.all(), base_url=base_url):
            cal.add_component(event)
    return cal.to_ical()
