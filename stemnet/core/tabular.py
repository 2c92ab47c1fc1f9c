"""Reading an uploaded CSV or XLSX file into a table of text cells (used by every importer)."""

import csv
import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def cell(value) -> str:
    """A spreadsheet value as the text a person would have typed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel writes it on Windows."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def read_csv(content: bytes) -> list[list[str]]:
    """Rows of a CSV file whose delimiter (``;``, ``,`` or tab) is found from its header."""
    text = decode(content)
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[c.strip() for c in row] for row in reader]


def read_xlsx(content: bytes, *, max_cols: int, max_rows: int) -> list[list[str]]:
    """Rows of the first sheet; reading stops past ``max_rows`` (the caller reports it)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(
            _("This is not a readable Excel (.xlsx) file. Save it again as .xlsx or as CSV."),
            code="bad_file",
        ) from exc
    try:
        table = []
        for row in workbook.worksheets[0].iter_rows(values_only=True, max_col=max_cols):
            table.append([cell(v) for v in row])
            if len(table) > max_rows:
                break
        return table
    finally:
        workbook.close()
