"""The API against its committed OpenAPI document, by schemathesis (issue 13).

For each operation of ``docs/openapi.json`` schemathesis generates requests, valid and
invalid, and checks each answer: never a server error, the status code and the body as the
document declares them, the content type. The run is bounded (``MAX_EXAMPLES`` per
operation, derandomised) so it costs the same every time; the app runs in this process
through its WSGI handler, on the test database, with a token that may do everything.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from stemnet.agenda import services as agenda_services
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.funding.tests.factories import coordinator_of
from stemnet.organisations.tests.factories import OrganisationFactory

MAX_EXAMPLES = 20
# What the answers must satisfy. Not checked: that every schema-valid request is accepted
# (``positive_data_acceptance``): some rules span fields (a radius needs a postcode) and an
# OpenAPI document cannot say so; those answer 422 with the reason, as tested in each app.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROOT = Path(__file__).resolve().parents[3]

schema = schemathesis.openapi.from_path(ROOT / "docs" / "openapi.json")
schema.app = WSGIHandler()


@pytest.fixture
def api_world(db):
    """Rows for the generated requests to meet, and a token that may do everything."""
    organisation = OrganisationFactory(name="STEM-academie Schema")
    coordinator = coordinator_of(organisation)
    ActivityFactory.create_batch(3, organiser=organisation)
    key = agenda_services.api_token_create(
        organisation=organisation, actor=coordinator, name="schemathesis"
    ).key
    # As Django's test client does: a request must not close the test's connection (it
    # holds the test's transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {key}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, api_world):
    cache.clear()  # rate limits must not turn the generated requests into 429s
    savepoint = transaction.savepoint()  # on PostgreSQL an error would end the transaction
    try:
        case.call_and_validate(headers=api_world, checks=CHECKS)
    finally:
        transaction.savepoint_rollback(savepoint)
