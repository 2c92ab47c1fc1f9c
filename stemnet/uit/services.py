"""Every write of the UiTdatabank exchange: syncing our activities out, importing theirs in.

Export: ``activity_changed`` (registered as an agenda hook) marks a published, edited or
cancelled activity as queued and enqueues ``tasks.sync_activity``; ``uit_sync_activity``
does the work: it looks up or creates the place and the organizer (kept in
``UitPlaceMapping``/``UitOrganizerMapping``), validates the body against publiq's schema and
POSTs it, or PUTs it when the UiT id is already known (idempotent). A cancelled activity gets
``PUT /events/{id}/status`` Unavailable. An activity taken offline is deleted there only when
it has not ended yet: past events are never deleted.

Import: ``uit_import_run`` pages through the Search API from the stored cursor
(``modifiedFrom``); ``uit_import_documents`` imports saved responses. Each page is written in
its own transaction, so a malformed page stops the run without losing the pages before it.

Documented exception to "call the other app's services": imported activities (source ``uit``)
are read-only for every agenda service (``ensure_writable``), and the agenda has no import
upsert service yet, so ``_activity_upsert`` writes the agenda model here and then calls
``stemnet.agenda.search.activity_reindex`` (asked of the lead: an
``agenda.services.activity_import_upsert``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from stemnet.agenda.models import Activity, Domain, Session, Theme
from stemnet.core import audit
from stemnet.uit import mapping, schemas
from stemnet.uit.client import UitClient, UitError, UitNotConfigured
from stemnet.uit.importing import (
    ImportMappingError,
    ReverseTerms,
    parse_event,
    parse_moment,
    public_url,
    text_of,
    uit_id_of,
)
from stemnet.uit.models import (
    REASON_CANCELLED_BEFORE_SENT,
    REASON_ENDED,
    REASON_NOT_CONFIGURED,
    UitImportRun,
    UitOrganizerMapping,
    UitPlaceMapping,
    UitSync,
)

logger = logging.getLogger(__name__)

State = UitSync.State
NOT_CONFIGURED = REASON_NOT_CONFIGURED
EXPORTED_SOURCES = (Activity.Source.OWN, Activity.Source.IMPORT)
PAGE_SIZE = 50
MAX_PAGES = 200
UNKNOWN_ORGANIZER = "Onbekende organisator (UiTdatabank)"
ORGANISATION_NOTE = (
    "Aangemaakt door de UiTdatabank-import voor de organisator van geïmporteerde activiteiten "
    "(type jeugdorganisatie gekozen als algemene vrijetijdsaanbieder; pas aan indien nodig)."
)


def is_configured() -> bool:
    return UitClient.from_settings().can_write


def search_configured() -> bool:
    return UitClient.from_settings().can_search


# --- export: queueing ---------------------------------------------------------------------


def _needs_sync(activity: Activity, sync: UitSync | None) -> bool:
    if activity.source not in EXPORTED_SOURCES:
        return False
    if activity.status in (Activity.Status.PUBLISHED, Activity.Status.CANCELLED):
        return True
    return bool(sync and sync.uit_id)  # taken offline after it was sent


def activity_changed(activity_id: int) -> UitSync | None:
    """Agenda hook: an activity was published, edited, cancelled or taken offline.

    Marks it queued and enqueues the background sync (on commit). Without credentials the
    state says nothing is sent, and nothing is enqueued.
    """
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        return None
    sync = UitSync.objects.filter(activity=activity).first()
    if not _needs_sync(activity, sync):
        return sync
    if sync is None:
        sync = UitSync(activity=activity)
    if not is_configured():
        sync.state = State.NOT_SENT
        sync.last_error = NOT_CONFIGURED
        sync.save()
        return sync
    sync.state = State.QUEUED
    sync.save()
    _enqueue(activity.pk)
    return sync


def _enqueue(activity_id: int) -> None:
    from stemnet.uit.tasks import sync_activity

    transaction.on_commit(lambda: sync_activity.enqueue(activity_id))


def uit_sync_retry(*, activity: Activity, actor) -> UitSync:
    """The coordinator asks to send the activity again (after a failure or rejection)."""
    sync, _created = UitSync.objects.get_or_create(activity=activity)
    if not is_configured():
        sync.state = State.NOT_SENT
        sync.last_error = NOT_CONFIGURED
        sync.save()
        return sync
    sync.state = State.QUEUED
    sync.payload_hash = ""  # send even when nothing changed
    sync.failed_attempts = 0  # a fresh round of automatic retries
    sync.next_attempt_at = None
    sync.save()
    audit.record(sync, "uit.uitsync.retry", actor=actor, data={"activity": activity.pk})
    _enqueue(activity.pk)
    return sync


# --- export: the sync itself --------------------------------------------------------------


def _place_matches(member: dict, activity: Activity) -> bool:
    def norm(text: str) -> str:
        return " ".join((text or "").lower().split())

    address = member.get("address") or {}
    localized = address.get("nl") if isinstance(address, dict) else None
    if not isinstance(localized, dict):
        return False
    name = text_of(member.get("name"))
    return (
        norm(localized.get("postalCode", "")) == norm(activity.postcode)
        and norm(localized.get("streetAddress", "")) == norm(activity.street)
        and norm(name) == norm(activity.venue_name or activity.organiser.name)
    )


def _ensure_place(client: UitClient, activity: Activity) -> str:
    key = mapping.place_key(activity)
    found = UitPlaceMapping.objects.filter(key=key).first()
    if found:
        return found.uit_id
    uit_id = ""
    if client.can_search:
        try:
            result = client.search(
                "places",
                {
                    "postalCode": activity.postcode,
                    "text": activity.venue_name or activity.organiser.name,
                    "embed": "true",
                    "limit": 10,
                },
            )
            for member in result.get("member") or []:
                if isinstance(member, dict) and _place_matches(member, activity):
                    uit_id = str(member.get("@id") or "")
                    break
        except UitError as exc:  # a failed look-up is not fatal: create instead
            logger.warning("UiT place look-up failed: %s", exc)
    if not uit_id:
        body = mapping.place_body(activity)
        schemas.validate(schemas.PLACE_POST, body)
        uit_id = client.place_create(body).url
    UitPlaceMapping.objects.update_or_create(
        key=key, defaults={"uit_id": uit_id, "label": mapping.place_label(activity)}
    )
    return uit_id


def _ensure_organizer(client: UitClient, organisation) -> str:
    found = UitOrganizerMapping.objects.filter(organisation=organisation).first()
    if found:
        return found.uit_id
    url = mapping.organizer_url(organisation)
    uit_id = ""
    if client.can_search:
        try:
            result = client.search("organizers", {"website": url, "limit": 5})
            for member in result.get("member") or []:
                if isinstance(member, dict) and member.get("@id"):
                    uit_id = str(member["@id"])
                    break
        except UitError as exc:
            logger.warning("UiT organizer look-up failed: %s", exc)
    if not uit_id:
        body = mapping.organizer_body(organisation)
        schemas.validate(schemas.ORGANIZER_POST, body)
        uit_id = client.organizer_create(body).url
    UitOrganizerMapping.objects.update_or_create(
        organisation=organisation, defaults={"uit_id": uit_id}
    )
    return uit_id


def _ensure_image(client: UitClient, activity: Activity, sync: UitSync) -> str | None:
    if not activity.image:
        return None
    if sync.image_key == activity.image.name and sync.image_uit_id:
        return sync.image_uit_id
    body = mapping.image_body(activity)
    schemas.validate(schemas.IMAGE_POST, body)
    created = client.image_create(body)
    sync.image_key = activity.image.name
    sync.image_uit_id = created.url
    return created.url


def _contract_message(exc: schemas.ContractError) -> str:
    details = "; ".join(f"{path}: {message}" for path, message in exc.errors[:5])
    return (
        "De gegevens voldoen niet aan het contract van UiTdatabank en zijn niet verstuurd. "
        f"Details: {details}"
    )


def _fail(sync: UitSync, state: str, message: str) -> UitSync:
    sync.state = state
    sync.last_error = message
    sync.save()
    audit.record(sync, f"uit.uitsync.{state}", data={"error": message[:500]})
    return sync


def uit_sync_activity(*, activity_id: int, client: UitClient | None = None) -> UitSync | None:
    """Bring the activity's UiTdatabank event in line with the activity (background task)."""
    activity = (
        Activity.objects.select_related("organiser", "organiser__municipality", "municipality")
        .prefetch_related("themes", "domains")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None or activity.source not in EXPORTED_SOURCES:
        return None
    sync, _created = UitSync.objects.get_or_create(activity=activity)
    owns_client = client is None
    client = client or UitClient.from_settings()
    try:
        if not client.can_write:
            sync.state = State.NOT_SENT
            sync.last_error = NOT_CONFIGURED
            sync.save()
            return sync
        sync.attempts += 1
        return _sync(client, activity, sync)
    except mapping.MappingError as exc:
        return _fail(sync, State.FAILED, str(exc))
    except schemas.ContractError as exc:
        return _fail(sync, State.FAILED, _contract_message(exc))
    except UitNotConfigured:
        sync.state = State.NOT_SENT
        sync.last_error = NOT_CONFIGURED
        sync.save()
        return sync
    except UitError as exc:
        if exc.rejected:
            return _fail(sync, State.REJECTED, exc.dutch())
        from stemnet.uit.retry import uit_sync_failed

        return uit_sync_failed(sync=sync, reason=exc.dutch())
    finally:
        if owns_client:
            client.close()


def _sync(client: UitClient, activity: Activity, sync: UitSync) -> UitSync:
    now = timezone.now()
    live = activity.status in (Activity.Status.PUBLISHED, Activity.Status.CANCELLED)
    if not live:
        return _withdraw(client, activity, sync, now)
    if activity.status == Activity.Status.CANCELLED and not sync.uit_id:
        sync.state = State.NOT_SENT
        sync.last_error = REASON_CANCELLED_BEFORE_SENT
        sync.save()
        return sync
    if activity.status == Activity.Status.CANCELLED:
        if not sync.cancelled_sent:
            status = mapping.cancel_status(activity)
            schemas.validate(schemas.EVENT_STATUS_PUT, status)
            client.event_status(sync.uit_id, status)
            sync.cancelled_sent = True
            audit.record(sync, "uit.uitsync.cancelled", data={"uit_id": sync.uit_id})
        return _sent(sync, now)
    location = _ensure_place(client, activity)
    organizer = _ensure_organizer(client, activity.organiser)
    image = _ensure_image(client, activity, sync)
    body = mapping.event_body(
        activity, location_id=location, organizer_id=organizer, image_id=image
    )
    schemas.validate(schemas.EVENT_POST, body)
    digest = mapping.body_hash(body)
    if sync.uit_id:
        if digest != sync.payload_hash or sync.cancelled_sent:
            client.event_update(sync.uit_id, body)
            if sync.cancelled_sent:  # published again after a cancellation
                client.event_status(sync.uit_id, {"type": "Available"})
                sync.cancelled_sent = False
            audit.record(sync, "uit.uitsync.updated", data={"uit_id": sync.uit_id})
    else:
        created = client.event_create(body)
        sync.uit_id = created.id
        sync.uit_url = public_url(created.id, activity.title)  # UiTinVlaanderen
        audit.record(sync, "uit.uitsync.created", data={"uit_id": created.id})
    sync.payload_hash = digest
    return _sent(sync, now)


def _sent(sync: UitSync, now: dt.datetime) -> UitSync:
    sync.state = State.SENT
    sync.failed_attempts = 0
    sync.next_attempt_at = None
    sync.last_error = ""
    sync.last_synced_at = now
    sync.save()
    return sync


def _withdraw(client: UitClient, activity: Activity, sync: UitSync, now) -> UitSync:
    """Taken offline here: delete there, unless it has ended (past events are never deleted)."""
    if not sync.uit_id:
        sync.state = State.NOT_SENT
        sync.last_error = ""
        sync.save()
        return sync
    if activity.last_end is not None and activity.last_end < now:
        sync.last_error = REASON_ENDED
        sync.save()
        return sync
    client.event_delete(sync.uit_id)
    audit.record(sync, "uit.uitsync.deleted", data={"uit_id": sync.uit_id})
    sync.uit_id = ""
    sync.uit_url = ""
    sync.payload_hash = ""
    sync.cancelled_sent = False
    sync.state = State.NOT_SENT
    sync.last_error = ""
    sync.last_synced_at = now
    sync.save()
    return sync


# --- import -------------------------------------------------------------------------------


class MalformedPage(ValueError):
    """A Search API page that is not what the spec says; the run stops."""


@dataclass
class PageResult:
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    own: int = 0
    failed: int = 0
    errors: list[dict] = field(default_factory=list)
    latest: dt.datetime | None = None


def _members(page) -> list:
    if not isinstance(page, dict):
        raise MalformedPage("De pagina is geen JSON-object.")
    members = page.get("member")
    if not isinstance(members, list):
        raise MalformedPage("De pagina heeft geen lijst 'member'.")
    return members


def _organisation_for(event, *, demo: bool = False) -> object:
    from stemnet.organisations.models import Organisation
    from stemnet.organisations.services import organisation_create

    if event.organizer_id:
        mapped = (
            UitOrganizerMapping.objects.filter(uit_id=event.organizer_id)
            .select_related("organisation")
            .first()
        )
        if mapped:
            return mapped.organisation
    name = event.organizer_name or UNKNOWN_ORGANIZER
    same = list(Organisation.objects.filter(name__iexact=name)[:2])
    if len(same) == 1:
        organisation = same[0]
    else:
        note = ORGANISATION_NOTE + (
            f" UiTdatabank-organisator: {event.organizer_id}" if event.organizer_id else ""
        )
        extra = {"website": event.organizer_url}
        if demo:  # demo data carries demo contact details only
            note = "Demo-gegevens. " + note
            extra = {"email": f"{slugify(name)[:50]}@demo.stemnet.invalid", "website": ""}
        organisation = organisation_create(
            actor=None,
            name=name,
            type=Organisation.Type.YOUTH_ORGANISATION,
            description=note,
            is_demo=demo,
            **extra,
        )
    if (
        event.organizer_id
        and not UitOrganizerMapping.objects.filter(organisation=organisation).exists()
    ):
        UitOrganizerMapping.objects.create(organisation=organisation, uit_id=event.organizer_id)
    return organisation


def _activity_upsert(
    event, *, existing: Activity | None, demo: bool = False
) -> tuple[Activity, str]:
    """Write one imported event (see the module docstring for why this writes the model)."""
    activity = existing or Activity(source=Activity.Source.UIT, external_id=event.uit_id)
    organisation = _organisation_for(event, demo=demo)
    before_status = activity.status if existing else None
    activity.organiser = organisation
    for name in (
        "title",
        "description",
        "kind",
        "age_min",
        "age_max",
        "postcode",
        "municipality",
        "lat",
        "lon",
        "venue_name",
        "street",
        "price",
        "price_reduced",
        "booking_url",
        "booking_email",
    ):
        setattr(activity, name, getattr(event, name))
    activity.external_url = event.external_url
    activity.labels = event.labels
    activity.subsidised = False
    activity.is_demo = demo
    if event.cancelled:
        activity.status = Activity.Status.CANCELLED
        activity.cancel_reason = event.cancel_reason
    else:
        activity.status = Activity.Status.PUBLISHED
        activity.cancel_reason = ""
    if activity.published_at is None:
        activity.published_at = timezone.now()
    activity.save()
    activity.themes.set(Theme.objects.filter(slug__in=event.themes))
    activity.domains.set(Domain.objects.filter(slug__in=event.domains))
    activity.sessions.all().delete()
    Session.objects.bulk_create(
        [Session(activity=activity, starts_at=s, ends_at=e) for s, e in event.sessions]
    )
    if existing is None:
        outcome = "cancelled" if event.cancelled else "created"
    elif event.cancelled and before_status != Activity.Status.CANCELLED:
        outcome = "cancelled"
    else:
        outcome = "updated"
    audit.record(activity, f"uit.activity.{outcome}", data={"uit_id": event.uit_id})
    return activity, outcome


def _own_export(doc: dict, uit_id: str) -> bool:
    """Our own exported event coming back: note a moderator's rejection, never import it."""
    sync = UitSync.objects.filter(uit_id=uit_id).first()
    if sync is None:
        return False
    if doc.get("workflowStatus") == "REJECTED" and sync.state != State.REJECTED:
        sync.state = State.REJECTED
        sync.last_error = "De UiT-redactie heeft de activiteit afgekeurd." + (
            f" Reden: {doc['reason']}" if isinstance(doc.get("reason"), str) else ""
        )
        sync.save()
    return True


def import_page(
    members: list, *, terms: ReverseTerms, cache: dict, demo: bool = False
) -> PageResult:
    """Import one page of events in one transaction; per-event failures are reported."""
    from stemnet.agenda.search import activity_reindex

    result = PageResult()
    touched: list[int] = []
    with transaction.atomic():
        for doc in members:
            uit_id = uit_id_of(doc) if isinstance(doc, dict) else ""
            name = ""
            if isinstance(doc, dict):
                name = text_of(doc.get("name"), doc.get("mainLanguage") or "nl")[:200]
                moment = parse_moment(doc.get("modified") or doc.get("created"))
                if moment and (result.latest is None or moment > result.latest):
                    result.latest = moment
            if uit_id and _own_export(doc, uit_id):
                result.own += 1
                continue
            try:
                event = parse_event(doc, terms, municipality_cache=cache)
            except ImportMappingError as exc:
                result.failed += 1
                result.errors.append({"uit_id": uit_id, "name": name, "reason": str(exc)})
                continue
            except Exception as exc:  # noqa: BLE001 - one odd document must not stop the run
                logger.exception("UiT event %s could not be read", uit_id)
                result.failed += 1
                reason = f"Kon niet gelezen worden ({type(exc).__name__})."
                result.errors.append({"uit_id": uit_id, "name": name, "reason": reason})
                continue
            existing = Activity.objects.filter(
                source=Activity.Source.UIT, external_id=event.uit_id
            ).first()
            if existing is None and event.cancelled:
                continue  # withdrawn before we ever had it: nothing to cancel here
            try:
                with transaction.atomic():
                    activity, outcome = _activity_upsert(event, existing=existing, demo=demo)
            except Exception as exc:  # noqa: BLE001 - reported per event, run goes on
                logger.exception("UiT import of %s failed", uit_id)
                result.failed += 1
                result.errors.append({"uit_id": uit_id, "name": name, "reason": _write_error(exc)})
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
            touched.append(activity.pk)
        if touched:
            activity_reindex(touched)
    return result


def _write_error(exc: Exception) -> str:
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError):
        return "Kon niet bewaard worden: " + "; ".join(exc.messages)
    return f"Kon niet bewaard worden ({type(exc).__name__})."


