"""Demo organisations: academies, the 7 partnerships of 2020 and everyone around them.

Deterministic for a given ``random.Random``: the same seed gives the same organisations,
slugs, places and partners. Real names from the sources (VLAIO's 2020 call, the 2024
network day) are used as named there, but every address, e-mail address and website is
invented and marked as demo data (``is_demo=True``, ``@demo.stemnet.invalid``,
``https://example.org/...``). Invented academies have obviously invented names.

Idempotent: organisations are updated or created by slug; demo organisations that are no
longer part of the set are deleted (the agenda's demo data is cleared before this runs).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from stemnet.organisations.models import Organisation, PartnershipMember
from stemnet.places.models import Municipality, Postcode
from stemnet.places.selectors import Point, municipalities_within

T = Organisation.Type
R = PartnershipMember.Role

DEMO_DOMAIN = "demo.stemnet.invalid"
DEMO_NOTE = "Demo-gegevens: adres, e-mailadres en website zijn verzonnen."

# The seven STEM partnerships VLAIO supported in 2020: (lead institution, its type, where,
# partnership project, where the partnership is based, municipalities it works in).
PARTNERSHIPS = [
    (
        "Arteveldehogeschool",
        T.KNOWLEDGE_INSTITUTION,
        "Gent",
        "Buurtmakers",
        "Gent",
        "Jongeren uit Gentse buurten ontwerpen en bouwen samen oplossingen voor hun eigen "
        "wijk: van een slimme zitbank tot een sensor die de luchtkwaliteit meet.",
    ),
    (
        "Hogeschool PXL – PXL STEM Academy",
        T.KNOWLEDGE_INSTITUTION,
        "Hasselt",
        "Digimobile",
        "Hasselt",
        "Een rijdend digitaal atelier trekt langs Limburgse gemeenten met robots, "
        "programmeerkits en 3D-printers voor kinderen en jongeren.",
    ),
    (
        "Vrije Universiteit Brussel",
        T.KNOWLEDGE_INSTITUTION,
        "Elsene",
        "Groeituin 5.0",
        "Elsene",
        "In stadstuinen in Brussel onderzoeken jongeren met sensoren, data en een flinke "
        "portie biologie hoe je voedsel duurzaam kweekt in de stad.",
    ),
    (
        "Samenwerkingsverband Neteland",
        T.LOCAL_GOVERNMENT,
        "Herentals",
        "Neteland STEM-land",
        "Herentals",
        "Het intergemeentelijke STEM-partnerschap van Neteland verbindt scholen, bedrijven en "
        "kennisinstellingen rond missiegedreven STEM-workshops voor alle leerlingen.",
    ),
    (
        "Katholieke Hogeschool VIVES Zuid",
        T.KNOWLEDGE_INSTITUTION,
        "Kortrijk",
        "Repair teens",
        "Kortrijk",
        "Tieners leren kapotte toestellen onderzoeken, herstellen en een tweede leven geven, "
        "samen met vrijwilligers uit repair cafés en technische bedrijven.",
    ),
    (
        "RVO-Society (Brightlab)",
        T.YOUTH_ORGANISATION,
        "Koekelberg",
        "SPARK",
        "Koekelberg",
        "Brightlab laat jongeren in Brussel vonken: onderzoeksprojecten in echte labo's, "
        "begeleid door studenten en wetenschappers als rolmodel.",
    ),
    (
        "LUCA school of arts",
        T.KNOWLEDGE_INSTITUTION,
        "Schaarbeek",
        "STEM&VORK",
        "Schaarbeek",
        "Kunst ontmoet techniek: jongeren ontwerpen, solderen en programmeren installaties "
        "waarin licht, klank en beweging samenkomen.",
    ),
]

# Named in the sources; (name, type, municipality, description).
NAMED = [
    (
        "WiWeTeR Thomas More",
        T.GANGMAKER,
        "Mechelen",
        "STEM-gangmaker met een STEMhub op campus Kruidtuin: workshops en vrije openingsuren in "
        "het Fablab en I-Lab en een uitleendienst voor STEM-materialen.",
    ),
    (
        "Technopolis",
        T.GANGMAKER,
        "Mechelen",
        "Het Vlaamse doe-centrum voor wetenschap en technologie; houdt ook een overzicht bij van "
        "STEM-activiteiten, gesubsidieerd of niet.",
    ),
    (
        "VLAIO",
        T.VLAIO,
        "Brussel",
        "Agentschap Innoveren & Ondernemen: erkent en subsidieert STEM-academies en "
        "STEM-partnerschappen.",
    ),
    (
        "Voka",
        T.COMPANY,
        "Brussel",
        "Vlaams netwerk van ondernemingen; begeleidt scholen en peterbedrijven in een STEMpact.",
    ),
    (
        "Ekoli",
        T.ACADEMY,
        "Gent",
        "STEM-academie die inzet op inclusie en op het bereiken van kinderen die niet vanzelf "
        "de weg naar STEM-activiteiten vinden.",
    ),
    (
        "Skillz vzw",
        T.ACADEMY,
        "Antwerpen",
        "STEM-academie die haar vrijwilligers en animatoren enthousiasmeert, engageert en aan "
        "boord houdt.",
    ),
]

# Invented academies in and around Mechelen (the issue 3 browser test searches 2800).
MECHELEN_ACADEMIES = [
    ("STEM-academie De Vonk Mechelen", "Mechelen"),
    ("Robotclub Het Tandwiel Mechelen", "Mechelen"),
    ("Maakplaats De Dijlebrug Mechelen", "Mechelen"),
    ("STEM-academie Het Uitvindersnest Bonheiden", "Bonheiden"),
    ("Techniekclub De Zandloper Sint-Katelijne-Waver", "Sint-Katelijne-Waver"),
]

# Invented academies per province (NIS code of the province, or "brussels") and how many.
ACADEMIES_PER_AREA = [
    ("10000", 15),  # Antwerpen (plus Skillz and the Mechelen region above)
    ("70000", 13),  # Limburg
    ("40000", 16),  # Oost-Vlaanderen (plus Ekoli)
    ("20001", 12),  # Vlaams-Brabant
    ("30000", 13),  # West-Vlaanderen
    ("brussels", 5),
]

ACADEMY_PATTERNS = [
    "STEM-academie {word} {place}",
    "Techniekclub {word} {place}",
    "Wetenschapsatelier {word} {place}",
    "STEM-lab {word} {place}",
    "Jonge Uitvinders {word} {place}",
    "Maakplaats {word} {place}",
    "Robotclub {word} {place}",
    "Denkfabriek {word} {place}",
]
ACADEMY_WORDS = [
    "De Vonk",
    "De Schroef",
    "De Magneet",
    "De Lichtbron",
    "Het Kompas",
    "De Tandraddertjes",
    "De Dynamo",
    "De Hefboom",
    "De Pipet",
    "De Telescoop",
    "De Soldeerbout",
    "De Katrol",
    "De Raket",
    "Het Prisma",
    "De Windmolen",
    "Het Kristal",
    "De Zonnewijzer",
    "De Microscoop",
    "De Sleutelbos",
    "De Breinbreker",
    "De Uitvinderij",
    "De Knutselkelder",
    "Het Vliegwiel",
    "Het Zonnepaneel",
]
ACADEMY_FOCUS = [
    "robots bouwen en programmeren",
    "elektronica, solderen en micro:bit",
    "natuurwetenschappen en proefjes",
    "3D-ontwerpen en -printen",
    "duurzame energie en klimaat",
    "herstellen en hergebruiken",
    "sterrenkunde en ruimtevaart",
    "wiskunde, puzzels en logica",
    "bouwen, bruggen en constructies",
    "STEM en kunst",
]

SCHOOLS = [
    ("Demo-basisschool De Regenboog", "Mechelen"),
    ("Demo-basisschool Het Klavertje", "Bonheiden"),
    ("Demo-campus Technisch Instituut Sint-Rumoldus", "Mechelen"),
    ("Demo-atheneum Netevallei", "Herentals"),
    ("Demo-middenschool De Kleine Nete", "Olen"),
    ("Demo-basisschool De Zeppelin", "Gent"),
    ("Demo-school voor wetenschappen Scheldezicht", "Gent"),
    ("Demo-basisschool De Mijnlamp", "Genk"),
    ("Demo-technisch atheneum Kempenland", "Hasselt"),
    ("Demo-basisschool De Vlieger", "Kortrijk"),
    ("Demo-campus Leiedal", "Kortrijk"),
    ("Demo-basisschool Het Speelkasteel", "Schaarbeek"),
    ("Demo-secundaire school Zennevallei", "Anderlecht"),
    ("Demo-basisschool De Boomgaard", "Leuven"),
    ("Demo-school Duinenzicht", "Oostende"),
    ("Demo-basisschool De Reiger", "Brugge"),
]

COMPANIES = [
    ("Tandwiel Techniek (demo)", "Mechelen"),
    ("Dijle Robotics (demo)", "Mechelen"),
    ("Kempen Kunststoffen (demo)", "Geel"),
    ("Nete Energie (demo)", "Herentals"),
    ("Havenlab Chemie (demo)", "Antwerpen"),
    ("Scheldestroom Software (demo)", "Gent"),
    ("Mijnsite Engineering (demo)", "Genk"),
    ("Leie Herstelwerkplaats (demo)", "Kortrijk"),
    ("Westhoek Windturbines (demo)", "Ieper"),
    ("Zenne Datalab (demo)", "Anderlecht"),
    ("Hageland Bouw (demo)", "Aarschot"),
    ("Polder Drones (demo)", "Brugge"),
]

YOUTH_ORGANISATIONS = [
    ("Jeugdhuis De Schakel (demo)", "Mechelen"),
    ("Speelpleinwerking De Bende (demo)", "Gent"),
    ("Jeugdwerking Kanaalzone (demo)", "Anderlecht"),
    ("Jeugdhuis Den Draad (demo)", "Hasselt"),
]

KNOWLEDGE_INSTITUTIONS = [
    ("Thomas More Mechelen (demo-campus)", "Mechelen"),
]

# Partners of each partnership besides its lead and academies near it.
PARTNERSHIP_EXTRA = {
    "Buurtmakers": ["Demo-basisschool De Zeppelin", "Scheldestroom Software (demo)", "Ekoli"],
    "Digimobile": ["Demo-basisschool De Mijnlamp", "Mijnsite Engineering (demo)"],
    "Groeituin 5.0": ["Demo-basisschool Het Speelkasteel", "Zenne Datalab (demo)"],
    "Neteland STEM-land": [
        "Demo-atheneum Netevallei",
        "Demo-middenschool De Kleine Nete",
        "Nete Energie (demo)",
        "Kempen Kunststoffen (demo)",
        "Thomas More Mechelen (demo-campus)",
    ],
    "Repair teens": ["Demo-campus Leiedal", "Leie Herstelwerkplaats (demo)"],
    "SPARK": ["Demo-secundaire school Zennevallei", "Jeugdwerking Kanaalzone (demo)"],
    "STEM&VORK": ["Demo-basisschool Het Speelkasteel", "Zenne Datalab (demo)"],
}

# The organisations named in the sources (real organisations, real names). The demo keeps
# them in the directory but gives them no invented activities or reach figures: those go
# to the invented academies only (``invented``).
REAL_NAMES = frozenset(
    [name for name, *_rest in NAMED]
    + [lead for lead, *_rest in PARTNERSHIPS]
    + [project for _lead, _type, _place, project, *_rest in PARTNERSHIPS]
)


def invented(organisations):
    """Leave out the organisations with real names (a queryset or a list)."""
    if hasattr(organisations, "exclude"):
        return organisations.exclude(name__in=REAL_NAMES)
    return [o for o in organisations if o.name not in REAL_NAMES]


NETELAND = ["Herentals", "Grobbendonk", "Herenthout", "Olen", "Vorselaar", "Kasterlee"]

STREETS = [
    "Voorbeeldstraat",
    "Demolaan",
    "Proefstraat",
    "Testplein",
    "Fictieweg",
    "Verzinselstraat",
]

ROLE_FOR_TYPE = {
    T.ACADEMY: R.ACADEMY,
    T.SCHOOL: R.SCHOOL,
    T.COMPANY: R.COMPANY,
    T.KNOWLEDGE_INSTITUTION: R.KNOWLEDGE_INSTITUTION,
    T.LOCAL_GOVERNMENT: R.LOCAL_GOVERNMENT,
    T.YOUTH_ORGANISATION: R.YOUTH_ORGANISATION,
}


@dataclass
class _Places:
    by_name: dict[str, Municipality]
    postcodes: dict[int, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Places:
        municipalities = list(Municipality.objects.current().select_related("province"))
        places = cls(by_name={m.name_nl: m for m in municipalities})
        for code, municipality_id in Postcode.objects.order_by("code").values_list(
            "code", "municipality_id"
        ):
            places.postcodes.setdefault(municipality_id, [])
            if code not in places.postcodes[municipality_id]:
                places.postcodes[municipality_id].append(code)
        return places

    def get(self, name: str) -> Municipality:
        return self.by_name[name]

    def main_postcode(self, municipality: Municipality) -> str:
        return self.postcodes[municipality.pk][0]

    def in_area(self, area: str) -> list[Municipality]:
        if area == "brussels":
            found = [m for m in self.by_name.values() if m.is_brussels]
        else:
            found = [m for m in self.by_name.values() if m.province_id == area]
        return sorted(found, key=lambda m: m.nis_code)


@dataclass
class DemoOrganisations:
    """What the other demo modules need: organisations by name and by type."""

    by_name: dict[str, Organisation]

    def of_type(self, type_: str) -> list[Organisation]:
        return sorted((o for o in self.by_name.values() if o.type == type_), key=lambda o: o.slug)

    @property
    def academies(self) -> list[Organisation]:
        return self.of_type(T.ACADEMY)

    @property
    def invented_academies(self) -> list[Organisation]:
        """The academies with invented names: the only ones given invented activities."""
        return invented(self.academies)


def _email(slug: str) -> str:
    return f"{slug[:50].strip('-')}@{DEMO_DOMAIN}"


class _Builder:
    def __init__(self, rng: random.Random, places: _Places):
        self.rng = rng
        self.places = places
        self.organisations: dict[str, Organisation] = {}
        self.served: dict[str, list[Municipality]] = {}

    def add(
        self,
        name: str,
        type_: str,
        municipality: Municipality,
        description: str,
        *,
        served: list[Municipality] | None = None,
    ) -> Organisation:
        slug = slugify(name)[:200]
        clash = Organisation.objects.filter(slug=slug, is_demo=False).exists()
        if clash:  # never overwrite a real organisation with demo data
            slug = f"{slug}-demo"
        number = self.rng.randint(1, 180)
        website = f"https://example.org/{slug}" if self.rng.random() < 0.7 else ""
        organisation, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "type": type_,
                "description": f"{description}\n\n{DEMO_NOTE}",
                "street": f"{self.rng.choice(STREETS)} {number}",
                "postcode": self.places.main_postcode(municipality),
                "municipality": municipality,
                "website": website,
                "email": _email(slug),
                "phone": "",
                "contact_name": "",
                "is_active": True,
                "is_demo": True,
            },
        )
        self.organisations[name] = organisation
        self.served[name] = served if served is not None else []
        return organisation

    def nearby(self, municipality: Municipality, count: int, radius_km: float = 15):
        """The municipality itself and up to ``count - 1`` neighbours, nearest first."""
        found = [
            m
            for m, _ in municipalities_within(Point(municipality.lat, municipality.lon), radius_km)
        ]
        others = [m for m in found if m.pk != municipality.pk]
        return [municipality, *others[: max(0, count - 1)]]


def _academy_description(rng: random.Random, place: str) -> str:
    focus = rng.sample(ACADEMY_FOCUS, 2)
    return (
        f"Buitenschoolse STEM-activiteiten voor kinderen en jongeren in en rond {place}, "
        f"met de nadruk op {focus[0]} en {focus[1]}. Vrijwilligers, leerkrachten en "
        "lokale bedrijven begeleiden reeksen, kampen en losse workshops."
    )


def _invented_academy_names(rng: random.Random, places: _Places) -> list[tuple[str, Municipality]]:
    taken = {name for name, _ in MECHELEN_ACADEMIES}
    used_places = {place for _, place in MECHELEN_ACADEMIES} | {"Gent", "Antwerpen"}
    result = []
    words = list(ACADEMY_WORDS)
    for area, count in ACADEMIES_PER_AREA:
        candidates = [m for m in places.in_area(area) if m.name_nl not in used_places]
        # Larger municipalities are likelier to have an academy; keep it deterministic.
        candidates.sort(key=lambda m: (-(m.population_2020 or 0), m.nis_code))
        pool = candidates[: max(count * 2, count + 5)]
        for municipality in sorted(rng.sample(pool, count), key=lambda m: m.nis_code):
            for _ in range(50):
                name = rng.choice(ACADEMY_PATTERNS).format(
                    word=rng.choice(words), place=municipality.name_nl
                )
                if name not in taken:
                    break
            taken.add(name)
            used_places.add(municipality.name_nl)
            result.append((name, municipality))
    return result


@transaction.atomic
def seed(rng: random.Random) -> DemoOrganisations:
    """Create or update every demo organisation and partnership; return them by name."""
    places = _Places.load()
    b = _Builder(rng, places)

    vlaio_place = places.get("Brussel")
    for name, type_, place, description in NAMED:
        municipality = places.get(place)
        served = None
        if type_ == T.ACADEMY:
            served = b.nearby(municipality, rng.randint(2, 5))
        b.add(
            name,
            type_,
            municipality if type_ != T.VLAIO else vlaio_place,
            description,
            served=served,
        )

    for name, place in MECHELEN_ACADEMIES:
        municipality = places.get(place)
        served = b.nearby(municipality, rng.randint(3, 6), radius_km=10)
        mechelen = places.get("Mechelen")
        if mechelen not in served:
            served = [*served[:-1], mechelen]
        b.add(name, T.ACADEMY, municipality, _academy_description(rng, place), served=served)

    for name, municipality in _invented_academy_names(rng, places):
        served = b.nearby(municipality, rng.randint(1, 6))
        b.add(
            name,
            T.ACADEMY,
            municipality,
            _academy_description(rng, municipality.name_nl),
            served=served,
        )

    for name, place in SCHOOLS:
        b.add(
            name,
            T.SCHOOL,
            places.get(place),
            "Een school die met haar leerlingen deelneemt aan STEM-activiteiten in de buurt.",
        )
    for name, place in COMPANIES:
        b.add(
            name,
            T.COMPANY,
            places.get(place),
            "Een bedrijf dat medewerkers, materiaal en een werkplek ter beschikking stelt "
            "voor STEM-activiteiten.",
        )
    for name, place in YOUTH_ORGANISATIONS:
        b.add(
            name,
            T.YOUTH_ORGANISATION,
            places.get(place),
            "Een jeugdorganisatie die samen met STEM-academies activiteiten organiseert.",
        )
    for name, place in KNOWLEDGE_INSTITUTIONS:
        b.add(
            name,
            T.KNOWLEDGE_INSTITUTION,
            places.get(place),
            "Hogeschoolcampus met labo's en studenten die STEM-activiteiten mee begeleiden.",
        )

    links: list[tuple[str, str, str]] = []  # (partnership, member, role)
    for lead, lead_type, lead_place, project, project_place, description in PARTNERSHIPS:
        lead_municipality = places.get(lead_place)
        b.add(
            lead,
            lead_type,
            lead_municipality,
            f"Trekker van het STEM-partnerschap {project}, met steun van VLAIO sinds 2020.",
        )
        project_municipality = places.get(project_place)
        if project == "Neteland STEM-land":
            served = [places.get(n) for n in NETELAND]
        else:
            served = b.nearby(project_municipality, rng.randint(4, 6), radius_km=20)
        b.add(
            project,
            T.PARTNERSHIP,
            project_municipality,
            f"STEM-partnerschap (2020-2023). {description}",
            served=served,
        )
        links.append((project, lead, R.LEAD))
        for extra in PARTNERSHIP_EXTRA.get(project, []):
            links.append((project, extra, ROLE_FOR_TYPE[b.organisations[extra].type]))
        # The academies nearest to the partnership take part in it.
        academies = sorted(
            (o for o in b.organisations.values() if o.type == T.ACADEMY),
            key=lambda o: (
                (o.municipality.lat - project_municipality.lat) ** 2
                + (o.municipality.lon - project_municipality.lon) ** 2,
                o.slug,
            ),
        )
        for academy in academies[: rng.randint(3, 6)]:
            links.append((project, academy.name, R.ACADEMY))

    # Served municipalities, partnership members, and removal of stale demo data.
    for name, served in b.served.items():
        b.organisations[name].municipalities_served.set(served)
    keep_ids = {o.pk for o in b.organisations.values()}
    wanted = set()
    for project, member, role in links:
        link, _ = PartnershipMember.objects.update_or_create(
            partnership=b.organisations[project],
            member=b.organisations[member],
            defaults={"role": role},
        )
        wanted.add(link.pk)
    PartnershipMember.objects.filter(partnership_id__in=keep_ids).exclude(pk__in=wanted).delete()
    Organisation.objects.filter(is_demo=True).exclude(pk__in=keep_ids).delete()
    return DemoOrganisations(by_name=dict(b.organisations))


def demo_organisations() -> DemoOrganisations:
    """The demo organisations already in the database (for commands run after ``seed``)."""
    return DemoOrganisations(by_name={o.name: o for o in Organisation.objects.filter(is_demo=True)})


INVENTED_HUB_NAME = "STEMhub Kruidtuin (demo)"
INVENTED_HUB_SLUG = "stemhub-kruidtuin-demo"


def invented_hub() -> Organisation:
    """An invented STEM-gangmaker with a STEMhub (not the real WiWeTeR Thomas More): the demo
    puts what it invents for a gangmaker (loans, training dates) here, never under a real
    name. Made on first use, so every app's demo can ask for it."""
    from stemnet.organisations import services as org_services

    found = Organisation.objects.filter(slug=INVENTED_HUB_SLUG).first()
    return found or org_services.organisation_create(
        actor=None,
        name=INVENTED_HUB_NAME,
        slug=INVENTED_HUB_SLUG,
        type=Organisation.Type.GANGMAKER,
        postcode="2800",
        description="Een verzonnen STEMhub met een uitleendienst, een Fablab en een I-Lab.\n\n"
        + DEMO_NOTE,
        email="stemhub@demo.stemnet.invalid",
        is_demo=True,
    )
