"""Reading reach files: the history CSV and participation uploads (CSV or XLSX).

Only parsing and checking happen here (reads, no writes); ``stemnet.reach.services`` writes.
Every problem is a ``RowError`` with the row number as a spreadsheet shows it (the header is
row 1), the column and the reason in the user's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stemnet.core import tabular
from stemnet.core.tabular import MAX_WHOLE, Table, read_csv, read_xlsx, whole_number
from stemnet.places.models import Municipality
from stemnet.reach.models import AGE_MAX, AGE_MIN, FIRST_YEAR, MERGER_YEAR, Kind

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20000

HISTORY_COLUMNS = [
    "year",
    "organisation",
    "activity",
    "kind",
    "municipality_nis",
    "age_min",
    "age_max",
    "participants",
    "girls",
    "uitpas",
]

# One row is a group of children of one activity (and year) sharing the values given; the
# participation of an activity is the sum of its rows. Only activity_id and participants are
# required; an empty age, residence or target group means "not recorded".
PARTICIPATION_COLUMNS = [
    "activity_id",
    "year",
    "age",
    "residence",
    "target_group",
    "participants",
    "girls",
    "boys",
    "x",
    "attendances",
]
PARTICIPATION_REQUIRED = ["activity_id", "participants"]
# A column as a message to a person names it (the grid has no column names; a Dutch page
# shows no English code); files and the API keep the codes above.
COLUMN_LABELS = {
    "activity_id": gettext_lazy("activity"),
    "year": gettext_lazy("year"),
    "age": gettext_lazy("age"),
    "residence": gettext_lazy("municipality of residence"),
    "target_group": gettext_lazy("target group"),
    "participants": gettext_lazy("participants"),
    "girls": gettext_lazy("girls"),
    "boys": gettext_lazy("boys"),
    "x": gettext_lazy("X"),
    "attendances": gettext_lazy("attendances"),
}


def column_label(column: str) -> str:
    return str(COLUMN_LABELS.get(column, column))


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = _("row %(row)s") % {"row": self.row} if self.row else _("file")
        column = f", {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


class RowProblem(Exception):
    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


def file_content(file) -> tuple[str, bytes]:
    """(name, bytes) of an uploaded file, an open file, a path or a (name, bytes) pair."""
    if isinstance(file, tuple):
        return file[0], file[1]
    if isinstance(file, str):
        with open(file, "rb") as handle:
            return file, handle.read()
    name = getattr(file, "name", "") or ""
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read()
    if isinstance(content, str):
        content = content.encode("utf-8")
    return name, content


def read_table(file, *, columns: list[str], required: list[str], exact: bool = False) -> Table:
    """The data rows as ``[(row_number, {column: text})]``; their ``notes`` say how the file
    was read (an encoding other than UTF-8).

    ``exact``: the header must hold exactly ``columns`` (any order). Raises ValidationError for
    a problem with the file as a whole.
    """
    name, content = file_content(file)
    if len(content) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB. Split it into smaller files."))
    if content[:2] == b"PK" or name.lower().endswith(".xlsx"):
        table = read_xlsx(content, max_cols=len(columns) + 20, max_rows=MAX_ROWS + 10)
    elif name.lower().endswith((".csv", ".txt")) or not name:
        table = read_csv(content)
    else:
        raise ValidationError(_("Upload a .csv or .xlsx file."))
    if not table or not any(table[0]):
        raise ValidationError(_("The file is empty: the first row must hold the column names."))
    header = [h.strip().lower().lstrip("\ufeff") for h in table[0]]
    while header and not header[-1]:
        header.pop()
    missing = [c for c in required if c not in header]
    unexpected = [h for h in header if h not in columns]
    if missing or (exact and unexpected):
        parts = []
        if missing:
            parts.append(_("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        if exact and unexpected:
            parts.append(_("unexpected columns: %(columns)s") % {"columns": ", ".join(unexpected)})
        raise ValidationError(
            _("The first row must hold exactly these columns: %(expected)s (%(problems)s).")
            % {"expected": ",".join(columns), "problems": "; ".join(parts)}
            if exact
            else _("The first row lacks required columns: %(columns)s.")
            % {"columns": ", ".join(missing)},
            code="bad_header",
        )
    if exact and len(set(header)) != len(header):
        raise ValidationError(_("A column name appears twice in the first row."))
    positions = {c: header.index(c) for c in columns if c in header}
    rows = Table(notes=table.notes)
    for number, raw in enumerate(table[1:], start=2):
        if not any((c or "").strip() for c in raw):
            continue
        rows.append(
            (number, {c: (raw[i] if i < len(raw) else "").strip() for c, i in positions.items()})
        )
    if not rows:
        raise ValidationError(_("The file has column names but no data rows."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(
            _("The file has %(n)s rows; import at most %(max)s at a time.")
            % {"n": len(rows), "max": MAX_ROWS}
        )
    return rows


def integer(column: str, text: str, *, required: bool = True, minimum: int = 0) -> int | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise RowProblem(column, _("A number is required."))
        return None
    try:
        # Refuses Infinity, NaN, 1e308 and numbers too large for the database.
        value = whole_number(text, minimum=-MAX_WHOLE, maximum=MAX_WHOLE)
    except ValueError as exc:
        raise RowProblem(column, str(exc)) from None
    if value < minimum:
        raise RowProblem(column, _("The number must be at least %(min)s.") % {"min": minimum})
    return value


def year_value(column: str, text: str, *, required: bool = True) -> int | None:
    value = integer(column, text, required=required)
    if value is None:
        return None
    this_year = dt.date.today().year
    if not FIRST_YEAR <= value <= this_year:
        raise RowProblem(
            column,
            _("The year must lie between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": this_year},
        )
    return value


def age_value(column: str, text: str, *, required: bool = True) -> int | None:
    value = integer(column, text, required=required)
    if value is not None and not AGE_MIN <= value <= AGE_MAX:
        raise RowProblem(
            column,
            _("Ages must lie between %(min)s and %(max)s.") % {"min": AGE_MIN, "max": AGE_MAX},
        )
    return value


def _municipalities_by_code() -> dict[tuple[str, str], Municipality]:
    return {
        (m.nis_code, m.vintage): m
        for m in Municipality.objects.defer("boundary").select_related("province")
    }


def municipality_of_year(
    column: str, nis_code: str, year: int, known: dict | None = None
) -> Municipality:
    """The municipality with this NIS code in the set of ``year`` (2019-2024 codes before 2025)."""
    code = (nis_code or "").strip()
    if not code:
        raise RowProblem(column, _("A NIS code is required."))
    vintage = Municipality.Vintage.V2019 if year < MERGER_YEAR else Municipality.Vintage.V2025
    if known is None:
        known = _municipalities_by_code()
    found = known.get((code, vintage))
    if found is not None:
        return found
    other = next((m for (c, v), m in known.items() if c == code and v != vintage), None)
    if other is not None:
        if year < MERGER_YEAR:
            message = _(
                "NIS code %(code)s (%(name)s) exists only since the 2025 mergers; for %(year)s "
                "use the code of the municipality as it was then (2019-2024)."
            )
        else:
            message = _(
                "NIS code %(code)s (%(name)s) no longer exists since the 2025 mergers; for "
                "%(year)s use the code of the merged municipality."
            )
        raise RowProblem(column, message % {"code": code, "name": other.name_nl, "year": year})
    raise RowProblem(
        column,
        _("Unknown NIS code “%(code)s” for a Flemish or Brussels municipality.") % {"code": code},
    )


@dataclass
class HistoryRow:
    row: int
    year: int
    organisation: str
    activity: str
    kind: str
    municipality: Municipality
    age_min: int
    age_max: int
    participants: int
    girls: int
    uitpas: int


def parse_history(file) -> tuple[list[HistoryRow], list[RowError]]:
    """Parse the history CSV; every bad row is reported (each row once, first problem first)."""
    rows = read_table(file, columns=HISTORY_COLUMNS, required=HISTORY_COLUMNS, exact=True)
    parsed = Table(notes=rows.notes)  # HistoryRow, with how the file was read
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    kinds = {value for value, _label in Kind.choices}
    known = _municipalities_by_code()
    for number, values in rows:
        problems: list[RowProblem] = []

        def attempt(fn, *args, problems=problems, **kwargs):
            try:
                return fn(*args, **kwargs)
            except RowProblem as problem:
                problems.append(problem)
                return None

        year = attempt(year_value, "year", values["year"])
        organisation = values["organisation"].strip()
        if not organisation:
            problems.append(RowProblem("organisation", _("The organisation's name is required.")))
        elif len(organisation) > 200:
            problems.append(
                RowProblem("organisation", _("The name is longer than 200 characters."))
            )
        activity = values["activity"].strip()
        if not activity:
            problems.append(RowProblem("activity", _("The activity's name is required.")))
        elif len(activity) > 200:
            problems.append(RowProblem("activity", _("The name is longer than 200 characters.")))
        kind = values["kind"].strip().lower()
        if kind not in kinds:
            problems.append(
                RowProblem(
                    "kind",
                    _("Unknown kind “%(value)s”; use one of %(kinds)s.")
                    % {"value": values["kind"], "kinds": ", ".join(sorted(kinds))},
                )
            )
        municipality = (
            attempt(
                municipality_of_year, "municipality_nis", values["municipality_nis"], year, known
            )
            if year is not None
            else None
        )
        age_min = attempt(age_value, "age_min", values["age_min"])
        age_max = attempt(age_value, "age_max", values["age_max"])
        if age_min is not None and age_max is not None and age_min > age_max:
            problems.append(RowProblem("age_max", _("The maximum age is below the minimum age.")))
        participants = attempt(integer, "participants", values["participants"])
        girls = attempt(integer, "girls", values["girls"], required=False) or 0
        uitpas = attempt(integer, "uitpas", values["uitpas"], required=False) or 0
        if participants is not None:
            if girls > participants:
                problems.append(RowProblem("girls", _("There are more girls than participants.")))
            if uitpas > participants:
                problems.append(
                    RowProblem("uitpas", _("There are more UiTPAS holders than participants."))
                )
        key = (year, organisation.lower(), activity.lower())
        if not problems and key in seen:
            problems.append(
                RowProblem(
                    "activity",
                    _(
                        "This activity of this organisation already appears for %(year)s in row "
                        "%(row)s; give one row per activity and year."
                    )
                    % {"year": year, "row": seen[key]},
                )
            )
        if problems:
            errors.extend(RowError(number, p.column, p.message) for p in problems)
            continue
        seen[key] = number
        parsed.append(
            HistoryRow(
                row=number,
                year=year,
                organisation=organisation,
                activity=activity,
                kind=kind,
                municipality=municipality,
                age_min=age_min,
                age_max=age_max,
                participants=participants,
                girls=girls,
                uitpas=uitpas,
            )
        )
    return parsed, errors


def parse_participation(file) -> list[tuple[int, dict[str, str]]]:
    """The rows of a participation upload (checked row by row by the service)."""
    return read_table(file, columns=PARTICIPATION_COLUMNS, required=PARTICIPATION_REQUIRED)


def template_csv() -> bytes:
    """An empty participation upload with the column names and one example row."""
    example = ["123", str(dt.date.today().year), "9", "2800", "uitpas", "4", "2", "2", "0", "20"]
    return tabular.csv_bytes([PARTICIPATION_COLUMNS, example], delimiter=",", bom=False)
