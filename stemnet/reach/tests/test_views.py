"""Pages of the reach monitor: who may see what, and that the pages show the selectors' figures."""

import io
import re

import pytest
from django.urls import reverse

from stemnet.accounts.tests.factories import UserFactory
from stemnet.accounts.tests.html_checks import check_page
from stemnet.organisations.models import Organisation
from stemnet.organisations.tests.factories import OrganisationFactory, PartnershipMemberFactory
from stemnet.reach import selectors
from stemnet.reach.models import Participation
from stemnet.reach.tests.factories import (
    ParticipationFactory,
    coordinator_of,
    held_activity,
    municipality_of,
    vlaio_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures_2020():
    """Three history rows of 2020: Mechelen (2), Gent (1); one academy in a partnership."""
    academy = OrganisationFactory(name="STEM-academie Vonk")
    other = OrganisationFactory(name="STEM-academie Zeppelin", postcode="9000")
    partnership = OrganisationFactory(
        name="Neteland STEM-land", type=Organisation.Type.PARTNERSHIP, postcode="2200"
    )
    PartnershipMemberFactory(partnership=partnership, member=academy)
    ParticipationFactory(organisation=academy, participants=30, girls=12)
    ParticipationFactory(organisation=academy, participants=10, girls=5, kind="kamp")
    ParticipationFactory(
        organisation=other, municipality=municipality_of("44021"), participants=25, girls=10
    )
    return {"academy": academy, "other": other, "partnership": partnership}


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["reach:dashboard", "reach:export_xlsx", "reach:export_csv", "reach:history_upload"],
)
def test_staff_pages_send_anonymous_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name",
    ["reach:dashboard", "reach:export_xlsx", "reach:export_csv", "reach:history_upload"],
)
def test_staff_pages_are_forbidden_to_coordinators(client, name):
    user = coordinator_of(OrganisationFactory())
    client.force_login(user)
    assert client.get(reverse(name)).status_code == 403


def test_coordinator_pages_are_forbidden_to_other_users(client):
    client.force_login(UserFactory())
    assert client.get(reverse("reach:coordinator")).status_code == 403
    assert client.get(reverse("reach:participation_upload")).status_code == 403


def test_a_coordinator_cannot_record_for_another_organisations_activity(client):
    activity = held_activity(year=2025)
    client.force_login(coordinator_of(OrganisationFactory()))
    url = reverse("reach:participation_entry", args=[activity.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"year": 2025, "participants": 5}).status_code == 403
    assert not Participation.objects.exists()


