"""The dashboard's figures as XLSX and CSV files.

Nothing is computed here: every number comes from ``stemnet.reach.selectors``, through
``dashboard_figures`` (which the dashboard page uses too), so a file always shows the same
numbers as the page for the same filters.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from stemnet.core import tabular
from stemnet.reach import selectors
from stemnet.reach.models import MERGER_YEAR

BREAKDOWNS = ["age_band", "gender", "target_group", "kind", "theme"]
TREND_YEARS = 8
CSV_TABLES = ["municipalities", "provinces", "summary", "breakdowns", "trend", "white_spots"]


def breakdown_titles() -> dict[str, str]:
    return {
        "age_band": _("Participants by age band"),
        "gender": _("Participants by gender"),
        "target_group": _("Participants by target group"),
        "kind": _("Participants by kind of activity"),
        "theme": _("Participants by theme"),
    }


def trend_years(year: int) -> list[int]:
    """The years shown in the trend: those with figures up to ``year`` (the latest eight)."""
    years = sorted(y for y in selectors.reach_years() if y <= year)
    if year not in years:
        years.append(year)
    return sorted(years)[-TREND_YEARS:]


def dashboard_figures(filters: dict, *, age_band: str | None = None) -> dict:
    """Every figure of the dashboard for ``filters`` (year plus optional filters)."""
    year = filters["year"]
    rest = {k: v for k, v in filters.items() if k != "year"}
    years = trend_years(year)
    # One call computes every figure in as few scans as possible (selectors.dashboard).
    figures = selectors.dashboard(years=years, age_band=age_band or None, **filters)
    figures["breakdowns"] = {by: figures["breakdowns"][by] for by in BREAKDOWNS}
    figures["filters"] = filters
    figures["region"] = None
    figures["comparison"] = None
    if filters.get("partnership") is not None:
        figures["region"] = selectors.region_view(partnership=filters["partnership"], year=year)
    earlier = [y for y in years if y < MERGER_YEAR]
    if year >= MERGER_YEAR and earlier:
        figures["comparison"] = selectors.comparison_across_mergers(
            year_a=earlier[-1], year_b=year, **rest
        )
    return figures


# --- tables (header row + rows), shared by the CSV and XLSX files ----------------------------


def _filter_label(value) -> str:
    if value is None or value == "":
        return ""
    return getattr(value, "name", None) or getattr(value, "slug", None) or str(value)


def summary_table(figures: dict) -> list[list]:
    s = figures["summary"]
    f = figures["filters"]
    rows = [
        [_("Figure"), _("Value")],
        [_("Year"), s["year"]],
        [_("Province"), _filter_label(f.get("province"))],
        [_("Partnership"), _filter_label(f.get("partnership"))],
        [_("Academy"), _filter_label(f.get("organisation"))],
        [_("Kind of activity"), _filter_label(f.get("kind"))],
        [_("Theme"), _filter_label(f.get("theme"))],
        [_("Flemish municipalities reached"), s["municipalities"]["reached"]],
        [_("Flemish municipalities in that year"), s["municipalities"]["total"]],
        [_("Flemish municipalities with a series"), s["series_municipalities"]["reached"]],
        [_("Brussels municipalities reached"), s["brussels"]["reached"]],
        [_("Brussels municipalities"), s["brussels"]["total"]],
        [_("Participants"), s["participants"]],
        [_("Girls"), s["girls"]],
        [_("Boys"), s["boys"]],
        [_("Gender x"), s["gender_x"]],
        [_("Gender unknown"), s["gender_unknown"]],
        [_("Share of girls"), s["girls_share"]],
        [_("Activities"), s["activities"]],
        [_("Series"), s["series"]],
        [_("Attendances"), s["attendances"]],
        [_("UiTPAS holders"), s["uitpas"]],
    ]
    schools = figures["schools"]
    if schools["schools"]:
        rows += [
            [_("Pupils in schools with pupil counts"), schools["pupils_total"]],
            [_("Pupils reached"), schools["pupils_reached"]],
            [_("Share of pupils reached"), schools["share"]],
        ]
    return rows


def provinces_table(figures: dict) -> list[list]:
    rows = [[_("Province"), _("Reached"), _("Municipalities"), _("Share"), _("Participants")]]
    for p in figures["provinces"]:
        rows.append([p["province"], p["reached"], p["total"], p["share"], p["participants"]])
    return rows


def municipalities_table(figures: dict) -> list[list]:
    """One row per municipality. The population columns are left out when no municipality
    has a population figure (``manage.py load_population`` not run), rather than empty."""
    population = {row["id"]: row for row in figures["population"]}
    with_population = any(
        population.get(m["id"], {}).get("population_5_18") is not None
        for m in figures["municipalities"]
    )
    rows = [
        [
            _("NIS code"),
            _("Municipality"),
            _("Province"),
            _("Reached"),
            _("Activities"),
            _("Series"),
            _("Participants"),
            _("Girls"),
            _("Attendances"),
            _("Population 5-18"),
            _("Share of the 5-18 population"),
        ]
    ]
    for m in figures["municipalities"]:
        pop = population.get(m["id"], {})
        rows.append(
            [
                m["nis_code"],
                m["name"],
                m["province"] or _("Brussels"),
                int(m["reached"]),
                m["activities"],
                m["series"],
                m["participants"],
                m["girls"],
                m["attendances"],
                pop.get("population_5_18"),
                pop.get("share"),
            ]
        )
    if not with_population:
        rows = [row[:-2] for row in rows]
    return rows


def breakdowns_table(figures: dict) -> list[list]:
    titles = breakdown_titles()
    rows = [[_("Breakdown"), _("Code"), _("Group"), _("Participants"), _("Share")]]
    for by, items in figures["breakdowns"].items():
        for item in items:
            rows.append(
                [titles[by], item["key"], str(item["label"]), item["participants"], item["share"]]
            )
    return rows


def trend_table(figures: dict) -> list[list]:
    rows = [
        [
            _("Year"),
            _("Flemish municipalities reached"),
            _("Flemish municipalities in that year"),
            _("Brussels municipalities reached"),
            _("Participants"),
            _("Girls"),
            _("Activities"),
            _("Attendances"),
        ]
    ]
    for t in figures["trend"]:
        rows.append(
            [
                t["year"],
                t["reached"],
                t["total"],
                t["brussels_reached"],
                t["participants"],
                t["girls"],
                t["activities"],
                t["attendances"],
            ]
        )
    return rows


def white_spots_table(figures: dict) -> list[list]:
    rows = [
        [
            _("NIS code"),
            _("Municipality"),
            _("Province"),
            _("Nearest municipality with an offer"),
            _("Distance (km)"),
        ]
    ]
    for w in figures["white_spots"]:
        rows.append(
            [
                w["nis_code"],
                w["name"],
                w["province"] or _("Brussels"),
                w["nearest_name"] or "",
                w["distance_km"],
            ]
        )
    return rows


TABLES = {
    "summary": summary_table,
    "provinces": provinces_table,
    "municipalities": municipalities_table,
    "breakdowns": breakdowns_table,
    "trend": trend_table,
    "white_spots": white_spots_table,
}


def sheet_titles() -> dict[str, str]:
    return {
        "summary": _("Summary"),
        "provinces": _("Provinces"),
        "municipalities": _("Municipalities"),
        "breakdowns": _("Breakdowns"),
        "trend": _("Trend"),
        "white_spots": _("White spots"),
    }


def as_csv(figures: dict, table: str = "municipalities") -> bytes:
    """One table as CSV (UTF-8 with BOM, so Excel shows accents; separator ;)."""
    return tabular.csv_bytes(TABLES[table](figures))


def as_xlsx(figures: dict) -> bytes:
    """All tables, one sheet each: summary, provinces, municipalities, breakdowns, trend,
    white spots."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    titles = sheet_titles()
    for name, build in TABLES.items():
        sheet = book.create_sheet(titles[name][:31])
        for row in build(figures):
            tabular.sheet_append(
                sheet, ["" if v is None else (str(v) if hasattr(v, "pk") else v) for v in row]
            )
            for cell in sheet[sheet.max_row]:
                # Shares are the only fractions in the tables: show them as percentages.
                if isinstance(cell.value, float) and name != "white_spots":
                    cell.number_format = "0.0%"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 50)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def participation_template_xlsx(columns: list[str], example: list[str]) -> bytes:
    """The participation upload template as an Excel file (header row and one example)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Participation")[:31]
    tabular.sheet_append(sheet, columns)
    tabular.sheet_append(sheet, example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
