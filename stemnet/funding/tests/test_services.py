import datetime as dt
import itertools
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from stemnet.core.audit import entries_for
from stemnet.funding import documents, services
from stemnet.funding.models import TRANSITIONS, Application, Partner, Recognition, Report, Tranche
from stemnet.funding.tests.factories import (
    ApplicationFactory,
    RoundFactory,
    coordinator_of,
    in_review,
    officer,
    pdf_upload,
    submitted,
)
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
S = Application.Status


@pytest.fixture(autouse=True)
def _english():
    """The messages below are matched in English."""
    with translation.override("en"):
        yield


# --- State machine ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source,target", list(itertools.product(S.values, S.values)), ids=lambda v: v
)
def test_every_transition_pair(source, target):
    application = ApplicationFactory(status=source)
    if target in TRANSITIONS[source]:
        services._transition(application, target, actor=None)
        application.refresh_from_db()
        assert application.status == target
        assert entries_for(application).filter(code=f"funding.application.{target}").exists()
    else:
        with pytest.raises(ValidationError):
            services._transition(application, target, actor=None)
        application.refresh_from_db()
        assert application.status == source


# --- Drafts, completeness, submission -----------------------------------------------------


def test_create_update_and_audit():
    org = OrganisationFactory()
    user = coordinator_of(org)
    round = RoundFactory()
    application = services.application_create(round=round, organisation=org, actor=user)
    services.application_update(application=application, actor=user, title="Nieuw", plan="P")
    application.refresh_from_db()
    assert application.title == "Nieuw"
    entry = entries_for(application).get(code="funding.application.updated")
    assert entry.data["before"]["title"] == "" and entry.data["after"]["title"] == "Nieuw"
    with pytest.raises(ValidationError):
        services.application_create(round=round, organisation=org, actor=user)


def test_only_coordinators_create_and_change():
    org = OrganisationFactory()
    stranger = coordinator_of(OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.application_create(round=RoundFactory(), organisation=org, actor=stranger)
    application = ApplicationFactory(organisation=org)
    with pytest.raises(PermissionDenied):
        services.application_update(application=application, actor=stranger, title="x")
    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, actor=stranger)


def test_cannot_create_in_a_closed_round():
    org = OrganisationFactory()
    round = RoundFactory(
        opens_at=timezone.now() - dt.timedelta(days=10),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        services.application_create(round=round, organisation=org, actor=coordinator_of(org))


def test_check_lists_every_gap():
    round = RoundFactory(
        type="partnership",
        required_attachments=["Samenwerkingsovereenkomst", "Begroting"],
        eligibility_rules=[
            {"code": "min_partner_roles", "roles": ["company", "local_government"]},
            {"code": "min_cofinancing_share", "share": "0.30"},
            {"code": "max_duration_years", "years": 2},
        ],
        max_per_application=Decimal("2000.00"),
    )
    application = ApplicationFactory(round=round, title="", plan="", requested_amount=3000)
    services.budget_line_add(
        application=application,
        category="staff",
        year_index=3,
        amount=1000,
        cofinancing=100,
        actor=coordinator_of(application.organisation),
    )
    with translation.override("en"):
        gaps = services.application_check(application)
    text = " | ".join(gaps)
    assert "title" in text and "plan" in text
    assert "maximum" in text
    assert "Samenwerkingsovereenkomst" in text and "Begroting" in text
    assert "company" in text and "local government" in text
    assert "30%" in text
    assert "at most 2 years" in text
    assert len(gaps) == 8


def test_rules_satisfied_leave_no_gap():
    round = RoundFactory(
        required_attachments=["Plan"],
        eligibility_rules=[
            {"code": "min_partner_roles", "roles": ["company"]},
            {"code": "min_cofinancing_share", "share": "0.30"},
            {"code": "min_municipalities", "count": 2},
        ],
        subsidy_formula={"type": "per_municipality", "amount": "1500", "cap": "30000"},
    )
    application = ApplicationFactory(round=round)
    user = coordinator_of(application.organisation)
    services.partner_add(
        application=application,
        organisation=OrganisationFactory(type=Organisation.Type.COMPANY),
        role=Partner.Role.COMPANY,
        actor=user,
    )
    services.budget_line_add(
        application=application,
        category="staff",
        year_index=1,
        amount=1000,
        cofinancing=300,
        actor=user,
    )
    services.attachment_add(application=application, label="Plan", upload=pdf_upload(), actor=user)
    assert services.application_check(application) == []
    # The subsidy formula: 2 municipalities × €1,500 = €3,000; asking more is a gap.
    services.application_update(application=application, actor=user, requested_amount=3001)
    application.refresh_from_db()
    gaps = services.application_check(application)
    assert any("3.000,00" in gap or "3,000.00" in gap for gap in gaps), gaps


def test_unknown_rule_is_refused_when_the_round_is_created():
    with pytest.raises(ValidationError):
        services.round_create(
            actor=None,
            type="academy",
            year=2026,
            title_nl="x",
            opens_at=timezone.now(),
            closes_at=timezone.now() + dt.timedelta(days=1),
            budget=10,
            max_per_application=5,
            eligibility_rules=[{"code": "nonsense"}],
        )


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("plan.docx", b"%PDF-1.4", "Only PDF"),
        ("plan.pdf", b"PK\x03\x04zip", "not a PDF"),
        ("plan.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "10 MB"),
    ],
)
def test_attachments_must_be_small_pdfs(name, content, message):
    application = ApplicationFactory()
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(
            application=application,
            label="Plan",
            upload=pdf_upload(name, content),
            actor=coordinator_of(application.organisation),
        )
    assert not application.attachments.exists()


