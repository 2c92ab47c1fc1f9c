"""About 2,000 demo activities over the demo academies, past and upcoming.

Everything is drawn from the ``random.Random`` it is given; only the dates follow today
(``timezone.localdate()``), so the agenda always has past and upcoming activities. Titles
and descriptions are assembled from hand-written Dutch fragments per topic. The academies
in and around Mechelen always get robotics activities for 10-year-olds in the coming weeks.

Idempotent: every demo activity is deleted and recreated. Written with ``bulk_create`` and
then indexed for search with ``stemnet.agenda.search.activity_reindex`` in chunks.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from stemnet.agenda.models import (
    STEM_LABEL,
    AccessibilityFeature,
    Activity,
    Domain,
    Session,
    Theme,
)
from stemnet.places.models import Postcode

BRUSSELS = ZoneInfo("Europe/Brussels")
TOTAL = 2000
CHUNK = 500
PAST_SHARE = 0.4
DEMO_NOTE = "Demo-activiteit: verzonnen voor de demo van STEMnet."
MECHELEN_AREA = {"Mechelen", "Bonheiden", "Sint-Katelijne-Waver"}

K = Activity.Kind
S = Activity.Status


@dataclass(frozen=True)
class Topic:
    key: str
    titles: tuple[str, ...]
    intros: tuple[str, ...]
    details: tuple[str, ...]
    bring: str
    ages: tuple[int, int]
    domains: tuple[str, ...]
    themes: tuple[str, ...]


TOPICS = [
    Topic(
        "robots",
        (
            "Robots bouwen met LEGO Spike",
            "Robotlab: je eigen robot programmeren",
            "Robotvoetbal met mBot",
            "Sumorobots bouwen en laten strijden",
            "Robots die de weg vinden",
            "Een grijparm bouwen met servomotoren",
        ),
        (
            "Je bouwt een robot met motoren en sensoren en leert hem stap voor stap wat hij "
            "moet doen.",
            "Hoe weet een robot waar de muur staat? Je ontdekt het zelf met afstandssensoren en "
            "een flinke dosis uitproberen.",
            "Samen met je team ontwerp je een robot die een parcours aflegt zonder ergens tegen "
            "te botsen.",
        ),
        (
            "We programmeren met blokken, zodat je geen ervaring nodig hebt.",
            "Aan het einde neemt elke ploeg het op tegen de andere robots in een kleine wedstrijd.",
            "Je leert wat een lus, een voorwaarde en een sensorwaarde zijn, zonder dat het ooit "
            "saai wordt.",
            "De begeleiders zijn ingenieursstudenten die zelf aan robots sleutelen.",
        ),
        "Niets: robots, laptops en batterijen liggen klaar.",
        (8, 14),
        ("technology", "engineering"),
        ("robotica", "programmeren", "digitalisering"),
    ),
    Topic(
        "scratch",
        (
            "Programmeren met Scratch",
            "Maak je eigen computerspel in Scratch",
            "Scratch-verhalen: animaties die bewegen en praten",
            "Codeerclub voor beginners",
        ),
        (
            "Met kleurrijke blokjes maak je je eigen spel, animatie of interactief verhaal.",
            "Wie wil weten hoe een computerspel werkt, bouwt er best zelf een.",
            "Je laat een kat dansen, een ridder springen en een raket landen: zo leer je denken "
            "als een programmeur.",
        ),
        (
            "Elke week voegen we een nieuw idee toe: scores, levels, geluid en vijanden.",
            "Je mag je project meenemen naar huis en thuis verder werken.",
            "We sluiten af met een kleine speelhal waar familie je spellen kan testen.",
        ),
        "Een drinkbus. Heb je al een Scratch-account, noteer dan je gebruikersnaam.",
        (7, 12),
        ("technology", "mathematics"),
        ("programmeren", "digitalisering"),
    ),
    Topic(
        "microbit",
        (
            "Aan de slag met de micro:bit",
            "micro:bit: knipperen, piepen en meten",
            "Een stappenteller maken met de micro:bit",
            "Slimme gadgets met micro:bit",
        ),
        (
            "De micro:bit is een minicomputer zo groot als een bankkaart, vol sensoren en lampjes.",
            "Je maakt een kompas, een thermometer of een spelletje steen-papier-schaar dat je "
            "kunt schudden.",
            "Van een knipperend hartje tot een zelfgemaakt alarm: met de micro:bit breng je "
            "ideeën tot leven.",
        ),
        (
            "We programmeren in MakeCode en wie wil, proeft al van Python.",
            "Je leert hoe sensoren de wereld meten en hoe je die metingen gebruikt.",
            "Aan het einde bouw je je eigen uitvinding met een micro:bit in de hoofdrol.",
        ),
        "Een laptop als je er een hebt; anders lenen we er een uit.",
        (9, 14),
        ("technology", "engineering"),
        ("elektronica", "programmeren", "digitalisering"),
    ),
    Topic(
        "3dprint",
        (
            "3D-printen: van idee tot voorwerp",
            "Ontwerp je eigen sleutelhanger in 3D",
            "3D-ontwerpen met Tinkercad",
            "Printen in drie dimensies",
        ),
        (
            "Je tekent een voorwerp op de computer en ziet het daarna laag per laag ontstaan op "
            "de 3D-printer.",
            "Hoe maak je een ontwerp dat ook echt te printen valt? Je leert het met Tinkercad.",
            "Van naamplaatje tot gsm-houder: je ontwerpt iets wat je zelf nodig hebt.",
        ),
        (
            "We bespreken waarom sommige vormen wel lukken en andere niet, en hoe je dat oplost.",
            "Je ontdekt welk plastic we gebruiken en hoe je mislukte prints kunt recycleren.",
            "Elk ontwerp wordt geprint; je neemt het resultaat mee naar huis.",
        ),
        "Een idee voor iets wat je graag zou ontwerpen.",
        (10, 16),
        ("technology", "engineering"),
        ("3d-ontwerp", "digitalisering"),
    ),
    Topic(
        "zonne-energie",
        (
            "Zonne-energie: bouw een zonnewagentje",
            "Koken op de zon",
            "Energiejagers: waar haal je stroom vandaan?",
            "Windmolens en zonnepanelen testen",
        ),
        (
            "Hoeveel stroom haal je uit een klein zonnepaneel? Je meet het en bouwt er een "
            "wagentje mee.",
            "Je bouwt een zonne-oven uit karton en aluminiumfolie en probeert er een koekje in "
            "te bakken.",
            "Zon, wind en water: je test welke energiebron het best werkt voor jouw uitvinding.",
        ),
        (
            "We meten spanning en stroom en zoeken samen de beste hoek naar de zon.",
            "Je leert waarom hernieuwbare energie belangrijk is voor het klimaat.",
            "Bij slecht weer werken we met sterke lampen: de proeven gaan altijd door.",
        ),
        "Een pet en een zonnecrème als de zon van de partij is.",
        (8, 14),
        ("science", "engineering"),
        ("energie-klimaat",),
    ),
    Topic(
        "waterraketten",
        (
            "Waterraketten lanceren",
            "Raketbouwers: hoe hoog vlieg jij?",
            "Raketten uit petflessen",
        ),
        (
            "Met een petfles, wat water en een fietspomp bouw je een raket die tientallen meters "
            "hoog vliegt.",
            "Je ontwerpt vinnen en een neuskegel en test welke raket het hoogst en het rechtst "
            "vliegt.",
        ),
        (
            "We onderzoeken hoeveel water je best in de fles doet: te veel of te weinig, allebei "
            "werkt het niet.",
            "We meten de hoogte met een hoekmeter en rekenen zelf uit hoe hoog je raket kwam.",
            "Reken erop dat je nat wordt!",
        ),
        "Kleren die nat mogen worden en een handdoek.",
        (8, 13),
        ("science", "engineering", "mathematics"),
        ("ruimtevaart",),
    ),
    Topic(
        "bijen",
        (
            "Bijen en biodiversiteit",
            "Een insectenhotel bouwen",
            "Op onderzoek in de bloemenweide",
            "Wie leeft er in de tuin?",
        ),
        (
            "Waarom zijn bijen zo belangrijk en hoe kunnen we ze helpen? Je gaat op onderzoek met "
            "loep en zoekkaart.",
            "Je bouwt een insectenhotel en ontdekt welke beestjes er in jouw buurt wonen.",
            "Met een imker kijk je in een bijenkast en leer je hoe een bijenvolk samenwerkt.",
        ),
        (
            "We tellen insecten en houden de resultaten bij zoals echte onderzoekers.",
            "Je zaait een bloemenmengsel dat je thuis kunt uitplanten.",
            "De activiteit gaat grotendeels buiten door; bij regen werken we met de microscoop.",
        ),
        "Stevige schoenen en kleren die vuil mogen worden.",
        (6, 12),
        ("science",),
        ("natuur-milieu", "biologie-gezondheid"),
    ),
    Topic(
        "repair",
        (
            "Repair café voor tieners",
            "Herstel het zelf: toestellen openschroeven",
            "Tweede leven voor oude elektronica",
            "Fietsatelier: zelf je fiets herstellen",
        ),
        (
            "Een kapotte lamp, een haperende radio, een fiets die piept: je leert onderzoeken wat "
            "er mis is en hoe je het herstelt.",
            "Samen met ervaren vrijwilligers schroef je toestellen open en ontdek je hoe ze "
            "vanbinnen werken.",
            "Weggooien is zonde: je leert solderen, meten en vervangen wat stuk is.",
        ),
        (
            "Veiligheid eerst: we werken met lage spanning en leren hoe je veilig meet.",
            "Wat niet meer te redden valt, wordt onderdeel voor een nieuwe creatie.",
            "Je houdt een herstellogboek bij zodat de volgende hersteller weet wat jij al deed.",
        ),
        "Een klein toestel dat kapot is (niet aangesloten op 230 volt, dus geen wasmachine).",
        (12, 18),
        ("technology", "engineering"),
        ("herstellen", "circulaire-economie", "elektronica"),
    ),
    Topic(
        "keukenchemie",
        (
            "Chemie in de keuken",
            "Kleurrijke proefjes met rode kool",
            "Slijm, bubbels en kristallen",
            "De wetenschap van het bakken",
        ),
        (
            "Waarom rijst een cake en waarom verandert rodekoolsap van kleur? Je ontdekt het met "
            "proefjes uit de keuken.",
            "Je maakt slijm, laat kristallen groeien en leert het verschil tussen een zuur en een "
            "base.",
            "Koken is eigenlijk chemie: je meet, mengt en verklaart wat er in de pan gebeurt.",
        ),
        (
            "Alle proefjes zijn veilig en kunnen thuis herhaald worden.",
            "Je krijgt een laboschort en een veiligheidsbril, zoals een echte chemicus.",
            "We noteren onze waarnemingen en zoeken samen de verklaring.",
        ),
        "Oude kleren of een schort.",
        (6, 12),
        ("science",),
        ("chemie",),
    ),
    Topic(
        "sterren",
        (
            "Sterrenkijken met de telescoop",
            "Op reis door het zonnestelsel",
            "Sterrenbeelden en planeten",
            "Een avond bij de sterrenwacht",
        ),
        (
            "Je kijkt door een echte telescoop naar de maan, planeten en verre sterrenhopen.",
            "Hoe ver is de maan en hoe groot is de zon echt? Je bouwt een schaalmodel van het "
            "zonnestelsel.",
            "Met een draaibare sterrenkaart leer je sterrenbeelden herkennen aan de avondhemel.",
        ),
        (
            "Bij bewolking gaan we naar het planetarium en bouwen we een eigen sterrenkijker.",
            "Een volkssterrenkundige vertelt over de nieuwste ruimtemissies.",
            "Ouders zijn welkom om mee te kijken.",
        ),
        "Warme kleren: 's avonds buiten kan het fris zijn.",
        (8, 16),
        ("science", "mathematics"),
        ("ruimtevaart",),
    ),
    Topic(
        "bruggen",
        (
            "Bruggen bouwen",
            "Bouw de sterkste brug van spaghetti",
            "Torens, bruggen en constructies",
            "Ingenieur voor een dag: bouwen met karton",
        ),
        (
            "Hoe draagt een brug een vrachtwagen? Je bouwt zelf bruggen en test hoeveel gewicht "
            "ze houden.",
            "Met spaghetti, lijm en touw ontwerp je een constructie die zo sterk mogelijk moet "
            "zijn.",
            "Driehoeken, bogen en kabels: je ontdekt de trucs die ingenieurs gebruiken.",
        ),
        (
            "We testen elke brug tot ze bezwijkt: dat is de leukste en leerrijkste minuut.",
            "Je rekent uit hoeveel je brug draagt per gram materiaal.",
            "Een ingenieur van een bouwbedrijf uit de buurt komt vertellen over echte bruggen.",
        ),
        "Niets, al het materiaal is voorzien.",
        (9, 15),
        ("engineering", "mathematics"),
        ("bouwen-constructie",),
    ),
    Topic(
        "escape",
        (
            "Wiskunde-escape room",
            "Ontsnap met logica",
            "Codes kraken en puzzels oplossen",
            "Rekenraadsels in het geheime lab",
        ),
        (
            "Het lab is afgesloten en enkel wie de wiskundige raadsels oplost, vindt de code van "
            "het slot.",
            "Je kraakt geheime codes, ontcijfert patronen en werkt samen tegen de klok.",
            "Logisch denken, patronen zien en slim rekenen: dat heb je nodig om te ontsnappen.",
        ),
        (
            "De puzzels zijn aangepast aan de leeftijd van de groep.",
            "Na afloop ontwerp je zelf een raadsel voor de volgende groep.",
            "We spelen in kleine teams, zodat iedereen aan bod komt.",
        ),
        "Een pen en een scherp verstand.",
        (10, 16),
        ("mathematics",),
        ("wiskunde-logica",),
    ),
    Topic(
        "elektronica",
        (
            "Solderen voor beginners",
            "Knipperlichten en zoemers: elektronica ontdekken",
            "Bouw je eigen nachtlampje",
            "Elektrische schakelingen verkennen",
        ),
        (
            "Je leert veilig solderen en bouwt een schakeling met ledjes die je zelf mag houden.",
            "Wat is een weerstand en waarom heeft een led er een nodig? Je ontdekt het met je "
            "eigen handen.",
            "Met batterijen, draadjes en schakelaars bouw je een circuit dat licht, geluid of "
            "beweging maakt.",
        ),
        (
            "We werken met lage spanning en veiligheidsbrillen.",
            "Je leert een schema lezen zoals een elektronicus.",
            "Wie sneller klaar is, voegt een lichtsensor toe.",
        ),
        "Niets: soldeerbouten en onderdelen zijn voorzien.",
        (10, 16),
        ("technology", "engineering"),
        ("elektronica",),
    ),
    Topic(
        "drones",
        (
            "Drones programmeren",
            "Vliegschool voor drones",
            "Luchtfoto's en kaarten met een drone",
        ),
        (
            "Je programmeert een kleine drone om een parcours door de zaal te vliegen.",
            "Hoe blijft een drone stabiel in de lucht? Je ontdekt het en stuurt er zelf een.",
            "Van luchtfoto tot kaart: je leert hoe drones gebruikt worden in landbouw en "
            "natuurbeheer.",
        ),
        (
            "We vliegen binnen, met veilige minidrones en beschermkooien.",
            "Je leert de regels die gelden voor drones in België.",
        ),
        "Niets, de drones en tablets zijn voorzien.",
        (11, 17),
        ("technology", "engineering", "mathematics"),
        ("robotica", "programmeren", "digitalisering"),
    ),
    Topic(
        "ai",
        (
            "Artificiële intelligentie voor jongeren",
            "Leer een computer zien",
            "Chatbots: hoe slim zijn ze echt?",
        ),
        (
            "Je traint een computer om afbeeldingen te herkennen en ontdekt waar hij de mist in "
            "gaat.",
            "Hoe werkt een chatbot en wanneer mag je hem geloven? Je zoekt het kritisch uit.",
            "Je bouwt een klein model dat gebaren herkent en gebruikt het in een spelletje.",
        ),
        (
            "We praten ook over eerlijkheid, privacy en wie er verantwoordelijk is.",
            "Je hebt geen programmeerervaring nodig.",
        ),
        "Een laptop als je er een hebt.",
        (12, 18),
        ("technology", "mathematics"),
        ("digitalisering", "programmeren"),
    ),
    Topic(
        "water",
        (
            "Waterdetectives: hoe proper is onze beek?",
            "Waterzuivering in een fles",
            "Op onderzoek langs de rivier",
        ),
        (
            "Met schepnetten en zoekkaarten onderzoek je welke diertjes in de beek leven en wat "
            "dat zegt over het water.",
            "Je bouwt een waterfilter met zand, grind en houtskool en test hoe helder het water "
            "wordt.",
        ),
        (
            "We meten de temperatuur, de zuurtegraad en de helderheid van het water.",
            "Je ontdekt waar ons kraantjeswater vandaan komt en waar het naartoe gaat.",
        ),
        "Laarzen en kleren die nat en vuil mogen worden.",
        (7, 13),
        ("science",),
        ("natuur-milieu", "energie-klimaat"),
    ),
    Topic(
        "kunst",
        (
            "Lichtkunst met ledjes en sensoren",
            "Muziek maken met elektronica",
            "Bewegende kunst: bouw een tekenrobot",
            "Textiel dat oplicht",
        ),
        (
            "Kunst en techniek gaan prima samen: je maakt een kunstwerk dat reageert op geluid "
            "en beweging.",
            "Je bouwt een tekenrobot met een motor en stiften en laat hem abstracte kunst maken.",
            "Met geleidende draad en ledjes naai je een lichtgevend textielwerk.",
        ),
        (
            "Op het einde stellen we alle werken tentoon voor familie en vrienden.",
            "Een kunstenaar en een ingenieur begeleiden samen.",
        ),
        "Een oud T-shirt of stukje stof als je dat wilt versieren.",
        (9, 16),
        ("technology", "engineering"),
        ("kunst-stem", "elektronica"),
    ),
    Topic(
        "lichaam",
        (
            "Je lichaam als laboratorium",
            "Hoe werkt je hart? Meten en ontdekken",
            "Dokter voor een dag",
        ),
        (
            "Je meet je hartslag, test je reactiesnelheid en ontdekt hoe je zintuigen werken.",
            "Met een stethoscoop, een microscoop en wat proefjes ontdek je hoe je lichaam werkt.",
        ),
        (
            "Studenten geneeskunde en verpleegkunde begeleiden de proeven.",
            "We zetten onze metingen in grafieken en vergelijken ze.",
        ),
        "Sportieve kleren.",
        (8, 14),
        ("science", "mathematics"),
        ("biologie-gezondheid",),
    ),
    Topic(
        "circulair",
        (
            "Van afval naar uitvinding",
            "Ontwerp met restmateriaal",
            "Circulaire uitvinders",
        ),
        (
            "Petflessen, kroonkurken en karton krijgen een tweede leven in jouw uitvinding.",
            "Hoe ontwerp je iets dat je later weer uit elkaar kunt halen? Je leert denken als "
            "een circulaire ontwerper.",
        ),
        (
            "We bezoeken een bedrijf dat grondstoffen terugwint uit afval.",
            "Je pitcht je uitvinding aan een jury van jongeren en ondernemers.",
        ),
        "Proper restmateriaal van thuis: doosjes, flessen, doppen.",
        (8, 15),
        ("engineering", "science"),
        ("circulaire-economie", "herstellen"),
    ),
    Topic(
        "klimaat",
        (
            "Klimaatonderzoekers: meten is weten",
            "Bouw je eigen weerstation",
            "Het klimaat in je eigen straat",
        ),
        (
            "Je bouwt een weerstation met sensoren en meet temperatuur, luchtvochtigheid en wind.",
            "Waarom is het in de stad warmer dan op het platteland? Je meet het zelf.",
        ),
        (
            "Je verzamelt metingen en maakt er grafieken van.",
            "We vergelijken jullie metingen met die van het KMI.",
        ),
        "Een smartphone als je er een hebt (niet verplicht).",
        (10, 16),
        ("science", "technology", "mathematics"),
        ("energie-klimaat", "natuur-milieu"),
    ),
    Topic(
        "kleuters",
        (
            "Kleine onderzoekers: drijven of zinken",
            "Proefjes met licht en schaduw",
            "Magneten ontdekken",
            "Bouwen en stapelen: wie bouwt de hoogste toren?",
        ),
        (
            "Jonge onderzoekers ontdekken spelenderwijs wat drijft, wat zinkt en waarom.",
            "Met zaklampen, spiegels en kleurfilters speel je met licht en schaduw.",
            "Wat trekt een magneet aan en wat niet? Je zoekt het samen uit.",
        ),
        (
            "We werken in kleine groepjes met veel begeleiding.",
            "Ouders mogen het laatste kwartier mee komen kijken.",
        ),
        "Een drankje en een tussendoortje.",
        (5, 7),
        ("science", "engineering"),
        ("natuur-milieu",),
    ),
    Topic(
        "games",
        (
            "Ontwerp je eigen videogame",
            "Gamedesign in Python",
            "Van bordspel naar app",
        ),
        (
            "Je bedenkt een spelconcept, tekent je personages en programmeert je eigen game.",
            "Je leert Python door stap voor stap een eigen spel te bouwen.",
        ),
        (
            "We testen elkaars games en geven tips zoals echte gamestudio's dat doen.",
            "Je krijgt je code mee op een USB-stick.",
        ),
        "Een laptop als je er een hebt.",
        (12, 18),
        ("technology", "mathematics"),
        ("programmeren", "digitalisering"),
    ),
]

SERIES_TITLE = ("{t}", "{t}", "Woensdagclub: {t}", "Zaterdagclub: {t}", "{t} (reeks)")
# A "club" title names the weekday the series actually meets on.
WEEKDAY_CLUB = (
    "Maandagclub",
    "Dinsdagclub",
    "Woensdagclub",
    "Donderdagclub",
    "Vrijdagclub",
    "Zaterdagclub",
    "Zondagclub",
)
CAMP_TITLE = ("{season}: {t}", "STEM-kamp: {t}", "{season} – {t}")
ONE_OFF_TITLE = ("{t}", "Doe-dag: {t}", "Familiedag: {t}", "{t} – doe-namiddag")
WORKSHOP_TITLE = ("Workshop: {t}", "{t}", "Workshop {tl}")
OPEN_TITLE = ("Open atelier: {t}", "Vrij maken in het fablab: {tl}", "Open labo: {t}")

VENUES = (
    "Bibliotheek {place}",
    "Cultuurcentrum {place}",
    "Jeugdhuis {place}",
    "Gemeentelijke sporthal {place}",
    "Fablab {place}",
    "Campus {place}",
)
STREETS = ("Voorbeeldstraat", "Demolaan", "Proefstraat", "Testplein", "Fictieweg")

CANCEL_REASONS = (
    "Te weinig inschrijvingen.",
    "De begeleider is ziek; we zoeken een nieuwe datum.",
    "De zaal is onverwacht niet beschikbaar.",
    "Geannuleerd wegens het weer.",
)

KIND_WEIGHTS = [
    (K.SERIES, 30),
    (K.CAMP, 15),
    (K.ONE_OFF, 20),
    (K.WORKSHOP, 25),
    (K.OPEN_STUDIO, 10),
]


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _monday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def holiday_weeks(years) -> list[tuple[dt.date, str]]:
    """Mondays of Flemish school holiday weeks (approximate calendar since 2023)."""
    weeks = []
    for y in years:
        autumn = _monday_on_or_after(dt.date(y, 10, 26)) - dt.timedelta(days=7)
        weeks += [(autumn, "Herfstkamp"), (autumn + dt.timedelta(days=7), "Herfstkamp")]
        xmas = _monday_on_or_after(dt.date(y, 12, 21))
        weeks += [(xmas, "Kerstkamp"), (xmas + dt.timedelta(days=7), "Kerstkamp")]
        carnival = _monday_on_or_after(dt.date(y, 2, 23))
        weeks += [(carnival, "Krokuskamp"), (carnival + dt.timedelta(days=7), "Krokuskamp")]
        easter = _monday_on_or_after(_easter(y) - dt.timedelta(days=6))
        weeks += [(easter, "Paaskamp"), (easter + dt.timedelta(days=7), "Paaskamp")]
        summer = _monday_on_or_after(dt.date(y, 7, 1))
        weeks += [(summer + dt.timedelta(days=7 * n), "Zomerkamp") for n in range(8)]
    return sorted(weeks)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS)


class _Generator:
    def __init__(self, rng: random.Random, today: dt.date, academies, partners):
        self.rng = rng
        self.today = today
        self.academies = academies
        self.partners = partners
        self.domains = {d.slug: d.pk for d in Domain.objects.all()}
        self.themes = {t.slug: t.pk for t in Theme.objects.all()}
        self.features = {f.slug: f.pk for f in AccessibilityFeature.objects.all()}
        self.points: dict[str, tuple[float, float]] = {}
        self.codes_of: dict[int, list[str]] = {}
        rows = Postcode.objects.order_by("code").values_list("code", "lat", "lon", "municipality")
        sums: dict[str, list[float]] = {}
        for code, lat, lon, municipality_id in rows:
            s = sums.setdefault(code, [0.0, 0.0, 0])
            s[0] += lat
            s[1] += lon
            s[2] += 1
            codes = self.codes_of.setdefault(municipality_id, [])
            if code not in codes:
                codes.append(code)
        self.points = {code: (s[0] / s[2], s[1] / s[2]) for code, s in sums.items()}
        self.holidays = holiday_weeks(range(today.year - 1, today.year + 2))
        self.served = {
            a.pk: sorted(a.municipalities_served.all(), key=lambda m: m.nis_code) for a in academies
        }
        self.activities: list[Activity] = []
        self.sessions: list[list[tuple[dt.datetime, dt.datetime]]] = []
        self.m2m: list[dict[str, list[int]]] = []

    # -- pieces --------------------------------------------------------------------------

    def _kind(self) -> str:
        kinds, weights = zip(*KIND_WEIGHTS, strict=True)
        return self.rng.choices(kinds, weights=weights)[0]

    def _day(self, past: bool) -> dt.date:
        offset = -self.rng.randint(3, 330) if past else self.rng.randint(1, 240)
        return self.today + dt.timedelta(days=offset)

    def _sessions(self, kind: str, day: dt.date) -> tuple[list, str]:
        rng = self.rng
        if kind == K.SERIES:
            weekday = rng.choice([2, 2, 5, 5, 4])  # Wednesday afternoon, Saturday, Friday
            start = day + dt.timedelta(days=(weekday - day.weekday()) % 7)
            hour = {2: 14, 4: 18, 5: 10}[weekday]
            n = rng.randint(5, 10)
            moments = [
                (
                    _at(start + dt.timedelta(weeks=w), hour),
                    _at(start + dt.timedelta(weeks=w), hour + 2),
                )
                for w in range(n)
            ]
            return moments, ""
        if kind == K.CAMP:
            monday, season = min(self.holidays, key=lambda h: (abs((h[0] - day).days), h[0]))
            first = monday + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2]))
            n = rng.randint(3, min(5, 5 - (first - monday).days))
            moments = [
                (_at(first + dt.timedelta(days=i), 9), _at(first + dt.timedelta(days=i), 16))
                for i in range(n)
            ]
            return moments, season
        if kind == K.OPEN_STUDIO:
            n = rng.randint(1, 4)
            start = day + dt.timedelta(days=(5 - day.weekday()) % 7)
            return [
                (
                    _at(start + dt.timedelta(weeks=2 * w), 13),
                    _at(start + dt.timedelta(weeks=2 * w), 17),
                )
                for w in range(n)
            ], ""
        hour = rng.choice([10, 13, 14])
        length = rng.choice([90, 120, 150, 180])
        starts = _at(day, hour, rng.choice([0, 30]))
        return [(starts, starts + dt.timedelta(minutes=length))], ""

    def _title(self, kind: str, topic: Topic, season: str) -> str:
        t = self.rng.choice(topic.titles)
        pattern = self.rng.choice(
            {
                K.SERIES: SERIES_TITLE,
                K.CAMP: CAMP_TITLE,
                K.ONE_OFF: ONE_OFF_TITLE,
                K.WORKSHOP: WORKSHOP_TITLE,
                K.OPEN_STUDIO: OPEN_TITLE,
            }[kind]
        )
        return pattern.format(t=t, tl=_lower_first(t), season=season or "Vakantiekamp")

    def _description(self, kind: str, topic: Topic, sessions: list, place: str) -> str:
        rng = self.rng
        n = len(sessions)
        practical = {
            K.SERIES: f"Deze reeks telt {n} bijeenkomsten van twee uur; je schrijft in voor de "
            "hele reeks, zodat de groep elke week samen verder kan bouwen.",
            K.CAMP: f"Het kamp duurt {n} dagen, telkens van 9 tot 16 uur. Er is opvang vanaf "
            "8 uur; breng een lunchpakket mee, voor een vieruurtje zorgen wij.",
            K.ONE_OFF: "Een losse activiteit: je hoeft niets voor te kennen en komt één keer.",
            K.WORKSHOP: "Een workshop van een paar uur in een kleine groep, zodat iedereen "
            "zelf aan de slag gaat.",
            K.OPEN_STUDIO: "In het open atelier kom je wanneer het past en werk je op je eigen "
            "tempo, met een begeleider in de buurt voor tips en hulp.",
        }[kind]
        details = rng.sample(topic.details, min(2, len(topic.details)))
        return "\n\n".join(
            [
                rng.choice(topic.intros) + " " + " ".join(details),
                f"{practical} We spreken af in {place}.",
                f"Meebrengen: {topic.bring}",
                DEMO_NOTE,
            ]
        )

    def _place(self, academy) -> tuple[str, str, str, object]:
        rng = self.rng
        served = self.served.get(academy.pk) or []
        if served and rng.random() < 0.35:
            municipality = rng.choice(served)
            codes = self.codes_of.get(municipality.pk) or [academy.postcode]
            venue = rng.choice(VENUES).format(place=municipality.name_nl)
            street = f"{rng.choice(STREETS)} {rng.randint(1, 120)}"
            return venue, street, codes[0], municipality
        return academy.name, academy.street, academy.postcode, academy.municipality

    def _ages(self, topic: Topic) -> tuple[int, int]:
        lo, hi = topic.ages
        age_min = self.rng.randint(lo, max(lo, hi - 3))
        age_max = min(hi, age_min + self.rng.randint(2, 5))
        return age_min, max(age_min, age_max)

    def _price(self, kind: str) -> tuple[Decimal, Decimal | None]:
        rng = self.rng
        if rng.random() < 0.45 or kind == K.OPEN_STUDIO and rng.random() < 0.6:
            return Decimal("0"), None
        low, high = {
            K.SERIES: (25, 90),
            K.CAMP: (60, 160),
            K.ONE_OFF: (3, 15),
            K.WORKSHOP: (5, 25),
            K.OPEN_STUDIO: (2, 5),
        }[kind]
        price = Decimal(rng.randint(low, high))
        reduced = (price * Decimal("0.2")).quantize(Decimal("0.01")) if rng.random() < 0.7 else None
        return price, reduced

    # -- one activity --------------------------------------------------------------------

    def add(
        self,
        academy,
        *,
        topic: Topic | None = None,
        kind: str | None = None,
        day: dt.date | None = None,
        status: str | None = None,
        ages: tuple[int, int] | None = None,
    ) -> None:
        rng = self.rng
        topic = topic or rng.choice(TOPICS)
        kind = kind or self._kind()
        past = rng.random() < PAST_SHARE
        day = day or self._day(past)
        sessions, season = self._sessions(kind, day)
        ended = sessions[-1][1].date() < self.today
        if status is None:
            r = rng.random()
            if ended:
                status = S.ARCHIVED if r < 0.15 else S.CANCELLED if r < 0.19 else S.PUBLISHED
            else:
                status = S.DRAFT if r < 0.08 else S.CANCELLED if r < 0.13 else S.PUBLISHED
        venue, street, postcode, municipality = self._place(academy)
        lat, lon = self.points.get(postcode, (municipality.lat, municipality.lon))
        age_min, age_max = ages or self._ages(topic)
        price, reduced = self._price(kind)
        capacity = None if kind == K.OPEN_STUDIO and rng.random() < 0.5 else rng.randint(8, 30)
        if capacity is None:
            places_left = None
        elif ended:
            places_left = rng.randint(0, capacity // 4)
        else:
            places_left = rng.choice([0, rng.randint(0, capacity), capacity])
        title = self._title(kind, topic, season)[:200]
        for club in ("Woensdagclub", "Zaterdagclub"):
            if title.startswith(club):
                weekday = timezone.localtime(sessions[0][0]).weekday()
                title = WEEKDAY_CLUB[weekday] + title[len(club) :]
        published_at = None
        if status != S.DRAFT:
            published_at = sessions[0][0] - dt.timedelta(days=rng.randint(14, 60))
        self.activities.append(
            Activity(
                title=title,
                slug=slugify(title)[:200] or "activiteit",
                description=self._description(kind, topic, sessions, municipality.name_nl),
                kind=kind,
                age_min=age_min,
                age_max=age_max,
                organiser=academy,
                subsidised=rng.random() < 0.5,
                labels=[STEM_LABEL],
                venue_name=venue,
                street=street,
                postcode=postcode,
                municipality=municipality,
                lat=lat,
                lon=lon,
                price=price,
                price_reduced=reduced,
                capacity=capacity,
                places_left=places_left,
                booking_email=academy.email,
                booking_url=(
                    f"https://example.org/{academy.slug}/inschrijven" if rng.random() < 0.4 else ""
                ),
                status=status,
                cancel_reason=rng.choice(CANCEL_REASONS) if status == S.CANCELLED else "",
                published_at=published_at,
                source=Activity.Source.OWN,
                first_start=sessions[0][0],
                last_end=sessions[-1][1],
                is_demo=True,
            )
        )
        self.sessions.append(sessions)
        features = [
            f
            for f in rng.sample(list(self.features), rng.choice([0, 0, 1, 1, 2]))
            if f != "kansentarief"
        ]
        if reduced is not None and "kansentarief" in self.features:
            features.append("kansentarief")
        themes = [t for t in topic.themes if t in self.themes]
        themes = rng.sample(themes, rng.randint(1, len(themes))) if themes else []
        co = []
        partners = self.partners.get(academy.pk) or []
        if partners and rng.random() < 0.15:
            co = [rng.choice(partners)]
        self.m2m.append(
            {
                "domains": [self.domains[d] for d in topic.domains if d in self.domains],
                "themes": [self.themes[t] for t in themes],
                "accessibility": [self.features[f] for f in features],
                "co_organisers": co,
            }
        )


def clear() -> int:
    """Delete every demo activity (and its sessions); keep the search index in step."""
    from stemnet.agenda.search import entries_forget

    ids = list(Activity.objects.filter(is_demo=True).values_list("pk", flat=True))
    entries_forget(ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        Session.objects.filter(activity_id__in=chunk).delete()
        Activity.objects.filter(pk__in=chunk).delete()
    _reindex(ids)
    return len(ids)


def _reindex(ids: list[int]) -> None:
    try:
        from stemnet.agenda.search import activity_reindex
    except ImportError:  # pragma: no cover - the search module is part of the agenda app
        return
    for start in range(0, len(ids), CHUNK):
        activity_reindex(ids[start : start + CHUNK])


def _partners_by_academy(academies) -> dict[int, list[int]]:
    """Co-organiser candidates: the other members of each academy's partnerships."""
    from stemnet.organisations.demo import REAL_NAMES
    from stemnet.organisations.models import PartnershipMember

    # Real organisations (named in the sources) never co-organise an invented activity.
    links = (
        PartnershipMember.objects.filter(
            partnership__in=PartnershipMember.objects.filter(member__in=academies).values(
                "partnership"
            )
        )
        .exclude(member__name__in=REAL_NAMES)
        .values_list("partnership_id", "member_id")
    )
    members: dict[int, set[int]] = {}
    for partnership_id, member_id in links:
        members.setdefault(partnership_id, set()).add(member_id)
    result: dict[int, list[int]] = {}
    for member_ids in members.values():
        for m in member_ids:
            result.setdefault(m, set()).update(member_ids - {m})  # type: ignore[arg-type]
    return {k: sorted(v) for k, v in result.items()}


