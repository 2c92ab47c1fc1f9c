"""The columns of an import file, the example row and the downloadable templates."""

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stemnet.core import tabular

# (column, required, explanation) — the order of the template.
COLUMNS: list[tuple[str, bool, Any]] = [
    (
        "external_id",
        False,
        gettext_lazy(
            "Your own id of the activity. Importing a row with an id you imported before "
            "changes that activity instead of adding a new one."
        ),
    ),
    ("title", True, gettext_lazy("Title, at most 200 characters.")),
    ("description", True, gettext_lazy("Description for parents and children.")),
    (
        "kind",
        True,
        gettext_lazy("One of: reeks, kamp, eenmalig, workshop, open_atelier."),
    ),
    (
        "domains",
        True,
        gettext_lazy(
            "STEM domains, comma-separated codes or names: science, technology, engineering, "
            "mathematics (or Wetenschappen, Technologie, Engineering, Wiskunde)."
        ),
    ),
    ("themes", False, gettext_lazy("Themes, comma-separated codes or names (optional).")),
    ("age_min", True, gettext_lazy("Minimum age, 5 to 18.")),
    ("age_max", True, gettext_lazy("Maximum age, 5 to 18, not below the minimum age.")),
    ("venue_name", False, gettext_lazy("Name of the place.")),
    ("street", False, gettext_lazy("Street and number.")),
    (
        "postcode",
        False,
        gettext_lazy(
            "Belgian postcode; gives the municipality. Leave venue, street and postcode "
            "empty to use your organisation's address."
        ),
    ),
    ("price", False, gettext_lazy("Price in euro, e.g. 12,50. Empty or 0 means free.")),
    ("price_reduced", False, gettext_lazy("Reduced price with UiTPAS in euro (optional).")),
    ("capacity", False, gettext_lazy("Number of places (optional).")),
    ("places_left", False, gettext_lazy("Places still free (optional, at most the capacity).")),
    ("booking_url", False, gettext_lazy("Web address to book (optional).")),
    ("booking_email", False, gettext_lazy("E-mail address to book (optional).")),
    (
        "accessibility",
        False,
        gettext_lazy("Accessibility and inclusion features, comma-separated codes or names."),
    ),
    ("subsidised", False, gettext_lazy("Subsidised by VLAIO: ja or nee.")),
    (
        "sessions",
        False,
        gettext_lazy(
            "Dates and times, separated by semicolons: 2026-12-02 14:00-16:00; "
            "2026-12-09 14:00-16:00. Times are Belgian time."
        ),
    ),
    (
        "status",
        False,
        gettext_lazy("draft (default) or published. Publishing needs a session and a domain."),
    ),
]
COLUMN_NAMES = [c[0] for c in COLUMNS]
REQUIRED_COLUMNS = [c[0] for c in COLUMNS if c[1]]

EXAMPLE_ROW = {
    "external_id": "2026-robot-01",
    "title": "Robotkamp voor beginners",
    "description": "Vijf dagen bouwen en programmeren met robots.",
    "kind": "kamp",
    "domains": "technology, engineering",
    "themes": "robotica, programmeren",
    "age_min": "8",
    "age_max": "12",
    "venue_name": "Technopolis",
    "street": "Technologielaan 1",
    "postcode": "2800",
    "price": "120",
    "price_reduced": "24",
    "capacity": "20",
    "places_left": "20",
    "booking_url": "https://example.org/inschrijven",
    "booking_email": "",
    "accessibility": "rolstoeltoegankelijk",
    "subsidised": "ja",
    "sessions": "2026-12-02 14:00-16:00; 2026-12-09 14:00-16:00",
    "status": "draft",
}


def template_csv() -> bytes:
    return tabular.csv_bytes([COLUMN_NAMES, [EXAMPLE_ROW[c] for c in COLUMN_NAMES]])


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Activities")[:31]
    tabular.sheet_append(sheet, COLUMN_NAMES)
    tabular.sheet_append(sheet, [EXAMPLE_ROW[c] for c in COLUMN_NAMES])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    # Keep postcodes, ids and ages as text so Excel does not reformat them.
    for column in sheet.iter_cols(min_row=2, max_row=2):
        for cell in column:
            cell.number_format = "@"
    help_sheet = workbook.create_sheet(_("Explanation")[:31])
    tabular.sheet_append(help_sheet, [_("Column"), _("Required"), _("Explanation")])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for name, required, text in COLUMNS:
        tabular.sheet_append(help_sheet, [name, _("yes") if required else _("no"), str(text)])
    help_sheet.column_dimensions["A"].width = 18
    help_sheet.column_dimensions["C"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
