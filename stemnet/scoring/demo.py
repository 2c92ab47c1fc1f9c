"""Demo data for the scoring component (DEMO DATA ONLY): a STEMpact award jury panel.

Four demo academies are nominated. Two demo logins (the STEM gangmaker and the company
contact) sit on the jury and have submitted their scores; the demo reviewer
(``beoordelaar@demo.stemnet.invalid``) is assigned to three nominations and can declare, score
and submit, then see the other scores. The demo programme officer sees the consensus at
/beoordeling/. Running it twice gives the same panel (it is rebuilt).
"""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.db import transaction

from stemnet.organisations.demo import invented
from stemnet.organisations.models import Organisation
from stemnet.scoring import services
from stemnet.scoring.models import Panel

PANEL_TITLE = "STEMpact-award 2026: jury (demo)"
DEMO_DOMAIN = "demo.stemnet.invalid"
REVIEWER_EMAIL = f"beoordelaar@{DEMO_DOMAIN}"
OFFICER_EMAIL = f"vlaio@{DEMO_DOMAIN}"
# Demo logins of stemnet.accounts.demo who sit on the jury (the accounts demo deletes any
# other demo user, so the jury reuses these).
JURY = [f"gangmaker@{DEMO_DOMAIN}", f"bedrijf@{DEMO_DOMAIN}"]
CRITERIA = [
    {
        "title_nl": "Bereik bij kinderen en jongeren",
        "title_en": "Reach among children and young people",
        "description": "Hoeveel kinderen en jongeren, en ook wie anders niet bereikt wordt?",
        "weight": 2,
    },
    {
        "title_nl": "Samenwerking met bedrijven, scholen en lokale besturen",
        "title_en": "Collaboration with companies, schools and local governments",
        "weight": 1,
    },
    {
        "title_nl": "Vernieuwing en overdraagbaarheid",
        "title_en": "Innovation and transferability",
        "weight": 1,
    },
]


@transaction.atomic
def seed(rng: random.Random) -> int:
    """Rebuild the demo jury panel; return the number of scores written."""
    User = get_user_model()
    Panel.objects.filter(title=PANEL_TITLE).delete()
    academies = list(
        invented(
            Organisation.objects.filter(is_demo=True, type=Organisation.Type.ACADEMY)
        ).order_by("pk")
    )
    reviewer = User.objects.filter(email=REVIEWER_EMAIL).first()
    officer = User.objects.filter(email=OFFICER_EMAIL).first()
    if len(academies) < 4:
        return 0
    nominated = rng.sample(academies, 4)
    panel = services.panel_create(
        title=PANEL_TITLE, scale_min=0, scale_max=10, criteria=CRITERIA, actor=officer
    )
    jury = list(User.objects.filter(email__in=JURY).order_by("email"))
    criteria = list(panel.criteria.all())
    written = 0
    for number, academy in enumerate(nominated, start=1):
        entry = services.entry_create(
            panel=panel,
            title=f"Nominatie: {academy.name}",
            reference=f"STEMPACT-2026-{number:02d}",
            owner_organisation=academy,
            related_organisations=[],
            actor=officer,
            detail_url=academy.get_absolute_url(),
        )
        for member in jury:
            if services.reviewer_conflicts(entry=entry, reviewer=member):
                continue
            assignment = services.assignment_create(entry=entry, reviewer=member, actor=officer)
            services.assignment_declare(
                assignment=assignment, has_conflict=False, statement="", actor=member
            )
            base = rng.randint(4, 8)
            for criterion in criteria:
                value = max(0, min(10, base + rng.randint(-2, 2)))
                services.score_save(
                    assignment=assignment,
                    criterion=criterion,
                    value=value,
                    comment=rng.choice(
                        [
                            "",
                            "Sterk aanbod, vooral in de vakanties.",
                            "Goede samenwerking met de gemeente.",
                            "Bereik bij meisjes kan beter.",
                        ]
                    ),
                    actor=member,
                )
                written += 1
            services.assignment_submit(assignment=assignment, actor=member)
        if (
            reviewer is not None
            and number <= 3
            and not services.reviewer_conflicts(entry=entry, reviewer=reviewer)
        ):
            services.assignment_create(entry=entry, reviewer=reviewer, actor=officer)
    return written
