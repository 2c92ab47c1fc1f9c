import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from stemnet.accounts.tests.factories import UserFactory
from stemnet.core.models import OutboxMessage
from stemnet.events import services
from stemnet.events.models import Audience, Event, Registration
from stemnet.events.services import Attendee
from stemnet.events.tests.factories import EventFactory, RegistrationFactory, TrackFactory, soon
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
S = Registration.Status


def member(org=None, role=Membership.Role.COORDINATOR, **kwargs):
    return MembershipFactory(organisation=org or OrganisationFactory(), role=role, **kwargs)


def register(event, user=None, **kwargs):
    user = user or UserFactory()
    return services.registration_create(event=event, actor=user, **kwargs)


def test_event_create_by_organiser_member_with_audiences():
    m = member(OrganisationFactory(type=Organisation.Type.GANGMAKER))
    event = services.event_create(
        organiser=m.organisation,
        actor=m.user,
        kind=Event.Kind.TRAINING,
        trainer_step=Event.TrainerStep.DESIGN,
        title="Ontwerpsessie",
        starts_at=soon(),
        ends_at=soon() + dt.timedelta(hours=3),
        capacity=12,
        audiences=[{"organisation_type": "academy", "price": Decimal("0")}],
    )
    assert event.slug.startswith("ontwerpsessie-")
    assert event.registration_deadline == event.starts_at
    assert event.cancellation_deadline == event.starts_at - dt.timedelta(days=1)
    assert event.audiences.get().price == 0


def test_event_create_refuses_strangers_and_bad_times():
    org = OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.event_create(organiser=org, actor=UserFactory(), title="x")
    m = member(org)
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            organiser=org,
            actor=m.user,
            kind="workshop",
            trainer_step="basis",
            title="x",
            starts_at=soon(),
            ends_at=soon() - dt.timedelta(hours=1),
            capacity=3,
        )
    assert {"ends_at", "trainer_step"} <= set(exc.value.message_dict)
    assert not Event.objects.exists()


def test_confirmed_then_waiting_list_and_mail_with_ics(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = register(event)
        second = register(event)
    assert (first.status, second.status) == (S.CONFIRMED, S.WAITING)
    assert OutboxMessage.objects.count() == 2 or len(mail.outbox) == 2
    confirmation = next(m for m in mail.outbox if m.to == [first.email])
    assert "bevestigd" in confirmation.subject
    assert confirmation.attachments[0][0].endswith(".ics")
    assert (
        b"BEGIN:VEVENT" in confirmation.attachments[0][1].encode()
        if isinstance(confirmation.attachments[0][1], str)
        else confirmation.attachments[0][1]
    )


def test_bad_input_twice_deadline_unpublished():
    event = EventFactory()
    user = UserFactory()
    register(event, user)
    with pytest.raises(ValidationError, match="al ingeschreven"):
        register(event, user)
    with pytest.raises(ValidationError, match="gesloten"):
        register(event, now=event.registration_deadline + dt.timedelta(minutes=1))
    event.is_published = False
    event.save()
    with pytest.raises(ValidationError):
        register(event)
    assert event.registrations.count() == 1


def test_price_per_audience_free_for_academies_and_eligibility():
    event = EventFactory(capacity=5)
    Audience.objects.create(event=event, organisation_type="academy", price=0)
    Audience.objects.create(event=event, organisation_type="company", price=Decimal("45"))
    academy, company, school = (
        member(OrganisationFactory(type=t)) for t in ("academy", "company", "school")
    )
    assert register(event, academy.user, organisation=academy.organisation).price == 0
    assert register(event, company.user, organisation=company.organisation).price == 45
    with pytest.raises(ValidationError, match="niet open"):
        register(event, school.user, organisation=school.organisation)
    with pytest.raises(PermissionDenied):
        register(event, UserFactory(), organisation=academy.organisation)


def test_track_capacity_and_overlap():
    event = EventFactory(capacity=5)
    a = TrackFactory(event=event, capacity=1, title="Ekoli")
    b = TrackFactory(event=event, capacity=3, title="Skillz")
    register(event, tracks=[a])
    with pytest.raises(ValidationError, match="Ekoli.*volzet"):
        register(event, tracks=[a])
    with pytest.raises(ValidationError, match="tegelijk"):
        register(event, tracks=[a, b])
    # overlap with a track of another event the same person is registered for
    user = UserFactory()
    other = EventFactory(capacity=5, starts_at=event.starts_at, ends_at=event.ends_at)
    register(other, user, tracks=[TrackFactory(event=other, capacity=5)])
    with pytest.raises(ValidationError, match="overlapt"):
        register(event, user, tracks=[b])
    assert event.registrations.count() == 1


def test_group_registration_all_or_nothing():
    event = EventFactory(capacity=2)
    coordinator = member(OrganisationFactory(type="academy"))
    people = [
        Attendee("An", "an@example.org"),
        Attendee("Bo", "bo@example.org"),
        Attendee("Cas", "cas@example.org"),
    ]
    made = services.registration_create_group(
        event=event,
        actor=coordinator.user,
        organisation=coordinator.organisation,
        attendees=people,
    )
    assert [r.status for r in made] == [S.CONFIRMED, S.CONFIRMED, S.WAITING]
    with pytest.raises(ValidationError):
        services.registration_create_group(
            event=event,
            actor=coordinator.user,
            organisation=coordinator.organisation,
            attendees=[Attendee("Dirk", "dirk@example.org"), Attendee("An", "AN@example.org")],
        )
    assert event.registrations.count() == 3
    plain = member(coordinator.organisation, role=Membership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.registration_create_group(
            event=event,
            actor=plain.user,
            organisation=plain.organisation,
            attendees=people,
        )


def test_cancel_offers_place_which_lapses_and_moves_on(settings):
    settings.EVENTS_OFFER_HOURS = 48
    event = EventFactory(capacity=1, starts_at=soon(days=20))
    users = [UserFactory() for _ in range(3)]
    first, second, third = (register(event, u) for u in users)
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        services.registration_cancel(registration=first, actor=users[0])
    second.refresh_from_db()
    assert second.status == S.OFFERED
    assert second.offer_expires_at == start + dt.timedelta(hours=48)
    with time_machine.travel(start + dt.timedelta(hours=47), tick=False):
        assert services.offers_lapse() == 0
    with time_machine.travel(start + dt.timedelta(hours=49), tick=False):
        assert services.offers_lapse() == 1
        with pytest.raises(ValidationError, match="vervallen|Er is geen plaats"):
            services.registration_accept_offer(registration=second, actor=users[1])
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == (S.LAPSED, S.OFFERED)
    services.registration_accept_offer(registration=third, actor=users[2])
    third.refresh_from_db()
    assert third.status == S.CONFIRMED


def test_cancel_deadline_and_permission():
    event = EventFactory()
    user = UserFactory()
    registration = register(event, user)
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, actor=UserFactory())
    late = event.cancellation_deadline + dt.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="Annuleren kon tot"):
        services.registration_cancel(registration=registration, actor=user, now=late)
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    organiser = member(event.organiser)
    services.registration_cancel(registration=registration, actor=organiser.user, now=late)
    with pytest.raises(ValidationError, match="al geannuleerd"):
        services.registration_cancel(registration=registration, actor=organiser.user)


