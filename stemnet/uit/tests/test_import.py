import copy
import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from stemnet.agenda.models import Activity
from stemnet.uit import services
from stemnet.uit.models import UitImportRun, UitOrganizerMapping, UitSync
from stemnet.uit.tests.conftest import search_document, search_documents

pytestmark = pytest.mark.django_db
Status = UitImportRun.Status
SHARED_ID = "23017cb7-e515-47b4-87c4-780735acc942"  # all five example documents use it
IMPORTABLE = [
    "original-periodic-with-opening-hours.json",
    "original-with-birthdate-range.json",
    "original-with-overnight.json",
    "original-with-typical-age-range.json",
]


def with_new_id(doc: dict, n: int) -> dict:
    """The real example document as another event (publiq's fixtures share one @id)."""
    doc = copy.deepcopy(doc)
    doc["@id"] = doc["@id"].replace(SHARED_ID, str(uuid.UUID(int=n + 1)))
    doc["modified"] = f"2024-01-0{n + 1}T10:00:00+01:00"
    return doc


def distinct_documents() -> list[dict]:
    return [with_new_id(search_document(name), i) for i, name in enumerate(IMPORTABLE)]


def test_real_example_documents_upsert_by_id_and_report_failures(fake_uit):
    fake_uit.search_events = search_documents()
    run = services.uit_import_run(page_size=2)
    assert run.status == Status.DONE, run.message
    assert run.page == 3
    # Five documents with one @id: one activity, created once then updated.
    assert (run.created, run.updated, run.failed) == (1, 3, 1)
    assert Activity.objects.filter(source="uit").count() == 1
    activity = Activity.objects.get(source="uit")
    assert activity.external_id == SHARED_ID
    # original-with-optional-fields has no calendar at all: reported with the reason.
    [error] = run.errors
    assert error["uit_id"] == SHARED_ID and error["name"] == "Punkfest"
    assert error["reason"] == "Het evenement heeft geen geldige datum."
    # The requests asked for the STEM label, ages 5-18, Belgium, by modification date.
    first = fake_uit.calls("GET", r"^/search/events$")[0]
    assert "labels:stemindevrijetijd" in first.query["q"]
    assert first.query["minAge"] == "5" and first.query["maxAge"] == "18"
    assert first.query["embed"] == "true" and first.query["start"] == "0"
    assert first.query["sort[modified]"] == "asc"
    assert first.headers["x-client-id"] == "stemnet-test"


def test_example_documents_appear_in_the_public_agenda(fake_uit, client):
    fake_uit.search_events = distinct_documents()
    run = services.uit_import_run(page_size=3)
    assert (run.created, run.failed) == (4, 0), run.errors
    imported = Activity.objects.filter(source="uit").order_by("external_id")
    assert imported.count() == 4
    assert set(imported.values_list("status", flat=True)) == {"published"}
    a = imported.get(external_id=str(uuid.UUID(int=1)))  # the periodic one
    assert a.title == "Punkfest" and a.postcode == "3000" and a.municipality.name_nl == "Leuven"
    assert a.venue_name == "Hungaria" and a.street == "Vaartkom 35"
    assert a.external_url.startswith("https://www.uitinvlaanderen.be/agenda/e/punkfest/")
    assert a.read_only and (a.age_min, a.age_max) == (5, 18)
    # Weekdays 09-12 and 13-18, Saturdays 10-14, from 1 January to 30 June 2017 (capped).
    assert a.sessions.count() == 200
    assert a.kind == Activity.Kind.OPEN_STUDIO
    born = imported.get(external_id=str(uuid.UUID(int=2)))
    assert (born.age_min, born.age_max) == (6, 7)  # born in 2010, on 22 April 2017
    assert imported.get(external_id=str(uuid.UUID(int=3))).sessions.count() == 3
    assert imported.get(external_id=str(uuid.UUID(int=4))).age_max == 7
    assert a.organiser.name == "Onbekende organisator (UiTdatabank)"
    response = client.get(a.get_absolute_url())
    assert response.status_code == 200
    assert "UiT in Vlaanderen" in response.content.decode()
    assert Activity.objects.public().filter(source="uit").count() == 4


