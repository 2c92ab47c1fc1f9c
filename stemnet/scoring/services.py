"""Every write of the scoring component: panels, entries, assignments, declarations, scores.

Each function is one use case, keyword-only and atomic, and writes the audit trail
(``scoring.<model>.<event>``) with what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.organisations.models import Membership, Organisation
from stemnet.scoring.models import (
    SCALE_CEILING,
    SCALE_FLOOR,
    Assignment,
    ConflictDeclaration,
    Criterion,
    Entry,
    Panel,
    Score,
)

# ---------------------------------------------------------------------------------------------
# Panels


def _check_scale(scale_min: int, scale_max: int) -> None:
    if not (SCALE_FLOOR <= scale_min < scale_max <= SCALE_CEILING):
        raise ValidationError(
            _(
                "The scale must run from a lowest to a higher highest score between "
                "%(floor)s and %(ceiling)s."
            )
            % {"floor": SCALE_FLOOR, "ceiling": SCALE_CEILING},
            code="scale",
        )


def _clean_criteria(criteria: Sequence[dict]) -> list[dict]:
    cleaned = []
    for index, item in enumerate(criteria):
        title_nl = (item.get("title_nl") or "").strip()
        if not title_nl:
            raise ValidationError(
                _("Criterion %(number)s needs a Dutch title.") % {"number": index + 1},
                code="criterion_title",
            )
        try:
            weight = Decimal(str(item.get("weight", 1)))
        except (InvalidOperation, ValueError) as exc:
            raise ValidationError(
                _("The weight of “%(title)s” is not a number.") % {"title": title_nl},
                code="criterion_weight",
            ) from exc
        if weight <= 0:
            raise ValidationError(
                _("The weight of “%(title)s” must be above zero.") % {"title": title_nl},
                code="criterion_weight",
            )
        cleaned.append(
            {
                "title_nl": title_nl,
                "title_en": (item.get("title_en") or "").strip(),
                "description": item.get("description") or "",
                "weight": weight,
                "position": item.get("position", index),
            }
        )
    return cleaned


def _panel_state(panel: Panel) -> dict:
    return {
        "title": panel.title,
        "scale_min": panel.scale_min,
        "scale_max": panel.scale_max,
        "spread_threshold": str(panel.spread_threshold),
        "is_closed": panel.is_closed,
        "criteria": [
            {
                "title_nl": c.title_nl,
                "title_en": c.title_en,
                "weight": str(c.weight),
                "position": c.position,
            }
            for c in panel.criteria.all()
        ],
    }


@transaction.atomic
def panel_create(
    *,
    title: str,
    scale_min: int,
    scale_max: int,
    criteria: Sequence[dict],
    actor,
    spread_threshold: Decimal | None = None,
) -> Panel:
    """A new panel with its criteria.

    ``criteria`` is a list of dicts with ``title_nl`` (required), ``title_en``, ``description``,
    ``weight`` (Decimal above zero, default 1) and ``position`` (default: list order).
    """
    _check_scale(scale_min, scale_max)
    cleaned = _clean_criteria(criteria)
    panel = Panel(title=title, scale_min=scale_min, scale_max=scale_max)
    if spread_threshold is not None:
        panel.spread_threshold = Decimal(str(spread_threshold))
    panel.full_clean()
    panel.save()
    Criterion.objects.bulk_create([Criterion(panel=panel, **item) for item in cleaned])
    audit.record(panel, "scoring.panel.created", actor=actor, data={"after": _panel_state(panel)})
    return panel


@transaction.atomic
def panel_update(
    *,
    panel: Panel,
    actor,
    title: str | None = None,
    scale_min: int | None = None,
    scale_max: int | None = None,
    criteria: Sequence[dict] | None = None,
    spread_threshold: Decimal | None = None,
) -> Panel:
    """Change a panel. The scale and the criteria are frozen once anyone has scored."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    before = _panel_state(panel)
    scored = Score.objects.filter(criterion__panel=panel).exists()
    new_min = panel.scale_min if scale_min is None else scale_min
    new_max = panel.scale_max if scale_max is None else scale_max
    rescaled = (new_min, new_max) != (panel.scale_min, panel.scale_max)
    if scored and (criteria is not None or rescaled):
        raise ValidationError(
            _("The scale and the criteria cannot change once reviewers have scored."),
            code="frozen",
        )
    _check_scale(new_min, new_max)
    panel.scale_min, panel.scale_max = new_min, new_max
    if title is not None:
        panel.title = title
    if spread_threshold is not None:
        panel.spread_threshold = Decimal(str(spread_threshold))
    panel.full_clean()
    panel.save()
    if criteria is not None:
        cleaned = _clean_criteria(criteria)
        panel.criteria.all().delete()
        Criterion.objects.bulk_create([Criterion(panel=panel, **item) for item in cleaned])
    audit.record(
        panel,
        "scoring.panel.updated",
        actor=actor,
        data={"before": before, "after": _panel_state(panel)},
    )
    return panel


