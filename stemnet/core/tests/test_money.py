"""Money in one format: "€ 308.500,00" in Dutch, "€ 308,500.00" in English."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from stemnet.core.money import format_amount, format_euro


@pytest.mark.parametrize(
    "value,nl,en",
    [
        (Decimal("308500"), "308.500,00", "308,500.00"),
        (Decimal("2005000.5"), "2.005.000,50", "2,005,000.50"),
        (Decimal("0"), "0,00", "0.00"),
        (1500, "1.500,00", "1,500.00"),
        (Decimal("-1234.5"), "-1.234,50", "-1,234.50"),
    ],
)
def test_format_amount(value, nl, en):
    assert format_amount(value, "nl") == nl
    assert format_amount(value, "en") == en
    assert format_euro(value, "nl") == f"€ {nl}"


def test_no_value_is_empty():
    assert format_amount(None) == "" and format_euro("") == ""


def test_template_filter_follows_the_page_language():
    template = Template("{% load money %}€ {{ x|amount }} · {{ x|euro }}")
    with translation.override("nl"):
        assert template.render(Context({"x": Decimal("308500")})) == "€ 308.500,00 · € 308.500,00"
    with translation.override("en"):
        assert template.render(Context({"x": Decimal("308500")})) == "€ 308,500.00 · € 308,500.00"
