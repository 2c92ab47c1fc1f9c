"""Participants' pages: join by code or account, ideas per theme, votes, support, comments,
suggestions and the results once they are public."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.participation import rules as participation_rules
from stemnet.participation import selectors, services
from stemnet.participation.forms import (
    AcceptForm,
    CodeForm,
    IdeaForm,
    JoinForm,
    TextForm,
    add_errors,
)
from stemnet.participation.models import Consultation, Idea, Suggestion, Theme


def _participant_or_refuse(request, consultation: Consultation):
    """The participant of this browser; moderators pass with None; others are refused."""
    participant = selectors.participant_for(request, consultation)
    if participant is None and not selectors.is_moderator(request.user):
        if (
            consultation.access == Consultation.Access.ACCOUNTS
            and not request.user.is_authenticated
        ):
            raise PermissionDenied(_("Log in to take part in this consultation."))
        raise PermissionDenied(_("Join this consultation with your code or link first."))
    return participant


def _acting_participant(request, consultation: Consultation):
    participant = selectors.participant_for(request, consultation)
    if participant is None:
        raise PermissionDenied(_("Join this consultation with your code or link first."))
    return participant


def consultation_list(request):
    return render(
        request,
        "participation/consultation_list.html",
        {"consultations": selectors.consultations_listed(), "form": CodeForm()},
    )


def join_code(request):
    """Type the code from the screen or the invitation."""
    form = CodeForm(request.POST or request.GET or None)
    if form.is_bound and form.is_valid():
        try:
            consultation = services.consultation_for_code(form.cleaned_data["code"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("participation:participant_join", code=consultation.join_code)
    return render(request, "participation/join_code.html", {"form": form})


def participant_join(request, code: str):
    consultation = get_object_or_404(Consultation, join_code=code.upper())
    user = request.user if request.user.is_authenticated else None
    if consultation.access == Consultation.Access.ACCOUNTS and user is None:
        return redirect_to_login(request.get_full_path())
    existing = selectors.participant_for(request, consultation)
    initial = {"name": existing.name, "group": existing.group} if existing else {}
    if user and not existing:
        initial = {"name": user.get_full_name() or user.email.split("@")[0]}
    form = JoinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_join(
                consultation=consultation,
                name=form.cleaned_data["name"],
                group=form.cleaned_data["group"],
                user=user if consultation.access == Consultation.Access.ACCOUNTS else None,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            request.session[selectors.SESSION_KEY % consultation.pk] = participant.token
            if request.GET.get("zaal"):
                return redirect("participation:live_phone", code=consultation.join_code)
            return redirect("participation:consultation_detail", pk=consultation.pk)
    return render(
        request,
        "participation/participant_join.html",
        {"consultation": consultation, "form": form, "room": bool(request.GET.get("zaal"))},
    )


def consultation_detail(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    participant = _participant_or_refuse(request, consultation)
    themes = selectors.consultation_ideas(consultation)
    votes, supported = {}, set()
    if participant:
        votes = dict(participant.votes.values_list("idea_id", "score"))
        supported = set(participant.supports.values_list("idea_id", flat=True))
    return render(
        request,
        "participation/consultation_detail.html",
        {
            "consultation": consultation,
            "participant": participant,
            "themes": themes,
            "votes": votes,
            "supported": supported,
            "idea_form": IdeaForm(),
            "is_moderator": selectors.is_moderator(request.user),
            "scores": range(1, 6),
        },
    )


def _idea(pk: int, *, moderator: bool) -> Idea:
    idea = get_object_or_404(Idea.objects.select_related("theme__consultation", "author"), pk=pk)
    if not moderator and (idea.hidden_at or idea.merged_into_id):
        if idea.merged_into_id:
            raise PermissionDenied(_("This idea was merged into another idea."))
        raise PermissionDenied(_("This idea has been hidden by a moderator."))
    return idea


def idea_detail(request, pk: int):
    moderator = selectors.is_moderator(request.user)
    idea = _idea(pk, moderator=moderator)
    participant = _participant_or_refuse(request, idea.theme.consultation)
    return render(
        request, "participation/idea_detail.html", _idea_context(idea, participant, moderator)
    )


def _idea_context(idea, participant, moderator, **extra) -> dict:
    vote = participant.votes.filter(idea=idea).first() if participant else None
    return {
        "idea": idea,
        "consultation": idea.theme.consultation,
        "participant": participant,
        "is_moderator": moderator,
        "vote": vote,
        "supported": bool(participant and participant.supports.filter(idea=idea).exists()),
        "versions": idea.versions.all(),
        "comments": idea.comments.select_related("author"),
        "suggestions": idea.suggestions.select_related("author"),
        "may_accept": moderator or bool(participant and participant.pk == idea.author_id),
        "comment_form": extra.pop("comment_form", TextForm(prefix="comment")),
        "suggestion_form": extra.pop("suggestion_form", TextForm(prefix="suggestion")),
        "scores": range(1, 6),
        **extra,
    }


@require_POST
def idea_create(request, pk: int):
    theme = get_object_or_404(Theme.objects.select_related("consultation"), pk=pk)
    participant = _acting_participant(request, theme.consultation)
    form = IdeaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            idea = services.idea_create(
                theme=theme,
                author=participant,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                image=form.cleaned_data.get("image"),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your idea has been posted."))
            return redirect("participation:idea_detail", pk=idea.pk)
    return render(
        request,
        "participation/idea_create.html",
        {"theme": theme, "consultation": theme.consultation, "form": form},
        status=422,
    )


@require_POST
def vote(request, pk: int):
    idea = _idea(pk, moderator=False)
    participant = _acting_participant(request, idea.theme.consultation)
    error = None
    try:
        cast = services.vote_cast(
            idea=idea, participant=participant, score=request.POST.get("score")
        )
    except ValidationError as exc:
        error, cast = " ".join(exc.messages), participant.votes.filter(idea=idea).first()
    if request.htmx:
        response = render(
            request,
            "participation/includes/vote_box.html",
            {"idea": idea, "vote": cast, "error": error, "scores": range(1, 6), "saved": not error},
        )
        response.status_code = 422 if error else 200
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, _("Your vote has been saved: %(score)s of 5.") % {"score": cast.score}
        )
    return redirect(request.POST.get("next") or idea_url(idea))


def idea_url(idea: Idea) -> str:
    from django.urls import reverse

    return reverse("participation:idea_detail", args=[idea.pk])


@require_POST
def support(request, pk: int):
    idea = _idea(pk, moderator=False)
    participant = _acting_participant(request, idea.theme.consultation)
    on = request.POST.get("support") == "1"
    try:
        services.support_set(idea=idea, participant=participant, support=on)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(idea_url(idea))


def _post_text(request, pk: int, prefix: str, service, done: str):
    idea = _idea(pk, moderator=False)
    participant = _acting_participant(request, idea.theme.consultation)
    form = TextForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            service(idea=idea, author=participant, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(idea_url(idea))
    context = _idea_context(
        idea, participant, selectors.is_moderator(request.user), **{f"{prefix}_form": form}
    )
    return render(request, "participation/idea_detail.html", context, status=422)


@require_POST
def comment(request, pk: int):
    return _post_text(
        request, pk, "comment", services.comment_create, _("Your comment has been posted.")
    )


@require_POST
def suggestion(request, pk: int):
    return _post_text(
        request,
        pk,
        "suggestion",
        services.suggestion_create,
        _("Your suggestion has been sent to the author."),
    )


def _suggestion_for_decider(request, pk: int):
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("idea__theme__consultation", "author"), pk=pk
    )
    participant = selectors.participant_for(request, suggestion.idea.theme.consultation)
    if not participation_rules.may_accept(request.user, participant, suggestion):
        raise PermissionDenied(_("Only the author of the idea or a moderator can decide on this."))
    return suggestion, participant


def suggestion_accept(request, pk: int):
    suggestion, participant = _suggestion_for_decider(request, pk)
    idea = suggestion.idea
    form = AcceptForm(request.POST or None, initial={"title": idea.title, "text": idea.text})
    if request.method == "POST" and form.is_valid():
        actor = request.user if request.user.is_authenticated else None
        try:
            services.suggestion_accept(
                suggestion=suggestion,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                actor=actor,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The suggestion is accepted: the idea has a new version."))
            return redirect(idea_url(idea))
    return render(
        request,
        "participation/suggestion_accept.html",
        {"suggestion": suggestion, "idea": idea, "form": form},
    )


@require_POST
def suggestion_decline(request, pk: int):
    suggestion, _participant = _suggestion_for_decider(request, pk)
    try:
        services.suggestion_decline(
            suggestion=suggestion, actor=request.user if request.user.is_authenticated else None
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(idea_url(suggestion.idea))


def results(request, pk: int):
    consultation = get_object_or_404(Consultation, pk=pk)
    participant = selectors.participant_for(request, consultation)
    if not participation_rules.may_see_results(request.user, participant, consultation):
        raise PermissionDenied(_("The results are not public yet."))
    ranked = selectors.consultation_results(consultation)
    return render(
        request,
        "participation/results.html",
        {
            "consultation": consultation,
            "results": ranked,
            "groups": selectors.groups_in(ranked),
            "is_moderator": selectors.is_moderator(request.user),
        },
    )


def image(request, pk: int):
    """An idea's image, for those who may see the idea (media is not public)."""
    idea = _idea(pk, moderator=selectors.is_moderator(request.user))
    _participant_or_refuse(request, idea.theme.consultation)
    if not idea.image:
        raise Http404(_("This idea has no image."))
    content_type = mimetypes.guess_type(idea.image.name)[0] or "application/octet-stream"
    return HttpResponse(idea.image.read(), content_type=content_type)