@transaction.atomic
def panel_close(*, panel: Panel, actor) -> Panel:
    """Close a panel: no more assignments, declarations or scores."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.is_closed:
        return panel
    panel.is_closed = True
    panel.save(update_fields=["is_closed", "updated_at"])
    audit.record(
        panel,
        "scoring.panel.closed",
        actor=actor,
        data={"before": {"is_closed": False}, "after": {"is_closed": True}},
    )
    return panel


def _ensure_open(panel: Panel) -> None:
    if panel.is_closed:
        raise ValidationError(_("This panel is closed."), code="closed")


# ---------------------------------------------------------------------------------------------
# Entries


def _entry_state(entry: Entry) -> dict:
    return {
        "title": entry.title,
        "reference": entry.reference,
        "owner_organisation": entry.owner_organisation_id,
        "related_organisations": sorted(entry.related_organisations.values_list("pk", flat=True)),
        "detail_url": entry.detail_url,
    }


@transaction.atomic
def entry_create(
    *,
    panel: Panel,
    title: str,
    reference: str = "",
    owner_organisation: Organisation | None,
    related_organisations: Iterable[Organisation] = (),
    actor,
    detail_url: str = "",
) -> Entry:
    """Something to score in ``panel``; the organisations decide who has a conflict."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    _ensure_open(panel)
    entry = Entry(
        panel=panel,
        title=title,
        reference=reference,
        owner_organisation=owner_organisation,
        detail_url=detail_url,
    )
    entry.full_clean()
    entry.save()
    entry.related_organisations.set(list(related_organisations))
    audit.record(entry, "scoring.entry.created", actor=actor, data={"after": _entry_state(entry)})
    return entry


_UNCHANGED = object()


@transaction.atomic
def entry_update(
    *,
    entry: Entry,
    actor,
    title: str | None = None,
    reference: str | None = None,
    owner_organisation=_UNCHANGED,
    related_organisations: Iterable[Organisation] | None = None,
    detail_url: str | None = None,
) -> Entry:
    """Change an entry. Refused when a reviewer still assigned would then have a conflict."""
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    before = _entry_state(entry)
    if title is not None:
        entry.title = title
    if reference is not None:
        entry.reference = reference
    if detail_url is not None:
        entry.detail_url = detail_url
    if owner_organisation is not _UNCHANGED:
        entry.owner_organisation = owner_organisation
    entry.full_clean()
    entry.save()
    if related_organisations is not None:
        entry.related_organisations.set(list(related_organisations))
    for assignment in entry.assignments.exclude(state=Assignment.State.RECUSED).select_related(
        "reviewer"
    ):
        reasons = reviewer_conflicts(entry=entry, reviewer=assignment.reviewer)
        if reasons:
            raise ValidationError(
                _("%(reviewer)s is assigned to this entry and would have a conflict: %(reasons)s")
                % {"reviewer": assignment.reviewer, "reasons": "; ".join(reasons)},
                code="conflict",
            )
    audit.record(
        entry,
        "scoring.entry.updated",
        actor=actor,
        data={"before": before, "after": _entry_state(entry)},
    )
    return entry


# ---------------------------------------------------------------------------------------------
# Conflicts and assignments