def test_submit_sends_receipt_in_the_applicants_language(django_capture_on_commit_callbacks):
    application = ApplicationFactory()
    user = coordinator_of(application.organisation, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=user)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and application.submitted_at
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "received" in message.subject
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF-")


def test_submit_refused_after_the_deadline():
    application = ApplicationFactory()
    user = coordinator_of(application.organisation)
    late = application.round.closes_at + dt.timedelta(seconds=1)
    with (
        time_machine.travel(late),
        pytest.raises(ValidationError, match="deadline has passed"),
    ):
        services.application_submit(application=application, actor=user)
    application.refresh_from_db()
    assert application.status == S.DRAFT


def test_submit_refused_when_incomplete():
    application = ApplicationFactory(plan="")
    with pytest.raises(ValidationError) as info:
        services.application_submit(
            application=application, actor=coordinator_of(application.organisation)
        )
    assert "Describe the plan." in info.value.messages


def test_withdraw():
    application = submitted()
    user = coordinator_of(application.organisation)
    services.application_withdraw(application=application, actor=user)
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, actor=user)


def test_info_request_round_trip(django_capture_on_commit_callbacks):
    application = submitted()
    staff = officer()
    with django_capture_on_commit_callbacks(execute=True):
        info = services.info_request_create(
            application=application, question="Welke gemeenten?", actor=staff
        )
    application.refresh_from_db()
    assert application.status == S.INFO_REQUESTED
    assert "Welke gemeenten?" in mail.outbox[-1].body
    user = coordinator_of(application.organisation)
    # Editable while information is requested, even after the deadline.
    services.application_update(application=application, actor=user, plan="Beter plan")
    services.info_request_answer(info_request=info, answer="Mechelen en Aalst", actor=user)
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    with pytest.raises(ValidationError):
        services.info_request_answer(info_request=info, answer="nog eens", actor=user)


def test_eligibility_needs_a_reason_when_refused():
    application = submitted()
    staff = officer()
    with pytest.raises(ValidationError):
        services.eligibility_record(application=application, eligible=False, reason="", actor=staff)
    services.eligibility_record(
        application=application, eligible=False, reason="Te laat", actor=staff
    )
    application.refresh_from_db()
    assert application.status == S.INELIGIBLE


def test_officer_steps_are_refused_to_others():
    application = submitted()
    with pytest.raises(PermissionDenied):
        services.eligibility_record(
            application=application,
            eligible=True,
            reason="",
            actor=coordinator_of(application.organisation),
        )


def test_review_open_creates_scoring_entries():
    application = in_review()
    entry = application.entry
    assert entry.owner_organisation == application.organisation
    assert entry.panel == application.round.panel
    assert entry.detail_url.endswith(f"/{application.pk}/lezen/")


# --- Decisions and the budget ----------------------------------------------------------------


