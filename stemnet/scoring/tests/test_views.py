import pytest
from django.urls import reverse

from stemnet.accounts.tests.factories import UserFactory, activate_totp
from stemnet.accounts.tests.html_checks import check_page
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.tests.factories import MembershipFactory
from stemnet.scoring.models import Assignment, Score
from stemnet.scoring.tests.factories import (
    EntryFactory,
    assignment_in_state,
    panel_with_criteria,
    score_all,
)

pytestmark = pytest.mark.django_db

S = Assignment.State


def reviewer_client(client, user):
    """Log in a reviewer (role reviewer somewhere, so MFA applies) who has set up TOTP."""
    MembershipFactory(user=user, role=Membership.Role.REVIEWER)
    activate_totp(user)
    client.force_login(user)
    return client


def declare_url(a):
    return reverse("scoring:assignment_declare", args=[a.pk])


def score_url(a):
    return reverse("scoring:assignment_score", args=[a.pk])


def form_data(assignment, values, comments=None, action="save"):
    data = {action: "1"}
    for i, criterion in enumerate(assignment.entry.panel.criteria.all()):
        if values[i] is not None:
            data[f"score_{criterion.pk}"] = str(values[i])
        data[f"comment_{criterion.pk}"] = (comments or {}).get(i, "")
    return data


