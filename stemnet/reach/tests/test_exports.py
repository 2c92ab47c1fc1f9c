"""The XLSX and CSV exports hold exactly the selectors' numbers for the same filters."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.reach import exports, selectors
from stemnet.reach.tests.factories import ParticipationFactory, municipality_of, vlaio_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    vonk = OrganisationFactory(name="STEM-academie Vonk")
    zeppelin = OrganisationFactory(name="STEM-academie Zeppelin")
    ParticipationFactory(organisation=vonk, participants=30, girls=12)
    ParticipationFactory(organisation=vonk, participants=10, girls=5, kind="kamp")
    ParticipationFactory(
        organisation=zeppelin, municipality=municipality_of("44021"), participants=25, girls=10
    )
    ParticipationFactory(
        organisation=zeppelin, municipality=municipality_of("21004"), participants=7, girls=3
    )
    return {"vonk": vonk, "zeppelin": zeppelin}


def _xlsx(client, **params):
    response = client.get(reverse("reach:export_xlsx"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content), read_only=True)


def _sheet(book, key):
    name = exports.sheet_titles()[key]
    return [list(r) for r in book[name].iter_rows(values_only=True)]


def _summary(book) -> dict:
    """The summary sheet by English label (the sheet is in Dutch)."""
    labels = {_(english): english for english in ENGLISH}
    return {labels.get(r[0], r[0]): r[1] for r in _sheet(book, "summary")[1:]}


ENGLISH = [
    "Flemish municipalities reached",
    "Flemish municipalities in that year",
    "Brussels municipalities reached",
    "Participants",
    "Girls",
    "Activities",
    "Academy",
]


def test_xlsx_numbers_equal_the_selectors(client, rows):
    client.force_login(vlaio_user())
    book = _xlsx(client, year=2020)
    titles = exports.sheet_titles()
    assert book.sheetnames[:4] == [
        titles[k] for k in ("summary", "provinces", "municipalities", "breakdowns")
    ]
    assert titles["provinces"] == "Provincies"
    summary = selectors.reach_summary(year=2020)
    values = _summary(book)
    assert values["Flemish municipalities reached"] == summary["municipalities"]["reached"] == 2
    assert (
        values["Flemish municipalities in that year"] == summary["municipalities"]["total"] == 300
    )
    assert values["Brussels municipalities reached"] == summary["brussels"]["reached"] == 1
    assert values["Participants"] == summary["participants"] == 72
    assert values["Girls"] == summary["girls"] == 30
    assert values["Activities"] == summary["activities"] == 4

    provinces = _sheet(book, "provinces")[1:]
    expected = selectors.coverage_by_province(year=2020)
    assert [(p[0], p[1], p[2], p[4]) for p in provinces] == [
        (p["province"], p["reached"], p["total"], p["participants"]) for p in expected
    ]
    assert tuple(provinces[0][:3]) == ("Antwerpen", 1, 69)

    municipalities = _sheet(book, "municipalities")[1:]
    by_code = {r[0]: r for r in municipalities}
    for m in selectors.municipalities_reached(year=2020):
        row = by_code[m["nis_code"]]
        assert (row[3], row[4], row[6], row[7]) == (
            int(m["reached"]),
            m["activities"],
            m["participants"],
            m["girls"],
        )
    assert len(municipalities) == 319
    assert by_code["12025"][6] == 40

    breakdown = _sheet(book, "breakdowns")[1:]
    kinds = {r[1]: r[3] for r in breakdown if r[0] == _("Participants by kind of activity")}
    expected_kinds = {
        r["key"]: r["participants"] for r in selectors.participants_breakdown(year=2020, by="kind")
    }
    assert kinds == expected_kinds
    assert kinds["reeks"] == 62 and kinds["kamp"] == 10


def test_xlsx_follows_the_filters(client, rows):
    client.force_login(vlaio_user())
    book = _xlsx(client, year=2020, organisation=rows["zeppelin"].slug)
    values = _summary(book)
    summary = selectors.reach_summary(year=2020, organisation=rows["zeppelin"])
    assert values["Participants"] == summary["participants"] == 32
    assert values["Flemish municipalities reached"] == 1
    assert values["Academy"] == "STEM-academie Zeppelin"


@pytest.mark.parametrize("table", ["municipalities", "provinces", "breakdowns", "summary"])
def test_csv_equals_the_xlsx_tables(client, rows, table):
    client.force_login(vlaio_user())
    response = client.get(reverse("reach:export_csv"), {"year": 2020, "table": table})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    figures = exports.dashboard_figures({"year": 2020})
    expected = [
        ["" if v is None else str(v) for v in row] for row in exports.TABLES[table](figures)
    ]
    assert parsed == expected


def test_csv_of_provinces_has_the_province_split(client, rows):
    client.force_login(vlaio_user())
    response = client.get(reverse("reach:export_csv"), {"year": 2020, "table": "provinces"})
    parsed = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    lines = {r[0]: r for r in parsed[1:]}
    assert lines["Antwerpen"][1:3] == ["1", "69"]
    assert lines["Oost-Vlaanderen"][1:3] == ["1", "60"]
    assert lines["Brussel"][1:3] == ["1", "19"]


def test_unknown_csv_table_is_not_found(client, rows):
    client.force_login(vlaio_user())
    response = client.get(reverse("reach:export_csv"), {"year": 2020, "table": "nope"})
    assert response.status_code == 404


FORMULA_NAME = '=HYPERLINK("http://evil.example","STEM")'


def test_organisation_names_never_become_formulas(client, rows):
    """An academy's name is chosen by its coordinator: in the officers' files it is text."""
    evil = OrganisationFactory(name=FORMULA_NAME)
    ParticipationFactory(organisation=evil, participants=4, girls=2)
    client.force_login(vlaio_user())
    book = load_workbook(
        io.BytesIO(
            client.get(
                reverse("reach:export_xlsx"), {"year": 2020, "organisation": evil.slug}
            ).content
        )
    )
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "'" + FORMULA_NAME in [c.value for c in cells]
    response = client.get(
        reverse("reach:export_csv"), {"year": 2020, "organisation": evil.slug, "table": "summary"}
    )
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Academie", "'" + FORMULA_NAME] in table


def _figures(population_5_18):
    municipality = {
        "id": 1,
        "nis_code": "12025",
        "name": "Mechelen",
        "province": "Antwerpen",
        "reached": True,
        "activities": 2,
        "series": 1,
        "participants": 40,
        "girls": 17,
        "attendances": 60,
    }
    population = [{"id": 1, "population_5_18": population_5_18, "share": None}]
    return {"municipalities": [municipality], "population": population}


def test_population_columns_are_left_out_when_no_population_is_loaded():
    empty = exports.municipalities_table(_figures(None))
    assert _("Population 5-18") not in empty[0] and len(empty[0]) == len(empty[1]) == 9
    loaded = exports.municipalities_table(_figures(12000))
    assert loaded[0][-2] == _("Population 5-18") and loaded[1][-2] == 12000
