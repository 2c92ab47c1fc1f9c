"""Which years the figures pages offer and open on, and which are incomplete (issue 12)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.reach import selectors
from stemnet.reach.tests.factories import (
    ParticipationFactory,
    coordinator_of,
    held_activity,
    vlaio_user,
)

pytestmark = pytest.mark.django_db


def _at(day: dt.date):
    return time_machine.travel(
        timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12)), tick=False
    )


@pytest.mark.parametrize(
    ("today", "year", "status"),
    [
        (dt.date(2026, 12, 4), 2026, "running"),
        (dt.date(2026, 12, 4), 2027, "running"),
        (dt.date(2026, 12, 4), 2025, "complete"),
        (dt.date(2026, 3, 31), 2025, "recording"),  # 90 days after 31 December: 31 March
        (dt.date(2026, 4, 1), 2025, "complete"),
        (dt.date(2026, 2, 1), 2024, "complete"),
    ],
)
def test_year_status_rule(today, year, status):
    assert selectors.year_status(year, today).status == status


def test_recording_days_is_a_setting(settings):
    settings.REACH_RECORDING_DAYS = 0
    assert selectors.year_status(2025, dt.date(2026, 1, 1)).complete
    assert selectors.year_status(2025, dt.date(2026, 1, 1)).complete_from == dt.date(2026, 1, 1)


def test_choice_offers_every_year_with_records_and_opens_on_the_latest_complete():
    ParticipationFactory(year=2020)
    ParticipationFactory(year=2025, participants=3, girls=1)
    with _at(dt.date(2026, 12, 4)):
        held_activity(year=2026)
        choice = selectors.reach_year_choice()
    assert [(y.year, y.status) for y in choice.years] == [
        (2026, "running"),
        (2025, "complete"),
        (2020, "complete"),
    ]
    assert choice.default.year == 2025
    assert choice.get("2026").year == 2026
    assert choice.get("1900").year == 2025  # not offered: the default
    assert choice.get("twee").year == 2025


def test_choice_while_last_year_is_still_being_recorded():
    ParticipationFactory(year=2024)
    ParticipationFactory(year=2025)
    with _at(dt.date(2026, 2, 1)):
        choice = selectors.reach_year_choice()
    assert [(y.year, y.status) for y in choice.years] == [(2025, "recording"), (2024, "complete")]
    assert choice.default.year == 2024


def test_choice_without_complete_year_opens_on_the_newest_with_records():
    organisation = OrganisationFactory()
    ParticipationFactory(year=2020)  # another organisation's
    with _at(dt.date(2026, 12, 4)):
        held_activity(year=2026, organiser=organisation)
        choice = selectors.reach_year_choice(organisation=organisation)
    assert [y.year for y in choice.years] == [2026]
    assert choice.default.year == 2026 and not choice.default.complete


def test_public_page_offers_the_running_year_and_says_it_is_incomplete(client):
    ParticipationFactory(year=2025)
    with _at(dt.date(2026, 12, 4)):
        held_activity(year=2026)
        page = client.get(reverse("reach:public_figures"))
        assert page.context["year"] == 2025
        html = page.content.decode()
        assert '<option value="2026">2026 (onvolledig)</option>' in html
        assert 'id="year-incomplete-note"' not in html
        html = client.get(reverse("reach:public_figures"), {"year": 2026}).content.decode()
    assert 'id="year-incomplete-note"' in html
    assert "De cijfers van 2026 zijn onvolledig: het jaar loopt nog." in html
    assert "90 dagen na het einde van het jaar" in html


def test_coordinator_page_opens_on_its_own_latest_complete_year(client):
    organisation = OrganisationFactory()
    ParticipationFactory(year=2023, organisation=organisation, participants=12, girls=5)
    ParticipationFactory(year=2025)  # another organisation's: not this coordinator's year
    client.force_login(coordinator_of(organisation))
    with _at(dt.date(2026, 12, 4)):
        held_activity(year=2026, organiser=organisation)
        page = client.get(reverse("reach:coordinator"))
    assert page.context["year"] == 2023
    assert page.context["summary"]["participants"] == 12
    assert [y.year for y in page.context["years"]] == [2026, 2023]


def test_dashboard_opens_on_the_latest_complete_year_and_marks_the_running_one(client):
    ParticipationFactory(year=2025)
    client.force_login(vlaio_user())
    with _at(dt.date(2026, 12, 4)):
        held_activity(year=2026)
        page = client.get(reverse("reach:dashboard"))
        assert page.context["year"] == 2025
        html = page.content.decode()
        assert 'value="2026">2026 (onvolledig)</option>' in html
        page = client.get(reverse("reach:dashboard"), {"year": 2026})
    assert 'id="year-incomplete-note"' in page.content.decode()
