"""UiTdatabank JSON-LD (Search API, ``embed=true``) → the data of one of our activities.

Pure parsing, no writes: ``parse_event(doc, table)`` returns an ``ImportedEvent`` or raises
``ImportMappingError`` with the reason in Dutch. The import service writes the result.

Tolerates what publiq's documentation warns about:

* dummy locations without ``@id`` (the address is used);
* legacy term domains (``targetaudience``, ``flandersregion``, ``umv``…) are ignored;
* ``availableTo`` may be missing (not needed here);
* names, descriptions and tariff names as plain strings instead of language maps;
* ``typicalAgeRange`` missing, open-ended (``"12-"``, ``"-12"``) or ``"-"`` with a
  ``birthdateRange``.

Decisions:

* Ages are clipped to 5-18; an event entirely outside that range is refused.
* ``periodic`` events become one session per opening-hours slot between start and end
  (closed days left out), at most ``MAX_SESSIONS``; without opening hours one session spans
  the period. ``permanent`` events have no dates and are refused, and so is an event with a
  session outside the agenda's window of dates (``agenda.session_window``; the reason names
  the window).
* ``workflowStatus`` DELETED or REJECTED, ``status.type`` Unavailable or TemporarilyUnavailable,
  and the legacy ``eventStatus`` EventCancelled/EventPostponed mean cancelled here.
* No price information means price 0 (the agenda has no "unknown price"); a tariff whose name
  mentions UiTPAS or kansentarief, or category ``uitpas``, is the reduced price.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.html import strip_tags
from django.utils.text import slugify

from stemnet.agenda.models import AGE_MAX, AGE_MIN, Activity
from stemnet.agenda.session_window import session_window_error
from stemnet.places.models import BRUSSELS as BRUSSELS_REGION
from stemnet.places.models import FLANDERS
from stemnet.places.selectors import municipality_for_postcode, point_for_postcode

BRUSSELS_TZ = ZoneInfo("Europe/Brussels")
MAX_SESSIONS = 200
UUID = re.compile(r"([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12})")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CANCELLED_WORKFLOW = {"DELETED", "REJECTED"}
CANCELLED_STATUS = {"Unavailable", "TemporarilyUnavailable"}
LEGACY_CANCELLED = ("EventCancelled", "EventPostponed")


class ImportMappingError(ValueError):
    """This event cannot become one of our activities; the message (Dutch) says why."""


@dataclass
class ImportedEvent:
    uit_id: str
    title: str
    description: str
    kind: str
    age_min: int
    age_max: int
    sessions: list[tuple[dt.datetime, dt.datetime]]
    postcode: str
    municipality: object
    lat: float
    lon: float
    venue_name: str = ""
    street: str = ""
    price: Decimal = Decimal("0")
    price_reduced: Decimal | None = None
    booking_url: str = ""
    booking_email: str = ""
    themes: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    organizer_id: str = ""
    organizer_name: str = ""
    organizer_url: str = ""
    location_id: str = ""
    cancelled: bool = False
    cancel_reason: str = ""
    workflow_status: str = ""
    external_url: str = ""
    modified: dt.datetime | None = None


@dataclass
class ReverseTerms:
    """UiT term id → our kinds / themes / domains (from ``UitTermMapping``)."""

    kinds: dict[str, list[str]] = field(default_factory=dict)
    themes: dict[str, list[str]] = field(default_factory=dict)
    domains: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> ReverseTerms:
        from stemnet.uit.models import UitTermMapping

        table = cls()
        target = {"kind": table.kinds, "theme": table.themes, "domain": table.domains}
        for row in UitTermMapping.objects.order_by("position", "value"):
            if row.scheme != "kind" and row.position != 0:
                continue  # export-only row
            target[row.scheme].setdefault(row.term_id, []).append(row.value)
        return table


# --- small parsers ------------------------------------------------------------------------


def uit_id_of(doc: dict) -> str:
    ident = doc.get("@id") or doc.get("id") or ""
    found = UUID.findall(str(ident))
    return found[-1].lower() if found else ""


def text_of(value, main: str = "nl") -> str:
    """A language map (or a legacy plain string) → text in the main language or any."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for lang in (main, "nl", "en", "fr", "de"):
            if isinstance(value.get(lang), str) and value[lang].strip():
                return value[lang]
        for item in value.values():
            if isinstance(item, str) and item.strip():
                return item
    return ""


def parse_moment(value) -> dt.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BRUSSELS_TZ)
    return moment


def _span(start, end) -> tuple[dt.datetime, dt.datetime] | None:
    s, e = parse_moment(start), parse_moment(end)
    if s is None:
        return None
    if e is None or e < s:
        e = s
    return (s, e)


