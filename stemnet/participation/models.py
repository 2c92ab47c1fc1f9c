"""Consultations (themes, ideas, feasibility votes, suggestions, moderation, a live room) and
needs surveys of academies.

A phase is open by its dates, never by a stored state (STYLE.md): ideas are posted while
``ideas_from <= now < ideas_until``, votes cast while ``voting_from <= now < voting_until``,
and the results are public from ``results_from``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped
from stemnet.organisations.models import Organisation

# A stakeholder group is the type of organisation someone speaks for, or "citizen".
CITIZEN = "citizen"
STAKEHOLDER_GROUPS = [*Organisation.Type.choices, (CITIZEN, _("citizen"))]

# Room codes are read aloud and typed on phones: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
SCORES = range(1, 6)


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ConsultationQuerySet(models.QuerySet):
    def voting_open(self, now=None):
        now = now or timezone.now()
        return self.filter(voting_from__lte=now, voting_until__gt=now)

    def listed(self):
        return self.filter(is_listed=True)


class Consultation(TimeStamped):
    class Access(models.TextChoices):
        CODE = "code", _("invited stakeholders, by link or code (no account needed)")
        ACCOUNTS = "accounts", _("logged-in users")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    access = models.CharField(
        _("who may take part"), max_length=20, choices=Access.choices, default=Access.CODE
    )
    join_code = models.CharField(
        _("join code"), max_length=12, unique=True, default=new_join_code, editable=False
    )
    is_listed = models.BooleanField(
        _("listed publicly"),
        default=False,
        help_text=_("Show the title on the public list of consultations."),
    )
    ideas_from = models.DateTimeField(_("ideas from"))
    ideas_until = models.DateTimeField(_("ideas until"))
    voting_from = models.DateTimeField(_("voting from"))
    voting_until = models.DateTimeField(_("voting until"))
    results_from = models.DateTimeField(_("results public from"))
    # The live room: the idea on the projector and its timer. live_version changes with every
    # move of the facilitator, so the polling phones and projector see a new ETag.
    live_idea = models.ForeignKey(
        "Idea",
        verbose_name=_("idea on the projector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    live_timer_ends_at = models.DateTimeField(_("timer ends at"), null=True, blank=True)
    live_version = models.PositiveIntegerField(default=0, editable=False)
    is_demo = models.BooleanField(_("demo"), default=False)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-voting_from"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ideas_from__lt=F("ideas_until")), name="participation_ideas_phase"
            ),
            models.CheckConstraint(
                condition=Q(voting_from__lt=F("voting_until")), name="participation_voting_phase"
            ),
            models.CheckConstraint(
                condition=Q(results_from__gte=F("voting_from")),
                name="participation_results_after_voting_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def ideas_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.ideas_from <= now < self.ideas_until

    def voting_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.voting_from <= now < self.voting_until

    def results_public(self, now=None) -> bool:
        return (now or timezone.now()) >= self.results_from


class Theme(TimeStamped):
    """A challenge of the consultation ("STEM in leisure time")."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.title


class Participant(TimeStamped):
    """Someone taking part: with an account, or by code with a name only (kept by session)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consultation_participations",
    )
    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(_("stakeholder group"), max_length=40, choices=STAKEHOLDER_GROUPS)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=Q(user__isnull=False),
                name="participation_one_participant_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IdeaQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden_at__isnull=True, merged_into__isnull=True)


class Idea(TimeStamped):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="ideas")
    # An idea outlives its author's participation (a deleted account): the votes stay.
    author = models.ForeignKey(
        Participant,
        null=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    image = models.ImageField(_("image"), upload_to="participation/ideas/", blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    answer = models.TextField(_("official answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A winning idea leads somewhere else (a funding call's priority, a training topic): a
    # link, not a copy, and no import of the app it points to.
    link_label = models.CharField(_("link label"), max_length=200, blank=True)
    link_url = models.URLField(_("link"), blank=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="participation_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IdeaVersion(models.Model):
    """Every version of an idea's title and text, the first included."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    suggestion = models.ForeignKey(
        "Suggestion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["idea", "number"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "number"], name="participation_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class Comment(TimeStamped):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["created_at", "pk"]


class Suggestion(TimeStamped):
    """A proposal to improve an idea; the author or a moderator accepts it into a version."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="suggestions")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="suggestions")
    text = models.TextField(_("suggestion"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        ordering = ["created_at", "pk"]


class Vote(models.Model):
    """A feasibility vote, 1 (not feasible) to 5 (very feasible): one per participant."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    score = models.PositiveSmallIntegerField(
        _("feasibility"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "participant"], name="participation_one_vote_per_participant"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="participation_vote_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5"


class Support(models.Model):
    """Support: "I would help make this happen."."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "participant"], name="participation_support_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.idea_id}"


# --- needs surveys of academies ---------------------------------------------------------------


class Survey(TimeStamped):
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("needs survey")
        verbose_name_plural = _("needs surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=F("closes_at")), name="participation_survey_dates"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("free text")
        CHOICES = "choices", _("one or more of the options")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    options = models.TextField(_("options (one a line)"), blank=True)
    is_training_topic = models.BooleanField(
        _("answers are training topics"),
        default=False,
        help_text=_("Event organisers see the chosen options as wished-for training topics."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class Response(TimeStamped):
    """One academy's answers to a survey (its coordinator answers for it)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="survey_responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"], name="participation_one_response_per_org"
            )
        ]
