"""Every write of the funding app, one function per use case, each audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.core.money import format_amount
from stemnet.funding import eligibility, selectors
from stemnet.funding.models import (
    TRANSITIONS,
    Application,
    Attachment,
    BudgetLine,
    Decision,
    EligibilityCheck,
    Grant,
    InfoRequest,
    Partner,
    Recognition,
    Report,
    Round,
    Tranche,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
APPLICATION_FIELDS = (
    "title",
    "plan",
    "motivation",
    "planned_activities_text",
    "requested_amount",
    "participants_forecast",
    "priorities",
)


def _require(actor, perm: str, obj) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this."))


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def _snapshot(application: Application) -> dict:
    return {
        "status": application.status,
        **{f: str(getattr(application, f)) for f in APPLICATION_FIELDS},
    }


def _transition(application: Application, to: str, *, actor, data: dict | None = None) -> None:
    if to not in TRANSITIONS.get(application.status, set()):
        raise ValidationError(
            _("An application that is “%(from)s” cannot become “%(to)s”.")
            % {
                "from": Application.Status(application.status).label,
                "to": Application.Status(to).label,
            },
            code="transition",
        )
    before = application.status
    application.status = to
    application.save(update_fields=["status", "updated_at"])
    audit.record(
        application,
        f"funding.application.{to}",
        actor=actor,
        data={"before": {"status": before}, "after": {"status": to}, **(data or {})},
    )


# --- Rounds ----------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor,
    criteria: list[dict] | None = None,
    scale_min: int = 0,
    scale_max: int = 10,
    **fields,
) -> Round:
    """A round with its rules; ``criteria`` ([{title_nl, title_en, weight}]) and the score
    scale go to its review panel (the scoring component)."""
    round = Round(**fields)
    round.full_clean()  # includes the check of the eligibility rules
    round.save()
    if criteria:
        _panel_for(round, actor, criteria, scale_min, scale_max)
    audit.record(round, "funding.round.created", actor=actor, data={"after": _round_data(round)})
    return round


def _round_data(round: Round) -> dict:
    return {
        "type": round.type,
        "budget": str(round.budget),
        "max_per_application": str(round.max_per_application),
        "opens_at": round.opens_at.isoformat(),
        "closes_at": round.closes_at.isoformat(),
        "eligibility_rules": round.eligibility_rules,
    }


def _panel_for(round: Round, actor, criteria=None, scale_min: int = 0, scale_max: int = 10):
    from stemnet.scoring import services as scoring

    if round.panel_id is None:
        if not criteria:
            raise ValidationError(_("The round has no review criteria yet."), code="no_panel")
        round.panel = scoring.panel_create(
            title=round.title_nl,
            criteria=criteria,
            scale_min=scale_min,
            scale_max=scale_max,
            actor=actor,
        )
        round.save(update_fields=["panel", "updated_at"])
    return round.panel


# --- Applications ------------------------------------------------------------------------


@transaction.atomic
def application_create(*, round: Round, organisation, actor, **fields) -> Application:
    _require(actor, "funding.apply_for", organisation)
    if not round.is_open():
        raise ValidationError(_("This round is not open for applications."), code="closed")
    duplicate = ValidationError(
        _("Your organisation already has an application in this round."), code="duplicate"
    )
    if selectors.application_active(round, organisation) is not None:
        raise duplicate
    try:
        with transaction.atomic():  # a savepoint: the constraint decides a race
            application = Application.objects.create(
                round=round, organisation=organisation, created_by=actor, **fields
            )
    except IntegrityError as error:
        raise duplicate from error
    audit.record(
        application,
        "funding.application.created",
        actor=actor,
        data={"after": _snapshot(application)},
    )
    return application


def _ensure_editable(application: Application) -> None:
    if application.status == Application.Status.DRAFT:
        if application.round.is_closed():
            raise ValidationError(
                _("The round closed on %(date)s; the application can no longer be changed.")
                % {
                    "date": timezone.localtime(application.round.closes_at).strftime(
                        "%d/%m/%Y %H:%M"
                    )
                },
                code="closed",
            )
        return
    if application.status != Application.Status.INFO_REQUESTED:
        raise ValidationError(
            _("Only a draft or an application with a request for information can be changed."),
            code="not_editable",
        )


@transaction.atomic
def application_update(
    *, application: Application, actor, municipalities=None, activities=None, **fields
) -> Application:
    _require(actor, "funding.change_application", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_editable(application)
    before = _snapshot(application)
    for name, value in fields.items():
        if name not in APPLICATION_FIELDS:
            raise ValueError(f"not an application field: {name}")
        setattr(application, name, value)
    if application.requested_amount is not None and application.requested_amount < 0:
        raise ValidationError({"requested_amount": _("The amount cannot be negative.")})
    application.save()
    data = {"before": before, "after": _snapshot(application)}
    if municipalities is not None:
        application.municipalities.set(municipalities)
        data["municipalities"] = sorted(m.nis_code for m in application.municipalities.all())
    if activities is not None:
        application.activities.set(activities)
    audit.record(application, "funding.application.updated", actor=actor, data=data)
    return application


@transaction.atomic
def partner_add(*, application: Application, organisation, role: str, actor) -> Partner:
    _require(actor, "funding.change_application", application)
    _ensure_editable(application)
    if organisation.pk == application.organisation_id:
        raise ValidationError(_("The applicant cannot be its own partner."))
    if application.partners.filter(organisation=organisation).exists():
        raise ValidationError(_("This organisation is already a partner."))
    partner = Partner.objects.create(application=application, organisation=organisation, role=role)
    audit.record(
        application,
        "funding.application.partner_added",
        actor=actor,
        data={"after": {"organisation": organisation.name, "role": role}},
    )
    return partner


@transaction.atomic
def partner_remove(*, partner: Partner, actor) -> None:
    application = partner.application
    _require(actor, "funding.change_application", application)
    _ensure_editable(application)
    audit.record(
        application,
        "funding.application.partner_removed",
        actor=actor,
        data={"before": {"organisation": partner.organisation.name, "role": partner.role}},
    )
    partner.delete()


@transaction.atomic
def budget_line_add(
    *, application: Application, category: str, year_index: int, amount, cofinancing, actor
) -> BudgetLine:
    _require(actor, "funding.change_application", application)
    _ensure_editable(application)
    amount, cofinancing = _money(amount), _money(cofinancing or 0)
    if amount < 0 or cofinancing < 0:
        raise ValidationError(_("Amounts cannot be negative."))
    if cofinancing > amount:
        raise ValidationError(_("The co-financing cannot exceed the amount of the line."))
    if year_index < 1:
        raise ValidationError(_("The year starts at 1."))
    line = BudgetLine.objects.create(
        application=application,
        category=category,
        year_index=year_index,
        amount=amount,
        cofinancing=cofinancing,
    )
    audit.record(
        application,
        "funding.application.budget_line_added",
        actor=actor,
        data={"after": {"category": category, "year": year_index, "amount": str(amount)}},
    )
    return line


@transaction.atomic
def budget_line_remove(*, line: BudgetLine, actor) -> None:
    application = line.application
    _require(actor, "funding.change_application", application)
    _ensure_editable(application)
    audit.record(
        application,
        "funding.application.budget_line_removed",
        actor=actor,
        data={"before": {"category": line.category, "amount": str(line.amount)}},
    )
    line.delete()


def attachment_validate(upload) -> None:
    name = (upload.name or "").lower()
    if not name.endswith(".pdf"):
        raise ValidationError(_("Only PDF files are accepted."), code="type")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("A file may be at most 10 MB."), code="size")
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise ValidationError(_("This file is not a PDF document."), code="type")


@transaction.atomic
def attachment_add(*, application: Application, label: str, upload, actor) -> Attachment:
    _require(actor, "funding.change_application", application)
    _ensure_editable(application)
    attachment_validate(upload)
    if not label.strip():
        raise ValidationError(_("Give the attachment a label."))
    attachment = Attachment(application=application, label=label.strip())
    attachment.file.save(upload.name, upload, save=True)
    audit.record(
        application,
        "funding.application.attachment_added",
        actor=actor,
        data={"after": {"label": attachment.label, "size": upload.size}},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor) -> None:
    application = attachment.application
    _require(actor, "funding.change_application", application)
    _ensure_editable(application)
    audit.record(
        application,
        "funding.application.attachment_removed",
        actor=actor,
        data={"before": {"label": attachment.label}},
    )
    attachment.file.delete(save=False)
    attachment.delete()


def application_check(application: Application) -> list[str]:
    """Every gap that stops submission: the form, the round's rules and its attachments."""
    round = application.round
    gaps: list[str] = []
    if not application.title.strip():
        gaps.append(_("Give the project a title."))
    if not application.plan.strip():
        gaps.append(_("Describe the plan."))
    if not application.motivation.strip():
        gaps.append(_("Write the motivation."))
    if not application.planned_activities_text.strip() and not application.activities.exists():
        gaps.append(_("Describe the planned activities or link activities from the agenda."))
    if round.type == Round.Type.ACADEMY and not application.municipalities.exists():
        gaps.append(_("Choose the municipalities you will reach."))
    if application.requested_amount < 0:
        gaps.append(_("The requested amount cannot be negative."))
    if application.requested_amount > round.max_per_application:
        gaps.append(
            _("The requested amount is above the maximum of € %(max)s per application.")
            % {"max": format_amount(round.max_per_application)}
        )
    cap = eligibility.subsidy_cap(application)
    if cap is not None and application.requested_amount > cap:
        gaps.append(
            _("Under the round's subsidy formula you can request at most € %(cap)s.")
            % {"cap": format_amount(cap)}
        )
    labels = {a.label.strip().lower() for a in application.attachments.all()}
    for required in round.required_attachments or []:
        if str(required).strip().lower() not in labels:
            gaps.append(_("The attachment “%(label)s” is missing.") % {"label": required})
    gaps.extend(eligibility.evaluate(application))
    return gaps


