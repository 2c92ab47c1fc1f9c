"""Writes of the contact point and of saved matching runs: one function per use case."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stemnet.core import audit
from stemnet.matching import engine, labels, selectors
from stemnet.matching.models import (
    CompanyRequest,
    Introduction,
    MatchingLock,
    MatchingRun,
    RequestNote,
)
from stemnet.places import selectors as places

Status = CompanyRequest.Status
TRANSITIONS = {
    Status.NEW: {Status.IN_PROGRESS, Status.DECLINED},
    Status.IN_PROGRESS: {Status.MATCHED, Status.DONE, Status.DECLINED},
    Status.MATCHED: {Status.DONE, Status.IN_PROGRESS},
    Status.DONE: set(),
    Status.DECLINED: {Status.IN_PROGRESS},
}
RATE_WINDOW = 60 * 60


# ---------------------------------------------------------------- mail


def _send(*, template: str, to: str, language: str, context: dict, subject: str) -> None:
    with translation.override(language):
        body = render_to_string(f"matching/emails/{template}.txt", context)
        subject = " ".join(_(subject).split())[:200]
    EmailMessage(subject=subject, body=body, to=[to], reply_to=[settings.CONTACT_EMAIL]).send()


def follow_url(request: CompanyRequest) -> str:
    with translation.override(request.language):
        path = reverse("matching:follow", args=[request.follow_token])
    return f"{settings.SITE_URL}{path}"


# ---------------------------------------------------------------- intake


def _rate_limited(ip: str) -> bool:
    """Count this address's requests in the hour (keyed hash: never the address itself)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()
    key = f"matching:intake:{digest}"
    if not cache.add(key, 1, timeout=RATE_WINDOW):
        try:
            count = cache.incr(key)
        except ValueError:
            cache.add(key, 1, timeout=RATE_WINDOW)
            count = 1
        return count > settings.CONTACT_RATE_LIMIT_PER_HOUR
    return False


def request_submit(*, data: dict, submission_key: str, language: str, ip: str):
    """Store a company's request and mail the confirmation with its private follow link.

    The form's one-time ``submission_key`` makes a double click one request: the second
    submission returns the first (``created`` False). Returns ``(request, created)``.
    """
    existing = CompanyRequest.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    municipality = places.municipality_for_postcode(data["postcode"])
    point = places.point_for_postcode(data["postcode"])
    if municipality is None or point is None:
        raise ValidationError(
            {"postcode": _("We do not know postcode %(code)s.") % {"code": data["postcode"]}}
        )
    if _rate_limited(ip):
        raise ValidationError(
            _(
                "You have sent several requests in a short time. Please wait an hour and try "
                "again, or write to %(email)s. Your request is still in the form."
            )
            % {"email": settings.CONTACT_EMAIL},
            code="rate_limited",
        )
    themes = data.pop("themes", [])
    try:
        with transaction.atomic():
            request = CompanyRequest.objects.create(
                **data,
                municipality=municipality,
                lat=point.lat,
                lon=point.lon,
                submission_key=submission_key,
                language=language if language in dict(settings.LANGUAGES) else "nl",
            )
            request.themes.set(themes)
    except IntegrityError:  # the same key from a parallel double click
        return CompanyRequest.objects.get(submission_key=submission_key), False
    audit.record(request, "matching.companyrequest.submitted")
    _send(
        template="request_confirmation",
        to=request.email,
        language=request.language,
        context={"request": request, "follow_url": follow_url(request)},
        subject=gettext_noop("Your request to the STEM contact point"),
    )
    return request, True


# ---------------------------------------------------------------- triage


def ensure_transition(request: CompanyRequest, to: str) -> None:
    if to not in TRANSITIONS[request.status]:
        raise ValidationError(
            _("A request that is %(current)s cannot become %(new)s.")
            % {"current": request.get_status_display(), "new": Status(to).label},
            code="transition",
        )


