"""The date order (the default without a text query): by the next session from the start of
the searched period (now without one; running sessions count, ended ones do not), then
title, then id. Held against that definition written in Python over the sessions, on the
page, the API and the iCal feed, with sessions on every side of now."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from stemnet.agenda.search import ActivityFilters, order, reference, run
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.agenda.tests.test_search_bitmaps import _around_now

pytestmark = pytest.mark.django_db

# Pairs of ``_around_now`` spans given to one activity: a past first session with a later
# one (the order must not go by the past one), a running one with a later one, and so on.
PAIRS = [(0, 7), (5, 2), (5, 6), (0, 3), (1, 7), (8, 6), (5, 0), (4, 2), (0, 5)]


@pytest.fixture
def made():
    spans = _around_now()
    plans = [[span] for span in spans] + [[spans[i], spans[j]] for i, j in PAIRS]
    # Two activities with the same sessions: the title decides, then the id.
    plans += [[spans[2]], [spans[6]]]
    titles = itertools.cycle(["Bijen", "Aarde", "Chemie", "Aarde"])
    made = {}
    for plan in plans:
        title = next(titles)
        made[ActivityFactory(title=title, sessions=plan).pk] = (title, plan)
    return made


def _expected(made, date_from=None, date_to=None) -> list[int]:
    """The definition: the activities with a session in the period (from now on without
    one), by the start of their first session ending at or after the period's start (or
    now), then title, then id."""
    now = timezone.now()
    lower = _midnight(date_from) if date_from else now
    upper = _midnight(date_to + dt.timedelta(days=1)) if date_to else None
    keyed = []
    for pk, (title, spans) in made.items():
        if not any(e >= lower and (upper is None or s < upper) for s, e in spans):
            continue
        keyed.append((min(s for s, e in spans if e >= lower), title, pk))
    return [pk for *_key, pk in sorted(keyed)]


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [(None, None), (0, None), (1, None), (None, 1), (-2, 6), (-9, None), (1, 3), (3, 3)],
)
@pytest.mark.parametrize("sort", ["", "date"])
def test_date_order_goes_by_the_next_session(made, date_from, date_to, sort):
    today = timezone.localdate()
    first = today + dt.timedelta(days=date_from) if date_from is not None else None
    last = today + dt.timedelta(days=date_to) if date_to is not None else None
    query = {"sort": sort}
    if first:
        query["date_from"] = first.isoformat()
    if last:
        query["date_to"] = last.isoformat()
    f = ActivityFilters.parse(query)
    expected = _expected(made, first, last)
    assert len(expected) >= 2
    assert order.page_ids(reference.filtered(f), f, offset=0, limit=100) == expected
    assert [a.pk for a in run(f, page_size=100).results] == expected
    for page in (1, 2, 3):
        found = run(f, page=page, page_size=4).results
        assert [a.pk for a in found] == expected[(page - 1) * 4 : page * 4]


def test_upcoming_order_does_not_go_by_past_sessions(made):
    """The activity whose first session was nine days ago and whose next is in six days
    comes after the one running now and the one starting in an hour."""
    spans = [plan[0] for _title, plan in list(made.values())[:9]]  # the single ones
    ids = [a.pk for a in run(ActivityFilters.parse({}), page_size=100).results]
    position = {plan[0][0] if len(plan) == 1 else None: pk for pk, (_t, plan) in made.items()}
    running, soon, later = spans[1][0], spans[2][0], spans[7][0]
    assert ids.index(position[running]) < ids.index(position[soon]) < ids.index(position[later])
    past_then_later = next(pk for pk, (_t, plan) in made.items() if plan == [spans[5], spans[6]])
    assert ids.index(past_then_later) > ids.index(position[soon])


def test_api_and_feed_list_by_the_next_session(made, client):
    expected = _expected(made)
    body = client.get("/api/v1/activities", {"sort": "date", "page_size": 100}).json()
    assert [r["id"] for r in body["results"]] == expected
    body = client.get("/api/v1/activities", {"page_size": 100}).json()
    assert [r["id"] for r in body["results"]] == expected
    # The calendar feed lists in the same order (it calls the same search).
    feed = run(ActivityFilters.parse({"q": "x", "sort": "relevance"}), calendar=True)
    assert feed.sort == "date"
    feed = run(ActivityFilters.parse({}), page_size=500, facets=False, calendar=True).results
    assert [a.pk for a in feed] == expected
