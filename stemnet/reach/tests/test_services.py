import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stemnet.agenda.models import Activity
from stemnet.agenda.tests.factories import SessionFactory
from stemnet.core.models import AuditEntry
from stemnet.organisations.tests.factories import OrganisationFactory
from stemnet.places.models import Municipality
from stemnet.reach import selectors, services
from stemnet.reach.models import Participation, ParticipationBreakdown, SchoolReach, Source
from stemnet.reach.tests.factories import coordinator_of, held_activity, moment

pytestmark = pytest.mark.django_db

ROWS = [
    {"age": 8, "residence": "2800", "target_group": "uitpas", "participants": 3, "girls": 2},
    {"age": 9, "residence": "12025", "participants": 5, "boys": 4, "x": 1},
    {"participants": 2},
]


def test_grid_entry_stores_marginals_and_replaces():
    activity = held_activity(year=2025, kind=Activity.Kind.SERIES)
    user = coordinator_of(activity.organiser)
    p = services.participation_record(activity=activity, actor=user, rows=ROWS)
    assert (p.year, p.participants, p.girls, p.boys, p.gender_x) == (2025, 10, 2, 4, 1)
    assert p.gender_unknown == 3
    assert p.municipality.nis_code == "12025" and p.municipality.vintage == "2025"
    assert p.source == Source.ENTRY
    counts = {
        (b.dimension, b.age or b.residence_id or b.target_group.slug): b.count
        for b in p.breakdown.select_related("target_group")
    }
    mechelen = Municipality.objects.current().get(nis_code="12025").pk
    assert counts == {
        ("age", 8): 3,
        ("age", 9): 5,
        ("residence", mechelen): 8,
        ("target_group", "uitpas"): 3,
    }
    assert AuditEntry.objects.filter(code="reach.participation.created").count() == 1

    # Entering again replaces (one row per activity and year), never adds up.
    services.participation_record(activity=activity, actor=user, rows=[{"participants": 4}])
    p = Participation.objects.get()
    assert p.participants == 4 and p.girls == 0
    assert not p.breakdown.exists()
    ages = {
        r["key"]: r["participants"]
        for r in selectors.participants_breakdown(year=2025, by="age_band")
    }
    assert ages["unknown"] == 4


def test_session_attendances_add_up():
    activity = held_activity(year=2025)
    second = SessionFactory(
        activity=activity, starts_at=moment(2025, 4), ends_at=moment(2025, 4, hour=16)
    )
    first = activity.sessions.order_by("starts_at").first()
    user = coordinator_of(activity.organiser)
    p = services.participation_record(
        activity=activity,
        actor=user,
        rows=[{"participants": 12}],
        session_attendances={first.pk: 12, second.pk: 9},
    )
    assert p.participants == 12  # a child who came twice counts once
    assert p.attendances == 21
    with pytest.raises(ValidationError):
        services.participation_record(
            activity=activity,
            actor=user,
            rows=[{"participants": 12}],
            session_attendances={999999: 3},
        )


def test_bad_rows_name_row_and_field_and_write_nothing():
    activity = held_activity(year=2025)
    user = coordinator_of(activity.organiser)
    bad = [
        {"age": 4, "participants": 3},
        {"participants": -1},
        {"participants": 2, "girls": 3},
        {"participants": 1, "residence": "9999"},
        {"participants": 1, "residence": "99999"},
        {"participants": 1, "target_group": "nope"},
    ]
    with pytest.raises(ValidationError) as info:
        services.participation_record(activity=activity, actor=user, rows=bad)
    text = " ".join(info.value.messages)
    # Fields are named in the reader's language, not by the file's column codes.
    for expected in [
        "Rij 1, leeftijd",
        "Rij 2, deelnemers",
        "Rij 3, meisjes",
        "Rij 4, woonplaats",
        "Rij 5, woonplaats",
        "Rij 6, doelgroep",
    ]:
        assert expected in text
    assert not Participation.objects.exists()


