import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stemnet.agenda import services
from stemnet.agenda.models import Activity, ApiToken, Domain, Session, Theme
from stemnet.agenda.tests.factories import ActivityFactory, in_days
from stemnet.core.audit import entries_for
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

BRU = ZoneInfo("Europe/Brussels")
S = Activity.Status


def local(y, m, d, h=14, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=BRU)


@pytest.fixture
def organisation():
    return OrganisationFactory(name="STEM-academie Mechelen", street="Grote Markt 1")


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation).user


def base_data(**extra):
    data = {
        "title": "Robots bouwen",
        "description": "We bouwen en programmeren robots.",
        "kind": Activity.Kind.WORKSHOP,
        "age_min": 8,
        "age_max": 12,
        "venue_name": "Bib Leuven",
        "street": "Rijschoolstraat 4",
        "postcode": "3000",
        "price": Decimal("5.00"),
        "domains": list(Domain.objects.filter(slug="technology")),
    }
    data.update(extra)
    return data


# --- create --------------------------------------------------------------------------------


def test_create_resolves_municipality_and_point_from_postcode(organisation, coordinator):
    activity = services.activity_create(
        organisation=organisation, actor=coordinator, data=base_data()
    )
    activity.refresh_from_db()
    assert activity.status == S.DRAFT
    assert activity.municipality.nis_code == "24062"  # Leuven
    assert 50.8 < activity.lat < 50.95 and 4.6 < activity.lon < 4.8
    assert activity.organiser == organisation
    assert activity.created_by == coordinator
    assert activity.labels == ["stemindevrijetijd"]
    assert [d.slug for d in activity.domains.all()] == ["technology"]
    assert "robots" in activity.search_text  # reindexed by the search module
    assert [e.code for e in entries_for(activity)] == ["agenda.activity.created"]


def test_create_uses_the_organisations_address_without_a_place(organisation, coordinator):
    data = base_data(venue_name="", street="", postcode="")
    activity = services.activity_create(organisation=organisation, actor=coordinator, data=data)
    assert activity.venue_name == "STEM-academie Mechelen"
    assert activity.street == "Grote Markt 1"
    assert activity.postcode == "2800"
    assert activity.municipality.nis_code == "12025"


def test_create_with_sessions_sets_first_start(organisation, coordinator):
    start, end = local(2026, 12, 2), local(2026, 12, 2, 16)
    activity = services.activity_create(
        organisation=organisation, actor=coordinator, data=base_data(sessions=[(start, end)])
    )
    activity.refresh_from_db()
    assert activity.first_start == start and activity.last_end == end


def test_unknown_postcode_is_a_postcode_error(organisation, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            organisation=organisation, actor=coordinator, data=base_data(postcode="9999")
        )
    assert list(exc.value.message_dict) == ["postcode"]
    assert "9999" in exc.value.message_dict["postcode"][0]
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("ages", "field"),
    [((4, 10), "age_min"), ((8, 19), "age_max"), ((12, 8), "age_max")],
)
def test_ages_are_checked_per_field(organisation, coordinator, ages, field):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            organisation=organisation,
            actor=coordinator,
            data=base_data(age_min=ages[0], age_max=ages[1]),
        )
    assert field in exc.value.message_dict


def test_all_field_errors_are_reported_at_once(organisation, coordinator):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            organisation=organisation,
            actor=coordinator,
            data=base_data(title="", kind="concert", postcode="9999", capacity=5, places_left=9),
        )
    assert {"title", "kind", "postcode", "places_left"} <= set(exc.value.message_dict)


# --- update, read-only ------------------------------------------------------------------------


def test_update_changes_fields_place_and_m2m(organisation, coordinator):
    activity = services.activity_create(
        organisation=organisation, actor=coordinator, data=base_data()
    )
    robotica = Theme.objects.get(slug="robotica")
    services.activity_update(
        activity=activity,
        actor=coordinator,
        data={"title": "Robots en sensoren", "postcode": "2800", "themes": [robotica]},
    )
    activity.refresh_from_db()
    assert activity.title == "Robots en sensoren"
    assert activity.municipality.nis_code == "12025"
    assert list(activity.themes.all()) == [robotica]
    assert "sensoren" in activity.search_text
    assert entries_for(activity).first().code == "agenda.activity.updated"


def test_update_of_a_published_activity_keeps_it_publishable(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation)
    with pytest.raises(ValidationError) as exc:
        services.activity_update(activity=activity, actor=coordinator, data={"sessions": []})
    assert "sessions" in exc.value.message_dict
    assert activity.sessions.count() == 1


def test_imported_from_uit_is_read_only(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation, source=Activity.Source.UIT)
    calls = [
        lambda: services.activity_update(activity=activity, actor=coordinator, data={}),
        lambda: services.activity_cancel(activity=activity, actor=coordinator, reason="x"),
        lambda: services.activity_archive(activity=activity, actor=coordinator),
        lambda: services.activity_unpublish(activity=activity, actor=coordinator),
        lambda: services.session_add(
            activity=activity, actor=coordinator, starts_at=in_days(3), ends_at=in_days(3, 16)
        ),
        lambda: services.session_remove(session=activity.sessions.first(), actor=coordinator),
        lambda: services.sessions_add_weekly(
            activity=activity,
            actor=coordinator,
            first_start=in_days(3),
            duration=dt.timedelta(hours=2),
            weeks=2,
        ),
    ]
    for call in calls:
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.code == "read_only"
    activity.refresh_from_db()
    assert activity.status == S.PUBLISHED and activity.sessions.count() == 1


