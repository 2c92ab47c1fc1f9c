"""Reading an uploaded CSV or XLSX file into rows of text (one dict per spreadsheet row)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from stemnet.agenda.importing.columns import COLUMN_NAMES, REQUIRED_COLUMNS
from stemnet.core.tabular import Table, read_csv, read_xlsx

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024


def _read_xlsx(content: bytes) -> list[list[str]]:
    # Stop early on absurd sheets: the limits are checked on what was read.
    return read_xlsx(content, max_cols=len(COLUMN_NAMES) + 30, max_rows=MAX_ROWS + 1000)


def read_rows(name: str, content: bytes) -> tuple[Table, list[str]]:
    """The data rows of a file as ``{"row": n, "values": {column: text}}``, and ignored columns.

    The rows' ``notes`` say how the file was read (an encoding other than UTF-8).

    Raises ValidationError for a problem with the file as a whole.
    """
    if len(content) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB. Split it into smaller files."))
    lower = (name or "").lower()
    if lower.endswith(".csv"):
        table = read_csv(content)
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
    rows = Table(notes=table.notes)
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
