"""Demo reach figures (DEMO DATA ONLY): counts for past demo activities and invented history.

Everything written here has ``source="demo"`` and belongs to demo organisations
(``is_demo=True``), so it is easy to tell apart and to remove (``clear``). The history years
from 2019 up to last year are invented for the dashboard: they are NOT VLAIO's real figures
(every page says so while ``core.DemoData`` exists). Last year gets history too, so the
figures never seem to collapse in the year before the demo activities begin.
"""

from __future__ import annotations

import random

from django.db import transaction
from django.utils import timezone

from stemnet.agenda.models import Activity
from stemnet.organisations.demo import invented
from stemnet.organisations.models import Organisation
from stemnet.places.models import Municipality
from stemnet.reach import selectors
from stemnet.reach.models import (
    AGE_BANDS,
    Kind,
    Participation,
    ParticipationBreakdown,
    SchoolReach,
    Source,
)
from stemnet.reach.services import CleanRows, _write, target_group_get

FIRST_HISTORY_YEAR = 2019
CHUNK = 1000


def clear() -> int:
    """Remove all demo reach data (before the demo activities or organisations are removed)."""
    demo = Participation.objects.filter(source=Source.DEMO) | Participation.objects.filter(
        activity__is_demo=True
    )
    ids = list(demo.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        Participation.objects.filter(pk__in=ids[start : start + CHUNK]).delete()
    SchoolReach.objects.filter(organisation__is_demo=True).delete()
    return len(ids)


def _activity_participation(rng: random.Random, activity: Activity, year: int, uitpas) -> CleanRows:
    clean = CleanRows()
    capacity = activity.capacity or 24
    total = rng.randint(max(3, capacity // 3), max(4, capacity))
    if activity.kind == Kind.OPEN_STUDIO:
        total = rng.randint(10, 60)
    clean.participants = total
    clean.girls = int(total * rng.uniform(0.3, 0.55))
    clean.boys = int((total - clean.girls) * rng.uniform(0.8, 1.0))
    clean.gender_x = 1 if total - clean.girls - clean.boys > 0 and rng.random() < 0.2 else 0
    known = int(total * rng.uniform(0.6, 1.0))
    for _i in range(known):
        clean.ages[rng.randint(activity.age_min, activity.age_max)] += 1
    where = selectors.municipality_for_year(activity, year)
    clean.residences[where.pk] += int(total * rng.uniform(0.4, 0.8))
    clean.groups[uitpas.pk] += int(total * rng.uniform(0.0, 0.15))
    sessions = activity.sessions.count() or 1
    clean.attendances = int(total * sessions * rng.uniform(0.8, 1.0))
    return clean


def _history(rng: random.Random, academies: list[Organisation], uitpas) -> int:
    """Invented history rows, 2019 to last year, on the municipalities of each year."""
    by_vintage = {
        vintage: list(Municipality.objects.of_vintage(vintage).order_by("nis_code"))
        for vintage in Municipality.Vintage.values
    }
    rows = []
    for year in range(FIRST_HISTORY_YEAR, timezone.localdate().year):
        municipalities = by_vintage[selectors.vintage_for_year(year)]
        reached = rng.sample(municipalities, k=min(len(municipalities), 170 + 10 * (year - 2019)))
        for i, municipality in enumerate(sorted(reached, key=lambda m: m.nis_code)):
            academy = academies[i % len(academies)]
            kind = rng.choice(Kind.values)
            band = rng.choice(AGE_BANDS)
            participants = rng.randint(12, 90)
            rows.append(
                Participation(
                    history_activity_name=f"Demo {kind} {municipality.name_nl} {year}",
                    year=year,
                    municipality=municipality,
                    organisation=academy,
                    kind=kind,
                    age_min=band[0],
                    age_max=band[1],
                    participants=participants,
                    girls=int(participants * rng.uniform(0.3, 0.55)),
                    source=Source.DEMO,
                )
            )
    created = Participation.objects.bulk_create(rows, batch_size=CHUNK)
    ParticipationBreakdown.objects.bulk_create(
        [
            ParticipationBreakdown(
                participation=p,
                dimension=ParticipationBreakdown.Dimension.TARGET_GROUP,
                target_group=uitpas,
                count=int(p.participants * rng.uniform(0.02, 0.15)),
                year=p.year,
                municipality_id=p.municipality_id,
                organisation_id=p.organisation_id,
                kind=p.kind,
            )
            for p in created
        ],
        batch_size=CHUNK,
    )
    return len(created)


@transaction.atomic
def seed(rng: random.Random) -> int:
    """Replace the demo reach data; return the number of participation rows made."""
    clear()
    uitpas = target_group_get("uitpas")
    # Invented figures go to invented academies only, never under a real name (e.g. Ekoli).
    academies = list(
        invented(
            Organisation.objects.filter(is_demo=True, type=Organisation.Type.ACADEMY)
        ).order_by("slug")
    )
    if not academies:
        return 0
    count = _history(rng, academies, uitpas)
    now = timezone.now()
    this_year = timezone.localdate().year
    past = (
        Activity.objects.filter(
            is_demo=True,
            status__in=selectors.HELD_STATUSES,
            first_start__lt=now,
        )
        .select_related("municipality")
        .order_by("pk")
    )
    for activity in past:
        years = [y for y in selectors.activity_years(activity) if y <= this_year]
        if not years or rng.random() < 0.15:  # some academies have not entered numbers yet
            continue
        year = years[0]
        _write(
            activity=activity,
            year=year,
            clean=_activity_participation(rng, activity, year, uitpas),
            actor=None,
            source=Source.DEMO,
        )
        count += 1
    schools = Organisation.objects.filter(is_demo=True, type=Organisation.Type.SCHOOL)
    for school in schools.order_by("slug"):
        total = rng.randint(150, 900)
        SchoolReach.objects.create(
            organisation=school,
            year=this_year - 1,
            pupils_total=total,
            pupils_reached=int(total * rng.uniform(0.4, 0.9)),
        )
    return count
