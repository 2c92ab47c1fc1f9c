import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from stemnet.funding.tests.factories import coordinator_of, officer
from stemnet.stempact import selectors, services
from stemnet.stempact.models import Answer, Aspect, Measurement, Trajectory
from stemnet.stempact.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return officer()


def test_apply_needs_a_coordinator_of_the_school_and_an_open_intake(staff):
    c = f.cohort(staff)
    org = f.school()
    with pytest.raises(PermissionDenied):
        services.trajectory_apply(
            cohort=c, school=org, actor=coordinator_of(f.school()), motivation="x"
        )
    boss = coordinator_of(org)
    with pytest.raises(ValidationError, match="gesloten"):
        services.trajectory_apply(
            cohort=c, school=org, actor=boss, motivation="x", finality_dual=True
        )
    c.intake_open = True
    c.save()
    with pytest.raises(ValidationError) as error:
        services.trajectory_apply(cohort=c, school=org, actor=boss, motivation="x")
    assert "finality_transfer" in error.value.error_dict
    t = services.trajectory_apply(
        cohort=c, school=org, actor=boss, motivation="x", finality_dual=True
    )
    assert t.status == Trajectory.Status.APPLIED
    with pytest.raises(ValidationError, match="al aangemeld"):
        services.trajectory_apply(
            cohort=c, school=org, actor=boss, motivation="y", finality_dual=True
        )


def test_selection_stays_within_the_places_and_a_refusal_needs_a_reason(staff):
    c = f.cohort(staff, max_schools=1)
    f.selected(c, staff)
    org = f.school()
    c.refresh_from_db()
    t = services.trajectory_apply(
        cohort=c, school=org, actor=coordinator_of(org), motivation="x", finality_labour=True
    )
    with pytest.raises(ValidationError, match="plaatsen"):
        services.trajectory_decide(trajectory=t, selected=True, actor=staff)
    with pytest.raises(ValidationError):
        services.trajectory_decide(trajectory=t, selected=False, actor=staff)
    with pytest.raises(PermissionDenied):
        services.trajectory_decide(
            trajectory=t, selected=False, note="vol", actor=coordinator_of(org)
        )
    t = services.trajectory_decide(
        trajectory=t, selected=False, note="De cohorte is vol.", actor=staff
    )
    assert t.status == Trajectory.Status.DECLINED


def test_a_questionnaire_with_answers_gets_a_new_version_and_old_answers_stay(staff):
    c = f.cohort(staff, items_per_aspect=1)
    t = f.selected(c, staff)
    m = f.measurement(c, staff)
    f.answer_all(m, t, t.coordinator, "a@school.example.org", lambda a: 4)
    old = selectors.questionnaire_current(c, Aspect.LEADERSHIP)
    new = services.questionnaire_save(
        cohort=c, aspect=Aspect.LEADERSHIP, items=["Nieuwe stelling", "Tweede"], actor=staff
    )
    assert (old.version, new.version) == (1, 2)
    assert [i.text for i in old.items.all()] == ["Stelling 1 over leadership"]
    assert Answer.objects.filter(item__questionnaire=old).count() == 1
    # Without answers, a version is edited in place.
    same = services.questionnaire_save(
        cohort=c, aspect=Aspect.LEADERSHIP, items=["Eén"], actor=staff
    )
    assert same.pk == new.pk and [i.text for i in same.items.all()] == ["Eén"]
    with pytest.raises(ValidationError):
        services.questionnaire_save(
            cohort=c, aspect=Aspect.LEADERSHIP, items=["", " "], actor=staff
        )


def test_invitation_mail_link_works_once_and_expires(staff):
    c = f.cohort(staff, items_per_aspect=1)
    t = f.selected(c, staff)
    m = f.measurement(c, staff, days=2)
    mail.outbox.clear()
    r = services.respondent_invite(
        measurement=m,
        trajectory=t,
        email=" Juf@School.example.org ",
        name="Juf An",
        role="teacher",
        actor=t.coordinator,
    )
    assert r.email == "juf@school.example.org"
    assert len(mail.outbox) == 1 and r.token in mail.outbox[0].body
    with pytest.raises(ValidationError, match="al uitgenodigd"):
        services.respondent_invite(
            measurement=m, trajectory=t, email="juf@school.example.org", role="teacher", actor=staff
        )
    with pytest.raises(PermissionDenied):
        services.respondent_invite(
            measurement=m,
            trajectory=t,
            email="x@y.org",
            role="teacher",
            actor=coordinator_of(f.school()),
        )
    items = [i for q in selectors.questionnaires_current(c) for i in q.items.all()]
    answers = {i.pk: 3 for i in items}
    answers[items[0].pk] = 9  # outside the scale 1-5
    del answers[items[1].pk]
    with pytest.raises(ValidationError) as error:
        services.survey_submit(token=r.token, answers=answers)
    assert set(error.value.error_dict) == {f"item_{items[0].pk}", f"item_{items[1].pk}"}
    answers[items[0].pk] = None  # not applicable
    answers[items[1].pk] = 5
    services.survey_submit(token=r.token, answers=answers)
    with pytest.raises(ValidationError, match="al gebruikt"):
        services.survey_submit(token=r.token, answers=answers)
    late = services.respondent_invite(
        measurement=m, trajectory=t, email="late@x.org", role="leader", actor=staff
    )
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=3)),
        pytest.raises(ValidationError, match="verlopen"),
    ):
        services.survey_submit(token=late.token, answers=answers)
    assert services.survey_state(None) == "unknown"


