"""Pages: catalogue with availability, reservation with its messages, staff-only actions,
the hub's public section, iCal; and the demo hub."""

import random

import pytest
from django.urls import reverse

from stemnet.funding.tests.factories import coordinator_of
from stemnet.lending import demo, services
from stemnet.lending.models import Loan, Unit
from stemnet.lending.tests.factories import ItemFactory, at
from stemnet.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

FMT = "%Y-%m-%dT%H:%M"


def test_catalogue_shows_what_is_free_in_a_period(client, django_assert_max_num_queries):
    item = ItemFactory(units=1, name="Microscoop Zoom")
    ItemFactory(units=2, hub=item.hub)
    services.loan_request(
        item=item,
        borrower=OrganisationFactory(),
        actor=None,
        quantity=1,
        start_at=at(2),
        end_at=at(4),
    )
    url = reverse("lending:item_list")
    query = {"start": at(3).strftime(FMT), "end": at(5).strftime(FMT)}
    with django_assert_max_num_queries(8):
        page = client.get(url, query).content.decode()
    assert "Niet vrij in jouw periode" in page
    assert "2 exemplaren vrij in jouw periode" in page
    page = client.get(url, {"q": "zoom"}).content.decode()
    assert "1 materiaal gevonden" in page
    bad = client.get(url, {"start": at(5).strftime(FMT), "end": at(3).strftime(FMT)})
    assert "Het einde moet na het begin komen" in bad.content.decode()


def test_reservation_form_keeps_input_and_names_each_problem(client):
    item = ItemFactory(units=1)
    academy = OrganisationFactory()
    client.force_login(coordinator_of(academy))
    url = reverse("lending:loan_request", args=[item.pk])
    data = {
        "borrower": academy.pk,
        "quantity": 3,
        "start_at": at(3, 22).strftime(FMT),
        "end_at": at(2).strftime(FMT),
    }
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "moet na het ophalen komen" in page
    assert "gesloten om 22:00" in page
    assert at(3, 22).strftime(FMT) in page  # what was typed stays
    data.update(quantity=1, start_at=at(2).strftime(FMT), end_at=at(3).strftime(FMT))
    response = client.post(url, data)
    loan = Loan.objects.get()
    assert response["Location"] == loan.get_absolute_url()
    # A second coordinator is refused the same unit.
    other = OrganisationFactory()
    client.force_login(coordinator_of(other))
    data["borrower"] = other.pk
    page = client.post(url, data).content.decode()
    assert "Al gereserveerd" in page
    assert Loan.objects.count() == 1


def test_only_hub_staff_approve_and_only_members_see_a_loan(client):
    item = ItemFactory(units=1)
    academy = OrganisationFactory()
    loan = services.loan_request(
        item=item, borrower=academy, actor=None, quantity=1, start_at=at(2), end_at=at(3)
    )
    borrower = coordinator_of(academy)
    client.force_login(borrower)
    assert client.get(loan.get_absolute_url()).status_code == 200
    assert client.post(reverse("lending:loan_approve", args=[loan.pk])).status_code == 403
    loan.refresh_from_db()
    assert loan.status == Loan.Status.REQUESTED
    client.force_login(coordinator_of(OrganisationFactory()))
    assert client.get(loan.get_absolute_url()).status_code == 403
    staff = coordinator_of(item.hub.organisation)
    client.force_login(staff)
    client.post(reverse("lending:loan_approve", args=[loan.pk]))
    loan.refresh_from_db()
    assert loan.status == Loan.Status.APPROVED
    keys = list(services.checklist(loan))
    client.post(reverse("lending:loan_hand_out", args=[loan.pk]), {"checked": keys})
    unit = item.units.get()
    client.post(
        reverse("lending:loan_take_back", args=[loan.pk]),
        {f"condition-{unit.pk}": "Scherm gebarsten", f"maintenance-{unit.pk}": "on"},
    )
    unit.refresh_from_db()
    assert unit.status == Unit.Status.MAINTENANCE
    assert "Scherm gebarsten" in client.get(loan.get_absolute_url()).content.decode()


def test_ical_of_a_borrowers_loans(client):
    item = ItemFactory(units=1)
    academy = OrganisationFactory()
    services.loan_request(
        item=item, borrower=academy, actor=None, quantity=1, start_at=at(2), end_at=at(3)
    )
    client.force_login(coordinator_of(academy))
    body = client.get(reverse("lending:loan_ical", args=[academy.slug])).content.decode()
    assert "BEGIN:VEVENT" in body and item.name in body


def test_hub_page_shows_hours_and_lab_sessions_and_bookings_fill_up(client):
    item = ItemFactory()
    hub = item.hub
    session = services.lab_session_create(
        hub=hub, actor=None, title="Open Fablab", starts_at=at(3, 13), ends_at=at(3, 17), capacity=2
    )
    page = client.get(hub.organisation.get_absolute_url()).content.decode()
    assert "Open Fablab" in page and "maandag" in page
    client.force_login(coordinator_of(OrganisationFactory()))
    client.post(reverse("lending:lab_book", args=[session.pk]), {"places": 2})
    response = client.post(
        reverse("lending:lab_book", args=[session.pk]), {"places": 1}, follow=True
    )
    assert "Nog maar 0 plaats(en) vrij" in response.content.decode()


def test_demo_hub_has_forty_items_and_loans_in_every_state():
    academies = [OrganisationFactory(is_demo=True), OrganisationFactory(is_demo=True)]
    assert demo.seed(random.Random(1), academies) == 40
    assert demo.seed(random.Random(1), academies) == 40  # idempotent
    states = set(Loan.objects.filter(is_demo=True).values_list("status", flat=True))
    assert states == set(Loan.Status.values)
    assert Loan.objects.overdue().filter(is_demo=True).exists()
