import factory
from django.utils.text import slugify

from stemnet.accounts.tests.factories import UserFactory
from stemnet.organisations.models import Membership, Organisation, PartnershipMember
from stemnet.places.models import Municipality


def municipality(nis_code: str = "12025") -> Municipality:
    """A real current municipality from the loaded reference data (default Mechelen)."""
    return Municipality.objects.current().get(nis_code=nis_code)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"STEM-academie Test {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    type = Organisation.Type.ACADEMY
    street = "Teststraat 1"
    postcode = "2800"
    municipality = factory.LazyFunction(municipality)
    email = factory.Sequence(lambda n: f"info{n}@academie.example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.COORDINATOR


class PartnershipMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipMember

    partnership = factory.SubFactory(OrganisationFactory, type=Organisation.Type.PARTNERSHIP)
    member = factory.SubFactory(OrganisationFactory)
    role = PartnershipMember.Role.ACADEMY
