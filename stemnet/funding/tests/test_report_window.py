"""Grant reports are pre-filled with exactly their window of the grant, never whole years.

A grant from 1 July 2024 for two years has two reports: 1 July 2024 - 30 June 2025 and
1 July 2025 - 30 June 2026. Figures computed by hand below.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.funding import services
from stemnet.funding.tests.factories import ApplicationFactory, RoundFactory, in_review, officer
from stemnet.organisations.tests.factories import OrganisationFactory, municipality
from stemnet.places.models import Municipality
from stemnet.reach.models import Participation, Source
from stemnet.reach.tests.factories import ParticipationFactory, coordinator_of

pytestmark = pytest.mark.django_db

BRU = ZoneInfo("Europe/Brussels")


def at(y, m, d):
    return (dt.datetime(y, m, d, 14, tzinfo=BRU), dt.datetime(y, m, d, 16, tzinfo=BRU))


def activity(org, nis_code, *sessions):
    m = municipality(nis_code)
    return ActivityFactory(
        organiser=org, sessions=list(sessions), municipality=m, lat=m.lat, lon=m.lon
    )


def recorded(act, year, participants, girls):
    vintage = Municipality.Vintage.V2025 if year >= 2025 else Municipality.Vintage.V2019
    Participation.objects.create(
        activity=act,
        year=year,
        municipality=Municipality.objects.get(nis_code=act.municipality.nis_code, vintage=vintage),
        organisation=act.organiser,
        kind=act.kind,
        participants=participants,
        girls=girls,
        source=Source.ENTRY,
    )


@pytest.fixture
def reports():
    org = OrganisationFactory(name="STEM-academie Venster")
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, tzinfo=BRU), tick=False):
        # Before the grant: 673 participants in March 2024 count in neither report.
        recorded(activity(org, "12025", at(2024, 3, 10)), 2024, 673, 300)
        # Report 1: September 2024 (Mechelen), a 2025 row first held in March 2025 (Gent)
        # though it also ran in October, and a history row of 2025 (1 January, Mechelen).
        recorded(activity(org, "12025", at(2024, 9, 15)), 2024, 40, 20)
        recorded(activity(org, "44021", at(2025, 3, 1), at(2025, 10, 1)), 2025, 30, 12)
        ParticipationFactory(organisation=org, year=2025, participants=100, girls=45)
        # Report 2: September 2025 (Leuven) and a held activity without numbers in
        # February 2026 (Antwerpen).
        recorded(activity(org, "24062", at(2025, 9, 20)), 2025, 25, 10)
        activity(org, "11002", at(2026, 2, 1))
        # After the grant: September 2026.
        recorded(activity(org, "71072", at(2026, 9, 1)), 2026, 50, 25)
        # Another organisation's figures never count.
        recorded(activity(OrganisationFactory(), "12025", at(2024, 9, 15)), 2024, 999, 0)
        staff = officer()
        round = RoundFactory(
            duration_years=2,
            grant_start=dt.date(2024, 7, 1),
            budget=Decimal("10000"),
            max_per_application=Decimal("5000"),
        )
        application = in_review(
            ApplicationFactory(round=round, organisation=org), officer_user=staff
        )
        services.decision_record(application=application, recognised=True, amount=2000, actor=staff)
        yield list(application.grant.reports.order_by("year_index"))


def test_each_report_counts_its_window_exactly_once(reports):
    first, second = reports
    assert (first.period_start, first.period_end) == (dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    assert (second.period_start, second.period_end) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert first.prefilled_figures == {
        "start": "2024-07-01",
        "end": "2025-06-30",
        "participants": 40 + 30 + 100,
        "girls": 20 + 12 + 45,
        "activities": 3,
        "municipalities": 2,  # Mechelen (2019 and 2025 code: one place) and Gent
        "years": {
            "2024": {"participants": 40, "girls": 20, "activities": 1, "municipalities": 1},
            "2025": {"participants": 130, "girls": 57, "activities": 2, "municipalities": 2},
        },
    }
    assert second.prefilled_figures == {
        "start": "2025-07-01",
        "end": "2026-06-30",
        "participants": 25,
        "girls": 10,
        "activities": 2,
        "municipalities": 2,  # Leuven and Antwerpen
        "years": {
            "2025": {"participants": 25, "girls": 10, "activities": 1, "municipalities": 1},
            "2026": {"participants": 0, "girls": 0, "activities": 1, "municipalities": 1},
        },
    }


def test_report_page_shows_the_window_figures(client, reports):
    first = reports[0]
    client.force_login(coordinator_of(first.grant.application.organisation))
    with time_machine.travel(dt.datetime(2026, 12, 4, 10, tzinfo=BRU), tick=False):
        html = client.get(reverse("funding:report_edit", args=[first.pk])).content.decode()
    assert "<strong>170</strong>" in html and "673" not in html
    assert "het deel binnen de periode" in html
