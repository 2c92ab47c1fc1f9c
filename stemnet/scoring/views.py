"""Thin views of the scoring component: a reviewer's assignments, the declaration of conflicts,
the scoring form and the consensus of a panel (VLAIO staff)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from stemnet.scoring import selectors, services
from stemnet.scoring.forms import DeclarationForm, ScoreForm
from stemnet.scoring.models import Assignment, Panel


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _own_assignment(request, pk: int) -> Assignment:
    assignment = get_object_or_404(
        Assignment.objects.select_related("entry__panel", "entry__owner_organisation"), pk=pk
    )
    if assignment.reviewer_id != request.user.pk:
        raise PermissionDenied(_("This review is assigned to someone else."))
    return assignment


@login_required
def assignment_list(request):
    assignments = list(selectors.assignments_visible_to(request.user))
    panels = None
    if selectors.is_vlaio_officer(request.user):
        panels = [
            panel
            for panel in Panel.objects.order_by("is_closed", "-created_at")[:50]
            if selectors.oversees_panel(request.user, panel)
        ]
    return render(
        request, "scoring/assignment_list.html", {"assignments": assignments, "panels": panels}
    )


@login_required
def assignment_declare(request, pk: int):
    assignment = _own_assignment(request, pk)
    entry = assignment.entry
    if not request.user.has_perm("scoring.declare_entry", entry):
        if request.user.has_perm("scoring.view_entry", entry):
            return redirect("scoring:assignment_score", pk=assignment.pk)
        if entry.panel.is_closed:
            raise PermissionDenied(_("This panel is closed."))
        raise PermissionDenied(_("You have recused yourself from this entry."))
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_declare(
                assignment=assignment,
                has_conflict=form.has_conflict,
                statement=form.cleaned_data["statement"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if form.has_conflict:
                messages.success(
                    request, _("You have recused yourself. You will not see this entry.")
                )
                return redirect("scoring:assignment_list")
            return redirect("scoring:assignment_score", pk=assignment.pk)
    return render(
        request,
        "scoring/assignment_declare.html",
        {
            "assignment": assignment,
            "entry": entry,
            "partners": list(entry.related_organisations.order_by("name")),
            "form": form,
        },
    )


@login_required
def assignment_score(request, pk: int):
    assignment = _own_assignment(request, pk)
    entry = assignment.entry
    panel = entry.panel
    user = request.user
    if not user.has_perm("scoring.view_entry", entry):
        if assignment.state == Assignment.State.ASSIGNED:
            raise PermissionDenied(
                _("Declare that you have no conflict of interest before you see this entry.")
            )
        raise PermissionDenied(_("You have recused yourself from this entry."))
    can_score = user.has_perm("scoring.score_entry", entry)
    criteria = list(panel.criteria.all())
    own_scores = list(assignment.scores.all())
    form = ScoreForm(
        request.POST if request.method == "POST" else None,
        panel=panel,
        criteria=criteria,
        scores=own_scores,
    )
    if request.method == "POST":
        if not can_score:
            raise PermissionDenied(_("Your scores have been submitted and can no longer change."))
        submitting = "submit" in request.POST
        if form.is_valid():
            try:
                with transaction.atomic():
                    for criterion, value, comment in form.entered():
                        services.score_save(
                            assignment=assignment,
                            criterion=criterion,
                            value=value,
                            comment=comment,
                            actor=user,
                        )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if not submitting:
                    messages.success(request, _("Your draft scores have been saved."))
                    return redirect("scoring:assignment_score", pk=assignment.pk)
                try:
                    services.assignment_submit(assignment=assignment, actor=user)
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    messages.success(request, _("Your scores have been submitted. Thank you."))
                    return redirect("scoring:assignment_score", pk=assignment.pk)
    by_criterion = {s.criterion_id: s for s in own_scores}
    others = None
    if user.has_perm("scoring.view_scores", entry):
        others = _side_by_side(criteria, selectors.scores_visible_to(user, entry))
    return render(
        request,
        "scoring/assignment_score.html",
        {
            "assignment": assignment,
            "entry": entry,
            "panel": panel,
            "partners": list(entry.related_organisations.order_by("name")),
            "form": form,
            "can_score": can_score,
            "own_rows": [(c, by_criterion.get(c.pk)) for c in criteria],
            "others": others,
        },
    )


def _side_by_side(criteria, scores):
    """{"reviewers": [...], "rows": [(criterion, [score or None per reviewer])]}."""
    by_reviewer: dict = {}
    for score in scores:
        by_reviewer.setdefault(score.assignment_id, (score.assignment.reviewer, {}))[1][
            score.criterion_id
        ] = score
    columns = [by_reviewer[key] for key in sorted(by_reviewer)]
    return {
        "reviewers": [reviewer for reviewer, _scores in columns],
        "rows": [(c, [cells.get(c.pk) for _r, cells in columns]) for c in criteria],
    }


@login_required
def panel_consensus(request, pk: int):
    panel = get_object_or_404(Panel, pk=pk)
    if not request.user.has_perm("scoring.view_consensus", panel):
        raise PermissionDenied(_("Only VLAIO programme officers can see the consensus of a panel."))
    budget = selectors.budget_for(panel)
    if budget is None:
        rows = selectors.consensus(panel)
    else:
        rows = selectors.consensus(panel, budget=budget[0], amount_for=budget[1])
    return render(
        request,
        "scoring/panel_consensus.html",
        {
            "panel": panel,
            "rows": rows,
            "show_amounts": budget is not None,
            "budget": None if budget is None else budget[0],
            "criteria": list(panel.criteria.all()),
            "threshold_percent": int(panel.spread_threshold * 100),
            "back_url": reverse("scoring:assignment_list"),
        },
    )


def _panel_for_officer(request, pk: int) -> Panel:
    panel = get_object_or_404(Panel, pk=pk)
    if not request.user.has_perm("scoring.manage_panel", panel):
        raise PermissionDenied(_("Only VLAIO programme officers can assign reviewers."))
    return panel


def _per_entry(raw, default: int = 2) -> int:
    try:
        return min(max(int(raw), 1), 10)
    except (TypeError, ValueError):
        return default


@login_required
def panel_assign(request, pk: int):
    """Officers assign reviewers: one by one, or the balanced suggestion for the whole panel."""
    panel = _panel_for_officer(request, pk)
    url = reverse("scoring:panel_assign", args=[panel.pk])
    pool = list(selectors.reviewer_pool())
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                entry = get_object_or_404(panel.entries, pk=request.POST.get("entry"))
                reviewer = next(
                    (r for r in pool if str(r.pk) == request.POST.get("reviewer")), None
                )
                if reviewer is None:
                    raise ValidationError(_("Choose a reviewer."))
                services.assignment_create(entry=entry, reviewer=reviewer, actor=request.user)
                messages.success(
                    request,
                    _("%(reviewer)s has been assigned to “%(entry)s”.")
                    % {"reviewer": reviewer, "entry": entry.title},
                )
            elif action == "withdraw":
                assignment = get_object_or_404(
                    Assignment, pk=request.POST.get("assignment"), entry__panel=panel
                )
                services.assignment_delete(assignment=assignment, actor=request.user)
                messages.success(request, _("The assignment has been withdrawn."))
            elif action == "apply":
                per_entry = _per_entry(request.POST.get("per_entry"))
                created = services.assignments_create_suggested(
                    panel=panel, reviewers=pool, per_entry=per_entry, actor=request.user
                )
                messages.success(
                    request,
                    _("%(count)s assignments have been created.") % {"count": len(created)},
                )
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(url)

    flags = selectors.conflict_flags(panel, pool)
    rows = []
    load = {r.pk: 0 for r in pool}
    overview = selectors.panel_assignments(panel)
    for _entry, assignments in overview:
        for a in assignments:
            if a.state != Assignment.State.RECUSED and a.reviewer_id in load:
                load[a.reviewer_id] += 1
    for entry, assignments in overview:
        assigned = {a.reviewer_id for a in assignments}
        options = [
            {
                "reviewer": r,
                "flag": ", ".join(flags.get((entry.pk, r.pk), [])),
                "load": load[r.pk],
            }
            for r in pool
            if r.pk not in assigned
        ]
        rows.append({"entry": entry, "assignments": assignments, "options": options})
    per_entry = _per_entry(request.GET.get("per_entry"))
    suggestion, suggestion_count = None, 0
    if "suggest" in request.GET:
        proposed = services.assignments_suggest(panel=panel, reviewers=pool, per_entry=per_entry)
        suggestion = [(entry, proposed.get(entry.pk, [])) for entry, _a in overview]
        suggestion_count = sum(len(picks) for _e, picks in suggestion)
    return render(
        request,
        "scoring/panel_assign.html",
        {
            "panel": panel,
            "rows": rows,
            "pool_size": len(pool),
            "per_entry": per_entry,
            "suggestion": suggestion,
            "suggestion_count": suggestion_count,
        },
    )


@login_required
def panel_audit(request, pk: int):
    """The append-only audit trail of a panel, newest first (officers)."""
    panel = _panel_for_officer(request, pk)
    from django.core.paginator import Paginator

    page = Paginator(selectors.panel_audit_trail(panel), 100).get_page(request.GET.get("page"))
    from stemnet.core import audit

    page.object_list = audit.readable(page.object_list)
    return render(request, "scoring/panel_audit.html", {"panel": panel, "page": page})
