"""The live room: phones join by QR code or short code, a projector shows the current idea with
the live distribution of votes and a timer, and the facilitator moves through the ideas.

Phones and projector poll a small fragment every second with the fingerprint of what they
show (``?v=``). While nothing changed the answer is 204 No Content: no body and no swap,
which keeps a venue's weak Wi-Fi free (a poll that reaches the server costs two small
queries). The state lives in the database, so a reloaded projector shows the same idea.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from stemnet.participation import qr, selectors, services
from stemnet.participation.models import Consultation, Idea
from stemnet.participation.views_manage import _moderator


def _unchanged(request, key: str | None) -> bool:
    return key is not None and request.GET.get("v") == key


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _join_url(request, consultation: Consultation) -> str:
    path = reverse("participation:participant_join", kwargs={"code": consultation.join_code})
    return request.build_absolute_uri(path + "?zaal=1")


# --- the projector and the facilitator -----------------------------------------------------


def _stage_context(consultation: Consultation) -> dict:
    ideas = selectors.live_ideas(consultation)
    current = consultation.live_idea
    index = next((i for i, idea in enumerate(ideas) if current and idea.pk == current.pk), None)
    previous = ideas[index - 1] if index else None
    following = ideas[index + 1] if index is not None and index + 1 < len(ideas) else None
    if index is None and ideas:
        following = ideas[0]
    tally = selectors.live_distribution(current)
    return {
        "consultation": consultation,
        "idea": current,
        "position": (index + 1) if index is not None else None,
        "n_ideas": len(ideas),
        "previous": previous,
        "following": following,
        "tally": tally,
        "bars": list(zip(range(1, 6), tally.distribution, strict=True)),
        "seconds_left": selectors.live_seconds_left(consultation),
        "n_participants": consultation.participants.count(),
        "key": selectors.live_state_key(consultation.pk),
    }


def projector(request, pk: int):
    _moderator(request)
    consultation = get_object_or_404(Consultation.objects.select_related("live_idea__theme"), pk=pk)
    return render(
        request,
        "participation/live_projector.html",
        {**_stage_context(consultation), "join_url": _join_url(request, consultation)},
    )


def projector_state(request, pk: int):
    _moderator(request)
    if _unchanged(request, selectors.live_state_key(pk)):
        return _no_store(HttpResponse(status=204))
    consultation = get_object_or_404(Consultation.objects.select_related("live_idea__theme"), pk=pk)
    return _no_store(
        render(request, "participation/includes/live_stage.html", _stage_context(consultation))
    )


@require_POST
def live_move(request, pk: int):
    _moderator(request)
    consultation = get_object_or_404(Consultation, pk=pk)
    idea_id = request.POST.get("idea")
    idea = get_object_or_404(Idea, pk=idea_id) if idea_id else None
    try:
        services.live_move(consultation=consultation, idea=idea, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("participation:projector", pk=pk)


@require_POST
def live_timer(request, pk: int):
    _moderator(request)
    consultation = get_object_or_404(Consultation, pk=pk)
    try:
        services.live_timer(
            consultation=consultation, seconds=request.POST.get("seconds"), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("participation:projector", pk=pk)


def join_qr(request, pk: int):
    _moderator(request)
    consultation = get_object_or_404(Consultation, pk=pk)
    return HttpResponse(qr.svg(_join_url(request, consultation)), content_type="image/svg+xml")


# --- the phones ----------------------------------------------------------------------------


def _phone_key(consultation: Consultation) -> str:
    return f"{consultation.live_version}-{consultation.live_idea_id or 0}"


def _phone_context(consultation: Consultation, participant) -> dict:
    idea = consultation.live_idea
    vote = participant.votes.filter(idea=idea).first() if idea else None
    return {
        "consultation": consultation,
        "participant": participant,
        "idea": idea,
        "vote": vote,
        "scores": range(1, 6),
        "seconds_left": selectors.live_seconds_left(consultation),
        "key": _phone_key(consultation),
        "voting_open": consultation.voting_open(),
    }


def live_phone(request, code: str):
    consultation = get_object_or_404(
        Consultation.objects.select_related("live_idea__theme"), join_code=code.upper()
    )
    participant = selectors.participant_for(request, consultation)
    if consultation.access == Consultation.Access.ACCOUNTS and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if participant is None:
        return redirect(
            reverse("participation:participant_join", kwargs={"code": consultation.join_code})
            + "?zaal=1"
        )
    return render(
        request, "participation/live_phone.html", _phone_context(consultation, participant)
    )


def live_phone_state(request, code: str):
    row = (
        Consultation.objects.filter(join_code=code.upper())
        .values_list("pk", "live_version", "live_idea_id")
        .first()
    )
    if row is None:
        return HttpResponse(status=404)
    pk, version, idea_id = row
    if request.GET.get("v") == f"{version}-{idea_id or 0}":
        return _no_store(HttpResponse(status=204))
    consultation = Consultation.objects.select_related("live_idea__theme").get(pk=pk)
    participant = selectors.participant_for(request, consultation)
    if participant is None:
        return HttpResponse(status=403)
    return _no_store(
        render(
            request,
            "participation/includes/live_phone_idea.html",
            _phone_context(consultation, participant),
        )
    )