@transaction.atomic
def request_set_status(*, request: CompanyRequest, status: str, actor, reason: str = "") -> None:
    given = request
    request = CompanyRequest.objects.select_for_update().get(pk=request.pk)
    ensure_transition(request, status)
    if status == Status.DECLINED and not reason.strip():
        raise ValidationError(
            {"reason": _("Say why the request is not retained: the company reads it.")}
        )
    now = timezone.now()
    request.status = status
    request.decline_reason = reason.strip() if status == Status.DECLINED else ""
    if request.first_answer_at is None:
        request.first_answer_at = now
    if status == Status.MATCHED and request.matched_at is None:
        request.matched_at = now
    request.closed_at = now if status in (Status.DONE, Status.DECLINED) else None
    request.save()
    given.refresh_from_db()
    audit.record(request, f"matching.companyrequest.{status}", actor=actor, data={"reason": reason})
    _send(
        template="request_status",
        to=request.email,
        language=request.language,
        context={"request": request, "follow_url": follow_url(request)},
        subject=gettext_noop("Your request to the STEM contact point"),
    )


def request_assign(*, request: CompanyRequest, owner, actor) -> None:
    if owner is not None and owner not in selectors.staff_users():
        raise ValidationError({"owner": _("Only VLAIO staff can own a request.")})
    request.owner = owner
    request.save(update_fields=["owner", "updated_at"])
    audit.record(request, "matching.companyrequest.assigned", actor=actor)


def request_note_add(*, request: CompanyRequest, text: str, actor) -> RequestNote:
    if not text.strip():
        raise ValidationError({"text": _("Write a note first.")})
    return RequestNote.objects.create(request=request, text=text.strip(), author=actor)


# ---------------------------------------------------------------- runs and locks


def _jsonable(value):
    if isinstance(value, frozenset | set):
        return sorted((_jsonable(v) for v in value), key=repr)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


@transaction.atomic
def run_save(*, use, scope, needs, offers, weights, rules, actor) -> MatchingRun:
    """Run the engine and keep the run as the next version of (use, scope), with its inputs."""
    result = engine.match(needs, offers, weights, rules)
    last = MatchingRun.objects.select_for_update().filter(use=use, scope=scope).first()
    inputs = {
        "needs": [_jsonable(asdict(n)) for n in needs],
        "offers": [_jsonable(asdict(o)) for o in offers],
        "weights": weights.to_dict(),
        "rules": _jsonable(asdict(rules)),
    }
    return MatchingRun.objects.create(
        use=use,
        scope=scope,
        version=(last.version + 1) if last else 1,
        ran_by=actor,
        inputs=inputs,
        result=result.to_dict(),
        total_points=result.total_points,
        matched=result.matched,
    )


def request_suggest(*, request: CompanyRequest, actor) -> MatchingRun:
    """The engine's academies for one request, under its locks; academies already
    introduced are left out. Saved as the next version."""
    scope = f"request:{request.pk}"
    offers, _by_key = selectors.academy_offers()
    known = {o.id for o in offers}
    need = selectors.request_need(request)
    introduced = {f"academy:{pk}" for pk in request.introductions.values_list("academy", flat=True)}
    locks = list(selectors.locks_for(scope).filter(offer_key__in=known))
    must = frozenset((need.id, lock.offer_key) for lock in locks if lock.kind == "must")
    must -= {(need.id, key) for key in introduced}
    must_not = frozenset((need.id, lock.offer_key) for lock in locks if lock.kind == "must_not")
    rules = engine.Rules(
        max_distance_km=float(request.radius_km),
        exclusions=frozenset((need.id, key) for key in introduced),
        must=must,
        must_not=must_not - must,
    )
    try:
        return run_save(
            use=selectors.USE,
            scope=scope,
            needs=[need],
            offers=offers,
            weights=contact_point_weights(),
            rules=rules,
            actor=actor,
        )
    except engine.EngineInputError as error:
        raise ValidationError(labels.error_message(error)) from error


def contact_point_weights() -> engine.Weights:
    return engine.Weights.from_dict(settings.MATCHING_CONTACT_POINT_WEIGHTS)