def test_reminders_go_only_to_who_has_not_answered(staff):
    c = f.cohort(staff, items_per_aspect=1)
    t = f.selected(c, staff)
    m = f.measurement(c, staff)
    f.answer_all(m, t, staff, "done@x.org", lambda a: 3)
    services.respondent_invite(
        measurement=m, trajectory=t, email="todo@x.org", role="leader", actor=staff
    )
    mail.outbox.clear()
    assert services.respondents_remind(measurement=m, actor=staff) == 1
    assert mail.outbox[0].to == ["todo@x.org"]
    assert services.respondents_remind(measurement=m, trajectory=t, actor=t.coordinator) == 1
    with pytest.raises(PermissionDenied):
        services.respondents_remind(measurement=m, actor=t.coordinator)
    progress = selectors.progress_per_school(c, Measurement.Kind.BASELINE)
    assert [(p.invited, p.answered, p.percent) for p in progress] == [(2, 1, 50)]


def test_scores_respondents_spread_and_cohort_median(staff):
    c = f.cohort(staff, items_per_aspect=2)
    a, b, d = (f.selected(c, staff) for _ in range(3))
    m = f.measurement(c, staff)
    lead = Aspect.LEADERSHIP
    f.answer_all(m, a, staff, "1@a.org", lambda x: 5 if x == lead else 2)
    f.answer_all(m, a, staff, "2@a.org", lambda x: 2 if x == lead else None)
    f.answer_all(m, b, staff, "1@b.org", lambda x: 3)
    f.answer_all(m, d, staff, "1@d.org", lambda x: 4)
    rows = {r.aspect: r for r in selectors.school_results(a, Measurement.Kind.BASELINE)}
    # Leadership: respondent means 5 and 2 -> 3.50, spread 3; others: only respondent 1 (2).
    assert (rows[lead].score, rows[lead].respondents, rows[lead].spread) == (
        Decimal("3.50"),
        2,
        Decimal("3.00"),
    )
    assert (rows[Aspect.CURRICULUM].score, rows[Aspect.CURRICULUM].respondents) == (
        Decimal("2.00"),
        1,
    )
    # Medians over the schools: leadership 3.5, 3, 4 -> 3.50; curriculum 2, 3, 4 -> 3.00.
    assert rows[lead].median == Decimal("3.50")
    assert rows[Aspect.CURRICULUM].median == Decimal("3.00")
    weakest = selectors.weakest_aspects(list(rows.values()))
    assert weakest == [Aspect.CURRICULUM, Aspect.TEACHING_METHOD]


def test_the_scale_freezes_once_answers_exist(staff):
    c = f.cohort(staff, items_per_aspect=1)
    t = f.selected(c, staff)
    services.cohort_update(
        cohort=c, actor=staff, intake_open=False, scale_min=0, scale_max=4, story=""
    )
    f.answer_all(f.measurement(c, staff), t, staff, "x@x.org", lambda a: 4)
    with pytest.raises(ValidationError, match="niet meer veranderen"):
        services.cohort_update(
            cohort=c, actor=staff, intake_open=False, scale_min=1, scale_max=5, story=""
        )
    with pytest.raises(ValidationError):
        services.cohort_create(
            programme=c.programme, title="x", scale_min=5, scale_max=5, actor=staff
        )


def test_a_measurement_opens_only_with_statements_on_every_aspect(staff):
    programme = services.programme_create(title="P", actor=staff)
    c = services.cohort_create(programme=programme, title="2026", actor=staff)
    with pytest.raises(ValidationError, match="geen stellingen"):
        f.measurement(c, staff)


def test_action_plan_is_for_the_school_its_company_and_staff(staff):
    c = f.cohort(staff, items_per_aspect=1)
    t = f.selected(c, staff)
    sponsor = f.company()
    t.sponsor = sponsor
    t.save()
    fields = {
        "aspect": Aspect.INFRASTRUCTURE,
        "title": "Maakplaats",
        "owner": "Directie",
        "due_on": dt.date(2026, 5, 1),
    }
    action = services.action_save(trajectory=t, actor=coordinator_of(sponsor), **fields)
    action = services.action_save(trajectory=t, actor=t.coordinator, action=action, status="done")
    assert action.progress == 100
    with pytest.raises(PermissionDenied):
        services.action_save(trajectory=t, actor=coordinator_of(f.company()), **fields)
    with pytest.raises(ValidationError):
        services.comment_add(trajectory=t, actor=staff, text="  ")
    assert services.comment_add(trajectory=t, actor=staff, text="Goed bezig").text == "Goed bezig"
