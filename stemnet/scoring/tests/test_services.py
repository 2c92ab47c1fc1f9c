from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stemnet.accounts.tests.factories import UserFactory
from stemnet.core.models import AuditEntry
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory
from stemnet.scoring import services
from stemnet.scoring.models import Assignment, Criterion, Panel, Score
from stemnet.scoring.tests.factories import (
    CriterionFactory,
    EntryFactory,
    PanelFactory,
    assignment_in_state,
    panel_with_criteria,
    score_all,
)

pytestmark = pytest.mark.django_db

S = Assignment.State


def codes(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("id")
        .values_list("code", flat=True)
    )


# --- panels and entries -----------------------------------------------------------------------


def test_panel_create_with_criteria_and_audit():
    officer = UserFactory()
    panel = services.panel_create(
        title="Oproep STEM-partnerschappen 2026",
        scale_min=0,
        scale_max=10,
        criteria=[
            {"title_nl": "Samenwerking", "title_en": "Collaboration", "weight": "3"},
            {"title_nl": "Bereik", "weight": 1, "description": "Hoeveel jongeren?"},
        ],
        actor=officer,
    )
    criteria = list(panel.criteria.all())
    assert [c.title_nl for c in criteria] == ["Samenwerking", "Bereik"]
    assert [c.weight for c in criteria] == [Decimal("3"), Decimal("1")]
    assert panel.spread_threshold == Decimal("0.30")
    entry = AuditEntry.objects.get(code="scoring.panel.created")
    assert entry.actor == officer
    assert entry.data["after"]["criteria"][0]["weight"] == "3.00"


@pytest.mark.parametrize("scale", [(5, 5), (6, 2), (0, 101)])
def test_panel_create_refuses_a_bad_scale(scale):
    with pytest.raises(ValidationError):
        services.panel_create(
            title="x", scale_min=scale[0], scale_max=scale[1], criteria=[], actor=None
        )
    assert not Panel.objects.exists()


@pytest.mark.parametrize(
    "criterion",
    [
        {"title_nl": "", "weight": 1},
        {"title_nl": "A", "weight": 0},
        {"title_nl": "A", "weight": "x"},
    ],
)
def test_panel_create_refuses_bad_criteria(criterion):
    with pytest.raises(ValidationError):
        services.panel_create(
            title="x", scale_min=0, scale_max=10, criteria=[criterion], actor=None
        )
    assert not Panel.objects.exists()


def test_database_refuses_inverted_scale_and_out_of_bounds_scores():
    with pytest.raises(IntegrityError), transaction.atomic():
        Panel.objects.create(title="x", scale_min=10, scale_max=3)
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    criterion = assignment.entry.panel.criteria.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(assignment=assignment, criterion=criterion, value=101)
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(panel=assignment.entry.panel, title_nl="x", weight=0)


def test_panel_update_is_frozen_once_scored():
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    panel = assignment.entry.panel
    services.panel_update(panel=panel, title="Nieuwe titel", scale_max=5, actor=None)
    panel.refresh_from_db()
    assert (panel.title, panel.scale_max) == ("Nieuwe titel", 5)
    score_all(assignment, [3, 4])
    with pytest.raises(ValidationError):
        services.panel_update(panel=panel, scale_max=20, actor=None)
    with pytest.raises(ValidationError):
        services.panel_update(panel=panel, criteria=[{"title_nl": "Enig"}], actor=None)
    services.panel_update(panel=panel, title="Mag nog", actor=None)
    assert codes(panel) == ["scoring.panel.updated", "scoring.panel.updated"]


def test_entry_create_records_organisations():
    panel = PanelFactory()
    owner, partner = OrganisationFactory(), OrganisationFactory()
    entry = services.entry_create(
        panel=panel,
        title="Aanvraag Robotica",
        reference="APP-1",
        owner_organisation=owner,
        related_organisations=[partner],
        actor=None,
        detail_url="/financiering/aanvraag/1/",
    )
    assert list(entry.related_organisations.all()) == [partner]
    audit = AuditEntry.objects.get(code="scoring.entry.created")
    assert audit.data["after"]["owner_organisation"] == owner.pk
    assert audit.data["after"]["related_organisations"] == [partner.pk]


def test_closed_panel_refuses_new_work():
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    panel = assignment.entry.panel
    services.panel_close(panel=panel, actor=None)
    with pytest.raises(ValidationError):
        services.entry_create(panel=panel, title="x", owner_organisation=None, actor=None)
    with pytest.raises(ValidationError):
        services.assignment_create(entry=assignment.entry, reviewer=UserFactory(), actor=None)
    with pytest.raises(ValidationError):
        services.score_save(
            assignment=assignment,
            criterion=panel.criteria.first(),
            value=3,
            actor=assignment.reviewer,
        )
    assert codes(panel) == ["scoring.panel.closed"]


