"""Reach monitor: how many children took part, where, never who.

Only counts are stored: no names, no birth dates, no person records.

``Participation`` is one row per activity and year: the number of *unique* participants of
that activity in that year (a series of ten afternoons counts a child once), the gender split
as counts, the age range of the offer and where it took place. Where it took place is stored
as a municipality *of that year's set* (2019-2024 municipalities before 2025, the 2025 ones
from 2025), so a year is always counted on the municipalities that existed then.

``ParticipationBreakdown`` holds the other breakdowns of the same participants as separate
marginal counts (by single age, by municipality of residence, by target group): each
dimension adds up to at most ``participants``, and the rest is "unknown". Keeping the
dimensions apart means a history row that only knows "100 children, 45 girls, 10 with
UiTPAS" is stored exactly, without inventing how girls and UiTPAS overlap.

``SessionAttendance`` counts attendances per session (a child attending five sessions is five
attendances); ``Participation.attendances`` is their total, or a total entered directly.

``SchoolReach`` holds pupil counts of schools for "reaches more than 70% of all pupils".

All figures are computed in ``stemnet.reach.selectors`` with SQL GROUP BY over the integer
columns below; the columns ``year``, ``municipality``, ``organisation``, ``kind`` are copied
onto the breakdown rows so every figure is a single indexed aggregate.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from stemnet.agenda.models import Activity
from stemnet.core.models import TimeStamped

AGE_MIN = 5
AGE_MAX = 18
FIRST_YEAR = 2000
LAST_YEAR = 2100
MERGER_YEAR = 2025

# Age bands shown on the dashboard and used for white spots (inclusive bounds).
AGE_BANDS: list[tuple[int, int]] = [(5, 8), (9, 12), (13, 15), (16, 18)]


def age_band_label(band: tuple[int, int]) -> str:
    return f"{band[0]}-{band[1]}"


# The kinds of the agenda: one set of codes (reeks, kamp, eenmalig, workshop, open_atelier).
Kind = Activity.Kind


class Gender(models.TextChoices):
    GIRL = "girl", _("girl")
    BOY = "boy", _("boy")
    X = "x", _("x")
    UNKNOWN = "unknown", _("unknown")


class Source(models.TextChoices):
    ENTRY = "entry", _("entered in the grid")
    UPLOAD = "upload", _("uploaded file")
    API = "api", _("API")
    HISTORY = "history", _("historic import")
    DEMO = "demo", _("demo data")


class TargetGroup(models.Model):
    """A configurable target group, e.g. UiTPAS or reduced rate (kansentarief)."""

    UITPAS = "uitpas"

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class ParticipationQuerySet(models.QuerySet):
    def of_year(self, year: int):
        return self.filter(year=year)

    def series(self):
        return self.filter(kind=Kind.SERIES)


class Participation(TimeStamped):
    """Unique participants of one activity in one year (a series counts a child once).

    ``activity`` is empty for history rows (years before the platform); those carry the
    activity's name in ``history_activity_name``. Girls + boys + x ≤ participants; the rest
    is gender unknown.
    """

    activity = models.ForeignKey(
        "agenda.Activity",
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    history_activity_name = models.CharField(_("activity (history)"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality where it took place"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    age_min = models.PositiveSmallIntegerField(_("minimum age"), default=AGE_MIN)
    age_max = models.PositiveSmallIntegerField(_("maximum age"), default=AGE_MAX)
    participants = models.PositiveIntegerField(_("unique participants"))
    girls = models.PositiveIntegerField(_("girls"), default=0)
    boys = models.PositiveIntegerField(_("boys"), default=0)
    gender_x = models.PositiveIntegerField(_("gender x"), default=0)
    attendances = models.PositiveIntegerField(_("attendances"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "organisation__name", "history_activity_name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "year"],
                condition=Q(activity__isnull=False),
                name="participation_activity_year_unique",
            ),
            models.UniqueConstraint(
                "organisation",
                Lower("history_activity_name"),
                "year",
                condition=Q(activity__isnull=True),
                name="participation_history_unique",
            ),
            models.CheckConstraint(
                condition=Q(activity__isnull=False) | ~Q(history_activity_name=""),
                name="participation_activity_or_name",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="participation_year_range",
            ),
            models.CheckConstraint(
                condition=Q(age_min__gte=AGE_MIN)
                & Q(age_max__lte=AGE_MAX)
                & Q(age_min__lte=F("age_max")),
                name="participation_age_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    participants__gte=F("girls") + F("boys") + F("gender_x"),
                ),
                name="participation_gender_within_total",
            ),
        ]
        indexes = [
            # Covers the dashboard's GROUP BY (index-only scans on PostgreSQL).
            models.Index(
                fields=[
                    "year",
                    "municipality",
                    "kind",
                    "participants",
                    "girls",
                    "boys",
                    "gender_x",
                    "attendances",
                ],
                name="reach_part_year_mun_cover",
            ),
            # Covers the theme breakdown's join to the activities' themes (by activity id).
            models.Index(
                fields=["year", "activity", "participants"], name="reach_part_year_act_cover"
            ),
            models.Index(fields=["year", "organisation"], name="reach_part_year_org"),
            models.Index(fields=["year", "kind"], name="reach_part_year_kind"),
        ]

    def __str__(self) -> str:
        name = self.history_activity_name or (str(self.activity) if self.activity_id else "")
        return f"{name} {self.year}: {self.participants}"

    @property
    def gender_unknown(self) -> int:
        return self.participants - self.girls - self.boys - self.gender_x

    @property
    def activity_name(self) -> str:
        return self.history_activity_name or (self.activity.title if self.activity_id else "")


class ParticipationBreakdown(models.Model):
    """One marginal count of a Participation: by age, by residence or by target group.

    Per participation and dimension the counts add up to at most ``participants`` (checked by
    the services); the rest is unknown. ``year``, ``municipality``, ``organisation`` and ``kind``
    are copies of the participation's, kept for fast grouping.
    """

    class Dimension(models.TextChoices):
        AGE = "age", _("age")
        RESIDENCE = "residence", _("municipality of residence")
        TARGET_GROUP = "target_group", _("target group")

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="breakdown",
    )
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    residence = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_group = models.ForeignKey(
        TargetGroup,
        verbose_name=_("target group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("number of participants"))
    # Copies of the participation's fields, for grouping without a join.
    year = models.PositiveSmallIntegerField(_("year"))
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["participation", "dimension", "age"]
        verbose_name = _("participation breakdown")
        verbose_name_plural = _("participation breakdowns")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(dimension="age")
                    & Q(age__gte=AGE_MIN)
                    & Q(age__lte=AGE_MAX)
                    & Q(residence__isnull=True)
                    & Q(target_group__isnull=True)
                )
                | (
                    Q(dimension="residence")
                    & Q(age__isnull=True)
                    & Q(residence__isnull=False)
                    & Q(target_group__isnull=True)
                )
                | (
                    Q(dimension="target_group")
                    & Q(age__isnull=True)
                    & Q(residence__isnull=True)
                    & Q(target_group__isnull=False)
                ),
                name="participation_breakdown_one_dimension",
            ),
            models.UniqueConstraint(
                fields=["participation", "age"],
                condition=Q(dimension="age"),
                name="participation_breakdown_age_unique",
            ),
            models.UniqueConstraint(
                fields=["participation", "residence"],
                condition=Q(dimension="residence"),
                name="participation_breakdown_residence_unique",
            ),
            models.UniqueConstraint(
                fields=["participation", "target_group"],
                condition=Q(dimension="target_group"),
                name="participation_breakdown_group_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["year", "dimension", "age", "residence", "target_group", "count"],
                name="reach_bd_year_dim_cover",
            ),
        ]

    def __str__(self) -> str:
        value = self.age or self.residence or self.target_group
        return f"{self.participation} {self.dimension}={value}: {self.count}"


class SessionAttendance(models.Model):
    """Attendances at one session of an activity (counts only)."""

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participation"),
        on_delete=models.CASCADE,
        related_name="session_attendances",
    )
    session = models.OneToOneField(
        "agenda.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    attendances = models.PositiveIntegerField(_("attendances"))

    class Meta:
        ordering = ["session__starts_at"]
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendances")

    def __str__(self) -> str:
        return f"{self.session}: {self.attendances}"


class SchoolReach(TimeStamped):
    """Pupils of a school and how many of them took part in a year."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="school_reach",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    pupils_total = models.PositiveIntegerField(_("pupils"))
    pupils_reached = models.PositiveIntegerField(_("pupils reached"))

    class Meta:
        ordering = ["-year", "organisation__name"]
        verbose_name = _("school reach")
        verbose_name_plural = _("school reach")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="school_reach_unique"),
            models.CheckConstraint(
                condition=Q(pupils_reached__lte=F("pupils_total")),
                name="school_reach_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.pupils_reached}/{self.pupils_total}"
