"""Demo rounds (DEMO DATA ONLY): a 2020-like academy round (78 recognised, 39 funded,
€308,500 in total), a 2020-like partnership call (the 7 partnerships, €2,005,000 over three
years, with tranches and reports) and an open round that the demo academy coordinator can
apply to and the demo reviewer can score.

The 2020 figures are VLAIO's (DOMAIN.md §1-2); the amounts per academy and per partnership
are invented so that they add up to those totals. Idempotent: demo rounds are removed and
written again.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from stemnet.funding import services
from stemnet.funding.models import Application, Decision, Recognition, Report, Round, Tranche
from stemnet.organisations.demo import invented
from stemnet.organisations.models import Organisation

ACADEMY_TOTAL = Decimal("308500")
ACADEMY_RECOGNISED = 78
ACADEMY_FUNDED = 39
PARTNERSHIP_AMOUNTS = {
    "Buurtmakers": 300000,
    "Digimobile": 295000,
    "Groeituin 5.0": 280000,
    "Neteland STEM-land": 300000,
    "Repair teens": 265000,
    "SPARK": 290000,
    "STEM&VORK": 275000,
}  # €2,005,000
PRIORITIES = ["digitalisering", "circulaire economie", "energie & klimaat"]
CRITERIA = [
    {
        "title_nl": "Aansluiting bij de doelen van de oproep",
        "title_en": "Fit with the call's aims",
        "weight": 3,
    },
    {
        "title_nl": "Bereik van kansengroepen en meisjes",
        "title_en": "Reach of girls and disadvantaged groups",
        "weight": 2,
    },
    {
        "title_nl": "Samenwerking met bedrijven en partners",
        "title_en": "Cooperation with companies and partners",
        "weight": 2,
    },
    {"title_nl": "Haalbaarheid en begroting", "title_en": "Feasibility and budget", "weight": 1},
]
OPEN_COORDINATOR_ORG = "STEM-academie De Vonk Mechelen"
DEMO_DOMAIN = "demo.stemnet.invalid"

# A placeholder, not a legal text: the real appeal route (body, address, deadline) is for
# VLAIO to fill in per round.
DEMO_APPEAL_NL = (
    "DEMO: hier vermeldt VLAIO per ronde bij wie, hoe en binnen welke termijn je tegen deze "
    "beslissing in beroep kunt gaan. Deze demotekst is geen rechtsmiddel."
)
DEMO_APPEAL_EN = (
    "DEMO: here VLAIO states per round with whom, how and within which period you can appeal "
    "this decision. This demo text is not a legal remedy."
)


def _brussels(year, month, day, hour=0):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def clear() -> None:
    rounds = Round.objects.filter(is_demo=True)
    panels = [r.panel for r in rounds if r.panel_id]
    Recognition.objects.filter(application__round__in=rounds).delete()
    Application.objects.filter(round__in=rounds).delete()
    rounds.delete()
    for panel in panels:
        panel.delete()


def _split(rng: random.Random, total: Decimal, parts: int, unit: int, low: int, high: int):
    """``parts`` multiples of ``unit`` between ``low`` and ``high`` units that sum to total."""
    units = int(total) // unit
    amounts = [low] * parts
    left = units - low * parts
    while left > 0:
        i = rng.randrange(parts)
        if amounts[i] < high:
            amounts[i] += 1
            left -= 1
    return [Decimal(a * unit) for a in amounts]


def _decided(round, organisation, *, recognised, amount, requested, title, rng, decided_at):
    application = Application.objects.create(
        round=round,
        organisation=organisation,
        status=Application.Status.DECIDED,
        title=title,
        plan="Demo: een jaarplan met STEM-reeksen en kampen in de gemeenten rond de academie.",
        motivation="Demo: meer kinderen, en vooral meer meisjes, laten proeven van STEM.",
        planned_activities_text="Demo: wekelijkse reeksen, een zomerkamp en een opendeurdag.",
        requested_amount=requested,
        participants_forecast=rng.randint(40, 400),
        submitted_at=round.closes_at - dt.timedelta(days=rng.randint(1, 40)),
        is_demo=True,
    )
    Decision.objects.create(
        application=application,
        recognised=recognised,
        amount_granted=amount,
        reason="Demo-beslissing.",
        decided_at=decided_at,
    )
    return application


def _academy_round(rng: random.Random, academies: list[Organisation]) -> Round:
    round = Round.objects.create(
        type=Round.Type.ACADEMY,
        year=2020,
        title_nl="Erkenning en ondersteuning STEM-academies 2020 (demo)",
        title_en="Recognition and support of STEM academies 2020 (demo)",
        intro_nl="Demo naar het voorbeeld van de oproep van 2020: een STEM-academie in elke "
        "gemeente. Ondersteuning per bereikte gemeente met een STEM-traject.",
        intro_en="Demo after the 2020 call: a STEM academy in every municipality. Support per "
        "municipality reached with a STEM trajectory.",
        opens_at=_brussels(2020, 5, 15),
        closes_at=_brussels(2020, 9, 1),
        eligibility_rules=[{"code": "min_municipalities", "count": 1}],
        budget=Decimal("500000"),
        max_per_application=Decimal("30000"),
        duration_years=1,
        subsidy_formula={"type": "per_municipality", "amount": "2500", "cap": "30000"},
        grants_recognition=True,
        grant_start=dt.date(2021, 1, 1),
        appeal_nl=DEMO_APPEAL_NL,
        appeal_en=DEMO_APPEAL_EN,
        is_demo=True,
    )
    chosen = sorted(
        rng.sample(academies, k=min(len(academies), ACADEMY_RECOGNISED)), key=lambda o: o.slug
    )
    funded = {o.pk for o in rng.sample(chosen, k=min(len(chosen), ACADEMY_FUNDED))}
    amounts = iter(_split(rng, ACADEMY_TOTAL, len(funded), 500, 6, 60))
    decided_at = _brussels(2020, 11, 16, 10)
    for organisation in chosen:
        amount = next(amounts) if organisation.pk in funded else Decimal("0")
        application = _decided(
            round,
            organisation,
            recognised=True,
            amount=amount,
            requested=amount,
            title=f"STEM in de regio van {organisation.name}",
            rng=rng,
            decided_at=decided_at,
        )
        Recognition.objects.create(
            organisation=organisation,
            application=application,
            valid_from=dt.date(2020, 11, 16),
            valid_to=dt.date(2021, 11, 16),
            provisional=True,
        )
        if amount:
            grant = services.grant_create(
                application=application, actor=None, start_date=round.grant_start
            )
            grant.tranches.update(status=Tranche.Status.PAID)
            grant.reports.update(
                status=Report.Status.APPROVED, achievements="Demo: het jaarplan is uitgevoerd."
            )
    return round


def _partnership_round(rng: random.Random) -> Round:
    round = Round.objects.create(
        type=Round.Type.PARTNERSHIP,
        year=2020,
        title_nl="Oproep STEM-partnerschappen 2020 (demo)",
        title_en="Call for STEM partnerships 2020 (demo)",
        intro_nl="Demo naar het voorbeeld van de oproep van 2020: missiegedreven STEM-trajecten "
        "rond digitalisering, circulaire economie en energie & klimaat.",
        intro_en="Demo after the 2020 call: mission-driven STEM trajectories on digitalisation, "
        "circular economy and energy & climate.",
        opens_at=_brussels(2020, 2, 1),
        closes_at=_brussels(2020, 5, 7),
        eligibility_rules=[
            {"code": "min_partner_roles", "roles": ["company", "youth_organisation"]},
            {"code": "min_cofinancing_share", "share": "0.30"},
            {"code": "max_duration_years", "years": 3},
            {"code": "priority_required"},
        ],
        priorities=PRIORITIES,
        budget=Decimal("2100000"),
        max_per_application=Decimal("300000"),
        duration_years=3,
        cofinancing_share=Decimal("0.30"),
        required_attachments=["Samenwerkingsovereenkomst", "Begrotingssjabloon"],
        grant_start=dt.date(2020, 9, 1),
        appeal_nl=DEMO_APPEAL_NL,
        appeal_en=DEMO_APPEAL_EN,
        is_demo=True,
    )
    decided_at = _brussels(2020, 7, 10, 10)
    for name, amount in PARTNERSHIP_AMOUNTS.items():
        organisation = Organisation.objects.get(is_demo=True, name=name)
        application = _decided(
            round,
            organisation,
            recognised=True,
            amount=Decimal(amount),
            requested=Decimal(amount),
            title=name,
            rng=rng,
            decided_at=decided_at,
        )
        application.priorities = [rng.choice(PRIORITIES)]
        application.save(update_fields=["priorities"])
        grant = services.grant_create(
            application=application, actor=None, start_date=round.grant_start
        )
        # Three years on: everything paid and every report approved, except one partnership
        # whose final report is still with the programme office.
        grant.tranches.update(status=Tranche.Status.PAID)
        grant.reports.update(
            status=Report.Status.APPROVED, achievements="Demo: de doelen van dit jaar zijn gehaald."
        )
        if name == "Repair teens":
            grant.reports.filter(year_index=3).update(status=Report.Status.SUBMITTED)
    return round


def _open_round(rng: random.Random) -> Round:
    now = timezone.now()
    today = timezone.localdate()
    round = services.round_create(
        actor=None,
        criteria=CRITERIA,
        scale_min=0,
        scale_max=10,
        type=Round.Type.ACADEMY,
        year=today.year,
        title_nl=f"Oproep STEM-academies {today.year} (demo)",
        title_en=f"Call for STEM academies {today.year} (demo)",
        intro_nl="Demo: vraag ondersteuning aan voor STEM-trajecten in nieuwe gemeenten. "
        "€ 1.500 per bereikte gemeente, hoogstens € 30.000 per academie; demobudget € 40.000.",
        intro_en="Demo: apply for support for STEM trajectories in new municipalities. "
        "€1,500 per municipality reached, at most €30,000 per academy; demo budget €40,000.",
        opens_at=now - dt.timedelta(days=14),
        closes_at=_brussels(*(today + dt.timedelta(days=45)).timetuple()[:3], 17),
        eligibility_rules=[{"code": "min_municipalities", "count": 1}],
        budget=OPEN_BUDGET,
        max_per_application=Decimal("30000"),
        duration_years=1,
        subsidy_formula={"type": "per_municipality", "amount": "1500", "cap": "30000"},
        required_attachments=["Activiteitenplan"],
        grants_recognition=True,
        grant_start=dt.date(today.year, 1, 1),
        appeal_nl=DEMO_APPEAL_NL,
        appeal_en=DEMO_APPEAL_EN,
        is_demo=True,
    )
    _open_round_applications(rng, round)
    return round


# The open round's applications (DEMO): (title, municipalities, status, demo reviewer's base
# score or None). The five in review ask € 51,000 of a € 40,000 budget, so the funding line
# falls inside the list; the demo reviewer has scored four and can score the first.
OPEN_BUDGET = Decimal("40000")
OPEN_APPLICATIONS = [
    ("Techniek op wielen (demo)", 4, Application.Status.IN_REVIEW, None),
    ("Robotica in elke deelgemeente (demo)", 9, Application.Status.IN_REVIEW, 8),
    ("Meisjes maken muziek met micro:bits (demo)", 8, Application.Status.IN_REVIEW, 7),
    ("Zomerkamp De Slimme Stad (demo)", 7, Application.Status.IN_REVIEW, 6),
    ("Proefjes in de bib (demo)", 6, Application.Status.IN_REVIEW, 4),
    ("Bouwen met hout en code (demo)", 5, Application.Status.SUBMITTED, None),
    ("STEM-bus langs de scholen (demo)", 3, Application.Status.INELIGIBLE, None),
]
DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _nearest_municipalities(organisation: Organisation, count: int) -> list:
    """The ``count`` current municipalities nearest to the organisation (its own first)."""
    from stemnet.places.models import Municipality

    home = organisation.municipality
    municipalities = list(Municipality.objects.current().exclude(lat=None))
    if home is not None and home.lat is not None:
        municipalities.sort(key=lambda m: (m.lat - home.lat) ** 2 + (m.lon - home.lon) ** 2)
    return municipalities[:count]


def _open_round_applications(rng: random.Random, round: Round) -> None:
    """Seven applications of the open round in different states, complete (with the
    required "Activiteitenplan"), asking € 1,500 per municipality as the formula allows."""
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from stemnet.funding.models import Attachment, EligibilityCheck
    from stemnet.scoring import services as scoring

    User = get_user_model()
    reviewer = User.objects.filter(email=f"beoordelaar@{DEMO_DOMAIN}").first()
    officer = User.objects.filter(email=f"vlaio@{DEMO_DOMAIN}").first()
    organisations = list(
        invented(Organisation.objects.filter(is_demo=True, type=Organisation.Type.ACADEMY))
        .exclude(name=OPEN_COORDINATOR_ORG)
        .order_by("slug")[: len(OPEN_APPLICATIONS)]
    )
    criteria = list(round.panel.criteria.all())
    for organisation, (title, count, status, score) in zip(
        organisations, OPEN_APPLICATIONS, strict=False
    ):
        municipalities = _nearest_municipalities(organisation, count)
        application = Application.objects.create(
            round=round,
            organisation=organisation,
            status=status,
            title=title,
            plan=f"Demo: STEM-reeksen en kampen in {len(municipalities)} gemeenten.",
            motivation="Demo: in deze gemeenten is er nog weinig STEM-aanbod in de vrije tijd.",
            planned_activities_text="Demo: reeksen van zes woensdagnamiddagen en een kamp.",
            requested_amount=Decimal(1500 * len(municipalities)),
            participants_forecast=24 * len(municipalities),
            submitted_at=timezone.now() - dt.timedelta(days=rng.randint(2, 12)),
            is_demo=True,
        )
        application.municipalities.set(municipalities)
        Attachment.objects.create(
            application=application,
            label="Activiteitenplan",
            file=ContentFile(DEMO_PDF, name="activiteitenplan-demo.pdf"),
        )
        if status == Application.Status.INELIGIBLE:
            EligibilityCheck.objects.create(
                application=application,
                eligible=False,
                reason="Demo: de academie is nog niet erkend in deze ronde.",
                checked_by=officer,
            )
        if status != Application.Status.IN_REVIEW:
            continue
        EligibilityCheck.objects.create(application=application, eligible=True, checked_by=officer)
        entry = scoring.entry_create(
            panel=round.panel,
            title=application.title,
            reference=f"F-{application.pk}",
            owner_organisation=organisation,
            actor=None,
            detail_url=reverse("funding:application_review", kwargs={"pk": application.pk}),
        )
        application.entry = entry
        application.save(update_fields=["entry"])
        if reviewer is None:
            continue
        assignment = scoring.assignment_create(entry=entry, reviewer=reviewer, actor=None)
        if score is None:
            continue  # left for the demo reviewer to try
        scoring.assignment_declare(
            assignment=assignment, has_conflict=False, statement="", actor=reviewer
        )
        for criterion in criteria:
            scoring.score_save(
                assignment=assignment,
                criterion=criterion,
                value=max(0, min(10, score + rng.randint(-1, 1))),
                comment="Demo-score.",
                actor=reviewer,
            )
        scoring.assignment_submit(assignment=assignment, actor=reviewer)


def seed(rng: random.Random) -> dict:
    """Write the three demo rounds; returns counts for the seed_demo output."""
    with transaction.atomic():
        clear()
        academies = list(
            invented(Organisation.objects.filter(is_demo=True, type=Organisation.Type.ACADEMY))
            .exclude(name=OPEN_COORDINATOR_ORG)
            .order_by("slug")
        )
        academy = _academy_round(rng, academies)
        partnership = _partnership_round(rng)
        open_round = _open_round(rng)
    return {
        "rounds": 3,
        "academy_round": academy.pk,
        "partnership_round": partnership.pk,
        "open_round": open_round.pk,
    }
