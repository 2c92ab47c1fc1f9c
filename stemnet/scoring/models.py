"""A reusable scoring exercise: a panel of criteria, entries to score, reviewers who declare
conflicts of interest and score every criterion.

The component knows nothing about what is scored. Funding keeps a OneToOne from its round to a
``Panel`` and from its application to an ``Entry``; the STEMpact award jury does the same.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped

# Bounds of every scale; a panel chooses its own range within them.
SCALE_FLOOR = 0
SCALE_CEILING = 100


class Panel(TimeStamped):
    """One scoring exercise: its criteria, its scale and the entries to score."""

    title = models.CharField(_("title"), max_length=200)
    scale_min = models.PositiveSmallIntegerField(
        _("lowest score"),
        default=0,
        validators=[MaxValueValidator(SCALE_CEILING)],
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(SCALE_CEILING)],
    )
    spread_threshold = models.DecimalField(
        _("spread threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.30"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
        help_text=_(
            "Scores of one criterion that differ by at least this share of the scale range "
            "are highlighted in the consensus view."
        ),
    )
    is_closed = models.BooleanField(
        _("closed"),
        default=False,
        help_text=_("A closed panel accepts no more assignments, declarations or scores."),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scoring panel")
        verbose_name_plural = _("scoring panels")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=F("scale_max")),
                name="scoring_panel_scale_range",
                violation_error_message=_("The lowest score must be below the highest score."),
            ),
            models.CheckConstraint(
                condition=Q(scale_min__gte=SCALE_FLOOR, scale_max__lte=SCALE_CEILING),
                name="scoring_panel_scale_bounds",
            ),
            models.CheckConstraint(
                condition=Q(spread_threshold__gt=0, spread_threshold__lte=1),
                name="scoring_panel_spread_threshold",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Criterion(models.Model):
    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="criteria"
    )
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["panel", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="scoring_criterion_weight"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if (get_language() or "nl").startswith("en") and self.title_en:
            return self.title_en
        return self.title_nl


class Entry(TimeStamped):
    """Something to score (an application, a nomination…)."""

    panel = models.ForeignKey(
        Panel, verbose_name=_("panel"), on_delete=models.CASCADE, related_name="entries"
    )
    title = models.CharField(_("title"), max_length=255)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    owner_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scoring_entries",
    )
    related_organisations = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="scoring_entries_as_partner",
    )
    detail_url = models.CharField(
        _("link to the content"),
        max_length=500,
        blank=True,
        help_text=_("A page that shows reviewers what they score (filled in by the owning app)."),
    )

    class Meta:
        ordering = ["panel", "id"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    class State(models.TextChoices):
        ASSIGNED = "assigned", _("assigned")
        DECLARED_NO_CONFLICT = "declared_no_conflict", _("no conflict of interest declared")
        RECUSED = "recused", _("recused")
        SUBMITTED = "submitted", _("submitted")

    entry = models.ForeignKey(
        Entry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="scoring_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=30, choices=State.choices, default=State.ASSIGNED, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["entry", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "reviewer"],
                name="scoring_assignment_unique",
                violation_error_message=_("This reviewer is already assigned to this entry."),
            ),
            models.CheckConstraint(
                condition=Q(state="submitted", submitted_at__isnull=False)
                | (~Q(state="submitted") & Q(submitted_at__isnull=True)),
                name="scoring_assignment_submitted_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.entry}"


class ConflictDeclaration(models.Model):
    assignment = models.OneToOneField(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="declaration",
    )
    has_conflict = models.BooleanField(_("conflict of interest"))
    statement = models.TextField(_("statement"), blank=True)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")

    def __str__(self) -> str:
        return f"{self.assignment}: {'conflict' if self.has_conflict else 'no conflict'}"


class Score(models.Model):
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    # The panel's own range is checked by services.score_save; the database guards the bounds
    # every panel's scale lies within (a check constraint cannot follow a foreign key).
    value = models.PositiveSmallIntegerField(
        _("score"),
        validators=[MinValueValidator(SCALE_FLOOR), MaxValueValidator(SCALE_CEILING)],
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["assignment", "criterion__position", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="scoring_score_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=SCALE_FLOOR, value__lte=SCALE_CEILING),
                name="scoring_score_bounds",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} / {self.criterion}: {self.value}"
