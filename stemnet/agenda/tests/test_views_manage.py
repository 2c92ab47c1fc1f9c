import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from stemnet.accounts.tests.factories import UserFactory
from stemnet.agenda import services
from stemnet.agenda.models import Activity, ApiToken, Domain
from stemnet.agenda.tests.factories import ActivityFactory
from stemnet.core.models import Job
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

BRU = ZoneInfo("Europe/Brussels")
S = Activity.Status


@pytest.fixture
def organisation():
    return OrganisationFactory(name="STEM-academie Mechelen")


@pytest.fixture
def coordinator(organisation):
    return MembershipFactory(organisation=organisation).user


@pytest.fixture
def activity(organisation):
    return ActivityFactory(organiser=organisation, status=S.DRAFT, title="Robots bouwen")


def login(client, user):
    client.force_login(user)
    return client


def activity_urls(pk):
    names = [
        "activity_edit",
        "activity_preview",
        "activity_publish",
        "activity_unpublish",
        "activity_cancel",
        "activity_archive",
        "activity_duplicate",
        "sessions",
    ]
    return [reverse(f"agenda:{name}", kwargs={"pk": pk}) for name in names]


def organisation_urls(organisation):
    query = f"?organisation={organisation.slug}"
    names = ["manage_list", "activity_create", "import_start", "import_template", "api_tokens"]
    return [reverse(f"agenda:{name}") + query for name in names]


def job_urls(job):
    return [
        reverse("agenda:import_job", kwargs={"pk": job.pk}),
        reverse("agenda:import_confirm", kwargs={"pk": job.pk}),
    ]


@pytest.fixture
def job(organisation, coordinator):
    return Job.objects.create(
        kind="agenda.import",
        owner=coordinator,
        status=Job.Status.DONE,
        result={"organisation": organisation.pk, "phase": "validated", "counts": {}},
    )


@pytest.fixture
def token(organisation, coordinator):
    return services.api_token_create(organisation=organisation, actor=coordinator, name="x").token


def all_urls(organisation, activity, job, token):
    return [
        *activity_urls(activity.pk),
        *organisation_urls(organisation),
        *job_urls(job),
        reverse("agenda:api_token_revoke", kwargs={"pk": token.pk}),
    ]


# --- permissions ----------------------------------------------------------------------------


def test_anonymous_visitors_go_to_the_login_page(client, organisation, activity, job, token):
    for url in all_urls(organisation, activity, job, token):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert reverse("account_login") in response["Location"], url


@pytest.mark.parametrize("role", ["other_coordinator", "member", "outsider"])
def test_others_get_403_on_every_manage_url(client, organisation, activity, job, token, role):
    if role == "other_coordinator":
        user = MembershipFactory(organisation=OrganisationFactory()).user
    elif role == "member":
        user = MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER).user
    else:
        user = UserFactory()
    login(client, user)
    for url in all_urls(organisation, activity, job, token):
        assert client.get(url).status_code in {403, 405}, url
        assert client.post(url, {"reason": "x", "name": "y", "mode": "all"}).status_code == 403, url
    activity.refresh_from_db()
    assert activity.status == S.DRAFT
    token.refresh_from_db()
    assert token.revoked_at is None


def test_someone_elses_import_job_is_forbidden_even_for_a_coordinator(client, organisation, job):
    other = MembershipFactory(organisation=organisation).user
    login(client, other)
    assert client.get(job_urls(job)[0]).status_code == 403


def test_coordinator_may_open_every_page(client, organisation, coordinator, activity, job):
    login(client, coordinator)
    for url in [*activity_urls(activity.pk), *organisation_urls(organisation), job_urls(job)[0]]:
        assert client.get(url).status_code == 200, url


def test_uitdatabank_activity_cannot_be_edited(client, organisation, coordinator):
    activity = ActivityFactory(organiser=organisation, source=Activity.Source.UIT)
    login(client, coordinator)
    response = client.get(reverse("agenda:activity_edit", kwargs={"pk": activity.pk}))
    assert response.status_code == 403
    assert "UiTdatabank" in response.content.decode()
    assert (
        client.get(reverse("agenda:activity_preview", kwargs={"pk": activity.pk})).status_code
        == 200
    )


