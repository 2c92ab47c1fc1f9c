"""The contact point's API: the queue for VLAIO staff (token), public aggregate figures."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema

from stemnet.agenda.api_manage import OrganisationToken
from stemnet.agenda.models import ApiToken
from stemnet.matching import selectors
from stemnet.matching.models import CompanyRequest
from stemnet.organisations import selectors as org_selectors
from stemnet.organisations.models import Organisation

router = Router(tags=["contact point"])


class StaffToken(OrganisationToken):
    """An API token of VLAIO with the ``contact_point`` scope, made by VLAIO staff."""

    def __init__(self):
        super().__init__(ApiToken.Scope.CONTACT_POINT)

    def authenticate(self, request, token: str):
        api_token = super().authenticate(request, token)
        if api_token is None:
            return None
        if api_token.organisation.type != Organisation.Type.VLAIO:
            return None
        if not org_selectors.is_vlaio_staff(api_token.user):
            return None
        return api_token


class RequestOut(Schema):
    id: int
    company_name: str
    contact_name: str
    email: str
    kind: str
    status: str
    description: str
    postcode: str
    radius_km: int
    academies_wanted: int
    themes: list[str]
    min_age: int | None
    max_age: int | None
    owner: str | None
    received_at: dt.datetime
    sla_due_at: dt.datetime
    sla_overdue: bool
    first_answer_at: dt.datetime | None
    matched_at: dt.datetime | None
    introductions: list[str]
    is_demo: bool


class CountOut(Schema):
    label: str
    count: int


class FiguresOut(Schema):
    total: int
    per_month: list[CountOut]
    per_kind: list[CountOut]
    per_province: list[CountOut]
    median_hours_to_first_answer: float | None
    median_hours_to_match: float | None
    share_matched: float | None


def _out(r: CompanyRequest) -> dict:
    return {
        "id": r.pk,
        "company_name": r.company_name,
        "contact_name": r.contact_name,
        "email": r.email,
        "kind": r.kind,
        "status": r.status,
        "description": r.description,
        "postcode": r.postcode,
        "radius_km": r.radius_km,
        "academies_wanted": r.academies_wanted,
        "themes": [t.slug for t in r.themes.all()],
        "min_age": r.min_age,
        "max_age": r.max_age,
        "owner": r.owner.email if r.owner else None,
        "received_at": r.created_at,
        "sla_due_at": selectors.sla_due(r),
        "sla_overdue": selectors.sla_overdue(r),
        "first_answer_at": r.first_answer_at,
        "matched_at": r.matched_at,
        "introductions": [i.academy.slug for i in r.introductions.all()],
        "is_demo": r.is_demo,
    }


@router.get(
    "/requests",
    response=list[RequestOut],
    auth=StaffToken(),
    summary="The contact point's queue (VLAIO staff token, scope contact_point)",
)
def contact_point_requests(request, status: str = ""):
    if status and status not in CompanyRequest.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    rows = selectors.request_queue(status=status).prefetch_related(
        "themes", "introductions__academy"
    )
    return [_out(r) for r in rows[:1000]]


@router.get(
    "/figures", response=FiguresOut, summary="Public aggregate figures of the contact point"
)
def contact_point_figures(request):
    data = selectors.figures()
    for key in ("per_month", "per_kind", "per_province"):
        data[key] = [{"label": label, "count": count} for label, count in data[key]]
    return data
