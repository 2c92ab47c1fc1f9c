"""The school's side of STEMpact (intake, its trajectory page, respondents, action plan) and
the respondents' questionnaire behind a personal link."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.stempact import radar, selectors, services
from stemnet.stempact.forms import (
    ActionForm,
    ApplyForm,
    CommentForm,
    InviteForm,
    survey_answers,
    survey_form,
)
from stemnet.stempact.models import Action, Aspect, Cohort, Measurement, Trajectory


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errs:
                form.add_error(target, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def check(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You may not see or change this."))


def results_context(trajectory: Trajectory) -> dict:
    """The school's scores with the cohort median, and the radar of both (before/after once
    the final measurement has answers)."""
    baseline = selectors.school_results(trajectory, Measurement.Kind.BASELINE)
    final = selectors.school_results(trajectory, Measurement.Kind.FINAL)
    has_final = any(r.score is not None for r in final)
    has_baseline = any(r.score is not None for r in baseline)
    labels = [str(label) for label in Aspect.labels]
    cohort = trajectory.cohort
    series = [
        ("median", _("Cohort median (baseline)"), [r.median for r in baseline]),
        ("school", _("Your school: baseline"), [r.score for r in baseline]),
    ]
    if has_final:
        series.append(("after", _("Your school: final measurement"), [r.score for r in final]))
    rows = [
        {"baseline": b, "final": f if has_final else None}
        for b, f in zip(baseline, final, strict=True)
    ]
    return {
        "has_baseline": has_baseline,
        "has_final": has_final,
        "result_rows": rows,
        "weakest": [Aspect(a).label for a in selectors.weakest_aspects(baseline)],
        "radar": radar.radar(
            labels=labels, series=series, low=cohort.scale_min, high=cohort.scale_max
        )
        if has_baseline
        else None,
    }


@login_required
def mine(request):
    return render(
        request,
        "stempact/trajectory_mine.html",
        {
            "trajectories": selectors.trajectories_visible_to(request.user),
            "open_cohorts": selectors.cohorts_open_for_intake(),
            "is_staff": selectors.is_staff(request.user),
        },
    )


@login_required
def apply(request, pk: int):
    cohort = get_object_or_404(Cohort.objects.select_related("programme"), pk=pk, intake_open=True)
    schools = selectors.schools_coordinated_by(request.user)
    form = ApplyForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        facts = {k: v for k, v in form.cleaned_data.items() if k not in ("school", "motivation")}
        try:
            trajectory = services.trajectory_apply(
                cohort=cohort,
                school=form.cleaned_data["school"],
                actor=request.user,
                motivation=form.cleaned_data["motivation"],
                **facts,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your application was received."))
            return redirect(trajectory)
    return render(
        request,
        "stempact/trajectory_apply.html",
        {"cohort": cohort, "form": form, "schools": schools},
    )


def _detail_context(request, trajectory: Trajectory, **forms) -> dict:
    user = request.user
    see_results = user.has_perm("stempact.view_results", trajectory)
    may_invite = user.has_perm("stempact.invite_respondents", trajectory)
    measurements = {m.kind: m for m in trajectory.cohort.measurements.all()}
    context = {
        "trajectory": trajectory,
        "cohort": trajectory.cohort,
        "see_results": see_results,
        "may_invite": may_invite,
        "may_edit_plan": user.has_perm("stempact.edit_plan", trajectory),
        "may_enter_award": user.has_perm("stempact.enter_award", trajectory),
        "measurements": measurements,
        "respondents": trajectory.respondents.select_related("measurement") if may_invite else [],
        "invite_form": forms.get("invite_form") or InviteForm(),
        "action_form": forms.get("action_form") or ActionForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "actions": trajectory.actions.all(),
        "comments": trajectory.comments.select_related("author"),
        "networks": trajectory.cohort.networks.all(),
        "attended": set(trajectory.networks.values_list("pk", flat=True)),
    }
    if see_results:
        context.update(results_context(trajectory))
    return context


def _trajectory(request, pk: int, perm: str) -> Trajectory:
    trajectory = get_object_or_404(
        Trajectory.objects.select_related("cohort__programme", "school", "sponsor"), pk=pk
    )
    check(request.user, perm, trajectory)
    return trajectory


@login_required
def trajectory_detail(request, pk: int):
    trajectory = _trajectory(request, pk, "stempact.view_trajectory")
    return render(request, "stempact/trajectory_detail.html", _detail_context(request, trajectory))


@login_required
@require_POST
def respondent_invite(request, pk: int, kind: str):
    trajectory = _trajectory(request, pk, "stempact.invite_respondents")
    measurement = get_object_or_404(Measurement, cohort=trajectory.cohort, kind=kind)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.respondent_invite(
                measurement=measurement,
                trajectory=trajectory,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The invitation is on its way."))
            return redirect(trajectory)
    context = _detail_context(request, trajectory, invite_form=form)
    return render(request, "stempact/trajectory_detail.html", context, status=400)


@login_required
@require_POST
def trajectory_remind(request, pk: int, kind: str):
    trajectory = _trajectory(request, pk, "stempact.invite_respondents")
    measurement = get_object_or_404(Measurement, cohort=trajectory.cohort, kind=kind)
    try:
        sent = services.respondents_remind(
            measurement=measurement, trajectory=trajectory, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reminders sent: %(count)s.") % {"count": sent})
    return redirect(trajectory)


@login_required
@require_POST
def action_save(request, pk: int, action_pk: int | None = None):
    trajectory = _trajectory(request, pk, "stempact.edit_plan")
    action = get_object_or_404(Action, pk=action_pk, trajectory=trajectory) if action_pk else None
    form = ActionForm(request.POST, instance=action)
    if form.is_valid():
        try:
            services.action_save(
                trajectory=trajectory, actor=request.user, action=action, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The action plan is saved."))
            return redirect(trajectory.get_absolute_url() + "#plan")
    context = _detail_context(request, trajectory, action_form=form)
    return render(request, "stempact/trajectory_detail.html", context, status=400)


@login_required
@require_POST
def comment_add(request, pk: int):
    trajectory = _trajectory(request, pk, "stempact.edit_plan")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(trajectory=trajectory, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect(trajectory.get_absolute_url() + "#comments")
    context = _detail_context(request, trajectory, comment_form=form)
    return render(request, "stempact/trajectory_detail.html", context, status=400)


def survey(request, token: str):
    """The questionnaire behind a personal link: no account, the link works once."""
    respondent = selectors.respondent_by_token(token)
    state = services.survey_state(respondent)
    if state != "ok":
        return render(
            request,
            "stempact/survey_closed.html",
            {"message": services.survey_link_error(state), "state": state},
            status=410 if state in ("used", "expired") else 404,
        )
    cohort = respondent.measurement.cohort
    questionnaires = selectors.questionnaires_current(cohort)
    form = survey_form(cohort, questionnaires, request.POST or None)
    if request.method == "POST":
        try:
            services.survey_submit(token=token, answers=survey_answers(form))
        except ValidationError as error:
            form.is_valid()
            add_errors(form, error)
        else:
            return render(request, "stempact/survey_done.html", {"respondent": respondent})
    groups = []
    for questionnaire in questionnaires:
        names = [f"item_{item.pk}" for item in questionnaire.items.all()]
        groups.append((questionnaire.get_aspect_display(), [form[n] for n in names]))
    return render(
        request,
        "stempact/survey_form.html",
        {"respondent": respondent, "cohort": cohort, "form": form, "groups": groups},
        status=400 if form.errors else 200,
    )
