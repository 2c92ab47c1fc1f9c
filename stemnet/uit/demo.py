"""Demo: a few UiTdatabank events imported offline, so the agenda shows "bron: UiT" items.

Built from publiq's example documents (``tests/contracts/events/search``, invented content),
each given its own id and moved to the coming weeks (the originals are from 2017 and share
one ``@id``). STEM titles and the ``stemindevrijetijd`` label are added so they read like
what the real import brings in. Idempotent: the same ids are upserted on every run.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import uuid
from pathlib import Path

from django.utils import timezone

CONTRACTS = Path(__file__).resolve().parent / "tests" / "contracts" / "events" / "search"
DEMO_NAMESPACE = uuid.UUID("6f1c1c1e-5a3b-4e59-9d7e-3c1b0a7d2e10")
TITLES = [
    ("Sterrenkijken voor jonge onderzoekers", "1.25.0.0.0", "Wetenschap", "9-14"),
    ("Bouw je eigen drone", "1.21.0.0.0", "Computer en techniek", "10-14"),
    ("Proefjes in de natuur", "1.25.0.0.0", "Wetenschap", "6-10"),
]
SOURCES = [
    "original-with-typical-age-range.json",
    "original-with-overnight.json",
    "original-with-birthdate-range.json",
]


def _shift(value: str, days: int) -> str:
    moment = dt.datetime.fromisoformat(value)
    return (moment + dt.timedelta(days=days)).isoformat()


def documents(rng: random.Random, today: dt.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    docs = []
    for i, (name, (title, theme_id, theme, ages)) in enumerate(zip(SOURCES, TITLES, strict=True)):
        doc = copy.deepcopy(json.loads((CONTRACTS / name).read_text(encoding="utf-8")))
        ident = uuid.uuid5(DEMO_NAMESPACE, name)
        doc["@id"] = f"https://io-test.uitdatabank.be/events/{ident}"
        start = dt.datetime.fromisoformat(doc["startDate"]).date()
        days = (today - start).days + 7 + rng.randint(0, 21) + 7 * i
        for key in ("startDate", "endDate", "availableTo"):
            if key in doc:
                doc[key] = _shift(doc[key], days)
        for sub in doc.get("subEvent", []):
            sub["startDate"] = _shift(sub["startDate"], days)
            sub["endDate"] = _shift(sub["endDate"], days)
        if doc.get("calendarType") == "single":
            doc["subEvent"] = [
                {
                    "startDate": _shift(doc["startDate"], 0)[:11] + "14:00:00+01:00",
                    "endDate": _shift(doc["startDate"], 0)[:11] + "16:30:00+01:00",
                }
            ]
        doc.pop("birthdateRange", None)
        doc["typicalAgeRange"] = ages
        doc["name"] = {"nl": title}
        doc["description"] = {
            "nl": "Demo-activiteit afgeleid van een voorbeelddocument van publiq: "
            "zo ziet een activiteit uit de UiT-agenda eruit in STEMnet."
        }
        doc["labels"] = ["stemindevrijetijd"]
        doc["workflowStatus"] = "APPROVED"
        doc["terms"] = [
            {"id": "0.3.1.0.1", "label": "Cursus met open sessies", "domain": "eventtype"},
            {"id": theme_id, "label": theme, "domain": "theme"},
        ]
        doc["priceInfo"] = [
            {
                "category": "base",
                "name": {"nl": "Basistarief"},
                "price": 5 + 5 * i,
                "priceCurrency": "EUR",
            },
            {
                "category": "tariff",
                "name": {"nl": "Kansentarief met UiTPAS"},
                "price": 1,
                "priceCurrency": "EUR",
            },
        ]
        doc["organizer"] = {"@id": ORGANIZER_ID, "name": {"nl": "Jeugddienst Leuven (demo)"}}
        docs.append(doc)
    return docs


ORGANIZER_ID = "https://io-test.uitdatabank.be/organizers/" + str(
    uuid.uuid5(DEMO_NAMESPACE, "organizer")
)


def _demo_organiser():
    """A demo youth organisation or local government to stand for the UiT organizer (one
    with an invented name: invented activities never appear under a real organisation's)."""
    from stemnet.organisations.demo import invented
    from stemnet.organisations.models import Organisation

    return (
        invented(
            Organisation.objects.filter(
                is_demo=True,
                type__in=[
                    Organisation.Type.YOUTH_ORGANISATION,
                    Organisation.Type.LOCAL_GOVERNMENT,
                ],
            )
        )
        .order_by("type", "slug")
        .first()
    )


def seed(rng: random.Random) -> int:
    """Import the demo UiT events; return how many activities came in."""
    from stemnet.uit.models import UitOrganizerMapping
    from stemnet.uit.services import uit_import_documents

    organiser = _demo_organiser()
    if (
        organiser is not None
        and not UitOrganizerMapping.objects.filter(uit_id=ORGANIZER_ID).exists()
    ):
        UitOrganizerMapping.objects.filter(organisation=organiser).delete()
        UitOrganizerMapping.objects.create(organisation=organiser, uit_id=ORGANIZER_ID)
    run = uit_import_documents(data=documents(rng), source="demo", demo=True)
    return run.created + run.updated
