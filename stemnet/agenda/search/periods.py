"""Named periods a search can ask for ("when"): the Flemish school holidays, seasons, the
coming weekend and the like, each a range of days (``when_range``)."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.easter import easter
from django.utils import timezone
from django.utils.translation import gettext_lazy


def flemish_school_holidays(school_year: int) -> dict[str, tuple[dt.date, dt.date]]:
    """The holidays of the Flemish school year starting 1 September ``school_year``.

    Computed with the fixed rules of the Flemish Government (besluit of 17 April 1991):
    autumn = the week of 1 November (from 2 November when that is a Sunday); Christmas = two
    weeks from the Monday of the week of 25 December (the Monday after when it falls at a
    weekend); crocus = the week from the 7th Monday before Easter; Easter = two weeks from the
    first Monday of April (the Monday after Easter when Easter is in March, the second
    Monday before Easter when Easter is after 15 April); summer = 1 July to 31 August.
    """
    y1, y2 = school_year, school_year + 1
    nov1 = dt.date(y1, 11, 1)
    autumn = nov1 + dt.timedelta(days=1) if nov1.weekday() == 6 else _monday(nov1)
    xmas = dt.date(y1, 12, 25)
    christmas = _monday(xmas) + dt.timedelta(weeks=1) if xmas.weekday() >= 5 else _monday(xmas)
    easter_day = easter(y2)
    crocus = _monday(easter_day) - dt.timedelta(weeks=6)  # 7th Monday before
    if easter_day.month == 3:
        spring = easter_day + dt.timedelta(days=1)
    elif easter_day > dt.date(y2, 4, 15):
        spring = _monday(easter_day) - dt.timedelta(weeks=1)
    else:
        spring = dt.date(y2, 4, 1) + dt.timedelta(days=(7 - dt.date(y2, 4, 1).weekday()) % 7)
    return {
        "herfstvakantie": (autumn, autumn + dt.timedelta(days=6)),
        "kerstvakantie": (christmas, christmas + dt.timedelta(days=13)),
        "krokusvakantie": (crocus, crocus + dt.timedelta(days=6)),
        "paasvakantie": (spring, spring + dt.timedelta(days=13)),
        "zomervakantie": (dt.date(y2, 7, 1), dt.date(y2, 8, 31)),
    }


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


HOLIDAY_LABELS = {
    "herfstvakantie": gettext_lazy("autumn holiday"),
    "kerstvakantie": gettext_lazy("Christmas holiday"),
    "krokusvakantie": gettext_lazy("spring half-term (krokus)"),
    "paasvakantie": gettext_lazy("Easter holiday"),
    "zomervakantie": gettext_lazy("summer holiday"),
}
WHEN_LABELS = {
    "weekend": gettext_lazy("this weekend"),
    "next_weekend": gettext_lazy("next weekend"),
    "month": gettext_lazy("this month"),
    "next_month": gettext_lazy("next month"),
    "autumn": gettext_lazy("this autumn"),
    "winter": gettext_lazy("this winter"),
    "spring": gettext_lazy("this spring"),
    "summer": gettext_lazy("this summer"),
    "holiday": gettext_lazy("next school holiday"),
}
# Astronomical seasons, close enough: (start month, day) of each season.
SEASONS = {"spring": (3, 21), "summer": (6, 21), "autumn": (9, 23), "winter": (12, 21)}


def when_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The date presets offered on the page: the fixed ones and the coming school holidays."""
    today = today or timezone.localdate()
    choices = [(k, str(v)) for k, v in WHEN_LABELS.items()]
    for key, (start, end) in _coming_holidays(today)[:3]:
        label = HOLIDAY_LABELS[key.rsplit("-", 1)[0]]
        choices.append((key, f"{label} ({start:%d/%m}–{end:%d/%m/%Y})"))
    return choices


def _coming_holidays(today: dt.date) -> list[tuple[str, tuple[dt.date, dt.date]]]:
    found = []
    for year in (today.year - 1, today.year):
        for name, (start, end) in flemish_school_holidays(year).items():
            if end >= today:
                found.append((f"{name}-{start.year}", (start, end)))
    return sorted(found, key=lambda item: item[1][0])


def when_range(when: str, today: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """The (first, last) day of a preset, clipped to start today; None when unknown."""
    today = today or timezone.localdate()
    if when in ("weekend", "next_weekend"):
        saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:
            saturday = today - dt.timedelta(days=1)
        if when == "next_weekend":
            saturday += dt.timedelta(weeks=1)
        return max(saturday, today), saturday + dt.timedelta(days=1)
    if when in ("month", "next_month"):
        first = today.replace(day=1)
        if when == "next_month":
            first = (first + dt.timedelta(days=32)).replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return max(first, today), last
    if when in SEASONS:
        for year in (today.year - 1, today.year, today.year + 1):
            start = dt.date(year, *SEASONS[when])
            end = _season_end(when, year)
            if end >= today:
                return max(start, today), end
    if when == "holiday":
        coming = _coming_holidays(today)
        return (max(coming[0][1][0], today), coming[0][1][1]) if coming else None
    match = re.fullmatch(r"([a-z]+)-(\d{4})", when or "")
    if match and match.group(1) in HOLIDAY_LABELS:
        year = int(match.group(2))
        for school_year in (year - 1, year):
            start, end = flemish_school_holidays(school_year)[match.group(1)]
            if start.year == year:
                return start, end
    return None


def _season_end(season: str, year: int) -> dt.date:
    order = ["spring", "summer", "autumn", "winter"]
    nxt = order[(order.index(season) + 1) % 4]
    end_year = year + 1 if season == "winter" else year
    return dt.date(end_year, *SEASONS[nxt]) - dt.timedelta(days=1)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day``, local time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def lower(filters) -> dt.datetime:
    """The moment from which a session counts for ``filters`` (an ``ActivityFilters``): the
    searched period's first day, or now."""
    start, _end = filters.date_range
    return day_start(start) if start else timezone.now()
