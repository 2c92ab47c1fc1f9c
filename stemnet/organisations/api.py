"""Public read API of the directory: /api/v1/organisations."""

from typing import Literal

from django.conf import settings
from ninja import Field, Query, Router, Schema

from stemnet.organisations import selectors
from stemnet.organisations.models import Organisation

router = Router(tags=["organisations"])

MAX_PAGE_SIZE = 100

# Inline enum in the OpenAPI document (a class named "Type" would collide with other apps').
OrganisationType = Literal[tuple(Organisation.Type.values)]  # type: ignore[valid-type]


class MunicipalityOut(Schema):
    nis_code: str
    name: str = Field(..., alias="name_nl")


class OrganisationSummaryOut(Schema):
    slug: str
    name: str
    type: OrganisationType
    type_label: str
    municipality: MunicipalityOut | None
    municipalities_served_count: int
    url: str
    is_demo: bool

    @staticmethod
    def resolve_type_label(obj) -> str:
        return str(obj.get_type_display())

    @staticmethod
    def resolve_municipalities_served_count(obj) -> int:
        return getattr(obj, "served_count", None) or obj.municipalities_served.count()

    @staticmethod
    def resolve_url(obj) -> str:
        return settings.SITE_URL + obj.get_absolute_url()


class OrganisationPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[OrganisationSummaryOut]


class PartnerOut(Schema):
    slug: str
    name: str
    role: str
    role_label: str


class OrganisationOut(OrganisationSummaryOut):
    description: str
    street: str
    postcode: str
    website: str
    email: str
    phone: str
    contact_name: str
    logo: str | None
    logo_alt: str
    municipalities_served: list[MunicipalityOut]
    partners: list[PartnerOut]
    partnerships: list[PartnerOut]

    @staticmethod
    def resolve_logo(obj) -> str | None:
        return obj.logo.url if obj.logo else None

    @staticmethod
    def resolve_municipalities_served(obj) -> list:
        return list(obj.municipalities_served.all())

    @staticmethod
    def resolve_municipalities_served_count(obj) -> int:
        return len(obj.municipalities_served.all())

    @staticmethod
    def resolve_partners(obj) -> list[dict]:
        return [
            {
                "slug": link.member.slug,
                "name": link.member.name,
                "role": link.role,
                "role_label": str(link.get_role_display()),
            }
            for link in obj.partners.all()
        ]

    @staticmethod
    def resolve_partnerships(obj) -> list[dict]:
        return [
            {
                "slug": link.partnership.slug,
                "name": link.partnership.name,
                "role": link.role,
                "role_label": str(link.get_role_display()),
            }
            for link in obj.partnerships.all()
        ]


class OrganisationFilters(Schema):
    q: str = Field("", description="Part of the name (case-insensitive).")
    type: list[OrganisationType] = Field(
        default_factory=list, description="Organisation type; repeat for several."
    )
    municipality: str = Field(
        "", description="NIS code of a municipality where the organisation is active."
    )
    postcode: str = Field("", description="A Belgian postcode where the organisation is active.")
    page: int = Field(1, ge=1, le=10_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


@router.get("", response=OrganisationPage, summary="Search the directory of organisations")
def organisation_list(request, filters: Query[OrganisationFilters]):
    """Active organisations by name, type and where they are active (address or served).

    An unknown postcode gives 422 with the reason.
    """
    results = selectors.organisation_search(
        q=filters.q,
        types=list(filters.type),
        municipality_nis=filters.municipality,
        postcode=filters.postcode,
    )
    start = (filters.page - 1) * filters.page_size
    return {
        "count": results.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "results": list(results[start : start + filters.page_size]),
    }


@router.get("/{slug}", response=OrganisationOut, summary="One organisation")
def organisation_detail(request, slug: str):
    return selectors.organisation_get(slug)
