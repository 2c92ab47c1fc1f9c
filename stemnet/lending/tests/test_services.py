"""Loans: the period's checks, the booking rule, transitions, take-back and maintenance."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from stemnet.funding.tests.factories import coordinator_of
from stemnet.lending import selectors, services
from stemnet.lending.models import Loan, OpeningException, Reservation, Unit
from stemnet.lending.services.loans import TRANSITIONS, ensure_transition
from stemnet.lending.tests.factories import HubFactory, ItemFactory, at
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def academy():
    return OrganisationFactory()


def request(item, borrower, start=None, end=None, quantity=1, **kwargs):
    return services.loan_request(
        item=item,
        borrower=borrower,
        actor=None,
        quantity=quantity,
        start_at=start or at(2),
        end_at=end or at(4),
        **kwargs,
    )


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict[field])


def test_bad_periods_each_get_their_message(academy):
    item = ItemFactory(units=2)
    with pytest.raises(ValidationError) as error:
        request(item, academy, start=at(4), end=at(2))
    assert "moet na het ophalen komen" in messages(error, "end_at")
    with pytest.raises(ValidationError) as error:
        request(item, academy, start=at(-1), end=at(2))
    assert "ligt in het verleden" in messages(error, "start_at")
    with pytest.raises(ValidationError) as error:
        request(item, academy, start=at(1), end=at(40))
    assert "hoogstens 28 dagen" in messages(error, "end_at")
    with pytest.raises(ValidationError) as error:
        request(item, academy, start=at(2, 7), end=at(3, 21))
    assert "gesloten om 07:00" in messages(error, "start_at")
    assert "08:00–20:00" in messages(error, "start_at")
    assert "gesloten om 21:00" in messages(error, "end_at")
    with pytest.raises(ValidationError) as error:
        request(item, academy, quantity=3)
    assert "2 exempla" in messages(error, "quantity")
    assert not Loan.objects.exists()


def test_a_closed_day_is_closed(academy):
    item = ItemFactory()
    OpeningException.objects.create(hub=item.hub, date=at(2).date(), note="Brugdag")
    with pytest.raises(ValidationError) as error:
        request(item, academy)
    assert "gesloten" in messages(error, "start_at")


def test_units_are_never_double_booked_including_the_buffer(academy):
    item = ItemFactory(units=1, buffer_days=2)
    loan = request(item, academy, start=at(2), end=at(4))
    assert loan.reservations.get().blocked_until == at(6)
    other = OrganisationFactory()
    with pytest.raises(ValidationError) as error:
        request(item, other, start=at(5), end=at(7))  # inside the buffer
    assert error.value.error_dict["quantity"][0].code == "conflict"
    assert "0 van de 1" in messages(error, "quantity")
    later = request(item, other, start=at(6), end=at(8))
    assert later.reservations.count() == 1


def test_part_of_a_day(academy):
    item = ItemFactory(units=1, buffer_days=0)
    request(item, academy, start=at(2, 9), end=at(2, 12))
    request(item, OrganisationFactory(), start=at(2, 13), end=at(2, 17))
    assert Reservation.objects.filter(active=True).count() == 2


def test_refusing_frees_the_unit_and_needs_a_reason(academy):
    item = ItemFactory(units=1)
    loan = request(item, academy)
    with pytest.raises(ValidationError):
        services.loan_refuse(loan=loan, actor=None, reason=" ")
    services.loan_refuse(loan=loan, actor=None, reason="Niet voor deze leeftijd")
    assert request(item, OrganisationFactory()).status == Loan.Status.REQUESTED


def test_who_may_borrow(academy):
    item = ItemFactory()
    school = OrganisationFactory(type=Organisation.Type.SCHOOL)
    with pytest.raises(ValidationError) as error:
        request(item, school)
    assert "leent alleen uit aan" in messages(error, "borrower")
    item.hub.recognised_only = True
    item.hub.save()
    with pytest.raises(ValidationError) as error:
        request(item, academy)
    assert "erkende" in messages(error, "borrower")
    from stemnet.funding import services as funding

    funding.recognition_grant(
        organisation=academy, actor=None, start=timezone.localdate() - dt.timedelta(days=30)
    )
    assert request(item, academy).pk


def test_every_transition_pair():
    for source in Loan.Status:
        for target in Loan.Status:
            loan = Loan(status=source)
            if target in TRANSITIONS[source]:
                ensure_transition(loan, target)
            else:
                with pytest.raises(ValidationError):
                    ensure_transition(loan, target)


def test_hand_out_checklist_take_back_and_maintenance(academy):
    item = ItemFactory(units=2)
    item.accessories.create(name="USB-kabel", quantity=1)
    loan = request(item, academy, quantity=2)
    services.loan_approve(loan=loan, actor=None)
    lines = services.checklist(loan)
    assert len(lines) == 4
    with pytest.raises(ValidationError) as error:
        services.loan_hand_out(loan=loan, actor=None, checked=set(list(lines)[:3]))
    assert "1 niet aangevinkt" in error.value.messages[0]
    services.loan_hand_out(loan=loan, actor=None, checked=set(lines))
    unit_a, unit_b = item.units.order_by("code")
    services.loan_take_back(
        loan=loan,
        actor=None,
        returns={
            unit_a.pk: {"condition": "Kras op de behuizing", "missing": ["USB-kabel"]},
            unit_b.pk: {"condition": "Motor defect", "maintenance": True},
        },
    )
    loan.refresh_from_db()
    unit_b.refresh_from_db()
    assert loan.status == Loan.Status.RETURNED
    assert unit_b.status == Unit.Status.MAINTENANCE
    assert loan.reservations.get(unit=unit_a).missing_accessories == ["USB-kabel"]
    # The unit in maintenance is not offered again until repaired.
    assert list(selectors.free_units(item, at(10), at(12))) == [unit_a]
    services.unit_repair(unit=unit_b, actor=None)
    assert len(selectors.free_units(item, at(10), at(12))) == 2


def test_overdue_blocks_new_reservations_and_is_reminded_once_a_day(academy):
    item = ItemFactory(units=2)
    actor = coordinator_of(academy)
    loan = services.loan_request(
        item=item, borrower=academy, actor=actor, quantity=1, start_at=at(1), end_at=at(2)
    )
    services.loan_approve(loan=loan, actor=None)
    services.loan_hand_out(loan=loan, actor=None, checked=set(services.checklist(loan)))
    later = at(3)
    with pytest.raises(ValidationError) as error:
        request(item, academy, start=at(5), end=at(6), now=later)
    assert error.value.code == "overdue"
    assert services.loans_overdue_remind(now=later) == 1
    assert services.loans_overdue_remind(now=later + dt.timedelta(hours=2)) == 0
    assert len(mail.outbox) == 1
    assert "Te laat" in mail.outbox[0].subject
    assert mail.outbox[0].to == [actor.email]


def test_availability_counts_free_units_per_item(academy):
    one = ItemFactory(units=3)
    two = ItemFactory(units=1, hub=one.hub)
    request(one, academy, quantity=2)
    free = selectors.availability([one, two], at(2), at(3))
    assert free == {one.pk: 1, two.pk: 1}
    assert selectors.availability([one, two], at(10), at(11)) == {one.pk: 3, two.pk: 1}


def test_only_gangmakers_and_knowledge_institutions_run_hubs():
    with pytest.raises(ValidationError):
        services.hub_create(organisation=OrganisationFactory(), actor=None)
    org = OrganisationFactory(type=Organisation.Type.KNOWLEDGE_INSTITUTION)
    assert services.hub_create(organisation=org, actor=None).pk
    assert HubFactory().organisation.type == Organisation.Type.GANGMAKER