# --- list -----------------------------------------------------------------------------------


def test_list_shows_status_and_upcoming_sessions(
    client, organisation, coordinator, django_assert_max_num_queries
):
    start = timezone.now() + dt.timedelta(days=3)
    for i in range(5):
        ActivityFactory(
            organiser=organisation,
            title=f"Activiteit {i}",
            sessions=[(start, start + dt.timedelta(hours=2))],
        )
    ActivityFactory(organiser=organisation, status=S.ARCHIVED, title="Oud archief")
    ActivityFactory(title="Van een ander")
    login(client, coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("agenda:manage_list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('">Activiteit ') == 5
    assert "Van een ander" not in html and "Oud archief" not in html
    assert timezone.localtime(start).strftime("%H:%M") in html
    archived = client.get(reverse("agenda:manage_list") + "?status=archived").content.decode()
    assert "Oud archief" in archived and "Activiteit 1" not in archived


def test_months_are_lower_case_in_dutch(client, organisation, coordinator):
    year = timezone.localdate().year + 1
    start = dt.datetime(year, 5, 8, 13, tzinfo=ZoneInfo("Europe/Brussels"))
    activity = ActivityFactory(
        organiser=organisation, sessions=[(start, start + dt.timedelta(hours=2))]
    )
    login(client, coordinator)
    dutch = client.get(reverse("agenda:manage_list")).content.decode()
    assert f"8 mei {year}" in dutch and "Mei" not in dutch
    sessions = client.get(reverse("agenda:sessions", kwargs={"pk": activity.pk})).content
    assert f"8 mei {year}" in sessions.decode()
    english = client.get("/en" + reverse("agenda:manage_list")).content.decode()
    assert f"8 May {year}" in english


def test_coordinator_of_two_organisations_chooses(client, organisation, coordinator):
    second = OrganisationFactory(name="STEM-academie Gent")
    MembershipFactory(organisation=second, user=coordinator)
    ActivityFactory(organiser=second, title="Gentse robots")
    login(client, coordinator)
    chooser = client.get(reverse("agenda:manage_list")).content.decode()
    assert "STEM-academie Gent" in chooser and "STEM-academie Mechelen" in chooser
    listing = client.get(reverse("agenda:manage_list") + f"?organisation={second.slug}")
    assert "Gentse robots" in listing.content.decode()


# --- create and edit ------------------------------------------------------------------------


def form_data(**extra):
    data = {
        "title": "Sterrenkijken",
        "description": "Met telescopen naar de maan kijken.",
        "kind": "eenmalig",
        "domains": [Domain.objects.get(slug="science").pk],
        "age_min": "8",
        "age_max": "14",
        "venue_name": "Volkssterrenwacht",
        "street": "Kerkstraat 2",
        "postcode": "2800",
        "price": "3",
    }
    data.update(extra)
    return data


def test_create_then_add_sessions(client, organisation, coordinator):
    login(client, coordinator)
    response = client.post(reverse("agenda:activity_create"), form_data())
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("agenda:sessions", kwargs={"pk": activity.pk})
    assert activity.organiser == organisation
    assert activity.status == S.DRAFT
    assert activity.municipality.nis_code == "12025"


def test_create_keeps_input_and_shows_errors_next_to_fields(client, organisation, coordinator):
    login(client, coordinator)
    response = client.post(
        reverse("agenda:activity_create"), form_data(age_max="19", postcode="9999")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Activity.objects.exists()
    assert 'value="Sterrenkijken"' in html
    assert "Met telescopen naar de maan kijken." in html
    assert 'value="Volkssterrenwacht"' in html
    assert "9999" in html
    form = response.context["form"]
    assert "postcode" in form.errors
    assert "age_max" in form.errors
    # the chosen checkbox stays ticked
    science = Domain.objects.get(slug="science").pk
    assert f'value="{science}"' in html and "checked" in html


def test_every_error_shows_on_the_first_submit(client, organisation, coordinator, activity):
    """A field error (an empty title, a bad booking link) must not hide the checks across
    fields (ages, prices, places, postcode) until a second submit."""
    login(client, coordinator)
    bad = form_data(
        title="",
        booking_url="geen link",
        age_min="14",
        age_max="8",
        price="3",
        price_reduced="5",
        capacity="10",
        places_left="12",
        postcode="9999",
    )
    for url in (
        reverse("agenda:activity_create"),
        reverse("agenda:activity_edit", kwargs={"pk": activity.pk}),
    ):
        response = client.post(url, bad)
        errors = response.context["form"].errors
        assert set(errors) >= {
            "title",
            "booking_url",
            "age_max",
            "price_reduced",
            "places_left",
            "postcode",
        }, url
        assert errors["age_max"] == [
            "De maximumleeftijd kan niet lager zijn dan de minimumleeftijd."
        ]
    activity.refresh_from_db()
    assert activity.title == "Robots bouwen" and activity.age_min != 14


def test_edit_keeps_input_on_errors_and_saves(client, organisation, coordinator, activity):
    login(client, coordinator)
    url = reverse("agenda:activity_edit", kwargs={"pk": activity.pk})
    response = client.post(url, form_data(title="Nieuwe titel", age_min="3"))
    assert response.status_code == 200
    assert 'value="Nieuwe titel"' in response.content.decode()
    assert "age_min" in response.context["form"].errors
    activity.refresh_from_db()
    assert activity.title == "Robots bouwen"
    response = client.post(url, form_data(title="Nieuwe titel", postcode="3000"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Nieuwe titel"
    assert activity.municipality.nis_code == "24062"


def test_form_uses_checkboxes_and_datetime_local(client, organisation, coordinator, activity):
    login(client, coordinator)
    html = client.get(reverse("agenda:activity_create")).content.decode()
    assert 'type="checkbox" name="domains"' in html
    assert 'type="checkbox" name="accessibility"' in html
    html = client.get(reverse("agenda:sessions", kwargs={"pk": activity.pk})).content.decode()
    assert 'type="datetime-local"' in html


# --- sessions -------------------------------------------------------------------------------


def test_weekly_sessions_through_the_form(client, coordinator, activity):
    activity.sessions.all().delete()
    login(client, coordinator)
    url = reverse("agenda:sessions", kwargs={"pk": activity.pk})
    response = client.post(
        url,
        {
            "action": "weekly",
            "weekly-first_start": "2026-10-14T14:00",
            "weekly-first_end": "2026-10-14T16:00",
            "weekly-weeks": "3",
            "weekly-skip_dates": "",
        },
    )
    assert response.status_code == 302
    starts = [timezone.localtime(s.starts_at, BRU) for s in activity.sessions.all()]
    assert [(s.day, s.hour) for s in starts] == [(14, 14), (21, 14), (28, 14)]


def test_session_form_errors_keep_input(client, coordinator, activity):
    login(client, coordinator)
    url = reverse("agenda:sessions", kwargs={"pk": activity.pk})
    response = client.post(
        url,
        {"action": "add", "one-starts_at": "2026-12-02T16:00", "one-ends_at": "2026-12-02T14:00"},
    )
    assert response.status_code == 422
    assert 'value="2026-12-02T16:00"' in response.content.decode()
    assert activity.sessions.count() == 1


def test_add_and_remove_one_session(client, coordinator, activity):
    login(client, coordinator)
    url = reverse("agenda:sessions", kwargs={"pk": activity.pk})
    client.post(
        url,
        {"action": "add", "one-starts_at": "2026-12-02T14:00", "one-ends_at": "2026-12-02T16:00"},
    )
    assert activity.sessions.count() == 2
    session = activity.sessions.first()
    client.post(url, {"action": "remove", "session": session.pk})
    assert activity.sessions.count() == 1


# --- status ---------------------------------------------------------------------------------


def test_publish_without_sessions_explains_why(client, coordinator, organisation):
    activity = ActivityFactory(organiser=organisation, status=S.DRAFT, sessions=[])
    login(client, coordinator)
    response = client.post(reverse("agenda:activity_publish", kwargs={"pk": activity.pk}))
    assert response.status_code == 422
    errors = response.context["errors"]
    assert errors and all(e in response.content.decode() for e in errors)
    activity.refresh_from_db()
    assert activity.status == S.DRAFT


def test_publish_cancel_archive(client, coordinator, activity):
    login(client, coordinator)
    client.post(reverse("agenda:activity_publish", kwargs={"pk": activity.pk}))
    activity.refresh_from_db()
    assert activity.status == S.PUBLISHED
    response = client.post(reverse("agenda:activity_cancel", kwargs={"pk": activity.pk}), {})
    assert response.status_code == 422
    client.post(reverse("agenda:activity_cancel", kwargs={"pk": activity.pk}), {"reason": "Storm"})
    activity.refresh_from_db()
    assert activity.status == S.CANCELLED and activity.cancel_reason == "Storm"
    client.post(reverse("agenda:activity_archive", kwargs={"pk": activity.pk}))
    activity.refresh_from_db()
    assert activity.status == S.ARCHIVED


def test_duplicate_and_preview(client, coordinator, activity):
    login(client, coordinator)
    response = client.post(
        reverse("agenda:activity_duplicate", kwargs={"pk": activity.pk}), {"shift_weeks": "52"}
    )
    copy = Activity.objects.exclude(pk=activity.pk).get()
    assert response["Location"] == reverse("agenda:activity_edit", kwargs={"pk": copy.pk})
    assert copy.sessions.count() == 1
    html = client.get(reverse("agenda:activity_preview", kwargs={"pk": copy.pk})).content.decode()
    assert "preview-banner" in html
    assert copy.title in html


# --- API tokens page ------------------------------------------------------------------------


def test_token_is_shown_once_and_can_be_revoked(client, organisation, coordinator):
    login(client, coordinator)
    url = reverse("agenda:api_tokens") + f"?organisation={organisation.slug}"
    response = client.post(
        url,
        {
            "name": "Onze website",
            "organisation": organisation.slug,
            "scopes": ["activities", "participation"],
            "valid_days": "365",
        },
    )
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash == services.token_hash(key)
    again = client.get(url).content.decode()
    assert key not in again and token.prefix in again
    client.post(reverse("agenda:api_token_revoke", kwargs={"pk": token.pk}))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_archived_activity_cannot_be_edited(client, organisation, coordinator):
    activity = ActivityFactory(organiser=organisation, status=S.ARCHIVED)
    login(client, coordinator)
    assert (
        client.get(reverse("agenda:activity_edit", kwargs={"pk": activity.pk})).status_code == 403
    )


def test_admin_pages(client, organisation, coordinator, activity, token):
    from stemnet.accounts.tests.factories import activate_totp

    admin = UserFactory(is_superuser=True, is_staff=True)
    activate_totp(admin)  # superusers must use MFA
    login(client, admin)
    for url in [
        reverse("admin:agenda_activity_changelist") + "?q=robots",
        reverse("admin:agenda_activity_change", args=[activity.pk]),
        reverse("admin:agenda_activity_add"),
        reverse("admin:agenda_session_changelist"),
        reverse("admin:agenda_domain_changelist"),
        reverse("admin:agenda_theme_changelist"),
        reverse("admin:agenda_accessibilityfeature_changelist"),
        reverse("admin:agenda_apitoken_changelist"),
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post(
        reverse("admin:agenda_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_list_is_paginated(client, organisation, coordinator):
    for i in range(55):
        ActivityFactory(organiser=organisation, title=f"Activiteit {i}", sessions=[])
    login(client, coordinator)
    first = client.get(reverse("agenda:manage_list")).content.decode()
    assert first.count('">Activiteit ') == 50
    assert 'rel="next"' in first
    second = client.get(reverse("agenda:manage_list") + "?page=2").content.decode()
    assert second.count('">Activiteit ') == 5


def test_the_token_page_asks_and_shows_scopes_and_expiry(client):
    from stemnet.agenda.models import ApiToken
    from stemnet.organisations.tests.factories import MembershipFactory

    membership = MembershipFactory()
    client.force_login(membership.user)
    url = reverse("agenda:api_tokens") + f"?organisation={membership.organisation.slug}"
    response = client.post(
        url,
        {
            "organisation": membership.organisation.slug,
            "name": "Website",
            "scopes": ["participation"],
            "valid_days": "90",
        },
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.scopes == ["participation"]
    assert 89 <= (token.expires_at - token.created_at).days <= 90
    html = response.content.decode()
    assert "deelnamecijfers (lezen en schrijven)" in html
    assert 'name="valid_days"' in html and 'name="scopes"' in html