# --- forbidden first --------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    assignment = assignment_in_state(S.ASSIGNED)
    for url in (
        reverse("scoring:assignment_list"),
        declare_url(assignment),
        score_url(assignment),
        reverse("scoring:panel_consensus", args=[assignment.entry.panel_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_reviewer_gets_403_on_every_page(client):
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    intruder = UserFactory()
    assignment_in_state(S.SUBMITTED, entry=assignment.entry, reviewer=intruder)
    reviewer_client(client, intruder)
    assert client.get(declare_url(assignment)).status_code == 403
    assert client.get(score_url(assignment)).status_code == 403
    response = client.post(score_url(assignment), form_data(assignment, [5, 5]))
    assert response.status_code == 403
    assert not Score.objects.filter(assignment=assignment).exists()


def test_undeclared_reviewer_cannot_open_the_scoring_page(client):
    assignment = assignment_in_state(S.ASSIGNED)
    reviewer_client(client, assignment.reviewer)
    response = client.get(score_url(assignment))
    assert response.status_code == 403
    response = client.post(score_url(assignment), form_data(assignment, [5, 5]))
    assert response.status_code == 403
    assert not Score.objects.exists()


def test_recused_reviewer_never_sees_the_entry_again(client):
    assignment = assignment_in_state(S.RECUSED)
    reviewer_client(client, assignment.reviewer)
    assert client.get(score_url(assignment)).status_code == 403
    assert client.get(declare_url(assignment)).status_code == 403
    response = client.post(declare_url(assignment), {"decision": "no_conflict"})
    assert response.status_code == 403
    assignment.refresh_from_db()
    assert assignment.state == S.RECUSED


def test_consensus_is_forbidden_for_reviewers(client):
    assignment = assignment_in_state(S.SUBMITTED)
    reviewer_client(client, assignment.reviewer)
    url = reverse("scoring:panel_consensus", args=[assignment.entry.panel_id])
    assert client.get(url).status_code == 403


def test_submitted_scores_cannot_be_posted_again(client):
    assignment = assignment_in_state(S.SUBMITTED)
    reviewer_client(client, assignment.reviewer)
    response = client.post(score_url(assignment), form_data(assignment, [1, 1], action="submit"))
    assert response.status_code == 403
    assert sorted(assignment.scores.values_list("value", flat=True)) == [5, 5]


# --- the reviewer's flow ----------------------------------------------------------------------


def test_assignment_list_shows_only_ones_own(client, django_assert_max_num_queries):
    mine = assignment_in_state(S.ASSIGNED)
    assignment_in_state(S.DECLARED_NO_CONFLICT, reviewer=mine.reviewer)
    others = assignment_in_state(S.ASSIGNED)
    reviewer_client(client, mine.reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("scoring:assignment_list"))
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert mine.entry.title in html and others.entry.title not in html
    assert declare_url(mine) in html
    assert "Belangenconflicten verklaren" in html


def test_declare_no_conflict_then_score_draft_and_submit(client):
    assignment = assignment_in_state(S.ASSIGNED)
    assignment.entry.detail_url = "/financiering/aanvraag/7/"
    assignment.entry.save()
    reviewer_client(client, assignment.reviewer)

    response = client.get(declare_url(assignment))
    assert response.status_code == 200
    check_page(response.content.decode())
    response = client.post(declare_url(assignment), {"decision": "no_conflict", "statement": ""})
    assert response.status_code == 302 and response["Location"] == score_url(assignment)

    response = client.get(score_url(assignment))
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert "/financiering/aanvraag/7/" in html

    # A draft with one criterion scored.
    response = client.post(score_url(assignment), form_data(assignment, [7, None], {0: "Sterk"}))
    assert response.status_code == 302
    assert list(assignment.scores.values_list("value", "comment")) == [(7, "Sterk")]

    # Submitting with a criterion missing: the draft stays, the error names the criterion.
    missing = assignment.entry.panel.criteria.all()[1]
    response = client.post(score_url(assignment), form_data(assignment, [8, None], action="submit"))
    assert response.status_code == 200
    assert missing.title_nl in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == S.DECLARED_NO_CONFLICT
    assert list(assignment.scores.values_list("value", flat=True)) == [8]

    response = client.post(score_url(assignment), form_data(assignment, [8, 6], action="submit"))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == S.SUBMITTED
    response = client.get(score_url(assignment))
    html = response.content.decode()
    check_page(html)
    assert "Scores van alle beoordelaars" in html


def test_invalid_scores_keep_what_was_typed(client):
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    reviewer_client(client, assignment.reviewer)
    response = client.post(
        score_url(assignment), form_data(assignment, [11, 4], {0: "Mijn lange commentaar"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mijn lange commentaar" in html
    assert 'role="alert"' in html
    assert not Score.objects.exists()
    # A comment without a score is refused rather than lost.
    response = client.post(
        score_url(assignment), form_data(assignment, [None, 4], {0: "Zonder score"})
    )
    assert response.status_code == 200
    assert "Zonder score" in response.content.decode()
    assert not Score.objects.exists()


def test_recuse_needs_a_statement_then_leaves_the_list(client):
    assignment = assignment_in_state(S.ASSIGNED)
    reviewer_client(client, assignment.reviewer)
    response = client.post(declare_url(assignment), {"decision": "conflict", "statement": ""})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == S.ASSIGNED
    response = client.post(
        declare_url(assignment), {"decision": "conflict", "statement": "Mijn zus is coördinator."}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.state == S.RECUSED
    assert assignment.declaration.statement == "Mijn zus is coördinator."


def test_reviewer_sees_others_scores_only_after_submitting(client):
    entry = EntryFactory(panel=panel_with_criteria())
    other = assignment_in_state(S.DECLARED_NO_CONFLICT, entry=entry)
    score_all(other, [1, 9], submit=True)
    other.reviewer.name = "Zichtbaar Na Indienen"
    other.reviewer.save()
    mine = assignment_in_state(S.DECLARED_NO_CONFLICT, entry=entry)
    reviewer_client(client, mine.reviewer)
    html = client.get(score_url(mine)).content.decode()
    assert "Zichtbaar Na Indienen" not in html
    score_all(mine, [5, 5], submit=True)
    html = client.get(score_url(mine)).content.decode()
    assert "Zichtbaar Na Indienen" in html


# --- officers ---------------------------------------------------------------------------------


def test_consensus_page_for_vlaio_staff(client):
    panel = panel_with_criteria(weights=(2, 1))
    entry = EntryFactory(panel=panel, title="Aanvraag Robotica")
    score_all(assignment_in_state(S.DECLARED_NO_CONFLICT, entry=entry), [8, 6], submit=True)
    score_all(assignment_in_state(S.DECLARED_NO_CONFLICT, entry=entry), [6, 9], submit=True)
    officer = MembershipFactory(organisation__type=Organisation.Type.VLAIO).user
    activate_totp(officer)
    client.force_login(officer)
    response = client.get(reverse("scoring:panel_consensus", args=[panel.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert "Aanvraag Robotica" in html
    assert "7,17" in html  # weighted total, Dutch decimal comma
    assert "grote spreiding" in html.lower()
    assert 'scope="col"' in html and 'scope="row"' in html


# --- officers assign reviewers ----------------------------------------------------------------


def officer_client(client):
    officer = MembershipFactory(organisation__type=Organisation.Type.VLAIO).user
    activate_totp(officer)
    client.force_login(officer)
    return officer


def pool_reviewer(**kwargs):
    return MembershipFactory(role=Membership.Role.REVIEWER, **kwargs).user


def test_assign_page_is_forbidden_for_reviewers_and_vlaio_reviewers(client):
    panel = panel_with_criteria()
    url = reverse("scoring:panel_assign", args=[panel.pk])
    vlaio_reviewer = MembershipFactory(
        organisation__type=Organisation.Type.VLAIO, role=Membership.Role.REVIEWER
    ).user
    activate_totp(vlaio_reviewer)
    client.force_login(vlaio_reviewer)
    assert client.get(url).status_code == 403
    assert client.get(reverse("scoring:panel_consensus", args=[panel.pk])).status_code == 403
    assert client.post(url, {"action": "apply", "per_entry": "1"}).status_code == 403


def test_officer_assigns_and_a_flagged_reviewer_is_refused(client):
    panel = panel_with_criteria()
    entry = EntryFactory(panel=panel)
    flagged = pool_reviewer()
    MembershipFactory(user=flagged, organisation=entry.owner_organisation)
    fine = pool_reviewer()
    officer_client(client)
    url = reverse("scoring:panel_assign", args=[panel.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert "disabled" in html and entry.owner_organisation.name in html

    response = client.post(
        url, {"action": "assign", "entry": entry.pk, "reviewer": flagged.pk}, follow=True
    )
    assert entry.owner_organisation.name in response.content.decode()
    assert not Assignment.objects.exists()

    client.post(url, {"action": "assign", "entry": entry.pk, "reviewer": fine.pk})
    assignment = Assignment.objects.get()
    assert assignment.reviewer == fine

    client.post(url, {"action": "withdraw", "assignment": assignment.pk})
    assert not Assignment.objects.exists()


def test_officer_applies_the_balanced_suggestion(client):
    panel = panel_with_criteria()
    entries = [EntryFactory(panel=panel) for _ in range(3)]
    reviewers = [pool_reviewer() for _ in range(3)]
    officer_client(client)
    url = reverse("scoring:panel_assign", args=[panel.pk])
    response = client.get(url, {"per_entry": "2", "suggest": "1"})
    assert response.status_code == 200
    check_page(response.content.decode())
    assert "Toewijzen zoals voorgesteld" in response.content.decode()
    client.post(url, {"action": "apply", "per_entry": "2"})
    for entry in entries:
        assert entry.assignments.count() == 2
    loads = [Assignment.objects.filter(reviewer=r).count() for r in reviewers]
    assert loads == [2, 2, 2]
    # The officer's list links to the panels.
    html = client.get(reverse("scoring:assignment_list")).content.decode()
    assert url in html


def test_audit_trail_page_for_officers_only(client):
    from stemnet.scoring import services

    assignment = assignment_in_state(S.SUBMITTED)
    panel = assignment.entry.panel
    withdrawn = assignment_in_state(S.ASSIGNED, entry=assignment.entry)
    services.assignment_delete(assignment=withdrawn, actor=None)
    url = reverse("scoring:panel_audit", args=[panel.pk])
    reviewer_client(client, assignment.reviewer)
    assert client.get(url).status_code == 403
    client.logout()
    officer_client(client)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    # Readable events, not codes and Python dicts.
    for label in (
        "Beoordelaar toegewezen",
        "Geen belangenconflict verklaard",
        "Score bewaard",
        "Scores ingediend",
        "Toewijzing ingetrokken",
    ):
        assert label in html
    assert "scoring.assignment.created" not in html and "{&#x27;" not in html
    # Another panel's trail does not leak in.
    other = assignment_in_state(S.SUBMITTED)
    assert other.entry.title not in client.get(url).content.decode()


def test_admin_lists_scoring_read_only(client):
    assignment_in_state(S.SUBMITTED)
    admin = UserFactory(is_superuser=True, is_staff=True)
    activate_totp(admin)
    client.force_login(admin)
    for model in ("panel", "entry", "assignment", "conflictdeclaration", "score"):
        assert client.get(f"/admin/scoring/{model}/").status_code == 200
    assert client.get("/admin/scoring/panel/add/").status_code == 403


def test_consensus_page_draws_the_funding_line_from_a_registered_budget_source(client):
    from decimal import Decimal

    from stemnet.scoring import selectors

    panel = panel_with_criteria()
    first = EntryFactory(panel=panel, title="Eerste aanvraag")
    second = EntryFactory(panel=panel, title="Tweede aanvraag")
    score_all(assignment_in_state(S.DECLARED_NO_CONFLICT, entry=first), [9, 9], submit=True)
    score_all(assignment_in_state(S.DECLARED_NO_CONFLICT, entry=second), [5, 5], submit=True)
    amounts = {first.pk: Decimal("300000"), second.pk: Decimal("8500")}

    def source(p):
        if p.pk != panel.pk:
            return None
        return Decimal("308500") - 1, lambda entry: amounts[entry.pk]

    selectors.register_budget_source("zz_test", source)
    try:
        officer_client(client)
        html = client.get(reverse("scoring:panel_consensus", args=[panel.pk])).content.decode()
    finally:
        selectors.unregister_budget_source("zz_test")
    check_page(html)
    assert "Financieringsgrens: hier is het budget op." in html
    assert html.index("Eerste aanvraag") < html.index("Financieringsgrens: hier")
    assert html.index("Financieringsgrens: hier") < html.index("Tweede aanvraag")
    assert "308.499,00" in html  # the budget, in Dutch notation
    assert selectors.budget_for(panel) is None