# --- conflicts --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r, _label in Membership.Role.choices])
def test_member_of_the_owner_is_flagged_whatever_the_role(role):
    entry = EntryFactory()
    reviewer = MembershipFactory(organisation=entry.owner_organisation, role=role).user
    reasons = services.reviewer_conflicts(entry=entry, reviewer=reviewer)
    assert len(reasons) == 1
    assert entry.owner_organisation.name in reasons[0]


def test_member_of_a_partner_is_flagged_and_reasons_list_both():
    entry = EntryFactory()
    partner = OrganisationFactory(name="Bedrijf Zonnepanelen")
    entry.related_organisations.add(partner)
    reviewer = MembershipFactory(organisation=partner, role=Membership.Role.MEMBER).user
    assert services.reviewer_conflicts(entry=entry, reviewer=reviewer) == [
        "lid van de partnerorganisatie Bedrijf Zonnepanelen"
    ]
    MembershipFactory(user=reviewer, organisation=entry.owner_organisation)
    reasons = services.reviewer_conflicts(entry=entry, reviewer=reviewer)
    assert len(reasons) == 2 and entry.owner_organisation.name in reasons[0]


def test_unrelated_reviewer_is_not_flagged():
    entry = EntryFactory()
    entry.related_organisations.add(OrganisationFactory())
    reviewer = MembershipFactory(role=Membership.Role.REVIEWER).user
    assert services.reviewer_conflicts(entry=entry, reviewer=reviewer) == []


def test_cannot_assign_a_flagged_reviewer():
    entry = EntryFactory()
    partner = OrganisationFactory()
    entry.related_organisations.add(partner)
    for org in (entry.owner_organisation, partner):
        reviewer = MembershipFactory(organisation=org, role=Membership.Role.REVIEWER).user
        with pytest.raises(ValidationError) as excinfo:
            services.assignment_create(entry=entry, reviewer=reviewer, actor=None)
        assert org.name in excinfo.value.messages[0]
    assert not Assignment.objects.exists()
    assert not AuditEntry.objects.filter(code__startswith="scoring.assignment").exists()


def test_assignment_create_refuses_a_duplicate_and_audits():
    officer = UserFactory()
    entry, reviewer = EntryFactory(), UserFactory()
    assignment = services.assignment_create(entry=entry, reviewer=reviewer, actor=officer)
    assert assignment.state == S.ASSIGNED and assignment.assigned_by == officer
    with pytest.raises(ValidationError):
        services.assignment_create(entry=entry, reviewer=reviewer, actor=officer)
    audit = AuditEntry.objects.get(code="scoring.assignment.created")
    assert audit.actor == officer and audit.data["after"]["state"] == "assigned"


def test_entry_update_refuses_a_partner_that_conflicts_with_an_assigned_reviewer():
    assignment = assignment_in_state(S.ASSIGNED)
    partner = MembershipFactory(user=assignment.reviewer).organisation
    with pytest.raises(ValidationError):
        services.entry_update(entry=assignment.entry, related_organisations=[partner], actor=None)
    assert not assignment.entry.related_organisations.exists()
    other = OrganisationFactory()
    services.entry_update(entry=assignment.entry, related_organisations=[other], actor=None)
    assert list(assignment.entry.related_organisations.all()) == [other]


