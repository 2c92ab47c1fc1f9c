"""Demo consultation and needs survey (DEMO DATA ONLY).

The consultation follows VLAIO's workshop "Laat je STEM horen!" (seed 002: 1 October 2020,
Lamot in Mechelen, more than 60 stakeholders, four challenges). The ideas, names and votes
are invented and say "demo". The needs survey offers the train-the-trainer sessions the
STEM-gangmakers announced at the network moment of 24 September 2024 (seed 000); the
answers of the demo academies are invented.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from stemnet.organisations.models import Organisation
from stemnet.participation import services
from stemnet.participation.models import Consultation, Participant, Survey, Vote

BRUSSELS = ZoneInfo("Europe/Brussels")

# The four challenges named in VLAIO's report of the workshop (seed 002).
THEMES = [
    "Doelgericht sensibiliseren en communiceren",
    "STEM in de vrijetijdsbesteding",
    "De instroom vergroten: leerlingen en lesgevers",
    "Het lesaanbod en een STEM-loopbaan aantrekkelijk maken",
]

# Invented demo ideas, per theme.
IDEAS = [
    [
        (
            "Demo: STEM-rolmodellen op sociale media",
            "Jonge ingenieurs en technici vertellen elke week in een korte video wat ze doen.",
        ),
        (
            "Demo: één herkenbaar label voor STEM-activiteiten",
            "Alle organisatoren gebruiken hetzelfde label, zodat ouders het aanbod herkennen.",
        ),
    ],
    [
        (
            "Demo: STEM-kampen in elke gemeente",
            "Lokale besturen en academies plannen samen minstens één kamp per schoolvakantie.",
        ),
        (
            "Demo: uitleendienst voor STEM-materiaal",
            "Jeugdbewegingen lenen robots en meetkits voor hun activiteiten.",
        ),
        (
            "Demo: maakplaatsen open op woensdagnamiddag",
            "Fablabs openen hun deuren voor kinderen met begeleiding.",
        ),
    ],
    [
        (
            "Demo: zij-instromers sneller voor de klas",
            "Mensen uit bedrijven geven deeltijds les met een korte didactische opleiding.",
        ),
        (
            "Demo: bedrijfsbezoeken voor leerkrachten",
            "Leerkrachten zien hoe STEM in bedrijven gebruikt wordt.",
        ),
    ],
    [
        (
            "Demo: loopbaandag met bedrijven en hogescholen",
            "Leerlingen van de tweede graad ontdekken STEM-beroepen in de praktijk.",
        ),
        (
            "Demo: projecten met echte maatschappelijke vragen",
            "Klimaat, digitalisering en vergrijzing als vertrekpunt voor lessen.",
        ),
    ],
]

# 60 demo participants spread over stakeholder groups (invented).
GROUPS = (
    ["knowledge_institution"] * 14
    + ["company"] * 14
    + ["local_government"] * 10
    + ["academy"] * 8
    + ["school"] * 8
    + ["citizen"] * 6
)
# Each group leans a little differently, so that the results differ per group.
LEAN = {
    "knowledge_institution": 0.2,
    "company": 0.4,
    "local_government": -0.3,
    "academy": 0.3,
    "school": -0.2,
    "citizen": 0.0,
}

TRAINING_TOPICS = [
    "Basissessie: wat is STEM?",
    "Ontwerpsessie: hoe STEM-activiteiten ontwerpen?",
    "Begeleidingssessie met intervisie",
    "Inclusie en het bereiken van doelgroepen",
    "Medewerkers, vrijwilligers en animatoren engageren",
]


def clear() -> None:
    Consultation.objects.filter(is_demo=True).delete()
    Survey.objects.filter(is_demo=True).delete()


def _workshop() -> Consultation:
    day = dt.date(2020, 10, 1)
    at = lambda h: dt.datetime(day.year, day.month, day.day, h, tzinfo=BRUSSELS)  # noqa: E731
    consultation = services.consultation_create(
        title="Demo: Laat je STEM horen! Workshop voor een nieuw STEM-actieplan",
        description=(
            "Demo op basis van de workshop die VLAIO op 1 oktober 2020 in Lamot in Mechelen "
            "organiseerde met meer dan 60 belanghebbenden (kennisinstellingen, bedrijven, "
            "overheid en burgers). De ideeën, namen en stemmen hier zijn verzonnen."
        ),
        ideas_from=at(9),
        ideas_until=at(12),
        voting_from=at(13),
        voting_until=at(16),
        results_from=at(16),
        themes=THEMES,
        is_listed=True,
        is_demo=True,
    )
    return consultation


def _ideas(rng: random.Random, consultation: Consultation) -> int:
    participants = [
        Participant(
            consultation=consultation, name=f"Demo deelnemer {i + 1}", group=group, is_demo=True
        )
        for i, group in enumerate(GROUPS)
    ]
    Participant.objects.bulk_create(participants)
    participants = list(consultation.participants.order_by("pk"))
    ideas = []
    # The idea phase lies in 2020: write the ideas as the services would, then the votes.
    from stemnet.participation.models import Idea, IdeaVersion

    for theme, theme_ideas in zip(consultation.themes.order_by("position"), IDEAS, strict=True):
        for title, text in theme_ideas:
            idea = Idea.objects.create(
                theme=theme, author=rng.choice(participants), title=title, text=text
            )
            IdeaVersion.objects.create(idea=idea, number=1, title=title, text=text)
            ideas.append((idea, rng.uniform(2.0, 4.2)))
    votes = []
    for participant in participants:
        for idea, base in ideas:
            if rng.random() < 0.85:
                score = round(base + LEAN[participant.group] + rng.gauss(0, 0.9))
                votes.append(Vote(idea=idea, participant=participant, score=min(5, max(1, score))))
    Vote.objects.bulk_create(votes)
    return len(votes)


def _survey(rng: random.Random) -> Survey:
    now = timezone.now()
    survey = services.survey_create(
        title="Demo: noden van STEM-academies voor het komende werkjaar",
        intro=(
            "Demo. Op het netwerkmoment van 24 september 2024 werden de noden van de "
            "STEM-academies gecapteerd; deze demobevraging vraagt ze opnieuw."
        ),
        opens_at=now - dt.timedelta(days=7),
        closes_at=now + dt.timedelta(days=60),
        questions=[
            {
                "text": "Welke opleidingen wil je academie volgen?",
                "kind": "choices",
                "options": TRAINING_TOPICS,
                "is_training_topic": True,
            },
            {"text": "Wat heeft je academie nog nodig?", "kind": "text"},
        ],
        is_demo=True,
    )
    question = survey.questions.first()
    academies = Organisation.objects.filter(type=Organisation.Type.ACADEMY, is_demo=True)
    for academy in academies.order_by("pk")[:12]:
        chosen = rng.sample(TRAINING_TOPICS, rng.randint(1, 3))
        services.response_submit(
            survey=survey,
            organisation=academy,
            respondent=None,
            answers={question.pk: chosen},
            is_demo=True,
        )
    return survey


def seed(rng: random.Random) -> str:
    with transaction.atomic():
        clear()
        consultation = _workshop()
        votes = _ideas(rng, consultation)
        survey = _survey(rng)
    return f"1 consultation, {votes} votes; survey with {survey.responses.count()} answers"
