"""Factories and helpers for reach tests (also usable by the views/exports tests)."""

import datetime as dt
import pathlib

import factory
from django.utils import timezone

from stemnet.accounts.tests.factories import UserFactory, activate_totp
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory
from stemnet.places.models import Municipality
from stemnet.reach.models import Kind, Participation, Source

DATA = pathlib.Path(__file__).resolve().parent / "data"
HISTORY_CSV = DATA / "history.csv"


def municipality_of(nis_code: str, vintage: str = Municipality.Vintage.V2019) -> Municipality:
    return Municipality.objects.get(nis_code=nis_code, vintage=vintage)


def moment(year: int, month: int = 3, day: int = 10, hour: int = 14) -> dt.datetime:
    """An aware moment, Brussels time."""
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def held_activity(*, year: int = 2025, **kwargs):
    """A published agenda activity with one session in ``year`` (default: Mechelen)."""
    kwargs.setdefault("sessions", [(moment(year), moment(year, hour=16))])
    return ActivityFactory(**kwargs)


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A history-style participation row (no agenda activity) in Mechelen 2020."""

    class Meta:
        model = Participation

    history_activity_name = factory.Sequence(lambda n: f"Historische reeks {n}")
    year = 2020
    municipality = factory.LazyAttribute(
        lambda o: Municipality.objects.get(
            nis_code="12025",
            vintage=Municipality.Vintage.V2019 if o.year < 2025 else Municipality.Vintage.V2025,
        )
    )
    organisation = factory.SubFactory(OrganisationFactory)
    kind = Kind.SERIES
    age_min = 8
    age_max = 12
    participants = 20
    girls = 10
    source = Source.HISTORY


def coordinator_of(organisation: Organisation):
    """A user who coordinates ``organisation``."""
    return MembershipFactory(organisation=organisation).user


def vlaio_user():
    """A member of a VLAIO organisation, with an authenticator (as the MFA middleware wants)."""
    vlaio = OrganisationFactory(name="VLAIO test", type=Organisation.Type.VLAIO)
    user = UserFactory()
    MembershipFactory(user=user, organisation=vlaio, role="member")
    activate_totp(user)
    return user
