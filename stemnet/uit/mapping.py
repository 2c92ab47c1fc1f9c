"""Our activity → UiTdatabank Entry API JSON-LD (events, places, organizers, images).

Pure functions: the caller passes the references (place, organizer and image ``@id``s) that
the sync service looked up or created first, and the term table from ``UitTermMapping``.
Every body is meant to pass ``stemnet.uit.schemas.validate`` (the sync service validates it
before sending; a test validates the export of every demo activity).

Decisions:

* ``name`` is the title cut at 90 characters (the schema's ``maxLength``), with "…".
* Exactly one ``eventtype`` term (from the kind) and one ``theme`` term: the first of our
  themes that has a mapping, else the first mapped STEM domain.
* Calendar: one session → ``single`` (one ``subEvent``); an open studio (``open_atelier``)
  whose sessions repeat weekly at fixed times → ``periodic`` with ``openingHours`` and the
  skipped days as ``openingHoursClosedDays``; otherwise ``multiple`` with a ``subEvent`` per
  session.
* ``priceInfo``: the base price, and the UiTPAS reduced price as a tariff called
  "Kansentarief met UiTPAS" (category ``uitpas`` is read-only: UiTdatabank adds it itself).
* ``workflowStatus`` is ``READY_FOR_VALIDATION`` for published and cancelled activities
  (a cancelled one stays visible as cancelled, with ``status`` ``Unavailable`` and our reason),
  ``DRAFT`` otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from stemnet.agenda.models import STEM_LABEL, Activity

BRUSSELS = ZoneInfo("Europe/Brussels")
NAME_MAX = 90
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The place type given to venues we create in UiTdatabank (taxonomy term, domain eventtype,
# scope places): "School of onderwijscentrum".
PLACE_TYPE = {"id": "rJRFUqmd6EiqTD4c7HS90w", "label": "School of onderwijscentrum"}
UITPAS_TARIFF_NAME = "Kansentarief met UiTPAS"
BOOKING_LABEL = "Inschrijven"


class MappingError(ValueError):
    """The activity cannot be expressed as a UiTdatabank event; the message is Dutch."""


@dataclass
class TermTable:
    """Our values → (UiT term id, label), per scheme (kind, theme, domain)."""

    kind: dict[str, tuple[str, str]] = field(default_factory=dict)
    theme: dict[str, tuple[str, str]] = field(default_factory=dict)
    domain: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> TermTable:
        from stemnet.uit.models import UitTermMapping

        table = cls()
        for row in UitTermMapping.objects.all():
            getattr(table, row.scheme)[row.value] = (row.term_id, row.term_label)
        return table


# --- helpers ------------------------------------------------------------------------------


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment, BRUSSELS).isoformat(timespec="seconds")


def _money(value) -> float:
    return float(Decimal(value).quantize(Decimal("0.01")))


def _short(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


def place_key(activity: Activity) -> str:
    """A stable key of the activity's place: venue, street and postcode, normalised."""
    parts = [activity.venue_name, activity.street, activity.postcode]
    normal = "|".join(" ".join((p or "").lower().split()) for p in parts)
    return hashlib.sha256(normal.encode()).hexdigest()


def place_label(activity: Activity) -> str:
    municipality = activity.municipality.name_nl if activity.municipality_id else ""
    bits = [activity.venue_name, activity.street, f"{activity.postcode} {municipality}".strip()]
    return ", ".join(b for b in bits if b)[:300]


def body_hash(body: dict) -> str:
    import json

    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


# --- terms --------------------------------------------------------------------------------


def event_terms(activity: Activity, table: TermTable) -> list[dict]:
    if activity.kind not in table.kind:
        raise MappingError(
            f"Er is geen UiT-evenementtype ingesteld voor het soort activiteit "
            f"“{activity.get_kind_display()}”. Een beheerder vult dat aan bij de "
            f"UiT-termkoppelingen."
        )
    type_id, type_label = table.kind[activity.kind]
    terms = [{"id": type_id, "label": type_label, "domain": "eventtype"}]
    theme = None
    for t in activity.themes.all():
        if t.slug in table.theme:
            theme = table.theme[t.slug]
            break
    if theme is None:
        for d in activity.domains.all():
            if d.slug in table.domain:
                theme = table.domain[d.slug]
                break
    if theme is not None and theme[0] != type_id:
        terms.append({"id": theme[0], "label": theme[1], "domain": "theme"})
    return terms