def test_organizer_is_matched_and_mapped():
    doc = with_new_id(search_document("original-with-optional-fields.json"), 7)
    doc["typicalAgeRange"] = "8-12"
    doc["calendarType"] = "single"
    doc["startDate"] = "2027-03-03T14:00:00+01:00"
    doc["endDate"] = "2027-03-03T16:00:00+01:00"
    doc["workflowStatus"] = "APPROVED"
    doc["terms"].append({"id": "1.21.0.0.0", "label": "Computer en techniek", "domain": "theme"})
    doc["terms"].append(
        {"id": "2.2.1.0.0", "label": "Vanaf kleuterleeftijd", "domain": "targetaudience"}
    )  # legacy domain: ignored
    run = services.uit_import_documents(data={"member": [doc]})
    assert run.created == 1, run.errors
    activity = Activity.objects.get(source="uit")
    assert activity.organiser.name == "PHPLeuven"
    assert UitOrganizerMapping.objects.get(organisation=activity.organiser).uit_id == (
        "http://udb-silex.dev/organizers/5e0b3f9c-5947-46a0-b8f2-a1a5a37f3b83"
    )
    assert list(activity.themes.values_list("slug", flat=True)) == ["digitalisering"]
    assert list(activity.domains.values_list("slug", flat=True)) == ["technology"]
    assert activity.price == Decimal("19.99") and activity.price_reduced is None
    assert activity.kind == Activity.Kind.ONE_OFF  # "Begeleide rondleiding" is not mapped
    # A second event of the same organizer reuses the organisation.
    other = copy.deepcopy(doc)
    other["@id"] = other["@id"].replace(str(uuid.UUID(int=8)), str(uuid.UUID(int=9)))
    services.uit_import_documents(data=[other])
    assert Activity.objects.filter(organiser=activity.organiser).count() == 2


def test_withdrawn_and_cancelled_events_are_cancelled_here():
    docs = distinct_documents()[:2]
    services.uit_import_documents(data={"member": docs})
    deleted = {**docs[0], "workflowStatus": "DELETED"}
    cancelled = {**docs[1], "status": {"type": "Unavailable", "reason": {"nl": "Ziekte"}}}
    run = services.uit_import_documents(data={"member": [deleted, cancelled]})
    assert run.cancelled == 2
    first, second = (Activity.objects.get(external_id=str(uuid.UUID(int=n))) for n in (1, 2))
    assert first.status == second.status == Activity.Status.CANCELLED
    assert second.cancel_reason == "Ziekte"
    # Withdrawn before we ever had it: nothing is created.
    never = with_new_id(search_document(IMPORTABLE[0]), 20)
    services.uit_import_documents(data=[{**never, "workflowStatus": "REJECTED"}])
    assert not Activity.objects.filter(external_id=str(uuid.UUID(int=21))).exists()


def test_our_own_exports_are_not_imported_twice():
    from stemnet.agenda.tests.factories import ActivityFactory

    ours = ActivityFactory()
    UitSync.objects.create(activity=ours, state=UitSync.State.SENT, uit_id=SHARED_ID)
    rejected = {**search_document(IMPORTABLE[0]), "workflowStatus": "REJECTED"}
    run = services.uit_import_documents(data={"member": [*search_documents(), rejected]})
    assert run.own == 6 and run.created == 0
    assert not Activity.objects.filter(source="uit").exists()
    sync = UitSync.objects.get(activity=ours)
    assert sync.state == UitSync.State.REJECTED and "afgekeurd" in sync.last_error


def test_tolerates_dummy_location_and_missing_fields_but_reports_bad_places():
    doc = with_new_id(search_document("original-with-typical-age-range.json"), 30)
    del doc["location"]["@id"]  # a dummy location
    doc.pop("availableTo")
    doc["name"] = "Naam als gewone tekst"  # legacy: not a language map
    unknown = with_new_id(search_document("original-with-typical-age-range.json"), 31)
    unknown["location"]["address"]["nl"]["postalCode"] = "9999"
    abroad = with_new_id(search_document("original-with-typical-age-range.json"), 32)
    abroad["location"]["address"]["nl"]["postalCode"] = "4000"  # Liège (Wallonia)
    young = with_new_id(search_document("original-with-typical-age-range.json"), 34)
    young["typicalAgeRange"] = "-4"
    permanent = with_new_id(search_document("original-with-typical-age-range.json"), 33)
    permanent["calendarType"] = "permanent"
    run = services.uit_import_documents(data=[doc, unknown, abroad, permanent, young])
    assert run.created == 1 and run.failed == 4
    assert Activity.objects.get(source="uit").title == "Naam als gewone tekst"
    reasons = [e["reason"] for e in run.errors]
    assert "Onbekende postcode “9999”." in reasons
    assert any("buiten Vlaanderen en Brussel" in r for r in reasons)
    assert any("permanent" in r for r in reasons)
    assert any("buiten 5 tot 18 jaar" in r for r in reasons)


