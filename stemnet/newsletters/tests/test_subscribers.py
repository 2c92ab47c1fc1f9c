"""Audiences and consent: double opt-in, no disclosure, preferences, unsubscribe, sync."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from stemnet.newsletters import tokens
from stemnet.newsletters.models import Audience, Consent, Subscriber
from stemnet.newsletters.services import subscribers as services
from stemnet.newsletters.tests.factories import SubscriberFactory
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
PREFS = {"postcode": "2800", "radius_km": 10, "ages": [9, 7], "themes": [], "frequency": "every"}


def sign_up(email="Ouder@Example.org ", ip="192.0.2.1"):
    services.subscriber_sign_up(email=email, language="nl", preferences=PREFS, ip=ip)


def test_sign_up_waits_for_confirmation_and_records_consent(settings):
    sign_up()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "ouder@example.org"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.ages == [7, 9]
    assert subscriber.province == "10000"  # Mechelen lies in the province of Antwerp
    consent = subscriber.consents.get()
    assert consent.action == Consent.Action.REQUESTED
    assert consent.form_version == settings.NEWSLETTER_CONSENT_FORM_VERSION
    assert consent.address_hash == services.address_hash("192.0.2.1")
    assert "192.0.2.1" not in consent.address_hash
    assert len(mail.outbox) == 1
    assert "/nieuwsbrief/bevestigen/" in mail.outbox[0].body

    assert services.subscriber_confirm(subscriber=subscriber, ip="192.0.2.9")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert [c.action for c in subscriber.consents.all()] == ["requested", "confirmed"]
    assert not services.subscriber_confirm(subscriber=subscriber, ip="192.0.2.9")


def test_second_sign_up_sends_no_flood_and_changes_nothing():
    sign_up()
    for _ in range(3):
        sign_up(email="ouder@example.org")
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 1  # one confirmation within NEWSLETTER_CONFIRM_RESEND_HOURS
    with time_machine.travel(dt.timedelta(hours=25)):
        sign_up()
    assert len(mail.outbox) == 2


def test_sign_up_of_an_active_address_sends_a_reminder_not_a_confirmation():
    subscriber = SubscriberFactory(email="al@example.org")
    sign_up(email="al@example.org")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.ages == [8, 10]  # a stranger cannot change the preferences
    assert len(mail.outbox) == 1
    assert "/nieuwsbrief/voorkeuren/" in mail.outbox[0].body
    sign_up(email="al@example.org")
    assert len(mail.outbox) == 1


def test_bounced_address_gets_nothing():
    SubscriberFactory(email="weg@example.org", status=Subscriber.Status.BOUNCED)
    sign_up(email="weg@example.org")
    assert mail.outbox == []


def test_sign_ups_are_rate_limited_per_client_address(settings):
    settings.NEWSLETTER_SIGNUP_RATE_LIMIT_PER_HOUR = 2
    sign_up(email="a@example.org", ip="198.51.100.7")
    sign_up(email="b@example.org", ip="198.51.100.7")
    with pytest.raises(ValidationError) as caught:
        sign_up(email="c@example.org", ip="198.51.100.7")
    assert caught.value.code == "rate_limited"


def test_confirmation_link_expires(settings):
    subscriber = SubscriberFactory(status=Subscriber.Status.PENDING)
    token = tokens.confirm_token(subscriber)
    assert tokens.read_confirm_token(token) == subscriber
    later = dt.timedelta(days=settings.NEWSLETTER_CONFIRM_DAYS, hours=1)
    with time_machine.travel(later), pytest.raises(tokens.ExpiredToken):
        tokens.read_confirm_token(token)
    with pytest.raises(tokens.BadToken):
        tokens.read_confirm_token(token[:-2] + "xx")


def test_a_new_secret_revokes_old_links():
    subscriber = SubscriberFactory()
    token = tokens.link_token(subscriber, issue_id=5)
    assert tokens.read_link_token(token) == (subscriber, 5)
    subscriber.secret = "nieuw-geheim-0123456789"
    subscriber.save()
    with pytest.raises(tokens.BadToken):
        tokens.read_link_token(token)


def test_unsubscribe_and_subscribe_again():
    subscriber = SubscriberFactory()
    assert services.subscriber_unsubscribe(subscriber=subscriber, ip="192.0.2.1")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert not services.subscriber_unsubscribe(subscriber=subscriber, ip="192.0.2.1")
    assert services.subscriber_resubscribe(subscriber=subscriber, ip=None)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert [c.action for c in subscriber.consents.all()] == ["withdrawn", "renewed"]


def test_preferences_change_the_province_too():
    subscriber = SubscriberFactory()
    services.subscriber_update_preferences(
        subscriber=subscriber,
        preferences={"postcode": "9000", "radius_km": 25, "ages": [12], "themes": []},
        language="en",
    )
    subscriber.refresh_from_db()
    assert (subscriber.postcode, subscriber.province, subscriber.language) == (
        "9000",
        "40000",
        "en",
    )


def test_directory_sync_adds_members_keeps_opt_outs_and_marks_leavers():
    academy = OrganisationFactory(type=Organisation.Type.ACADEMY)
    school = OrganisationFactory(type=Organisation.Type.SCHOOL)
    coordinator = MembershipFactory(organisation=academy).user
    leaver = MembershipFactory(organisation=academy, role=Membership.Role.MEMBER)
    opted_out = MembershipFactory(organisation=academy).user
    MembershipFactory(organisation=school)  # schools are not in the academies' list
    MembershipFactory(organisation=academy, role=Membership.Role.REVIEWER)

    assert services.subscribers_sync_directory() == {"added": 3, "returned": 0, "left": 0}
    off = Subscriber.objects.get(email=opted_out.email)
    services.subscriber_unsubscribe(subscriber=off, ip=None)
    leaver.delete()
    assert services.subscribers_sync_directory() == {"added": 0, "returned": 0, "left": 1}
    statuses = dict(
        Subscriber.objects.filter(audience=Audience.ACADEMIES).values_list("email", "status")
    )
    assert statuses[coordinator.email] == "active"
    assert statuses[opted_out.email] == "unsubscribed"
    assert statuses[leaver.user.email] == "left"


def test_a_hard_bounce_stops_both_newsletters():
    SubscriberFactory(email="stuk@example.org")
    SubscriberFactory(email="stuk@example.org", audience=Audience.ACADEMIES)
    assert services.subscriber_record_bounce(email="Stuk@example.org", reason="550") == 2
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"bounced"}
