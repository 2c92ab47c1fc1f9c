import datetime as dt

import factory
from django.utils import timezone

from stemnet.agenda.models import Activity, Domain, Session
from stemnet.agenda.search import activity_reindex
from stemnet.organisations.tests.factories import OrganisationFactory, municipality


def in_days(days: int, hour: int = 14) -> dt.datetime:
    """An aware moment ``days`` from today at ``hour`` o'clock, Brussels time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class ActivityFactory(factory.django.DjangoModelFactory):
    """A published activity in Mechelen with one session a week from now, indexed.

    ``sessions=[(start, end), ...]`` replaces the default session; ``sessions=[]`` gives none.
    ``domains``/``themes``/``accessibility`` take slugs or objects.
    """

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"STEM-activiteit {n}")
    description = "Samen bouwen, onderzoeken en ontdekken."
    kind = Activity.Kind.WORKSHOP
    age_min = 8
    age_max = 12
    organiser = factory.SubFactory(OrganisationFactory)
    postcode = "2800"
    municipality = factory.LazyFunction(municipality)
    lat = factory.LazyAttribute(lambda o: o.municipality.lat)
    lon = factory.LazyAttribute(lambda o: o.municipality.lon)
    venue_name = "Technopolis"
    street = "Technologielaan 1"
    price = 0
    status = Activity.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    booking_url = "https://tickets.example.org/stem"

    @factory.post_generation
    def domains(self, create, extracted, **kwargs):
        if not create:
            return
        self.domains.set(_vocab(Domain, extracted if extracted is not None else ["technology"]))

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            from stemnet.agenda.models import Theme

            self.themes.set(_vocab(Theme, extracted))

    @factory.post_generation
    def accessibility(self, create, extracted, **kwargs):
        if create and extracted:
            from stemnet.agenda.models import AccessibilityFeature

            self.accessibility.set(_vocab(AccessibilityFeature, extracted))

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        if not create:
            return
        spans = extracted if extracted is not None else [(in_days(7), in_days(7, 16))]
        Session.objects.bulk_create(
            [Session(activity=self, starts_at=start, ends_at=end) for start, end in spans]
        )
        activity_reindex([self.pk])
        self.refresh_from_db()


def _vocab(model, values):
    slugs = [v for v in values if isinstance(v, str)]
    objects = [v for v in values if not isinstance(v, str)]
    return objects + list(model.objects.filter(slug__in=slugs))


class SessionFactory(factory.django.DjangoModelFactory):
    """A session; call ``activity_reindex([activity.pk])`` after adding sessions this way."""

    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory, sessions=[])
    starts_at = factory.LazyFunction(lambda: in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
