import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from stemnet.funding.tests.factories import coordinator_of, officer, reviewer
from stemnet.organisations.tests.factories import MembershipFactory, municipality
from stemnet.scoring import services as scoring
from stemnet.stempact import award, pairing, services
from stemnet.stempact.models import Aspect, PairingLock
from stemnet.stempact.tests import factories as f

pytestmark = pytest.mark.django_db
CURR, INFRA, LEAD = Aspect.CURRICULUM, Aspect.INFRASTRUCTURE, Aspect.LEADERSHIP


@pytest.fixture
def world():
    """Two schools in Mechelen (weak on curriculum resp. infrastructure), one in Oostende
    (far from every company); two companies in Mechelen with one place each."""
    staff = officer()
    c = f.cohort(staff, items_per_aspect=1)
    m = f.measurement(c, staff)
    a = f.selected(c, staff, org=f.school(name="School Curriculum"))
    b = f.selected(c, staff, org=f.school(name="School Infra"))
    far = f.selected(c, staff, org=f.school(name="School Zee", municipality=municipality("35013")))
    f.answer_all(m, a, staff, "a@a.org", lambda x: 1 if x in (CURR, LEAD) else 4)
    f.answer_all(m, b, staff, "b@b.org", lambda x: 1 if x in (INFRA, LEAD) else 4)
    f.answer_all(m, far, staff, "z@z.org", lambda x: 2)
    co_curr = f.company(name="Bedrijf Leerplan")
    co_infra = f.company(name="Bedrijf Infra")
    pairing.offer_save(cohort=c, company=co_curr, capacity=1, expertise=[CURR, LEAD], actor=staff)
    pairing.offer_save(cohort=c, company=co_infra, capacity=1, expertise=[INFRA, LEAD], actor=staff)
    return {
        "staff": staff,
        "cohort": c,
        "a": a,
        "b": b,
        "far": far,
        "curr": co_curr,
        "infra": co_infra,
    }


def test_pairing_covers_the_weakest_aspects_and_lists_the_unmatched_with_a_reason(world):
    w = world
    result = pairing.pairing_run(cohort=w["cohort"], actor=w["staff"], max_distance_km=25)
    assert result.matched == 2
    for t in (w["a"], w["b"], w["far"]):
        t.refresh_from_db()
    assert w["a"].sponsor == w["curr"] and w["b"].sponsor == w["infra"]
    assert w["a"].pairing["parts"] and w["a"].pairing["distance_km"] == 0.0
    assert w["far"].sponsor is None
    assert "afstand" in pairing.unmatched_label(w["far"].unmatched_reason)
    # Staff adjust: A never with the curriculum company -> A gets the other one, B none.
    pairing.lock_set(
        trajectory=w["a"], company=w["curr"], kind=PairingLock.Kind.MUST_NOT, actor=w["staff"]
    )
    pairing.pairing_run(cohort=w["cohort"], actor=w["staff"])
    w["a"].refresh_from_db()
    assert w["a"].sponsor == w["infra"]
    with pytest.raises(PermissionDenied):
        pairing.pairing_run(cohort=w["cohort"], actor=w["a"].coordinator)


def test_introductions_go_to_both_sides_once(world):
    w = world
    ceo = coordinator_of(w["curr"])
    pairing.pairing_run(cohort=w["cohort"], actor=w["staff"])
    mail.outbox.clear()
    assert pairing.introductions_send(cohort=w["cohort"], actor=w["staff"]) == 2
    recipients = {to for m in mail.outbox for to in m.to}
    assert {w["a"].coordinator.email, ceo.email} <= recipients
    assert pairing.introductions_send(cohort=w["cohort"], actor=w["staff"]) == 0


def test_award_entry_jury_conflicts_ranking_and_public_winner(world, client):
    w = world
    pairing.pairing_run(cohort=w["cohort"], actor=w["staff"])
    a = w["a"]
    a.refresh_from_db()
    award.award_open(cohort=w["cohort"], criteria=["Impact", "Duurzaamheid"], actor=w["staff"])
    w["cohort"].refresh_from_db()
    with pytest.raises(ValidationError):
        award.award_enter(trajectory=a, text="Ons plan", actor=a.coordinator)  # no actions yet
    services.action_save(
        trajectory=a,
        actor=a.coordinator,
        aspect=CURR,
        title="STEM-lijn",
        owner="Directie",
        due_on=dt.date(2026, 5, 1),
    )
    with pytest.raises(PermissionDenied):
        award.award_enter(trajectory=a, text="x", actor=w["staff"])
    a = award.award_enter(trajectory=a, text="Ons plan", actor=a.coordinator)
    entry = a.award_entry
    # A juror from the sponsor company has a conflict: the component refuses the assignment.
    company_juror = reviewer()
    MembershipFactory(user=company_juror, organisation=w["curr"])
    with pytest.raises(ValidationError):
        scoring.assignment_create(entry=entry, reviewer=company_juror, actor=w["staff"])
    juror = reviewer()
    assignment = scoring.assignment_create(entry=entry, reviewer=juror, actor=w["staff"])
    client.force_login(juror)
    dossier = reverse("stempact:award_dossier", args=[a.pk])
    assert client.get(dossier).status_code == 403  # before declaring no conflict
    scoring.assignment_declare(assignment=assignment, has_conflict=False, actor=juror)
    page = client.get(dossier)
    assert (
        page.status_code == 200
        and "STEM-lijn" in page.content.decode()
        and "<svg" not in page.content.decode()
    )
    for criterion in w["cohort"].award_panel.criteria.all():
        scoring.score_save(assignment=assignment, criterion=criterion, value=8, actor=juror)
    scoring.assignment_submit(assignment=assignment, actor=juror)
    rows = award.ranking(w["cohort"])
    assert rows[0].rank == 1 and rows[0].trajectory == a and str(rows[0].total) == "8.00"
    with pytest.raises(ValidationError):
        award.winner_publish(trajectory=a, actor=w["staff"])
    award.nominee_set(trajectory=a, nominated=True, actor=w["staff"])
    award.winner_publish(trajectory=a, actor=w["staff"])
    client.logout()
    assert "School Curriculum" in client.get(reverse("stempact:winners")).content.decode()