def test_decision_limits():
    staff = officer()
    application = in_review(officer_user=staff, requested_amount=Decimal("3000.00"))
    with pytest.raises(ValidationError, match="more than the amount requested"):
        services.decision_record(application=application, recognised=True, amount=3001, actor=staff)
    with pytest.raises(ValidationError, match="not approved gets no money"):
        services.decision_record(application=application, recognised=False, amount=1, actor=staff)
    decision = services.decision_record(
        application=application, recognised=True, amount="2500", actor=staff, reason="Goed"
    )
    assert decision.amount_granted == Decimal("2500.00")
    application.refresh_from_db()
    assert application.status == S.DECIDED
    entry = entries_for(application).get(code="funding.decision.recorded")
    assert entry.data["after"]["amount_granted"] == "2500.00"


def test_decision_above_the_maximum():
    staff = officer()
    round = RoundFactory(max_per_application=Decimal("1000.00"))
    application = ApplicationFactory(round=round, requested_amount=Decimal("900.00"))
    application = in_review(application, officer_user=staff)
    round.max_per_application = Decimal("800.00")
    round.save()
    with pytest.raises(ValidationError, match="maximum"):
        services.decision_record(application=application, recognised=True, amount=900, actor=staff)


def test_budget_is_never_exceeded():
    staff = officer()
    round = RoundFactory(budget=Decimal("5000.00"), max_per_application=Decimal("5000.00"))
    first = in_review(ApplicationFactory(round=round, requested_amount=4000), officer_user=staff)
    second = in_review(ApplicationFactory(round=round, requested_amount=2000), officer_user=staff)
    services.decision_record(application=first, recognised=True, amount=4000, actor=staff)
    with pytest.raises(ValidationError, match="exceed the round's budget"):
        services.decision_record(application=second, recognised=True, amount=1500, actor=staff)
    services.decision_record(application=second, recognised=True, amount=1000, actor=staff)
    assert round.granted_total() == Decimal("5000.00")


def test_decision_recognises_provisionally_then_renewal():
    staff = officer()
    application = in_review(officer_user=staff)
    services.decision_record(application=application, recognised=True, amount=0, actor=staff)
    recognition = Recognition.objects.get(organisation=application.organisation)
    assert recognition.provisional
    assert recognition.valid_to.year - recognition.valid_from.year == 1
    renewal = services.recognition_renew(recognition=recognition, actor=staff)
    assert not renewal.provisional
    assert renewal.valid_from == recognition.valid_to
    assert renewal.valid_to.year - renewal.valid_from.year == 3
    with pytest.raises(ValidationError):
        services.recognition_renew(recognition=recognition, actor=staff)
    with pytest.raises(PermissionDenied):
        services.recognition_renew(
            recognition=renewal, actor=coordinator_of(application.organisation)
        )


def test_decision_letter_in_the_applicants_language():
    staff = officer()
    application = ApplicationFactory()
    coordinator_of(application.organisation, language="en")
    application = in_review(application, officer_user=staff)
    services.decision_record(application=application, recognised=True, amount=1000, actor=staff)
    assert documents.applicant_language(application) == "en"
    pdf = documents.decision_letter_pdf(application)
    assert pdf.startswith(b"%PDF-")


# --- Grants, tranches, reports -------------------------------------------------------------


def _granted(amount="3000.00", years=3, **round_kwargs):
    staff = officer()
    round = RoundFactory(
        type="partnership",
        duration_years=years,
        budget=Decimal("100000"),
        max_per_application=Decimal("50000"),
        grant_start=dt.date(2020, 1, 1),
        **round_kwargs,
    )
    application = in_review(
        ApplicationFactory(round=round, requested_amount=Decimal(amount)), officer_user=staff
    )
    services.decision_record(application=application, recognised=True, amount=amount, actor=staff)
    application.refresh_from_db()
    return application, staff


def test_grant_tranches_and_reports():
    application, _staff = _granted("1000.00", years=3)
    grant = application.grant
    amounts = [t.amount for t in grant.tranches.all()]
    assert amounts == [Decimal("333.34"), Decimal("333.33"), Decimal("333.33")]
    assert sum(amounts) == grant.total == Decimal("1000.00")
    reports = list(grant.reports.all())
    assert [r.kind for r in reports] == ["progress", "progress", "final"]
    assert reports[0].period_start == dt.date(2020, 1, 1)
    assert reports[0].period_end == dt.date(2020, 12, 31)


