"""Factories of the lending service: a hub open every day 08:00-20:00, items with units."""

import datetime as dt

import factory
from django.utils import timezone

from stemnet.lending.models import Hub, Item, OpeningHours, Unit
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub
        skip_postgeneration_save = True

    organisation = factory.SubFactory(
        OrganisationFactory,
        type=Organisation.Type.GANGMAKER,
        name=factory.Sequence(lambda n: f"STEMhub Test {n}"),
    )
    max_loan_days = 28

    @factory.post_generation
    def hours(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted is not False:
            OpeningHours.objects.bulk_create(
                OpeningHours(hub=obj, weekday=d, opens=dt.time(8), closes=dt.time(20))
                for d in range(7)
            )


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item
        skip_postgeneration_save = True

    hub = factory.SubFactory(HubFactory)
    name = factory.Sequence(lambda n: f"Robotkit {n}")
    description = "Een kit met robots om te programmeren."
    buffer_days = 1

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            for i in range(1 if extracted is None else extracted):
                Unit.objects.create(item=obj, code=f"U{i + 1:02d}")


def at(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment ``days`` from today at hour:minute, Belgian time."""
    date = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))