def test_a_coordinator_cannot_open_another_organisation_by_slug(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    client.force_login(coordinator_of(mine))
    response = client.get(reverse("reach:coordinator") + f"?organisation={theirs.slug}")
    assert response.status_code == 403


# --- dashboard --------------------------------------------------------------------------------


def test_dashboard_shows_the_selector_figures(client, figures_2020):
    client.force_login(vlaio_user())
    response = client.get(reverse("reach:dashboard"), {"year": 2020})
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    summary = selectors.reach_summary(year=2020)
    assert summary["municipalities"]["reached"] == 2
    assert f"{summary['municipalities']['reached']} / {summary['municipalities']['total']}" in html
    assert "2 / 300" in html
    assert ">65<" in html  # participants
    # the map of that year's municipalities, the table and the SVG charts
    assert reverse("places:boundaries", args=["2019"]) in html
    assert '<svg role="img"' in html
    assert "<title id=" in html
    assert "Mechelen" in html and "Gent" in html
    # white spots: Gent and Mechelen have an offer, so they are not listed
    spots = {w["name"] for w in selectors.white_spots(year=2020)}
    assert "Mechelen" not in spots and "Lier" in spots


def test_dashboard_filters_by_academy_and_partnership(client, figures_2020):
    client.force_login(vlaio_user())
    response = client.get(
        reverse("reach:dashboard"),
        {"year": 2020, "partnership": figures_2020["partnership"].slug},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 / 300" in html
    assert ">40<" in html
    assert "Neteland STEM-land" in html  # region view


def test_dashboard_htmx_request_gets_only_the_results(client, figures_2020):
    client.force_login(vlaio_user())
    response = client.get(reverse("reach:dashboard"), {"year": 2020}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="reach-results"')
    assert "<html" not in html


def test_dashboard_of_2025_uses_2025_boundaries_and_notes_the_merger_mapping(client):
    ParticipationFactory(year=2020, participants=10, girls=5)
    ParticipationFactory(year=2025, participants=20, girls=5)
    client.force_login(vlaio_user())
    response = client.get(reverse("reach:dashboard"), {"year": 2025})
    html = response.content.decode()
    assert reverse("places:boundaries", args=["2025"]) in html
    assert "1 / 285" in html
    assert "fusiekoppeling" in html


def test_dashboard_bad_filter_value_keeps_working(client, figures_2020):
    client.force_login(vlaio_user())
    response = client.get(reverse("reach:dashboard"), {"year": "abc", "kind": "nope"})
    assert response.status_code == 200


# --- public page ------------------------------------------------------------------------------


def test_public_page_needs_no_login_and_shows_the_figures(client, figures_2020):
    response = client.get(reverse("reach:public_figures"), {"year": 2020})
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert "2 / 300" in html
    assert "geen namen" in html.lower() or "no names" in html.lower()
    assert reverse("places:boundaries", args=["2019"]) in html


def test_public_page_defaults_to_the_latest_complete_year(client, figures_2020):
    response = client.get(reverse("reach:public_figures"))
    assert response.context["year"] == 2020


# --- coordinator ------------------------------------------------------------------------------


def test_coordinator_sees_activities_and_records_participation_in_the_grid(client):
    activity = held_activity(year=2025)
    user = coordinator_of(activity.organiser)
    client.force_login(user)
    page = client.get(reverse("reach:coordinator"))
    assert page.status_code == 200
    assert activity.title in page.content.decode()
    assert "nog niet ingevuld" in page.content.decode()

    url = reverse("reach:participation_entry", args=[activity.pk]) + "?year=2025"
    form = client.get(url)
    assert form.status_code == 200
    check_page(form.content.decode())
    session = activity.sessions.get()
    data = {
        "year": 2025,
        "participants": 12,
        "age_9": 5,
        "age_10": 4,
        "girls": 7,
        "boys": 4,
        "group_uitpas": 3,
        "residence_0": "2800",
        "residence_count_0": 8,
        "residence_1": "2820",
        "residence_count_1": 2,
        f"session_{session.pk}": 11,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    p = Participation.objects.get(activity=activity, year=2025)
    assert (p.participants, p.girls, p.boys, p.gender_x, p.attendances) == (12, 7, 4, 0, 11)
    ages = {b.age: b.count for b in p.breakdown.filter(dimension="age")}
    assert ages == {9: 5, 10: 4}
    residences = {b.residence.nis_code: b.count for b in p.breakdown.filter(dimension="residence")}
    assert residences == {"12025": 8, "12005": 2}
    groups = {b.target_group.slug: b.count for b in p.breakdown.filter(dimension="target_group")}
    assert groups == {"uitpas": 3}
    # reopening shows what was entered
    again = client.get(url)
    assert again.context["form"].initial["age_9"] == 5
    assert again.context["form"].initial["residence_count_0"] in (8, 2)


def test_grid_with_too_many_girls_keeps_the_input_and_saves_nothing(client):
    activity = held_activity(year=2025)
    client.force_login(coordinator_of(activity.organiser))
    url = reverse("reach:participation_entry", args=[activity.pk])
    response = client.post(url, {"year": 2025, "participants": 5, "girls": 4, "boys": 3})
    assert response.status_code == 200
    html = response.content.decode()
    assert "meer dan" in html
    assert 'value="4"' in html
    assert not Participation.objects.exists()


def test_grid_with_an_unknown_postcode_shows_the_reason(client):
    activity = held_activity(year=2025)
    client.force_login(coordinator_of(activity.organiser))
    url = reverse("reach:participation_entry", args=[activity.pk])
    response = client.post(
        url, {"year": 2025, "participants": 5, "residence_0": "0000", "residence_count_0": 2}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "0000" in html
    # Issue 12: a Dutch page names the field in Dutch, not by the file's column code.
    assert ", woonplaats: " in html and ", residence: " not in html
    assert not Participation.objects.exists()


def _csv(text: str, name: str = "deelname.csv"):
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def test_upload_reports_every_bad_row_and_saves_nothing(client):
    activity = held_activity(year=2025)
    client.force_login(coordinator_of(activity.organiser))
    text = (
        "activity_id,year,age,residence,target_group,participants,girls,boys,x,attendances\n"
        f"{activity.pk},2025,9,2800,,4,2,2,0,\n"
        f"{activity.pk},2025,30,2800,,4,2,2,0,\n"
        f"999999,2025,9,2800,,4,2,2,0,\n"
    )
    response = client.post(
        reverse("reach:participation_upload") + f"?organisation={activity.organiser.slug}",
        {"organisation": activity.organiser.slug, "file": _csv(text)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tr><th scope="row">(\d+)</th>', html)
    assert rows == ["3", "4"]
    assert not Participation.objects.exists()


def test_upload_of_a_good_file_records_participation(client):
    activity = held_activity(year=2025)
    client.force_login(coordinator_of(activity.organiser))
    text = (
        "activity_id,year,age,residence,target_group,participants,girls,boys,x,attendances\n"
        f"{activity.pk},2025,9,2800,uitpas,4,2,2,0,8\n"
        f"{activity.pk},2025,10,,,3,1,1,0,\n"
    )
    response = client.post(
        reverse("reach:participation_upload"),
        {"organisation": activity.organiser.slug, "file": _csv(text)},
    )
    assert response.status_code == 302
    assert Participation.objects.get(activity=activity).participants == 7


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_upload_template_downloads(client, fmt):
    organisation = OrganisationFactory()
    client.force_login(coordinator_of(organisation))
    response = client.get(
        reverse("reach:participation_template", args=[fmt]) + f"?organisation={organisation.slug}"
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


# --- history upload ---------------------------------------------------------------------------


def test_vlaio_staff_import_history_and_see_bad_rows(client):
    client.force_login(vlaio_user())
    header = (
        "year,organisation,activity,kind,municipality_nis,age_min,age_max,participants,girls,"
        "uitpas\n"
    )
    bad = (
        header
        + "2020,Academie X,Reeks A,reeks,12025,8,12,20,5,0\n"
        + "2020,Academie X,Reeks B,vlieger,12025,8,12,20,5,0\n"
    )
    response = client.post(reverse("reach:history_upload"), {"file": _csv(bad, "h.csv")})
    assert response.status_code == 200
    assert "vlieger" in response.content.decode()
    assert not Participation.objects.exists()
    existing = OrganisationFactory(name="STEM-academie Mechelen")
    good = (
        header
        + "2020,Academie X,Reeks A,reeks,12025,8,12,20,5,0\n"
        + "2020,STEM-akademie Mechelen,Reeks B,reeks,12025,8,12,30,5,0\n"
    )
    url = reverse("reach:history_upload")
    response = client.post(url, {"file": _csv(good, "h.csv")})
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    # A preview: the misspelling matched to the existing academy, the new one announced.
    assert 'id="history-preview"' in html
    assert "STEM-akademie Mechelen" in html and existing.get_absolute_url() in html
    assert "bijna gelijk" in html
    assert "nieuwe academie, publiek in de gids" in html
    assert not Participation.objects.exists()
    assert not Organisation.objects.filter(name="Academie X").exists()
    digest = response.context["preview"].digest
    # A stale preview imports nothing.
    response = client.post(url, {"confirm": "1", "digest": "other"})
    assert response.status_code == 200 and not Participation.objects.exists()
    response = client.post(url, {"confirm": "1", "digest": digest})
    assert response.status_code == 302
    assert Participation.objects.get(history_activity_name="Reeks A").participants == 20
    assert Participation.objects.get(history_activity_name="Reeks B").organisation == existing
    assert Organisation.objects.filter(name="Academie X").count() == 1
    # The stored file is gone: confirming twice imports nothing more.
    response = client.post(url, {"confirm": "1", "digest": digest})
    assert response.status_code == 302 and Participation.objects.count() == 2


def test_a_school_enters_its_pupils_and_the_dashboard_shows_the_share(client):
    from stemnet.reach.models import SchoolReach

    school = OrganisationFactory(name="Basisschool De Klimop", type=Organisation.Type.SCHOOL)
    client.force_login(coordinator_of(school))
    url = reverse("reach:school_reach") + f"?organisation={school.slug}"
    bad = client.post(url, {"year": 2025, "pupils_total": 100, "pupils_reached": 140})
    assert bad.status_code == 200
    assert not SchoolReach.objects.exists()
    assert (
        client.post(url, {"year": 2025, "pupils_total": 200, "pupils_reached": 146}).status_code
        == 302
    )
    client.force_login(vlaio_user())
    html = client.get(reverse("reach:dashboard"), {"year": 2025}).content.decode()
    assert "Basisschool De Klimop" in html
    assert "73,0 %" in html


def test_only_schools_enter_pupil_counts(client):
    academy = OrganisationFactory()
    client.force_login(coordinator_of(academy))
    response = client.get(reverse("reach:school_reach") + f"?organisation={academy.slug}")
    assert response.status_code == 404


def test_public_page_in_english(client, figures_2020):
    response = client.get("/en/bereik/cijfers/", {"year": 2020})
    assert response.status_code == 200
    html = response.content.decode()
    assert "STEM in figures" in html
    assert "2 / 300" in html


def test_a_partnership_coordinator_sees_the_reach_of_its_members(client, figures_2020):
    partnership = figures_2020["partnership"]
    partnership.municipalities_served.set(
        [municipality_of("12025", "2025"), municipality_of("12005", "2025")]
    )
    client.force_login(coordinator_of(partnership))
    response = client.get(reverse("reach:coordinator"), {"year": 2020})
    assert response.status_code == 200
    assert response.context["summary"]["participants"] == 40
    html = response.content.decode()
    assert "Mechelen" in html and "Bonheiden" in html


def test_public_page_states_only_the_provenance_the_records_have(client, figures_2020):
    """figures_2020 holds history rows of 2020 only: no claim of annual reports, no demo."""
    html = client.get(reverse("reach:public_figures"), {"year": 2020}).content.decode()
    assert "jaarverslagen" not in html and "annual reports" not in html
    assert "Jaren met cijfers ingevoerd uit gegevens van vóór STEMnet: 2020." in html
    assert "3 activiteiten ingevoerd door VLAIO" in html
    assert "demo" not in html.lower()
    # A demo row of 2020 and demo data loaded: the page says so next to the figures.
    from stemnet.core.services import demo_data_record
    from stemnet.reach.models import Source

    ParticipationFactory(source=Source.DEMO, participants=7, girls=3)
    demo_data_record(seed=1)
    html = client.get(reverse("reach:public_figures"), {"year": 2020}).content.decode()
    assert 'id="demo-figures-note"' in html
    assert "1 activiteit van 2020 heeft verzonnen democijfers." in html
    assert "Jaren met verzonnen democijfers: 2020." in html


def test_a_vlaio_reviewer_gets_no_dashboard_exports_or_history_import(client):
    """Reviewers in VLAIO's pool are not staff: no figures, no files, no new academies."""
    from stemnet.accounts.tests.factories import activate_totp
    from stemnet.organisations.tests.factories import MembershipFactory

    reviewer = UserFactory()
    vlaio = OrganisationFactory(name="VLAIO", type=Organisation.Type.VLAIO)
    MembershipFactory(user=reviewer, organisation=vlaio, role="reviewer")
    activate_totp(reviewer)
    client.force_login(reviewer)
    for name in ("reach:dashboard", "reach:export_xlsx", "reach:export_csv"):
        assert client.get(reverse(name), {"year": 2020}).status_code == 403, name
    history = (
        "year,organisation,activity,kind,municipality_nis,age_min,age_max,participants,girls,"
        "uitpas\n2020,Nieuwe Academie,Reeks A,reeks,12025,8,12,20,5,0\n"
    )
    response = client.post(reverse("reach:history_upload"), {"file": _csv(history, "h.csv")})
    assert response.status_code == 403
    assert not Participation.objects.exists()
    assert not Organisation.objects.filter(name="Nieuwe Academie").exists()


def test_history_read_as_windows_1252_says_so_in_the_preview_and_after_import(client):
    """Excel on Windows saves CSV as Windows-1252: the import reads it and tells the officer,
    so accents can be checked before confirming (as the agenda import does)."""
    client.force_login(vlaio_user())
    text = (
        "year,organisation,activity,kind,municipality_nis,age_min,age_max,participants,girls,"
        "uitpas\n2020,Académie Brugge,Robotreeks,reeks,31005,8,12,20,9,3\n"
    )
    url = reverse("reach:history_upload")
    upload = io.BytesIO(text.encode("cp1252"))
    upload.name = "h.csv"
    response = client.post(url, {"file": upload})
    html = response.content.decode()
    assert 'id="file-notes"' in html and "Windows-1252" in html
    assert "Académie Brugge" in html  # read without garbling
    response = client.post(
        url, {"confirm": "1", "digest": response.context["preview"].digest}, follow=True
    )
    assert "Windows-1252" in response.content.decode()
    assert Participation.objects.get().organisation.name == "Académie Brugge"
    # A UTF-8 file gets no such note.
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "h.csv"
    assert 'id="file-notes"' not in client.post(url, {"file": upload}).content.decode()