def _add(run: UitImportRun, result: PageResult) -> None:
    run.created += result.created
    run.updated += result.updated
    run.cancelled += result.cancelled
    run.own += result.own
    run.failed += result.failed
    run.errors = [*run.errors, *result.errors][-500:]
    if result.latest and (run.cursor is None or result.latest > run.cursor):
        run.cursor = result.latest
    run.page += 1


def last_cursor() -> dt.datetime | None:
    """Where the next Search API run starts: the latest cursor any run reached."""
    run = (
        UitImportRun.objects.filter(source="search", cursor__isnull=False)
        .order_by("-cursor")
        .first()
    )
    return run.cursor if run else None


def search_params(*, start: int, limit: int, modified_from: dt.datetime | None) -> dict:
    """Search API 3.0 query: our label and configured STEM queries, ages 5-18, Belgium."""
    queries = ["labels:stemindevrijetijd", *settings.UIT_SEARCH_QUERIES]
    q = "(" + " OR ".join(f"({query})" for query in queries) + ")"
    if settings.UIT_SEARCH_REGIONS:
        q += " AND regions:(" + " OR ".join(settings.UIT_SEARCH_REGIONS) + ")"
    params = {
        "q": q,
        "embed": "true",
        "start": start,
        "limit": limit,
        "minAge": 5,
        "maxAge": 18,
        "addressCountry": "BE",
        "sort[modified]": "asc",
    }
    if modified_from is not None:
        params["modifiedFrom"] = modified_from.isoformat(timespec="seconds")
        # Incremental: also see what was withdrawn, rejected or has ended since.
        params["workflowStatus"] = "READY_FOR_VALIDATION,APPROVED,REJECTED,DELETED"
        params["availableFrom"] = "*"
    return params


