"""One active application per organisation and round: a constraint, and a friendly answer to
the second click on "apply" (a double click made 11 duplicates in 15 tries)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from stemnet.funding import services
from stemnet.funding.models import Application
from stemnet.funding.tests.factories import ApplicationFactory, RoundFactory, coordinator_of
from stemnet.organisations.tests.factories import OrganisationFactory


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_application():
    first = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(round=first.round, organisation=first.organisation)
    Application.objects.filter(pk=first.pk).update(status=Application.Status.WITHDRAWN)
    again = Application.objects.create(round=first.round, organisation=first.organisation)
    assert again.pk != first.pk  # a withdrawn application does not count


@pytest.mark.django_db
def test_a_second_click_opens_the_existing_application(client):
    round = RoundFactory()
    organisation = OrganisationFactory()
    client.force_login(coordinator_of(organisation))
    url = reverse("funding:application_start", args=[round.pk])
    first = client.post(url, {"organisation": organisation.pk})
    second = client.post(url, {"organisation": organisation.pk}, follow=True)
    application = Application.objects.get(round=round, organisation=organisation)
    assert first["Location"] == reverse("funding:application_edit", args=[application.pk])
    assert second.redirect_chain[0][0] == first["Location"]
    assert "heeft deze aanvraag al" in second.content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_clicks_make_one_application(reference_data):
    """Two writers at once, each with its own connection: exactly one application; the other
    gets the duplicate message (PostgreSQL; SQLite serialises writers anyway)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: SQLite serialises them (IMMEDIATE transactions)")
    round = RoundFactory()
    organisation = OrganisationFactory()
    actor = coordinator_of(organisation)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def apply():
        from django.db import connections

        try:
            start.wait()
            services.application_create(round=round, organisation=organisation, actor=actor)
            outcomes.append("created")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    for _ in range(5):
        Application.objects.filter(round=round).delete()
        outcomes.clear()
        threads = [threading.Thread(target=apply) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["created", "duplicate"]
        assert Application.objects.filter(round=round, organisation=organisation).count() == 1
