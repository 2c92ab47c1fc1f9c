"""Reads of the scoring component: what a reviewer may see, and the consensus of a panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Prefetch, QuerySet

from stemnet.organisations import selectors as org_selectors
from stemnet.organisations.models import Membership, Organisation
from stemnet.scoring.models import Assignment, Criterion, Entry, Panel, Score

SEEING_STATES = (Assignment.State.DECLARED_NO_CONFLICT, Assignment.State.SUBMITTED)
TWO_PLACES = Decimal("0.01")


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_vlaio_staff(user) -> bool:
    """A membership (any role) of an organisation of type VLAIO."""
    if not _authenticated(user):
        return False
    return user.memberships.filter(organisation__type=Organisation.Type.VLAIO).exists()


def is_vlaio_officer(user) -> bool:
    """VLAIO staff other than reviewers: a coordinator or member role in a VLAIO organisation.

    A reviewer who belongs to VLAIO's reviewer pool must not read the consensus (all scores)
    before submitting their own, so the reviewer role alone does not count.
    """
    return org_selectors.is_vlaio_staff(user)


PanelOverseer = Callable[[object, Panel], "bool | None"]
_PANEL_OVERSEERS: dict[str, PanelOverseer] = {}


def register_panel_overseer(label: str, fn: PanelOverseer) -> None:
    """Register ``fn(user, panel) -> bool | None`` (call it in ``AppConfig.ready``): the app
    that owns a panel says who oversees it (None: not its panel)."""
    _PANEL_OVERSEERS[label] = fn


def oversees_panel(user, panel: Panel | None) -> bool:
    """May read the panel's scores and consensus and assign or withdraw its reviewers.

    A superuser, or a VLAIO officer whom the app owning the panel accepts (funding: an officer
    of the panel's round); a panel that no app claims is overseen by every VLAIO officer.
    """
    if panel is None or not _authenticated(user):
        return False
    if user.is_superuser:
        return True
    if not is_vlaio_officer(user):
        return False
    for label in sorted(_PANEL_OVERSEERS):
        answer = _PANEL_OVERSEERS[label](user, panel)
        if answer is not None:
            return answer
    return True


def assignment_for(user, entry: Entry) -> Assignment | None:
    if not _authenticated(user) or entry is None:
        return None
    return Assignment.objects.filter(entry=entry, reviewer=user).first()


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """The reviewer's own assignments, newest panels first."""
    if not _authenticated(user):
        return Assignment.objects.none()
    return (
        Assignment.objects.filter(reviewer=user)
        .select_related("entry__panel")
        .order_by("entry__panel__is_closed", "-entry__panel__created_at", "entry_id")
    )


def entries_visible_to(user, panel: Panel, *, as_officer: bool = False) -> QuerySet[Entry]:
    """Entries of ``panel`` the user may open.

    A reviewer sees only entries assigned to them for which they declared no conflict of
    interest (also after submitting). ``as_officer=True`` is the caller's decision that the user
    oversees the panel; then every entry is visible.
    """
    entries = Entry.objects.filter(panel=panel).select_related("owner_organisation")
    if as_officer:
        return entries
    if not _authenticated(user):
        return Entry.objects.none()
    return entries.filter(
        assignments__reviewer=user, assignments__state__in=SEEING_STATES
    ).distinct()


def scores_visible_to(user, entry: Entry, *, as_officer: bool = False) -> QuerySet[Score]:
    """Scores of ``entry`` the user may read.

    A reviewer always sees their own (after declaring no conflict), and the submitted scores of
    the other reviewers only once they have submitted their own. Officers see all.
    """
    scores = Score.objects.filter(assignment__entry=entry).select_related(
        "criterion", "assignment__reviewer"
    )
    if as_officer:
        return scores
    own = assignment_for(user, entry)
    if own is None or own.state not in SEEING_STATES:
        return Score.objects.none()
    if own.state == Assignment.State.SUBMITTED:
        return scores.filter(assignment__state=Assignment.State.SUBMITTED)
    return scores.filter(assignment=own)


def reviewer_pool() -> QuerySet:
    """People with the reviewer role in any organisation, by name."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(role=Membership.Role.REVIEWER).values("user_id"),
        )
        .order_by("name", "email")
    )


def conflict_flags(panel: Panel, reviewers) -> dict[tuple[int, int], list[str]]:
    """(entry id, reviewer id) → names of the entry's organisations the reviewer belongs to.

    The same rule as ``services.reviewer_conflicts``, for a whole panel in two queries.
    """
    reviewers = list(reviewers)
    member_of: dict[int, set[int]] = {r.pk: set() for r in reviewers}
    for user_id, org_id in Membership.objects.filter(user__in=reviewers).values_list(
        "user_id", "organisation_id"
    ):
        member_of[user_id].add(org_id)
    flags: dict[tuple[int, int], list[str]] = {}
    entries = panel.entries.select_related("owner_organisation").prefetch_related(
        "related_organisations"
    )
    for entry in entries:
        orgs = list(entry.related_organisations.all())
        if entry.owner_organisation is not None:
            orgs.insert(0, entry.owner_organisation)
        for reviewer in reviewers:
            names = [o.name for o in orgs if o.pk in member_of[reviewer.pk]]
            if names:
                flags[(entry.pk, reviewer.pk)] = names
    return flags


def panel_assignments(panel: Panel) -> list[tuple[Entry, list[Assignment]]]:
    """Every entry of the panel with its assignments (for the officers' overview)."""
    entries = panel.entries.select_related("owner_organisation").prefetch_related(
        "related_organisations",
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("reviewer", "declaration").order_by("pk"),
        ),
    )
    return [(entry, list(entry.assignments.all())) for entry in entries.order_by("pk")]


# ---------------------------------------------------------------------------------------------
# Budget sources: the app that owns a panel may tell the consensus view its budget

BudgetSource = Callable[[Panel], "tuple[Decimal, Callable[[Entry], Decimal]] | None"]
_BUDGET_SOURCES: dict[str, BudgetSource] = {}


def register_budget_source(label: str, fn: BudgetSource) -> None:
    """Register ``fn(panel) -> (budget, amount_for) | None`` (call it in ``AppConfig.ready``).

    The consensus page asks every source in label order and draws the funding line with the
    first answer that is not None. Registering a label again replaces the earlier function.
    """
    _BUDGET_SOURCES[label] = fn


def unregister_budget_source(label: str) -> None:
    _BUDGET_SOURCES.pop(label, None)


def budget_for(panel: Panel) -> tuple[Decimal, Callable[[Entry], Decimal]] | None:
    for label in sorted(_BUDGET_SOURCES):
        answer = _BUDGET_SOURCES[label](panel)
        if answer is not None:
            return answer
    return None


# ---------------------------------------------------------------------------------------------
# Consensus


def _two_places(value: Fraction | Decimal) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class CriterionLine:
    criterion: Criterion
    values: list[int | None]  # one per reviewer of the row, in the same order
    comments: list[str]
    mean: Decimal | None  # two decimals
    spread: int | None  # max - min
    spread_flagged: bool
    exact_mean: Fraction | None = field(default=None, repr=False)

    @property
    def cells(self) -> list[tuple[int | None, str]]:
        return list(zip(self.values, self.comments, strict=True))


@dataclass
class ConsensusRow:
    entry: Entry
    reviewers: list  # users with a submitted review, by assignment id
    lines: list[CriterionLine]
    total: Decimal | None  # Σ weight × mean / Σ weight, two decimals; None without reviews
    rank: int | None = None
    pending: int = 0  # assigned or declared, not submitted
    recused: int = 0
    amount: Decimal | None = None
    cumulative: Decimal | None = None
    above_line: bool | None = None  # None when no budget was given or the entry is unranked
    first_below_line: bool = False  # the funding line runs just above this row

    @property
    def has_spread_flag(self) -> bool:
        return any(line.spread_flagged for line in self.lines)


def consensus(
    panel: Panel,
    *,
    budget: Decimal | None = None,
    amount_for: Callable[[Entry], Decimal] | None = None,
    spread_threshold: Decimal | None = None,
) -> list[ConsensusRow]:
    """The panel's entries in rank order with their submitted scores side by side.

    Per criterion: every reviewer's score, the mean and the spread (max − min), flagged when
    the spread is at least ``spread_threshold`` (default: the panel's, 30 %) of the scale range.
    The weighted total is Σ weight × mean / Σ weight, computed from exact means and rounded to
    two decimals (half up). Rank 1 is the highest total; equal totals are ranked by entry id.
    Entries without a submitted review come last, unranked. With ``budget`` and
    ``amount_for(entry)``, ranked entries get the running amount and ``above_line``: true while
    the running amount stays within the budget; from the first entry that does not fit, every
    entry is below the funding line.
    """
    threshold = panel.spread_threshold if spread_threshold is None else spread_threshold
    limit = Decimal(str(threshold)) * (panel.scale_max - panel.scale_min)
    criteria = list(panel.criteria.all())
    weight_sum = sum((c.weight for c in criteria), Decimal(0))
    entries = panel.entries.order_by("pk").prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("reviewer")
            .prefetch_related("scores")
            .order_by("pk"),
        )
    )
    rows = []
    for entry in entries:
        submitted = [a for a in entry.assignments.all() if a.state == Assignment.State.SUBMITTED]
        pending = sum(
            1
            for a in entry.assignments.all()
            if a.state in (Assignment.State.ASSIGNED, Assignment.State.DECLARED_NO_CONFLICT)
        )
        recused = sum(1 for a in entry.assignments.all() if a.state == Assignment.State.RECUSED)
        by_assignment = {a.pk: {s.criterion_id: s for s in a.scores.all()} for a in submitted}
        lines = []
        weighted = Fraction(0)
        complete = bool(submitted) and weight_sum > 0
        for criterion in criteria:
            scores = [by_assignment[a.pk].get(criterion.pk) for a in submitted]
            values = [s.value if s else None for s in scores]
            present = [v for v in values if v is not None]
            if present:
                exact = Fraction(sum(present), len(present))
                spread = max(present) - min(present)
                weighted += Fraction(criterion.weight) * exact
            else:
                exact, spread = None, None
                complete = False
            lines.append(
                CriterionLine(
                    criterion=criterion,
                    values=values,
                    comments=[s.comment if s else "" for s in scores],
                    mean=None if exact is None else _two_places(exact),
                    spread=spread,
                    spread_flagged=spread is not None and spread >= limit,
                    exact_mean=exact,
                )
            )
        total = _two_places(weighted / Fraction(weight_sum)) if complete else None
        rows.append(
            ConsensusRow(
                entry=entry,
                reviewers=[a.reviewer for a in submitted],
                lines=lines,
                total=total,
                pending=pending,
                recused=recused,
            )
        )
    ranked = sorted((r for r in rows if r.total is not None), key=lambda r: (-r.total, r.entry.pk))
    unranked = [r for r in rows if r.total is None]
    running = Decimal(0)
    line_passed = False
    for position, row in enumerate(ranked, start=1):
        row.rank = position
        if budget is not None and amount_for is not None:
            row.amount = Decimal(amount_for(row.entry))
            running += row.amount
            row.cumulative = running
            if not line_passed and running > budget:
                line_passed = True
                row.first_below_line = True
            row.above_line = not line_passed
    if amount_for is not None:
        for row in unranked:
            row.amount = Decimal(amount_for(row.entry))
    return ranked + unranked


