"""The dates a session may have: one window, read by every way sessions come in.

A session must start on or after ``settings.AGENDA_SESSIONS_FROM`` (a date, Belgian time;
2000-01-01 by default) and end before the end of the day ``AGENDA_SESSIONS_YEARS_AHEAD``
years after today (10 by default). The activity forms, the file import (per row), the API
and the UiTdatabank import all ask ``session_window_error``; the services raise it. A
session outside the window would top the agenda (1900) or add a year to the reach figures.

The database holds the same rule loosely and for good (``Session`` constraint
``session_within_years``): every session lies within the years ``FIRST_YEAR``-``LAST_YEAR``
(Belgian time). The window may narrow that, never widen it: a setting outside is clipped.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

BRUSSELS = ZoneInfo("Europe/Brussels")
FIRST_YEAR = 2000
LAST_YEAR = 2100
# The constraint's bounds: 1 January 2000 00:00 up to 1 January 2101 00:00, Belgian time.
EARLIEST = dt.datetime(FIRST_YEAR, 1, 1, tzinfo=BRUSSELS)
LATEST = dt.datetime(LAST_YEAR + 1, 1, 1, tzinfo=BRUSSELS)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def session_window(now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """(earliest start, latest end) of a session, both aware; the end is exclusive."""
    first_day = dt.date.fromisoformat(str(settings.AGENDA_SESSIONS_FROM))
    earliest = max(dt.datetime.combine(first_day, dt.time(), tzinfo=BRUSSELS), EARLIEST)
    today = timezone.localtime(now or timezone.now(), BRUSSELS).date()
    last_day = _add_years(today, int(settings.AGENDA_SESSIONS_YEARS_AHEAD))
    latest = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=BRUSSELS)
    return earliest, min(latest, LATEST)


def _day(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment, BRUSSELS).date(), "j F Y")


def session_window_error(
    starts_at: dt.datetime, ends_at: dt.datetime, *, now: dt.datetime | None = None
) -> str | None:
    """Why this session lies outside the window (in the active language), or None."""
    earliest, latest = session_window(now)
    if starts_at >= earliest and ends_at <= latest:
        return None
    moment = starts_at if starts_at < earliest or starts_at >= latest else ends_at
    return _(
        "Sessions can take place from %(first)s up to and including %(last)s; "
        "%(day)s lies outside that period. Check the year."
    ) % {
        "first": _day(earliest),
        "last": _day(latest - dt.timedelta(days=1)),
        "day": _day(moment),
    }
