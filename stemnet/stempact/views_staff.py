"""Programme staff: cohorts, intake decisions, questionnaires, measurements, progress,
results of every school and the export."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.core import tabular
from stemnet.stempact import selectors, services
from stemnet.stempact.forms import (
    CohortCreateForm,
    CohortUpdateForm,
    DecideForm,
    MeasurementForm,
    NetworkForm,
    QuestionnaireForm,
)
from stemnet.stempact.models import Aspect, Cohort, LearningNetwork, Measurement, Trajectory
from stemnet.stempact.views import add_errors, check


def _cohort(request, pk: int) -> Cohort:
    check(request.user, "stempact.staff_area")
    return get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)


def _kind(kind: str) -> str:
    if kind not in Measurement.Kind.values:
        raise Http404
    return kind


@login_required
def cohort_list(request):
    check(request.user, "stempact.staff_area")
    form = CohortCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme = data["programme"] or services.programme_create(
                title=data["new_programme"], actor=request.user
            )
            cohort = services.cohort_create(
                programme=programme,
                title=data["title"],
                max_schools=data["max_schools"],
                scale_min=data["scale_min"],
                scale_max=data["scale_max"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("stempact:cohort_detail", pk=cohort.pk)
    return render(
        request, "stempact/cohort_list.html", {"cohorts": selectors.cohort_list(), "form": form}
    )


def _results_table(cohort: Cohort, kind: str):
    scores = selectors.cohort_scores(cohort, kind)
    medians = selectors.cohort_median(scores)
    rows = []
    for trajectory in selectors.trajectories_of(cohort, status=Trajectory.Status.SELECTED):
        own = scores.get(trajectory.pk)
        rows.append((trajectory, [own[a] if own else None for a in Aspect.values]))
    return rows, [medians[a] for a in Aspect.values]


def _cohort_context(cohort: Cohort, **forms) -> dict:
    rows, medians = _results_table(cohort, Measurement.Kind.BASELINE)
    plans = selectors.action_progress(cohort)
    rows = [(t, scores, plans.get(t.pk)) for t, scores in rows]
    measurements = {m.kind: m for m in cohort.measurements.all()}
    questionnaires = {q.aspect: q for q in selectors.questionnaires_current(cohort)}
    return {
        "cohort": cohort,
        "update_form": forms.get("update_form") or CohortUpdateForm(instance=cohort),
        "measurement_form": forms.get("measurement_form") or MeasurementForm(),
        "network_form": forms.get("network_form") or NetworkForm(),
        "applications": selectors.trajectories_of(cohort).exclude(
            status=Trajectory.Status.SELECTED
        ),
        "selected": selectors.trajectories_of(cohort, status=Trajectory.Status.SELECTED),
        "questionnaire_rows": [
            (value, label, questionnaires.get(value)) for value, label in Aspect.choices
        ],
        "measurement_rows": [
            (
                kind,
                label,
                measurements.get(kind),
                selectors.progress_per_school(cohort, kind) if kind in measurements else [],
            )
            for kind, label in Measurement.Kind.choices
        ],
        "result_rows": rows,
        "medians": medians,
        "decide_form": DecideForm(),
        "networks": cohort.networks.prefetch_related("attendees"),
    }


@login_required
def cohort_detail(request, pk: int):
    cohort = _cohort(request, pk)
    return render(request, "stempact/cohort_detail.html", _cohort_context(cohort))


@login_required
@require_POST
def cohort_update(request, pk: int):
    cohort = _cohort(request, pk)
    form = CohortUpdateForm(request.POST, instance=Cohort.objects.get(pk=cohort.pk))
    if form.is_valid():
        try:
            services.cohort_update(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The cohort is saved."))
            return redirect("stempact:cohort_detail", pk=cohort.pk)
    context = _cohort_context(cohort, update_form=form)
    return render(request, "stempact/cohort_detail.html", context, status=400)


@login_required
@require_POST
def trajectory_decide(request, pk: int):
    check(request.user, "stempact.staff_area")
    trajectory = get_object_or_404(Trajectory, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        try:
            services.trajectory_decide(
                trajectory=trajectory, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(school)s: decision saved.") % {"school": trajectory.school}
            )
    return redirect("stempact:cohort_detail", pk=trajectory.cohort_id)


@login_required
def questionnaire_edit(request, pk: int, aspect: str):
    cohort = _cohort(request, pk)
    if aspect not in Aspect.values:
        raise Http404
    current = selectors.questionnaire_current(cohort, aspect)
    initial = "\n".join(i.text for i in current.items.all()) if current else ""
    form = QuestionnaireForm(request.POST or None, initial={"items": initial})
    if request.method == "POST" and form.is_valid():
        try:
            services.questionnaire_save(
                cohort=cohort,
                aspect=aspect,
                items=form.cleaned_data["items"].splitlines(),
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The statements are saved."))
            return redirect("stempact:cohort_detail", pk=cohort.pk)
    return render(
        request,
        "stempact/questionnaire_edit.html",
        {
            "cohort": cohort,
            "aspect": Aspect(aspect).label,
            "current": current,
            "has_answers": current is not None and selectors.questionnaire_has_answers(current),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def measurement_open(request, pk: int, kind: str):
    cohort = _cohort(request, pk)
    form = MeasurementForm(request.POST)
    if form.is_valid():
        try:
            services.measurement_open(
                cohort=cohort,
                kind=_kind(kind),
                closes_at=form.cleaned_data["closes_at"],
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The measurement is open."))
            return redirect("stempact:cohort_detail", pk=cohort.pk)
    context = _cohort_context(cohort, measurement_form=form)
    return render(request, "stempact/cohort_detail.html", context, status=400)


@login_required
@require_POST
def respondents_remind(request, pk: int, kind: str):
    cohort = _cohort(request, pk)
    measurement = get_object_or_404(Measurement, cohort=cohort, kind=_kind(kind))
    try:
        sent = services.respondents_remind(measurement=measurement, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Reminders sent: %(count)s.") % {"count": sent})
    return redirect("stempact:cohort_detail", pk=cohort.pk)


@login_required
def cohort_export(request, pk: int):
    """Every school's scores per aspect (baseline and final) as an XLSX file."""
    from openpyxl import Workbook

    cohort = _cohort(request, pk)
    book = Workbook()
    book.remove(book.active)
    for kind, label in Measurement.Kind.choices:
        sheet = book.create_sheet(str(label)[:31])
        header = [_("School"), _("Municipality"), _("Sponsor company")]
        for aspect_label in Aspect.labels:
            header += [
                f"{aspect_label}: {_('score')}",
                f"{aspect_label}: {_('respondents')}",
                f"{aspect_label}: {_('spread')}",
            ]
        tabular.sheet_append(sheet, header)
        rows, medians = _results_table(cohort, kind)
        for trajectory, scores in rows:
            line = [
                trajectory.school.name,
                str(trajectory.school.municipality or ""),
                str(trajectory.sponsor or ""),
            ]
            for s in scores:
                line += [s.score, s.respondents, s.spread] if s else [None, 0, None]
            tabular.sheet_append(sheet, line)
        median_line = [_("Cohort median"), "", ""]
        for m in medians:
            median_line += [m, None, None]
        tabular.sheet_append(sheet, median_line)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="stempact-{cohort.pk}.xlsx"'
    return response


@login_required
@require_POST
def network_create(request, pk: int):
    cohort = _cohort(request, pk)
    form = NetworkForm(request.POST)
    if form.is_valid():
        try:
            services.network_create(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("stempact:cohort_detail", pk=cohort.pk)
    context = _cohort_context(cohort, network_form=form)
    return render(request, "stempact/cohort_detail.html", context, status=400)


@login_required
@require_POST
def network_attendance(request, pk: int):
    check(request.user, "stempact.staff_area")
    network = get_object_or_404(LearningNetwork, pk=pk)
    ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    present = list(network.cohort.trajectories.filter(pk__in=ids))
    services.attendance_set(network=network, present=present, actor=request.user)
    messages.success(request, _("Attendance saved."))
    return redirect("stempact:cohort_detail", pk=network.cohort_id)