@transaction.atomic
def seed(rng: random.Random, academies=None, *, total: int = TOTAL) -> list[int]:
    """Replace the demo activities; return the ids of the new ones."""
    from stemnet.organisations.demo import invented
    from stemnet.organisations.models import Organisation

    if academies is None:
        academies = list(
            Organisation.objects.filter(is_demo=True, type=Organisation.Type.ACADEMY)
            .select_related("municipality")
            .order_by("slug")
        )
    # Invented activities never appear under a real organisation's name.
    academies = sorted(invented(academies), key=lambda a: a.slug)
    clear()
    if not academies:
        return []
    today = timezone.localdate()
    gen = _Generator(rng, today, academies, _partners_by_academy(academies))

    # Guaranteed: robotics for 10-year-olds around Mechelen in the coming weeks.
    robots = next(t for t in TOPICS if t.key == "robots")
    local = [a for a in academies if a.municipality and a.municipality.name_nl in MECHELEN_AREA]
    for i, academy in enumerate(local):
        for j, kind in enumerate((K.WORKSHOP, K.SERIES)):
            gen.add(
                academy,
                topic=robots,
                kind=kind,
                day=today + dt.timedelta(days=3 + 4 * i + 2 * j),
                status=S.PUBLISHED,
                ages=(8, 12),
            )
    # Every kind at least once in the past and once upcoming, whatever the total.
    for i, kind in enumerate(K.values):
        academy = academies[i % len(academies)]
        gen.add(academy, kind=kind, day=today - dt.timedelta(days=60 + i), status=S.PUBLISHED)
        gen.add(academy, kind=kind, day=today + dt.timedelta(days=30 + i), status=S.PUBLISHED)

    while len(gen.activities) < total:
        gen.add(academies[len(gen.activities) % len(academies)])

    created = Activity.objects.bulk_create(gen.activities, batch_size=CHUNK)
    Session.objects.bulk_create(
        [
            Session(activity_id=a.pk, starts_at=s, ends_at=e)
            for a, moments in zip(created, gen.sessions, strict=True)
            for s, e in moments
        ],
        batch_size=2000,
    )
    through = {
        "domains": (Activity.domains.through, "domain_id"),
        "themes": (Activity.themes.through, "theme_id"),
        "accessibility": (Activity.accessibility.through, "accessibilityfeature_id"),
        "co_organisers": (Activity.co_organisers.through, "organisation_id"),
    }
    for name, (model, column) in through.items():
        rows = [
            model(activity_id=a.pk, **{column: value})
            for a, links in zip(created, gen.m2m, strict=True)
            for value in dict.fromkeys(links[name])
        ]
        model.objects.bulk_create(rows, batch_size=2000)
    ids = [a.pk for a in created]
    _reindex(ids)
    return ids
