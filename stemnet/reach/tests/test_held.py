"""Only sessions that have started count as held; participation waits for the activity, and
no session has more attendances than the activity's unique participants."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.organisations.tests.factories import OrganisationFactory, municipality
from stemnet.reach import selectors, services
from stemnet.reach.models import Participation
from stemnet.reach.tests.factories import coordinator_of

pytestmark = pytest.mark.django_db

BRU = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=BRU)
NOT_STARTED_NL = "Deze activiteit is nog niet begonnen (eerste sessie op 20 december 2026)"
NOT_STARTED_EN = "This activity has not started yet (first session on 20 December 2026)"


def at(y, m, d, h=14):
    return (dt.datetime(y, m, d, h, tzinfo=BRU), dt.datetime(y, m, d, h + 2, tzinfo=BRU))


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def academy():
    return OrganisationFactory(name="STEM-academie Test")


def place(nis_code):
    m = municipality(nis_code)
    return {"municipality": m, "lat": m.lat, "lon": m.lon}


@pytest.fixture
def agenda(academy):
    """Mechelen: held in March; this morning: held (started 9:00); Leuven: only on 20
    December (future); Gent: 2027 only; Hasselt: held on 1 December and again on 20 December."""
    return {
        "march": ActivityFactory(organiser=academy, sessions=[at(2026, 3, 10)], **place("12025")),
        "today": ActivityFactory(
            organiser=academy, sessions=[at(2026, 12, 4, 9)], **place("11002")
        ),
        "december": ActivityFactory(
            organiser=academy, sessions=[at(2026, 12, 20)], **place("24062")
        ),
        "next_year": ActivityFactory(
            organiser=academy, sessions=[at(2027, 3, 10)], **place("44021")
        ),
        "running": ActivityFactory(
            organiser=academy, sessions=[at(2026, 12, 1), at(2026, 12, 20)], **place("71072")
        ),
    }


def test_only_started_sessions_reach_a_municipality(agenda):
    summary = selectors.reach_summary(year=2026)
    # Mechelen, Antwerpen (this morning) and Hasselt (1 December); not Leuven (20 December).
    assert summary["municipalities"]["reached"] == 3
    assert summary["activities"] == 3
    reached = {r["nis_code"] for r in selectors.municipalities_reached(year=2026) if r["reached"]}
    assert reached == {"12025", "11002", "71072"}
    assert selectors.reach_summary(year=2027)["municipalities"]["reached"] == 0
    trend = {t["year"]: t["reached"] for t in selectors.trend(years=[2026, 2027])}
    assert trend == {2026: 3, 2027: 0}
    coverage = {c["province"]: c["reached"] for c in selectors.coverage_by_province(year=2026)}
    assert coverage["Vlaams-Brabant"] == 0 and coverage["Limburg"] == 1
    assert 2027 not in selectors.reach_years()
    held = set(selectors.held_activities(2026))
    assert held == {agenda["march"], agenda["today"], agenda["running"]}


def test_entry_waits_for_the_first_session(agenda, academy):
    entry = set(selectors.activities_for_entry(organisation=academy))
    assert entry == {agenda["march"], agenda["today"], agenda["running"]}
    assert selectors.activity_years(agenda["next_year"]) == []
    assert selectors.activity_years(agenda["running"]) == [2026]
    user = coordinator_of(academy)
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.participation_record(
            activity=agenda["december"], actor=user, rows=[{"participants": 25}]
        )
    assert caught.value.message_dict["year"][0].startswith(NOT_STARTED_NL)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.participation_record(
            activity=agenda["next_year"], actor=user, rows=[{"participants": 25}], year=2027
        )
    assert "first session on 10 March 2027" in caught.value.message_dict["year"][0]
    # A running activity: the year is open, its future session takes no attendances.
    later = agenda["running"].sessions.order_by("starts_at").last()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.participation_record(
            activity=agenda["running"],
            actor=user,
            rows=[{"participants": 10}],
            session_attendances={later.pk: 8},
        )
    assert caught.value.message_dict["session_attendances"] == [
        "The session of 20 December 2026 has not started yet: it has no attendances."
    ]
    assert not Participation.objects.exists()


def test_upload_refuses_rows_of_activities_that_have_not_started(client, agenda, academy):
    client.force_login(coordinator_of(academy))
    text = (
        "activity_id,year,age,residence,target_group,participants,girls,boys,x,attendances\n"
        f"{agenda['march'].pk},2026,9,,,4,2,2,0,\n"
        f"{agenda['december'].pk},2026,9,,,25,0,0,0,\n"
        f"{agenda['next_year'].pk},,9,,,25,0,0,0,\n"
    )
    upload = io.BytesIO(text.encode())
    upload.name = "deelname.csv"
    result = services.participation_import(
        organisation=academy, actor=coordinator_of(academy), file=upload
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "year"), (4, "year")]
    assert result.errors[0].message.startswith(NOT_STARTED_NL)
    assert "eerste sessie op 10 maart 2027" in result.errors[1].message
    assert not Participation.objects.exists()


@pytest.mark.parametrize(("prefix", "expected"), [("", NOT_STARTED_NL), ("/en", NOT_STARTED_EN)])
def test_entry_page_says_when_it_opens(client, agenda, academy, prefix, expected):
    client.force_login(coordinator_of(academy))
    url = prefix + reverse("reach:participation_entry", args=[agenda["december"].pk])
    running = prefix + reverse("reach:participation_entry", args=[agenda["running"].pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html and 'name="participants"' not in html
    response = client.post(url, {"year": 2026, "participants": 25})
    assert expected in response.content.decode()
    assert not Participation.objects.exists()
    # The grid of a running activity offers only the sessions that have started.
    sessions = client.get(running).context["form"].sessions
    assert [s.starts_at.day for s in sessions] == [1]


# --- attendances per session ------------------------------------------------------------------


def test_a_session_has_at_most_the_unique_participants(agenda, academy):
    activity = agenda["march"]
    session = activity.sessions.get()
    user = coordinator_of(academy)
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.participation_record(
            activity=activity,
            actor=user,
            rows=[{"participants": 10}],
            session_attendances={session.pk: 500},
        )
    assert caught.value.message_dict["session_attendances"] == [
        "De sessie van 10 maart 2026 heeft 500 aanwezigheden, meer dan de 10 unieke deelnemers "
        "van de activiteit: een kind telt één keer per sessie."
    ]
    assert not Participation.objects.exists()
    p = services.participation_record(
        activity=activity,
        actor=user,
        rows=[{"participants": 10}],
        session_attendances={session.pk: 10},
    )
    assert (p.participants, p.attendances) == (10, 10)


def test_grid_shows_the_attendance_error_and_keeps_the_input(client, agenda, academy):
    activity = agenda["march"]
    session = activity.sessions.get()
    client.force_login(coordinator_of(academy))
    url = "/en" + reverse("reach:participation_entry", args=[activity.pk])
    response = client.post(url, {"year": 2026, "participants": 10, f"session_{session.pk}": 500})
    assert response.status_code == 200
    html = response.content.decode()
    assert "has 500 attendances, more than the 10 unique participants" in html
    assert 'value="500"' in html
    assert not Participation.objects.exists()


def test_api_refuses_what_cannot_be_true_with_422(client, agenda, academy):
    from stemnet.reach.tests.test_api import _key

    auth = {"HTTP_AUTHORIZATION": f"Bearer {_key(academy)}"}
    url = f"/api/v1/reach/activities/{agenda['march'].pk}/participation?year=2026"
    session = agenda["march"].sessions.get()
    body = {"rows": [{"participants": 10}], "session_attendances": {str(session.pk): 500}}
    response = client.put(url, body, content_type="application/json", **auth)
    assert response.status_code == 422
    assert "500 aanwezigheden" in response.json()["detail"]
    url = f"/api/v1/reach/activities/{agenda['next_year'].pk}/participation?year=2027"
    body = {"rows": [{"participants": 25}]}
    response = client.put(url, body, content_type="application/json", **auth)
    assert response.status_code == 422
    assert "nog niet begonnen" in response.json()["detail"]
    assert not Participation.objects.exists()
