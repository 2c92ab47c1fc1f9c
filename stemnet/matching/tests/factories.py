import secrets

from stemnet.matching.models import CompanyRequest, Introduction
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.places import selectors as places


def company_request(**kwargs) -> CompanyRequest:
    """A request from Ghent (postcode 9000), as the intake form stores it."""
    postcode = kwargs.pop("postcode", "9000")
    point = places.point_for_postcode(postcode)
    themes = kwargs.pop("themes", [])
    values = {
        "company_name": "Demo NV",
        "contact_name": "An Peeters",
        "email": "an@example.org",
        "kind": CompanyRequest.Kind.VISIT,
        "description": "Wij ontvangen graag een groep.",
        "postcode": postcode,
        "municipality": places.municipality_for_postcode(postcode),
        "lat": point.lat,
        "lon": point.lon,
        "submission_key": secrets.token_urlsafe(16),
    } | kwargs
    request = CompanyRequest.objects.create(**values)
    request.themes.set(themes)
    return request


def academy_in(postcode: str, **kwargs) -> Organisation:
    return OrganisationFactory(
        type=Organisation.Type.ACADEMY,
        municipality=places.municipality_for_postcode(postcode),
        postcode=postcode,
        email=kwargs.pop("email", f"academy{postcode}@example.org"),
        **kwargs,
    )


def introduction(request: CompanyRequest, academy: Organisation) -> Introduction:
    return Introduction.objects.create(request=request, academy=academy)
