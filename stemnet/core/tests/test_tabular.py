"""Every export writes cells through one helper that a spreadsheet cannot read as a formula."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from stemnet.core import tabular

FORMULAS = [
    '=HYPERLINK("http://evil.example","klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_run_gets_a_quote(text):
    assert tabular.neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        -5,
        -2.5,
        Decimal("-12.50"),
        0,
        3,
        None,
        "",
        "STEM in elke wijk",
        "a=b",
        "e-mail",
        dt.date(2026, 1, 2),
        dt.datetime(2026, 1, 2, 3, 4),
    ],
)
def test_numbers_dates_and_plain_text_stay_as_they_are(value):
    assert tabular.neutralise(value) == value
    assert type(tabular.neutralise(value)) is type(value)


def test_lazy_text_is_checked_too():
    assert tabular.neutralise(gettext_lazy("=1+1")) == "'=1+1"


def test_csv_bytes_neutralises_text_and_keeps_numbers():
    content = tabular.csv_bytes([["Naam", "Getal"], ["=1+1", -5], [None, 2.5]])
    assert content.startswith("\ufeff".encode())
    assert content.decode("utf-8-sig").splitlines() == ["Naam;Getal", "'=1+1;-5", ";2.5"]


def test_sheet_append_never_writes_a_formula():
    book = Workbook()
    tabular.sheet_append(book.active, ["=1+1", -5, "@x"])
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())
    assert [c.data_type for c in row] == ["s", "n", "s"]
    assert [c.value for c in row] == ["'=1+1", -5, "'@x"]