@transaction.atomic
def application_submit(*, application: Application, actor) -> Application:
    _require(actor, "funding.change_application", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    round = application.round
    if application.status == Application.Status.DRAFT and round.is_closed():
        raise ValidationError(
            _("The deadline has passed (%(date)s); applications can no longer be submitted.")
            % {"date": timezone.localtime(round.closes_at).strftime("%d/%m/%Y %H:%M")},
            code="closed",
        )
    if (
        application.status == Application.Status.INFO_REQUESTED
        and application.info_requests.filter(answered_at__isnull=True).exists()
    ):
        raise ValidationError(_("First answer every request for information."), code="unanswered")
    gaps = application_check(application)
    if gaps:
        raise ValidationError(gaps, code="incomplete")
    _transition(application, Application.Status.SUBMITTED, actor=actor)
    if application.submitted_at is None:
        application.submitted_at = timezone.now()
        application.save(update_fields=["submitted_at"])
    from stemnet.funding.tasks import send_receipt

    transaction.on_commit(lambda: send_receipt.enqueue(application_id=application.pk))
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor) -> Application:
    _require(actor, "funding.change_application", application)
    application = Application.objects.select_for_update().get(pk=application.pk)
    _transition(application, Application.Status.WITHDRAWN, actor=actor)
    return application


