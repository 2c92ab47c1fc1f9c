"""Sessions outside the agenda's window of dates (1900, 2150) are refused everywhere."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from stemnet.agenda import importing, services
from stemnet.agenda.models import Activity, Session
from stemnet.agenda.session_window import session_window, session_window_error
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.agenda.tests.test_api_manage import auth, list_url, payload
from stemnet.agenda.tests.test_importing import make_rows
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

BRU = ZoneInfo("Europe/Brussels")
TODAY = dt.datetime(2026, 12, 4, 9, 0, tzinfo=BRU)
NL = "Sessies kunnen plaatsvinden van 1 januari 2000 tot en met 4 december 2036"
EN = "Sessions can take place from 1 January 2000 up to and including 4 December 2036"


def local(y, m, d, h=14):
    return dt.datetime(y, m, d, h, tzinfo=BRU)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def organisation():
    return OrganisationFactory(name="STEM-academie Mechelen", street="Grote Markt 1")


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation).user


@pytest.fixture
def activity(organisation):
    return ActivityFactory(organiser=organisation, status=Activity.Status.DRAFT)


def test_window_runs_from_2000_to_ten_years_ahead_and_the_setting_narrows_it(settings):
    assert session_window() == (local(2000, 1, 1, 0), local(2036, 12, 5, 0))
    assert session_window_error(local(2000, 1, 1, 0), local(2000, 1, 1, 2)) is None
    assert session_window_error(local(2036, 12, 4, 22), local(2036, 12, 5, 0)) is None
    assert session_window_error(local(1999, 12, 31, 23), local(2000, 1, 1, 1))
    assert session_window_error(local(2036, 12, 4, 23), local(2036, 12, 5, 1))
    with translation.override("nl"):
        message = session_window_error(local(1900, 5, 1), local(1900, 5, 1, 16))
    assert message.startswith(NL) and "1 mei 1900 valt daarbuiten" in message
    with translation.override("en"):
        message = session_window_error(local(2150, 5, 1), local(2150, 5, 1, 16))
    assert message.startswith(EN) and "1 May 2150 lies outside" in message
    settings.AGENDA_SESSIONS_FROM = "2019-01-01"
    settings.AGENDA_SESSIONS_YEARS_AHEAD = 2
    assert session_window() == (local(2019, 1, 1, 0), local(2028, 12, 5, 0))
    # The setting narrows the database's years 2000-2100, never widens them.
    settings.AGENDA_SESSIONS_FROM = "1900-01-01"
    settings.AGENDA_SESSIONS_YEARS_AHEAD = 500
    assert session_window() == (local(2000, 1, 1, 0), local(2101, 1, 1, 0))


@pytest.mark.parametrize("year", [1900, 2150, 2037])
def test_services_refuse_a_session_outside_the_window(organisation, coordinator, activity, year):
    with pytest.raises(ValidationError) as caught:
        services.session_add(
            activity=activity,
            actor=coordinator,
            starts_at=local(year, 3, 1),
            ends_at=local(year, 3, 1, 16),
        )
    assert str(year) in caught.value.message_dict["sessions"][0]
    data = {
        "title": "Robots",
        "description": "Bouwen.",
        "kind": Activity.Kind.WORKSHOP,
        "age_min": 8,
        "age_max": 12,
        "postcode": "2800",
        "sessions": [
            (local(2026, 12, 9), local(2026, 12, 9, 16)),
            (local(year, 3, 1), local(year, 3, 1, 16)),
        ],
    }
    with pytest.raises(ValidationError) as caught:
        services.activity_create(organisation=organisation, actor=coordinator, data=data)
    assert str(year) in caught.value.message_dict["sessions"][0]
    assert activity.sessions.count() == 1
    assert Activity.objects.count() == 1


def test_weekly_series_and_shifted_copy_stay_inside(coordinator, activity):
    with pytest.raises(ValidationError) as caught:
        services.sessions_add_weekly(
            activity=activity,
            actor=coordinator,
            first_start=local(2036, 11, 20),
            duration=dt.timedelta(hours=2),
            weeks=4,
        )
    assert "weeks" in caught.value.message_dict  # the last week lands on 11 December 2036
    activity.sessions.update(starts_at=local(2036, 6, 1), ends_at=local(2036, 6, 1, 16))
    with pytest.raises(ValidationError) as caught:
        services.activity_duplicate(activity=activity, actor=coordinator, shift_weeks=52)
    assert "shift_weeks" in caught.value.message_dict
    assert Activity.objects.count() == 1


def test_database_refuses_sessions_outside_2000_2100(activity):
    for start in (local(1999, 12, 31, 23), local(2101, 1, 1, 0)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Session.objects.create(
                activity=activity, starts_at=start, ends_at=start + dt.timedelta(hours=1)
            )
    Session.objects.create(
        activity=activity, starts_at=local(2000, 1, 1, 0), ends_at=local(2000, 1, 1, 1)
    )
    Session.objects.create(
        activity=activity, starts_at=local(2100, 12, 31, 22), ends_at=local(2101, 1, 1, 0)
    )


@pytest.mark.parametrize(("prefix", "expected"), [("", NL), ("/en", EN)])
def test_session_forms_say_why_next_to_the_start_and_keep_the_input(
    client, coordinator, activity, prefix, expected
):
    client.force_login(coordinator)
    url = prefix + reverse("agenda:sessions", kwargs={"pk": activity.pk}).removeprefix("/en")
    response = client.post(
        url,
        {"action": "add", "one-starts_at": "1900-03-01T14:00", "one-ends_at": "1900-03-01T16:00"},
    )
    assert response.status_code == 422
    assert response.context["single"].errors["starts_at"][0].startswith(expected)
    assert 'value="1900-03-01T14:00"' in response.content.decode()
    response = client.post(
        url,
        {
            "action": "weekly",
            "weekly-first_start": "2150-03-01T14:00",
            "weekly-first_end": "2150-03-01T16:00",
            "weekly-weeks": "3",
            "weekly-skip_dates": "",
        },
    )
    assert response.status_code == 422
    assert response.context["weekly"].errors["first_start"][0].startswith(expected)
    assert activity.sessions.count() == 1


def test_duplicate_page_says_why_instead_of_failing(client, coordinator, activity):
    activity.sessions.update(starts_at=local(2036, 6, 1), ends_at=local(2036, 6, 1, 16))
    client.force_login(coordinator)
    url = reverse("agenda:activity_duplicate", kwargs={"pk": activity.pk})
    response = client.post(url, {"shift_weeks": "52"})
    assert response.status_code == 200
    assert response.context["form"].errors["shift_weeks"][0].startswith(NL)
    assert Activity.objects.count() == 1


def test_bulk_import_reports_the_row(organisation):
    rows = make_rows(3)
    rows[1]["sessions"] = "1900-12-02 14:00-16:00"
    rows[2]["sessions"] = "2026-12-09 14:00-16:00; 2150-12-09 14:00-16:00"
    planner = importing.Planner(organisation)
    plans = [planner.plan({"row": i + 2, "values": r}) for i, r in enumerate(rows)]
    assert plans[0].errors == []
    for plan, year in ((plans[1], "1900"), (plans[2], "2150")):
        assert [e.column for e in plan.errors] == ["sessions"]
        assert plan.errors[0].message.startswith(NL) and year in plan.errors[0].message


def test_api_answers_422_with_the_reason(client, organisation, coordinator):
    key = services.api_token_create(organisation=organisation, actor=coordinator, name="w").key
    body = payload(sessions=[{"starts_at": "1900-12-02T14:00", "ends_at": "1900-12-02T16:00"}])
    response = client.post(
        list_url(organisation), data=body, content_type="application/json", headers=auth(key)
    )
    assert response.status_code == 422
    assert response.json()["detail"].startswith("sessions: " + NL)
    assert not Activity.objects.exists()
