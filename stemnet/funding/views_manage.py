"""The programme officers' area (/financiering/beheer/): rounds, applications, eligibility,
reviewers, decisions within budget, grants, tranches and reports, audit trail, export."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.core import audit, tabular
from stemnet.core.money import XLSX_EURO_FORMAT
from stemnet.funding import selectors, services
from stemnet.funding.forms import (
    ApplicationFilterForm,
    AssignForm,
    CommentForm,
    DecisionForm,
    EligibilityForm,
    QuestionForm,
)
from stemnet.funding.models import Application, Report, Round, Tranche
from stemnet.organisations.models import Membership


def _officer_round(request, pk: int) -> Round:
    round = get_object_or_404(Round, pk=pk)
    if not request.user.has_perm("funding.manage_round", round):
        raise PermissionDenied(_("Only the programme officers of this round have access."))
    return round


def _officer_application(request, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("round", "organisation"), pk=pk
    )
    if not request.user.has_perm("funding.manage_application", application):
        raise PermissionDenied(_("Only the programme officers of this round have access."))
    return application


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def round_list(request):
    if not request.user.has_perm("funding.officer_area"):
        raise PermissionDenied(_("Only programme officers have access."))
    rounds = selectors.rounds_managed_by(request.user).order_by("-closes_at")
    return render(
        request,
        "funding/manage/round_list.html",
        {
            "rounds": [(r, selectors.round_granted_total(r)) for r in rounds],
            "reports": selectors.reports_to_approve(request.user),
            "recognitions": selectors.recognitions_ending(),
        },
    )


@login_required
def round_detail(request, pk: int):
    round = _officer_round(request, pk)
    filters = ApplicationFilterForm(request.GET or None)
    status = q = ""
    if filters.is_valid():
        status, q = filters.cleaned_data["status"], filters.cleaned_data["q"]
    granted = selectors.round_granted_total(round)
    return render(
        request,
        "funding/manage/round_detail.html",
        {
            "round": round,
            "filters": filters,
            "applications": selectors.round_applications(round, status=status, q=q),
            "granted": granted,
            "left": round.budget - granted,
            "eligible_count": round.applications.filter(status=Application.Status.ELIGIBLE).count(),
        },
    )


@login_required
@require_POST
def review_open(request, pk: int):
    round = _officer_round(request, pk)
    try:
        count = services.review_open(round=round, actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("%(count)s applications are now in review.") % {"count": count})
    return redirect("funding:manage_round", pk=round.pk)


def _reviewers():
    User = get_user_model()
    return (
        User.objects.filter(memberships__role=Membership.Role.REVIEWER, is_active=True)
        .distinct()
        .order_by("name", "email")
    )


@login_required
def application_manage(request, pk: int):
    application = _officer_application(request, pk)
    return render(request, "funding/manage/application_manage.html", _manage_context(application))


def _manage_context(application: Application, decision_form: DecisionForm | None = None):
    round = application.round
    reviewers = []
    assignments = []
    if application.entry_id:
        from stemnet.scoring import services as scoring

        assignments = application.entry.assignments.select_related("reviewer")
        assigned = {a.reviewer_id for a in assignments}
        for user in _reviewers():
            if user.pk not in assigned:
                reviewers.append(
                    (user, scoring.reviewer_conflicts(entry=application.entry, reviewer=user))
                )
    granted = selectors.round_granted_total(round)
    grant = getattr(application, "grant", None)
    if decision_form is None:
        decision_form = DecisionForm(
            initial={"amount": min(application.requested_amount, round.budget - granted)}
        )
    return {
        "application": application,
        "round": round,
        "gaps": services.application_check(application),
        "eligibility_form": EligibilityForm(),
        "question_form": QuestionForm(),
        "decision_form": decision_form,
        "assign_form": AssignForm(reviewers=[u for u, flags in reviewers if not flags]),
        "flagged": [(u, flags) for u, flags in reviewers if flags],
        "assignments": assignments,
        "granted": granted,
        "left": round.budget - granted,
        "decision": getattr(application, "decision", None),
        "grant": grant,
        "tranches": grant.tranches.all() if grant else [],
        "reports": grant.reports.all() if grant else [],
        "audit": audit.readable(audit.entries_for(application)[:200]),
        "comment_form": CommentForm(),
        "S": Application.Status,
    }


def _form_action(request, pk, form_class, action, ok: str):
    application = _officer_application(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(application, form.cleaned_data)
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, ok)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("funding:manage_application", pk=application.pk)


@login_required
@require_POST
def eligibility_record(request, pk: int):
    return _form_action(
        request,
        pk,
        EligibilityForm,
        lambda a, d: services.eligibility_record(application=a, actor=request.user, **d),
        _("The eligibility check has been recorded."),
    )


@login_required
@require_POST
def info_request_create(request, pk: int):
    return _form_action(
        request,
        pk,
        QuestionForm,
        lambda a, d: services.info_request_create(application=a, actor=request.user, **d),
        _("The question has been sent to the applicant."),
    )


@login_required
@require_POST
def decision_record(request, pk: int):
    """Records the decision; on any error the page comes back with what was typed."""
    application = _officer_application(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_record(
                application=application, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision has been recorded; the letter is ready."))
            return redirect("funding:manage_application", pk=application.pk)
    application.refresh_from_db()
    return render(
        request,
        "funding/manage/application_manage.html",
        _manage_context(application, decision_form=form),
        status=422,
    )


@login_required
@require_POST
def assignment_create(request, pk: int):
    from stemnet.scoring import services as scoring

    def action(application, data):
        if application.entry_id is None:
            raise ValidationError(_("Open the review of the round first."))
        reviewer = get_object_or_404(_reviewers(), pk=data["reviewer"])
        scoring.assignment_create(entry=application.entry, reviewer=reviewer, actor=request.user)

    return _form_action(
        request,
        pk,
        lambda post: AssignForm(post, reviewers=_reviewers()),
        action,
        _("The reviewer has been assigned."),
    )


@login_required
@require_POST
def tranche_action(request, pk: int, action: str):
    if action not in ("release", "paid"):
        raise Http404
    tranche = get_object_or_404(Tranche.objects.select_related("grant__application"), pk=pk)
    application = tranche.grant.application
    if not request.user.has_perm("funding.manage_application", application):
        raise PermissionDenied(_("Only the programme officers of this round have access."))
    service = services.tranche_release if action == "release" else services.tranche_mark_paid
    try:
        service(tranche=tranche, actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("The tranche has been updated."))
    return redirect("funding:manage_application", pk=application.pk)


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    if action not in ("approve", "changes"):
        raise Http404
    report = get_object_or_404(Report.objects.select_related("grant__application"), pk=pk)
    application = report.grant.application
    if not request.user.has_perm("funding.manage_application", application):
        raise PermissionDenied(_("Only the programme officers of this round have access."))
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "approve":
            services.report_approve(report=report, actor=request.user, comment=comment)
        else:
            services.report_request_changes(report=report, actor=request.user, comment=comment)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("The report has been updated."))
    return redirect("funding:report_edit", pk=report.pk)


@login_required
def round_export(request, pk: int):
    """The round's applications and decisions as an XLSX workbook."""
    from openpyxl import Workbook

    round = _officer_round(request, pk)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    tabular.sheet_append(
        sheet,
        [
            _("Reference"),
            _("Applicant"),
            _("Project title"),
            _("Status"),
            _("Requested amount"),
            _("Recognised"),
            _("Amount granted"),
            _("Submitted"),
        ],
    )
    for a in selectors.round_applications(round):
        decision = getattr(a, "decision", None)
        tabular.sheet_append(
            sheet,
            [
                f"F-{a.pk}",
                a.organisation.name,
                a.title,
                a.get_status_display(),
                float(a.requested_amount),
                (_("yes") if decision.recognised else _("no")) if decision else "",
                float(decision.amount_granted) if decision else None,
                a.submitted_at.replace(tzinfo=None) if a.submitted_at else None,
            ],
        )
    for row in sheet.iter_rows(min_row=2):
        for cell in (row[4], row[6]):  # requested, granted: numbers shown as euros
            cell.number_format = XLSX_EURO_FORMAT
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="round-{round.pk}.xlsx"'
    return response


@login_required
@require_POST
def recognition_renew(request, pk: int):
    from stemnet.funding.models import Recognition

    if not request.user.has_perm("funding.officer_area"):
        raise PermissionDenied(_("Only programme officers have access."))
    recognition = get_object_or_404(Recognition, pk=pk)
    try:
        services.recognition_renew(recognition=recognition, actor=request.user)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("The recognition has been renewed."))
    return redirect("funding:manage_rounds")