# --- Officer steps -----------------------------------------------------------------------


@transaction.atomic
def info_request_create(*, application: Application, question: str, actor) -> InfoRequest:
    _require(actor, "funding.manage_application", application)
    if not question.strip():
        raise ValidationError({"question": _("Write the question.")})
    _transition(application, Application.Status.INFO_REQUESTED, actor=actor)
    info = InfoRequest.objects.create(application=application, question=question, asked_by=actor)
    audit.record(info, "funding.inforequest.created", actor=actor, data={"question": question})
    from stemnet.funding.tasks import send_info_request

    transaction.on_commit(lambda: send_info_request.enqueue(info_request_id=info.pk))
    return info


@transaction.atomic
def info_request_answer(*, info_request: InfoRequest, answer: str, actor) -> InfoRequest:
    application = info_request.application
    _require(actor, "funding.change_application", application)
    if application.status != Application.Status.INFO_REQUESTED or info_request.answered_at:
        raise ValidationError(_("This request has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": _("Write your answer.")})
    info_request.answer = answer
    info_request.answered_at = timezone.now()
    info_request.save(update_fields=["answer", "answered_at", "updated_at"])
    audit.record(info_request, "funding.inforequest.answered", actor=actor, data={"answer": answer})
    audit.record(application, "funding.application.info_answered", actor=actor)
    if not application.info_requests.filter(answered_at__isnull=True).exists():
        _transition(application, Application.Status.SUBMITTED, actor=actor)
    return info_request


@transaction.atomic
def eligibility_record(*, application: Application, eligible: bool, reason: str, actor):
    _require(actor, "funding.manage_application", application)
    if not eligible and not reason.strip():
        raise ValidationError({"reason": _("Give the reason why it is not eligible.")})
    _transition(
        application,
        Application.Status.ELIGIBLE if eligible else Application.Status.INELIGIBLE,
        actor=actor,
        data={"reason": reason},
    )
    check, _created = EligibilityCheck.objects.update_or_create(
        application=application,
        defaults={"eligible": eligible, "reason": reason, "checked_by": actor},
    )
    return check