def test_malformed_page_stops_the_run_keeps_earlier_pages_and_resumes(fake_uit):
    fake_uit.search_events = distinct_documents()
    fake_uit.broken_pages = {2: b"{not json"}
    run = services.uit_import_run(page_size=2)
    assert run.status == Status.STOPPED
    assert "pagina 2" in run.message and "geen geldige JSON" in run.message
    assert Activity.objects.filter(source="uit").count() == 2  # page 1 kept
    assert run.cursor is not None and run.cursor.isoformat().startswith("2024-01-02")

    fake_uit.broken_pages = {}
    again = services.uit_import_run(page_size=2)
    assert again.status == Status.DONE
    assert again.modified_from == run.cursor
    resumed = [r for r in fake_uit.calls("GET", r"^/search/events$") if "modifiedFrom" in r.query]
    assert resumed and dt.datetime.fromisoformat(resumed[0].query["modifiedFrom"]) == run.cursor
    assert resumed[0].query["workflowStatus"] == "READY_FOR_VALIDATION,APPROVED,REJECTED,DELETED"
    assert Activity.objects.filter(source="uit").count() == 4


def test_page_without_member_list_stops(fake_uit):
    fake_uit.search_events = distinct_documents()
    fake_uit.broken_pages = {0: json.dumps({"totalItems": 4}).encode()}
    run = services.uit_import_run(page_size=2)
    assert run.status == Status.STOPPED and "member" in run.message
    assert not Activity.objects.filter(source="uit").exists()


def test_not_configured_skips(no_uit):
    run = services.uit_import_run()
    assert run.status == Status.SKIPPED and "niets" in run.message


def test_management_command_imports_saved_files(tmp_path):
    page = tmp_path / "page.json"
    page.write_text(
        json.dumps({"itemsPerPage": 30, "totalItems": 4, "member": distinct_documents()})
    )
    call_command("uit_import", "--file", str(page))
    assert Activity.objects.filter(source="uit").count() == 4
    run = UitImportRun.objects.latest("started_at")
    assert run.source == "file:page.json" and run.status == Status.DONE

    broken = tmp_path / "broken.json"
    broken.write_text("{nope")
    with pytest.raises(CommandError):
        call_command("uit_import", "--file", str(broken))


def test_imported_activity_is_read_only_for_the_agenda():
    from django.core.exceptions import ValidationError

    from stemnet.agenda import services as agenda

    services.uit_import_documents(data=distinct_documents()[:1])
    activity = Activity.objects.get(source="uit")
    with pytest.raises(ValidationError):
        agenda.activity_update(activity=activity, actor=None, data={"title": "x"})
    assert reverse("agenda:activity_detail", kwargs={"pk": activity.pk, "slug": activity.slug})


def test_demo_seed_puts_upcoming_uit_items_in_the_public_agenda():
    import random

    from django.utils import timezone

    from stemnet.uit import demo

    assert demo.seed(random.Random(2020)) == 3
    assert demo.seed(random.Random(2020)) == 3  # idempotent: upserted by id
    imported = Activity.objects.public().filter(source="uit")
    assert imported.count() == 3
    assert all(a.first_start > timezone.now() for a in imported)
    assert all("stemindevrijetijd" in a.labels for a in imported)


def test_uit_import_refuses_the_event_with_a_reason():
    doc = with_new_id(search_document("original-with-typical-age-range.json"), 40)
    doc["calendarType"] = "single"
    doc["subEvent"] = [
        {"startDate": "1900-05-01T14:00:00+01:00", "endDate": "1900-05-01T16:00:00+01:00"}
    ]
    doc["startDate"], doc["endDate"] = (
        doc["subEvent"][0]["startDate"],
        doc["subEvent"][0]["endDate"],
    )
    run = services.uit_import_documents(data=[doc])
    assert run.created == 0 and run.failed == 1
    assert run.errors[0]["reason"].startswith("Sessies kunnen plaatsvinden van 1 januari 2000")
    assert not Activity.objects.filter(source="uit").exists()


def test_non_finite_prices_and_coordinates_are_reported_per_event_and_the_run_ends():
    # A saved file parsed by Python's json accepts Infinity, NaN and 1e308.
    documents = [
        with_new_id(search_document("original-with-typical-age-range.json"), n)
        for n in range(40, 44)
    ]
    documents[0]["priceInfo"] = [
        {"category": "base", "name": {"nl": "Basis"}, "price": float("inf")}
    ]
    documents[1]["priceInfo"] = [{"category": "base", "name": {"nl": "Basis"}, "price": 1e308}]
    documents[2]["location"]["geo"] = {"latitude": float("inf"), "longitude": float("nan")}
    run = services.uit_import_documents(data=json.loads(json.dumps(documents)))
    assert run.status == Status.DONE
    assert (run.created, run.failed) == (2, 2)
    assert all("prijs" in e["reason"] for e in run.errors)
    far = Activity.objects.get(external_id=documents[2]["@id"].rsplit("/", 1)[-1])
    assert -90 <= far.lat <= 90 and -180 <= far.lon <= 180
