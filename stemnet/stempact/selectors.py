"""Reads of STEMpact: who sees what, questionnaires, progress and the measurement results.

Scores: a respondent's score on an aspect is the mean of their answers on its items ("not
applicable" left out); a school's score is the mean of its respondents' scores, with the
number of respondents and the spread (highest − lowest respondent score). The cohort median
is the median of the schools' scores on that aspect. Two decimals, half up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from statistics import median

from django.db.models import Count, Q, QuerySet

from stemnet.organisations import selectors as org_selectors
from stemnet.organisations.models import Membership, Organisation
from stemnet.stempact.models import (
    Action,
    Answer,
    Aspect,
    Cohort,
    Measurement,
    Questionnaire,
    Respondent,
    Trajectory,
)

TWO = Decimal("0.01")


def _logged_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_staff(user) -> bool:
    """Programme staff: VLAIO staff (not reviewers) or a superuser."""
    if not _logged_in(user):
        return False
    return user.is_superuser or org_selectors.is_vlaio_staff(user)


def is_school_member(user, trajectory: Trajectory | None) -> bool:
    return trajectory is not None and org_selectors.is_member(user, trajectory.school)


def is_sponsor_member(user, trajectory: Trajectory | None) -> bool:
    return (
        trajectory is not None
        and trajectory.sponsor_id is not None
        and org_selectors.is_member(user, trajectory.sponsor)
    )


def schools_coordinated_by(user) -> QuerySet[Organisation]:
    if not _logged_in(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(
        type=Organisation.Type.SCHOOL,
        is_active=True,
        memberships__user=user,
        memberships__role=Membership.Role.COORDINATOR,
    ).distinct()


def cohorts_open_for_intake() -> QuerySet[Cohort]:
    return Cohort.objects.filter(intake_open=True).select_related("programme")


def cohort_list() -> QuerySet[Cohort]:
    return Cohort.objects.select_related("programme").annotate(
        applied=Count("trajectories"),
        selected=Count("trajectories", filter=Q(trajectories__status=Trajectory.Status.SELECTED)),
    )


def trajectories_visible_to(user) -> QuerySet[Trajectory]:
    """The trajectories of the user's schools and of the schools their company sponsors."""
    if not _logged_in(user):
        return Trajectory.objects.none()
    orgs = Membership.objects.filter(user=user).values("organisation_id")
    return (
        Trajectory.objects.filter(Q(school__in=orgs) | Q(sponsor__in=orgs))
        .select_related("cohort__programme", "school", "sponsor")
        .order_by("-cohort__created_at", "school__name")
    )


def trajectories_of(cohort: Cohort, *, status: str | None = None) -> QuerySet[Trajectory]:
    qs = cohort.trajectories.select_related("school__municipality", "sponsor")
    return qs.filter(status=status) if status else qs


# --- questionnaires -----------------------------------------------------------------------


def questionnaire_current(cohort: Cohort, aspect: str) -> Questionnaire | None:
    return (
        cohort.questionnaires.filter(aspect=aspect)
        .order_by("-version")
        .prefetch_related("items")
        .first()
    )


def questionnaires_current(cohort: Cohort) -> list[Questionnaire]:
    """The latest version of every aspect's questionnaire, in the aspects' order."""
    latest: dict[str, Questionnaire] = {}
    for q in cohort.questionnaires.order_by("aspect", "-version").prefetch_related("items"):
        latest.setdefault(q.aspect, q)
    return [latest[a] for a in Aspect.values if a in latest]


def questionnaire_has_answers(questionnaire: Questionnaire) -> bool:
    return Answer.objects.filter(item__questionnaire=questionnaire).exists()


# --- respondents and progress ---------------------------------------------------------------


def respondent_by_token(token: str) -> Respondent | None:
    return (
        Respondent.objects.select_related("measurement__cohort", "trajectory__school")
        .filter(token=token)
        .first()
    )


def measurement_get(cohort: Cohort, kind: str) -> Measurement | None:
    return cohort.measurements.filter(kind=kind).first()


@dataclass
class Progress:
    trajectory: Trajectory
    invited: int
    answered: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0