def test_permissions_other_organisation_forbidden():
    activity = held_activity(year=2025)
    stranger = coordinator_of(OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.participation_record(activity=activity, actor=stranger, rows=[{"participants": 1}])
    assert not stranger.has_perm("reach.record_participation", activity)
    assert coordinator_of(activity.organiser).has_perm("reach.record_participation", activity)
    assert not Participation.objects.exists()


def test_year_must_be_a_session_year_and_drafts_refused():
    activity = held_activity(year=2025)
    user = coordinator_of(activity.organiser)
    with pytest.raises(ValidationError):
        services.participation_record(
            activity=activity, actor=user, rows=[{"participants": 1}], year=2023
        )
    SessionFactory(activity=activity, starts_at=moment(2024), ends_at=moment(2024, hour=16))
    with pytest.raises(ValidationError):  # two years: the year must be chosen
        services.participation_record(activity=activity, actor=user, rows=[{"participants": 1}])
    p = services.participation_record(
        activity=activity, actor=user, rows=[{"participants": 1}], year=2024
    )
    # Before 2025 the 2025 municipality is mapped to the 2019-2024 one (Mechelen unchanged).
    assert p.municipality.vintage == "2019" and p.municipality.nis_code == "12025"
    draft = held_activity(year=2025, status=Activity.Status.DRAFT, organiser=activity.organiser)
    with pytest.raises(ValidationError):
        services.participation_record(activity=draft, actor=user, rows=[{"participants": 1}])


def test_residence_mapping_for_pre_2025_years():
    # Postcode 2150 lies in Antwerpen (2025); in 2024 it was Borsbeek.
    assert services.residence_for("2150", 2024).nis_code == "11007"
    assert services.residence_for("2150", 2025).nis_code == "11002"
    # A 2019 NIS code used for 2025 becomes the merged municipality.
    assert services.residence_for("11007", 2025).nis_code == "11002"
    assert services.residence_for("12025", 2020).vintage == "2019"


def test_school_reach_record():
    school = OrganisationFactory(type="school")
    user = coordinator_of(school)
    row = services.school_reach_record(
        school=school, year=2024, pupils_total=200, pupils_reached=150, actor=user
    )
    assert row.pupils_reached == 150
    with pytest.raises(ValidationError):
        services.school_reach_record(
            school=school, year=2024, pupils_total=100, pupils_reached=150, actor=user
        )
    with pytest.raises(PermissionDenied):
        services.school_reach_record(
            school=school,
            year=2024,
            pupils_total=1,
            pupils_reached=1,
            actor=coordinator_of(OrganisationFactory()),
        )
    assert SchoolReach.objects.get().pupils_total == 200


def test_delete_participation():
    activity = held_activity(year=2025)
    user = coordinator_of(activity.organiser)
    p = services.participation_record(activity=activity, actor=user, rows=ROWS)
    with pytest.raises(PermissionDenied):
        services.participation_delete(participation=p, actor=coordinator_of(OrganisationFactory()))
    services.participation_delete(participation=p, actor=user)
    assert not Participation.objects.exists()
    assert not ParticipationBreakdown.objects.exists()


def test_demo_seed_and_clear():
    import random

    from stemnet.reach import demo

    academy = OrganisationFactory(name="Demo-academie", is_demo=True)
    past = held_activity(year=2025, organiser=academy, is_demo=True)
    held_activity(year=2025)  # a real activity is never touched
    count = demo.seed(random.Random("t"))
    assert Participation.objects.filter(activity=past, source="demo").count() <= 1
    history = Participation.objects.filter(activity__isnull=True, source="demo")
    assert history.exists() and count == Participation.objects.count()
    assert set(history.values_list("organisation__is_demo", flat=True)) == {True}
    summary = selectors.reach_summary(year=2020)
    assert summary["municipalities"]["total"] == 300 and summary["participants"] > 0
    assert demo.seed(random.Random("t")) == count  # deterministic, replaces
    demo.clear()
    assert not Participation.objects.exists()


def test_rules_and_history_permission():
    from stemnet.reach.tests.factories import HISTORY_CSV, vlaio_user

    staff = vlaio_user()
    coordinator = coordinator_of(OrganisationFactory())
    assert staff.has_perm("reach.view_dashboard")
    assert staff.has_perm("reach.import_history")
    assert not coordinator.has_perm("reach.view_dashboard")
    assert not coordinator.has_perm("reach.import_history")
    with pytest.raises(PermissionDenied):
        services.reach_history_import(file=str(HISTORY_CSV), actor=coordinator)
    assert not Participation.objects.exists()
    header = "year,organisation,activity,kind,municipality_nis,age_min,age_max,participants,"
    text = header + "girls,uitpas\n2020,Academie,Reeks,reeks,12025,8,12,20,9,3\n"
    result = services.reach_history_import(file=("h.csv", text.encode()), actor=staff)
    assert result.ok and Participation.objects.get().created_by == staff
    assert selectors.participation_recorded_by(staff)[0]["participants"] == 20
