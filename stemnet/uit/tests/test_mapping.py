import datetime as dt
import json
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from stemnet.agenda.models import Activity
from stemnet.agenda.tests.factories import ActivityFactory, in_days
from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.uit import mapping, schemas
from stemnet.uit.models import UitTermMapping
from stemnet.uit.tests.conftest import CONTRACTS

pytestmark = pytest.mark.django_db

PLACE = "https://io-test.uitdatabank.be/places/85b04295-479c-40f5-b3dd-469dfb4387b3"
ORGANIZER = "https://io-test.uitdatabank.be/organizers/c76db023-ef6d-49d9-8d15-5ddc3e6eb0a9"


def body(activity, **kwargs):
    result = mapping.event_body(activity, location_id=PLACE, organizer_id=ORGANIZER, **kwargs)
    schemas.validate(schemas.EVENT_POST, result)
    return result


def weekly(first: dt.datetime, weeks: int, skip: tuple[int, ...] = ()):
    return [
        (first + dt.timedelta(weeks=w), first + dt.timedelta(weeks=w, hours=2))
        for w in range(weeks)
        if w not in skip
    ]


def test_seeded_mapping_matches_publiqs_taxonomy():
    terms = json.loads((CONTRACTS / "taxonomy" / "terms.json").read_text())["terms"]
    by_id = {t["id"]: t for t in terms}
    rows = list(UitTermMapping.objects.all())
    assert {r.value for r in rows if r.scheme == "kind"} == set(Activity.Kind.values)
    for row in rows:
        term = by_id[row.term_id]
        assert term["name"]["nl"] == row.term_label
        assert term["domain"] == ("eventtype" if row.scheme == "kind" else "theme")
        assert "events" in term["scope"]
    kinds = {r.value: r.term_id for r in rows if r.scheme == "kind"}
    assert kinds["reeks"] == "0.3.1.0.0" and kinds["kamp"] == "0.57.0.0.0"


def test_series_is_multiple_with_subevents_and_lessenreeks():
    first = in_days(7, 14)
    activity = ActivityFactory(
        kind=Activity.Kind.SERIES,
        sessions=weekly(first, 3),
        domains=["science"],
        themes=["robotica"],
        age_min=8,
        age_max=12,
    )
    result = body(activity)
    assert result["mainLanguage"] == "nl"
    assert result["name"] == {"nl": activity.title}
    assert result["description"] == {"nl": activity.description}
    assert result["calendarType"] == "multiple"
    assert len(result["subEvent"]) == 3
    assert result["subEvent"][0]["startDate"] == timezone.localtime(first).isoformat()
    assert result["terms"] == [
        {"id": "0.3.1.0.0", "label": "Lessenreeks", "domain": "eventtype"},
        {"id": "1.21.0.0.0", "label": "Computer en techniek", "domain": "theme"},
    ]
    assert result["typicalAgeRange"] == "8-12"
    assert result["location"] == {"@id": PLACE}
    assert result["organizer"] == {"@id": ORGANIZER}
    assert result["labels"][0] == "stemindevrijetijd"
    assert result["workflowStatus"] == "READY_FOR_VALIDATION"


def test_camp_single_session_and_theme_from_domain():
    start = in_days(20, 9)
    activity = ActivityFactory(
        kind=Activity.Kind.CAMP,
        sessions=[(start, start + dt.timedelta(days=4, hours=7))],
        domains=["science"],
    )
    result = body(activity)
    assert result["calendarType"] == "single"
    assert len(result["subEvent"]) == 1
    assert result["terms"][0]["id"] == "0.57.0.0.0"
    assert result["terms"][1] == {"id": "1.25.0.0.0", "label": "Wetenschap", "domain": "theme"}


@pytest.mark.parametrize("kind", [Activity.Kind.WORKSHOP, Activity.Kind.ONE_OFF])
def test_workshop_and_one_off(kind):
    result = body(ActivityFactory(kind=kind))
    assert result["calendarType"] == "single"
    assert result["terms"][0] == {
        "id": "0.3.1.0.1",
        "label": "Cursus met open sessies",
        "domain": "eventtype",
    }


def test_open_studio_weekly_is_periodic_with_closed_days():
    first = in_days(3, 14)
    activity = ActivityFactory(kind=Activity.Kind.OPEN_STUDIO, sessions=weekly(first, 5, skip=(2,)))
    result = body(activity)
    assert result["calendarType"] == "periodic"
    local = timezone.localtime(first)
    assert result["openingHours"] == [
        {
            "opens": local.strftime("%H:%M"),
            "closes": (local + dt.timedelta(hours=2)).strftime("%H:%M"),
            "dayOfWeek": [local.strftime("%A").lower()],
        }
    ]
    skipped = (local + dt.timedelta(weeks=2)).date().isoformat()
    assert result["openingHoursClosedDays"] == [{"startDate": skipped, "endDate": skipped}]
    assert result["startDate"].startswith(local.date().isoformat())
    assert "subEvent" not in result


def test_open_studio_irregular_falls_back_to_multiple():
    a = in_days(3, 14)
    activity = ActivityFactory(
        kind=Activity.Kind.OPEN_STUDIO,
        sessions=[
            (a, a + dt.timedelta(hours=2)),
            (a + dt.timedelta(weeks=1, hours=-4), a + dt.timedelta(weeks=1, hours=-2)),
        ],
    )  # the same weekday at two different times: not one weekly pattern
    assert body(activity)["calendarType"] == "multiple"


