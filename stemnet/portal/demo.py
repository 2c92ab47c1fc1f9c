"""Demo news: six articles in Dutch and English about events in the seed documents.

Written for the demo in our own words (no sentences copied from the sources) and marked
``is_demo``. ``seed_news`` is idempotent: it updates the articles by slug.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from stemnet.portal.models import NewsArticle

BRUSSELS = ZoneInfo("Europe/Brussels")


def _at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=BRUSSELS)


ARTICLES: list[dict] = [
    {
        "slug": "stem-academies-in-221-gemeenten-2020",
        "publish_at": _at(2020, 12, 8),
        "title_nl": "Recordjaar: STEM-academies actief in 221 Vlaamse gemeenten",
        "title_en": "Record year: STEM academies active in 221 Flemish municipalities",
        "summary_nl": (
            "In 2020 konden kinderen en jongeren in 221 gemeenten terecht bij een STEM-academie. "
            "VLAIO erkende 78 academies en gaf 39 van hen samen € 308.500 steun."
        ),
        "summary_en": (
            "In 2020 children and young people in 221 municipalities could join a STEM academy. "
            "VLAIO recognised 78 academies and granted 39 of them € 308,500 in total."
        ),
        "body_nl": (
            "Het aantal gemeenten met buitenschools STEM-aanbod blijft stijgen. Waar academies in "
            "2019 al 162 gemeenten bereikten met minstens één reeks activiteiten, staat de teller "
            "in 2020 op 221. Vooral West-Vlaanderen (64 gemeenten) en Oost-Vlaanderen (56) "
            "springen eruit; Antwerpen telt er 41, Vlaams-Brabant 36 en Limburg 24.\n\n"
            "Achter die cijfers zit een vernieuwde erkenningsprocedure. VLAIO gaf dit jaar 78 "
            "STEM-academies een erkenning. De helft daarvan, 39 academies, vroeg ook financiële "
            "steun en kreeg samen € 308.500 toegezegd.\n\n"
            "Zoek je zelf een academie in de buurt? Tik je postcode in op de startpagina van "
            "STEMnet en je ziet meteen welke organisaties in jouw gemeente actief zijn."
        ),
        "body_en": (
            "The number of municipalities with out-of-school STEM activities keeps growing. In "
            "2019 academies reached 162 municipalities with at least one series of activities; in "
            "2020 the count stands at 221. West Flanders (64 municipalities) and East Flanders "
            "(56) lead the way, followed by Antwerp with 41, Flemish Brabant with 36 and Limburg "
            "with 24.\n\n"
            "Behind these figures is a revised recognition procedure. This year VLAIO recognised "
            "78 STEM academies. Half of them, 39 academies, also asked for financial support and "
            "were promised € 308,500 between them.\n\n"
            "Looking for an academy near you? Type your postcode on the STEMnet home page to see "
            "which organisations are active in your municipality."
        ),
    },
    {
        "slug": "zeven-nieuwe-stem-partnerschappen",
        "publish_at": _at(2020, 12, 10),
        "title_nl": "Zeven nieuwe STEM-partnerschappen krijgen samen ruim 2 miljoen euro",
        "title_en": "Seven new STEM partnerships share over 2 million euros",
        "summary_nl": (
            "Na een oproep rond digitalisering, circulaire economie en energie & klimaat steunt "
            "VLAIO zeven partnerschappen drie jaar lang met in totaal € 2.005.000."
        ),
        "summary_en": (
            "After a call on digitalisation, circular economy and energy & climate, VLAIO supports "
            "seven partnerships for three years with € 2,005,000 in total."
        ),
        "body_nl": (
            "Naast de erkenning van academies lanceerde VLAIO in 2020 een extra oproep voor "
            "STEM-trajecten in de vrije tijd. De trajecten moesten aansluiten bij de drie Vlaamse "
            "transitieprioriteiten: digitalisering, circulaire economie en energie & klimaat. "
            "Wie indiende, werd vooral beoordeeld op samenwerking: met bedrijven, "
            "kennisinstellingen, lokale besturen en met de jongeren zelf.\n\n"
            "Zeven projecten halen het: Buurtmakers (Arteveldehogeschool), Digimobile (Hogeschool "
            "PXL), Groeituin 5.0 (Vrije Universiteit Brussel), Neteland STEM-land "
            "(samenwerkingsverband Neteland), Repair teens (VIVES), SPARK (RVO-Society/Brightlab) "
            "en STEM&VORK (LUCA School of Arts). Ze delen € 2.005.000 en krijgen drie jaar om hun "
            "trajecten uit te bouwen.\n\n"
            "In de STEMnet-gids vind je de partnerschappen terug, met de academies en scholen die "
            "eraan meewerken."
        ),
        "body_en": (
            "Besides recognising academies, VLAIO launched an extra call in 2020 for free-time "
            "STEM programmes. They had to fit the three Flemish transition priorities: "
            "digitalisation, circular economy, and energy & climate. Proposals were judged above "
            "all on collaboration: with companies, knowledge institutions, local governments and "
            "the young people themselves.\n\n"
            "Seven projects were selected: Buurtmakers (Arteveldehogeschool), Digimobile (PXL "
            "University of Applied Sciences), Groeituin 5.0 (Vrije Universiteit Brussel), Neteland "
            "STEM-land (the Neteland intermunicipal partnership), Repair teens (VIVES), SPARK "
            "(RVO-Society/Brightlab) and STEM&VORK (LUCA School of Arts). They share € 2,005,000 "
            "and have three years to build their programmes.\n\n"
            "The STEMnet directory lists the partnerships, with the academies and schools that "
            "take part."
        ),
    },
    {
        "slug": "laat-je-stem-horen-workshop-lamot",
        "publish_at": _at(2021, 10, 6),
        "title_nl": "Laat je STEM horen: ruim 60 betrokkenen denken mee over een nieuw actieplan",
        "title_en": "Make your STEM heard: over 60 stakeholders help shape a new action plan",
        "summary_nl": (
            "Op 1 oktober bracht VLAIO in Lamot in Mechelen meer dan zestig mensen uit het "
            "STEM-veld samen om ideeën te verzamelen voor het volgende STEM-actieplan."
        ),
        "summary_en": (
            "On 1 October VLAIO gathered more than sixty people from the STEM field at Lamot in "
            "Mechelen to collect ideas for the next STEM action plan."
        ),
        "body_nl": (
            "Hoe krijgen meer jongeren en leerkrachten zin in STEM, en hoe maken we een "
            "STEM-loopbaan aantrekkelijker? Met die vragen gingen onderwijsmensen, bedrijven, "
            "onderzoekers, overheden en burgers aan de slag tijdens de workshop ‘Laat je STEM "
            "horen!’ in congrescentrum Lamot in Mechelen.\n\n"
            "In kleine groepen werkten de deelnemers ideeën uit rond communicatie, STEM in de "
            "vrije tijd, de instroom van leerlingen en lesgevers en het aanbod in de klas. Daarna "
            "stemden ze over hoe haalbaar elk voorstel is en gaven ze tips om het te verbeteren. "
            "Het bureau Beanmachine begeleidde de sessie.\n\n"
            "VLAIO verwerkt de resultaten tot een nieuw STEM-actieplan voor de komende tien jaar, "
            "dat het tegen het einde van het jaar aan de Vlaamse Regering wil voorleggen. Een "
            "raadpleging als deze kan in STEMnet ook online: deelnemers posten ideeën en stemmen "
            "over de haalbaarheid."
        ),
        "body_en": (
            "How do we get more young people and teachers excited about STEM, and how do we make a "
            "STEM career more attractive? Teachers, companies, researchers, governments and "
            "citizens worked on these questions during the workshop ‘Make your STEM heard!’ at the "
            "Lamot conference centre in Mechelen.\n\n"
            "In small groups the participants developed ideas on communication, STEM in free time, "
            "attracting pupils and teachers, and what is offered in class. They then voted on how "
            "feasible each proposal is and suggested improvements. The agency Beanmachine "
            "facilitated the session.\n\n"
            "VLAIO is turning the results into a new STEM action plan for the coming decade, which "
            "it aims to present to the Flemish Government by the end of the year. In STEMnet a "
            "consultation like this can also run online: participants post ideas and vote on "
            "their feasibility."
        ),
    },
    {
        "slug": "congres-duurzame-stem-netwerken-neteland",
        "publish_at": _at(2024, 4, 18),
        "title_nl": "Congres op 16 mei: waarom STEM duurzame netwerken nodig heeft",
        "title_en": "Congress on 16 May: why STEM needs lasting networks",
        "summary_nl": (
            "STEM-Neteland nodigt beleidsmakers, leerkrachten, bedrijven en jeugdwerk uit op een "
            "studievoormiddag over structurele samenwerking rond STEM."
        ),
        "summary_en": (
            "STEM-Neteland invites policy makers, teachers, companies and youth workers to a "
            "morning conference on structural collaboration around STEM."
        ),
        "body_nl": (
            "Losse projecten zijn niet genoeg om meer jongeren voor STEM te winnen, vindt het "
            "intergemeentelijke partnerschap STEM-Neteland. Op donderdag 16 mei 2024 organiseert "
            "het daarom het congres ‘De nood aan duurzame netwerken voor onze STEM-ambities’.\n\n"
            "Neteland bouwde met steun van VLAIO een vast netwerk uit waarin scholen, "
            "kennisinstellingen en bedrijven geregeld samenwerken aan workshops rond "
            "maatschappelijke uitdagingen. Zo bereikt het partnerschap meer dan 70% van de "
            "leerlingen in de regio. Op het congres deelt het wat daarbij werkt.\n\n"
            "De voormiddag richt zich op leerkrachten van de derde graad lager en de eerste en "
            "tweede graad secundair, STEM-organisaties, bedrijven, jeugdorganisaties en lokale en "
            "Vlaamse beleidsmakers. Op een infomarkt stellen ook andere partnerschappen zich voor. "
            "In dit verkiezingsjaar hopen de organisatoren dat andere regio’s het voorbeeld volgen."
        ),
        "body_en": (
            "One-off projects are not enough to win more young people for STEM, says the "
            "intermunicipal partnership STEM-Neteland. On Thursday 16 May 2024 it therefore hosts "
            "the congress ‘The need for lasting networks for our STEM ambitions’.\n\n"
            "With support from VLAIO, Neteland built a stable network in which schools, knowledge "
            "institutions and companies regularly work together on workshops about societal "
            "challenges. This way the partnership reaches more than 70% of the pupils in its "
            "region. At the congress it shares what makes this work.\n\n"
            "The morning is aimed at teachers of the last years of primary school and the first "
            "years of secondary school, STEM organisations, companies, youth organisations and "
            "local and Flemish policy makers. Other partnerships present themselves at an "
            "information market. In this election year the organisers hope other regions will "
            "follow the example."
        ),
    },
    {
        "slug": "stempact-twintig-scholen-en-peterbedrijven",
        "publish_at": _at(2024, 2, 14),
        "title_nl": "STEMpact koppelt twintig scholen aan een peterbedrijf",
        "title_en": "STEMpact pairs twenty schools with a sponsor company",
        "summary_nl": (
            "Voka begeleidt twintig Vlaamse scholen in een volledig STEM-traject, met een "
            "nulmeting, een peterbedrijf uit de buurt, lerende netwerken en een finale op 29 mei "
            "in Sint-Niklaas."
        ),
        "summary_en": (
            "Voka guides twenty Flemish schools through a complete STEM programme, with a "
            "baseline, a nearby sponsor company, learning networks and a final on 29 May in "
            "Sint-Niklaas."
        ),
        "body_nl": (
            "Met de STEMpact wil Voka, via zijn Excellentiefonds, het STEM-onderwijs in twintig "
            "scholen een stevige duw geven. De scholen komen uit alle onderwijsvormen en uit heel "
            "Vlaanderen.\n\n"
            "Elke school begon met een nulmeting: hoe staat het met het leerplan, de didactiek, de "
            "professionalisering van leerkrachten, de evaluatie, de samenwerking met bedrijven, "
            "het leiderschap en de infrastructuur? Op basis daarvan kreeg elke school een "
            "peterbedrijf uit de buurt toegewezen.\n\n"
            "Scholen en peterbedrijven komen samen in drie lerende netwerken: over STEM-projecten "
            "in team, over de professionalisering van leerkrachten en over het bouwen van een "
            "lokaal STEM-ecosysteem, met Neteland als voorbeeld. Daarna werkt elke school een "
            "actieplan uit. Een jury kiest de winnaar van de Voka STEMpact award tijdens de finale "
            "op 29 mei in Sint-Niklaas."
        ),
        "body_en": (
            "With the STEMpact, Voka uses its Excellence Fund to give STEM teaching in twenty "
            "schools a real boost. The schools come from every type of secondary education and "
            "from all over Flanders.\n\n"
            "Each school started with a baseline measurement: how do the curriculum, teaching "
            "methods, teacher development, assessment, collaboration with companies, leadership "
            "and infrastructure score? Based on the results, each school was paired with a sponsor "
            "company in its area.\n\n"
            "Schools and sponsor companies meet in three learning networks: on STEM projects as a "
            "team, on teacher development, and on building a local STEM ecosystem, with Neteland "
            "as the example. Each school then completes an action plan. A jury picks the winner of "
            "the Voka STEMpact award at the final on 29 May in Sint-Niklaas."
        ),
    },
    {
        "slug": "netwerkmoment-stem-academies-2024",
        "publish_at": _at(2024, 9, 27),
        "title_nl": "Netwerkmoment voor STEM-academies: leren van elkaar in Mechelen",
        "title_en": "Network evening for STEM academies: learning from each other in Mechelen",
        "summary_nl": (
            "Op 24 september 2024 ontmoetten STEM-academies elkaar bij WiWeTeR Thomas More op "
            "campus Kruidtuin in Mechelen, met praktijkverhalen, rondetafels en een bezoek aan "
            "de STEMhub."
        ),
        "summary_en": (
            "On 24 September 2024 STEM academies met at WiWeTeR Thomas More on the Kruidtuin "
            "campus in Mechelen, with stories from practice, round tables and a visit to the "
            "STEMhub."
        ),
        "body_nl": (
            "Het netwerkmoment stond in het teken van ‘Leren, inspireren, groeien’. De "
            "STEM-gangmakers blikten eerst terug op wat er sinds de vorige netwerkdag gebeurde: "
            "de website stemindevrijetijd.be, het label #stemindevrijetijd voor sociale media en "
            "de UiT-agenda, twee nieuwsbrieven (voor academies en voor ouders) en gratis "
            "train-the-trainersessies over wat STEM is en hoe je een STEM-activiteit ontwerpt. "
            "Ze kondigden ook een VLAIO-aanspreekpunt aan waar bedrijven met STEM-vragen terecht "
            "kunnen en dat hen in contact brengt met academies.\n\n"
            "Twee academies deelden hun ervaring. Ekoli vertelde hoe het kinderen bereikt die "
            "minder vanzelf bij STEM-activiteiten terechtkomen; Skillz vzw legde uit hoe het "
            "vrijwilligers en begeleiders warm maakt en houdt. Aan rondetafels praatten de "
            "deelnemers daarover verder, en bij de foodtruck noteerden de gangmakers wat "
            "academies nodig hebben voor het komende werkjaar.\n\n"
            "De avond eindigde met een rondleiding in de STEMhub van WiWeTeR, met een Fablab, een "
            "I-Lab en een uitleendienst voor STEM-materiaal."
        ),
        "body_en": (
            "The network evening was themed ‘Learn, inspire, grow’. The STEM gangmakers (the "
            "coaches of the academies) first looked back on what happened since the previous "
            "network day: the website stemindevrijetijd.be, the label #stemindevrijetijd for "
            "social media and the UiT calendar, two newsletters (for academies and for parents) "
            "and free train-the-trainer sessions on what STEM is and how to design a STEM "
            "activity. They also announced a VLAIO contact point where companies can bring STEM "
            "questions and be put in touch with academies.\n\n"
            "Two academies shared their experience. Ekoli talked about reaching children who do "
            "not easily find their way to STEM activities; Skillz vzw explained how it motivates "
            "and keeps its volunteers and instructors. Participants continued these conversations "
            "at round tables, and at the food truck the gangmakers noted what academies need for "
            "the coming year.\n\n"
            "The evening ended with a tour of the WiWeTeR STEMhub, with a Fablab, an I-Lab and a "
            "lending service for STEM materials."
        ),
    },
]


def seed_news(rng: random.Random | None = None) -> int:
    """Create or update the demo articles (both languages); return how many there are.

    ``rng`` is accepted for the common seeding interface; the articles themselves are fixed so
    that seeding twice gives the same result.
    """
    for article in ARTICLES:
        values = {key: value for key, value in article.items() if key != "slug"}
        values["is_demo"] = True
        NewsArticle.objects.update_or_create(slug=article["slug"], defaults=values)
    return len(ARTICLES)
