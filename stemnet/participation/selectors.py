"""Reads of consultations and surveys, shared by views, exports and other apps."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import timezone

from stemnet.organisations import selectors as org_selectors
from stemnet.participation.models import (
    SCORES,
    STAKEHOLDER_GROUPS,
    Consultation,
    Idea,
    Participant,
    Question,
    Survey,
    Vote,
)

SESSION_KEY = "participation:%s"


def is_moderator(user) -> bool:
    """Moderators of consultations: VLAIO staff (not the reviewer pool) and superusers."""
    return bool(getattr(user, "is_superuser", False)) or org_selectors.is_vlaio_staff(user)


def participant_for(request, consultation: Consultation) -> Participant | None:
    """The participant this browser is: by its session (joined by code) or by its account."""
    token = request.session.get(SESSION_KEY % consultation.pk)
    if token:
        found = Participant.objects.filter(consultation=consultation, token=token).first()
        if found:
            return found
    user = request.user
    if getattr(user, "is_authenticated", False):
        return Participant.objects.filter(consultation=consultation, user=user).first()
    return None


def consultations_listed() -> QuerySet[Consultation]:
    return Consultation.objects.listed().order_by("-voting_from")


def consultation_ideas(consultation: Consultation, *, include_hidden: bool = False):
    """Themes with their ideas (counts of votes, comments and support annotated)."""
    ideas = Idea.objects.select_related("author").annotate(
        n_votes=Count("votes", distinct=True),
        n_supports=Count("supports", distinct=True),
        n_comments=Count("comments", distinct=True),
    )
    if not include_hidden:
        ideas = ideas.visible()
    return consultation.themes.prefetch_related(Prefetch("ideas", queryset=ideas))


# --- results ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """Feasibility votes on one idea (or one stakeholder group's votes on it)."""

    scores: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float | None:
        return round(statistics.fmean(self.scores), 2) if self.scores else None

    @property
    def spread(self) -> float | None:
        """Population standard deviation (0 when everyone agrees)."""
        return round(statistics.pstdev(self.scores), 2) if self.scores else None

    @property
    def distribution(self) -> list[int]:
        return [self.scores.count(s) for s in SCORES]


@dataclass
class IdeaResult:
    idea: Idea
    rank: int = 0
    total: Tally = field(default_factory=Tally)
    by_group: dict[str, Tally] = field(default_factory=dict)
    supports: int = 0


def _sort_key(result: IdeaResult):
    mean = result.total.mean
    return (mean is None, -(mean or 0), -result.total.count, result.idea.title.lower())


def consultation_results(consultation: Consultation) -> list[IdeaResult]:
    """The shown ideas ranked by mean feasibility (then by number of votes), with the spread
    and count of the votes, in total and per stakeholder group. Ideas without votes last."""
    ideas = (
        Idea.objects.visible()
        .filter(theme__consultation=consultation)
        .select_related("theme")
        .annotate(n_supports=Count("supports"))
    )
    results = {idea.pk: IdeaResult(idea=idea, supports=idea.n_supports) for idea in ideas}
    votes = Vote.objects.filter(idea_id__in=results).values_list(
        "idea_id", "participant__group", "score"
    )
    for idea_id, group, score in votes:
        result = results[idea_id]
        result.total.scores.append(score)
        result.by_group.setdefault(group, Tally()).scores.append(score)
    ranked = sorted(results.values(), key=_sort_key)
    for i, result in enumerate(ranked, start=1):
        result.rank = i
    return ranked


def groups_in(results: list[IdeaResult]) -> list[tuple[str, str]]:
    """The stakeholder groups that voted, in the order of STAKEHOLDER_GROUPS."""
    present = {g for r in results for g in r.by_group}
    return [(code, label) for code, label in STAKEHOLDER_GROUPS if code in present]


# --- the live room ----------------------------------------------------------------------------


def live_state_key(consultation_id: int) -> str | None:
    """A cheap fingerprint of what the room shows: the facilitator's moves and the votes on
    the current idea. Two queries at most; None when the consultation is gone."""
    row = (
        Consultation.objects.filter(pk=consultation_id)
        .values_list("live_version", "live_idea_id")
        .first()
    )
    if row is None:
        return None
    version, idea_id = row
    if idea_id is None:
        return f"{version}"
    agg = Vote.objects.filter(idea_id=idea_id).aggregate(n=Count("pk"), last=Max("updated_at"))
    last = agg["last"].timestamp() if agg["last"] else 0
    return f"{version}-{idea_id}-{agg['n']}-{last:.6f}"


def live_distribution(idea: Idea | None) -> Tally:
    if idea is None:
        return Tally()
    return Tally(scores=list(idea.votes.values_list("score", flat=True)))


def live_ideas(consultation: Consultation) -> list[Idea]:
    """The order in which the facilitator moves through the ideas: theme by theme."""
    return list(
        Idea.objects.visible()
        .filter(theme__consultation=consultation)
        .order_by("theme__position", "theme_id", "created_at", "pk")
    )


def live_seconds_left(consultation: Consultation, now=None) -> int | None:
    if consultation.live_timer_ends_at is None:
        return None
    left = (consultation.live_timer_ends_at - (now or timezone.now())).total_seconds()
    return max(0, int(left + 0.999))


# --- needs surveys ----------------------------------------------------------------------------


def surveys_open(now=None) -> QuerySet[Survey]:
    now = now or timezone.now()
    return Survey.objects.filter(opens_at__lte=now, closes_at__gt=now)


def survey_results(survey: Survey) -> list[dict]:
    """Per question: for options the number of academies that chose each, most chosen first;
    for free text the answers."""
    responses = list(survey.responses.values_list("answers", flat=True))
    out = []
    for question in survey.questions.all():
        key = str(question.pk)
        if question.kind == Question.Kind.CHOICES:
            counts = dict.fromkeys(question.option_list(), 0)
            for answers in responses:
                for option in answers.get(key) or []:
                    if option in counts:
                        counts[option] += 1
            rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            out.append({"question": question, "counts": rows})
        else:
            texts = [a.get(key) for a in responses if a.get(key)]
            out.append({"question": question, "texts": texts})
    return out


def training_topics_wanted(*, since=None) -> list[tuple[str, int]]:
    """Training topics academies asked for in needs surveys: (topic, number of academies),
    most asked first. The events component reads this; it is a selector so that events does
    not import our models."""
    questions = Question.objects.filter(is_training_topic=True, kind=Question.Kind.CHOICES)
    if since is not None:
        questions = questions.filter(survey__closes_at__gte=since)
    counts: dict[str, set[int]] = {}
    for question in questions.select_related("survey"):
        key = str(question.pk)
        options = set(question.option_list())
        for org_id, answers in question.survey.responses.values_list("organisation_id", "answers"):
            for option in answers.get(key) or []:
                if option in options:
                    counts.setdefault(option, set()).add(org_id)
    return sorted(((t, len(orgs)) for t, orgs in counts.items()), key=lambda kv: (-kv[1], kv[0]))