def sessions_of(doc: dict) -> list[tuple[dt.datetime, dt.datetime]]:
    kind = doc.get("calendarType") or ""
    if kind == "permanent":
        raise ImportMappingError(
            "Permanent aanbod zonder data (calendarType permanent) past niet in de agenda."
        )
    if kind in ("single", "multiple") or (not kind and doc.get("subEvent")):
        spans = []
        for sub in doc.get("subEvent") or []:
            if isinstance(sub, dict):
                span = _span(sub.get("startDate"), sub.get("endDate"))
                if span:
                    spans.append(span)
        if not spans:
            span = _span(doc.get("startDate"), doc.get("endDate"))
            if span:
                spans.append(span)
        if not spans:
            raise ImportMappingError("Het evenement heeft geen geldige datum.")
        return sorted(spans)
    if kind == "periodic":
        period = _span(doc.get("startDate"), doc.get("endDate"))
        if period is None:
            raise ImportMappingError("Het periodieke evenement heeft geen geldige begindatum.")
        return _periodic_sessions(doc, *period)
    span = _span(doc.get("startDate"), doc.get("endDate"))
    if span is None:
        raise ImportMappingError("Het evenement heeft geen geldige datum.")
    return [span]


def _closed_days(doc: dict) -> set[dt.date]:
    closed: set[dt.date] = set()
    for item in doc.get("openingHoursClosedDays") or []:
        try:
            start = dt.date.fromisoformat(item["startDate"])
            end = dt.date.fromisoformat(item.get("endDate") or item["startDate"])
        except (KeyError, TypeError, ValueError):
            continue
        day = start
        while day <= end and len(closed) < 5000:
            closed.add(day)
            day += dt.timedelta(days=1)
    return closed


def _periodic_sessions(doc: dict, start: dt.datetime, end: dt.datetime) -> list:
    hours = [h for h in (doc.get("openingHours") or []) if isinstance(h, dict)]
    if not hours:
        return [(start, end)]
    closed = _closed_days(doc)
    local_start = start.astimezone(BRUSSELS_TZ)
    local_end = end.astimezone(BRUSSELS_TZ)
    sessions = []
    day = local_start.date()
    while day <= local_end.date() and len(sessions) < MAX_SESSIONS:
        if day not in closed:
            name = WEEKDAYS[day.weekday()]
            for slot in hours:
                if name not in (slot.get("dayOfWeek") or []):
                    continue
                try:
                    opens = dt.time.fromisoformat(_hhmm(slot["opens"]))
                    closes = dt.time.fromisoformat(_hhmm(slot["closes"]))
                except (KeyError, TypeError, ValueError):
                    continue
                s = dt.datetime.combine(day, opens, tzinfo=BRUSSELS_TZ)
                e = dt.datetime.combine(day, closes, tzinfo=BRUSSELS_TZ)
                if e < s:
                    e = s
                if s >= start and s <= end:
                    sessions.append((s, e))
        day += dt.timedelta(days=1)
    if not sessions:
        raise ImportMappingError("De openingsuren van het periodieke evenement vallen nergens.")
    return sorted(sessions)[:MAX_SESSIONS]


def _hhmm(value: str) -> str:
    hours, minutes = str(value).split(":")[:2]
    return f"{int(hours):02d}:{int(minutes):02d}"


def ages_of(doc: dict, first_start: dt.datetime) -> tuple[int, int]:
    low: int | None = None
    high: int | None = None
    age_range = doc.get("typicalAgeRange")
    if isinstance(age_range, str) and "-" in age_range:
        a, _sep, b = age_range.strip().partition("-")
        low = int(a) if a.strip().isdigit() else None
        high = int(b) if b.strip().isdigit() else None
    birth = doc.get("birthdateRange")
    if low is None and high is None and isinstance(birth, dict):
        day = first_start.date()
        try:
            born_from = dt.date.fromisoformat(birth.get("from", ""))
            high = _age_on(born_from, day)
        except ValueError:
            pass
        try:
            born_to = dt.date.fromisoformat(birth.get("to", ""))
            low = _age_on(born_to, day)
        except ValueError:
            pass
    low = 0 if low is None else low  # "-12": up to 12
    high = 99 if high is None else high  # "12-": from 12
    if low > high:
        low, high = high, low
    if high < AGE_MIN or low > AGE_MAX:
        shown = f"{low}-{high}" if high < 99 else f"vanaf {low}"
        raise ImportMappingError(
            f"De leeftijden ({shown} jaar) vallen buiten 5 tot 18 jaar, het bereik van "
            f"de STEM-agenda."
        )
    return max(low, AGE_MIN), min(high, AGE_MAX)


