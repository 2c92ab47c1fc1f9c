"""iCalendar files of events: one event (the confirmation's attachment) or the public feed.

The UID ``event-<pk>@stemnet`` stays the same, so a subscribed calendar updates."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from icalendar import Calendar, vGeo
from icalendar import Event as VEvent

from stemnet.events.models import Event


def calendar_bytes(events: Iterable[Event], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//STEMnet//Events//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for event in events:
        item = VEvent()
        url = settings.SITE_URL + event.get_absolute_url()
        item.add("uid", f"event-{event.pk}@stemnet")
        item.add("dtstamp", stamp)
        item.add("dtstart", event.starts_at.astimezone(dt.UTC))
        item.add("dtend", event.ends_at.astimezone(dt.UTC))
        item.add("summary", event.title)
        item.add("description", f"{event.summary}\n\n{event.organiser.name}\n{url}".strip())
        location = event.place or event.online_url
        if location:
            item.add("location", location)
        if event.has_map:
            item.add("geo", vGeo((float(event.latitude), float(event.longitude))))
        item.add("url", url)
        cal.add_component(item)
    return cal.to_ical()
