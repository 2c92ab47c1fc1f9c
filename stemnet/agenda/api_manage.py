"""Write API for an organisation's own activities, authenticated by an organisation API token.

Send ``Authorization: Bearer <token>`` (made by a coordinator under /agenda/beheer/api-sleutels/).
No or a wrong/revoked token: 401. Another organisation's activity: 403. Bad input: 422 with the
reasons. Session times without a UTC offset are Belgian time (Europe/Brussels).
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer

from stemnet.agenda import services
from stemnet.agenda.models import AccessibilityFeature, Activity, ApiToken, Domain, Session, Theme
from stemnet.agenda.rules import is_organisation_coordinator
from stemnet.organisations.models import Organisation


class OrganisationToken(HttpBearer):
    """An active, unexpired ApiToken with ``scope`` whose maker still coordinates its
    organisation."""

    openapi_scheme = "bearer"

    def __init__(self, scope: str = ApiToken.Scope.ACTIVITIES):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token: str):
        if not token or len(token) > 200:
            return None
        api_token = (
            ApiToken.objects.select_related("organisation", "user")
            .filter(key_hash=services.token_hash(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        if api_token.expires_at is not None and api_token.expires_at <= timezone.now():
            return None
        if self.scope not in api_token.scopes:
            return None
        if not is_organisation_coordinator(api_token.user, api_token.organisation):
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        return api_token


router = Router(tags=["agenda: own activities"], auth=OrganisationToken())


# --- schemas ---------------------------------------------------------------------------------


class SessionIn(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


class SessionOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime


class ActivityIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    kind: Activity.Kind
    domains: list[str] = Field(..., min_length=1, description="Codes: science, technology, …")
    themes: list[str] = Field(default_factory=list)
    accessibility: list[str] = Field(default_factory=list)
    age_min: int = Field(..., ge=0, le=100)
    age_max: int = Field(..., ge=0, le=100)
    venue_name: str = Field("", max_length=200)
    street: str = Field("", max_length=200)
    postcode: str = Field("", max_length=4, description="Empty: the organisation's address.")
    price: Decimal = Decimal("0")
    price_reduced: Decimal | None = None
    capacity: int | None = Field(None, ge=0, le=100_000)
    places_left: int | None = Field(None, ge=0, le=100_000)
    subsidised: bool = False
    booking_url: str = Field("", max_length=200)
    booking_email: str = Field("", max_length=254)
    sessions: list[SessionIn] = Field(default_factory=list, max_length=500)


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class ActivityOut(Schema):
    id: int
    title: str
    slug: str
    status: Activity.Status
    cancel_reason: str
    published_at: dt.datetime | None
    kind: Activity.Kind
    description: str
    domains: list[str]
    themes: list[str]
    accessibility: list[str]
    age_min: int
    age_max: int
    venue_name: str
    street: str
    postcode: str
    municipality: str = Field(..., description="NIS code")
    lat: float
    lon: float
    price: Decimal
    price_reduced: Decimal | None
    capacity: int | None
    places_left: int | None
    subsidised: bool
    booking_url: str
    booking_email: str
    source: Activity.Source
    sessions: list[SessionOut]
    manage_url: str

    @staticmethod
    def resolve_domains(obj) -> list[str]:
        return [d.slug for d in obj.domains.all()]

    @staticmethod
    def resolve_themes(obj) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_accessibility(obj) -> list[str]:
        return [a.slug for a in obj.accessibility.all()]

    @staticmethod
    def resolve_municipality(obj) -> str:
        return obj.municipality.nis_code

    @staticmethod
    def resolve_sessions(obj) -> list:
        return list(obj.sessions.all())

    @staticmethod
    def resolve_manage_url(obj) -> str:
        from django.urls import reverse

        return settings.SITE_URL + reverse("agenda:activity_edit", kwargs={"pk": obj.pk})


# --- helpers ---------------------------------------------------------------------------------


def _terms(model, field: str, slugs: list[str]) -> list:
    wanted = list(dict.fromkeys(s.strip() for s in slugs))
    found = {t.slug: t for t in model.objects.filter(slug__in=wanted)}
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise ValidationError(
            {
                field: _("Unknown code(s) %(codes)s. Known codes: %(known)s.")
                % {
                    "codes": ", ".join(unknown),
                    "known": ", ".join(model.objects.values_list("slug", flat=True)),
                }
            }
        )
    return [found[s] for s in wanted]


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment, services.BRUSSELS) if timezone.is_naive(moment) else moment


def _data(payload: ActivityIn) -> dict:
    data = payload.dict()
    for key, value in data.items():
        if isinstance(value, str) and "\x00" in value:
            raise ValidationError({key: _("Text may not contain null characters.")})
    data["domains"] = _terms(Domain, "domains", payload.domains)
    data["themes"] = _terms(Theme, "themes", payload.themes)
    data["accessibility"] = _terms(AccessibilityFeature, "accessibility", payload.accessibility)
    data["sessions"] = [(_aware(s.starts_at), _aware(s.ends_at)) for s in payload.sessions]
    data["kind"] = str(payload.kind.value if hasattr(payload.kind, "value") else payload.kind)
    return data


def _queryset():
    return Activity.objects.select_related("municipality", "organiser").prefetch_related(
        "domains",
        "themes",
        "accessibility",
        Prefetch("sessions", queryset=Session.objects.order_by("starts_at")),
    )


def _organisation(request, slug: str) -> Organisation:
    organisation = get_object_or_404(Organisation, slug=slug)
    if organisation.pk != request.auth.organisation_id:
        raise PermissionDenied(_("This token belongs to another organisation."))
    return organisation


def _own_activity(request, activity_id: int) -> Activity:
    activity = get_object_or_404(_queryset(), pk=activity_id)
    if activity.organiser_id != request.auth.organisation_id:
        raise PermissionDenied(_("This activity belongs to another organisation."))
    return activity


def _fresh(activity: Activity) -> Activity:
    return _queryset().get(pk=activity.pk)


ERRORS = {401: dict, 403: dict, 404: dict, 422: dict}


# --- endpoints -------------------------------------------------------------------------------


@router.get(
    "/organisations/{slug}/activities",
    response=list[ActivityOut],
    summary="List the organisation's own activities (drafts too)",
)
@paginate
def organisation_activities(request, slug: str, status: Activity.Status | None = None):
    organisation = _organisation(request, slug)
    qs = _queryset().filter(organiser=organisation).order_by("-updated_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    return qs


@router.post(
    "/organisations/{slug}/activities",
    response={201: ActivityOut, **ERRORS},
    summary="Create a draft activity",
)
def organisation_activity_create(request, slug: str, payload: ActivityIn):
    organisation = _organisation(request, slug)
    activity = services.activity_create(
        organisation=organisation, actor=request.auth.user, data=_data(payload)
    )
    return Status(201, _fresh(activity))


@router.get(
    "/manage/activities/{activity_id}",
    response={200: ActivityOut, **ERRORS},
    summary="One of the organisation's own activities (any status)",
)
def manage_activity(request, activity_id: int):
    return _own_activity(request, activity_id)


@router.put(
    "/manage/activities/{activity_id}",
    response={200: ActivityOut, **ERRORS},
    summary="Replace an activity (its sessions too)",
)
def manage_activity_update(request, activity_id: int, payload: ActivityIn):
    activity = _own_activity(request, activity_id)
    services.activity_update(activity=activity, actor=request.auth.user, data=_data(payload))
    return _fresh(activity)


@router.post(
    "/manage/activities/{activity_id}/publish",
    response={200: ActivityOut, **ERRORS},
    summary="Publish (needs a session and a domain)",
)
def manage_activity_publish(request, activity_id: int):
    activity = _own_activity(request, activity_id)
    services.activity_publish(activity=activity, actor=request.auth.user)
    return _fresh(activity)


@router.post(
    "/manage/activities/{activity_id}/cancel",
    response={200: ActivityOut, **ERRORS},
    summary="Cancel with a reason",
)
def manage_activity_cancel(request, activity_id: int, payload: CancelIn):
    activity = _own_activity(request, activity_id)
    if "\x00" in payload.reason:
        raise ValidationError({"reason": _("Text may not contain null characters.")})
    services.activity_cancel(activity=activity, actor=request.auth.user, reason=payload.reason)
    return _fresh(activity)


@router.post(
    "/manage/activities/{activity_id}/archive",
    response={200: ActivityOut, **ERRORS},
    summary="Archive",
)
def manage_activity_archive(request, activity_id: int):
    activity = _own_activity(request, activity_id)
    services.activity_archive(activity=activity, actor=request.auth.user)
    return _fresh(activity)
