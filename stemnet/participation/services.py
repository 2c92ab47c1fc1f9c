"""Every write of the participation component, one function per use case."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.participation.models import (
    CODE_ALPHABET,
    STAKEHOLDER_GROUPS,
    Comment,
    Consultation,
    Idea,
    IdeaVersion,
    Participant,
    Question,
    Response,
    Suggestion,
    Support,
    Survey,
    Theme,
    Vote,
)

GROUP_CODES = {code for code, _label in STAKEHOLDER_GROUPS}
LIVE_TIMER_MAX_SECONDS = 30 * 60


def _required(**fields: str) -> dict[str, str]:
    """The stripped values; a ValidationError names every empty one."""
    cleaned = {name: (value or "").strip() for name, value in fields.items()}
    missing = {name: _("This field cannot be empty.") for name, v in cleaned.items() if not v}
    if missing:
        raise ValidationError(missing, code="required")
    return cleaned


def _check_phases(
    ideas_from: dt.datetime,
    ideas_until: dt.datetime,
    voting_from: dt.datetime,
    voting_until: dt.datetime,
    results_from: dt.datetime,
) -> None:
    errors = {}
    if ideas_until <= ideas_from:
        errors["ideas_until"] = _("The idea phase must end after it starts.")
    if voting_until <= voting_from:
        errors["voting_until"] = _("The voting phase must end after it starts.")
    if results_from < voting_from:
        errors["results_from"] = _("Results cannot be public before voting starts.")
    if errors:
        raise ValidationError(errors, code="phases")


# --- consultations ----------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *,
    title: str,
    description: str = "",
    access: str = Consultation.Access.CODE,
    ideas_from: dt.datetime,
    ideas_until: dt.datetime,
    voting_from: dt.datetime,
    voting_until: dt.datetime,
    results_from: dt.datetime,
    themes: list[str],
    is_listed: bool = False,
    is_demo: bool = False,
    actor=None,
) -> Consultation:
    title = _required(title=title)["title"]
    _check_phases(ideas_from, ideas_until, voting_from, voting_until, results_from)
    themes = [t.strip() for t in themes if t and t.strip()]
    if not themes:
        raise ValidationError({"themes": _("Give at least one theme.")}, code="no_themes")
    consultation = Consultation.objects.create(
        title=title,
        description=description.strip(),
        access=access,
        ideas_from=ideas_from,
        ideas_until=ideas_until,
        voting_from=voting_from,
        voting_until=voting_until,
        results_from=results_from,
        is_listed=is_listed,
        is_demo=is_demo,
    )
    Theme.objects.bulk_create(
        Theme(consultation=consultation, title=t, position=i) for i, t in enumerate(themes)
    )
    audit.record(consultation, "participation.consultation.created", actor=actor)
    return consultation


@transaction.atomic
def consultation_update(*, consultation: Consultation, actor, **fields) -> Consultation:
    """Change title, description, access, listing and phase dates."""
    for name, value in fields.items():
        setattr(consultation, name, value)
    consultation.title = _required(title=consultation.title)["title"]
    _check_phases(
        consultation.ideas_from,
        consultation.ideas_until,
        consultation.voting_from,
        consultation.voting_until,
        consultation.results_from,
    )
    consultation.save()
    audit.record(
        consultation,
        "participation.consultation.updated",
        actor=actor,
        data={"fields": list(fields)},
    )
    return consultation


def consultation_for_code(code: str) -> Consultation:
    """The consultation with this join code; a code nobody was given raises ValidationError."""
    typed = (code or "").strip().upper().replace(" ", "").replace("-", "")
    if not typed or any(ch not in CODE_ALPHABET for ch in typed):
        raise ValidationError(
            {
                "code": _(
                    "“%(code)s” is not a code of a consultation. Check the letters and digits."
                )
                % {"code": code}
            },
            code="bad_code",
        )
    consultation = Consultation.objects.filter(join_code=typed).first()
    if consultation is None:
        raise ValidationError(
            {
                "code": _("No consultation has the code “%(code)s”. Check the code you were given.")
                % {"code": code}
            },
            code="unknown_code",
        )
    return consultation


@transaction.atomic
def participant_join(
    *, consultation: Consultation, name: str, group: str, user=None, is_demo: bool = False
) -> Participant:
    """Take part. With an account, joining again changes the name and group of the same
    participant; by code, every join is a new participant (kept in the browser's session)."""
    if consultation.access == Consultation.Access.ACCOUNTS and user is None:
        raise ValidationError(_("Log in to take part in this consultation."), code="login")
    name = _required(name=name)["name"][:100]
    if group not in GROUP_CODES:
        raise ValidationError(
            {"group": _("Choose the stakeholder group you speak for.")}, code="group"
        )
    if user is not None:
        participant, created = Participant.objects.update_or_create(
            consultation=consultation, user=user, defaults={"name": name, "group": group}
        )
    else:
        participant = Participant.objects.create(
            consultation=consultation, name=name, group=group, is_demo=is_demo
        )
        created = True
    if created:
        audit.record(
            participant, "participation.participant.joined", actor=user, data={"group": group}
        )
    return participant


# --- ideas, comments, suggestions -------------------------------------------------------------


def _same_consultation(idea: Idea, participant: Participant) -> None:
    if idea.theme.consultation_id != participant.consultation_id:
        raise ValidationError(_("This idea belongs to another consultation."), code="other")


def _visible(idea: Idea) -> None:
    if idea.hidden_at or idea.merged_into_id:
        raise ValidationError(_("This idea is no longer shown."), code="hidden")


@transaction.atomic
def idea_create(*, theme: Theme, author: Participant, title: str, text: str, image=None) -> Idea:
    if theme.consultation_id != author.consultation_id:
        raise ValidationError(_("This theme belongs to another consultation."), code="other")
    if not theme.consultation.ideas_open():
        raise ValidationError(_("The idea phase of this consultation is closed."), code="closed")
    cleaned = _required(title=title, text=text)
    idea = Idea.objects.create(
        theme=theme,
        author=author,
        title=cleaned["title"][:200],
        text=cleaned["text"],
        image=image or "",
    )
    IdeaVersion.objects.create(idea=idea, number=1, title=idea.title, text=idea.text)
    audit.record(idea, "participation.idea.created", actor=author.user)
    return idea


def comment_create(*, idea: Idea, author: Participant, text: str) -> Comment:
    _same_consultation(idea, author)
    _visible(idea)
    text = _required(text=text)["text"]
    return Comment.objects.create(idea=idea, author=author, text=text)


def suggestion_create(*, idea: Idea, author: Participant, text: str) -> Suggestion:
    _same_consultation(idea, author)
    _visible(idea)
    text = _required(text=text)["text"]
    return Suggestion.objects.create(idea=idea, author=author, text=text)


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, title: str, text: str, actor=None) -> Idea:
    """Accept a suggestion: the idea gets a new version with this title and text (the earlier
    versions are kept). Who may accept is a rule (the idea's author or a moderator)."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Suggestion.Status.OPEN:
        raise ValidationError(_("This suggestion has already been handled."), code="handled")
    cleaned = _required(title=title, text=text)
    idea = Idea.objects.select_for_update().get(pk=suggestion.idea_id)
    idea.version += 1
    idea.title, idea.text = cleaned["title"][:200], cleaned["text"]
    idea.save(update_fields=["version", "title", "text", "updated_at"])
    IdeaVersion.objects.create(
        idea=idea, number=idea.version, title=idea.title, text=idea.text, suggestion=suggestion
    )
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.save(update_fields=["status", "updated_at"])
    audit.record(
        idea,
        "participation.suggestion.accepted",
        actor=actor,
        data={"suggestion": suggestion.pk, "version": idea.version},
    )
    return idea


def suggestion_decline(*, suggestion: Suggestion, actor=None) -> Suggestion:
    if suggestion.status != Suggestion.Status.OPEN:
        raise ValidationError(_("This suggestion has already been handled."), code="handled")
    suggestion.status = Suggestion.Status.DECLINED
    suggestion.save(update_fields=["status", "updated_at"])
    audit.record(
        suggestion.idea,
        "participation.suggestion.declined",
        actor=actor,
        data={"suggestion": suggestion.pk},
    )
    return suggestion


# --- votes and support ------------------------------------------------------------------------


def vote_cast(*, idea: Idea, participant: Participant, score) -> Vote:
    """Cast or change a participant's feasibility vote (1-5) while voting is open. A second
    vote replaces the first: the database keeps one per participant."""
    _same_consultation(idea, participant)
    _visible(idea)
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if score not in range(1, 6):
        raise ValidationError(
            {"score": _("Choose a feasibility from 1 (not feasible) to 5 (very feasible).")},
            code="score",
        )
    if not participant.consultation.voting_open():
        raise ValidationError(_("Voting on this consultation is closed."), code="closed")
    with transaction.atomic():
        updated = Vote.objects.filter(idea=idea, participant=participant).update(
            score=score, updated_at=timezone.now()
        )
        if not updated:
            try:
                with transaction.atomic():
                    return Vote.objects.create(idea=idea, participant=participant, score=score)
            except IntegrityError:  # the same phone sent twice at once: keep one vote
                Vote.objects.filter(idea=idea, participant=participant).update(score=score)
    return Vote.objects.get(idea=idea, participant=participant)


def support_set(*, idea: Idea, participant: Participant, support: bool) -> bool:
    _same_consultation(idea, participant)
    _visible(idea)
    if support:
        Support.objects.get_or_create(idea=idea, participant=participant)
    else:
        Support.objects.filter(idea=idea, participant=participant).delete()
    return support


# --- moderation and answers -------------------------------------------------------------------


def idea_hide(*, idea: Idea, reason: str, actor) -> Idea:
    reason = _required(reason=reason)["reason"]
    idea.hidden_at, idea.hidden_reason = timezone.now(), reason
    idea.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    audit.record(idea, "participation.idea.hidden", actor=actor, data={"reason": reason})
    return idea


def idea_show(*, idea: Idea, actor) -> Idea:
    idea.hidden_at, idea.hidden_reason = None, ""
    idea.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
    audit.record(idea, "participation.idea.shown", actor=actor)
    return idea


@transaction.atomic
def idea_merge(*, duplicate: Idea, into: Idea, actor) -> Idea:
    """Merge a duplicate into another idea of the same consultation. Its votes and support
    move along, except from participants who already voted on (supported) the other idea:
    their vote there is kept. Comments move; the duplicate stays, marked as merged."""
    if duplicate.pk == into.pk:
        raise ValidationError({"into": _("An idea cannot be merged into itself.")}, code="self")
    if duplicate.theme.consultation_id != into.theme.consultation_id:
        raise ValidationError({"into": _("Choose an idea of the same consultation.")}, code="other")
    if into.merged_into_id or into.hidden_at:
        raise ValidationError({"into": _("Choose an idea that is still shown.")}, code="hidden")
    voted = into.votes.values("participant_id")
    moved = duplicate.votes.exclude(participant_id__in=voted).update(idea=into)
    duplicate.votes.all().delete()
    duplicate.supports.exclude(participant_id__in=into.supports.values("participant_id")).update(
        idea=into
    )
    duplicate.supports.all().delete()
    duplicate.comments.update(idea=into)
    Idea.objects.filter(merged_into=duplicate).update(merged_into=into)
    duplicate.merged_into = into
    duplicate.save(update_fields=["merged_into", "updated_at"])
    audit.record(
        duplicate,
        "participation.idea.merged",
        actor=actor,
        data={"into": into.pk, "votes_moved": moved},
    )
    return into


def idea_answer(*, idea: Idea, text: str, actor) -> Idea:
    idea.answer = _required(answer=text)["answer"]
    idea.answered_at, idea.answered_by = timezone.now(), actor
    idea.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    audit.record(idea, "participation.idea.answered", actor=actor)
    return idea


def idea_link(*, idea: Idea, label: str, url: str, actor) -> Idea:
    """Point a (winning) idea at what it became, e.g. a funding call's priority or a training
    topic: a link to that page, so this component depends on neither."""
    cleaned = _required(label=label, url=url)
    idea.link_label, idea.link_url = cleaned["label"][:200], cleaned["url"]
    idea.full_clean(validate_unique=False, validate_constraints=False)
    idea.save(update_fields=["link_label", "link_url", "updated_at"])
    audit.record(idea, "participation.idea.linked", actor=actor, data={"url": idea.link_url})
    return idea


# --- the live room ----------------------------------------------------------------------------


def live_move(*, consultation: Consultation, idea: Idea | None, actor) -> Consultation:
    if idea is not None and (
        idea.theme.consultation_id != consultation.pk or idea.hidden_at or idea.merged_into_id
    ):
        raise ValidationError(_("This idea cannot be shown in this room."), code="other")
    Consultation.objects.filter(pk=consultation.pk).update(
        live_idea=idea, live_timer_ends_at=None, live_version=F("live_version") + 1
    )
    consultation.refresh_from_db()
    audit.record(
        consultation,
        "participation.live.moved",
        actor=actor,
        data={"idea": idea.pk if idea else None},
    )
    return consultation


def live_timer(*, consultation: Consultation, seconds, actor) -> Consultation:
    try:
        seconds = int(seconds)
    except (TypeError, ValueError):
        seconds = -1
    if not 0 <= seconds <= LIVE_TIMER_MAX_SECONDS:
        raise ValidationError(
            {
                "seconds": _("Give a number of seconds from 0 to %(max)s.")
                % {"max": LIVE_TIMER_MAX_SECONDS}
            },
            code="seconds",
        )
    ends = timezone.now() + dt.timedelta(seconds=seconds) if seconds else None
    Consultation.objects.filter(pk=consultation.pk).update(
        live_timer_ends_at=ends, live_version=F("live_version") + 1
    )
    consultation.refresh_from_db()
    return consultation


# --- needs surveys ----------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    title: str,
    intro: str = "",
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    questions: list[dict],
    is_demo: bool = False,
    actor=None,
) -> Survey:
    """``questions``: dicts with ``text``, ``kind`` (text/choices), ``options`` (list) and
    ``is_training_topic``."""
    title = _required(title=title)["title"]
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("The survey must close after it opens.")})
    questions = [q for q in questions if (q.get("text") or "").strip()]
    if not questions:
        raise ValidationError({"questions": _("Give at least one question.")}, code="empty")
    survey = Survey.objects.create(
        title=title, intro=intro.strip(), opens_at=opens_at, closes_at=closes_at, is_demo=is_demo
    )
    for i, q in enumerate(questions):
        options = [o.strip() for o in q.get("options", []) if o.strip()]
        kind = q.get("kind", Question.Kind.TEXT)
        if kind == Question.Kind.CHOICES and not options:
            raise ValidationError(
                {"questions": _("Question “%(q)s” needs options.") % {"q": q["text"]}}
            )
        Question.objects.create(
            survey=survey,
            text=q["text"].strip()[:300],
            kind=kind,
            options="\n".join(options),
            is_training_topic=bool(q.get("is_training_topic")),
            position=i,
        )
    audit.record(survey, "participation.survey.created", actor=actor)
    return survey


@transaction.atomic
def response_submit(
    *, survey: Survey, organisation, respondent, answers: dict, is_demo: bool = False
) -> Response:
    """An academy's answers (``{question id: text or list of options}``); answering again
    replaces the earlier answers. Options that the question does not offer are refused."""
    if not survey.is_open():
        raise ValidationError(_("This survey is closed."), code="closed")
    cleaned: dict[str, object] = {}
    for question in survey.questions.all():
        value = answers.get(question.pk, answers.get(str(question.pk)))
        if question.kind == Question.Kind.CHOICES:
            chosen = [v for v in (value or []) if v]
            unknown = [v for v in chosen if v not in question.option_list()]
            if unknown:
                raise ValidationError(
                    {f"q{question.pk}": _("“%(v)s” is not one of the options.") % {"v": unknown[0]}}
                )
            cleaned[str(question.pk)] = chosen
        else:
            cleaned[str(question.pk)] = (value or "").strip()
    if not any(cleaned.values()):
        raise ValidationError(_("Answer at least one question."), code="empty")
    response, _created = Response.objects.update_or_create(
        survey=survey,
        organisation=organisation,
        defaults={"respondent": respondent, "answers": cleaned, "is_demo": is_demo},
    )
    audit.record(response, "participation.response.submitted", actor=respondent)
    return response
