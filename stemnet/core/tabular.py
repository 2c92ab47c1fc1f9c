"""Tables in and out: reading an uploaded CSV or XLSX file into text cells (every importer)
and writing rows to CSV or XLSX files that a spreadsheet cannot mistake for formulas (every
export)."""

import csv
import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

# A text cell starting with one of these is read as a formula by Excel, LibreOffice or
# Google Sheets (OWASP "CSV injection"): ``=HYPERLINK(...)`` in a project title would run
# on an officer's machine.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


# --- writing ----------------------------------------------------------------------------------


def neutralise(value):
    """``value`` safe for a spreadsheet cell: text that a spreadsheet would read as a formula
    gets a leading single quote (OWASP); numbers, dates and empty cells stay as they are."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [neutralise(v) for v in row]


def csv_bytes(rows, *, delimiter: str = ";", bom: bool = True) -> bytes:
    """``rows`` as a CSV file (UTF-8, with a BOM by default so that Excel shows accents),
    every cell neutralised; ``None`` becomes an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in safe_row(row)])
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def sheet_append(sheet, row) -> None:
    """Append ``row`` to an openpyxl sheet, every cell neutralised (never a formula)."""
    sheet.append(safe_row(row))
