"""Factories for the scoring component, and helpers that reach a state through the services."""

from decimal import Decimal

import factory

from stemnet.accounts.tests.factories import UserFactory
from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.scoring import services
from stemnet.scoring.models import Assignment, Criterion, Entry, Panel


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    title = factory.Sequence(lambda n: f"Beoordelingspanel {n}")
    scale_min = 0
    scale_max = 10


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    panel = factory.SubFactory(PanelFactory)
    title_nl = factory.Sequence(lambda n: f"Criterium {n}")
    title_en = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")
    position = factory.Sequence(int)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    panel = factory.SubFactory(PanelFactory)
    title = factory.Sequence(lambda n: f"Aanvraag {n}")
    reference = factory.Sequence(lambda n: f"REF-{n:04d}")
    owner_organisation = factory.SubFactory(OrganisationFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    entry = factory.SubFactory(EntryFactory)
    reviewer = factory.SubFactory(UserFactory)


def panel_with_criteria(weights=(1, 1), scale=(0, 10), **kwargs) -> Panel:
    panel = PanelFactory(scale_min=scale[0], scale_max=scale[1], **kwargs)
    for position, weight in enumerate(weights):
        CriterionFactory(panel=panel, weight=Decimal(str(weight)), position=position)
    return panel


def assignment_in_state(state: str, *, entry=None, reviewer=None) -> Assignment:
    """An assignment brought to ``state`` by the services (so the audit trail is real)."""
    entry = entry or EntryFactory(panel=panel_with_criteria())
    reviewer = reviewer or UserFactory()
    assignment = services.assignment_create(entry=entry, reviewer=reviewer, actor=None)
    if state == Assignment.State.ASSIGNED:
        return assignment
    services.assignment_declare(
        assignment=assignment,
        has_conflict=state == Assignment.State.RECUSED,
        statement="Mijn partner werkt daar." if state == Assignment.State.RECUSED else "",
        actor=reviewer,
    )
    if state in (Assignment.State.RECUSED, Assignment.State.DECLARED_NO_CONFLICT):
        assignment.refresh_from_db()
        return assignment
    score_all(assignment, [5] * entry.panel.criteria.count())
    services.assignment_submit(assignment=assignment, actor=reviewer)
    assignment.refresh_from_db()
    return assignment


def score_all(assignment: Assignment, values, *, submit: bool = False) -> Assignment:
    reviewer = assignment.reviewer
    for criterion, value in zip(assignment.entry.panel.criteria.all(), values, strict=True):
        services.score_save(
            assignment=assignment, criterion=criterion, value=value, comment="", actor=reviewer
        )
    if submit:
        services.assignment_submit(assignment=assignment, actor=reviewer)
    assignment.refresh_from_db()
    return assignment
