"""Opening hours of a hub: the regular week plus exceptions (closed days, other hours)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from stemnet.lending.models import Hub


@dataclass(frozen=True)
class Period:
    opens: dt.time
    closes: dt.time

    def __str__(self) -> str:
        return f"{time_format(self.opens, 'H:i')}–{time_format(self.closes, 'H:i')}"


class Week:
    """A hub's hours loaded once: ``periods(date)`` answers without further queries."""

    def __init__(self, hub: Hub):
        self.regular: dict[int, list[Period]] = {}
        for row in hub.opening_hours.all():
            self.regular.setdefault(row.weekday, []).append(Period(row.opens, row.closes))
        self.exceptions = {row.date: row for row in hub.opening_exceptions.all()}

    def periods(self, date: dt.date) -> list[Period]:
        exception = self.exceptions.get(date)
        if exception is not None:
            return [] if exception.closed else [Period(exception.opens, exception.closes)]
        return sorted(self.regular.get(date.weekday(), []), key=lambda p: p.opens)

    def is_open_at(self, moment: dt.datetime) -> bool:
        local = timezone.localtime(moment)
        clock = local.time().replace(tzinfo=None)
        return any(p.opens <= clock <= p.closes for p in self.periods(local.date()))

    def describe(self, date: dt.date) -> str:
        """The hours of that day for a message: "09:00–12:00, 13:00–17:00" or "closed"."""
        periods = self.periods(date)
        if not periods:
            return _("closed")
        return ", ".join(str(p) for p in periods)

    def closed_message(self, moment: dt.datetime) -> str:
        local = timezone.localtime(moment)
        return _(
            "The hub is closed at %(time)s on %(date)s. Opening hours that day: %(hours)s."
        ) % {
            "time": time_format(local.time(), "H:i"),
            "date": date_format(local.date(), "l j F Y"),
            "hours": self.describe(local.date()),
        }


def week_rows(hub: Hub) -> list[tuple[str, str]]:
    """(weekday name, hours) for Monday to Sunday, for the hub's page."""
    from stemnet.lending.models import OpeningHours

    week = Week(hub)
    rows = []
    for day in OpeningHours.Weekday:
        periods = sorted(week.regular.get(day.value, []), key=lambda p: p.opens)
        rows.append((day.label, ", ".join(str(p) for p in periods) or _("closed")))
    return rows