def uit_import_run(
    *, client: UitClient | None = None, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES
) -> UitImportRun:
    """Fetch and import the Search API's STEM events modified since the last run."""
    owns_client = client is None
    client = client or UitClient.from_settings()
    modified_from = last_cursor()
    run = UitImportRun.objects.create(
        source="search", started_at=timezone.now(), modified_from=modified_from
    )
    try:
        if not client.can_search:
            run.status = UitImportRun.Status.SKIPPED
            run.message = NOT_CONFIGURED
            return run
        terms = ReverseTerms.load()
        cache: dict = {}
        start = 0
        while run.page < max_pages:
            try:
                response = client.search_raw(
                    "events",
                    search_params(start=start, limit=page_size, modified_from=modified_from),
                )
                try:
                    page = response.json()
                except ValueError as exc:
                    raise MalformedPage("De pagina is geen geldige JSON.") from exc
                members = _members(page)
            except (MalformedPage, UitError) as exc:
                run.status = UitImportRun.Status.STOPPED
                run.message = (
                    f"Gestopt bij pagina {run.page + 1} (start {start}): "
                    + (exc.dutch() if isinstance(exc, UitError) else str(exc))
                    + " Wat eerder geïmporteerd werd, blijft; de volgende run gaat verder."
                )
                return run
            result = import_page(members, terms=terms, cache=cache)
            _add(run, result)
            run.save()
            total = page.get("totalItems")
            start += len(members)
            if not members or (isinstance(total, int) and start >= total):
                break
        run.status = UitImportRun.Status.DONE
        return run
    finally:
        run.finished_at = timezone.now()
        if run.status == UitImportRun.Status.RUNNING:
            run.status = UitImportRun.Status.STOPPED
            run.message = run.message or "Onverwacht gestopt."
        run.save()
        if owns_client:
            client.close()