def test_checkin_rules():
    event = EventFactory()
    staff = member(event.organiser)
    registration = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=S.WAITING)
    other = RegistrationFactory()
    with pytest.raises(PermissionDenied):
        services.checkin(event=event, code=registration.code, actor=UserFactory())
    with pytest.raises(ValidationError, match="ander evenement"):
        services.checkin(event=event, code=other.code, actor=staff.user)
    with pytest.raises(ValidationError, match="Onbekende code"):
        services.checkin(event=event, code="nope", actor=staff.user)
    with pytest.raises(ValidationError, match="geen bevestigde plaats"):
        services.checkin(event=event, code=waiting.code, actor=staff.user)
    services.checkin(event=event, code=registration.code, actor=staff.user)
    with pytest.raises(ValidationError, match="al ingecheckt"):
        services.checkin(event=event, code=registration.code, actor=staff.user)
    results = services.checkins_sync(
        event=event,
        actor=staff.user,
        items=[{"code": registration.code, "at": "bad"}, {"code": other.code}],
    )
    assert [r["ok"] for r in results] == [False, False]


def test_reminders_once(django_capture_on_commit_callbacks):
    event = EventFactory(starts_at=soon(days=1))
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=S.WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0
    assert len(mail.outbox) == 1


def test_stand_booking():
    event = EventFactory(kind=Event.Kind.CONGRESS, trainer_step="", stand_capacity=1)
    p1, p2 = (member(OrganisationFactory(type="partnership")) for _ in range(2))
    stand = services.stand_book(event=event, partnership=p1.organisation, actor=p1.user)
    assert stand.number == 1
    with pytest.raises(ValidationError, match="al een stand"):
        services.stand_book(event=event, partnership=p1.organisation, actor=p1.user)
    with pytest.raises(ValidationError, match="Alle 1 standen"):
        services.stand_book(event=event, partnership=p2.organisation, actor=p2.user)
    academy = member()
    with pytest.raises(ValidationError):
        services.stand_book(event=event, partnership=academy.organisation, actor=academy.user)


def test_feedback_and_needs():
    event = EventFactory(starts_at=soon(days=-1))
    user = UserFactory()
    registration = RegistrationFactory(event=event, person=user, email=user.email)
    with pytest.raises(ValidationError, match="aanwezig"):
        services.feedback_submit(registration=registration, actor=user, rating=4, learned="x")
    registration.checked_in_at = event.starts_at
    registration.save()
    with pytest.raises(ValidationError):
        services.feedback_submit(registration=registration, actor=user, rating=9, learned="x")
    services.feedback_submit(registration=registration, actor=user, rating=4, learned="Veel")
    staff = member(event.organiser)
    services.need_capture(event=event, actor=staff.user, topic="Inclusie  en doelgroepen")
    services.need_capture(event=event, actor=staff.user, topic="inclusie en doelgroepen")
    topic = event.organiser.training_topics.get()
    assert topic.needs.count() == 2
    with pytest.raises(PermissionDenied):
        services.need_capture(event=event, actor=user, topic="x")