def test_later_tranche_only_after_the_previous_report_is_approved():
    application, staff = _granted()
    grant = application.grant
    user = coordinator_of(application.organisation)
    first, second = grant.tranches.all()[:2]
    services.tranche_release(tranche=first, actor=staff)
    with pytest.raises(ValidationError, match="previous report"):
        services.tranche_release(tranche=second, actor=staff)
    report = grant.reports.get(year_index=1)
    with pytest.raises(ValidationError):
        services.report_submit(report=report, actor=user)  # nothing written yet
    services.report_save(report=report, actor=user, achievements="Veel bereikt")
    services.report_submit(report=report, actor=user)
    with pytest.raises(ValidationError):
        services.tranche_release(tranche=second, actor=staff)
    services.report_request_changes(report=report, actor=staff, comment="Meer cijfers")
    report.refresh_from_db()
    assert report.status == Report.Status.CHANGES_REQUESTED
    services.report_submit(report=report, actor=user)
    services.report_approve(report=report, actor=staff)
    services.tranche_release(tranche=second, actor=staff)
    second.refresh_from_db()
    assert second.status == Tranche.Status.RELEASED
    services.tranche_mark_paid(tranche=second, actor=staff)
    second.refresh_from_db()
    assert second.status == Tranche.Status.PAID
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, actor=user)


def test_reports_are_prefilled_from_reach():
    from stemnet.reach.tests.factories import ParticipationFactory

    org = OrganisationFactory()
    ParticipationFactory(organisation=org, year=2020, participants=20, girls=10)
    ParticipationFactory(organisation=org, year=2020, participants=15, girls=5)
    ParticipationFactory(organisation=org, year=2021, participants=99, girls=50)
    ParticipationFactory(year=2020, participants=1000)  # another organisation
    staff = officer()
    round = RoundFactory(
        duration_years=1, grant_start=dt.date(2020, 1, 1), budget=10000, max_per_application=5000
    )
    application = in_review(ApplicationFactory(round=round, organisation=org), officer_user=staff)
    services.decision_record(application=application, recognised=True, amount=1000, actor=staff)
    report = application.grant.reports.get()
    figures = report.prefilled_figures
    assert figures["participants"] == 35
    assert figures["girls"] == 15
    assert figures["years"]["2020"]["participants"] == 35
    assert figures["municipalities"] == 1


# --- Reminders -----------------------------------------------------------------------------


def test_reminders_before_the_deadline():
    round = RoundFactory(closes_at=timezone.now() + dt.timedelta(days=7))
    application = ApplicationFactory(round=round)
    coordinator_of(application.organisation)
    done = submitted(ApplicationFactory(round=round))  # submitted: no reminder
    assert done.status == S.SUBMITTED
    mail.outbox.clear()
    today = timezone.localdate()
    target_days = (timezone.localtime(round.closes_at).date() - today).days
    assert services.reminders_send(days=target_days, today=today) == 1
    assert "closes" in mail.outbox[0].body or "sluit" in mail.outbox[0].body
    assert services.reminders_send(days=target_days + 1, today=today) == 0


def test_report_reminder():
    application, _staff = _granted(years=1)
    coordinator_of(application.organisation)
    report = application.grant.reports.get()
    mail.outbox.clear()
    sent = services.reminders_send(days=3, today=report.due_date - dt.timedelta(days=3))
    assert sent == 1


def test_rule_no_running_grant():
    application, _staff = _granted(years=3)  # a partnership grant 2020-2023
    academy = OrganisationFactory()
    Partner.objects.create(application=application, organisation=academy, role="school")
    round = RoundFactory(
        grant_start=dt.date(2021, 1, 1),
        eligibility_rules=[{"code": "no_running_grant", "round_types": ["partnership"]}],
    )
    blocked = ApplicationFactory(round=round, organisation=academy)
    assert "still running" in " ".join(services.application_check(blocked))
    free = ApplicationFactory(round=round)
    assert services.application_check(free) == []


@pytest.mark.parametrize("language,title", [("nl", "Beslissingsbrief"), ("en", "Decision letter")])
def test_decision_letter_is_bilingual(language, title):
    staff = officer()
    application = ApplicationFactory()
    coordinator_of(application.organisation, language=language)
    application = in_review(application, officer_user=staff)
    services.decision_record(application=application, recognised=True, amount=1000, actor=staff)
    html = documents.decision_letter_html(application)
    assert f"<h1>{title}</h1>" in html
    assert ("1.000,00" if language == "nl" else "1,000.00") in html
    # The round's appeal route, in the applicant's language.
    appeal = application.round.appeal_en if language == "en" else application.round.appeal_nl
    assert appeal in html