def _pages_in(data) -> list:
    """A saved file: one Search API page, a list of pages, a list of events or one event."""
    if isinstance(data, dict) and "member" in data:
        return [data]
    if isinstance(data, dict) and ("@id" in data or "name" in data):
        return [{"member": [data]}]
    if isinstance(data, list):
        if data and all(isinstance(p, dict) and "member" in p for p in data):
            return data
        return [{"member": data}]
    raise MalformedPage("Het bestand is geen Search API-pagina, lijst of evenement.")


def uit_import_documents(*, data, source: str = "file", demo: bool = False) -> UitImportRun:
    """Import saved Search API responses (already parsed JSON), offline.

    ``demo`` marks the activities and new organisations as demo data (``seed_demo``).
    """
    run = UitImportRun.objects.create(source=source[:300], started_at=timezone.now())
    try:
        terms = ReverseTerms.load()
        cache: dict = {}
        for page in _pages_in(data):
            try:
                members = _members(page)
            except MalformedPage as exc:
                run.status = UitImportRun.Status.STOPPED
                run.message = f"Gestopt bij pagina {run.page + 1}: {exc}"
                return run
            _add(run, import_page(members, terms=terms, cache=cache, demo=demo))
            run.save()
        run.status = UitImportRun.Status.DONE
        return run
    except MalformedPage as exc:
        run.status = UitImportRun.Status.STOPPED
        run.message = str(exc)
        return run
    finally:
        run.finished_at = timezone.now()
        if run.status == UitImportRun.Status.RUNNING:
            run.status = UitImportRun.Status.STOPPED
            run.message = run.message or "Onverwacht gestopt."
        run.save()


def uit_import_file(*, path: str | Path) -> UitImportRun:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        run = UitImportRun.objects.create(
            source=f"file:{path.name}"[:300],
            started_at=timezone.now(),
            finished_at=timezone.now(),
            status=UitImportRun.Status.STOPPED,
            message=f"Het bestand kon niet gelezen worden: {exc}",
        )
        return run
    return uit_import_documents(data=data, source=f"file:{path.name}")
