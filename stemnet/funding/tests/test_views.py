"""Pages and the permission matrix (role × state) on every view and service."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from stemnet.accounts.tests.factories import UserFactory
from stemnet.funding import selectors, services
from stemnet.funding.models import Application, InfoRequest, Report
from stemnet.funding.tests.factories import (
    ApplicationFactory,
    RoundFactory,
    coordinator_of,
    in_review,
    officer,
    pdf_upload,
    reviewer,
    submitted,
)
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory
from stemnet.scoring import services as scoring

pytestmark = pytest.mark.django_db
S = Application.Status
STATES = ["draft", "submitted", "in_review", "decided"]
FORBIDDEN_ROLES = [
    "anonymous",
    "reviewer_open_round",
    "other_coordinator",
    "plain_member",
    "reviewer_not_assigned",
    "reviewer_undeclared",
    "reviewer_conflicted",
    "officer_other_round",
]


def _world(state: str):
    """An application in ``state`` and one user per role."""
    staff = officer()
    round = RoundFactory()
    application = ApplicationFactory(round=round)
    applicant = coordinator_of(application.organisation)
    services.partner_add(
        application=application,
        organisation=OrganisationFactory(),
        role="school",
        actor=applicant,
    )
    services.budget_line_add(
        application=application,
        category="staff",
        year_index=1,
        amount=100,
        cofinancing=0,
        actor=applicant,
    )
    services.attachment_add(
        application=application, label="Plan", upload=pdf_upload(), actor=applicant
    )
    InfoRequest.objects.create(application=application, question="Waarom?")
    if state != "draft":
        application = submitted(application)
    users = {
        "applicant": applicant,
        "officer": staff,
        "anonymous": AnonymousUser(),
        "other_coordinator": coordinator_of(OrganisationFactory()),
        "reviewer_not_assigned": reviewer(),
        "reviewer_undeclared": reviewer(),
        "reviewer_conflicted": reviewer(),
        "reviewer_ok": reviewer(),
    }
    member = UserFactory()
    MembershipFactory(
        user=member, organisation=application.organisation, role=Membership.Role.MEMBER
    )
    users["plain_member"] = member
    # An officer named on another round only.
    other = officer()
    other_round = RoundFactory()
    other_round.officers.add(other)
    round.officers.add(staff)
    users["officer_other_round"] = other
    # A reviewer of VLAIO is not an officer, also not of a round without named officers.
    users["reviewer_open_round"] = reviewer()
    if state in ("in_review", "decided"):
        application = in_review(application, officer_user=staff)
        for key in ("reviewer_undeclared", "reviewer_conflicted", "reviewer_ok"):
            scoring.assignment_create(entry=application.entry, reviewer=users[key], actor=staff)
        assignments = {a.reviewer_id: a for a in application.entry.assignments.all()}
        scoring.assignment_declare(
            assignment=assignments[users["reviewer_conflicted"].pk],
            has_conflict=True,
            statement="Mijn zus werkt daar",
            actor=users["reviewer_conflicted"],
        )
        scoring.assignment_declare(
            assignment=assignments[users["reviewer_ok"].pk],
            has_conflict=False,
            actor=users["reviewer_ok"],
        )
    if state == "decided":
        services.decision_record(application=application, recognised=True, amount=1000, actor=staff)
    application.refresh_from_db()
    return application, users


@pytest.mark.parametrize("state", STATES)
def test_permission_matrix(state):
    application, users = _world(state)
    assert not users["reviewer_open_round"].has_perm("funding.officer_area")
    assert not users["reviewer_open_round"].has_perm("funding.manage_round", RoundFactory())
    for role in FORBIDDEN_ROLES:
        user = users[role]
        for perm in (
            "funding.view_application",
            "funding.change_application",
            "funding.manage_application",
            "funding.view_grant",
        ):
            assert not user.has_perm(perm, application), (role, perm)
        assert application not in selectors.applications_visible_to(user), role
    assert users["applicant"].has_perm("funding.view_application", application)
    assert users["officer"].has_perm("funding.manage_application", application)
    reviewer_sees = state in ("in_review", "decided")
    assert users["reviewer_ok"].has_perm("funding.view_application", application) is reviewer_sees
    assert not users["reviewer_ok"].has_perm("funding.change_application", application)
    assert not users["reviewer_ok"].has_perm("funding.manage_application", application)
    assert (application in selectors.applications_visible_to(users["reviewer_ok"])) is reviewer_sees


def _views(application):
    pk = application.pk
    gets = [
        reverse("funding:application_detail", args=[pk]),
        reverse("funding:application_edit", args=[pk]),
        reverse("funding:application_review", args=[pk]),
        reverse("funding:receipt", args=[pk]),
        reverse("funding:decision_letter", args=[pk]),
        reverse("funding:manage_application", args=[pk]),
        reverse("funding:manage_round", args=[application.round_id]),
        reverse("funding:manage_export", args=[application.round_id]),
    ]
    posts = [
        reverse("funding:application_submit", args=[pk]),
        reverse("funding:application_withdraw", args=[pk]),
        reverse("funding:partner_add", args=[pk]),
        reverse("funding:budget_line_add", args=[pk]),
        reverse("funding:attachment_add", args=[pk]),
        reverse("funding:manage_eligibility", args=[pk]),
        reverse("funding:manage_question", args=[pk]),
        reverse("funding:manage_assign", args=[pk]),
        reverse("funding:manage_decide", args=[pk]),
        reverse("funding:manage_review_open", args=[application.round_id]),
        reverse("funding:partner_remove", args=[application.partners.get().pk]),
        reverse("funding:budget_line_remove", args=[application.budget_lines.get().pk]),
        reverse("funding:attachment_remove", args=[application.attachments.get().pk]),
        reverse("funding:info_request_answer", args=[application.info_requests.get().pk]),
    ]
    grant = getattr(application, "grant", None)
    if grant:
        report = grant.reports.first()
        tranche = grant.tranches.first()
        gets.append(reverse("funding:report_edit", args=[report.pk]))
        posts += [
            reverse("funding:report_edit", args=[report.pk]),
            reverse("funding:manage_tranche", args=[tranche.pk, "release"]),
            reverse("funding:manage_report", args=[report.pk, "approve"]),
        ]
    return gets, posts


@pytest.mark.parametrize("state", ["draft", "decided"])
def test_views_forbidden_matrix(client, state):
    application, users = _world(state)
    gets, posts = _views(application)
    status_before = application.status
    for role in FORBIDDEN_ROLES:
        user = users[role]
        client.logout()
        if role != "anonymous":
            client.force_login(user)
        for url in gets:
            response = client.get(url)
            expected = 302 if role == "anonymous" else 403
            assert response.status_code == expected, (role, url, response.status_code)
            if role == "anonymous":
                assert "/accounts/login/" in response["Location"] or "login" in response["Location"]
        for url in posts:
            response = client.post(url, {"answer": "x", "eligible": "1", "amount": "1"})
            assert response.status_code in (302, 403), (role, url)
            if role != "anonymous":
                assert response.status_code == 403, (role, url, response.status_code)
    application.refresh_from_db()
    assert application.status == status_before
    assert application.partners.count() == 1
    assert application.budget_lines.count() == 1
    assert application.attachments.count() == 1
    assert not application.info_requests.get().answer


@pytest.mark.parametrize("state", ["submitted", "in_review"])
def test_services_forbidden_matrix(state):
    application, users = _world(state)
    for role in FORBIDDEN_ROLES + ["reviewer_ok"]:
        for call in _service_calls(application, users[role]):
            with pytest.raises(PermissionDenied):
                call()


def _service_calls(application, user):
    return [
        lambda: services.application_update(application=application, actor=user, title="x"),
        lambda: services.application_withdraw(application=application, actor=user),
        lambda: services.application_submit(application=application, actor=user),
        lambda: services.partner_add(
            application=application,
            organisation=OrganisationFactory(),
            role="school",
            actor=user,
        ),
        lambda: services.attachment_add(
            application=application, label="x", upload=pdf_upload(), actor=user
        ),
        lambda: services.info_request_create(application=application, question="?", actor=user),
        lambda: services.eligibility_record(
            application=application, eligible=True, reason="", actor=user
        ),
        lambda: services.decision_record(
            application=application, recognised=True, amount=1, actor=user
        ),
        lambda: services.review_open(round=application.round, actor=user),
    ]


def test_public_pages(client, django_assert_max_num_queries):
    open_round = RoundFactory(title_nl="Open ronde")
    closed = RoundFactory(
        title_nl="Oude ronde",
        opens_at=timezone.now() - dt.timedelta(days=60),
        closes_at=timezone.now() - dt.timedelta(days=30),
    )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("funding:round_list"))
    body = response.content.decode()
    assert body.index("Open ronde") < body.index("Oude ronde")
    response = client.get(reverse("funding:round_detail", args=[open_round.pk]))
    assert "Aanmelden" in response.content.decode() or "Log in" in response.content.decode()
    response = client.get(reverse("funding:round_detail", args=[closed.pk]))
    assert response.status_code == 200
    assert client.get(reverse("funding:results")).status_code == 200


def test_apply_flow_through_the_pages(client, django_capture_on_commit_callbacks):
    round = RoundFactory(required_attachments=["Plan"])
    org = OrganisationFactory()
    user = coordinator_of(org)
    client.force_login(user)
    response = client.post(
        reverse("funding:application_start", args=[round.pk]), {"organisation": org.pk}
    )
    application = Application.objects.get(round=round, organisation=org)
    assert response["Location"] == reverse("funding:application_edit", args=[application.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Plan" in page.content.decode()
    # Autosave (HTMX) of the plan section.
    data = {
        "title": "Robots in de wijk",
        "plan": "Een plan",
        "motivation": "Omdat",
        "planned_activities_text": "Reeksen",
        "requested_amount": "2000",
        "participants_forecast": "40",
        "municipalities": [_mechelen().pk],
    }
    response = client.post(
        reverse("funding:application_edit", args=[application.pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and 'id="autosave"' in response.content.decode()
    application.refresh_from_db()
    assert application.title == "Robots in de wijk"
    # Bad amount: kept what was typed, clear message.
    bad = {**data, "requested_amount": "veel"}
    response = client.post(reverse("funding:application_edit", args=[application.pk]), bad)
    assert response.status_code == 200
    assert "Robots in de wijk" in response.content.decode()
    # Submitting without the attachment lists the gap.
    response = client.post(reverse("funding:application_submit", args=[application.pk]))
    assert response.status_code == 422
    assert "Plan" in response.content.decode()
    # A non-PDF is refused with a message.
    response = client.post(
        reverse("funding:attachment_add", args=[application.pk]),
        {"label": "Plan", "file": pdf_upload("plan.pdf", b"hello")},
    )
    assert response.status_code == 422
    response = client.post(
        reverse("funding:attachment_add", args=[application.pk]),
        {"label": "Plan", "file": pdf_upload()},
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("funding:application_submit", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    receipt = client.get(reverse("funding:receipt", args=[application.pk]))
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF-")


def _mechelen():
    from stemnet.places.models import Municipality

    return Municipality.objects.current().get(nis_code="12025")


def test_officer_pages_and_decision(client):
    staff = officer()
    round = RoundFactory(budget=Decimal("5000"), max_per_application=Decimal("5000"))
    application = in_review(ApplicationFactory(round=round), officer_user=staff)
    flagged = reviewer()
    MembershipFactory(user=flagged, organisation=application.organisation, role="member")
    free = reviewer()
    client.force_login(staff)
    assert client.get(reverse("funding:manage_rounds")).status_code == 200
    page = client.get(reverse("funding:manage_round", args=[round.pk]) + "?status=in_review")
    assert application.organisation.name in page.content.decode()
    page = client.get(reverse("funding:manage_application", args=[application.pk]))
    body = page.content.decode()
    assert str(flagged) in body  # shown as flagged
    assert f'value="{free.pk}"' in body and f'value="{flagged.pk}"' not in body
    client.post(reverse("funding:manage_assign", args=[application.pk]), {"reviewer": free.pk})
    assert application.entry.assignments.filter(reviewer=free).exists()
    response = client.post(
        reverse("funding:manage_decide", args=[application.pk]),
        {"recognised": "1", "amount": "9000", "reason": ""},
    )
    application.refresh_from_db()
    assert application.status == S.IN_REVIEW  # more than requested: refused with a message
    client.post(
        reverse("funding:manage_decide", args=[application.pk]),
        {"recognised": "1", "amount": "1500", "reason": "Sterk plan"},
    )
    application.refresh_from_db()
    assert application.status == S.DECIDED
    letter = client.get(reverse("funding:decision_letter", args=[application.pk]))
    assert letter.content.startswith(b"%PDF-")
    page = client.get(reverse("funding:manage_application", args=[application.pk]))
    # The audit trail reads as events, not codes and Python dicts.
    trail = page.content.decode()
    assert "Beslissing vastgelegd" in trail and "funding.decision.recorded" not in trail
    assert "Status gewijzigd naar “in beoordeling”" in trail
    assert "&#x27;before&#x27;" not in trail and "{&#x27;" not in trail
    export = client.get(reverse("funding:manage_export", args=[round.pk]))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.cell(row=2, column=7).value == 1500
    assert response.status_code == 422  # the refused decision came back with the form


def test_report_page_prefilled_and_submitted(client):
    staff = officer()
    round = RoundFactory(grant_start=dt.date(2020, 1, 1))
    application = in_review(ApplicationFactory(round=round), officer_user=staff)
    services.decision_record(application=application, recognised=True, amount=1000, actor=staff)
    report = application.grant.reports.get()
    user = coordinator_of(application.organisation)
    client.force_login(user)
    page = client.get(reverse("funding:report_edit", args=[report.pk]))
    assert 'id="reach-figures"' in page.content.decode()
    client.post(
        reverse("funding:report_edit", args=[report.pk]),
        {"achievements": "Veel", "lessons": "", "next_steps": "", "submit": "1"},
    )
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    client.force_login(staff)
    client.post(reverse("funding:manage_report", args=[report.pk, "approve"]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED


def test_recognition_renewal_page(client):
    from stemnet.funding.models import Recognition

    staff = officer()
    org = OrganisationFactory()
    today = timezone.localdate()
    recognition = Recognition.objects.create(
        organisation=org,
        valid_from=today - dt.timedelta(days=330),
        valid_to=today + dt.timedelta(days=35),
        provisional=True,
    )
    client.force_login(coordinator_of(org))
    url = reverse("funding:manage_recognition_renew", args=[recognition.pk])
    assert client.post(url).status_code == 403
    client.force_login(staff)
    assert org.name in client.get(reverse("funding:manage_rounds")).content.decode()
    client.post(url)
    renewal = Recognition.objects.get(renewal_of=recognition)
    assert renewal.valid_from == recognition.valid_to and not renewal.provisional


def test_consensus_view_gets_the_round_budget():
    from stemnet.scoring.selectors import budget_for

    staff = officer()
    round = RoundFactory(budget=Decimal("7000"))
    application = in_review(
        ApplicationFactory(round=round, requested_amount=2500), officer_user=staff
    )
    round.refresh_from_db()
    budget, amount_for = budget_for(round.panel)
    assert budget == Decimal("7000")
    assert amount_for(application.entry) == Decimal("2500")


def test_applicant_answers_a_question(client):
    staff = officer()
    application = submitted()
    info = services.info_request_create(
        application=application, question="Welke scholen?", actor=staff
    )
    user = coordinator_of(application.organisation)
    client.force_login(user)
    page = client.get(reverse("funding:application_detail", args=[application.pk]))
    assert "Welke scholen?" in page.content.decode()
    client.post(reverse("funding:info_request_answer", args=[info.pk]), {"answer": "De Regenboog"})
    application.refresh_from_db()
    assert application.status == S.SUBMITTED
    assert (
        "De Regenboog"
        in client.get(reverse("funding:application_detail", args=[application.pk])).content.decode()
    )


def test_english_pages(client):
    round = RoundFactory(title_en="Call for academies")
    response = client.get(f"/en/financiering/ronde/{round.pk}/")
    assert "Call for academies" in response.content.decode()
    assert "Key facts" in response.content.decode()


def test_plan_links_agenda_activities(client):
    from stemnet.agenda.tests.factories import ActivityFactory

    application = ApplicationFactory(planned_activities_text="")
    activity = ActivityFactory(organiser=application.organisation)
    user = coordinator_of(application.organisation)
    client.force_login(user)
    data = {
        "title": application.title,
        "plan": application.plan,
        "motivation": application.motivation,
        "planned_activities_text": "",
        "requested_amount": "100",
        "participants_forecast": "0",
        "municipalities": [_mechelen().pk],
        "activities": [activity.pk],
    }
    client.post(reverse("funding:application_edit", args=[application.pk]), data)
    assert list(application.activities.all()) == [activity]
    assert services.application_check(application) == []


def test_officer_lists_have_no_query_per_row(client, django_assert_max_num_queries):
    staff = officer()
    round = RoundFactory()
    for _ in range(6):
        application = ApplicationFactory(round=round, status=S.IN_REVIEW)
        services.decision_record(application=application, recognised=True, amount=10, actor=staff)
    client.force_login(staff)
    url = reverse("funding:manage_round", args=[round.pk])
    client.get(url)  # warm up the session and permissions
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("funding:application_mine")).status_code == 200


def test_round_export_writes_an_applicants_title_as_text(client):
    """The title is typed by an applicant: in the officers' workbook it must never run."""
    from io import BytesIO

    from openpyxl import load_workbook

    staff = officer()
    application = in_review(
        ApplicationFactory(title='=HYPERLINK("http://evil.example","Open")'), officer_user=staff
    )
    client.force_login(staff)
    export = client.get(reverse("funding:manage_export", args=[application.round_id]))
    row = list(load_workbook(BytesIO(export.content)).active.iter_rows(min_row=2))[0]
    assert [c.data_type for c in row if c.data_type == "f"] == []
    assert row[2].value == '\'=HYPERLINK("http://evil.example","Open")'
    assert row[4].value == 3000  # numbers stay numbers


