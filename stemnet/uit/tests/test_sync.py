import datetime as dt

import pytest

from stemnet.agenda import hooks
from stemnet.agenda import services as agenda
from stemnet.agenda.models import Activity
from stemnet.agenda.tests.factories import ActivityFactory, in_days
from stemnet.uit import services
from stemnet.uit.models import UitOrganizerMapping, UitPlaceMapping, UitSync
from stemnet.uit.tasks import sync_activity

pytestmark = pytest.mark.django_db
State = UitSync.State


def changed(activity, capture):
    """What the agenda services do after a write (wired by the lead): the hook, on commit."""
    with capture(execute=True):
        hooks.activity_changed(activity)
    return UitSync.objects.get(activity=activity)


def test_hook_is_registered_by_the_app():
    assert services.activity_changed in hooks.listeners()


def test_publish_queues_then_puts_it_on_uit(
    fake_uit, django_capture_on_commit_callbacks, monkeypatch
):
    activity = ActivityFactory(status=Activity.Status.DRAFT, published_at=None)
    queued: list[int] = []
    monkeypatch.setattr(services, "_enqueue", queued.append)
    agenda.activity_publish(activity=activity, actor=None)
    sync = changed(activity, django_capture_on_commit_callbacks)
    assert sync.state == State.QUEUED and queued == [activity.pk]
    assert fake_uit.entry_calls() == []

    sync_activity.call(activity.pk)  # what the worker does
    sync.refresh_from_db()
    assert sync.state == State.SENT, sync.last_error
    assert sync.uit_id and sync.uit_url.endswith(sync.uit_id)
    assert sync.last_error == "" and sync.attempts == 1
    methods = [(r.method, r.path) for r in fake_uit.entry_calls()]
    assert methods == [
        ("POST", "/entry/places"),
        ("POST", "/entry/organizers"),
        ("POST", "/entry/events"),
    ]
    sent = fake_uit.events[sync.uit_id]
    assert sent["workflowStatus"] == "READY_FOR_VALIDATION"
    assert "stemindevrijetijd" in sent["labels"]
    assert sent["location"]["@id"] == UitPlaceMapping.objects.get().uit_id
    assert sent["organizer"]["@id"] == UitOrganizerMapping.objects.get().uit_id


