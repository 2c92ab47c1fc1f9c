"""Small STEMpact worlds for tests: a cohort with statements, schools and answers."""

import datetime as dt

from django.utils import timezone

from stemnet.funding.tests.factories import coordinator_of, officer
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.stempact import services
from stemnet.stempact.models import Aspect, Measurement, Trajectory


def school(name: str = "", **kwargs) -> Organisation:
    fields = {"type": Organisation.Type.SCHOOL, **kwargs}
    if name:
        fields["name"] = name
    return OrganisationFactory(**fields)


def company(name: str = "", **kwargs) -> Organisation:
    fields = {"type": Organisation.Type.COMPANY, **kwargs}
    if name:
        fields["name"] = name
    return OrganisationFactory(**fields)


def cohort(staff=None, *, items_per_aspect: int = 2, **kwargs):
    staff = staff or officer()
    programme = services.programme_create(title="Voka STEMpact (test)", actor=staff)
    c = services.cohort_create(programme=programme, title="2025-2026", actor=staff, **kwargs)
    for aspect in Aspect.values:
        services.questionnaire_save(
            cohort=c,
            aspect=aspect,
            items=[f"Stelling {n} over {aspect}" for n in range(1, items_per_aspect + 1)],
            actor=staff,
        )
    return c


def selected(c, staff, org=None, coordinator=None) -> Trajectory:
    """A selected school of cohort ``c`` (its coordinator is ``trajectory.coordinator``)."""
    org = org or school()
    coordinator = coordinator or coordinator_of(org)
    c.intake_open = True
    c.save(update_fields=["intake_open"])
    t = services.trajectory_apply(
        cohort=c, school=org, actor=coordinator, motivation="Meer STEM.", finality_transfer=True
    )
    t = services.trajectory_decide(trajectory=t, selected=True, actor=staff)
    t.coordinator = coordinator
    return t


def measurement(c, staff, kind=Measurement.Kind.BASELINE, days: int = 30) -> Measurement:
    return services.measurement_open(
        cohort=c, kind=kind, closes_at=timezone.now() + dt.timedelta(days=days), actor=staff
    )


def answer_all(measurement, trajectory, actor, email: str, value_for) -> None:
    """Invite ``email`` and answer every statement with ``value_for(aspect)``."""
    from stemnet.stempact import selectors

    r = services.respondent_invite(
        measurement=measurement, trajectory=trajectory, email=email, role="teacher", actor=actor
    )
    answers = {
        item.pk: value_for(q.aspect)
        for q in selectors.questionnaires_current(measurement.cohort)
        for item in q.items.all()
    }
    services.survey_submit(token=r.token, answers=answers)


def authz_world(w: dict, *, owner, staff) -> None:
    """STEMpact objects for the role × URL matrix: the ``owner`` coordinates a selected school
    with an open baseline, a respondent, an action and a learning network."""
    from stemnet.organisations.models import Membership
    from stemnet.organisations.tests.factories import MembershipFactory

    c = cohort(staff, items_per_aspect=1)
    org = school(name="School A")
    MembershipFactory(user=owner, organisation=org, role=Membership.Role.COORDINATOR)
    t = w["trajectory"] = selected(c, staff, org=org, coordinator=owner)
    w["cohort"] = c  # intake stays open (selected() opened it)
    m = measurement(c, staff)
    w["respondent"] = services.respondent_invite(
        measurement=m, trajectory=t, email="juf@school-a.example.org", role="teacher", actor=staff
    )
    w["action"] = services.action_save(
        trajectory=t,
        actor=owner,
        aspect=Aspect.CURRICULUM,
        title="STEM-project",
        owner="Directie",
        due_on=dt.date(2026, 6, 1),
    )
    w["network"] = services.network_create(
        cohort=c, title="Lerend netwerk", held_on=dt.date(2026, 1, 30), actor=staff
    )
