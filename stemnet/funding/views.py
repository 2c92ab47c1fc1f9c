"""Public round pages, results, and the applicant's pages (apply, follow, report)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stemnet.core import private_files
from stemnet.funding import documents, selectors, services
from stemnet.funding.forms import (
    AnswerForm,
    ApplicationForm,
    AttachmentForm,
    BudgetLineForm,
    PartnerForm,
    ReportForm,
)
from stemnet.funding.models import (
    Application,
    Attachment,
    BudgetLine,
    InfoRequest,
    Partner,
    Report,
    Round,
)


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errs:
                form.add_error(target, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _check(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You may not see or change this."))


# --- Public ------------------------------------------------------------------------------


def round_list(request):
    now = timezone.now()
    rounds = Round.objects.published(now).order_by("-closes_at")
    return render(
        request,
        "funding/round_list.html",
        {
            "open_rounds": [r for r in rounds if r.is_open(now)],
            "closed_rounds": [r for r in rounds if not r.is_open(now)],
            "upcoming": Round.objects.filter(opens_at__gt=now).order_by("opens_at"),
        },
    )


def round_detail(request, pk: int):
    round = get_object_or_404(Round, pk=pk)
    organisations = selectors.applicant_organisations(request.user)
    existing = (
        Application.objects.filter(round=round, organisation__in=organisations).exclude(
            status=Application.Status.WITHDRAWN
        )
        if organisations
        else []
    )
    return render(
        request,
        "funding/round_detail.html",
        {
            "round": round,
            "is_open": round.is_open(),
            "organisations": organisations,
            "existing": existing,
            "criteria": round.panel.criteria.all() if round.panel_id else [],
            "results": next((r for r in selectors.rounds_results() if r["id"] == round.pk), None),
        },
    )


def results(request):
    return render(request, "funding/round_results.html", {"results": selectors.rounds_results()})


# --- Applicant ---------------------------------------------------------------------------


@login_required
@require_POST
def application_start(request, pk: int):
    round = get_object_or_404(Round, pk=pk)
    organisation = get_object_or_404(
        selectors.applicant_organisations(request.user), pk=request.POST.get("organisation")
    )
    try:
        application = services.application_create(
            round=round, organisation=organisation, actor=request.user
        )
    except ValidationError as error:
        existing = selectors.application_active(round, organisation)
        if error.code == "duplicate" and existing is not None:
            # A second click on "apply" (or a second tab): open the application that exists.
            messages.info(request, _("Your organisation already has this application; here it is."))
            if existing.status == Application.Status.DRAFT:
                return redirect("funding:application_edit", pk=existing.pk)
            return redirect("funding:application_detail", pk=existing.pk)
        for message in _messages_of(error):
            messages.error(request, message)
        return redirect("funding:round_detail", pk=round.pk)
    messages.success(request, _("Your draft application has been created."))
    return redirect("funding:application_edit", pk=application.pk)


@login_required
def application_mine(request):
    return render(
        request,
        "funding/application_list.html",
        {"applications": selectors.applications_of_user(request.user)},
    )


def _application(request, pk: int, perm: str) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("round", "organisation"), pk=pk
    )
    _check(request.user, perm, application)
    return application


def _edit_context(application, **forms) -> dict:
    return {
        "application": application,
        "round": application.round,
        "form": forms.get("form") or ApplicationForm(instance=application),
        "partner_form": forms.get("partner_form") or PartnerForm(application=application),
        "budget_form": forms.get("budget_form") or BudgetLineForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(round=application.round),
        "gaps": services.application_check(application),
        "partners": application.partners.select_related("organisation"),
        "budget_lines": application.budget_lines.all(),
        "attachments": application.attachments.all(),
        "editable": application.status
        in (Application.Status.DRAFT, Application.Status.INFO_REQUESTED),
    }


@login_required
def application_edit(request, pk: int):
    application = _application(request, pk, "funding.change_application")
    form = None
    if request.method == "POST":
        form = ApplicationForm(request.POST, instance=application)
        if form.is_valid():
            data = {
                k: v
                for k, v in form.cleaned_data.items()
                if k not in ("municipalities", "activities")
            }
            try:
                services.application_update(
                    application=application,
                    actor=request.user,
                    municipalities=form.cleaned_data["municipalities"],
                    activities=form.cleaned_data.get("activities"),
                    **data,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                application.refresh_from_db()
                if request.htmx:
                    return render(
                        request,
                        "funding/application_edit.html#saved",
                        {"saved_at": timezone.localtime(), "application": application},
                    )
                messages.success(request, _("Saved."))
                return redirect("funding:application_edit", pk=application.pk)
        if request.htmx:
            return render(
                request,
                "funding/application_edit.html#saved",
                {"errors": form.errors, "application": application},
            )
    return render(request, "funding/application_edit.html", _edit_context(application, form=form))


@login_required
@require_POST
def partner_add(request, pk: int):
    def action(application, data):
        services.partner_add(
            application=application,
            organisation=data["organisation"],
            role=data["role"],
            actor=request.user,
        )

    return _section(request, pk, PartnerForm, "partner_form", action, lambda a: {"application": a})


def _section(request, pk, form_class, key, action, kwargs_for):
    application = _application(request, pk, "funding.change_application")
    args = (request.POST, request.FILES) if form_class is AttachmentForm else (request.POST,)
    form = form_class(*args, **kwargs_for(application))
    if form.is_valid():
        try:
            action(application, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("funding:application_edit", pk=application.pk)
    response = render(
        request, "funding/application_edit.html", _edit_context(application, **{key: form})
    )
    response.status_code = 422
    return response


@login_required
@require_POST
def budget_line_add(request, pk: int):
    def action(application, data):
        services.budget_line_add(application=application, actor=request.user, **data)

    return _section(request, pk, BudgetLineForm, "budget_form", action, lambda a: {})


@login_required
@require_POST
def attachment_add(request, pk: int):
    def action(application, data):
        label = data["label"]
        if label == "other":
            label = data["file"].name.rsplit(".", 1)[0]
        services.attachment_add(
            application=application, label=label, upload=data["file"], actor=request.user
        )

    return _section(
        request, pk, AttachmentForm, "attachment_form", action, lambda a: {"round": a.round}
    )


def _remove(request, model, pk, service, arg):
    obj = get_object_or_404(model, pk=pk)
    application = obj.application
    _check(request.user, "funding.change_application", application)
    try:
        service(**{arg: obj, "actor": request.user})
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Removed."))
    return redirect("funding:application_edit", pk=application.pk)


@login_required
@require_POST
def partner_remove(request, pk: int):
    return _remove(request, Partner, pk, services.partner_remove, "partner")


@login_required
@require_POST
def budget_line_remove(request, pk: int):
    return _remove(request, BudgetLine, pk, services.budget_line_remove, "line")


@login_required
@require_POST
def attachment_remove(request, pk: int):
    return _remove(request, Attachment, pk, services.attachment_remove, "attachment")


@login_required
@require_POST
def application_submit(request, pk: int):
    application = _application(request, pk, "funding.change_application")
    try:
        services.application_submit(application=application, actor=request.user)
    except ValidationError as error:
        response = render(
            request,
            "funding/application_edit.html",
            {**_edit_context(application), "submit_errors": _messages_of(error)},
        )
        response.status_code = 422
        return response
    messages.success(
        request,
        _("Your application has been submitted. The receipt is on its way by e-mail."),
    )
    return redirect("funding:application_detail", pk=application.pk)


@login_required
@require_POST
def application_withdraw(request, pk: int):
    application = _application(request, pk, "funding.change_application")
    try:
        services.application_withdraw(application=application, actor=request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("funding:application_detail", pk=application.pk)


@login_required
def application_detail(request, pk: int):
    application = _application(request, pk, "funding.view_application")
    user = request.user
    is_applicant = selectors.is_applicant(user, application)
    is_officer = selectors.is_round_officer(user, application.round)
    if not is_applicant and not is_officer:
        return redirect("funding:application_review", pk=application.pk)
    grant = getattr(application, "grant", None)
    return render(
        request,
        "funding/application_detail.html",
        {
            "application": application,
            "is_applicant": is_applicant,
            "is_officer": is_officer,
            "info_requests": application.info_requests.all(),
            "answer_form": AnswerForm(),
            "decision": getattr(application, "decision", None),
            "grant": grant,
            "tranches": grant.tranches.all() if grant else [],
            "reports": grant.reports.all() if grant else [],
            "can_withdraw": is_applicant
            and Application.Status.WITHDRAWN in services.TRANSITIONS.get(application.status, set()),
        },
    )


@login_required
def application_review(request, pk: int):
    """What an assigned reviewer (no conflict declared) reads; officers too."""
    application = _application(request, pk, "funding.view_application")
    return render(
        request,
        "funding/application_review.html",
        {
            "application": application,
            "partners": application.partners.select_related("organisation"),
            "budget_lines": application.budget_lines.all(),
            "municipalities": application.municipalities.order_by("name_nl"),
        },
    )


@login_required
@require_POST
def info_request_answer(request, pk: int):
    info = get_object_or_404(InfoRequest.objects.select_related("application"), pk=pk)
    _check(request.user, "funding.change_application", info.application)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.info_request_answer(
                info_request=info, answer=form.cleaned_data["answer"], actor=request.user
            )
        except ValidationError as error:
            for message in _messages_of(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Your answer has been sent."))
    else:
        messages.error(request, _("Write your answer."))
    return redirect("funding:application_detail", pk=info.application_id)


@login_required
@require_GET
def attachment_download(request, pk: int):
    """An attachment, to whoever may read its application; never from a public media path."""
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    _check(request.user, "funding.view_application", attachment.application)
    name = attachment.file.name.rsplit("/", 1)[-1]
    return private_files.serve(attachment.file, name)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def application_receipt(request, pk: int):
    application = _application(request, pk, "funding.view_grant")
    if application.submitted_at is None:
        raise PermissionDenied(_("This application has not been submitted."))
    return _pdf_response(
        documents.receipt_pdf(application, request.LANGUAGE_CODE),
        f"receipt-F-{application.pk}.pdf",
    )


@login_required
def decision_letter(request, pk: int):
    application = _application(request, pk, "funding.view_grant")
    if not hasattr(application, "decision"):
        raise PermissionDenied(_("There is no decision yet."))
    language = None if selectors.is_applicant(request.user, application) else request.LANGUAGE_CODE
    return _pdf_response(
        documents.decision_letter_pdf(application, language),
        f"decision-F-{application.pk}.pdf",
    )


@login_required
def report_edit(request, pk: int):
    report = get_object_or_404(
        Report.objects.select_related(
            "grant__application__round", "grant__application__organisation"
        ),
        pk=pk,
    )
    application = report.grant.application
    _check(request.user, "funding.view_grant", application)
    is_applicant = selectors.is_applicant(request.user, application)
    editable = is_applicant and report.status in (
        Report.Status.DRAFT,
        Report.Status.CHANGES_REQUESTED,
    )
    if editable and request.method == "GET":
        # The figures keep growing while the period runs: bring them up to date.
        report = services.report_prefill(report=report, actor=request.user)
    form = ReportForm(
        initial={
            "achievements": report.achievements,
            "lessons": report.lessons,
            "next_steps": report.next_steps,
        }
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("You may not change this report."))
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.report_save(report=report, actor=request.user, **form.cleaned_data)
                if "submit" in request.POST:
                    services.report_submit(report=report, actor=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The report has been submitted.")
                    if "submit" in request.POST
                    else _("Saved."),
                )
                return redirect("funding:report_edit", pk=report.pk)
    return render(
        request,
        "funding/report_form.html",
        {
            "report": report,
            "application": application,
            "form": form,
            "editable": editable,
            "is_officer": selectors.is_round_officer(request.user, application.round),
            "figures": report.prefilled_figures or {},
        },
    )