def test_assignment_delete_only_before_submission():
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    services.assignment_delete(assignment=assignment, actor=None)
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(code="scoring.assignment.deleted").count() == 1
    submitted = assignment_in_state(S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.assignment_delete(assignment=submitted, actor=None)


# --- declaration ------------------------------------------------------------------------------


def test_declare_no_conflict():
    assignment = assignment_in_state(S.ASSIGNED)
    services.assignment_declare(
        assignment=assignment, has_conflict=False, statement="", actor=assignment.reviewer
    )
    assignment.refresh_from_db()
    assert assignment.state == S.DECLARED_NO_CONFLICT
    assert assignment.declaration.has_conflict is False
    audit = AuditEntry.objects.get(code="scoring.assignment.declared")
    assert audit.data == {
        "before": {"state": "assigned"},
        "after": {"state": "declared_no_conflict", "has_conflict": False, "statement": ""},
    }


def test_recuse_needs_a_statement_and_is_final():
    assignment = assignment_in_state(S.ASSIGNED)
    with pytest.raises(ValidationError):
        services.assignment_declare(
            assignment=assignment, has_conflict=True, statement="  ", actor=assignment.reviewer
        )
    services.assignment_declare(
        assignment=assignment, has_conflict=True, statement="Oud-collega", actor=assignment.reviewer
    )
    assignment.refresh_from_db()
    assert assignment.state == S.RECUSED
    assert codes(assignment) == ["scoring.assignment.created", "scoring.assignment.recused"]
    with pytest.raises(ValidationError):
        services.assignment_declare(
            assignment=assignment, has_conflict=False, statement="", actor=assignment.reviewer
        )
    with pytest.raises(ValidationError):
        services.score_save(
            assignment=assignment,
            criterion=assignment.entry.panel.criteria.first(),
            value=5,
            actor=assignment.reviewer,
        )


def test_only_the_reviewer_declares_and_scores():
    assignment = assignment_in_state(S.ASSIGNED)
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        services.assignment_declare(
            assignment=assignment, has_conflict=False, statement="", actor=other
        )
    services.assignment_declare(
        assignment=assignment, has_conflict=False, statement="", actor=assignment.reviewer
    )
    with pytest.raises(PermissionDenied):
        services.score_save(
            assignment=assignment,
            criterion=assignment.entry.panel.criteria.first(),
            value=5,
            actor=other,
        )
    with pytest.raises(PermissionDenied):
        services.assignment_submit(assignment=assignment, actor=other)


# --- scores -----------------------------------------------------------------------------------


def test_score_needs_a_declaration_first():
    assignment = assignment_in_state(S.ASSIGNED)
    with pytest.raises(ValidationError) as excinfo:
        services.score_save(
            assignment=assignment,
            criterion=assignment.entry.panel.criteria.first(),
            value=5,
            actor=assignment.reviewer,
        )
    assert "belangenconflict" in excinfo.value.messages[0]
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", [-1, 11, "x", None])
def test_score_outside_the_scale_is_refused(value):
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    with pytest.raises(ValidationError):
        services.score_save(
            assignment=assignment,
            criterion=assignment.entry.panel.criteria.first(),
            value=value,
            actor=assignment.reviewer,
        )
    assert not Score.objects.exists()


def test_score_scale_bounds_are_inclusive_and_other_panels_criteria_refused():
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    first, second = assignment.entry.panel.criteria.all()
    services.score_save(assignment=assignment, criterion=first, value=0, actor=assignment.reviewer)
    services.score_save(
        assignment=assignment, criterion=second, value=10, actor=assignment.reviewer
    )
    with pytest.raises(ValidationError):
        services.score_save(
            assignment=assignment,
            criterion=CriterionFactory(),
            value=5,
            actor=assignment.reviewer,
        )
    assert Score.objects.count() == 2


def test_draft_scores_change_with_before_and_after_in_the_audit():
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    criterion = assignment.entry.panel.criteria.first()
    reviewer = assignment.reviewer
    score = services.score_save(
        assignment=assignment, criterion=criterion, value=4, comment="Zwak", actor=reviewer
    )
    services.score_save(
        assignment=assignment, criterion=criterion, value=7, comment="Beter", actor=reviewer
    )
    # Saving the same value again writes nothing.
    services.score_save(
        assignment=assignment, criterion=criterion, value=7, comment="Beter", actor=reviewer
    )
    score.refresh_from_db()
    assert (score.value, score.comment) == (7, "Beter")
    trail = [e.data for e in AuditEntry.objects.filter(code="scoring.score.saved").order_by("id")]
    assert [(t["before"], t["after"]) for t in trail] == [
        (None, {"value": 4, "comment": "Zwak"}),
        ({"value": 4, "comment": "Zwak"}, {"value": 7, "comment": "Beter"}),
    ]


def test_submit_lists_the_missing_criteria():
    panel = PanelFactory()
    CriterionFactory(panel=panel, title_nl="Samenwerking", position=0)
    CriterionFactory(panel=panel, title_nl="Bereik", position=1)
    CriterionFactory(panel=panel, title_nl="Begroting", position=2)
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT, entry=EntryFactory(panel=panel))
    services.score_save(
        assignment=assignment,
        criterion=panel.criteria.get(title_nl="Bereik"),
        value=6,
        actor=assignment.reviewer,
    )
    with pytest.raises(ValidationError) as excinfo:
        services.assignment_submit(assignment=assignment, actor=assignment.reviewer)
    message = excinfo.value.messages[0]
    assert "“Samenwerking”" in message and "“Begroting”" in message
    assert "Bereik" not in message
    assignment.refresh_from_db()
    assert assignment.state == S.DECLARED_NO_CONFLICT