def test_prices_booking_contact_and_cancelled():
    organiser = OrganisationFactory(
        email="info@academie.example", phone="015 12 34 56", website="https://academie.example"
    )
    activity = ActivityFactory(
        organiser=organiser,
        price=Decimal("40.00"),
        price_reduced=Decimal("8.00"),
        booking_email="inschrijven@academie.example",
        status=Activity.Status.CANCELLED,
        cancel_reason="Te weinig inschrijvingen",
        places_left=0,
        capacity=12,
    )
    result = body(activity)
    assert result["priceInfo"] == [
        {"category": "base", "price": 40.0, "priceCurrency": "EUR", "name": {"nl": "Basistarief"}},
        {
            "category": "tariff",
            "price": 8.0,
            "priceCurrency": "EUR",
            "name": {"nl": "Kansentarief met UiTPAS"},
        },
    ]
    assert result["bookingInfo"] == {
        "url": "https://tickets.example.org/stem",
        "urlLabel": {"nl": "Inschrijven"},
        "email": "inschrijven@academie.example",
    }
    assert result["contactPoint"] == {
        "email": ["info@academie.example"],
        "phone": ["015 12 34 56"],
        "url": ["https://academie.example"],
    }
    assert result["status"] == {"type": "Unavailable", "reason": {"nl": "Te weinig inschrijvingen"}}
    assert result["bookingAvailability"] == {"type": "Unavailable"}


def test_image_and_long_title():
    activity = ActivityFactory(title="Robots " * 25, image_alt="Kinderen bouwen een robot")
    result = body(
        activity,
        image_id="https://io-test.uitdatabank.be/images/" + "a" * 8 + "-aaaa-aaaa-aaaa-" + "a" * 12,
    )
    assert len(result["name"]["nl"]) == 90 and result["name"]["nl"].endswith("…")
    assert result["mediaObject"][0]["description"] == "Kinderen bouwen een robot"


def test_unmapped_kind_and_no_sessions_are_explained_in_dutch():
    activity = ActivityFactory(sessions=[])
    with pytest.raises(mapping.MappingError, match="geen sessies"):
        mapping.event_body(activity, location_id=PLACE, organizer_id=None)
    UitTermMapping.objects.filter(scheme="kind", value=activity.kind).delete()
    activity = ActivityFactory()
    with pytest.raises(mapping.MappingError, match="evenementtype"):
        mapping.event_body(activity, location_id=PLACE, organizer_id=None)


def test_schema_rejects_a_wrong_body():
    result = body(ActivityFactory())
    broken = {**result, "terms": [{"id": "1.25.0.0.0", "domain": "theme"}]}
    with pytest.raises(schemas.ContractError):
        schemas.validate(schemas.EVENT_POST, broken)
    naive = {**result, "subEvent": [{"startDate": "2026-01-01T10:00:00", "endDate": "x"}]}
    assert schemas.errors(schemas.EVENT_POST, naive)


def test_publiqs_own_write_examples_pass_our_validator():
    """Sanity check of the validator with publiq's acceptance-test bodies (placeholders filled).

    event-with-birthdate-range-single.json sends a "single" calendar without subEvent, which
    the current schema no longer allows: the validator must notice that.
    """
    fill = {
        "%{placeUrl}": PLACE,
        "%{baseUrl}": "https://io-test.uitdatabank.be",
        "%{placeId}": "85b04295-479c-40f5-b3dd-469dfb4387b3",
        "%{organizerId}": "c76db023-ef6d-49d9-8d15-5ddc3e6eb0a9",
        "%{imageId}": "74969172-e2a6-4626-ba63-4b6919242a24",
        "%{childcareStart}": "08:00",
        "%{childcareEnd}": "18:00",
    }
    for path in sorted((CONTRACTS / "events" / "entry").glob("*.json")):
        text = path.read_text()
        for key, value in fill.items():
            text = text.replace(key, value)
        problems = schemas.errors(schemas.EVENT_POST, json.loads(text))
        if path.name == "event-with-birthdate-range-single.json":
            assert ("/", "'subEvent' is a required property") in problems
        else:
            assert problems == [], path.name


def test_place_and_organizer_bodies_validate():
    activity = ActivityFactory()
    schemas.validate(schemas.PLACE_POST, mapping.place_body(activity))
    schemas.validate(schemas.ORGANIZER_POST, mapping.organizer_body(activity.organiser))


def test_every_demo_activity_exports_to_a_valid_body():
    from stemnet.agenda import demo

    academies = [OrganisationFactory(street="Kerkstraat 1", postcode="2800") for _ in range(3)]
    ids = demo.seed(random.Random(4), academies, total=40)
    activities = Activity.objects.filter(pk__in=ids).prefetch_related("themes", "domains")
    assert activities.count() == 40
    assert {a.kind for a in activities} == set(Activity.Kind.values)
    table = mapping.TermTable.load()
    calendars = set()
    for activity in activities:
        result = mapping.event_body(
            activity, location_id=PLACE, organizer_id=ORGANIZER, table=table
        )
        assert schemas.errors(schemas.EVENT_POST, result) == [], activity.pk
        if activity.street:
            assert schemas.errors(schemas.PLACE_POST, mapping.place_body(activity)) == []
        calendars.add(result["calendarType"])
    assert {"single", "multiple"} <= calendars
