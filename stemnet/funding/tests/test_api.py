import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from stemnet.funding import services
from stemnet.funding.models import Application
from stemnet.funding.tests.factories import ApplicationFactory, RoundFactory, officer

pytestmark = pytest.mark.django_db


def test_rounds_results_only_closed_rounds(client):
    staff = officer()
    closed = RoundFactory(
        title_nl="Oproep 2020",
        year=2020,
        budget=Decimal("500000"),
        max_per_application=Decimal("30000"),
        opens_at=timezone.now() - dt.timedelta(days=60),
        closes_at=timezone.now() - dt.timedelta(days=30),
    )
    RoundFactory(title_nl="Nog open")
    amounts = [("1500.50", True), ("0", True), ("0", False)]
    for amount, recognised in amounts:
        application = ApplicationFactory(
            round=closed, requested_amount=Decimal("2000"), status=Application.Status.IN_REVIEW
        )
        services.decision_record(
            application=application, recognised=recognised, amount=amount, actor=staff
        )
    ApplicationFactory(round=closed)  # a draft does not count
    ApplicationFactory(round=closed, status=Application.Status.INELIGIBLE)
    response = client.get("/api/v1/funding/rounds")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": closed.pk,
            "title": "Oproep 2020",
            "type": "academy",
            "year": 2020,
            "budget": "500000.00",
            "applications": 4,
            "recognised": 2,
            "funded": 1,
            "granted_total": "1500.50",
            "demo": False,
        }
    ]
