"""Reach API under /api/v1/reach.

* ``GET /summary?year=2020`` (optional ``province``, ``partnership`` (slug), ``organisation``
  (slug), ``kind``, ``theme``): the headline figures of ``selectors.reach_summary``. Public:
  only aggregate counts, and counts of children under ``settings.REACH_SMALL_CELL`` are
  null (``reach.disclosure``: small cells and their complements, listed in ``suppressed``).
  ``demo`` is true while demo data is loaded.
* ``GET|PUT|DELETE /activities/{id}/participation?year=``: a coordinator's participation of
  their own activity, authenticated with the agenda's organisation API token
  (``Authorization: Bearer <token>``). No or a bad token: 401; another organisation's
  activity: 403; bad rows: 422 naming row and field.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from stemnet.agenda.api_manage import OrganisationToken
from stemnet.agenda.models import Activity, ApiToken
from stemnet.core.selectors import demo_data_loaded
from stemnet.places.selectors import province_exists
from stemnet.reach import disclosure, selectors, services
from stemnet.reach.models import FIRST_YEAR, LAST_YEAR, Kind, Source

router = Router(tags=["reach"])


class ProvinceCount(Schema):
    province: str
    reached: int
    total: int


class MunicipalityCounts(Schema):
    reached: int
    total: int
    by_province: list[ProvinceCount]


class BrusselsCounts(Schema):
    reached: int
    series_reached: int
    total: int


class SummaryOut(Schema):
    demo: bool = Field(
        ..., description="true while the site is loaded with demo data: not real figures"
    )
    year: int
    vintage: str
    municipalities: MunicipalityCounts
    series_municipalities: MunicipalityCounts
    brussels: BrusselsCounts
    participants: int | None
    girls: int | None
    boys: int | None
    gender_x: int | None
    gender_unknown: int | None
    girls_share: float | None
    attendances: int | None
    activities: int
    series: int
    uitpas: int | None
    suppressed: list[str] = Field(
        ...,
        description="counts of children hidden (null): from 1 to small_cell - 1, and one more "
        "where the hidden one could be worked out from the total",
    )
    small_cell: int = Field(..., description="counts below this are hidden")


def _check_filters(province, partnership, organisation, kind, theme):
    from stemnet.organisations.models import Organisation

    if province and not (
        province.strip().lower() in selectors.BRUSSELS_NAMES or province_exists(province)
    ):
        raise ValidationError({"province": _("Unknown province “%(p)s”.") % {"p": province}})
    if (
        partnership
        and not Organisation.objects.filter(
            slug=partnership, type=Organisation.Type.PARTNERSHIP
        ).exists()
    ):
        raise ValidationError(
            {"partnership": _("Unknown partnership “%(s)s”.") % {"s": partnership}}
        )
    if organisation and not Organisation.objects.filter(slug=organisation).exists():
        raise ValidationError(
            {"organisation": _("Unknown organisation “%(s)s”.") % {"s": organisation}}
        )
    if kind and kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown kind “%(k)s”.") % {"k": kind}})
    if theme:
        from stemnet.agenda.models import Theme

        if not Theme.objects.filter(slug=theme).exists():
            raise ValidationError({"theme": _("Unknown theme “%(t)s”.") % {"t": theme}})


@router.get("/summary", response=SummaryOut, auth=None, summary="Reach figures of a year")
def summary(
    request,
    year: int = Query(..., ge=FIRST_YEAR, le=LAST_YEAR),
    province: str = "",
    partnership: str = "",
    organisation: str = "",
    kind: str = "",
    theme: str = "",
):
    _check_filters(province, partnership, organisation, kind, theme)
    figures = selectors.reach_summary(
        year=year,
        province=province or None,
        partnership=partnership or None,
        organisation=organisation or None,
        kind=kind or None,
        theme=theme or None,
    )
    return {"demo": demo_data_loaded(), **disclosure.public_summary(figures)}


# --- coordinators: participation of their own activities ------------------------------------


class RowIn(Schema):
    age: int | None = Field(None, description="5-18; empty when not recorded")
    residence: str = Field("", max_length=5, description="Postcode or NIS code")
    target_group: str = Field("", max_length=50, description="e.g. uitpas")
    participants: int = Field(..., ge=0, le=1_000_000)
    girls: int = Field(0, ge=0, le=1_000_000)
    boys: int = Field(0, ge=0, le=1_000_000)
    x: int = Field(0, ge=0, le=1_000_000)


class ParticipationIn(Schema):
    rows: list[RowIn] = Field(..., max_length=2000)
    session_attendances: dict[int, int] | None = Field(
        None, description="{session id: attendances}; their sum is the activity's attendances"
    )


class BreakdownOut(Schema):
    dimension: str
    age: int | None
    residence: str | None
    target_group: str | None
    count: int


class ParticipationOut(Schema):
    activity: int
    year: int
    municipality: str
    participants: int
    girls: int
    boys: int
    gender_x: int
    attendances: int | None
    breakdown: list[BreakdownOut]
    session_attendances: dict[int, int]


def _out(participation) -> dict:
    return {
        "activity": participation.activity_id,
        "year": participation.year,
        "municipality": participation.municipality.nis_code,
        "participants": participation.participants,
        "girls": participation.girls,
        "boys": participation.boys,
        "gender_x": participation.gender_x,
        "attendances": participation.attendances,
        "breakdown": [
            {
                "dimension": b.dimension,
                "age": b.age,
                "residence": b.residence.nis_code if b.residence_id else None,
                "target_group": b.target_group.slug if b.target_group_id else None,
                "count": b.count,
            }
            for b in participation.breakdown.select_related("residence", "target_group")
        ],
        "session_attendances": {
            s.session_id: s.attendances for s in participation.session_attendances.all()
        },
    }


def _own_activity(request, activity_id: int) -> Activity:
    activity = get_object_or_404(Activity, pk=activity_id)
    if activity.organiser_id != request.auth.organisation_id:
        raise PermissionDenied(_("This activity belongs to another organisation."))
    return activity


@router.get(
    "/activities/{activity_id}/participation",
    response=ParticipationOut,
    auth=OrganisationToken(ApiToken.Scope.PARTICIPATION),
    summary="Participation of an own activity in a year",
)
def participation_read(request, activity_id: int, year: int):
    activity = _own_activity(request, activity_id)
    participation = selectors.participation_get(activity=activity, year=year)
    if participation is None:
        from django.http import Http404

        raise Http404(_("No participation recorded for this activity in %(y)s.") % {"y": year})
    return _out(participation)


@router.put(
    "/activities/{activity_id}/participation",
    response=ParticipationOut,
    auth=OrganisationToken(ApiToken.Scope.PARTICIPATION),
    summary="Replace the participation of an own activity in a year",
)
def participation_write(
    request, activity_id: int, payload: ParticipationIn, year: int | None = None
):
    activity = _own_activity(request, activity_id)
    participation = services.participation_record(
        activity=activity,
        actor=request.auth.user,
        rows=[row.dict() for row in payload.rows],
        year=year,
        session_attendances=payload.session_attendances,
        source=Source.API,
    )
    return _out(participation)


@router.delete(
    "/activities/{activity_id}/participation",
    response={204: None},
    auth=OrganisationToken(ApiToken.Scope.PARTICIPATION),
    summary="Remove the participation of an own activity in a year",
)
def participation_remove(request, activity_id: int, year: int):
    activity = _own_activity(request, activity_id)
    participation = selectors.participation_get(activity=activity, year=year)
    if participation is None:
        from django.http import Http404

        raise Http404(_("No participation recorded for this activity in %(y)s.") % {"y": year})
    services.participation_delete(participation=participation, actor=request.auth.user)
    return Status(204, None)