def _entry_organisations(entry: Entry) -> dict[int, tuple[str, Organisation]]:
    """Organisation id → (kind, organisation) with kind "owner" or "partner"."""
    orgs: dict[int, tuple[str, Organisation]] = {}
    for org in entry.related_organisations.all():
        orgs[org.pk] = ("partner", org)
    if entry.owner_organisation_id:
        orgs[entry.owner_organisation_id] = ("owner", entry.owner_organisation)
    return orgs


def reviewer_conflicts(*, entry: Entry, reviewer) -> list[str]:
    """Why ``reviewer`` may not score ``entry`` (empty when there is no automatic flag).

    A reviewer with any membership of the entry's organisation or of one of its partner
    organisations is flagged.
    """
    orgs = _entry_organisations(entry)
    if not orgs:
        return []
    member_of = set(
        Membership.objects.filter(user=reviewer, organisation_id__in=orgs).values_list(
            "organisation_id", flat=True
        )
    )
    reasons = []
    for org_id in sorted(member_of, key=lambda pk: (orgs[pk][0] != "owner", orgs[pk][1].name)):
        kind, org = orgs[org_id]
        if kind == "owner":
            reasons.append(
                _("member of the organisation that submitted it (%(name)s)") % {"name": org.name}
            )
        else:
            reasons.append(_("member of the partner organisation %(name)s") % {"name": org.name})
    return reasons


def _assignment_state(assignment: Assignment) -> dict:
    return {"state": assignment.state, "reviewer": assignment.reviewer_id}


