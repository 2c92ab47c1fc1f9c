import datetime as dt

import factory
from django.utils import timezone

from stemnet.events.models import Event, Registration, Track
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory


def soon(days: int = 10, hour: int = 19) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organiser = factory.SubFactory(OrganisationFactory, type=Organisation.Type.GANGMAKER)
    kind = Event.Kind.TRAINING
    trainer_step = Event.TrainerStep.BASIS
    title = factory.Sequence(lambda n: f"Basissessie Wat is STEM? {n}")
    slug = factory.Sequence(lambda n: f"basissessie-{n}")
    starts_at = factory.LazyFunction(soon)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    hours = 3
    venue_name = "Campus Kruidtuin"
    postcode = "2800"
    locality = "Mechelen"
    capacity = 2
    registration_deadline = factory.LazyAttribute(lambda o: o.starts_at - dt.timedelta(hours=2))
    cancellation_deadline = factory.LazyAttribute(lambda o: o.starts_at - dt.timedelta(days=1))
    is_published = True


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    event = factory.SubFactory(EventFactory)
    kind = Track.Kind.PARALLEL
    title = factory.Sequence(lambda n: f"Rondetafel {n}")
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    capacity = 1


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Deelnemer {n}")
    email = factory.Sequence(lambda n: f"deelnemer{n}@example.org")
    status = Registration.Status.CONFIRMED
