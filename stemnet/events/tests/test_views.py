import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from stemnet.accounts.tests.factories import UserFactory
from stemnet.events.models import Registration
from stemnet.events.tests.factories import EventFactory, RegistrationFactory, TrackFactory
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
S = Registration.Status


def test_public_list_detail_ical_and_api(client, django_assert_max_num_queries):
    event = EventFactory(latitude=51.02, longitude=4.48, summary="Leren van elkaar")
    TrackFactory(event=event, title="Rondetafel Ekoli")
    EventFactory(is_published=False, title="Geheim")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("events:event_list"))
    assert event.title in page.text and "Geheim" not in page.text
    detail = client.get(event.get_absolute_url())
    assert "Rondetafel Ekoli" in detail.text and 'id="event-map"' in detail.text
    assert "tile.openstreetmap.org" in detail.text
    english = client.get("/en" + event.get_absolute_url())
    assert "Programme" in english.text
    ics = client.get(reverse("events:events_ical"))
    assert b"SUMMARY:" + event.title.encode() in ics.content
    api = client.get("/api/v1/events").json()
    assert [e["slug"] for e in api["items"]] == [event.slug]
    assert client.get(f"/api/v1/events/{event.slug}").json()["places_left"] == 2
    assert client.get("/api/v1/events/geheim-x").status_code == 404


def test_register_waiting_then_cancel_and_accept(client):
    event = EventFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    response = client.post(reverse("events:event_register", args=[event.slug]))
    assert response.status_code == 302
    client.force_login(second)
    client.post(reverse("events:event_register", args=[event.slug]))
    assert event.registrations.get(person=second).status == S.WAITING
    again = client.post(reverse("events:event_register", args=[event.slug]))
    assert again.status_code == 400 and "is al ingeschreven" in again.text
    client.force_login(first)
    mine = event.registrations.get(person=first)
    client.post(reverse("events:registration_cancel", args=[mine.pk]))
    client.force_login(second)
    offered = event.registrations.get(person=second)
    assert offered.status == S.OFFERED
    page = client.get(reverse("events:registration_mine"))
    assert "Plaats aanvaarden" in page.text
    client.post(reverse("events:registration_accept", args=[offered.pk]))
    offered.refresh_from_db()
    assert offered.status == S.CONFIRMED
    qr = client.get(reverse("events:registration_qr", args=[offered.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content


def test_register_error_in_both_languages(client):
    event = EventFactory()
    track = TrackFactory(event=event, capacity=1)
    RegistrationFactory(event=event).tracks.add(track)
    client.force_login(UserFactory())
    data = {"tracks": [track.pk]}
    nl = client.post(reverse("events:event_register", args=[event.slug]), data)
    assert nl.status_code == 400 and "is volzet" in nl.text
    assert f'value="{track.pk}"' in nl.text and "checked" in nl.text
    en = client.post("/en" + reverse("events:event_register", args=[event.slug]), data)
    assert "is full. Choose another programme part" in en.text
    assert event.registrations.count() == 1


def test_group_form_keeps_input_on_bad_line(client):
    event = EventFactory(capacity=5)
    coordinator = MembershipFactory(role=Membership.Role.COORDINATOR)
    client.force_login(coordinator.user)
    url = reverse("events:event_register_group", args=[event.slug])
    text = "An Peeters, an@example.org\nzonder adres"
    response = client.post(url, {"organisation": coordinator.organisation.pk, "people": text})
    assert response.status_code == 400 and "Regel 2" in response.text
    assert "An Peeters, an@example.org" in response.text
    assert not event.registrations.exists()
    ok = client.post(
        url,
        {
            "organisation": coordinator.organisation.pk,
            "people": "An Peeters, an@example.org\nBo, bo@example.org",
        },
    )
    assert ok.status_code == 302 and event.registrations.count() == 2


def test_checkin_page_sync_certificate_and_export(client):
    event = EventFactory()
    staff = MembershipFactory(organisation=event.organiser, role=Membership.Role.MEMBER)
    person = UserFactory()
    registration = RegistrationFactory(
        event=event, person=person, email=person.email, name="=HYPERLINK(1)"
    )
    client.force_login(person)
    denied = client.get(reverse("events:registration_certificate", args=[registration.pk]))
    assert denied.status_code == 302
    client.force_login(staff.user)
    url = reverse("events:event_checkin", args=[event.slug])
    bad = client.post(url, {"code": "onbekend"})
    assert bad.status_code == 400 and "Onbekende code" in bad.text
    sync = client.post(
        reverse("events:event_checkin_sync", args=[event.slug]),
        json.dumps({"items": [{"code": registration.code}, {"code": registration.code}]}),
        content_type="application/json",
    )
    assert [r["ok"] for r in sync.json()["results"]] == [True, False]
    export = client.get(reverse("events:event_export", args=[event.slug]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A2"].value == "'=HYPERLINK(1)"
    client.force_login(person)
    pdf = client.get(reverse("events:registration_certificate", args=[registration.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_participants_page_forbidden_to_others(client):
    event = EventFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("events:event_participants", args=[event.slug])).status_code == 403
    other = RegistrationFactory()
    assert client.get(reverse("events:registration_qr", args=[other.pk])).status_code == 403
