import random

import pytest

from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.participation import demo, selectors
from stemnet.participation.models import Consultation, Participant, Survey

pytestmark = pytest.mark.django_db


def test_demo_workshop_is_rebuilt_identically_and_says_demo():
    for _ in range(3):
        OrganisationFactory(is_demo=True, type=Organisation.Type.ACADEMY)

    def snapshot():
        c = Consultation.objects.get(is_demo=True)
        return [(r.idea.title, r.total.scores) for r in selectors.consultation_results(c)]

    demo.seed(random.Random("2020-participation"))
    first = snapshot()
    demo.seed(random.Random("2020-participation"))
    assert snapshot() == first
    c = Consultation.objects.get()
    assert "Demo" in c.title and c.results_public() and not c.voting_open()
    assert [t.title for t in c.themes.all()] == demo.THEMES
    assert Participant.objects.filter(consultation=c, is_demo=True).count() == 60
    survey = Survey.objects.get()
    assert survey.is_demo and survey.is_open() and survey.responses.count() == 3
    assert selectors.training_topics_wanted()
