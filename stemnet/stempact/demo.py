"""Demo data for STEMpact (DEMO DATA ONLY, every name says "demo"): one finished cohort
(20 invented schools, baseline and final measurement, sponsor companies paired by the
matching engine, three learning networks, action plans and an award with a published winner)
and one running cohort (intake open, baseline under way) in which the demo school login
(school@demo.stemnet.invalid, Demo-basisschool De Regenboog) takes part.

The themes of the three learning networks follow seed 004 (team-based STEM projects with
iSTEM, professionalising STEM teachers, a local STEM ecosystem with the Neteland case); the
statements, scores, schools and companies are invented. ``clear()`` runs before the
organisations' demo step, ``seed(rng)`` after it.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from stemnet.organisations import services as org_services
from stemnet.organisations.demo import DEMO_NOTE as ORGANISATION_DEMO_NOTE
from stemnet.organisations.models import Organisation
from stemnet.scoring import services as scoring
from stemnet.scoring.models import Panel
from stemnet.stempact import award, pairing, services
from stemnet.stempact.models import Answer, Aspect, Cohort, Measurement, Programme, Trajectory

DEMO_DOMAIN = "demo.stemnet.invalid"
PROGRAMME = "Voka STEMpact (demo)"
# Real municipalities (postcodes) spread over Flanders; the schools in them are invented.
PLACES = [
    ("2800", "Mechelen"),
    ("2000", "Antwerpen"),
    ("2200", "Herentals"),
    ("2260", "Westerlo"),
    ("2300", "Turnhout"),
    ("3000", "Leuven"),
    ("3500", "Hasselt"),
    ("3600", "Genk"),
    ("8000", "Brugge"),
    ("8500", "Kortrijk"),
    ("8400", "Oostende"),
    ("9000", "Gent"),
    ("9100", "Sint-Niklaas"),
    ("9200", "Dendermonde"),
    ("9300", "Aalst"),
    ("1800", "Vilvoorde"),
    ("2500", "Lier"),
    ("3200", "Aarschot"),
    ("8800", "Roeselare"),
    ("9700", "Oudenaarde"),
]
COMPANY_PLACES = ["2800", "2000", "2300", "3000", "3600", "8000", "8500", "9000", "9100"]
NETWORKS = [
    ("In team een STEM-project ontwikkelen (met iSTEM)", dt.date(2025, 1, 30)),
    ("Professionalisering van (STEM-)leerkrachten", dt.date(2025, 2, 27)),
    ("Een lokaal STEM-ecosysteem bouwen: de case Neteland", dt.date(2025, 3, 27)),
]


def clear() -> None:
    """Remove every demo cohort, its award panel and the demo schools and companies."""
    panels = list(
        Cohort.objects.filter(is_demo=True, award_panel__isnull=False).values_list(
            "award_panel_id", flat=True
        )
    )
    # Answers protect their statements (old versions stay readable): remove them first.
    Answer.objects.filter(respondent__measurement__cohort__is_demo=True).delete()
    Cohort.objects.filter(is_demo=True).delete()
    Programme.objects.filter(is_demo=True).delete()
    Panel.objects.filter(pk__in=panels).delete()


def _staff():
    return get_user_model().objects.filter(email=f"vlaio@{DEMO_DOMAIN}").first()


def _org(name: str, type_: str, postcode: str) -> Organisation:
    found = Organisation.objects.filter(name=name, is_demo=True).first()
    return found or org_services.organisation_create(
        actor=None,
        name=name,
        type=type_,
        postcode=postcode,
        is_demo=True,
        email=f"{slugify(name)[:40]}@{DEMO_DOMAIN}",
        description=f"Verzonnen voor de STEMpact-demo.\n\n{ORGANISATION_DEMO_NOTE}",
    )


def _statements(cohort: Cohort, staff) -> None:
    for aspect, label in Aspect.choices:
        services.questionnaire_save(
            cohort=cohort,
            aspect=aspect,
            items=[
                f"Demo-stelling: onze school heeft een duidelijke visie op {label}.",
                f"Demo-stelling: {label} wordt op onze school regelmatig samen bijgestuurd.",
            ],
            actor=staff,
        )


def _answer(rng, measurement, trajectory, staff, level: dict, shift: int, count: int) -> None:
    from stemnet.stempact import selectors

    items = [
        (q.aspect, i)
        for q in selectors.questionnaires_current(measurement.cohort)
        for i in q.items.all()
    ]
    for n in range(count):
        r = services.respondent_invite(
            measurement=measurement,
            trajectory=trajectory,
            email=f"respondent{n}.{trajectory.pk}@{DEMO_DOMAIN}",
            role="leader" if n == 0 else "teacher",
            actor=staff,
        )
        answers = {
            item.pk: None
            if rng.random() < 0.05
            else max(1, min(5, level[a] + shift + rng.choice((-1, 0, 0, 1))))
            for a, item in items
        }
        services.survey_submit(token=r.token, answers=answers)


def _cohort(staff, title: str) -> Cohort:
    """A demo cohort, open for intake while the demo fills it."""
    programme = Programme.objects.filter(title=PROGRAMME).first() or services.programme_create(
        title=PROGRAMME, description="Demo van het STEMpact-traject.", actor=staff, is_demo=True
    )
    return services.cohort_create(
        programme=programme, title=title, intake_open=True, actor=staff, is_demo=True
    )


def _select(rng, cohort, staff, schools) -> list[Trajectory]:
    out = []
    for org in schools:
        coordinator = org.memberships.filter(role="coordinator").first()
        t = (
            Trajectory.objects.create(
                cohort=cohort,
                school=org,
                motivation="Demo-motivatie: we willen STEM sterker maken.",
                finality_transfer=rng.random() < 0.6,
                finality_dual=rng.random() < 0.5,
                finality_labour=rng.random() < 0.4,
            )
            if coordinator is None
            else services.trajectory_apply(
                cohort=cohort,
                school=org,
                actor=coordinator.user,
                motivation="Demo-motivatie: we willen STEM sterker maken.",
                finality_transfer=True,
            )
        )
        out.append(services.trajectory_decide(trajectory=t, selected=True, actor=staff))
    return out


@transaction.atomic
def seed(rng: random.Random) -> int:
    """Build both demo cohorts; return the number of demo schools in them."""
    staff = _staff()
    if staff is None:
        return 0
    clear()
    schools = [
        _org(f"Demo-STEMpact-school {place}", Organisation.Type.SCHOOL, code)
        for code, place in PLACES
    ]
    companies = [
        _org(f"Demo-peterbedrijf {n + 1}", Organisation.Type.COMPANY, code)
        for n, code in enumerate(COMPANY_PLACES)
    ]
    finished = _finished(rng, staff, schools, companies)
    running = _running(rng, staff, schools[:5])
    return len(finished) + len(running)


def _finished(rng, staff, schools, companies) -> list[Trajectory]:
    cohort = _cohort(staff, "2024-2025 (demo)")
    _statements(cohort, staff)
    selected = _select(rng, cohort, staff, schools)
    soon = timezone.now() + dt.timedelta(days=1)
    baseline = services.measurement_open(
        cohort=cohort, kind=Measurement.Kind.BASELINE, closes_at=soon, actor=staff
    )
    final = services.measurement_open(
        cohort=cohort, kind=Measurement.Kind.FINAL, closes_at=soon, actor=staff
    )
    levels = {t.pk: {a: rng.randint(1, 4) for a in Aspect.values} for t in selected}
    for t in selected:
        _answer(rng, baseline, t, staff, levels[t.pk], 0, 3)
        _answer(rng, final, t, staff, levels[t.pk], 1, 2)
    Measurement.objects.filter(cohort=cohort).update(
        closes_at=timezone.now() - dt.timedelta(days=30)
    )
    for n, company in enumerate(companies):
        expertise = [Aspect.values[n % 7], Aspect.values[(n + 3) % 7], Aspect.values[(n + 5) % 7]]
        pairing.offer_save(
            cohort=cohort, company=company, capacity=3, expertise=expertise, actor=staff
        )
    pairing.pairing_run(cohort=cohort, actor=staff, max_distance_km=40)
    for (title, day), n in zip(NETWORKS, range(3), strict=True):
        network = services.network_create(
            cohort=cohort, title=title, held_on=day, place="Demo-locatie", actor=staff
        )
        services.attendance_set(
            network=network,
            present=[t for t in selected if rng.random() < 0.8 - n * 0.1],
            actor=staff,
        )
    for t in selected:
        t.refresh_from_db()
        for aspect in (Aspect.CURRICULUM, Aspect.COMPANY_COLLABORATION):
            services.action_save(
                trajectory=t,
                actor=staff,
                aspect=aspect,
                title=f"Demo-actie rond {Aspect(aspect).label}",
                owner="Demo-trekker",
                due_on=dt.date(2025, 5, 1),
                status="done",
                company_contribution="Demo: bedrijfsbezoek en een stageplaats."
                if t.sponsor_id
                else "",
            )
    _award(rng, cohort, staff, selected[:6])
    services.cohort_update(
        cohort=cohort,
        actor=staff,
        intake_open=False,
        scale_min=1,
        scale_max=5,
        story=(
            "Demo-verhaal: twintig demo-scholen werkten een jaar lang met hun peterbedrijf "
            "aan sterker STEM-onderwijs."
        ),
    )
    return selected


def _school_coordinator(school: Organisation):
    """A demo login for an invented school (the accounts demo removes it on the next run)."""
    from stemnet.organisations.models import Membership

    found = school.memberships.filter(role=Membership.Role.COORDINATOR).first()
    if found:
        return found.user
    email = f"{school.slug[:40]}@{DEMO_DOMAIN}"
    user = get_user_model().objects.filter(email=email).first()
    user = user or get_user_model().objects.create_user(email=email, password=None, is_demo=True)
    org_services.membership_create(
        organisation=school, user=user, role=Membership.Role.COORDINATOR, actor=None
    )
    return user


def _award(rng, cohort, staff, entrants) -> None:
    award.award_open(
        cohort=cohort,
        criteria=["Demo-criterium: impact", "Demo-criterium: duurzaamheid"],
        actor=staff,
    )
    cohort.refresh_from_db()
    juror = get_user_model().objects.filter(email=f"beoordelaar@{DEMO_DOMAIN}").first()
    for t in entrants:
        coordinator = _school_coordinator(t.school)
        t = award.award_enter(
            trajectory=t, text="Demo-kandidatuur: ons actieplan in het kort.", actor=coordinator
        )
        if juror is None:
            continue
        assignment = scoring.assignment_create(entry=t.award_entry, reviewer=juror, actor=staff)
        scoring.assignment_declare(assignment=assignment, has_conflict=False, actor=juror)
        for criterion in cohort.award_panel.criteria.all():
            scoring.score_save(
                assignment=assignment, criterion=criterion, value=rng.randint(5, 10), actor=juror
            )
        scoring.assignment_submit(assignment=assignment, actor=juror)
    rows = award.ranking(cohort)
    for row in rows[:3]:
        if row.trajectory is not None:
            award.nominee_set(trajectory=row.trajectory, nominated=True, actor=staff)
    if rows and rows[0].trajectory is not None:
        award.winner_publish(trajectory=rows[0].trajectory, actor=staff)


def _running(rng, staff, schools) -> list[Trajectory]:
    cohort = _cohort(staff, "2025-2026 (demo)")
    _statements(cohort, staff)
    regenboog = Organisation.objects.filter(
        name="Demo-basisschool De Regenboog", is_demo=True
    ).first()
    selected = _select(rng, cohort, staff, ([regenboog] if regenboog else []) + schools)
    baseline = services.measurement_open(
        cohort=cohort,
        kind=Measurement.Kind.BASELINE,
        closes_at=timezone.now() + dt.timedelta(days=60),
        actor=staff,
    )
    for t in selected[1:]:
        _answer(rng, baseline, t, staff, {a: rng.randint(1, 4) for a in Aspect.values}, 0, 2)
    return selected