def test_submit_freezes_the_scores():
    assignment = assignment_in_state(S.DECLARED_NO_CONFLICT)
    score_all(assignment, [6, 8], submit=True)
    assert assignment.state == S.SUBMITTED and assignment.submitted_at is not None
    audit = AuditEntry.objects.get(code="scoring.assignment.submitted")
    assert audit.data["before"] == {"state": "declared_no_conflict"}
    assert sorted(audit.data["after"]["scores"].values()) == [6, 8]
    with pytest.raises(ValidationError):
        services.score_save(
            assignment=assignment,
            criterion=assignment.entry.panel.criteria.first(),
            value=1,
            actor=assignment.reviewer,
        )
    with pytest.raises(ValidationError):
        services.assignment_submit(assignment=assignment, actor=assignment.reviewer)


def test_every_transition_and_score_is_in_the_audit_trail():
    assignment = assignment_in_state(S.SUBMITTED)
    assert codes(assignment) == [
        "scoring.assignment.created",
        "scoring.assignment.declared",
        "scoring.assignment.submitted",
    ]
    assert AuditEntry.objects.filter(code="scoring.score.saved").count() == 2


# --- balanced assignment ----------------------------------------------------------------------


def test_suggest_by_hand():
    panel = panel_with_criteria()
    e1, e2, e3 = (EntryFactory(panel=panel) for _ in range(3))
    r1, r2, r3 = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(user=r1, organisation=e1.owner_organisation)  # r1 conflicts with e1
    services.assignment_create(entry=e2, reviewer=r2, actor=None)  # r2 already has one
    suggestion = services.assignments_suggest(panel=panel, reviewers=[r3, r2, r1], per_entry=2)
    # e1 (2 candidates) first: r2, r3. e2 needs one more: r1 (load 0). e3: r1 (1), r3 (1).
    assert suggestion == {e1.pk: [r2, r3], e2.pk: [r1], e3.pk: [r1, r3]}
    # Nothing was written.
    assert Assignment.objects.count() == 1
    created = services.assignments_create_suggested(
        panel=panel, reviewers=[r1, r2, r3], per_entry=2, actor=None
    )
    assert len(created) == 5
    loads = [Assignment.objects.filter(reviewer=r).count() for r in (r1, r2, r3)]
    assert loads == [2, 2, 2]


def test_suggest_skips_recused_reviewers_and_does_not_count_recusals():
    assignment = assignment_in_state(S.RECUSED)
    other = UserFactory()
    suggestion = services.assignments_suggest(
        panel=assignment.entry.panel, reviewers=[assignment.reviewer, other], per_entry=1
    )
    assert suggestion == {assignment.entry_id: [other]}


CONFLICTS = st.integers(min_value=0, max_value=2)  # 0 none, 1 member of owner, 2 of partner


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    n_reviewers=st.integers(min_value=1, max_value=6),
    n_entries=st.integers(min_value=1, max_value=5),
    per_entry=st.integers(min_value=1, max_value=3),
    matrix=st.lists(st.lists(CONFLICTS, min_size=5, max_size=5), min_size=6, max_size=6),
    with_conflicts=st.booleans(),
)
def test_suggest_properties(n_reviewers, n_entries, per_entry, matrix, with_conflicts):
    panel = PanelFactory()
    entries = []
    for _ in range(n_entries):
        entry = EntryFactory(panel=panel)
        entry.related_organisations.add(OrganisationFactory())
        entries.append(entry)
    reviewers = [UserFactory() for _ in range(n_reviewers)]
    if with_conflicts:
        for i, reviewer in enumerate(reviewers):
            for j, entry in enumerate(entries):
                if matrix[i][j] == 1:
                    Membership.objects.create(user=reviewer, organisation=entry.owner_organisation)
                elif matrix[i][j] == 2:
                    Membership.objects.create(
                        user=reviewer, organisation=entry.related_organisations.get()
                    )

    suggestion = services.assignments_suggest(panel=panel, reviewers=reviewers, per_entry=per_entry)

    eligible = {
        e.pk: [r for r in reviewers if not services.reviewer_conflicts(entry=e, reviewer=r)]
        for e in entries
    }
    load = {r.pk: 0 for r in reviewers}
    for entry in entries:
        picks = suggestion[entry.pk]
        assert len({r.pk for r in picks}) == len(picks)
        assert len(picks) == min(per_entry, len(eligible[entry.pk]))
        for reviewer in picks:
            assert not services.reviewer_conflicts(entry=entry, reviewer=reviewer)
            load[reviewer.pk] += 1
    # No reviewer could take over from one carrying two or more entries more.
    for entry in entries:
        picked = {r.pk for r in suggestion[entry.pk]}
        for free in (r for r in eligible[entry.pk] if r.pk not in picked):
            assert all(load[pk] <= load[free.pk] + 1 for pk in picked)
    if not with_conflicts:
        assert max(load.values()) - min(load.values()) <= 1
    # Deterministic.
    assert (
        services.assignments_suggest(
            panel=panel, reviewers=list(reversed(reviewers)), per_entry=per_entry
        )
        == suggestion
    )
