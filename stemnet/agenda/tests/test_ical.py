import pytest
from icalendar import Calendar

from stemnet.agenda.models import Activity
from stemnet.agenda.tests.factories import ActivityFactory, in_days

pytestmark = pytest.mark.django_db


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_activity_calendar_has_one_event_per_session(client):
    activity = ActivityFactory(
        title="Robotica-reeks",
        sessions=[(in_days(d), in_days(d, 16)) for d in (3, 10, 17)],
    )
    found = events(client.get(f"/agenda/{activity.pk}.ics"))
    assert len(found) == 3
    sessions = list(activity.sessions.order_by("starts_at"))
    first = found[0]
    assert str(first["uid"]) == f"activity-{activity.pk}-session-{sessions[0].pk}@stemnet"
    assert first.decoded("dtstart") == sessions[0].starts_at
    assert first.decoded("dtend") == sessions[0].ends_at
    assert str(first["summary"]) == "Robotica-reeks"
    assert "Mechelen" in str(first["location"])
    assert activity.get_absolute_url() in str(first["description"])
    assert str(first["status"]) == "CONFIRMED"


def test_uids_are_stable(client):
    activity = ActivityFactory()
    one = [str(e["uid"]) for e in events(client.get(f"/agenda/{activity.pk}.ics"))]
    two = [str(e["uid"]) for e in events(client.get(f"/agenda/{activity.pk}.ics"))]
    assert one == two


def test_cancelled_activity_is_cancelled_in_the_calendar(client):
    activity = ActivityFactory(status=Activity.Status.CANCELLED, cancel_reason="Ziekte")
    (event,) = events(client.get(f"/agenda/{activity.pk}.ics"))
    assert str(event["status"]) == "CANCELLED"
    assert "Ziekte" in str(event["description"])


def test_search_feed_follows_the_filters(client):
    ActivityFactory(kind="kamp", sessions=[(in_days(2), in_days(2, 16)), (in_days(4), in_days(4))])
    ActivityFactory(kind="workshop")
    ActivityFactory(kind="kamp", status=Activity.Status.DRAFT)
    past_and_future = ActivityFactory(
        kind="kamp", sessions=[(in_days(-5), in_days(-5, 16)), (in_days(5), in_days(5, 16))]
    )
    found = events(client.get("/agenda/feed.ics", {"kind": "kamp"}))
    assert len(found) == 3  # upcoming sessions only
    uids = {str(e["uid"]) for e in found}
    assert any(uid.startswith(f"activity-{past_and_future.pk}-") for uid in uids)
    assert len(events(client.get("/agenda/feed.ics"))) == 4


def test_search_feed_with_bad_filters_is_400(client):
    response = client.get("/agenda/feed.ics", {"age": "99"})
    assert response.status_code == 400
    assert response.content


def test_a_cut_off_search_feed_says_so(client, monkeypatch):
    """Issue 12: the feed holds at most FEED_LIMIT activities; when a search has more, the
    calendar's description, the headers and the search page say how many of how many."""
    from stemnet.agenda import views_public

    monkeypatch.setattr(views_public, "FEED_LIMIT", 3)
    for day in (1, 2, 3, 4, 5):
        ActivityFactory(
            title=f"Kamp {day}", kind="kamp", sessions=[(in_days(day), in_days(day, 16))]
        )
    ActivityFactory(kind="workshop")

    response = client.get("/agenda/feed.ics", {"kind": "kamp", "age": "10"})
    found = events(response)
    assert sorted(str(e["summary"]) for e in found) == ["Kamp 1", "Kamp 2", "Kamp 3"]
    assert (response["X-Feed-Activities"], response["X-Total-Count"]) == ("3", "5")
    description = str(Calendar.from_ical(response.content)["x-wr-caldesc"])
    assert description.startswith("De 3 eerstvolgende van de 5 activiteiten van deze zoekopdracht")
    assert description.endswith("/agenda/?kind=kamp&age=10")
    page = client.get("/agenda/", {"kind": "kamp"}).content.decode()
    assert 'id="feed-limit"' in page and "3 eerstvolgende van deze 5 activiteiten" in page

    whole = client.get("/agenda/feed.ics", {"kind": "workshop"})
    assert (whole["X-Feed-Activities"], whole["X-Total-Count"]) == ("1", "1")
    assert "x-wr-caldesc" not in Calendar.from_ical(whole.content)
    assert 'id="feed-limit"' not in client.get("/agenda/", {"kind": "workshop"}).content.decode()
