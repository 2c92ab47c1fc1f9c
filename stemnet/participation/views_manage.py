"""Moderators' pages (VLAIO staff): consultations, moderation, official answers, links,
exports of the results, and needs surveys."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.organisations import selectors as org_selectors
from stemnet.participation import exports, selectors, services
from stemnet.participation.forms import (
    ConsultationForm,
    HideForm,
    LinkForm,
    MergeForm,
    ResponseForm,
    SurveyForm,
    TextForm,
    add_errors,
)
from stemnet.participation.models import Consultation, Idea, Survey


def _moderator(request) -> None:
    if not request.user.is_authenticated:
        raise PermissionDenied(_("Log in as VLAIO staff to manage consultations."))
    if not request.user.has_perm("participation.moderate"):
        raise PermissionDenied(_("Only VLAIO staff manage consultations."))


def manage_list(request):
    _moderator(request)
    return render(
        request,
        "participation/manage_list.html",
        {
            "consultations": Consultation.objects.all(),
            "surveys": Survey.objects.all(),
            "topics": selectors.training_topics_wanted(),
        },
    )


def consultation_create(request):
    _moderator(request)
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = data.pop("themes").splitlines()
        try:
            consultation = services.consultation_create(**data, themes=themes, actor=request.user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The consultation has been created."))
            return redirect("participation:consultation_moderate", pk=consultation.pk)
    return render(request, "participation/consultation_form.html", {"form": form})


def consultation_edit(request, pk: int):
    _moderator(request)
    consultation = get_object_or_404(Consultation, pk=pk)
    form = ConsultationForm(request.POST or None, instance=consultation)
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                consultation=Consultation.objects.get(pk=pk),
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The consultation has been saved."))
            return redirect("participation:consultation_moderate", pk=pk)
    return render(
        request,
        "participation/consultation_form.html",
        {"form": form, "consultation": consultation},
    )


def consultation_moderate(request, pk: int):
    _moderator(request)
    consultation = get_object_or_404(Consultation, pk=pk)
    themes = selectors.consultation_ideas(consultation, include_hidden=True)
    visible = list(Idea.objects.visible().filter(theme__consultation=consultation))
    return render(
        request,
        "participation/consultation_moderate.html",
        {
            "consultation": consultation,
            "themes": themes,
            "visible": visible,
            "hide_form": HideForm(),
            "answer_form": TextForm(prefix="answer"),
            "link_form": LinkForm(),
        },
    )


def _moderated_idea(request, pk: int) -> Idea:
    _moderator(request)
    return get_object_or_404(Idea.objects.select_related("theme__consultation"), pk=pk)


def _back(idea: Idea):
    return redirect("participation:consultation_moderate", pk=idea.theme.consultation_id)


def _idea_action(request, idea: Idea, form, template: str, act, done: str, **extra):
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            return _back(idea)
    return render(
        request,
        template,
        {"idea": idea, "form": form, **extra},
        status=422 if request.method == "POST" else 200,
    )


def idea_hide(request, pk: int):
    idea = _moderated_idea(request, pk)
    return _idea_action(
        request,
        idea,
        HideForm(request.POST or None),
        "participation/idea_hide.html",
        lambda d: services.idea_hide(idea=idea, reason=d["reason"], actor=request.user),
        _("The idea is hidden."),
    )


@require_POST
def idea_show(request, pk: int):
    idea = _moderated_idea(request, pk)
    services.idea_show(idea=idea, actor=request.user)
    messages.success(request, _("The idea is shown again."))
    return _back(idea)


def idea_merge(request, pk: int):
    idea = _moderated_idea(request, pk)
    others = (
        Idea.objects.visible().filter(theme__consultation=idea.theme.consultation).exclude(pk=pk)
    )
    form = MergeForm(request.POST or None, ideas=others)

    def act(data):
        into = get_object_or_404(Idea, pk=data["into"])
        services.idea_merge(duplicate=idea, into=into, actor=request.user)

    return _idea_action(
        request, idea, form, "participation/idea_merge.html", act, _("The ideas have been merged.")
    )


def idea_answer(request, pk: int):
    idea = _moderated_idea(request, pk)
    form = TextForm(request.POST or None, prefix="answer", initial={"text": idea.answer})
    return _idea_action(
        request,
        idea,
        form,
        "participation/idea_answer.html",
        lambda d: services.idea_answer(idea=idea, text=d["text"], actor=request.user),
        _("The official answer has been published."),
    )


def idea_link(request, pk: int):
    idea = _moderated_idea(request, pk)
    form = LinkForm(request.POST or None, initial={"label": idea.link_label, "url": idea.link_url})
    return _idea_action(
        request,
        idea,
        form,
        "participation/idea_link.html",
        lambda d: services.idea_link(idea=idea, label=d["label"], url=d["url"], actor=request.user),
        _("The idea now links to what it became."),
    )


def results_xlsx(request, pk: int):
    _moderator(request)
    consultation = get_object_or_404(Consultation, pk=pk)
    response = HttpResponse(
        exports.results_xlsx(consultation),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="resultaten-{consultation.pk}.xlsx"'
    return response


def results_pdf(request, pk: int):
    _moderator(request)
    consultation = get_object_or_404(Consultation, pk=pk)
    response = HttpResponse(exports.results_pdf(consultation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="resultaten-{consultation.pk}.pdf"'
    return response


# --- needs surveys ----------------------------------------------------------------------------


def survey_create(request):
    _moderator(request)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                title=data["title"],
                intro=data["intro"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                questions=form.questions(),
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The survey has been created."))
            return redirect("participation:survey_results", pk=survey.pk)
    return render(request, "participation/survey_form.html", {"form": form})


def survey_results(request, pk: int):
    _moderator(request)
    survey = get_object_or_404(Survey, pk=pk)
    return render(
        request,
        "participation/survey_results.html",
        {"survey": survey, "rows": selectors.survey_results(survey), "n": survey.responses.count()},
    )


def survey_list(request):
    """The open surveys for the academies this user coordinates."""
    if not request.user.is_authenticated:
        raise PermissionDenied(_("Log in as the coordinator of a STEM academy."))
    academies = [
        o
        for o in org_selectors.organisations_for_user(request.user, role="coordinator")
        if request.user.has_perm("participation.answer_survey", o)
    ]
    if not academies:
        raise PermissionDenied(_("Needs surveys are for coordinators of STEM academies."))
    return render(
        request,
        "participation/survey_list.html",
        {"surveys": selectors.surveys_open(), "academies": academies},
    )


def survey_answer(request, pk: int, slug: str):
    survey = get_object_or_404(Survey, pk=pk)
    organisation = get_object_or_404(
        org_selectors.organisations_for_user(request.user, role="coordinator"), slug=slug
    )
    if not request.user.has_perm("participation.answer_survey", organisation):
        raise PermissionDenied(_("Needs surveys are for coordinators of STEM academies."))
    if not survey.is_open():
        raise PermissionDenied(_("This survey is closed."))
    earlier = survey.responses.filter(organisation=organisation).first()
    form = ResponseForm(
        request.POST or None, survey=survey, initial_answers=earlier.answers if earlier else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                survey=survey,
                organisation=organisation,
                respondent=request.user,
                answers=form.answers(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: your academy's answers have been saved."))
            return redirect("participation:survey_list")
    return render(
        request,
        "participation/survey_answer.html",
        {"survey": survey, "organisation": organisation, "form": form, "earlier": earlier},
    )