def test_immediate_task_and_resync_is_idempotent(fake_uit, django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    sync = changed(activity, django_capture_on_commit_callbacks)  # immediate backend in tests
    assert sync.state == State.SENT
    uit_id = sync.uit_id

    # Nothing changed: nothing is sent again.
    before = len(fake_uit.entry_calls())
    sync = changed(activity, django_capture_on_commit_callbacks)
    assert len(fake_uit.entry_calls()) == before and sync.state == State.SENT

    # An edit: PUT to the same id, never a second POST.
    agenda.activity_update(activity=activity, actor=None, data={"title": "Robots bouwen 2"})
    sync = changed(activity, django_capture_on_commit_callbacks)
    assert sync.uit_id == uit_id and sync.state == State.SENT
    assert len(fake_uit.calls("POST", r"^/entry/events$")) == 1
    put = fake_uit.calls("PUT", rf"^/entry/events/{uit_id}$")
    assert len(put) == 1 and put[0].body["name"] == {"nl": "Robots bouwen 2"}
    # The place and organizer were looked up in the mappings, not created again.
    assert len(fake_uit.calls("POST", r"^/entry/places$")) == 1
    assert len(fake_uit.calls("POST", r"^/entry/organizers$")) == 1
    assert fake_uit.tokens_issued == 1  # the token is cached


def test_cancel_sets_status_unavailable_there(fake_uit, django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    sync = changed(activity, django_capture_on_commit_callbacks)
    agenda.activity_cancel(activity=activity, actor=None, reason="Lesgever ziek")
    sync = changed(activity, django_capture_on_commit_callbacks)
    assert sync.state == State.SENT and sync.cancelled_sent
    assert fake_uit.statuses[sync.uit_id] == {
        "type": "Unavailable",
        "reason": {"nl": "Lesgever ziek"},
    }
    assert fake_uit.deleted == []
    # Published again: the full event and status Available.
    agenda.activity_publish(activity=activity, actor=None)
    sync = changed(activity, django_capture_on_commit_callbacks)
    assert fake_uit.statuses[sync.uit_id] == {"type": "Available"}
    assert not sync.cancelled_sent


def test_offline_upcoming_is_deleted_but_past_never(fake_uit, django_capture_on_commit_callbacks):
    upcoming = ActivityFactory()
    sync = changed(upcoming, django_capture_on_commit_callbacks)
    uit_id = sync.uit_id
    agenda.activity_unpublish(activity=upcoming, actor=None)
    sync = changed(upcoming, django_capture_on_commit_callbacks)
    assert fake_uit.deleted == [uit_id]
    assert sync.state == State.NOT_SENT and sync.uit_id == ""

    past = ActivityFactory(sessions=[(in_days(-10), in_days(-10, 16))])
    sync = changed(past, django_capture_on_commit_callbacks)
    agenda.activity_archive(activity=past, actor=None)
    sync = changed(past, django_capture_on_commit_callbacks)
    assert fake_uit.deleted == [uit_id]  # the past one is not deleted
    assert sync.uit_id and "Afgelopen" in sync.last_error


def test_retries_on_429_and_503_with_retry_after(fake_uit, slept):
    activity = ActivityFactory()
    fake_uit.fail_next(
        "POST",
        r"^/entry/events$",
        (429, {"Retry-After": "3"}, {"title": "Too Many Requests"}),
        (503, {}, {"title": "Service Unavailable"}),
    )
    sync = services.uit_sync_activity(activity_id=activity.pk)
    assert sync.state == State.SENT, sync.last_error
    assert len(fake_uit.calls("POST", r"^/entry/events$")) == 3
    assert slept == [3.0, 1.0]  # Retry-After, then the exponential backoff (0.5 s · 2)


def test_gives_up_after_the_last_attempt_with_a_dutch_reason(fake_uit, slept):
    activity = ActivityFactory()
    fake_uit.fail_next("POST", r"^/entry/events$", *[(503, {}, {"title": "Down"})] * 4)
    sync = services.uit_sync_activity(activity_id=activity.pk)
    assert sync.state == State.QUEUED  # tried again later (test_retry.py), then parked
    assert sync.failed_attempts == 1 and sync.next_attempt_at is not None
    assert "storing" in sync.last_error and "503" in sync.last_error
    assert len(slept) == 3


def test_expired_token_is_refreshed_once(fake_uit):
    first = ActivityFactory()
    services.uit_sync_activity(activity_id=first.pk)
    fake_uit.valid_tokens.clear()  # publiq forgot our token
    second = ActivityFactory()
    sync = services.uit_sync_activity(activity_id=second.pk)
    assert sync.state == State.SENT
    assert fake_uit.tokens_issued == 2


def test_rejected_by_uit_keeps_the_reason(fake_uit, django_capture_on_commit_callbacks):
    activity = ActivityFactory()
    fake_uit.fail_next(
        "POST",
        r"^/entry/events$",
        (
            400,
            {},
            {
                "title": "Invalid body data",
                "status": 400,
                "schemaErrors": [{"jsonPointer": "/name", "error": "Te lang"}],
            },
        ),
    )
    sync = services.uit_sync_activity(activity_id=activity.pk)
    assert sync.state == State.REJECTED
    assert sync.last_error.startswith("UiTdatabank weigerde de gegevens (HTTP 400).")
    assert "/name: Te lang" in sync.last_error
    # The coordinator retries after fixing: it goes through.
    with django_capture_on_commit_callbacks(execute=True):
        sync = services.uit_sync_retry(activity=activity, actor=None)
    sync.refresh_from_db()
    assert sync.state == State.SENT


def test_mapping_problem_fails_before_sending(fake_uit):
    from stemnet.uit.models import UitTermMapping

    activity = ActivityFactory()
    UitTermMapping.objects.filter(scheme="kind", value=activity.kind).delete()
    sync = services.uit_sync_activity(activity_id=activity.pk)
    assert sync.state == State.FAILED
    assert "evenementtype" in sync.last_error
    assert fake_uit.calls("POST", r"^/entry/events$") == []


def test_existing_place_is_found_before_creating(fake_uit):
    activity = ActivityFactory(venue_name="Technopolis", street="Technologielaan 1")
    place = "https://io-test.uitdatabank.be/places/11111111-2222-3333-4444-555555555555"
    fake_uit.search_places = [
        {
            "@id": place,
            "name": {"nl": "Technopolis"},
            "address": {
                "nl": {
                    "postalCode": "2800",
                    "streetAddress": "Technologielaan 1",
                    "addressLocality": "Mechelen",
                    "addressCountry": "BE",
                }
            },
        }
    ]
    sync = services.uit_sync_activity(activity_id=activity.pk)
    assert sync.state == State.SENT
    assert fake_uit.calls("POST", r"^/entry/places$") == []
    assert fake_uit.events[sync.uit_id]["location"] == {"@id": place}
    lookup = fake_uit.calls("GET", r"^/search/places$")[0]
    assert lookup.query["postalCode"] == "2800" and lookup.headers["x-client-id"]


def test_no_credentials_nothing_is_sent_and_the_state_says_so(
    no_uit, django_capture_on_commit_callbacks
):
    activity = ActivityFactory()
    sync = changed(activity, django_capture_on_commit_callbacks)
    assert sync.state == State.NOT_SENT
    assert "niets naar UiT verstuurd" in sync.last_error
    sync = services.uit_sync_activity(activity_id=activity.pk)
    assert sync.state == State.NOT_SENT and sync.uit_id == "" and sync.attempts == 0


def test_drafts_and_imported_activities_are_not_sent(fake_uit, django_capture_on_commit_callbacks):
    draft = ActivityFactory(status=Activity.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        hooks.activity_changed(draft)
    imported = ActivityFactory(source=Activity.Source.UIT, external_id="abc")
    with django_capture_on_commit_callbacks(execute=True):
        hooks.activity_changed(imported)
    assert not UitSync.objects.exists()
    assert fake_uit.entry_calls() == []


def test_image_is_sent_once(fake_uit, settings):
    from django.core.files.base import ContentFile

    settings.SITE_URL = "https://stemnet.example"
    activity = ActivityFactory(image_alt="Een robot")
    activity.image.save("robot.png", ContentFile(b"\x89PNG fake"), save=True)
    sync = services.uit_sync_activity(activity_id=activity.pk)
    assert sync.state == State.SENT, sync.last_error
    image = fake_uit.calls("POST", r"^/entry/images$")
    assert len(image) == 1 and image[0].body["contentUrl"].startswith("https://stemnet.example/")
    assert fake_uit.events[sync.uit_id]["mediaObject"][0]["@id"] == sync.image_uit_id
    Activity.objects.filter(pk=activity.pk).update(title="Nieuw")
    services.uit_sync_activity(activity_id=activity.pk)
    assert len(fake_uit.calls("POST", r"^/entry/images$")) == 1


def test_every_request_body_was_valid_against_the_schemas(fake_uit):
    """The fake answers 400 to a body outside publiq's schema; a whole flow gets none."""
    for kind in Activity.Kind.values:
        a = ActivityFactory(
            kind=kind,
            sessions=[(in_days(5), in_days(5, 16)), (in_days(12), in_days(12, 16))],
            price=5,
            price_reduced=1,
        )
        sync = services.uit_sync_activity(activity_id=a.pk)
        assert sync.state == State.SENT, sync.last_error
    assert fake_uit.script == []
    assert all(
        r.method in ("GET",) or r.path.startswith("/oauth") or r.body for r in fake_uit.requests
    )
    assert dt.datetime  # (kept simple: every call above answered 2xx)
