"""The STEMpact award through the scoring component: a panel per cohort, one entry per
school (its action plan and a short text), jurors with conflicts of interest (a juror who
belongs to the school or its sponsor company is refused by the component), the ranking,
nominees, the winner and its public page.

The formal award criteria are not public (DOMAIN.md: GAP): staff name them per cohort."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.scoring import selectors as scoring_selectors
from stemnet.scoring import services as scoring
from stemnet.stempact import selectors
from stemnet.stempact.models import Cohort, Trajectory
from stemnet.stempact.services import _ensure_staff


@transaction.atomic
def award_open(
    *, cohort: Cohort, criteria: Sequence[str], actor, scale_min: int = 0, scale_max: int = 10
) -> Cohort:
    """Create the cohort's jury panel with the criteria staff name (one title each)."""
    _ensure_staff(actor)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if cohort.award_panel_id:
        raise ValidationError(_("The award jury of this cohort exists already."), code="exists")
    titles = [" ".join(c.split()) for c in criteria if c.strip()]
    if not titles:
        raise ValidationError({"criteria": _("Name at least one award criterion.")})
    cohort.award_panel = scoring.panel_create(
        title=_("STEMpact award %(cohort)s") % {"cohort": cohort},
        scale_min=scale_min,
        scale_max=scale_max,
        criteria=[{"title_nl": t} for t in titles],
        actor=actor,
    )
    cohort.save(update_fields=["award_panel", "updated_at"])
    audit.record(cohort, "stempact.award.opened", actor=actor, data={"criteria": titles})
    return cohort


@transaction.atomic
def award_enter(*, trajectory: Trajectory, text: str, actor) -> Trajectory:
    """The school enters its action plan with a short text; its sponsor company is named on
    the entry, so jurors from the school or the company cannot score it."""
    if not selectors.is_school_member(actor, trajectory):
        raise PermissionDenied(_("Only the school itself enters the award."))
    trajectory = (
        Trajectory.objects.select_for_update().select_related("cohort").get(pk=trajectory.pk)
    )
    panel = trajectory.cohort.award_panel
    if panel is None or panel.is_closed:
        raise ValidationError(_("The award is not open for entries."), code="closed")
    if trajectory.status != Trajectory.Status.SELECTED:
        raise ValidationError(_("Only selected schools enter the award."), code="not_selected")
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write a short text about your action plan.")})
    if not trajectory.actions.exists():
        raise ValidationError(_("Add at least one action to your plan before you enter."))
    trajectory.award_text = text[:5000]
    if trajectory.award_entry_id is None:
        trajectory.award_entry = scoring.entry_create(
            panel=panel,
            title=trajectory.school.name,
            reference=f"stempact-{trajectory.pk}",
            owner_organisation=trajectory.school,
            related_organisations=[trajectory.sponsor] if trajectory.sponsor else [],
            actor=actor,
            detail_url=reverse("stempact:award_dossier", kwargs={"pk": trajectory.pk}),
        )
    trajectory.save(update_fields=["award_text", "award_entry", "updated_at"])
    audit.record(trajectory, "stempact.award.entered", actor=actor)
    return trajectory


def may_read_dossier(user, trajectory: Trajectory) -> bool:
    """Staff, the school, or a juror assigned to its entry who declared no conflict."""
    if selectors.is_staff(user) or selectors.is_school_member(user, trajectory):
        return True
    if trajectory.award_entry_id is None:
        return False
    assignment = scoring_selectors.assignment_for(user, trajectory.award_entry)
    return assignment is not None and assignment.state in scoring_selectors.SEEING_STATES


def ranking(cohort: Cohort):
    """The jury's consensus in rank order (scoring component) with each row's trajectory."""
    if cohort.award_panel is None:
        return []
    rows = scoring_selectors.consensus(cohort.award_panel)
    by_entry = {t.award_entry_id: t for t in cohort.trajectories.filter(award_entry__isnull=False)}
    for row in rows:
        row.trajectory = by_entry.get(row.entry.pk)
    return rows


@transaction.atomic
def nominee_set(*, trajectory: Trajectory, nominated: bool, actor) -> None:
    _ensure_staff(actor)
    if nominated and trajectory.award_entry_id is None:
        raise ValidationError(_("Only a school that entered the award can be nominated."))
    trajectory.nominated = nominated
    trajectory.save(update_fields=["nominated", "updated_at"])
    audit.record(trajectory, "stempact.award.nominated", actor=actor, data={"on": nominated})


@transaction.atomic
def winner_publish(*, trajectory: Trajectory, actor) -> Cohort:
    """Make a nominee the winner and publish it on the public page with the cohort's story."""
    _ensure_staff(actor)
    if not trajectory.nominated:
        raise ValidationError(_("Choose the winner among the nominees."), code="not_nominee")
    cohort = Cohort.objects.select_for_update().get(pk=trajectory.cohort_id)
    cohort.winner = trajectory
    cohort.winner_published_at = timezone.now()
    cohort.save(update_fields=["winner", "winner_published_at", "updated_at"])
    audit.record(cohort, "stempact.award.published", actor=actor, data={"winner": trajectory.pk})
    return cohort


def winners_published():
    return (
        Cohort.objects.filter(winner_published_at__isnull=False)
        .select_related("programme", "winner__school", "winner__sponsor")
        .order_by("-winner_published_at")
    )
