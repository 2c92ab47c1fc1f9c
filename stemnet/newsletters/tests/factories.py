import factory

from stemnet.newsletters.models import Audience, Block, Issue, Subscriber
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory


class SubscriberFactory(factory.django.DjangoModelFactory):
    """An active parent subscriber near Mechelen (2800) with children of 8 and 10."""

    class Meta:
        model = Subscriber

    audience = Audience.PARENTS
    email = factory.Sequence(lambda n: f"ouder{n}@example.org")
    status = Subscriber.Status.ACTIVE
    source = Subscriber.Source.SIGNUP
    postcode = "2800"
    province = "10000"
    radius_km = 10
    ages = factory.LazyFunction(lambda: [8, 10])
    themes = factory.LazyFunction(list)


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue
        skip_postgeneration_save = True

    audience = Audience.PARENTS
    subject = factory.Sequence(lambda n: f"Nieuwsbrief {n}")
    intro = "Dag allemaal!"

    @factory.post_generation
    def text(self, create, extracted, **kwargs):
        if create:
            Block.objects.create(
                issue=self, kind=Block.Kind.TEXT, title="Nieuws", text=extracted or "Hallo."
            )


def gangmaker():
    """A member of a STEM-gangmaker organisation: an editor of the newsletters."""
    org = OrganisationFactory(type=Organisation.Type.GANGMAKER)
    return MembershipFactory(organisation=org, role=Membership.Role.MEMBER).user