def _review_url(application: Application) -> str:
    """The reviewer's page of the application, without a language prefix (Dutch default)."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return reverse("funding:application_review", kwargs={"pk": application.pk})


@transaction.atomic
def review_open(*, round: Round, actor) -> int:
    """Puts every eligible application of the round in review, as an entry of its panel."""
    _require(actor, "funding.manage_round", round)
    from stemnet.scoring import services as scoring

    panel = _panel_for(round, actor)
    opened = 0
    for application in round.applications.filter(status=Application.Status.ELIGIBLE):
        if application.entry_id is None:
            entry = scoring.entry_create(
                panel=panel,
                title=application.title or str(application.organisation),
                reference=f"F-{application.pk}",
                owner_organisation=application.organisation,
                related_organisations=[p.organisation for p in application.partners.all()],
                detail_url=_review_url(application),
                actor=actor,
            )
            application.entry = entry
            application.save(update_fields=["entry", "updated_at"])
        _transition(application, Application.Status.IN_REVIEW, actor=actor)
        opened += 1
    audit.record(round, "funding.round.review_opened", actor=actor, data={"applications": opened})
    return opened


@transaction.atomic
def decision_record(
    *, application: Application, recognised: bool, amount, actor, reason: str = ""
) -> Decision:
    """The decision on an application; the round's total never exceeds its budget.

    The round row is locked first (``select_for_update``; on SQLite the IMMEDIATE transaction
    serialises writers), so two officers deciding at once cannot both fit under the budget.
    """
    _require(actor, "funding.manage_application", application)
    round = Round.objects.select_for_update().get(pk=application.round_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not round.appeal_nl.strip():
        raise ValidationError(
            _(
                "The round does not state the appeal route yet (how and by when an applicant "
                "can appeal). Every decision letter must state it: add it to the round first."
            ),
            code="no_appeal",
        )
    if recognised:
        # An incomplete file cannot be approved; "not approved" (with reasons) stays possible,
        # since an application in review cannot go back to the applicant.
        gaps = application_check(application)
        if gaps:
            raise ValidationError(
                [_("The application cannot be approved while it is incomplete:"), *gaps],
                code="incomplete",
            )
    amount = _money(amount or 0)
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    if not recognised and amount > 0:
        raise ValidationError({"amount": _("An application that is not approved gets no money.")})
    if amount > application.requested_amount:
        raise ValidationError(
            {"amount": _("The amount granted cannot be more than the amount requested.")}
        )
    if amount > round.max_per_application:
        raise ValidationError(
            {"amount": _("The amount granted is above the round's maximum per application.")}
        )
    granted = selectors.round_granted_total(round)
    if granted + amount > round.budget:
        raise ValidationError(
            {
                "amount": _(
                    "This would exceed the round's budget: € %(left)s of € %(budget)s is left."
                )
                % {
                    "left": format_amount(round.budget - granted),
                    "budget": format_amount(round.budget),
                }
            },
            code="budget",
        )
    _transition(application, Application.Status.DECIDED, actor=actor)
    decision = Decision.objects.create(
        application=application,
        recognised=recognised,
        amount_granted=amount,
        reason=reason,
        decided_by=actor,
    )
    audit.record(
        application,
        "funding.decision.recorded",
        actor=actor,
        data={
            "after": {"recognised": recognised, "amount_granted": str(amount), "reason": reason},
            "round_total": str(granted + amount),
        },
    )
    today = timezone.localdate()
    if recognised and round.grants_recognition:
        recognition_grant(
            organisation=application.organisation, application=application, actor=actor, start=today
        )
    if amount > 0:
        grant_create(application=application, actor=actor, start_date=round.grant_start or today)
    return decision


# --- Recognition -------------------------------------------------------------------------


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def recognition_grant(*, organisation, actor, start: datetime.date, application=None):
    """Provisional (round's first period) for a newcomer, the full period otherwise."""
    round = application.round if application else None
    provisional_years = round.provisional_validity_years if round else 1
    full_years = round.validity_years if round else 3
    previous = Recognition.objects.filter(organisation=organisation).order_by("-valid_to").first()
    provisional = previous is None and provisional_years > 0
    years = provisional_years if provisional else full_years
    recognition = Recognition.objects.create(
        organisation=organisation,
        application=application,
        valid_from=start,
        valid_to=_add_years(start, years),
        provisional=provisional,
    )
    audit.record(
        recognition,
        "funding.recognition.granted",
        actor=actor,
        data={"after": {"valid_to": recognition.valid_to.isoformat(), "provisional": provisional}},
    )
    return recognition


@transaction.atomic
def recognition_renew(*, recognition: Recognition, actor, years: int = 3) -> Recognition:
    """After the provisional year, or when a recognition expires: the next full period."""
    if not selectors.is_vlaio_staff(actor) and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(_("You may not do this."))
    if Recognition.objects.filter(renewal_of=recognition).exists():
        raise ValidationError(_("This recognition has already been renewed."))
    if recognition.application_id:
        years = recognition.application.round.validity_years
    renewal = Recognition.objects.create(
        organisation=recognition.organisation,
        application=recognition.application,
        valid_from=recognition.valid_to,
        valid_to=_add_years(recognition.valid_to, years),
        provisional=False,
        renewal_of=recognition,
    )
    audit.record(
        renewal,
        "funding.recognition.renewed",
        actor=actor,
        data={
            "before": {"valid_to": recognition.valid_to.isoformat()},
            "after": {"valid_to": renewal.valid_to.isoformat()},
        },
    )
    return renewal


# --- Grants, tranches, reports --------------------------------------------------------------


@transaction.atomic
def grant_create(*, application: Application, actor, start_date: datetime.date) -> Grant:
    """The agreement: equal yearly tranches (cents go to the first) and one report a year."""
    decision = application.decision
    if decision.amount_granted <= 0:
        raise ValidationError(_("Only a decision with an amount gets a grant."))
    round = application.round
    years = max(1, round.duration_years)
    grant = Grant.objects.create(
        application=application,
        total=decision.amount_granted,
        start_date=start_date,
        end_date=_add_years(start_date, years),
    )
    share = (decision.amount_granted / years).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    first = decision.amount_granted - share * (years - 1)
    for index in range(1, years + 1):
        period_start = _add_years(start_date, index - 1)
        period_end = _add_years(start_date, index) - datetime.timedelta(days=1)
        Tranche.objects.create(
            grant=grant,
            year_index=index,
            amount=first if index == 1 else share,
            due_date=period_start,
        )
        Report.objects.create(
            grant=grant,
            year_index=index,
            kind=Report.Kind.FINAL if index == years else Report.Kind.PROGRESS,
            period_start=period_start,
            period_end=period_end,
            due_date=period_end + datetime.timedelta(days=round.report_due_days),
        )
    for report in grant.reports.all():
        report_prefill(report=report, actor=actor)
    audit.record(
        grant,
        "funding.grant.created",
        actor=actor,
        data={"after": {"total": str(grant.total), "years": years}},
    )
    return grant


@transaction.atomic
def tranche_release(*, tranche: Tranche, actor) -> Tranche:
    _require(actor, "funding.manage_application", tranche.grant.application)
    tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
    if tranche.status != Tranche.Status.PLANNED:
        raise ValidationError(_("This tranche has already been released."))
    if tranche.year_index > 1:
        previous = tranche.grant.reports.filter(year_index=tranche.year_index - 1).first()
        if previous is None or previous.status != Report.Status.APPROVED:
            raise ValidationError(
                _("A tranche is released only after the previous report has been approved."),
                code="report_not_approved",
            )
    tranche.status = Tranche.Status.RELEASED
    tranche.released_at = timezone.now()
    tranche.save(update_fields=["status", "released_at"])
    audit.record(
        tranche.grant,
        "funding.tranche.released",
        actor=actor,
        data={
            "year": tranche.year_index,
            "amount": str(tranche.amount),
            "before": {"status": "planned"},
            "after": {"status": "released"},
        },
    )
    return tranche


@transaction.atomic
def tranche_mark_paid(*, tranche: Tranche, actor) -> Tranche:
    _require(actor, "funding.manage_application", tranche.grant.application)
    if tranche.status != Tranche.Status.RELEASED:
        raise ValidationError(_("Only a released tranche can be paid."))
    tranche.status = Tranche.Status.PAID
    tranche.save(update_fields=["status"])
    audit.record(
        tranche.grant,
        "funding.tranche.paid",
        actor=actor,
        data={
            "year": tranche.year_index,
            "before": {"status": "released"},
            "after": {"status": "paid"},
        },
    )
    return tranche


def reach_figures(*, organisation, start: datetime.date, end: datetime.date) -> dict:
    """The reach of the organisation's activities (a partnership: its own and its members')
    from ``start`` to ``end``, both included: exactly the report's window, never the whole
    calendar years around it, so nothing before the grant and nothing counted in two reports
    (``reach.periods``: how each figure is dated; ``years`` splits the window by calendar
    year)."""
    from stemnet.organisations.models import Organisation
    from stemnet.reach.periods import period_figures

    scope = (
        {"partnership": organisation}
        if organisation.type == Organisation.Type.PARTNERSHIP
        else {"organisation": organisation}
    )
    return period_figures(start=start, end=end, **scope)


@transaction.atomic
def report_prefill(*, report: Report, actor=None) -> Report:
    """Fill in (or bring up to date) the reach figures of the report's period."""
    organisation = report.grant.application.organisation
    figures = reach_figures(
        organisation=organisation, start=report.period_start, end=report.period_end
    )
    if figures == report.prefilled_figures:
        return report
    before = report.prefilled_figures
    report.prefilled_figures = figures
    report.save(update_fields=["prefilled_figures", "updated_at"])
    audit.record(
        report, "funding.report.prefilled", actor=actor, data={"before": before, "after": figures}
    )
    return report


@transaction.atomic
def report_save(*, report: Report, actor, **fields) -> Report:
    _require(actor, "funding.fill_report", report)
    if report.status not in (Report.Status.DRAFT, Report.Status.CHANGES_REQUESTED):
        raise ValidationError(_("This report can no longer be changed."))
    for name in ("achievements", "lessons", "next_steps"):
        if name in fields:
            setattr(report, name, fields[name])
    report.save()
    audit.record(report, "funding.report.saved", actor=actor)
    return report


@transaction.atomic
def report_submit(*, report: Report, actor) -> Report:
    _require(actor, "funding.fill_report", report)
    if report.status not in (Report.Status.DRAFT, Report.Status.CHANGES_REQUESTED):
        raise ValidationError(_("This report has already been submitted."))
    if not report.achievements.strip():
        raise ValidationError({"achievements": _("Describe what was achieved.")})
    before = report.status
    report.status = Report.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record(
        report,
        "funding.report.submitted",
        actor=actor,
        data={"before": {"status": before}, "after": {"status": report.status}},
    )
    return report


def _report_officer_step(report: Report, status: str, actor, comment: str, code: str) -> Report:
    _require(actor, "funding.manage_application", report.grant.application)
    if report.status != Report.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved or sent back."))
    report.status = status
    report.officer_comment = comment
    report.save(update_fields=["status", "officer_comment", "updated_at"])
    audit.record(
        report,
        code,
        actor=actor,
        data={"before": {"status": "submitted"}, "after": {"status": status}, "comment": comment},
    )
    return report


@transaction.atomic
def report_approve(*, report: Report, actor, comment: str = "") -> Report:
    return _report_officer_step(
        report, Report.Status.APPROVED, actor, comment, "funding.report.approved"
    )


@transaction.atomic
def report_request_changes(*, report: Report, actor, comment: str) -> Report:
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should change.")})
    return _report_officer_step(
        report, Report.Status.CHANGES_REQUESTED, actor, comment, "funding.report.changes_requested"
    )


# --- Reminders -------------------------------------------------------------------------------


def reminders_send(*, days: int, today: datetime.date | None = None) -> int:
    """E-mails ``days`` days before a deadline: a round's closing (for drafts), a report's due
    date (for reports not yet submitted) and the end of a recognition. Run once a day."""
    from stemnet.funding import documents

    today = today or timezone.localdate()
    target = today + datetime.timedelta(days=days)
    sent = 0
    drafts = Application.objects.filter(status=Application.Status.DRAFT).select_related("round")
    for application in drafts:
        if timezone.localtime(application.round.closes_at).date() == target:
            sent += documents.reminder_send(
                application, kind="round", due=application.round.closes_at
            )
    reports = Report.objects.filter(
        due_date=target, status__in=[Report.Status.DRAFT, Report.Status.CHANGES_REQUESTED]
    ).select_related("grant__application")
    for report in reports:
        sent += documents.reminder_send(
            report.grant.application, kind="report", due=report.due_date, obj=report
        )
    expiring = Recognition.objects.filter(
        valid_to=target, renewal__isnull=True, application__isnull=False
    ).select_related("application")
    for recognition in expiring:
        sent += documents.reminder_send(
            recognition.application, kind="recognition", due=recognition.valid_to
        )
    return sent