def reviews_of_person(user) -> list[dict]:
    """The person's reviews (assignments, declarations, scores) for the data export."""
    out = []
    assignments = (
        Assignment.objects.filter(reviewer=user)
        .select_related("entry__panel", "declaration")
        .prefetch_related("scores__criterion")
        .order_by("pk")
    )
    for a in assignments:
        declaration = getattr(a, "declaration", None)
        out.append(
            {
                "panel": a.entry.panel.title,
                "entry": a.entry.title,
                "state": a.state,
                "assigned_at": a.assigned_at,
                "submitted_at": a.submitted_at,
                "declaration": None
                if declaration is None
                else {
                    "has_conflict": declaration.has_conflict,
                    "statement": declaration.statement,
                    "declared_at": declaration.declared_at,
                },
                "scores": [
                    {"criterion": s.criterion.title_nl, "value": s.value, "comment": s.comment}
                    for s in a.scores.all()
                ],
            }
        )
    return out


def panel_audit_trail(panel: Panel) -> QuerySet:
    """Every audit line of the panel, its entries, assignments (withdrawn ones too) and scores."""
    from django.db.models import Q

    from stemnet.core.models import AuditEntry

    entry_ids = list(panel.entries.values_list("pk", flat=True))
    assignment_ids = list(
        Assignment.objects.filter(entry__panel=panel).values_list("pk", flat=True)
    )
    score_ids = list(Score.objects.filter(criterion__panel=panel).values_list("pk", flat=True))

    def ids(values):
        return [str(v) for v in values]

    return (
        AuditEntry.objects.filter(
            Q(object_type="scoring.panel", object_id=str(panel.pk))
            | Q(object_type="scoring.entry", object_id__in=ids(entry_ids))
            | Q(object_type="scoring.assignment", object_id__in=ids(assignment_ids))
            | Q(code="scoring.assignment.deleted", data__before__entry__in=entry_ids)
            | Q(object_type="scoring.score", object_id__in=ids(score_ids))
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