def _walloon(code: int) -> bool:
    """Belgian postcodes of Wallonia (Walloon Brabant 1300-1499, 4000-7999)."""
    return 1300 <= code <= 1499 or 4000 <= code <= 7999


def _age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# The agenda stores prices with 8 digits, 2 of them decimals.
MAX_PRICE = Decimal("999999.99")


def _decimal(value) -> Decimal | None:
    """A price of 0 or more; None when absent or not a number; refused when unstorable."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if number.is_nan() or number < 0:
        return None
    if not number.is_finite() or number > MAX_PRICE:
        # JSON "Infinity" or 1e308: the event cannot be stored as it is.
        raise ImportMappingError(f"De prijs {value} is geen bedrag dat de agenda kan bewaren.")
    return number.quantize(Decimal("0.01"))


def _coordinates(geo: dict, fallback: tuple[float, float]) -> tuple[float, float]:
    """UiT's latitude and longitude when they are finite and on the globe, else ``fallback``."""
    try:
        lat, lon = float(geo["latitude"]), float(geo["longitude"])
    except (KeyError, TypeError, ValueError, OverflowError):
        return fallback
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return fallback
    return lat, lon


def prices_of(doc: dict) -> tuple[Decimal, Decimal | None]:
    base = Decimal("0")
    reduced: Decimal | None = None
    for item in doc.get("priceInfo") or []:
        if not isinstance(item, dict):
            continue
        price = _decimal(item.get("price"))
        if price is None:
            continue
        category = item.get("category")
        name = text_of(item.get("name")).lower()
        if category == "base":
            base = price
        elif category == "uitpas" or "uitpas" in name or "kansentarief" in name:
            reduced = price if reduced is None else min(reduced, price)
    if reduced is not None and reduced > base:
        reduced = None
    return base, reduced


def _valid_url(value) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        URLValidator()(value.strip())
    except ValidationError:
        return ""
    return value.strip()[:200]


def _valid_email(value) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    try:
        EmailValidator()(value.strip())
    except ValidationError:
        return ""
    return value.strip()


def cancelled_of(doc: dict) -> tuple[bool, str]:
    main = doc.get("mainLanguage") or "nl"
    workflow = str(doc.get("workflowStatus") or "")
    if workflow in CANCELLED_WORKFLOW:
        return True, "Ingetrokken of verwijderd in UiTdatabank."
    status = doc.get("status")
    if isinstance(status, dict) and status.get("type") in CANCELLED_STATUS:
        reason = text_of(status.get("reason"), main).strip()
        if status["type"] == "TemporarilyUnavailable":
            return True, reason or "Uitgesteld; een nieuwe datum volgt in UiTdatabank."
        return True, reason or "Geannuleerd in UiTdatabank."
    legacy = str(doc.get("eventStatus") or "")
    if legacy.endswith(LEGACY_CANCELLED):
        return True, "Geannuleerd of uitgesteld in UiTdatabank."
    return False, ""


def public_url(uit_id: str, title: str) -> str:
    base = getattr(settings, "UIT_PUBLIC_URL", "") or "https://www.uitinvlaanderen.be"
    return f"{base.rstrip('/')}/agenda/e/{slugify(title)[:80] or 'activiteit'}/{uit_id}"


def _kind(event_types: list[str], calendar_type: str, table: ReverseTerms) -> str:
    candidates: list[str] = []
    for term in event_types:
        candidates.extend(table.kinds.get(term, []))
    preference = {
        "single": [Activity.Kind.ONE_OFF, Activity.Kind.WORKSHOP, Activity.Kind.CAMP],
        "multiple": [Activity.Kind.SERIES, Activity.Kind.CAMP, Activity.Kind.WORKSHOP],
        "periodic": [Activity.Kind.OPEN_STUDIO, Activity.Kind.SERIES],
    }.get(calendar_type, [])
    for kind in preference:
        if kind in candidates:
            return str(kind)
    if candidates:
        return candidates[0]
    # Unmapped event type: the calendar says what it most looks like.
    return {
        "multiple": Activity.Kind.SERIES,
        "periodic": Activity.Kind.OPEN_STUDIO,
    }.get(calendar_type, Activity.Kind.ONE_OFF)


# --- the event ----------------------------------------------------------------------------


