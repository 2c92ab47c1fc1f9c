"""iCalendar of a borrower's loans: one event from pick-up to return per loan."""

import datetime as dt

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//STEMnet//Uitleendienst//NL"


def loans_calendar(loans, *, name: str, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Brussels")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for loan in loans:
        event = Event()
        event.add("uid", f"loan-{loan.pk}@stemnet")
        event.add("dtstamp", stamp)
        event.add("dtstart", loan.start_at.astimezone(dt.UTC))
        event.add("dtend", loan.end_at.astimezone(dt.UTC))
        event.add(
            "summary",
            _("%(quantity)d × %(item)s (%(status)s)")
            % {
                "quantity": loan.quantity,
                "item": loan.item.name,
                "status": loan.get_status_display(),
            },
        )
        event.add("location", loan.item.hub.organisation.name)
        event.add("url", base_url + loan.get_absolute_url())
        cancelled = loan.status in ("refused", "cancelled")
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
