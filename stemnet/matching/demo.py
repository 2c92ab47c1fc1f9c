"""Demo company requests for the contact point (DEMO DATA ONLY: invented companies).

25 requests, five in every status, from invented companies ("(demo)" in the name, e-mail
addresses on example.org). Introductions go to invented demo academies only.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from stemnet.agenda.models import Theme
from stemnet.matching.models import CompanyRequest, Introduction
from stemnet.organisations.demo import invented
from stemnet.organisations.models import Organisation
from stemnet.places import selectors as places

POSTCODES = ["9000", "2000", "3000", "3500", "8000", "8500", "2800", "9300", "2200", "3290"]
COMPANIES = ["Bouwbedrijf", "Ingenieursbureau", "Softwarehuis", "Chemiebedrijf", "Drukkerij"]
TEXTS = {
    CompanyRequest.Kind.QUESTION: "Hoe laten we jongeren kennismaken met ons vak?",
    CompanyRequest.Kind.VISIT: "We ontvangen graag een groep jongeren in ons atelier.",
    CompanyRequest.Kind.VOLUNTEERS: "Twee ingenieurs willen een workshop geven.",
    CompanyRequest.Kind.MATERIALS: "We schenken afgeschreven laptops en sensoren.",
    CompanyRequest.Kind.SPONSORING: "We sponsoren een zomerkamp rond techniek.",
    CompanyRequest.Kind.INTERNSHIPS: "We bieden snuffelstages voor 16- tot 18-jarigen.",
}


def clear() -> None:
    CompanyRequest.objects.filter(is_demo=True).delete()


def _request(rng: random.Random, i: int, status: str, themes, now) -> CompanyRequest:
    postcode = POSTCODES[i % len(POSTCODES)]
    point = places.point_for_postcode(postcode)
    kind = list(TEXTS)[i % len(TEXTS)]
    low = rng.choice([6, 8, 10, 12])
    request = CompanyRequest.objects.create(
        company_name=f"{COMPANIES[i % len(COMPANIES)]} {i + 1} (demo)",
        contact_name=f"Contactpersoon {i + 1} (demo)",
        email=f"bedrijf{i + 1}@example.org",
        kind=kind,
        description=TEXTS[kind] + " (demo)",
        postcode=postcode,
        municipality=places.municipality_for_postcode(postcode),
        lat=point.lat,
        lon=point.lon,
        radius_km=rng.choice([15, 25, 40]),
        academies_wanted=rng.choice([1, 2, 3]),
        min_age=low,
        max_age=low + rng.choice([2, 4, 6]),
        availability="woensdagnamiddag (demo)",
        status=status,
        submission_key=f"demo-{i}",
        is_demo=True,
    )
    request.themes.set(rng.sample(themes, k=min(2, len(themes))))
    received = now - dt.timedelta(days=rng.randint(3, 150), hours=rng.randint(0, 8))
    CompanyRequest.objects.filter(pk=request.pk).update(created_at=received)
    request.created_at = received
    return request


def _progress(request, status, academies, rng, now) -> None:
    S = CompanyRequest.Status
    if status == S.NEW:
        return
    request.first_answer_at = request.created_at + dt.timedelta(hours=rng.randint(4, 90))
    if status == S.DECLINED:
        request.decline_reason = "Buiten het bereik van het contactpunt (demo)."
        request.closed_at = request.first_answer_at
    if status in (S.MATCHED, S.DONE) and academies:
        request.matched_at = request.first_answer_at + dt.timedelta(days=rng.randint(1, 10))
        for academy in rng.sample(academies, k=min(request.academies_wanted, len(academies))):
            Introduction.objects.create(
                request=request,
                academy=academy,
                answer=rng.choice(list(Introduction.Answer.values)),
            )
    if status == S.DONE:
        request.follow_up_sent_at = request.matched_at + dt.timedelta(days=21)
        request.contact_happened = rng.random() < 0.8
        request.closed_at = min(now, request.follow_up_sent_at + dt.timedelta(days=3))
    request.save()


def seed(rng: random.Random) -> int:
    """Replace the demo company requests; return how many were made."""
    clear()
    if places.point_for_postcode(POSTCODES[0]) is None:
        return 0  # places not loaded
    themes = list(Theme.objects.all())
    academies = list(
        invented(Organisation.objects.filter(is_demo=True, type=Organisation.Type.ACADEMY))
    )
    now = timezone.now()
    statuses = list(CompanyRequest.Status.values)
    for i in range(25):
        status = statuses[i % len(statuses)]
        request = _request(rng, i, status, themes, now)
        _progress(request, status, academies, rng, now)
    return 25
