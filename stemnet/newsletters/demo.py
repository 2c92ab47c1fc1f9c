"""Demo newsletters (DEMO DATA ONLY): the academies' list synced from the demo directory,
invented parent subscribers at example.org, one sent issue and one draft per newsletter.

The academies' sent issue retells the network moment of 24 September 2024 (seed 000 in the
shared seeds: WiWeTeR Thomas More, campus Kruidtuin, Mechelen); everything else is invented.
Nothing is mailed: the sent issues are marked sent, without deliveries.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from stemnet.newsletters.models import Audience, Block, Consent, Issue, Subscriber
from stemnet.newsletters.services.subscribers import subscribers_sync_directory

# (postcode, distance, ages, themes, frequency) of the invented parents.
PARENTS = [
    ("2800", 10, [8, 10], [], "every"),
    ("2800", 25, [12], ["robotica"], "every"),
    ("9000", 10, [6, 9], [], "monthly"),
    ("3000", 25, [14, 16], ["programmeren"], "every"),
    ("8000", 50, [10], [], "every"),
    ("3500", 10, [7], ["natuur-milieu"], "monthly"),
    ("", None, [11, 13], [], "every"),
    ("2000", 5, [9], [], "every"),
]

NETWORK_MOMENT = (
    "Op dinsdag 24 september 2024 ontving WiWeTeR Thomas More de STEM-academies op campus "
    "Kruidtuin in Mechelen, rond het thema 'Leren, inspireren, groeien'. De STEM-gangmakers "
    "vertelden wat er met de oogst van de vorige netwerkdag gebeurde: de website "
    "www.stemindevrijetijd.be, de hashtag #stemindevrijetijd, twee nieuwsbrieven (voor "
    "STEM-academies en voor ouders) en een aanbod Train-the-trainer. Ekoli vertelde over "
    "inclusie en het bereiken van doelgroepen, Skillz vzw over medewerkers, vrijwilligers en "
    "animatoren aan boord houden."
)


def clear() -> None:
    Issue.objects.filter(is_demo=True).delete()
    Subscriber.objects.filter(is_demo=True).delete()


def _parents(rng: random.Random) -> int:
    now = timezone.now()
    for i, (postcode, radius, ages, themes, frequency) in enumerate(PARENTS, start=1):
        subscriber = Subscriber.objects.create(
            audience=Audience.PARENTS,
            email=f"ouder{i}.demo@example.org",
            status=Subscriber.Status.ACTIVE,
            source=Subscriber.Source.SIGNUP,
            postcode=postcode,
            radius_km=radius,
            ages=ages,
            themes=themes,
            frequency=frequency,
            language="en" if i == 5 else "nl",
            confirmed_at=now - dt.timedelta(days=rng.randint(1, 200)),
            is_demo=True,
        )
        for action in (Consent.Action.REQUESTED, Consent.Action.CONFIRMED):
            Consent.objects.create(subscriber=subscriber, action=action, form_version="demo")
    return len(PARENTS)


def _issue(audience: str, subject: str, blocks: list[dict], *, sent_days_ago: int | None):
    issue = Issue.objects.create(
        audience=audience,
        subject=subject,
        intro="Demo: deze editie is verzonnen voor de demo en werd naar niemand gemaild.",
        is_demo=True,
        include_digest=audience == Audience.PARENTS,
    )
    for position, block in enumerate(blocks, start=1):
        Block.objects.create(issue=issue, position=position, **block)
    if sent_days_ago is not None:
        issue.status = Issue.Status.SENT
        issue.sent_at = timezone.now() - dt.timedelta(days=sent_days_ago)
        issue.save(update_fields=["status", "sent_at"])
    return issue


def _activity_ids(rng: random.Random) -> list[int]:
    from stemnet.agenda import search

    found = search.run(search.ActivityFilters(), page_size=20, facets=False).results
    return sorted(rng.sample([a.pk for a in found], min(3, len(found))))


def seed(rng: random.Random) -> dict:
    with transaction.atomic():
        clear()
        synced = subscribers_sync_directory()
        Subscriber.objects.filter(audience=Audience.ACADEMIES, user__is_demo=True).update(
            is_demo=True
        )
        parents = _parents(rng)
        _issue(
            Audience.ACADEMIES,
            "Demo: terugblik op het netwerkmoment van 24 september 2024",
            [
                {
                    "kind": Block.Kind.NEWS,
                    "title": "Leren, inspireren, groeien",
                    "text": NETWORK_MOMENT,
                },
            ],
            sent_days_ago=40,
        )
        _issue(
            Audience.ACADEMIES,
            "Demo: nieuws voor STEM-academies (ontwerp)",
            [{"kind": Block.Kind.TEXT, "title": "Demo", "text": "Een ontwerp om te proberen."}],
            sent_days_ago=None,
        )
        activities = [
            {
                "kind": Block.Kind.ACTIVITIES,
                "title": "Demo: in de kijker",
                "activity_ids": _activity_ids(rng),
            }
        ]
        _issue(
            Audience.PARENTS,
            "Demo: STEM in de herfstvakantie",
            [
                {
                    "kind": Block.Kind.TEXT,
                    "title": "Dag ouders",
                    "text": "Demo: een greep uit het aanbod van de STEM-academies.",
                },
                *activities,
            ],
            sent_days_ago=20,
        )
        _issue(
            Audience.PARENTS,
            "Demo: nieuwsbrief voor ouders (ontwerp)",
            [{"kind": Block.Kind.TEXT, "title": "Demo", "text": "Een ontwerp om te proberen."}],
            sent_days_ago=None,
        )
    return {"academies": synced["added"], "parents": parents, "issues": 4}