def test_vlaio_staff_not_officer_of_the_round_cannot_use_its_scoring_pages(client):
    """The scoring pages of a round's panel (consensus, audit, assignments) are for that
    round's officers: a VLAIO colleague named on another round reads and withdraws nothing."""
    staff = officer()
    round = RoundFactory()
    round.officers.add(staff)
    application = in_review(ApplicationFactory(round=round), officer_user=staff)
    assignment = scoring.assignment_create(
        entry=application.entry, reviewer=reviewer(), actor=staff
    )
    colleague = officer()
    RoundFactory().officers.add(colleague)
    round.refresh_from_db()
    panel = round.panel_id
    client.force_login(colleague)
    for name in ("scoring:panel_consensus", "scoring:panel_audit", "scoring:panel_assign"):
        assert client.get(reverse(name, args=[panel])).status_code == 403, name
    response = client.post(
        reverse("scoring:panel_assign", args=[panel]),
        {"action": "withdraw", "assignment": assignment.pk},
    )
    assert response.status_code == 403
    assert application.entry.assignments.filter(pk=assignment.pk).exists()
    assert str(round.panel) not in client.get(reverse("scoring:assignment_list")).content.decode()
    client.force_login(staff)
    for name in ("scoring:panel_consensus", "scoring:panel_audit", "scoring:panel_assign"):
        assert client.get(reverse(name, args=[panel])).status_code == 200, name
