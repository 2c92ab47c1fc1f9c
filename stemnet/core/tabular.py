"""Tables in and out: reading an uploaded CSV or XLSX file into text cells (every importer)
and writing rows to CSV or XLSX files that a spreadsheet cannot mistake for formulas (every
export)."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal, InvalidOperation

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


# A valid multi-byte UTF-8 sequence. A Windows-1252 file practically never holds one, so a
# file that fails as UTF-8 but holds these is UTF-8 with stray bytes: reading it as
# Windows-1252 would garble every accent in it (and, say, create duplicate academies).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# The largest whole number every supported database stores in a positive integer column.
MAX_WHOLE = 2_147_483_647


class Table(list):
    """Rows of text cells; ``notes`` say how the file was read (e.g. its encoding)."""

    notes: list[str]

    def __init__(self, rows=(), notes=None):
        super().__init__(rows)
        self.notes = list(notes or [])


def _line_of(content: bytes, position: int) -> int:
    return content.count(b"\n", 0, position) + 1


def decode(content: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was read with.

    UTF-8 (with or without BOM); UTF-16 with its BOM; Windows-1252 (as Excel writes CSV on
    Windows) only when the file holds no UTF-8 and every byte is a Windows-1252 character.
    Anything else raises ValidationError naming the line of the first bad byte.
    """
    if content.startswith(UTF16_BOMS):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ValidationError(
                _("The file starts as UTF-16 text but is damaged. Save it again as CSV UTF-8."),
                code="encoding",
            ) from None
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if not _UTF8_SEQUENCE.search(content):
        try:
            return content.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    raise ValidationError(
        _(
            "Line %(line)s holds a character that is not valid UTF-8, so the file cannot be "
            "read without garbling its accents. Save the file as “CSV UTF-8” and upload it "
            "again."
        )
        % {"line": _line_of(content, first_bad)},
        code="encoding",
    )


def encoding_note(encoding: str) -> str:
    """What to tell the user about an encoding other than UTF-8 ("" for UTF-8)."""
    if encoding == "cp1252":
        return _(
            "The file was not saved as UTF-8; it was read as Windows-1252 (Excel's CSV on "
            "Windows). Check that accented letters look right."
        )
    return ""


def read_csv(content: bytes) -> Table:
    """Rows of a CSV file whose delimiter (``;``, ``,`` or tab) is found from its header."""
    text, encoding = decode(content)
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=";,\t").delimiter
    except csv.Error:
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    note = encoding_note(encoding)
    return Table(([c.strip() for c in row] for row in reader), notes=[note] if note else [])


def whole_number(text: str, *, minimum: int = 0, maximum: int = MAX_WHOLE) -> int:
    """A cell's whole number within bounds; ``ValueError`` with the reason otherwise.

    Accepts ``12``, ``12,0`` and ``12.0`` (a spreadsheet's float); refuses ``Infinity``,
    ``NaN``, ``1e308`` and anything outside ``minimum``-``maximum`` before it reaches the
    database (where it would overflow).
    """
    text = (text or "").strip()
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text}) from None
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a finite number.") % {"value": text})
    if not minimum <= number <= maximum:
        raise ValueError(
            _("The number must lie between %(min)s and %(max)s.") % {"min": minimum, "max": maximum}
        )
    if number != number.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": text})
    return int(number)


def read_xlsx(content: bytes, *, max_cols: int, max_rows: int) -> Table:
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
        table = Table()
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
