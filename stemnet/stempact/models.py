"""STEMpact: a school programme from intake and baseline (nulmeting) through pairing with a
sponsor company (peterbedrijf), learning networks and an action plan to a final measurement
(eindmeting) and an award.

The measurement scale and the questionnaire items are configuration per cohort: the real
STEMpact nulmeting scale is not public (DOMAIN.md: GAP), so staff set it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped

# The bounds every cohort's scale lies within.
SCALE_FLOOR = 0
SCALE_CEILING = 10


class Aspect(models.TextChoices):
    """The seven aspects of the nulmeting (issue 16, seed 004)."""

    CURRICULUM = "curriculum", _("curriculum")
    TEACHING_METHOD = "teaching_method", _("teaching method")
    PROFESSIONALISATION = "professionalisation", _("professionalisation")
    EVALUATION = "evaluation", _("evaluation")
    COMPANY_COLLABORATION = "company_collaboration", _("collaboration with companies")
    LEADERSHIP = "leadership", _("leadership")
    INFRASTRUCTURE = "infrastructure", _("infrastructure")


class Programme(TimeStamped):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title


class Cohort(TimeStamped):
    """One edition of a programme (e.g. 2025-2026) with its schools."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="cohorts"
    )
    title = models.CharField(_("title"), max_length=100)
    max_schools = models.PositiveSmallIntegerField(
        _("number of places"), default=20, validators=[MinValueValidator(1)]
    )
    intake_open = models.BooleanField(_("intake open"), default=False)
    scale_min = models.PositiveSmallIntegerField(
        _("lowest answer"), default=1, validators=[MaxValueValidator(SCALE_CEILING)]
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest answer"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(SCALE_CEILING)],
    )
    story = models.TextField(
        _("the cohort's story"), blank=True, help_text=_("Shown on the public winner page.")
    )
    award_panel = models.OneToOneField(
        "scoring.Panel",
        verbose_name=_("award jury"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stempact_cohort",
    )
    winner = models.ForeignKey(
        "Trajectory",
        verbose_name=_("award winner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    winner_published_at = models.DateTimeField(_("winner published"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max")),
                name="stempact_cohort_scale_range",
                violation_error_message=_("The lowest answer must be below the highest answer."),
            ),
            models.CheckConstraint(
                condition=Q(scale_min__gte=SCALE_FLOOR, scale_max__lte=SCALE_CEILING),
                name="stempact_cohort_scale_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.title}"

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Trajectory(TimeStamped):
    """A school's application to a cohort and, once selected, its path through it."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        SELECTED = "selected", _("selected")
        DECLINED = "declined", _("not selected")

    class Level(models.TextChoices):
        SECONDARY = "secondary", _("secondary education")
        PRIMARY = "primary", _("primary education")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="trajectories"
    )
    school = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="stempact_trajectories",
    )
    institution_number = models.CharField(
        _("institution number"), max_length=20, blank=True, help_text=_("instellingsnummer")
    )
    level = models.CharField(
        _("education level"), max_length=20, choices=Level.choices, default=Level.SECONDARY
    )
    finality_transfer = models.BooleanField(_("transfer finality (doorstroom)"), default=False)
    finality_dual = models.BooleanField(_("dual finality"), default=False)
    finality_labour = models.BooleanField(_("labour market finality"), default=False)
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    decision_note = models.TextField(_("reason of the decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    sponsor = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("sponsor company"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stempact_sponsored",
    )
    pairing = models.JSONField(_("pairing explanation"), default=dict, blank=True)
    unmatched_reason = models.CharField(_("why no sponsor company"), max_length=255, blank=True)
    introduced_at = models.DateTimeField(_("introduced"), null=True, blank=True)
    award_text = models.TextField(_("award entry text"), blank=True)
    award_entry = models.OneToOneField(
        "scoring.Entry",
        verbose_name=_("award entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stempact_trajectory",
    )
    nominated = models.BooleanField(_("nominee"), default=False)

    class Meta:
        ordering = ["cohort", "school__name"]
        verbose_name = _("STEMpact trajectory")
        verbose_name_plural = _("STEMpact trajectories")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "school"],
                name="stempact_trajectory_unique",
                violation_error_message=_("This school has already applied to this cohort."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} ({self.cohort})"

    def get_absolute_url(self) -> str:
        return reverse("stempact:trajectory_detail", kwargs={"pk": self.pk})

    @property
    def finalities(self) -> list[str]:
        names = [
            (self.finality_transfer, _("transfer")),
            (self.finality_dual, _("dual")),
            (self.finality_labour, _("labour market")),
        ]
        return [str(label) for on, label in names if on]


class Questionnaire(models.Model):
    """One version of the questions on one aspect. A version with answers is never changed:
    editing it creates the next version and the old answers keep pointing at theirs."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="questionnaires"
    )
    aspect = models.CharField(_("aspect"), max_length=30, choices=Aspect.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["cohort", "aspect", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "aspect", "version"], name="stempact_questionnaire_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()} v{self.version}"


class Item(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("statement"), max_length=500)

    class Meta:
        ordering = ["questionnaire", "position", "id"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.text


class Measurement(models.Model):
    """The baseline or the final measurement of a cohort; links work until it closes."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("baseline measurement")
        FINAL = "final", _("final measurement")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="measurements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    closes_at = models.DateTimeField(_("closes"))

    class Meta:
        ordering = ["cohort", "kind"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "kind"], name="stempact_measurement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cohort}"


class Respondent(TimeStamped):
    """A school leader or teacher invited to answer, with a personal link (no account)."""

    class Role(models.TextChoices):
        LEADER = "leader", _("school leader")
        TEACHER = "teacher", _("teacher")
        OTHER = "other", _("other staff")

    measurement = models.ForeignKey(
        Measurement,
        verbose_name=_("measurement"),
        on_delete=models.CASCADE,
        related_name="respondents",
    )
    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("school"), on_delete=models.CASCADE, related_name="respondents"
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.TEACHER)
    language = models.CharField(_("language"), max_length=8, default="nl")
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    submitted_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["trajectory", "email"]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "trajectory", "email"],
                name="stempact_respondent_unique",
                violation_error_message=_("This person is already invited for this measurement."),
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email


class Answer(models.Model):
    """One answer; an empty value means "not applicable"."""

    respondent = models.ForeignKey(
        Respondent, verbose_name=_("respondent"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(
        _("answer"), null=True, blank=True, validators=[MaxValueValidator(SCALE_CEILING)]
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["respondent", "item"], name="stempact_answer_unique"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=SCALE_CEILING),
                name="stempact_answer_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent}: {self.item} = {self.value}"


class Action(TimeStamped):
    """One action of a school's action plan, tied to an aspect it wants to improve."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("school"), on_delete=models.CASCADE, related_name="actions"
    )
    aspect = models.CharField(_("aspect"), max_length=30, choices=Aspect.choices)
    title = models.CharField(_("action"), max_length=255)
    owner = models.CharField(_("owner"), max_length=150)
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    company_contribution = models.TextField(_("contribution of the sponsor company"), blank=True)

    class Meta:
        ordering = ["trajectory", "due_on", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="stempact_action_progress")
        ]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    """A comment on a school's action plan, between the school, its company and staff."""

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("school"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["trajectory", "created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:50]


class LearningNetwork(models.Model):
    """One of the cohort's learning networks (lerende netwerken) and who attended it."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="networks"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("theme"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        Trajectory, verbose_name=_("schools present"), blank=True, related_name="networks"
    )

    class Meta:
        ordering = ["cohort", "position", "held_on"]
        verbose_name = _("learning network")
        verbose_name_plural = _("learning networks")

    def __str__(self) -> str:
        return self.title


class SponsorOffer(TimeStamped):
    """A company willing to sponsor schools of a cohort: how many, and on which aspects it
    brings expertise (the matching engine pairs these with the schools' weakest aspects)."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="sponsor_offers"
    )
    company = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("company"),
        on_delete=models.PROTECT,
        related_name="stempact_offers",
    )
    capacity = models.PositiveSmallIntegerField(
        _("schools it can sponsor"), default=1, validators=[MinValueValidator(1)]
    )
    expertise = models.JSONField(_("expertise (aspects)"), default=list, blank=True)

    class Meta:
        ordering = ["cohort", "company__name"]
        verbose_name = _("sponsor company offer")
        verbose_name_plural = _("sponsor company offers")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "company"], name="stempact_offer_unique"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="stempact_offer_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.capacity})"

    @property
    def expertise_labels(self) -> list[str]:
        return [str(Aspect(a).label) for a in self.expertise if a in Aspect.values]


class PairingLock(models.Model):
    """A staff adjustment kept across pairing runs: this pair always, or never."""

    class Kind(models.TextChoices):
        MUST = "must", _("always pair")
        MUST_NOT = "must_not", _("never pair")

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("school"), on_delete=models.CASCADE, related_name="locks"
    )
    company = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("pairing lock")
        verbose_name_plural = _("pairing locks")
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "company"], name="stempact_lock_unique")
        ]

    def __str__(self) -> str:
        return f"{self.trajectory} – {self.company}: {self.kind}"
