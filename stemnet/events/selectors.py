"""Reads of the events module, shared by pages, API and exports."""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from stemnet.events.models import Event, Feedback, Registration, TrainingTopic
from stemnet.organisations import selectors as organisations
from stemnet.organisations.models import Organisation

HOLD = Q(registrations__status__in=Registration.HOLDING)


def events_public(*, past: bool = False) -> QuerySet[Event]:
    now = timezone.now()
    events = (
        Event.objects.published()
        .select_related("organiser")
        .annotate(taken=Count("registrations", filter=HOLD))
    )
    if past:
        return events.filter(ends_at__lt=now).order_by("-starts_at")
    return events.filter(ends_at__gte=now).order_by("starts_at")


def event_get(slug: str, *, user=None) -> Event:
    """A published event, or an unpublished one for its organiser."""
    event = Event.objects.select_related("organiser").get(slug=slug)
    if not event.is_published and not may_manage(user, event):
        raise Event.DoesNotExist
    return event


def may_manage(user, event: Event) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or organisations.is_member(user, event.organiser)


def events_managed_by(user) -> QuerySet[Event]:
    if getattr(user, "is_superuser", False):
        return Event.objects.all()
    return Event.objects.filter(organiser__in=organisations.organisations_for_user(user))


def registrations_of(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(Q(person=user) | Q(email__iexact=user.email))
        .select_related("event", "organisation")
        .prefetch_related("tracks")
        .order_by("-event__starts_at")
    )


def registrations_registered_by(user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(registered_by=user)
        .exclude(Q(person=user) | Q(email__iexact=user.email))
        .select_related("event", "organisation")
        .order_by("-event__starts_at", "name")
    )


def participants(event: Event) -> QuerySet[Registration]:
    return (
        event.registrations.select_related("organisation")
        .prefetch_related("tracks")
        .order_by("status", "name")
    )


def trainer_path(user) -> list[dict]:
    """The train-the-trainer steps in order: done (checked in), planned, or next to take."""
    done = set(
        registrations_of(user)
        .filter(checked_in_at__isnull=False, event__trainer_step__gt="")
        .values_list("event__trainer_step", flat=True)
    )
    planned = set(
        registrations_of(user)
        .filter(
            status__in=Registration.ACTIVE, checked_in_at__isnull=True, event__trainer_step__gt=""
        )
        .values_list("event__trainer_step", flat=True)
    )
    steps, next_found = [], False
    for value, label in Event.TrainerStep.choices:
        state = "done" if value in done else "planned" if value in planned else "open"
        upcoming = None
        if state == "open" and not next_found:
            next_found = True
            state = "next"
            upcoming = events_public().filter(trainer_step=value).first()
        steps.append({"step": value, "label": label, "state": state, "upcoming": upcoming})
    return steps


def feedback_summary(event: Event) -> dict:
    rows = Feedback.objects.filter(registration__event=event)
    return {
        "count": rows.count(),
        "average": rows.aggregate(avg=Avg("rating"))["avg"],
        "learned": list(rows.values_list("learned", flat=True)[:200]),
        "suggestions": [s for s in rows.values_list("suggestion", flat=True)[:200] if s],
    }


def topics_of(organiser: Organisation) -> QuerySet[TrainingTopic]:
    return organiser.training_topics.annotate(needs_count=Count("needs")).order_by(
        "-needs_count", "title"
    )


def partnerships_coordinated_by(user) -> QuerySet[Organisation]:
    return organisations.organisations_for_user(user, role="coordinator").filter(
        type=Organisation.Type.PARTNERSHIP
    )
