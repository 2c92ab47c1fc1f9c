"""Subscribers: the parents' sign-up with double opt-in, preferences, unsubscribe and
re-subscribe, the academies' list synced from the directory, hard bounces."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.newsletters import mails
from stemnet.newsletters.models import Audience, Consent, Delivery, Subscriber
from stemnet.organisations.models import Organisation
from stemnet.places.selectors import municipality_for_postcode

Status = Subscriber.Status
DIRECTORY_TYPES = (
    Organisation.Type.ACADEMY,
    Organisation.Type.PARTNERSHIP,
    Organisation.Type.GANGMAKER,
)
RATE_WINDOW = 3600
logger = logging.getLogger(__name__)


def address_hash(ip: str) -> str:
    """A keyed SHA-256 of the client's address: evidence of the consent, not the address."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"newsletters:{ip or ''}".encode(), hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _rate_limited(fingerprint: str) -> bool:
    key = f"newsletters:signup:{fingerprint}"
    if cache.add(key, 1, timeout=RATE_WINDOW):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=RATE_WINDOW)
        return False
    return count > settings.NEWSLETTER_SIGNUP_RATE_LIMIT_PER_HOUR


def _consent(subscriber: Subscriber, action: str, ip: str | None) -> Consent:
    return Consent.objects.create(
        subscriber=subscriber,
        action=action,
        form_version=settings.NEWSLETTER_CONSENT_FORM_VERSION,
        address_hash=address_hash(ip) if ip is not None else "",
    )


def _province_of(postcode: str) -> str:
    municipality = municipality_for_postcode(postcode) if postcode else None
    return (municipality.province_id or "") if municipality else ""


def _may_mail_again(subscriber: Subscriber, now: dt.datetime) -> bool:
    last = subscriber.confirmation_sent_at
    wait = dt.timedelta(hours=settings.NEWSLETTER_CONFIRM_RESEND_HOURS)
    return last is None or now - last >= wait


def _set_preferences(subscriber: Subscriber, preferences: dict) -> None:
    subscriber.postcode = preferences.get("postcode", "") or ""
    subscriber.province = _province_of(subscriber.postcode)
    subscriber.radius_km = preferences.get("radius_km") or None
    subscriber.ages = sorted({int(a) for a in preferences.get("ages", [])})
    subscriber.themes = sorted(set(preferences.get("themes", [])))
    subscriber.frequency = preferences.get("frequency") or subscriber.frequency


@transaction.atomic
def subscriber_sign_up(*, email: str, language: str, preferences: dict, ip: str) -> None:
    """A parent asks for the newsletter. Whatever the address's state, the caller shows the
    same answer ("check your mailbox"), so the page never tells whether it is known.

    New (or unsubscribed) addresses get a confirmation link; a waiting one gets it again at
    most once per ``NEWSLETTER_CONFIRM_RESEND_HOURS``; an active one a reminder with its
    preferences link at most as often; a bounced one nothing.
    """
    email = normalise_email(email)
    if _rate_limited(address_hash(ip)):
        raise ValidationError(
            _("Too many sign-ups from your connection. Try again in an hour."),
            code="rate_limited",
        )
    now = timezone.now()
    subscriber = (
        Subscriber.objects.select_for_update()
        .filter(audience=Audience.PARENTS, email=email)
        .first()
    )
    if subscriber is None:
        subscriber = Subscriber(
            audience=Audience.PARENTS, email=email, source=Subscriber.Source.SIGNUP
        )
    elif subscriber.status == Status.BOUNCED or not _may_mail_again(subscriber, now):
        return
    if subscriber.status == Status.ACTIVE:
        subscriber.confirmation_sent_at = now
        subscriber.save(update_fields=["confirmation_sent_at", "updated_at"])
        mails.send_already_subscribed(subscriber)
        return
    subscriber.status = Status.PENDING
    subscriber.language = language
    subscriber.confirmation_sent_at = now
    _set_preferences(subscriber, preferences)
    subscriber.save()
    _consent(subscriber, Consent.Action.REQUESTED, ip)
    mails.send_confirmation(subscriber)


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber, ip: str) -> bool:
    """The parent clicked the link in the confirmation mail; False if nothing was waiting."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != Status.PENDING:
        return False
    subscriber.status = Status.ACTIVE
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at", "updated_at"])
    _consent(subscriber, Consent.Action.CONFIRMED, ip)
    return True


@transaction.atomic
def subscriber_update_preferences(
    *, subscriber: Subscriber, preferences: dict, language: str
) -> Subscriber:
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.audience == Audience.PARENTS:
        _set_preferences(subscriber, preferences)
    if language in dict(settings.LANGUAGES):
        subscriber.language = language
    subscriber.save()
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(
    *, subscriber: Subscriber, ip: str | None, issue_id: int | None = None
) -> bool:
    """Unsubscribe (the RFC 8058 one-click POST or the confirm page); False if already off.

    Mail of a send that is still running no longer goes to this address (each batch picks
    only active subscribers)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status not in (Status.ACTIVE, Status.PENDING):
        return False
    now = timezone.now()
    subscriber.status = Status.UNSUBSCRIBED
    subscriber.unsubscribed_at = now
    subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    _consent(subscriber, Consent.Action.WITHDRAWN, ip)
    if issue_id:
        Delivery.objects.filter(
            issue_id=issue_id, subscriber=subscriber, unsubscribed_at__isnull=True
        ).update(unsubscribed_at=now)
    return True