def parse_event(doc: dict, table: ReverseTerms, *, municipality_cache: dict | None = None):
    """One Search API event → ``ImportedEvent``; ``ImportMappingError`` says why not."""
    if not isinstance(doc, dict):
        raise ImportMappingError("Het item is geen JSON-object.")
    uit_id = uit_id_of(doc)
    if not uit_id:
        raise ImportMappingError("Het evenement heeft geen @id met een UUID.")
    main = doc.get("mainLanguage") or "nl"
    title = " ".join(strip_tags(text_of(doc.get("name"), main)).split())[:200]
    if not title:
        raise ImportMappingError("Het evenement heeft geen naam.")
    sessions = sessions_of(doc)
    for starts_at, ends_at in sessions:
        outside = session_window_error(starts_at, ends_at)
        if outside:
            raise ImportMappingError(outside)
    age_min, age_max = ages_of(doc, sessions[0][0])

    location = doc.get("location") if isinstance(doc.get("location"), dict) else {}
    address = location.get("address") if isinstance(location.get("address"), dict) else {}
    if address and not any(k in address for k in ("nl", "fr", "de", "en")):
        localized = address  # legacy: one address without language keys
    else:
        localized = address.get(main) or address.get("nl") or next(iter(address.values()), {})
    localized = localized if isinstance(localized, dict) else {}
    postcode = str(localized.get("postalCode") or "").strip()
    country = str(localized.get("addressCountry") or "BE").strip().upper()
    if not postcode:
        raise ImportMappingError("De plaats van het evenement heeft geen postcode.")
    if country != "BE":
        raise ImportMappingError(f"De plaats ligt niet in België (land {country}).")
    cache = municipality_cache if municipality_cache is not None else {}
    if postcode not in cache:
        municipality = municipality_for_postcode(postcode) if postcode.isdigit() else None
        point = point_for_postcode(postcode) if municipality else None
        cache[postcode] = (municipality, point)
    municipality, point = cache[postcode]
    if municipality is None or point is None:
        if postcode.isdigit() and len(postcode) == 4 and _walloon(int(postcode)):
            raise ImportMappingError(f"Postcode {postcode} ligt buiten Vlaanderen en Brussel.")
        raise ImportMappingError(f"Onbekende postcode “{postcode}”.")
    if municipality.region_id not in (FLANDERS, BRUSSELS_REGION):
        raise ImportMappingError(
            f"{municipality.name_nl} ({postcode}) ligt buiten Vlaanderen en Brussel."
        )
    geo = location.get("geo") if isinstance(location.get("geo"), dict) else {}
    lat, lon = _coordinates(geo, (point.lat, point.lon))

    terms = [t for t in (doc.get("terms") or []) if isinstance(t, dict)]
    event_types = [str(t.get("id")) for t in terms if t.get("domain") == "eventtype"]
    theme_ids = [str(t.get("id")) for t in terms if t.get("domain") == "theme"]
    themes: list[str] = []
    domains: list[str] = []
    for term in theme_ids:
        themes.extend(v for v in table.themes.get(term, []) if v not in themes)
        domains.extend(v for v in table.domains.get(term, []) if v not in domains)

    organizer = doc.get("organizer") if isinstance(doc.get("organizer"), dict) else {}
    price, reduced = prices_of(doc)
    booking = doc.get("bookingInfo") if isinstance(doc.get("bookingInfo"), dict) else {}
    cancelled, reason = cancelled_of(doc)
    description = strip_tags(text_of(doc.get("description"), main)).strip()
    link = public_url(uit_id, title)
    if not description:
        description = "Meer informatie over deze activiteit staat op UiTinVlaanderen."
    labels = [str(x)[:100] for x in (doc.get("labels") or []) if isinstance(x, str)][:20]
    return ImportedEvent(
        uit_id=uit_id,
        title=title,
        description=description,
        kind=_kind(event_types, str(doc.get("calendarType") or ""), table),
        age_min=age_min,
        age_max=age_max,
        sessions=sessions,
        postcode=postcode,
        municipality=municipality,
        lat=lat,
        lon=lon,
        venue_name=text_of(location.get("name"), main).strip()[:200],
        street=str(localized.get("streetAddress") or "").strip()[:200],
        price=price,
        price_reduced=reduced,
        booking_url=_valid_url(booking.get("url")),
        booking_email=_valid_email(booking.get("email")),
        themes=themes,
        domains=domains,
        labels=labels,
        organizer_id=str(organizer.get("@id") or ""),
        organizer_name=" ".join(text_of(organizer.get("name"), main).split())[:200],
        organizer_url=_valid_url(organizer.get("url")),
        location_id=str(location.get("@id") or ""),
        cancelled=cancelled,
        cancel_reason=reason[:300],
        workflow_status=str(doc.get("workflowStatus") or ""),
        external_url=link,
        modified=parse_moment(doc.get("modified")) or parse_moment(doc.get("created")),
    )
