import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from stemnet.agenda import importing
from stemnet.agenda.models import Activity
from stemnet.core.models import Job
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

BRU = ZoneInfo("Europe/Brussels")
HEADER = importing.COLUMN_NAMES
POSTCODES = ["2800", "3000", "9000", "1000", "8000"]
KINDS = ["reeks", "kamp", "eenmalig", "workshop", "open_atelier"]

# Data row index -> (column, bad value); the spreadsheet row is index + 2.
BAD = {10: ("age_max", "19"), 200: ("postcode", "9999"), 450: ("kind", "concert")}


def make_rows(n=500, bad=None, title="Activiteit"):
    rows = []
    for i in range(n):
        row = {
            "external_id": f"R{i:03}",
            "title": f"{title} {i}",
            "description": "Bouwen, programmeren en ontdekken.",
            "kind": KINDS[i % 5],
            "domains": "technology, Wiskunde",
            "themes": "robotica",
            "age_min": "8",
            "age_max": "12",
            "venue_name": "Bibliotheek",
            "street": "Kerkstraat 1",
            "postcode": POSTCODES[i % 5],
            "price": "4,50",
            "price_reduced": "1",
            "capacity": "20",
            "places_left": "10",
            "booking_url": "https://example.org/boek",
            "booking_email": "",
            "accessibility": "rolstoeltoegankelijk",
            "subsidised": "ja" if i % 2 else "nee",
            "sessions": "2026-12-02 14:00-16:00; 2026-12-09 14:00-16:00",
            "status": "published" if i % 2 else "draft",
        }
        if bad and i in bad:
            column, value = bad[i]
            row[column] = value
        rows.append(row)
    return rows


def to_csv(rows, delimiter=";", bom=True, encoding="utf-8"):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    text = out.getvalue()
    return (("\ufeff" if bom else "") + text).encode(encoding)


def to_xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        values = [row[c] for c in HEADER]
        # Excel users type numbers as numbers.
        values[HEADER.index("age_min")] = int(row["age_min"])
        values[HEADER.index("postcode")] = int(row["postcode"])
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation).user


def start(organisation, coordinator, name, content, capture):
    with capture(execute=True):
        job = importing.activity_import_start(
            organisation=organisation, actor=coordinator, name=name, content=content, language="nl"
        )
    job.refresh_from_db()
    return job


def confirm(job, coordinator, mode, capture):
    with capture(execute=True):
        importing.activity_import_confirm(job=job, actor=coordinator, mode=mode)
    job.refresh_from_db()
    return job


def reported(job):
    return sorted((e["row"], e["column"]) for e in job.errors)


