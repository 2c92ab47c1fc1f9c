"""Synthetic agenda data for the benchmark: organisations, activities, sessions (fixed seed).

Everything is written with ``bulk_create`` (batches of 5,000) and the many-to-many links
through their through tables, then the search module indexes the activities. Places and
vocabularies are the real ones (``places_load`` and the agenda's data migration).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.text import slugify

BATCH = 5_000
BRUSSELS = ZoneInfo("Europe/Brussels")

# Topic phrases: (title fragment, words used in descriptions). Each topic is picked by a
# few per cent of the activities, so a topic word has the selectivity of a real search.
TOPICS = [
    ("Robots bouwen", "robot robots sensoren motoren lego mindstorms bouwen besturen"),
    ("Robotica voor beginners", "robotica robot arduino motoren sensoren programmeren"),
    ("Leren programmeren", "programmeren code scratch python spelletjes computer"),
    ("Programmeren met Python", "python programmeren code algoritmes computer"),
    ("Scratch-spelletjes maken", "scratch programmeren spelletjes animatie computer"),
    ("Drones vliegen", "drone drones vliegen camera besturen luchtvaart"),
    ("Sterrenkunde", "sterrenkunde sterren planeten telescoop heelal maan"),
    ("Ruimtevaart", "ruimtevaart raket raketten planeten astronaut heelal"),
    ("3D-printen", "printen ontwerpen printer modellen tinkercad plastic"),
    ("3D-ontwerp", "ontwerpen modellen tinkercad printer vormgeving"),
    ("Elektronica solderen", "elektronica solderen stroom schakelingen led weerstand"),
    ("Elektriciteit ontdekken", "elektriciteit stroom batterij lampjes schakelingen"),
    ("Chemie in de keuken", "chemie proefjes keuken reacties kleuren zuren"),
    ("Proefjes met water", "water proefjes drijven zinken druk natuurkunde"),
    ("Natuur onderzoeken", "natuur bos insecten planten onderzoeken microscoop"),
    ("Bijen en insecten", "bijen insecten natuur bloemen biodiversiteit"),
    ("Klimaat en energie", "klimaat energie zonne windmolens duurzaam co2"),
    ("Zonne-energie", "zonne energie zonnepanelen licht duurzaam stroom"),
    ("Circulair ontwerpen", "circulair hergebruik afval recycleren ontwerpen"),
    ("Repair café voor kinderen", "herstellen repair kapotte toestellen gereedschap"),
    ("Bruggen bouwen", "bruggen bouwen constructie krachten ingenieur"),
    ("Minecraft-architecten", "minecraft bouwen architectuur ontwerpen computer"),
    ("Wiskunde-puzzels", "wiskunde puzzels logica getallen raadsels"),
    ("Codeerkamp", "programmeren code apps websites computer"),
    ("Game design", "games ontwerpen programmeren levels verhalen"),
    ("Artificiële intelligentie", "artificiele intelligentie ai computer data slimme"),
    ("Micro:bit uitvinders", "microbit programmeren sensoren uitvinden elektronica"),
    ("Biologie: ons lichaam", "lichaam biologie gezondheid hart spieren microscoop"),
    ("Forensisch onderzoek", "forensisch onderzoek vingerafdrukken sporen chemie"),
    ("Weer en klimaat", "weer klimaat wolken regen meten weerstation"),
    ("Houtbewerking en techniek", "hout zagen techniek gereedschap constructie"),
    ("Stop-motion en animatie", "animatie film camera stopmotion verhalen"),
    ("Muziek en technologie", "muziek geluid technologie synthesizer elektronica"),
    ("Vliegtuigjes en raketten", "raketten vliegtuigjes vliegen luchtvaart aerodynamica"),
    ("Dinosaurussen en fossielen", "dinosaurussen fossielen geologie stenen aarde"),
    ("Virtual reality", "virtual reality vr brillen computer werelden"),
]
AUDIENCES = [
    "voor kinderen",
    "voor jongeren",
    "voor tieners",
    "voor jonge makers",
    "voor meisjes",
    "voor beginners",
    "voor gevorderden",
    "voor het hele gezin",
    "",
    "",
]
PLACES_WORDS = ["in de bib", "in het jeugdhuis", "op school", "in het museum", "op de campus", ""]
FILLER = """
samen ontdekken leren maken proberen experimenteren bouwen testen kijken luisteren werken
kinderen jongeren ouders begeleiders lesgevers vrijwilligers vrienden groepjes iedereen
elke week namiddag voormiddag vakantie zomer herfst krokus paas kerst woensdag zaterdag
plezier nieuwsgierig creatief handig slim snel eenvoudig moeilijk uitdagend spannend leuk
materiaal laptop tablet schaar lijm karton papier touw verf hamer boor batterijen
meebrengen voorzien inbegrepen inschrijven plaatsen beperkt gratis prijs korting uitpas
vragen antwoorden ideeen oplossingen problemen projecten opdrachten resultaten
toonmoment tentoonstelling presentatie ouders familie afsluiter diploma medaille
stem wetenschap techniek technologie wiskunde engineering ingenieurs wetenschappers
academie atelier werkplaats labo fablab makerspace lokaal zaal klas buiten binnen
""".split()  # noqa: SIM905
OPENERS = [
    "Kom mee {verb} tijdens deze {kind}.",
    "In deze {kind} gaan we aan de slag met {topic}.",
    "Wil je weten hoe {topic} werkt? Dan is deze {kind} iets voor jou.",
    "Een {adj} {kind} rond {topic} {audience}.",
]
VERBS = ["ontdekken", "bouwen", "experimenteren", "programmeren", "ontwerpen", "onderzoeken"]
ADJS = ["leuke", "spannende", "creatieve", "uitdagende", "gezellige", "nieuwe"]
KIND_WORDS = {
    "reeks": "reeks",
    "kamp": "kamp",
    "eenmalig": "activiteit",
    "workshop": "workshop",
    "open_atelier": "open atelier",
}
# kind: (weight, min sessions, max sessions); the mean is about three sessions per activity.
KINDS = {
    "reeks": (0.20, 4, 10),
    "kamp": (0.15, 3, 5),
    "eenmalig": (0.30, 1, 1),
    "workshop": (0.25, 1, 2),
    "open_atelier": (0.10, 2, 6),
}
ORG_TYPES = ["academy"] * 8 + ["youth_organisation", "knowledge_institution", "company"]


@dataclass
class BuildResult:
    organisations: int
    activities: int
    sessions: int
    base_date: str
    seconds: dict[str, float] = field(default_factory=dict)


def _municipalities(rng: random.Random):
    """Flemish 2025 municipalities with their postcode points, weighted by population."""
    from stemnet.places.models import FLANDERS, Municipality, Postcode

    towns = list(Municipality.objects.current().filter(region_id=FLANDERS).order_by("nis_code"))
    points: dict[int, list[tuple[str, float, float]]] = {}
    for pc in Postcode.objects.filter(municipality__in=towns).order_by("code", "locality"):
        points.setdefault(pc.municipality_id, []).append((pc.code, pc.lat, pc.lon))
    towns = [t for t in towns if t.pk in points]
    weights = [max(t.population_2020 or 5_000, 5_000) for t in towns]
    return towns, weights, points


def _organisations(rng: random.Random, towns, weights, count: int):
    from stemnet.organisations.models import Organisation

    existing = list(Organisation.objects.filter(slug__startswith="bench-").order_by("pk"))
    if len(existing) >= count:
        return existing[:count]
    chosen = rng.choices(towns, weights=weights, k=count)
    orgs = []
    for i, town in enumerate(chosen):
        name = f"STEM-academie {town.name_nl} {i + 1}"
        orgs.append(
            Organisation(
                name=name,
                slug=f"bench-{i + 1}-{slugify(town.name_nl)}"[:200],
                type=ORG_TYPES[i % len(ORG_TYPES)],
                postcode="",
                municipality=town,
                is_demo=True,
            )
        )
    Organisation.objects.bulk_create(orgs, batch_size=BATCH)
    return list(Organisation.objects.filter(slug__startswith="bench-").order_by("pk"))


def _session_counts(rng: random.Random, kinds: list[str], total: int) -> list[int]:
    """Sessions per activity by kind, then nudged so they add up to exactly ``total``."""
    counts = [rng.randint(KINDS[k][1], KINDS[k][2]) for k in kinds]
    diff = total - sum(counts)
    order = list(range(len(kinds)))
    rng.shuffle(order)
    i = 0
    while diff != 0 and order:
        j = order[i % len(order)]
        if diff > 0 and counts[j] < 12:
            counts[j] += 1
            diff -= 1
        elif diff < 0 and counts[j] > 1:
            counts[j] -= 1
            diff += 1
        i += 1
        if i > 50 * len(order):  # cannot reach the total within the bounds
            break
    return counts


def _text(rng: random.Random, kind: str) -> tuple[str, str, list[str]]:
    topic, words = rng.choice(TOPICS)
    audience = rng.choice(AUDIENCES)
    place = rng.choice(PLACES_WORDS) if rng.random() < 0.3 else ""
    title = " ".join(p for p in (topic, audience, place) if p)[:200]
    topic_words = words.split()
    sentences = [
        rng.choice(OPENERS).format(
            verb=rng.choice(VERBS),
            kind=KIND_WORDS[kind],
            topic=topic.lower(),
            adj=rng.choice(ADJS),
            audience=audience,
        )
    ]
    for _ in range(rng.randint(3, 7)):
        n = rng.randint(6, 12)
        chosen = rng.sample(FILLER, n - 2) + rng.sample(topic_words, 2)
        rng.shuffle(chosen)
        sentences.append(" ".join(chosen).capitalize() + ".")
    return title, " ".join(sentences), topic_words


def _sessions_for(rng: random.Random, kind: str, count: int, first_day: dt.date):
    """(start, end) pairs: camps on consecutive days, series weekly, others spread."""
    out = []
    if kind == "kamp":
        start_h, end_h = (9, 0), (16, 0)
        days = [first_day + dt.timedelta(days=i) for i in range(count)]
    elif kind == "reeks":
        start_h, end_h = rng.choice([((13, 30), (16, 0)), ((10, 0), (12, 0)), ((18, 0), (20, 0))])
        days = [first_day + dt.timedelta(weeks=i) for i in range(count)]
    else:
        start_h, end_h = rng.choice([((14, 0), (16, 30)), ((10, 0), (12, 30)), ((19, 0), (21, 0))])
        days = [first_day + dt.timedelta(days=rng.randint(0, 30) * i) for i in range(count)]
        days = sorted(set(days))
        while len(days) < count:
            days.append(days[-1] + dt.timedelta(days=7))
    for day in days:
        starts = dt.datetime(day.year, day.month, day.day, *start_h, tzinfo=BRUSSELS)
        ends = dt.datetime(day.year, day.month, day.day, *end_h, tzinfo=BRUSSELS)
        out.append((starts, ends))
    return out


def agenda_generate(
    *,
    activities: int = 100_000,
    sessions: int = 300_000,
    organisations: int = 300,
    seed: int = 20261125,
    base_date: dt.date | None = None,
    reindex: bool = True,
    log=print,
) -> BuildResult:
    """Create ``activities`` activities with ``sessions`` sessions spread over Flanders.

    Deterministic for a seed and base date. Sessions fall between 60 days before and 300
    days after ``base_date`` (default today). Existing data is not removed: call it on an
    empty agenda.
    """
    from stemnet.agenda.models import AccessibilityFeature, Activity, Domain, Session, Theme

    rng = random.Random(seed)
    base_date = base_date or dt.date.today()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    towns, weights, points = _municipalities(rng)
    orgs = _organisations(rng, towns, weights, organisations)
    domains = list(Domain.objects.order_by("slug").values_list("pk", flat=True))
    themes = list(Theme.objects.order_by("slug").values_list("pk", flat=True))
    features = list(AccessibilityFeature.objects.order_by("slug").values_list("pk", flat=True))
    timings["organisations"] = time.perf_counter() - t0

    kind_names = list(KINDS)
    kind_weights = [KINDS[k][0] for k in kind_names]
    kinds = rng.choices(kind_names, weights=kind_weights, k=activities)
    counts = _session_counts(rng, kinds, sessions)
    statuses = rng.choices(
        ["published", "cancelled", "draft", "archived"], weights=[85, 4, 6, 5], k=activities
    )
    now = dt.datetime.now(tz=dt.UTC)
    made_sessions = 0
    uit_serial = 0
    t_rows = time.perf_counter()
    created_ids: list[int] = []
    for start in range(0, activities, BATCH):
        stop = min(start + BATCH, activities)
        batch: list[Activity] = []
        plans = []
        for i in range(start, stop):
            kind = kinds[i]
            town = rng.choices(towns, weights=weights, k=1)[0]
            code, lat, lon = rng.choice(points[town.pk])
            title, description, _words = _text(rng, kind)
            age_min = rng.randint(5, 15)
            age_max = min(18, age_min + rng.randint(1, 6))
            free = rng.random() < (0.15 if kind == "kamp" else 0.35)
            if free:
                price = Decimal("0")
            elif kind == "kamp":
                price = Decimal(rng.randrange(60, 260, 5))
            else:
                price = Decimal(rng.randrange(3, 80))
            price_reduced = (
                (price * Decimal("0.2")).quantize(Decimal("0.01"))
                if price and rng.random() < 0.45
                else None
            )
            capacity = rng.choice([None, 10, 12, 15, 16, 20, 24, 25, 30, 40])
            places_left = None if capacity is None else rng.randint(0, capacity)
            source = rng.choices(["own", "uit", "import"], weights=[78, 17, 5])[0]
            external_id = ""
            if source == "uit":
                uit_serial += 1
                external_id = f"bench-{seed}-{uit_serial}"
            first_day = base_date + dt.timedelta(days=rng.randint(-60, 300))
            plan = _sessions_for(rng, kind, counts[i], first_day)
            plans.append(plan)
            status = statuses[i]
            batch.append(
                Activity(
                    title=title,
                    slug=slugify(title)[:200] or "activiteit",
                    description=description,
                    kind=kind,
                    age_min=age_min,
                    age_max=age_max,
                    organiser=rng.choice(orgs),
                    subsidised=rng.random() < 0.6,
                    labels=["stemindevrijetijd"],
                    venue_name=f"{rng.choice(['Bib', 'Jeugdhuis', 'Campus', 'Fablab'])} "
                    f"{town.name_nl}",
                    street=f"{rng.choice(['Kerkstraat', 'Stationsstraat', 'Markt'])} "
                    f"{rng.randint(1, 120)}",
                    postcode=code,
                    municipality=town,
                    lat=lat + rng.gauss(0, 0.012),
                    lon=lon + rng.gauss(0, 0.018),
                    price=price,
                    price_reduced=price_reduced,
                    capacity=capacity,
                    places_left=places_left,
                    status=status,
                    published_at=now if status != "draft" else None,
                    source=source,
                    external_id=external_id,
                    first_start=plan[0][0],
                    last_end=plan[-1][1],
                    is_demo=True,
                )
            )
        with transaction.atomic():
            rows = Activity.objects.bulk_create(batch, batch_size=BATCH)
            ids = [a.pk for a in rows]
            if any(pk is None for pk in ids):  # backend without RETURNING on bulk insert
                ids = list(
                    Activity.objects.order_by("-pk").values_list("pk", flat=True)[: len(rows)]
                )
                ids.reverse()
            created_ids.extend(ids)
            session_rows = [
                Session(activity_id=pk, starts_at=s, ends_at=e)
                for pk, plan in zip(ids, plans, strict=True)
                for s, e in plan
            ]
            Session.objects.bulk_create(session_rows, batch_size=BATCH)
            made_sessions += len(session_rows)
            _links(rng, ids, domains, themes, features, orgs)
        log(f"  activities {stop:>7,}/{activities:,}  sessions {made_sessions:>7,}")
    timings["rows"] = time.perf_counter() - t_rows

    if reindex:
        t_idx = time.perf_counter()
        agenda_reindex(created_ids, log=log)
        timings["reindex"] = time.perf_counter() - t_idx
    timings["total"] = time.perf_counter() - t0
    return BuildResult(
        organisations=len(orgs),
        activities=len(created_ids),
        sessions=made_sessions,
        base_date=base_date.isoformat(),
        seconds=timings,
    )


def _links(rng: random.Random, ids, domains, themes, features, orgs) -> None:
    from stemnet.agenda.models import Activity

    through_d = Activity.domains.through
    through_t = Activity.themes.through
    through_a = Activity.accessibility.through
    through_o = Activity.co_organisers.through
    d_rows, t_rows, a_rows, o_rows = [], [], [], []
    for pk in ids:
        for d in rng.sample(domains, rng.choice([1, 1, 2, 2, 3])):
            d_rows.append(through_d(activity_id=pk, domain_id=d))
        for t in rng.sample(themes, rng.choice([0, 1, 1, 2, 2, 3])):
            t_rows.append(through_t(activity_id=pk, theme_id=t))
        for a in rng.sample(features, rng.choice([0, 0, 0, 1, 1, 2])):
            a_rows.append(through_a(activity_id=pk, accessibilityfeature_id=a))
        if rng.random() < 0.1:
            o_rows.append(through_o(activity_id=pk, organisation_id=rng.choice(orgs).pk))
    through_d.objects.bulk_create(d_rows, batch_size=BATCH)
    through_t.objects.bulk_create(t_rows, batch_size=BATCH)
    through_a.objects.bulk_create(a_rows, batch_size=BATCH)
    through_o.objects.bulk_create(o_rows, batch_size=BATCH, ignore_conflicts=True)


def agenda_reindex(ids: list[int], *, chunk: int = 5_000, log=print) -> None:
    """Run the search module's ``activity_reindex`` over ``ids``, one transaction per chunk,
    then build the search bitmaps once (as ``manage.py agenda_reindex`` does)."""
    from stemnet.agenda.search import activity_reindex, store

    ids = sorted(ids)
    for start in range(0, len(ids), chunk):
        with transaction.atomic():
            activity_reindex(ids[start : start + chunk], bitmaps=False)
        log(f"  reindexed {min(start + chunk, len(ids)):>7,}/{len(ids):,}")
    with transaction.atomic():
        log(f"  search bitmaps: {store.rebuild():,}")
