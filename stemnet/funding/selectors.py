"""Reads of rounds, applications, grants and results (views, API, exports and other apps)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from stemnet.funding.models import (
    ZERO,
    Application,
    Decision,
    Grant,
    Report,
    Round,
)
from stemnet.organisations import selectors as org_selectors
from stemnet.organisations.models import Membership, Organisation


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_vlaio_staff(user) -> bool:
    """A programme officer: a VLAIO membership other than reviewer (reviewers see only what
    the scoring component assigns them)."""
    return org_selectors.is_vlaio_staff(user)


def is_round_officer(user, round: Round | None) -> bool:
    """VLAIO staff manage a round; a round with named officers only by them."""
    if round is None or not _authenticated(user):
        return False
    if user.is_superuser:
        return True
    if not is_vlaio_staff(user):
        return False
    officer_ids = list(round.officers.values_list("pk", flat=True))
    return not officer_ids or user.pk in officer_ids


def rounds_managed_by(user) -> QuerySet[Round]:
    if not _authenticated(user):
        return Round.objects.none()
    if user.is_superuser:
        return Round.objects.all()
    if not is_vlaio_staff(user):
        return Round.objects.none()
    return Round.objects.filter(Q(officers__isnull=True) | Q(officers=user)).distinct()


def application_active(round: Round, organisation) -> Application | None:
    """The organisation's application in the round that is not withdrawn (at most one)."""
    return (
        Application.objects.filter(round=round, organisation=organisation)
        .exclude(status=Application.Status.WITHDRAWN)
        .first()
    )


def applicant_organisations(user) -> QuerySet[Organisation]:
    """Organisations the user may apply for: those where they are coordinator."""
    if not _authenticated(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    ).order_by("name")


def is_applicant(user, application: Application | None) -> bool:
    if application is None or not _authenticated(user):
        return False
    return Membership.objects.filter(
        user=user,
        organisation_id=application.organisation_id,
        role=Membership.Role.COORDINATOR,
    ).exists()


def is_assigned_reviewer(user, application: Application | None) -> bool:
    """Assigned through the scoring component and not conflicted (it decides visibility)."""
    if application is None or application.entry_id is None or not _authenticated(user):
        return False
    return user.has_perm("scoring.view_entry", application.entry)


def _reviewable_entries(user):
    from stemnet.scoring import selectors as scoring_selectors

    return (
        scoring_selectors.assignments_visible_to(user)
        .filter(state__in=scoring_selectors.SEEING_STATES)
        .values("entry_id")
    )


def applications_visible_to(user) -> QuerySet[Application]:
    """Applicants: their organisations'; officers: their rounds'; reviewers: assigned ones."""
    if not _authenticated(user):
        return Application.objects.none()
    q = Q(
        organisation__in=Membership.objects.filter(
            user=user, role=Membership.Role.COORDINATOR
        ).values("organisation")
    )
    q |= Q(round__in=rounds_managed_by(user).values("pk"))
    q |= Q(entry__in=_reviewable_entries(user))
    return Application.objects.filter(q).select_related("round", "organisation").distinct()


def applications_of_user(user) -> QuerySet[Application]:
    """What an applicant sees in 'my applications'."""
    return (
        Application.objects.filter(organisation__in=applicant_organisations(user))
        .select_related("round", "organisation")
        .order_by("-created_at")
    )


def round_applications(round: Round, *, status: str = "", q: str = "") -> QuerySet[Application]:
    qs = round.applications.select_related("organisation", "decision").order_by(
        "organisation__name"
    )
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(organisation__name__icontains=q) | Q(title__icontains=q))
    return qs


def round_granted_total(round: Round) -> Decimal:
    return Decision.objects.filter(application__round=round).aggregate(
        s=Coalesce(Sum("amount_granted"), Value(ZERO))
    )["s"]


def rounds_results(now=None) -> list[dict]:
    """The public figures of every closed round; ``demo`` is true for an invented demo round."""
    now = now or timezone.now()
    rounds = (
        Round.objects.closed(now)
        .annotate(
            n_applications=Count(
                "applications",
                filter=~Q(applications__status=Application.Status.DRAFT),
                distinct=True,
            ),
            n_recognised=Count(
                "applications__decision",
                filter=Q(applications__decision__recognised=True),
                distinct=True,
            ),
            n_funded=Count(
                "applications__decision",
                filter=Q(applications__decision__amount_granted__gt=0),
                distinct=True,
            ),
            total=Coalesce(Sum("applications__decision__amount_granted"), Value(ZERO)),
        )
        .order_by("-closes_at", "pk")
    )
    return [
        {
            "id": r.pk,
            "title": r.title,
            "type": r.type,
            "year": r.year,
            "budget": f"{r.budget:.2f}",
            "applications": r.n_applications,
            "recognised": r.n_recognised,
            "funded": r.n_funded,
            "granted_total": f"{Decimal(r.total):.2f}",
            "demo": r.is_demo,
        }
        for r in rounds
    ]


def grants_of_round(round: Round) -> QuerySet[Grant]:
    return (
        Grant.objects.filter(application__round=round)
        .select_related("application__organisation")
        .prefetch_related("tranches", "reports")
    )


def reports_to_approve(user) -> QuerySet[Report]:
    return Report.objects.filter(
        status=Report.Status.SUBMITTED,
        grant__application__round__in=rounds_managed_by(user).values("pk"),
    ).select_related("grant__application__organisation")


def decisions_of_round(round: Round) -> QuerySet[Decision]:
    return Decision.objects.filter(application__round=round).select_related(
        "application__organisation"
    )


def panel_overseen_by(user, panel) -> bool | None:
    """For the scoring pages: a round's panel is overseen by that round's officers only."""
    round = Round.objects.filter(panel=panel).first()
    return None if round is None else is_round_officer(user, round)


def panel_budget(panel):
    """For the scoring consensus view: the round's budget and each entry's requested amount."""
    round = Round.objects.filter(panel=panel).first()
    if round is None:
        return None
    requested = dict(
        Application.objects.filter(round=round, entry__isnull=False).values_list(
            "entry_id", "requested_amount"
        )
    )
    return round.budget, lambda entry: requested.get(entry.pk, ZERO)


def recognitions_ending(*, within_days: int = 90, today=None) -> QuerySet:
    """Recognitions that end soon (or ended) and have not been renewed."""
    import datetime

    from stemnet.funding.models import Recognition

    today = today or timezone.localdate()
    return (
        Recognition.objects.filter(
            valid_to__lte=today + datetime.timedelta(days=within_days),
            valid_to__gte=today - datetime.timedelta(days=365),
            renewal__isnull=True,
        )
        .select_related("organisation")
        .order_by("valid_to", "organisation__name")
    )


def is_recognised(organisation, on) -> bool:
    """Whether the organisation holds a recognition (provisional or not) valid on that day."""
    from stemnet.funding.models import Recognition

    return Recognition.objects.filter(
        organisation=organisation, valid_from__lte=on, valid_to__gte=on
    ).exists()
