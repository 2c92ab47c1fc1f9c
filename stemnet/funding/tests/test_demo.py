"""The demo rounds give VLAIO's 2020 figures through the public API."""

import random
from collections import Counter

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
    assert academy["demo"] is True and partnership["demo"] is True  # marked in the API
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


def test_the_open_round_has_enough_applications_for_the_funding_line(client, monkeypatch):
    from stemnet.accounts.demo import seed as seed_accounts
    from stemnet.funding import services
    from stemnet.scoring import selectors as scoring

    monkeypatch.setattr(services, "reach_figures", lambda **kwargs: {})
    _demo_organisations()
    # The organisations the demo logins belong to (accounts demo).
    for name in (
        "VLAIO",
        "WiWeTeR Thomas More",
        "Demo-basisschool De Regenboog",
        "Tandwiel Techniek (demo)",
        "Neteland STEM-land",
    ):
        if not Organisation.objects.filter(name=name).exists():
            OrganisationFactory(name=name, is_demo=True)
    seed_accounts(random.Random(1))
    demo.seed(random.Random("2020-funding"))
    open_round = Round.objects.open().get(is_demo=True)
    applications = Application.objects.filter(round=open_round)
    statuses = Counter(applications.values_list("status", flat=True))
    assert statuses == {"in_review": 5, "submitted": 1, "ineligible": 1}
    assert all(a.title.endswith("(demo)") for a in applications)
    # Complete: each of them could be approved (no gap such as a missing attachment).
    assert all(services.application_check(a) == [] for a in applications)
    in_review = applications.filter(status=Application.Status.IN_REVIEW)
    assert sum(a.requested_amount for a in in_review) == 51000 > open_round.budget == 40000
    budget, amount_for = scoring.budget_for(open_round.panel)
    rows = scoring.consensus(open_round.panel, budget=budget, amount_for=amount_for)
    ranked = [r for r in rows if r.rank is not None]
    assert [r.above_line for r in ranked] == [True, True, True, False]
    assert [r.cumulative for r in ranked] == [13500, 25500, 36000, 45000]