@transaction.atomic
def assignment_create(*, entry: Entry, reviewer, actor) -> Assignment:
    """Assign ``reviewer`` to ``entry``; refused for a flagged reviewer, with the reasons."""
    entry = Entry.objects.select_for_update().select_related("panel").get(pk=entry.pk)
    _ensure_open(entry.panel)
    reasons = reviewer_conflicts(entry=entry, reviewer=reviewer)
    if reasons:
        raise ValidationError(
            _("%(reviewer)s cannot review “%(entry)s”: %(reasons)s.")
            % {"reviewer": reviewer, "entry": entry.title, "reasons": "; ".join(reasons)},
            code="conflict",
        )
    if Assignment.objects.filter(entry=entry, reviewer=reviewer).exists():
        raise ValidationError(
            _("%(reviewer)s is already assigned to “%(entry)s”.")
            % {"reviewer": reviewer, "entry": entry.title},
            code="duplicate",
        )
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                entry=entry, reviewer=reviewer, assigned_by=actor
            )
    except IntegrityError as exc:  # a concurrent assignment of the same reviewer
        raise ValidationError(
            _("%(reviewer)s is already assigned to “%(entry)s”.")
            % {"reviewer": reviewer, "entry": entry.title},
            code="duplicate",
        ) from exc
    audit.record(
        assignment,
        "scoring.assignment.created",
        actor=actor,
        data={"after": {**_assignment_state(assignment), "entry": entry.pk}},
    )
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, actor) -> None:
    """Withdraw an assignment that has not been submitted."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.state == Assignment.State.SUBMITTED:
        raise ValidationError(_("A submitted review cannot be withdrawn."), code="submitted")
    audit.record(
        assignment,
        "scoring.assignment.deleted",
        actor=actor,
        data={"before": {**_assignment_state(assignment), "entry": assignment.entry_id}},
    )
    assignment.delete()


def assignments_suggest(*, panel: Panel, reviewers: Iterable, per_entry: int) -> dict[int, list]:
    """A balanced proposal: entry id → the reviewers to add so it has ``per_entry`` of them.

    Existing assignments (other than recusals) count toward an entry's reviewers and toward a
    reviewer's load. A reviewer is never proposed for an entry they are flagged for or already
    assigned to (recused included). Entries with the fewest candidates are served first, each
    with the least-loaded candidates (ties by user id); then reviewers are swapped between
    entries until no assigned reviewer carries two or more than a candidate who could take
    their place. Without conflicts, loads then differ by at most one. Nothing is written.
    """
    reviewers = sorted({r.pk: r for r in reviewers}.values(), key=lambda r: r.pk)
    by_id = {r.pk: r for r in reviewers}
    entries = list(panel.entries.prefetch_related("related_organisations").order_by("pk"))
    existing = list(
        Assignment.objects.filter(entry__panel=panel).values_list(
            "entry_id", "reviewer_id", "state"
        )
    )
    load = {r.pk: 0 for r in reviewers}
    taken: dict[int, set[int]] = {e.pk: set() for e in entries}
    active_count = {e.pk: 0 for e in entries}
    for entry_id, reviewer_id, state in existing:
        taken[entry_id].add(reviewer_id)
        if state != Assignment.State.RECUSED:
            active_count[entry_id] += 1
            if reviewer_id in load:
                load[reviewer_id] += 1
    memberships: dict[int, set[int]] = {r.pk: set() for r in reviewers}
    for user_id, org_id in Membership.objects.filter(user_id__in=by_id).values_list(
        "user_id", "organisation_id"
    ):
        memberships[user_id].add(org_id)

    candidates: dict[int, list[int]] = {}
    for entry in entries:
        orgs = {o.pk for o in entry.related_organisations.all()}
        if entry.owner_organisation_id:
            orgs.add(entry.owner_organisation_id)
        candidates[entry.pk] = [
            r.pk
            for r in reviewers
            if r.pk not in taken[entry.pk] and not (memberships[r.pk] & orgs)
        ]

    chosen: dict[int, list[int]] = {e.pk: [] for e in entries}
    order = sorted(entries, key=lambda e: (len(candidates[e.pk]), e.pk))
    for entry in order:
        need = max(0, per_entry - active_count[entry.pk])
        picks = sorted(candidates[entry.pk], key=lambda pk: (load[pk], pk))[:need]
        for pk in picks:
            load[pk] += 1
        chosen[entry.pk] = picks

    # Local improvement: move an entry from a reviewer to a candidate carrying 2+ less.
    improved = True
    while improved:
        improved = False
        for entry in order:
            picks = chosen[entry.pk]
            for heavy in sorted(picks, key=lambda pk: (-load[pk], pk)):
                free = [pk for pk in candidates[entry.pk] if pk not in picks]
                if not free:
                    break
                light = min(free, key=lambda pk: (load[pk], pk))
                if load[heavy] >= load[light] + 2:
                    picks[picks.index(heavy)] = light
                    load[heavy] -= 1
                    load[light] += 1
                    improved = True
                    break
    return {
        entry_id: [by_id[pk] for pk in sorted(picks, key=lambda pk: (load[pk], pk))]
        for entry_id, picks in chosen.items()
    }


@transaction.atomic
def assignments_create_suggested(
    *, panel: Panel, reviewers: Iterable, per_entry: int, actor
) -> list[Assignment]:
    """Create the assignments ``assignments_suggest`` proposes."""
    created = []
    suggestion = assignments_suggest(panel=panel, reviewers=reviewers, per_entry=per_entry)
    entries = {e.pk: e for e in panel.entries.all()}
    for entry_id, picks in suggestion.items():
        for reviewer in picks:
            created.append(
                assignment_create(entry=entries[entry_id], reviewer=reviewer, actor=actor)
            )
    return created


def _lock_own(assignment: Assignment, actor) -> Assignment:
    locked = (
        Assignment.objects.select_for_update().select_related("entry__panel").get(pk=assignment.pk)
    )
    if actor is None or locked.reviewer_id != actor.pk:
        raise PermissionDenied(_("Only the assigned reviewer can do this."))
    return locked


@transaction.atomic
def assignment_declare(*, assignment: Assignment, has_conflict: bool, statement: str = "", actor):
    """The reviewer declares no conflict of interest (then sees the entry) or recuses."""
    assignment = _lock_own(assignment, actor)
    _ensure_open(assignment.entry.panel)
    if assignment.state != Assignment.State.ASSIGNED:
        raise ValidationError(
            _("You have already made your declaration for this entry."), code="declared"
        )
    statement = (statement or "").strip()
    if has_conflict and not statement:
        raise ValidationError(
            {"statement": _("Explain briefly why you have a conflict of interest.")},
            code="statement",
        )
    ConflictDeclaration.objects.create(
        assignment=assignment, has_conflict=has_conflict, statement=statement
    )
    before = assignment.state
    assignment.state = (
        Assignment.State.RECUSED if has_conflict else Assignment.State.DECLARED_NO_CONFLICT
    )
    assignment.save(update_fields=["state"])
    audit.record(
        assignment,
        "scoring.assignment.recused" if has_conflict else "scoring.assignment.declared",
        actor=actor,
        data={
            "before": {"state": before},
            "after": {
                "state": assignment.state,
                "has_conflict": has_conflict,
                "statement": statement,
            },
        },
    )
    return assignment


@transaction.atomic
def score_save(
    *, assignment: Assignment, criterion: Criterion, value: int, comment: str = "", actor
) -> Score:
    """Save (or change) one draft score: after declaring no conflict, before submitting."""
    assignment = _lock_own(assignment, actor)
    panel = assignment.entry.panel
    _ensure_open(panel)
    if assignment.state != Assignment.State.DECLARED_NO_CONFLICT:
        if assignment.state == Assignment.State.SUBMITTED:
            message = _("Your scores have been submitted and can no longer change.")
        else:
            message = _("Declare that you have no conflict of interest before scoring.")
        raise ValidationError(message, code="state")
    if criterion.panel_id != panel.pk:
        raise ValidationError(_("This criterion belongs to another panel."), code="criterion")
    try:
        value = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            _("Choose a score for “%(criterion)s”.") % {"criterion": criterion.title},
            code="value",
        ) from exc
    if not panel.scale_min <= value <= panel.scale_max:
        raise ValidationError(
            _("The score for “%(criterion)s” must be between %(min)s and %(max)s.")
            % {"criterion": criterion.title, "min": panel.scale_min, "max": panel.scale_max},
            code="value",
        )
    comment = comment or ""
    score = Score.objects.filter(assignment=assignment, criterion=criterion).first()
    before = None if score is None else {"value": score.value, "comment": score.comment}
    after = {"value": value, "comment": comment}
    if score is None:
        score = Score.objects.create(
            assignment=assignment, criterion=criterion, value=value, comment=comment
        )
    elif before != after:
        score.value, score.comment = value, comment
        score.save(update_fields=["value", "comment", "updated_at"])
    else:
        return score
    audit.record(
        score,
        "scoring.score.saved",
        actor=actor,
        data={
            "assignment": assignment.pk,
            "criterion": criterion.pk,
            "before": before,
            "after": after,
        },
    )
    return score


@transaction.atomic
def assignment_submit(*, assignment: Assignment, actor) -> Assignment:
    """Submit the scores; every criterion must have one (the error lists the missing ones)."""
    assignment = _lock_own(assignment, actor)
    panel = assignment.entry.panel
    _ensure_open(panel)
    if assignment.state != Assignment.State.DECLARED_NO_CONFLICT:
        if assignment.state == Assignment.State.SUBMITTED:
            message = _("Your scores have already been submitted.")
        else:
            message = _("Declare that you have no conflict of interest before scoring.")
        raise ValidationError(message, code="state")
    criteria = list(panel.criteria.all())
    if not criteria:
        raise ValidationError(_("This panel has no criteria to score."), code="no_criteria")
    scored = set(assignment.scores.values_list("criterion_id", flat=True))
    missing = [c for c in criteria if c.pk not in scored]
    if missing:
        raise ValidationError(
            _("Score every criterion before submitting. Missing: %(missing)s.")
            % {"missing": ", ".join(f"“{c.title}”" for c in missing)},
            code="incomplete",
        )
    assignment.state = Assignment.State.SUBMITTED
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["state", "submitted_at"])
    audit.record(
        assignment,
        "scoring.assignment.submitted",
        actor=actor,
        data={
            "before": {"state": Assignment.State.DECLARED_NO_CONFLICT},
            "after": {
                "state": Assignment.State.SUBMITTED,
                "scores": {str(s.criterion_id): s.value for s in assignment.scores.all()},
            },
        },
    )
    return assignment
