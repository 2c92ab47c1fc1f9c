"""Reading an uploaded CSV or XLSX file into rows of text (one dict per spreadsheet row)."""

import csv
import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stemnet.agenda.importing.columns import COLUMN_NAMES, REQUIRED_COLUMNS

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _read_csv(content: bytes) -> list[list[str]]:
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first_line, delimiters=";,\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[c.strip() for c in row] for row in reader]


def _read_xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(
            _("This is not a readable Excel (.xlsx) file. Save it again as .xlsx or as CSV."),
            code="bad_file",
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        table = []
        # Stop early on absurd sheets: the limits are checked on what was read.
        max_col = len(COLUMN_NAMES) + 30
        for row in sheet.iter_rows(values_only=True, max_col=max_col):
            table.append([_cell(v) for v in row])
            if len(table) > MAX_ROWS + 1000:
                break
        return table
    finally:
        workbook.close()


def read_rows(name: str, content: bytes) -> tuple[list[dict], list[str]]:
    """The data rows of a file as ``{"row": n, "values": {column: text}}``, and ignored columns.

    Raises ValidationError for a problem with the file as a whole.
    """
    if len(content) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB. Split it into smaller files."))
    lower = (name or "").lower()
    if lower.endswith(".csv"):
        table = _read_csv(content)
    elif lower.endswith(".xlsx"):
        table = _read_xlsx(content)
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    if not table or not any(table[0]):
        raise ValidationError(_("The file is empty: the first row must hold the column names."))
    header = [h.strip().lower().lstrip("\ufeff") for h in table[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            _("These columns are missing in the first row: %(columns)s. Use the template.")
            % {"columns": ", ".join(missing)}
        )
    positions = {c: header.index(c) for c in COLUMN_NAMES if c in header}
    ignored = [h for h in header if h and h not in COLUMN_NAMES]
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        if not any((c or "").strip() for c in raw):
            continue
        values = {c: (raw[i] if i < len(raw) else "").strip() for c, i in positions.items()}
        rows.append({"row": number, "values": values})
    if not rows:
        raise ValidationError(_("The file has column names but no rows of activities."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("The file has %(n)s rows; import at most %(max)s at a time.")
            % {"n": len(rows), "max": MAX_ROWS}
        )
    return rows, ignored
