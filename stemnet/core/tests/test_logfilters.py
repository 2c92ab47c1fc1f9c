"""A 403 is logged as one line, not with a full traceback."""

import io
import logging

import pytest
from django.urls import reverse

from stemnet import settings as production_settings
from stemnet.accounts.tests.factories import UserFactory
from stemnet.core.logfilters import OneLineForbidden


def test_the_production_logging_uses_the_filter():
    config = production_settings.LOGGING
    assert (
        config["filters"]["one_line_forbidden"]["()"] == "stemnet.core.logfilters.OneLineForbidden"
    )
    assert "one_line_forbidden" in config["loggers"]["django.request"]["filters"]


@pytest.mark.django_db
def test_a_refused_request_is_one_line_in_the_log(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("django.request")
    one_line = OneLineForbidden()
    logger.addHandler(handler)
    try:
        client.force_login(UserFactory())
        assert client.get(reverse("reach:dashboard")).status_code == 403
        with_traceback = stream.getvalue()
        stream.seek(0)
        stream.truncate()
        logger.addFilter(one_line)
        assert client.get(reverse("reach:dashboard")).status_code == 403
    finally:
        logger.removeHandler(handler)
        logger.removeFilter(one_line)
    assert "Traceback" in with_traceback  # what it looked like without the filter
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Forbidden"), lines