def lock_set(*, request: CompanyRequest, academy_key: str, kind: str, actor) -> None:
    """Lock an academy in (``must``), out (``must_not``) or free it again (``""``)."""
    scope = f"request:{request.pk}"
    need_key = f"request:{request.pk}"
    MatchingLock.objects.filter(use=selectors.USE, scope=scope, offer_key=academy_key).delete()
    if kind:
        MatchingLock.objects.create(
            use=selectors.USE,
            scope=scope,
            need_key=need_key,
            offer_key=academy_key,
            kind=MatchingLock.Kind(kind),
            set_by=actor,
        )
    audit.record(request, "matching.companyrequest.locked", actor=actor, data={"kind": kind})


# ---------------------------------------------------------------- introductions


@transaction.atomic
def introduction_send(*, request: CompanyRequest, academy, pair: dict | None, actor):
    """Introduce the request to an academy: one e-mail to each side, status matched."""
    if request.status not in (Status.IN_PROGRESS, Status.MATCHED):
        raise ValidationError(_("Take the request in progress before introducing academies."))
    if not academy.email:
        raise ValidationError(_("This academy has no contact e-mail address."))
    intro, created = Introduction.objects.get_or_create(
        request=request,
        academy=academy,
        defaults={
            "sent_by": actor,
            "points": (pair or {}).get("points", 0),
            "explanation": (pair or {}).get("parts", []),
        },
    )
    if not created:
        raise ValidationError(_("This academy has already been introduced."))
    context = {"request": request, "academy": academy, "follow_url": follow_url(request)}
    _send(
        template="introduction_company",
        to=request.email,
        language=request.language,
        context=context,
        subject=gettext_noop("An introduction to a STEM academy"),
    )
    _send(
        template="introduction_academy",
        to=academy.email,
        language=settings.LANGUAGE_CODE,
        context={**context, "site_url": settings.SITE_URL},
        subject=gettext_noop("A company would like to work with your academy"),
    )
    if request.status == Status.IN_PROGRESS:
        request_set_status(request=request, status=Status.MATCHED, actor=actor)
    audit.record(intro, "matching.introduction.sent", actor=actor)
    return intro


def introduction_answer(*, introduction: Introduction, answer: str, actor) -> None:
    if answer not in (Introduction.Answer.INTERESTED, Introduction.Answer.NOT_NOW):
        raise ValidationError(_("Choose interested or not now."))
    introduction.answer = answer
    introduction.answered_at = timezone.now()
    introduction.save(update_fields=["answer", "answered_at", "updated_at"])
    audit.record(
        introduction, "matching.introduction.answered", actor=actor, data={"answer": answer}
    )


def follow_up_send(*, request: CompanyRequest, actor=None) -> None:
    """Ask the company whether the contact happened (the answer comes on its follow page)."""
    if request.status != Status.MATCHED:
        raise ValidationError(_("Only a matched request gets a follow-up."))
    request.follow_up_sent_at = timezone.now()
    request.save(update_fields=["follow_up_sent_at", "updated_at"])
    _send(
        template="follow_up",
        to=request.email,
        language=request.language,
        context={"request": request, "follow_url": follow_url(request)},
        subject=gettext_noop("Did the contact with the STEM academy happen?"),
    )
    audit.record(request, "matching.companyrequest.followed_up", actor=actor)


def follow_ups_due(*, now=None) -> int:
    """Send the follow-up of every matched request whose time has come; return how many."""
    now = now or timezone.now()
    sent = 0
    for request in CompanyRequest.objects.filter(
        status=Status.MATCHED, follow_up_sent_at__isnull=True
    ):
        due = selectors.follow_up_due_at(request)
        if due is not None and due <= now:
            follow_up_send(request=request)
            sent += 1
    return sent


def follow_up_answer(*, request: CompanyRequest, happened: bool) -> None:
    request.contact_happened = happened
    request.save(update_fields=["contact_happened", "updated_at"])
    audit.record(request, "matching.companyrequest.contact_answered", data={"happened": happened})