@transaction.atomic
def subscriber_resubscribe(*, subscriber: Subscriber, ip: str | None) -> bool:
    """Subscribe again from a link in a mail (which proves the address): active at once."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status != Status.UNSUBSCRIBED:
        return False
    subscriber.status = Status.ACTIVE
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    _consent(subscriber, Consent.Action.RENEWED, ip)
    return True


def subscribers_sync_directory(*, actor=None) -> dict[str, int]:
    """Bring the academies' newsletter in line with the directory: coordinators and members
    of active academies, partnerships and gangmakers. Who opted out stays out; who left the
    directory stops getting it (``left``) and comes back if they return."""
    from stemnet.organisations.selectors import directory_people

    people = {
        normalise_email(email): (uid, lang)
        for uid, email, lang in directory_people(DIRECTORY_TYPES)
    }
    counts = {"added": 0, "returned": 0, "left": 0}
    with transaction.atomic():
        existing = {
            s.email: s
            for s in Subscriber.objects.select_for_update().filter(audience=Audience.ACADEMIES)
        }
        new = []
        for email, (user_id, language) in people.items():
            subscriber = existing.get(email)
            if subscriber is None:
                new.append(
                    Subscriber(
                        audience=Audience.ACADEMIES,
                        email=email,
                        user_id=user_id,
                        language=language or "nl",
                        source=Subscriber.Source.DIRECTORY,
                        status=Status.ACTIVE,
                    )
                )
            elif subscriber.status == Status.LEFT:
                subscriber.status = Status.ACTIVE
                subscriber.save(update_fields=["status", "updated_at"])
                counts["returned"] += 1
        Subscriber.objects.bulk_create(new)
        counts["added"] = len(new)
        gone = [
            s.pk
            for email, s in existing.items()
            if email not in people
            and s.source == Subscriber.Source.DIRECTORY
            and s.status == Status.ACTIVE
        ]
        counts["left"] = Subscriber.objects.filter(pk__in=gone).update(status=Status.LEFT)
        if actor is not None:
            audit.record(actor, "newsletters.subscriber.synced", actor=actor, data=counts)
    return counts


def subscriber_record_bounce(*, email: str, reason: str) -> int:
    """A hard bounce (a permanent SMTP refusal, a bounce report): no more mail to the address
    on either newsletter. Returns how many subscriptions were stopped."""
    email = normalise_email(email)
    stopped = Subscriber.objects.filter(email=email).exclude(status=Status.BOUNCED)
    count = stopped.update(status=Status.BOUNCED, updated_at=timezone.now())
    if count:
        logger.info("Newsletter address bounced (%s subscriptions stopped): %s", count, reason)
    return count
