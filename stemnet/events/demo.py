"""Demo events (DEMO DATA ONLY), from seeds 000 and 001.

Facts taken from the seeds: the network moment for STEM-academies on Tuesday 24 September
2024 at campus Kruidtuin in Mechelen (host WiWeTeR Thomas More; theme 'Leren, inspireren,
groeien....'; its programme parts), the train-the-trainer sessions (basissessie "Wat is
STEM?" and ontwerpsessie "Hoe STEM-activiteiten ontwerpen?", free for STEM-academies, a
begeleidingssessie with intervisie in preparation) and the congress "De nood aan duurzame
netwerken voor onze STEM-ambities" on Thursday 16 May 2024, a study morning with a running
info market. Invented, and said so on every record: the clock times, capacities, the dates
of the train-the-trainer sessions (held by the invented demo STEMhub, never under a real
gangmaker's name), attendees, feedback, needs and stands. The map shows the
municipality's point from the reference data (Statbel/GeoNames), not the building.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from stemnet.events.models import (
    Audience,
    Event,
    Feedback,
    Need,
    Registration,
    Speaker,
    Track,
    TrainingTopic,
)
from stemnet.organisations.demo import invented_hub
from stemnet.organisations.models import Organisation

DEMO_NOTE = "Demo: uren, plaatsen, deelnemers en feedback zijn verzonnen."
K = Event.Kind


def clear() -> int:
    events = Event.objects.filter(is_demo=True)
    Registration.objects.filter(event__in=events).delete()
    TrainingTopic.objects.filter(is_demo=True).delete()
    count, _ = events.delete()
    return count


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _point(name: str) -> tuple[Decimal | None, Decimal | None]:
    from stemnet.places.models import Municipality

    m = Municipality.objects.current().filter(name_nl=name).first()
    if m is None:
        return None, None
    return Decimal(str(round(m.lat, 5))), Decimal(str(round(m.lon, 5)))


def _event(organiser, **fields) -> Event:
    starts = fields["starts_at"]
    fields.setdefault("registration_deadline", starts - dt.timedelta(days=1))
    fields.setdefault("cancellation_deadline", starts - dt.timedelta(days=2))
    fields["description"] = fields.get("description", "") + "\n\n" + DEMO_NOTE
    return Event.objects.create(organiser=organiser, is_demo=True, is_published=True, **fields)


def _network_moment(org: dict) -> Event:
    day = dt.date(2024, 9, 24)
    lat, lon = _point("Mechelen")
    event = _event(
        org["WiWeTeR Thomas More"],
        kind=K.NETWORK_MOMENT,
        title="Netwerkmoment voor STEM-academies 2024",
        slug="netwerkmoment-stem-academies-2024",
        summary="Leren, inspireren, groeien....: leren van elkaar, good practices delen en "
        "netwerken.",
        description="WiWeTeR Thomas More ontving de deelnemers op campus Kruidtuin Mechelen. "
        "De focus lag op leren van elkaar, delen van good practices en netwerken zodat het "
        "ecosysteem STEM in de vrije tijd in Vlaanderen zich verder kan ontwikkelen.",
        starts_at=_at(day, 18),
        ends_at=_at(day, 21, 30),
        venue_name="Campus Kruidtuin",
        postcode="2800",
        locality="Mechelen",
        latitude=lat,
        longitude=lon,
        capacity=60,
    )
    Audience.objects.create(event=event, organisation_type="academy", price=0)
    Audience.objects.create(event=event, organisation_type="gangmaker", price=0)
    ekoli = Speaker.objects.create(
        event=event,
        name="Ekoli",
        affiliation="STEM-academie",
        bio="Inclusie en het bereiken van doelgroepen.",
    )
    skillz = Speaker.objects.create(
        event=event,
        name="Skillz vzw",
        affiliation="STEM-academie",
        bio="Medewerkers, vrijwilligers en animatoren engageren, enthousiasmeren en aan boord "
        "houden.",
    )
    parts = [
        (
            "session",
            "Opening door de STEM-gangmakers: de oogst van de vorige netwerkdag",
            18,
            0,
            30,
            None,
        ),
        ("session", "Het verhaal van Ekoli en Skillz vzw", 18, 30, 40, None),
        ("round_table", "Rondetafel met Ekoli: inclusie en doelgroepen", 19, 10, 40, 30),
        ("round_table", "Rondetafel met Skillz: medewerkers en vrijwilligers", 19, 10, 40, 30),
        ("break", "Netwerken aan de foodtruck (pizza's)", 19, 50, 40, None),
        ("session", "Bezoek aan de STEMhub van WiWeTeR Thomas More", 20, 30, 40, None),
        ("session", "Wat hebben we geleerd vandaag, en afsluitende drink", 21, 10, 20, None),
    ]
    for kind, title, hour, minute, length, capacity in parts:
        track = Track.objects.create(
            event=event,
            kind=kind,
            title=title,
            starts_at=_at(day, hour, minute),
            ends_at=_at(day, hour, minute) + dt.timedelta(minutes=length),
            capacity=capacity,
        )
        if "Ekoli" in title:
            track.speakers.add(ekoli)
        if "Skillz" in title:
            track.speakers.add(skillz)
    return event


def _congress(org: dict) -> Event:
    day = dt.date(2024, 5, 16)
    event = _event(
        org["Neteland STEM-land"],
        kind=K.CONGRESS,
        title="Congres “De nood aan duurzame netwerken voor onze STEM-ambities”",
        slug="congres-duurzame-netwerken-stem-2024",
        summary="Een studievoormiddag over de beleidsmatige en inhoudelijke kant van STEM, "
        "met een doorlopende infomarkt.",
        description="STEM-organisaties, beleidsmakers, bedrijven en vertegenwoordigers van "
        "jeugdorganisaties ontmoeten leerkrachten van de 3de graad lager onderwijs en de 1ste "
        "en 2de graad secundair onderwijs om ervaringen uit te wisselen en van elkaar te "
        "leren. Andere partnerschappen en organisaties komen aan bod in een (doorlopende) "
        "infomarkt.",
        starts_at=_at(day, 9),
        ends_at=_at(day, 12, 30),
        capacity=150,
    )
    for org_type in (
        "academy",
        "partnership",
        "local_government",
        "company",
        "youth_organisation",
        "school",
        "knowledge_institution",
        "gangmaker",
    ):
        Audience.objects.create(event=event, organisation_type=org_type, price=0)
    Track.objects.create(
        event=event,
        kind="session",
        title="Het netwerk van STEM-Neteland: succesfactoren",
        starts_at=_at(day, 9, 15),
        ends_at=_at(day, 10, 30),
    )
    Track.objects.create(
        event=event,
        kind="session",
        title="Doorlopende infomarkt",
        starts_at=_at(day, 9),
        ends_at=_at(day, 12, 30),
    )
    return event


def _upcoming_congress(organiser: Organisation, today: dt.date) -> Event:
    """An invented congress with an info market whose stands the demo partnership
    coordinator can book (no stand is pre-booked: every partnership has a real name)."""
    day = today + dt.timedelta(days=60)
    while day.weekday() != 3:  # a Thursday morning, like the 2024 congress
        day += dt.timedelta(days=1)
    event = _event(
        organiser,
        kind=K.CONGRESS,
        title="Demo-studievoormiddag: STEM-netwerken in je regio",
        slug=f"demo-studievoormiddag-{day:%Y-%m-%d}",
        summary="Verzonnen demo-evenement met een infomarkt van partnerschappen.",
        starts_at=_at(day, 9),
        ends_at=_at(day, 12, 30),
        venue_name="Demo-zaal",
        postcode="2800",
        locality="Mechelen",
        capacity=80,
        stand_capacity=10,
    )
    Audience.objects.create(event=event, organisation_type="academy", price=0)
    Audience.objects.create(event=event, organisation_type="company", price=Decimal("25"))
    Audience.objects.create(event=event, organisation_type="", price=Decimal("15"))
    for title in ("Werkgroep scholen", "Werkgroep bedrijven"):
        Track.objects.create(
            event=event,
            kind="parallel",
            title=title,
            starts_at=_at(day, 10, 30),
            ends_at=_at(day, 11, 30),
            capacity=25,
        )
    return event


def _trainings(org: dict, today: dt.date) -> list[Event]:
    # Invented dates: under the invented STEMhub, never under a real gangmaker's name.
    gangmaker = invented_hub()
    specs = [
        ("basis", "Basissessie “Wat is STEM?”", -30, True),
        ("basis", "Basissessie “Wat is STEM?”", 21, True),
        ("design", "Ontwerpsessie “Hoe STEM-activiteiten ontwerpen?”", 42, True),
        ("guidance", "Begeleidingssessie met intervisie (in voorbereiding)", 90, False),
    ]
    events = []
    for step, title, offset, published in specs:
        day = today + dt.timedelta(days=offset)
        event = _event(
            gangmaker,
            kind=K.TRAINING,
            trainer_step=step,
            title=f"{title} (demo)",
            slug=f"demo-{step}-{day:%Y-%m-%d}",
            summary="Train-the-trainer van de STEM-gangmakers, gratis voor STEM-academies.",
            description="Demo: datum, uren en plaatsen zijn verzonnen. De echte agenda met "
            "navormingen staat op www.stemindevrijetijd.be.",
            starts_at=_at(day, 13),
            ends_at=_at(day, 16),
            hours=Decimal("3"),
            venue_name=gangmaker.name,
            postcode="2800",
            locality="Mechelen",
            capacity=12,
        )
        event.is_published = published
        event.save(update_fields=["is_published"])
        Audience.objects.create(event=event, organisation_type="academy", price=0)
        events.append(event)
    return events


def _attendees(event: Event, rng: random.Random, academies: list, n: int, checked_in: bool):
    for i in range(n):
        academy = academies[i % len(academies)]
        Registration.objects.create(
            event=event,
            name=f"Deelnemer {i + 1} (demo)",
            email=f"deelnemer{i + 1}.{event.pk}@demo.stemnet.invalid",
            organisation=academy,
            status=Registration.Status.CONFIRMED,
            checked_in_at=event.starts_at + dt.timedelta(minutes=rng.randint(0, 20))
            if checked_in
            else None,
        )


def _feedback_and_needs(event: Event, rng: random.Random, actor) -> None:
    learned = [
        "Hoe andere academies nieuwe doelgroepen bereiken.",
        "Tips om vrijwilligers aan boord te houden.",
        "Wat de STEMhub uitleent.",
    ]
    for registration in event.registrations.filter(checked_in_at__isnull=False)[:9]:
        Feedback.objects.create(
            registration=registration, rating=rng.randint(3, 5), learned=rng.choice(learned)
        )
    for title in (
        "Inclusie en doelgroepen bereiken",
        "Vrijwilligers en animatoren werven",
        "STEM-activiteiten ontwerpen",
    ):
        topic, _ = TrainingTopic.objects.get_or_create(
            organiser=event.organiser, title=title, defaults={"is_demo": True}
        )
        Need.objects.create(
            event=event,
            topic=topic,
            captured_by=actor,
            description="Demo: genoteerd tijdens het eten.",
        )


@transaction.atomic
def seed(rng: random.Random, organisations: dict, users: dict) -> int:
    """Create the demo events; ``organisations`` by name, ``users`` by demo role."""
    clear()
    today = timezone.localdate()
    from stemnet.organisations.demo import REAL_NAMES

    academies = list(
        Organisation.objects.filter(type="academy", is_demo=True)
        .exclude(name__in=REAL_NAMES)
        .order_by("name")[:8]
    )
    moment = _network_moment(organisations)
    _attendees(moment, rng, academies, 24, checked_in=True)
    _feedback_and_needs(moment, rng, users.get("gangmaker"))
    congress = _congress(organisations)
    _attendees(congress, rng, academies, 30, checked_in=True)
    trainings = _trainings(organisations, today)
    coordinator = users.get("academy_coordinator")
    if coordinator is not None:
        academy = coordinator.memberships.first().organisation
        _upcoming_congress(academy, today)
        Registration.objects.create(
            event=trainings[0],
            person=coordinator,
            name=coordinator.name,
            email=coordinator.email,
            organisation=academy,
            status=Registration.Status.CONFIRMED,
            checked_in_at=trainings[0].starts_at + dt.timedelta(minutes=5),
        )
    _attendees(trainings[1], rng, academies, 9, checked_in=False)
    return Event.objects.filter(is_demo=True).count()
