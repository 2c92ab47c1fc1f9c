"""The demo rounds give VLAIO's 2020 figures through the public API."""

import random

import pytest

from stemnet.funding import demo
from stemnet.funding.models import Application, Round, Tranche
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _demo_organisations():
    for i in range(81):
        OrganisationFactory(name=f"STEM-academie Demo {i:02d}", is_demo=True)
    OrganisationFactory(name=demo.OPEN_COORDINATOR_ORG, is_demo=True)
    for name in demo.PARTNERSHIP_AMOUNTS:
        OrganisationFactory(name=name, type=Organisation.Type.PARTNERSHIP, is_demo=True)


def test_demo_rounds_in_the_public_api(client, monkeypatch):
    # Grants prefill their reports from reach (tested in test_services); the totals do not
    # need it and the 60 reach summaries would make this test slow.
    from stemnet.funding import services

    monkeypatch.setattr(services, "reach_figures", lambda **kwargs: {})
    _demo_organisations()
    demo.seed(random.Random("2020-funding"))
    demo.seed(random.Random("2020-funding"))  # idempotent
    results = {r["type"]: r for r in client.get("/api/v1/funding/rounds").json()}
    academy, partnership = results["academy"], results["partnership"]
    assert (academy["recognised"], academy["funded"], academy["granted_total"]) == (
        78,
        39,
        "308500.00",
    )
    assert (partnership["funded"], partnership["granted_total"]) == (7, "2005000.00")
    assert Tranche.objects.filter(grant__application__round_id=partnership["id"]).count() == 21
    open_round = Round.objects.open().get(is_demo=True)
    assert open_round.panel.criteria.count() == 4
    assert not Application.objects.filter(
        round=open_round, organisation__name=demo.OPEN_COORDINATOR_ORG
    ).exists()
