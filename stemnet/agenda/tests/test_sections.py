"""The agenda's section of an organisation's public page: its upcoming activities."""

import datetime as dt
import re

import pytest

from stemnet.agenda import sections
from stemnet.agenda.models import Activity
from stemnet.agenda.tests.factories import ActivityFactory, in_days
from stemnet.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    block = re.search(r'<section class="org-activities".*?</section>', html, re.S)
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', block.group(0)) if block else []


def test_an_academy_page_lists_its_upcoming_activities_soonest_first(client):
    academy = OrganisationFactory(name="STEM-academie De Vonk")
    other = OrganisationFactory()
    ActivityFactory(title="Later", organiser=academy, sessions=[(in_days(20), in_days(20, 16))])
    ActivityFactory(title="Soon", organiser=academy, sessions=[(in_days(2), in_days(2, 16))])
    # A series that started last month and has a session next week: by that next session.
    ActivityFactory(
        title="Running series",
        organiser=academy,
        sessions=[(in_days(-30), in_days(-30, 16)), (in_days(5), in_days(5, 16))],
    )
    co = ActivityFactory(title="Together", organiser=other, sessions=[(in_days(9), in_days(9, 16))])
    co.co_organisers.add(academy)
    ActivityFactory(title="Over", organiser=academy, sessions=[(in_days(-3), in_days(-3, 16))])
    ActivityFactory(title="Draft", organiser=academy, status=Activity.Status.DRAFT)
    ActivityFactory(title="Elsewhere", organiser=other)  # in a week

    html = client.get(academy.get_absolute_url()).content.decode()
    assert "Komende activiteiten" in html
    assert _titles(html) == ["Soon", "Running series", "Together", "Later"]
    assert "eerstvolgende" not in html  # all of them are shown
    assert _titles(client.get(other.get_absolute_url()).content.decode()) == [
        "Elsewhere",
        "Together",
    ]


def test_no_section_without_upcoming_activities(client):
    quiet = OrganisationFactory()
    ActivityFactory(organiser=quiet, sessions=[(in_days(-3), in_days(-3, 16))])
    html = client.get(quiet.get_absolute_url()).content.decode()
    assert 'class="org-activities"' not in html


def test_a_busy_academy_shows_the_soonest_and_says_how_many(client, monkeypatch):
    monkeypatch.setattr(sections, "LIMIT", 2)
    academy = OrganisationFactory()
    for day in (4, 1, 3):
        start = in_days(day)
        ActivityFactory(
            title=f"Day {day}", organiser=academy, sessions=[(start, start + dt.timedelta(hours=2))]
        )
    html = client.get(academy.get_absolute_url()).content.decode()
    assert _titles(html) == ["Day 1", "Day 3"]
    assert "De 2 eerstvolgende van 3 komende activiteiten." in html
