"""Decisions: the appeal route the round states, no approval of an incomplete file, and an
error never loses what the officer typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stemnet.funding import documents, services
from stemnet.funding.models import Application
from stemnet.funding.tests.factories import (
    ApplicationFactory,
    RoundFactory,
    in_review,
    officer,
)

pytestmark = pytest.mark.django_db
MOTIVATION = "Sterk plan; de begroting is realistisch en het bereik van meisjes is ambitieus."


def _with_missing_attachment(staff):
    """In review, then the round asks for an attachment the application does not have."""
    application = in_review(ApplicationFactory(), officer_user=staff)
    round = application.round
    round.required_attachments = ["Activiteitenplan"]
    round.save(update_fields=["required_attachments"])
    return application


def test_no_decision_while_the_round_states_no_appeal_route():
    staff = officer()
    application = in_review(
        ApplicationFactory(round=RoundFactory(appeal_nl="")), officer_user=staff
    )
    with pytest.raises(ValidationError) as error:
        services.decision_record(application=application, recognised=False, amount=0, actor=staff)
    assert error.value.code == "no_appeal"
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW


def test_the_letter_states_the_rounds_appeal_route():
    staff = officer()
    round = RoundFactory(
        appeal_nl="Beroep bij de testinstantie, Teststraat 1, binnen 30 dagen.",
        appeal_en="Appeal to the test body, Teststraat 1, within 30 days.",
    )
    application = in_review(ApplicationFactory(round=round), officer_user=staff)
    services.decision_record(application=application, recognised=True, amount=1000, actor=staff)
    assert "Beroep bij de testinstantie, Teststraat 1, binnen 30 dagen." in (
        documents.decision_letter_html(application, "nl")
    )
    assert "Appeal to the test body" in documents.decision_letter_html(application, "en")


def test_no_approval_while_an_attachment_is_missing():
    staff = officer()
    application = _with_missing_attachment(staff)
    with pytest.raises(ValidationError) as error:
        services.decision_record(application=application, recognised=True, amount=1000, actor=staff)
    assert "De bijlage “Activiteitenplan” ontbreekt." in error.value.messages
    assert not Application.objects.filter(pk=application.pk, decision__isnull=False).exists()
    # An application in review cannot go back to the applicant: "not approved" stays possible.
    services.decision_record(
        application=application, recognised=False, amount=0, reason="Onvolledig.", actor=staff
    )
    assert application.decision.recognised is False


def test_the_view_refuses_an_incomplete_approval_with_the_list(client):
    staff = officer()
    application = _with_missing_attachment(staff)
    client.force_login(staff)
    response = client.post(
        reverse("funding:manage_decide", args=[application.pk]),
        {"recognised": "1", "amount": "1000", "reason": MOTIVATION},
    )
    assert response.status_code == 422
    assert "De bijlage “Activiteitenplan” ontbreekt." in response.content.decode()
    assert MOTIVATION in response.content.decode()
    assert not hasattr(Application.objects.get(pk=application.pk), "decision")


def test_a_decision_error_keeps_the_typed_motivation(client):
    staff = officer()
    application = in_review(ApplicationFactory(), officer_user=staff)
    client.force_login(staff)
    response = client.post(
        reverse("funding:manage_decide", args=[application.pk]),
        {"recognised": "0", "amount": "400", "reason": MOTIVATION},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Een aanvraag die niet goedgekeurd is, krijgt geen geld." in page
    assert MOTIVATION in page
    assert 'value="400' in page


def test_pages_letter_and_messages_show_money_in_one_format(client):
    staff = officer()
    round = RoundFactory(budget=308500, max_per_application=30000)
    application = in_review(
        ApplicationFactory(round=round, requested_amount=12500), officer_user=staff
    )
    client.force_login(staff)
    rounds_page = client.get(reverse("funding:manage_rounds")).content.decode()
    assert "€ 308.500,00" in rounds_page
    response = client.post(
        reverse("funding:manage_decide", args=[application.pk]),
        {"recognised": "1", "amount": "12000", "reason": ""},
    )
    assert response.status_code == 302
    letter = documents.decision_letter_html(application, "nl")
    assert "€ 12.000,00" in letter
    assert "€ 12,000.00" in documents.decision_letter_html(application, "en")
    page = client.get(reverse("funding:manage_round", args=[round.pk])).content.decode()
    assert "€ 296.500,00" in page  # left