# --- the "done when": 500 rows, 3 bad ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_500_rows_with_3_bad_rows(
    organisation, coordinator, fmt, django_capture_on_commit_callbacks
):
    rows = make_rows(bad=BAD)
    content = to_csv(rows) if fmt == "csv" else to_xlsx(rows)
    job = start(
        organisation,
        coordinator,
        f"activiteiten.{fmt}",
        content,
        django_capture_on_commit_callbacks,
    )
    assert job.status == Job.Status.DONE
    assert job.result["phase"] == "validated"
    assert reported(job) == [(12, "age_max"), (202, "postcode"), (452, "kind")]
    messages = {e["column"]: e["message"] for e in job.errors}
    assert "18" in messages["age_max"]
    assert "9999" in messages["postcode"]
    assert "concert" in messages["kind"]
    assert job.result["counts"] == {"create": 497, "update": 0, "invalid": 3, "valid": 497}
    assert job.done == job.total == 500
    assert not Activity.objects.exists()

    # "all rows" is not possible while rows have errors
    with pytest.raises(ValidationError):
        importing.activity_import_confirm(job=job, actor=coordinator, mode="all")
    assert not Activity.objects.exists()

    # "only the valid rows"
    job = confirm(job, coordinator, "valid", django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE
    assert job.result["phase"] == "imported"
    assert job.result["created"] == 497
    assert reported(job) == [(12, "age_max"), (202, "postcode"), (452, "kind")]
    assert Activity.objects.filter(organiser=organisation).count() == 497
    assert not Activity.objects.filter(title__in=["Activiteit 10", "Activiteit 200"]).exists()
    assert job.result["rows"] == []  # the data is not kept after the import


def test_fixed_file_imports_all_500_and_reimport_updates(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    job = start(organisation, coordinator, "a.csv", to_csv(make_rows()), capture)
    assert job.errors == []
    assert job.result["counts"]["create"] == 500
    job = confirm(job, coordinator, "all", capture)
    assert job.result["phase"] == "imported"
    assert (job.result["created"], job.result["updated"]) == (500, 0)
    assert Activity.objects.count() == 500
    one = Activity.objects.get(title="Activiteit 11")
    assert one.source == Activity.Source.IMPORT
    assert one.external_id == f"{organisation.pk}:R011"
    assert one.status == Activity.Status.PUBLISHED
    assert one.municipality.nis_code == "24062"  # 3000 Leuven
    assert str(one.price) == "4.50" and one.subsidised
    assert [d.slug for d in one.domains.order_by("slug")] == ["mathematics", "technology"]
    starts = [timezone.localtime(s.starts_at, BRU) for s in one.sessions.all()]
    assert starts == [
        dt.datetime(2026, 12, 2, 14, tzinfo=BRU),
        dt.datetime(2026, 12, 9, 14, tzinfo=BRU),
    ]
    assert one.first_start == starts[0]  # reindexed
    assert Activity.objects.filter(status=Activity.Status.PUBLISHED).count() == 250

    # the same external ids again: 0 created, 500 changed
    job = start(organisation, coordinator, "b.csv", to_csv(make_rows(title="Gewijzigd")), capture)
    assert job.result["counts"] == {"create": 0, "update": 500, "invalid": 0, "valid": 500}
    job = confirm(job, coordinator, "all", capture)
    assert (job.result["created"], job.result["updated"]) == (0, 500)
    assert Activity.objects.count() == 500
    assert Activity.objects.filter(title__startswith="Gewijzigd").count() == 500
    assert Activity.objects.get(title="Gewijzigd 11").sessions.count() == 2


def test_all_rows_is_all_or_nothing(
    organisation, coordinator, django_capture_on_commit_callbacks, monkeypatch
):
    """When a row fails while saving, the rows saved before it are rolled back."""
    capture = django_capture_on_commit_callbacks
    job = start(organisation, coordinator, "a.csv", to_csv(make_rows(20)), capture)
    real = importing.write_row
    calls = {"n": 0}

    def failing(plan, **kwargs):
        calls["n"] += 1
        if calls["n"] == 15:
            raise ValidationError("Simulated clash while saving")
        return real(plan, **kwargs)

    monkeypatch.setattr(importing.jobs, "write_row", failing)
    job = confirm(job, coordinator, "all", capture)
    assert job.status == Job.Status.FAILED
    assert calls["n"] == 15
    assert job.errors == [{"row": 16, "column": "", "message": "Simulated clash while saving"}]
    assert not Activity.objects.exists()


def test_changes_since_the_dry_run_are_caught(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    job = start(organisation, coordinator, "a.csv", to_csv(make_rows(3)), capture)
    other = OrganisationFactory()
    Activity.objects.filter(pk__in=[]).delete()
    # Another row now uses the external key (e.g. a parallel import of the same file).
    from stemnet.agenda.tests.factories import ActivityFactory

    ActivityFactory(
        organiser=other, source=Activity.Source.IMPORT, external_id=f"{organisation.pk}:R001"
    )
    job = confirm(job, coordinator, "all", capture)
    assert job.result["phase"] == "validated"
    assert reported(job) == [(3, "external_id")]
    assert Activity.objects.count() == 1


# --- reading files ----------------------------------------------------------------------------


def test_csv_with_commas_without_bom_and_windows_encoding(organisation):
    rows = make_rows(2)
    rows[0]["title"] = "Proefjes met ijs: koud, kouder, koudst"
    rows[1]["title"] = "Café Wetenschap"
    for content in (
        to_csv(rows, delimiter=",", bom=False),
        to_csv(rows, delimiter=";", bom=True),
        to_csv(rows, delimiter=";", bom=False, encoding="cp1252"),
    ):
        parsed, ignored = importing.read_rows("x.csv", content)
        assert [r["row"] for r in parsed] == [2, 3]
        assert parsed[0]["values"]["title"] == "Proefjes met ijs: koud, kouder, koudst"
        assert parsed[1]["values"]["title"] == "Café Wetenschap"
        assert ignored == []


def test_empty_rows_are_skipped_but_keep_numbering():
    content = to_csv(make_rows(1)) + b";;;;\r\n" + to_csv(make_rows(1)).split(b"\r\n", 1)[1]
    parsed, _ = importing.read_rows("x.csv", content)
    assert [r["row"] for r in parsed] == [2, 4]


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("x.pdf", b"%PDF", ".csv"),
        ("x.xlsx", b"not a zip", "Excel"),
        ("x.csv", b"", "empty"),
        ("x.csv", b"title;kind\r\nA;kamp\r\n", "description"),
        ("x.csv", ";".join(HEADER).encode() + b"\r\n", "no rows"),
        ("x.csv", b"x" * (5 * 1024 * 1024 + 1), "5 MB"),
    ],
)
def test_bad_files_get_a_clear_message(name, content, fragment):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        importing.read_rows(name, content)
    assert fragment in " ".join(exc.value.messages)


def test_templates_have_every_column_and_parse_back(organisation):
    parsed, _ = importing.read_rows("t.csv", importing.template_csv())
    assert list(parsed[0]["values"]) == HEADER
    parsed_x, _ = importing.read_rows("t.xlsx", importing.template_xlsx())
    assert parsed_x[0]["values"] == parsed[0]["values"]
    workbook = load_workbook(io.BytesIO(importing.template_xlsx()))
    assert len(workbook.worksheets) == 2  # data + explanation
    planner = importing.Planner(organisation)
    assert planner.plan(parsed[0]).errors == []


# --- converting and validating rows ---------------------------------------------------------


def plan(organisation, **values):
    row = make_rows(1)[0]
    row.update(values)
    return importing.Planner(organisation).plan({"row": 2, "values": row})


def test_row_errors_name_the_column_with_a_translated_reason(organisation):
    result = plan(organisation, age_min="acht", sessions="morgen", subsidised="misschien")
    assert {e.column for e in result.errors} == {"age_min", "sessions", "subsidised"}
    expected = translation.gettext("“%(value)s” is not a whole number.")
    assert next(e.message for e in result.errors if e.column == "age_min") == expected % {
        "value": "acht"
    }
    with translation.override("en"):
        result = plan(organisation, age_min="acht")
    assert result.errors[0].message == "“acht” is not a whole number."


def test_one_row_with_several_problems_reports_each(organisation):
    result = plan(organisation, title="", domains="alchemie", capacity="5", places_left="9")
    assert sorted(e.column for e in result.errors) == ["domains", "places_left", "title"]


def test_published_rows_need_sessions(organisation):
    result = plan(organisation, status="published", sessions="")
    assert [(e.column) for e in result.errors] == ["sessions"]
    assert plan(organisation, status="draft", sessions="").errors == []


def test_duplicate_external_ids_in_one_file(organisation):
    planner = importing.Planner(organisation)
    rows = make_rows(2)
    rows[1]["external_id"] = rows[0]["external_id"]
    assert planner.plan({"row": 2, "values": rows[0]}).errors == []
    errors = planner.plan({"row": 3, "values": rows[1]}).errors
    assert [(e.row, e.column) for e in errors] == [(3, "external_id")]
    assert "2" in errors[0].message


def test_names_and_codes_are_both_accepted(organisation):
    result = plan(
        organisation,
        kind="Open atelier",
        domains="Wetenschappen; engineering",
        themes="Energie & klimaat, programmeren",
        accessibility="VGT",
    )
    assert result.errors == []
    assert result.data["kind"] == "open_atelier"
    assert [d.slug for d in result.data["domains"]] == ["science", "engineering"]
    assert [t.slug for t in result.data["themes"]] == ["energie-klimaat", "programmeren"]


def test_session_formats():
    sessions = importing.parse_sessions("2/12/2026 9.30-12.00\n2026-12-05 22:00 - 2026-12-06 02:00")
    assert [(timezone.localtime(s, BRU).strftime("%d %H:%M")) for s, _ in sessions] == [
        "02 09:30",
        "05 22:00",
    ]
    assert timezone.localtime(sessions[1][1], BRU).strftime("%d %H:%M") == "06 02:00"


def test_other_organisations_may_use_the_same_external_id(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    other = OrganisationFactory()
    other_coordinator = MembershipFactory(organisation=other).user
    capture = django_capture_on_commit_callbacks
    for org, user in ((organisation, coordinator), (other, other_coordinator)):
        job = start(org, user, "a.csv", to_csv(make_rows(2)), capture)
        assert job.result["counts"]["create"] == 2
        confirm(job, user, "all", capture)
    assert Activity.objects.count() == 4


# --- the pages --------------------------------------------------------------------------------


def test_upload_check_and_confirm_through_the_pages(
    client, organisation, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("a.csv", to_csv(make_rows(500, bad=BAD)), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agenda:import_start"), {"file": upload})
    job = Job.objects.get()
    assert response["Location"] == reverse("agenda:import_job", kwargs={"pk": job.pk})
    page = client.get(response["Location"]).content.decode()
    assert "every 1s" not in page  # finished: no more polling
    for row, column in [(12, "age_max"), (202, "postcode"), (452, "kind")]:
        assert f"<td>{row}</td><td><code>{column}</code></td>" in page
    assert page.count("<tr><td>") == 3
    assert 'value="valid"' in page and 'value="all"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agenda:import_confirm", kwargs={"pk": job.pk}), {"mode": "valid"})
    assert Activity.objects.count() == 497
    page = client.get(reverse("agenda:import_job", kwargs={"pk": job.pk})).content.decode()
    assert "497" in page


def test_progress_page_polls_while_running(client, organisation, coordinator):
    job = Job.objects.create(
        kind=importing.JOB_KIND,
        owner=coordinator,
        status=Job.Status.RUNNING,
        total=500,
        done=125,
        result={"organisation": organisation.pk, "phase": "validate"},
    )
    client.force_login(coordinator)
    url = reverse("agenda:import_job", kwargs={"pk": job.pk})
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'http-equiv="refresh"' in page  # without JavaScript
    assert '<progress id="progress-bar" max="500" value="125">' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="import-progress"')
    assert "<html" not in partial


def test_upload_errors_are_shown_on_the_form(client, organisation, coordinator):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    response = client.post(reverse("agenda:import_start"), {"file": upload})
    assert response.status_code == 422
    assert ".csv" in response.context["form"].errors["file"][0]
    upload = SimpleUploadedFile("a.csv", b"title;kind\r\nx;kamp\r\n", content_type="text/csv")
    response = client.post(reverse("agenda:import_start"), {"file": upload})
    assert "description" in response.context["form"].errors["file"][0]
    assert not Job.objects.exists()


def test_template_downloads(client, organisation, coordinator):
    client.force_login(coordinator)
    url = reverse("agenda:import_template")
    csv_response = client.get(url + "?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode("utf-8-sig").startswith("external_id;title;")
    xlsx = client.get(url + "?format=xlsx")
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    assert load_workbook(io.BytesIO(xlsx.content)).worksheets[0]["B1"].value == "title"
    assert client.get(url + "?format=pdf").status_code == 404


def test_reimport_without_status_keeps_the_status(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    rows = make_rows(2)
    job = start(organisation, coordinator, "a.csv", to_csv(rows), capture)
    confirm(job, coordinator, "all", capture)
    published = Activity.objects.get(external_id=f"{organisation.pk}:R001")
    assert published.status == Activity.Status.PUBLISHED
    for row in rows:
        row["status"] = ""
    job = start(organisation, coordinator, "b.csv", to_csv(rows), capture)
    assert job.result["counts"]["update"] == 2
    confirm(job, coordinator, "all", capture)
    published.refresh_from_db()
    assert published.status == Activity.Status.PUBLISHED


def test_archived_activity_is_not_changed_by_an_import(organisation, coordinator):
    from stemnet.agenda.tests.factories import ActivityFactory

    ActivityFactory(
        organiser=organisation,
        status=Activity.Status.ARCHIVED,
        source=Activity.Source.IMPORT,
        external_id=f"{organisation.pk}:R000",
    )
    result = plan(organisation)
    assert [(e.row, e.column) for e in result.errors] == [(2, "external_id")]


def test_failed_import_page_shows_the_row(client, organisation, coordinator):
    job = Job.objects.create(
        kind=importing.JOB_KIND,
        owner=coordinator,
        status=Job.Status.FAILED,
        total=20,
        errors=[{"row": 16, "column": "", "message": "Botsing bij het opslaan"}],
        result={"organisation": organisation.pk, "phase": "failed", "mode": "all"},
    )
    client.force_login(coordinator)
    page = client.get(reverse("agenda:import_job", kwargs={"pk": job.pk})).content.decode()
    assert "<td>16</td>" in page and "Botsing bij het opslaan" in page
    assert "every 1s" not in page


# --- numbers and encodings that once crashed or garbled an import ----------------------------


def test_non_finite_and_huge_numbers_are_row_errors_and_the_job_ends(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    rows = make_rows(6)
    bad = {
        0: ("age_min", "Infinity"),
        1: ("age_max", "1e308"),
        2: ("capacity", "NaN"),
        3: ("places_left", "99999999999"),
        4: ("price", "Infinity"),
    }
    for i, (column, value) in bad.items():
        rows[i][column] = value
    job = start(
        organisation, coordinator, "x.csv", to_csv(rows), django_capture_on_commit_callbacks
    )
    assert job.status == Job.Status.DONE
    assert {(e["row"], e["column"]) for e in job.errors} >= {
        (2, "age_min"),
        (3, "age_max"),
        (4, "capacity"),
        (5, "places_left"),
        (6, "price"),
    }
    assert job.result["counts"]["valid"] == 1
    job = confirm(job, coordinator, "valid", django_capture_on_commit_callbacks)
    assert job.status == Job.Status.DONE and job.result["created"] == 1


def test_windows_file_is_read_and_said_utf8_with_a_stray_byte_is_refused(
    organisation, coordinator, django_capture_on_commit_callbacks
):
    rows = make_rows(2)
    rows[1]["title"] = "Café Wetenschap"
    job = start(
        organisation,
        coordinator,
        "x.csv",
        to_csv(rows, bom=False, encoding="cp1252"),
        django_capture_on_commit_callbacks,
    )
    assert job.status == Job.Status.DONE and "Windows-1252" in job.result["notes"][0]
    mixed = to_csv(rows).replace("Café".encode(), b"Caf\xe9")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        importing.read_rows("x.csv", mixed)
    assert "Line 3" in exc.value.messages[0]
