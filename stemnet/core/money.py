"""Money in one format everywhere: "€ 308.500,00" on Dutch pages, "€ 308,500.00" on English
ones. Pages use the ``amount`` filter (``{% load money %}``: ``€ {{ x|amount }}``), services
and exports ``format_amount``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import numberformat, translation

# Spreadsheets keep amounts as numbers; this format shows them as euros with two decimals in
# the reader's own separators (Dutch Excel: € 308.500,00).
XLSX_EURO_FORMAT = '"€" #,##0.00'
SEPARATORS = {"nl": (",", "."), "en": (".", ",")}  # (decimal, thousands)


def format_amount(value, language: str | None = None) -> str:
    """Two decimals with thousands grouped in the language's style; '' for no value."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return str(value)
    language = (language or translation.get_language() or "nl")[:2]
    decimal_sep, thousand_sep = SEPARATORS.get(language, SEPARATORS["nl"])
    return numberformat.format(
        number,
        decimal_sep,
        decimal_pos=2,
        grouping=3,
        thousand_sep=thousand_sep,
        force_grouping=True,
    )


def format_euro(value, language: str | None = None) -> str:
    amount = format_amount(value, language)
    return f"€ {amount}" if amount else ""