# --- status machine -------------------------------------------------------------------------

ACTIONS = {
    S.DRAFT: lambda a, u: services.activity_unpublish(activity=a, actor=u),
    S.PUBLISHED: lambda a, u: services.activity_publish(activity=a, actor=u),
    S.CANCELLED: lambda a, u: services.activity_cancel(activity=a, actor=u, reason="Ziekte"),
    S.ARCHIVED: lambda a, u: services.activity_archive(activity=a, actor=u),
}
ALLOWED = {
    (S.DRAFT, S.PUBLISHED),
    (S.DRAFT, S.ARCHIVED),
    (S.PUBLISHED, S.CANCELLED),
    (S.PUBLISHED, S.ARCHIVED),
    (S.PUBLISHED, S.DRAFT),
    (S.CANCELLED, S.PUBLISHED),
    (S.CANCELLED, S.ARCHIVED),
}


def test_transitions_table_is_the_documented_one():
    table = {(a, b) for a, targets in services.TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_transition_pair(organisation, coordinator, source, target):
    activity = ActivityFactory(organiser=organisation, status=source)
    if (source, target) in ALLOWED:
        ACTIONS[target](activity, coordinator)
        activity.refresh_from_db()
        assert activity.status == target
        assert entries_for(activity).exists()
    else:
        with pytest.raises(ValidationError) as exc:
            ACTIONS[target](activity, coordinator)
        assert exc.value.code == "invalid_transition"
        activity.refresh_from_db()
        assert activity.status == source


def test_publish_needs_a_session_and_a_domain(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation, status=S.DRAFT, sessions=[], domains=[])
    with pytest.raises(ValidationError) as exc:
        services.activity_publish(activity=activity, actor=coordinator)
    assert set(exc.value.message_dict) == {"sessions", "domains"}
    activity.refresh_from_db()
    assert activity.status == S.DRAFT


def test_publish_sets_published_at_and_clears_cancel_reason(organisation, coordinator):
    activity = ActivityFactory(
        organiser=organisation, status=S.CANCELLED, cancel_reason="Ziek", published_at=None
    )
    services.activity_publish(activity=activity, actor=coordinator)
    activity.refresh_from_db()
    assert activity.status == S.PUBLISHED
    assert activity.published_at is not None
    assert activity.cancel_reason == ""


def test_cancel_needs_a_reason(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation)
    with pytest.raises(ValidationError) as exc:
        services.activity_cancel(activity=activity, actor=coordinator, reason="  ")
    assert "reason" in exc.value.message_dict
    services.activity_cancel(
        activity=activity, actor=coordinator, reason="Te weinig inschrijvingen"
    )
    activity.refresh_from_db()
    assert activity.status == S.CANCELLED
    assert activity.cancel_reason == "Te weinig inschrijvingen"
    assert entries_for(activity).first().data == {"reason": "Te weinig inschrijvingen"}


# --- duplicate ------------------------------------------------------------------------------


def test_duplicate_without_sessions(organisation, coordinator):
    original = ActivityFactory(
        organiser=organisation,
        themes=["robotica"],
        source=Activity.Source.IMPORT,
        external_id="1:a",
    )
    copy = services.activity_duplicate(activity=original, actor=coordinator)
    assert copy.pk != original.pk
    assert copy.status == S.DRAFT and copy.published_at is None
    assert copy.source == Activity.Source.OWN and copy.external_id == ""
    assert copy.title.startswith(original.title)
    assert copy.sessions.count() == 0
    assert [t.slug for t in copy.themes.all()] == ["robotica"]
    assert list(copy.domains.all()) == list(original.domains.all())
    assert original.sessions.count() == 1
    assert entries_for(copy).first().data["from"] == original.pk


def test_duplicate_shifts_sessions_by_weeks_at_the_same_local_time(organisation, coordinator):
    original = ActivityFactory(
        organiser=organisation, sessions=[(local(2026, 3, 18), local(2026, 3, 18, 16))]
    )
    copy = services.activity_duplicate(activity=original, actor=coordinator, shift_weeks=2)
    session = copy.sessions.get()
    # 18 March is winter time, 1 April summer time: still 14:00-16:00 on the clock.
    assert session.starts_at == local(2026, 4, 1)
    assert session.ends_at == local(2026, 4, 1, 16)
    copy.refresh_from_db()
    assert copy.first_start == local(2026, 4, 1)


# --- sessions -------------------------------------------------------------------------------


def test_session_add_and_remove(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation, status=S.DRAFT, sessions=[])
    session = services.session_add(
        activity=activity,
        actor=coordinator,
        starts_at=local(2026, 12, 2),
        ends_at=local(2026, 12, 2, 16),
    )
    activity.refresh_from_db()
    assert activity.first_start == local(2026, 12, 2)
    services.session_remove(session=session, actor=coordinator)
    activity.refresh_from_db()
    assert activity.first_start is None
    codes = [e.code for e in entries_for(activity)]
    assert codes == ["agenda.activity.session_removed", "agenda.activity.session_added"]


def test_session_must_end_after_it_starts(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation, sessions=[])
    with pytest.raises(ValidationError):
        services.session_add(
            activity=activity,
            actor=coordinator,
            starts_at=local(2026, 12, 2),
            ends_at=local(2026, 12, 2),
        )


def test_the_last_session_of_a_published_activity_stays(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation)
    with pytest.raises(ValidationError):
        services.session_remove(session=activity.sessions.get(), actor=coordinator)
    assert activity.sessions.count() == 1


def test_weekly_series_keeps_local_time_across_dst(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation, status=S.DRAFT, sessions=[])
    added = services.sessions_add_weekly(
        activity=activity,
        actor=coordinator,
        first_start=local(2026, 10, 14),
        duration=dt.timedelta(hours=2),
        weeks=4,
    )
    assert len(added) == 4
    sessions = list(Session.objects.filter(activity=activity).order_by("starts_at"))
    assert [timezone.localtime(s.starts_at, BRU).strftime("%Y-%m-%d %H:%M") for s in sessions] == [
        "2026-10-14 14:00",
        "2026-10-21 14:00",
        "2026-10-28 14:00",
        "2026-11-04 14:00",
    ]
    assert [timezone.localtime(s.ends_at, BRU).hour for s in sessions] == [16, 16, 16, 16]
    # In UTC the clock change shows: 12:00 in summer time, 13:00 in winter time.
    utc = [s.starts_at.astimezone(dt.UTC).hour for s in sessions]
    assert utc == [12, 12, 13, 13]
    assert entries_for(activity).first().data["count"] == 4


def test_weekly_series_skips_dates(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation, status=S.DRAFT, sessions=[])
    services.sessions_add_weekly(
        activity=activity,
        actor=coordinator,
        first_start=local(2026, 10, 14),
        duration=dt.timedelta(hours=1, minutes=30),
        weeks=4,
        skip_dates=[dt.date(2026, 10, 28)],
    )
    days = [timezone.localtime(s.starts_at, BRU).day for s in activity.sessions.all()]
    assert days == [14, 21, 4]
    activity.refresh_from_db()
    assert activity.last_end == local(2026, 11, 4, 15, 30)


@pytest.mark.parametrize("weeks", [0, 53])
def test_weekly_series_limits_weeks(organisation, coordinator, weeks):
    activity = ActivityFactory(organiser=organisation, sessions=[])
    with pytest.raises(ValidationError) as exc:
        services.sessions_add_weekly(
            activity=activity,
            actor=coordinator,
            first_start=local(2026, 10, 14),
            duration=dt.timedelta(hours=2),
            weeks=weeks,
        )
    assert "weeks" in exc.value.message_dict


# --- API tokens -----------------------------------------------------------------------------


def test_api_token_is_stored_as_a_hash_and_can_be_revoked(organisation, coordinator):
    new = services.api_token_create(organisation=organisation, actor=coordinator, name="Website")
    token = ApiToken.objects.get()
    assert new.key.startswith("stn_") and len(new.key) > 40
    assert token.key_hash == services.token_hash(new.key) != new.key
    assert token.prefix == new.key[:12]
    services.api_token_revoke(token=token, actor=coordinator)
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_active


def test_api_token_needs_a_name(organisation, coordinator):
    with pytest.raises(ValidationError):
        services.api_token_create(organisation=organisation, actor=coordinator, name=" ")


def test_archived_activities_are_frozen(organisation, coordinator):
    activity = ActivityFactory(organiser=organisation, status=S.ARCHIVED)
    for call in (
        lambda: services.activity_update(activity=activity, actor=coordinator, data={"title": "x"}),
        lambda: services.session_add(
            activity=activity, actor=coordinator, starts_at=in_days(3), ends_at=in_days(3, 16)
        ),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert exc.value.code == "archived"
    # but it can be duplicated
    copy = services.activity_duplicate(activity=activity, actor=coordinator)
    assert copy.status == S.DRAFT


def test_deferred_reindex_runs_once_at_the_end(organisation, coordinator, monkeypatch):
    from stemnet.agenda import search

    calls = []
    real = search.activity_reindex
    monkeypatch.setattr(
        search, "activity_reindex", lambda ids: calls.append(list(ids)) or real(ids)
    )
    with services.deferred_reindex():
        a = services.activity_create(organisation=organisation, actor=coordinator, data=base_data())
        b = services.activity_create(
            organisation=organisation, actor=coordinator, data=base_data(title="Tweede")
        )
        assert calls == []
    assert calls == [sorted([a.pk, b.pk])]
    a.refresh_from_db()
    assert "robots" in a.search_text