# --- calendar -----------------------------------------------------------------------------


def _weekly_pattern(sessions: list) -> dict | None:
    """openingHours + closed days when the sessions repeat weekly at fixed local times."""
    slots: dict[tuple[str, str], set[int]] = defaultdict(set)
    dates = set()
    for s in sessions:
        start = timezone.localtime(s.starts_at, BRUSSELS)
        end = timezone.localtime(s.ends_at, BRUSSELS)
        if start.date() != end.date():
            return None
        slots[(start.strftime("%H:%M"), end.strftime("%H:%M"))].add(start.weekday())
        dates.add(start.date())
    if len(dates) != len(sessions):
        return None  # two sessions on one day: not a simple weekly pattern
    by_day: dict[int, tuple[str, str]] = {}
    for slot, days in slots.items():
        for day in days:
            if day in by_day:
                return None  # one weekday at two different times
            by_day[day] = slot
    first = timezone.localtime(sessions[0].starts_at, BRUSSELS)
    last = timezone.localtime(sessions[-1].ends_at, BRUSSELS)
    closed = []
    day = first.date()
    while day <= last.date():
        if day.weekday() in by_day and day not in dates:
            closed.append(day)
        day += dt.timedelta(days=1)
    if len(closed) > len(dates):
        return None  # more gaps than sessions: list the sessions instead
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    for weekday, slot in sorted(by_day.items()):
        grouped[slot].append(weekday)
    opening = [
        {"opens": opens, "closes": closes, "dayOfWeek": [WEEKDAYS[d] for d in days]}
        for (opens, closes), days in sorted(grouped.items(), key=lambda kv: kv[1][0])
    ]
    day_start = first.replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = last.replace(hour=23, minute=59, second=59, microsecond=0)
    calendar = {
        "calendarType": "periodic",
        "startDate": day_start.isoformat(timespec="seconds"),
        "endDate": day_end.isoformat(timespec="seconds"),
        "openingHours": opening,
    }
    if closed:
        calendar["openingHoursClosedDays"] = [
            {"startDate": d.isoformat(), "endDate": d.isoformat()} for d in closed
        ]
    return calendar


def calendar(activity: Activity) -> dict:
    sessions = list(activity.sessions.order_by("starts_at"))
    if not sessions:
        raise MappingError("De activiteit heeft geen sessies (datum en uur).")
    if len(sessions) == 1:
        s = sessions[0]
        return {
            "calendarType": "single",
            "subEvent": [{"startDate": _iso(s.starts_at), "endDate": _iso(s.ends_at)}],
        }
    if activity.kind == Activity.Kind.OPEN_STUDIO:
        periodic = _weekly_pattern(sessions)
        if periodic:
            return periodic
    return {
        "calendarType": "multiple",
        "subEvent": [
            {"startDate": _iso(s.starts_at), "endDate": _iso(s.ends_at)} for s in sessions
        ],
    }


# --- the event ----------------------------------------------------------------------------


def price_info(activity: Activity) -> list[dict]:
    prices = [
        {
            "category": "base",
            "price": _money(activity.price),
            "priceCurrency": "EUR",
            "name": {"nl": "Basistarief"},
        }
    ]
    if activity.price_reduced is not None and activity.price_reduced != activity.price:
        prices.append(
            {
                "category": "tariff",
                "price": _money(activity.price_reduced),
                "priceCurrency": "EUR",
                "name": {"nl": UITPAS_TARIFF_NAME},
            }
        )
    return prices


def booking_info(activity: Activity) -> dict | None:
    info: dict = {}
    if activity.booking_url:
        info["url"] = activity.booking_url
        info["urlLabel"] = {"nl": BOOKING_LABEL}
    if activity.booking_email:
        info["email"] = activity.booking_email
    return info or None


def contact_point(activity: Activity) -> dict | None:
    org = activity.organiser
    point = {}
    if org.email:
        point["email"] = [org.email]
    if org.phone and org.phone.strip():
        point["phone"] = [org.phone.strip()]
    if org.website:
        point["url"] = [org.website]
    return point or None


def labels(activity: Activity) -> list[str]:
    out: list[str] = []
    for label in [STEM_LABEL, *(activity.labels or [])]:
        label = " ".join(str(label).replace(";", " ").split())[:255]
        if len(label) >= 2 and label not in out:
            out.append(label)
    return out