def progress_per_school(cohort: Cohort, kind: str) -> list[Progress]:
    counts = {
        row["trajectory_id"]: row
        for row in Respondent.objects.filter(measurement__cohort=cohort, measurement__kind=kind)
        .values("trajectory_id")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(submitted_at__isnull=False)))
    }
    rows = []
    for t in trajectories_of(cohort, status=Trajectory.Status.SELECTED):
        c = counts.get(t.pk, {})
        rows.append(Progress(t, c.get("invited", 0), c.get("answered", 0)))
    return rows


# --- results ---------------------------------------------------------------------------------


def _two(value: Fraction | Decimal | float) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


@dataclass
class AspectScore:
    aspect: str
    score: Decimal | None
    respondents: int
    spread: Decimal | None
    median: Decimal | None = None

    @property
    def label(self) -> str:
        return str(Aspect(self.aspect).label)


def _respondent_means(answers) -> dict[int, dict[str, dict[int, Fraction]]]:
    """trajectory id → aspect → respondent id → mean of that respondent's answers."""
    sums: dict = defaultdict(lambda: [0, 0])
    for row in answers:
        key = (
            row["respondent__trajectory_id"],
            row["item__questionnaire__aspect"],
            row["respondent_id"],
        )
        sums[key][0] += row["value"]
        sums[key][1] += 1
    out: dict = defaultdict(lambda: defaultdict(dict))
    for (trajectory_id, aspect, respondent_id), (total, n) in sums.items():
        out[trajectory_id][aspect][respondent_id] = Fraction(total, n)
    return out


def cohort_scores(cohort: Cohort, kind: str) -> dict[int, dict[str, AspectScore]]:
    """trajectory id → aspect → score of that school (only submitted answers count)."""
    answers = Answer.objects.filter(
        respondent__measurement__cohort=cohort,
        respondent__measurement__kind=kind,
        respondent__submitted_at__isnull=False,
        value__isnull=False,
    ).values("respondent__trajectory_id", "respondent_id", "item__questionnaire__aspect", "value")
    result: dict[int, dict[str, AspectScore]] = {}
    for trajectory_id, per_aspect in _respondent_means(answers).items():
        scores = {}
        for aspect in Aspect.values:
            means = list(per_aspect.get(aspect, {}).values())
            if not means:
                scores[aspect] = AspectScore(aspect, None, 0, None)
                continue
            scores[aspect] = AspectScore(
                aspect,
                _two(sum(means, Fraction(0)) / len(means)),
                len(means),
                _two(max(means) - min(means)),
            )
        result[trajectory_id] = scores
    return result


def cohort_median(scores: dict[int, dict[str, AspectScore]]) -> dict[str, Decimal | None]:
    out = {}
    for aspect in Aspect.values:
        values = [s[aspect].score for s in scores.values() if s[aspect].score is not None]
        out[aspect] = _two(median(values)) if values else None
    return out


def school_results(trajectory: Trajectory, kind: str) -> list[AspectScore]:
    """The school's own scores per aspect with the cohort median beside them. Nothing of
    another school leaves this function but the median."""
    scores = cohort_scores(trajectory.cohort, kind)
    medians = cohort_median(scores)
    own = scores.get(trajectory.pk, {})
    rows = []
    for aspect in Aspect.values:
        row = own.get(aspect) or AspectScore(aspect, None, 0, None)
        row.median = medians[aspect]
        rows.append(row)
    return rows


def weakest_aspects(rows: list[AspectScore], count: int = 2) -> list[str]:
    """The ``count`` aspects with the lowest score (ties in the aspects' order)."""
    scored = [r for r in rows if r.score is not None]
    scored.sort(key=lambda r: (r.score, Aspect.values.index(r.aspect)))
    return [r.aspect for r in scored[:count]]


def actions_of(trajectory: Trajectory) -> QuerySet[Action]:
    return trajectory.actions.all()


def action_progress(cohort: Cohort) -> dict[int, dict]:
    """trajectory id → counts of its actions per status and the mean progress."""
    out: dict[int, dict] = {}
    for row in (
        Action.objects.filter(trajectory__cohort=cohort)
        .values("trajectory_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=Action.Status.DONE)),
        )
    ):
        out[row["trajectory_id"]] = row
    return out