def workflow_status(activity: Activity) -> str:
    if activity.status in (Activity.Status.PUBLISHED, Activity.Status.CANCELLED):
        return "READY_FOR_VALIDATION"
    return "DRAFT"


def cancel_status(activity: Activity) -> dict:
    """The body of ``PUT /events/{id}/status`` for a cancelled activity."""
    status: dict = {"type": "Unavailable"}
    if activity.cancel_reason.strip():
        status["reason"] = {"nl": activity.cancel_reason.strip()}
    return status


def event_body(
    activity: Activity,
    *,
    location_id: str,
    organizer_id: str | None,
    image_id: str | None = None,
    table: TermTable | None = None,
) -> dict:
    """The complete event for ``POST /events`` (and ``PUT /events/{id}``)."""
    table = table or TermTable.load()
    description = (activity.description or "").strip()
    body: dict = {
        "mainLanguage": "nl",
        "name": {"nl": _short(activity.title, NAME_MAX)},
        "terms": event_terms(activity, table),
        "location": {"@id": location_id},
        **calendar(activity),
        "typicalAgeRange": f"{activity.age_min}-{activity.age_max}",
        "priceInfo": price_info(activity),
        "labels": labels(activity),
        "workflowStatus": workflow_status(activity),
    }
    if description:
        body["description"] = {"nl": description}
    if organizer_id:
        body["organizer"] = {"@id": organizer_id}
    booking = booking_info(activity)
    if booking:
        body["bookingInfo"] = booking
    contact = contact_point(activity)
    if contact:
        body["contactPoint"] = contact
    if image_id:
        image = {"@id": image_id, "inLanguage": "nl"}
        if activity.image_alt.strip():
            image["description"] = activity.image_alt.strip()
        body["mediaObject"] = [image]
    if activity.status == Activity.Status.CANCELLED:
        body["status"] = cancel_status(activity)
    if activity.places_left == 0:
        body["bookingAvailability"] = {"type": "Unavailable"}
    return body


def place_body(activity: Activity) -> dict:
    """``POST /places`` for the activity's venue."""
    if not activity.postcode or not activity.municipality_id:
        raise MappingError("De plaats van de activiteit heeft geen gekende postcode.")
    if not activity.street.strip():
        raise MappingError(
            "De plaats van de activiteit heeft geen straat en huisnummer; UiTdatabank vraagt "
            "een volledig adres."
        )
    name = activity.venue_name.strip() or activity.organiser.name
    return {
        "mainLanguage": "nl",
        "name": {"nl": _short(name, NAME_MAX)},
        "calendarType": "permanent",
        "terms": [{**PLACE_TYPE, "domain": "eventtype"}],
        "address": {
            "nl": {
                "addressCountry": "BE",
                "addressLocality": activity.municipality.name_nl,
                "postalCode": activity.postcode,
                "streetAddress": activity.street.strip(),
            }
        },
    }


def organizer_url(organisation) -> str:
    """The organizer's unique url: its website, else its public page here."""
    return organisation.website or absolute_url(organisation.get_absolute_url())


def organizer_body(organisation) -> dict:
    """``POST /organizers`` for an organisation."""
    body: dict = {
        "mainLanguage": "nl",
        "name": {"nl": _short(organisation.name, NAME_MAX)},
        "url": organizer_url(organisation),
    }
    if organisation.street and organisation.postcode and organisation.municipality_id:
        body["address"] = {
            "nl": {
                "addressCountry": "BE",
                "addressLocality": organisation.municipality.name_nl,
                "postalCode": organisation.postcode,
                "streetAddress": organisation.street,
            }
        }
    contact = {}
    if organisation.email:
        contact["email"] = [organisation.email]
    if organisation.phone and organisation.phone.strip():
        contact["phone"] = [organisation.phone.strip()]
    if contact:
        body["contactPoint"] = contact
    return body


def image_body(activity: Activity) -> dict | None:
    """``POST /images`` (JSON variant: UiTdatabank fetches ``contentUrl``)."""
    if not activity.image:
        return None
    return {
        "contentUrl": absolute_url(activity.image.url),
        "description": activity.image_alt.strip() or _short(activity.title, 200),
        "copyrightHolder": _short(activity.organiser.name, 250)
        if len(activity.organiser.name) >= 2
        else "STEMnet",
        "inLanguage": "nl",
    }
