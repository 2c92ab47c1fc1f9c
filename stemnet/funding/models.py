"""Funding rounds (academy recognition with optional subsidy, partnership calls), applications,
decisions, grants with tranches and reports, and recognitions.

Every rule of a round (eligibility, attachments, subsidy formula, validity) is data on the
round, because the rules change every year. Open/closed is derived from the dates.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped
from stemnet.core.private_files import private_storage

ZERO = Decimal("0.00")


class RoundQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())

    def published(self, now=None):
        return self.filter(opens_at__lte=now or timezone.now())


class Round(TimeStamped):
    class Type(models.TextChoices):
        ACADEMY = "academy", _("academy recognition and subsidy")
        PARTNERSHIP = "partnership", _("partnership call")

    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_nl = models.TextField(_("introduction (Dutch)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    eligibility_rules = models.JSONField(
        _("eligibility rules"),
        default=list,
        blank=True,
        help_text=_("A list of rule codes with their parameters, checked before submission."),
    )
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    budget = models.DecimalField(_("total budget"), max_digits=12, decimal_places=2)
    max_per_application = models.DecimalField(
        _("maximum per application"), max_digits=12, decimal_places=2
    )
    duration_years = models.PositiveSmallIntegerField(_("duration in years"), default=1)
    cofinancing_share = models.DecimalField(
        _("minimum co-financing share"), max_digits=4, decimal_places=2, default=ZERO
    )
    required_attachments = models.JSONField(_("required attachments"), default=list, blank=True)
    subsidy_formula = models.JSONField(_("subsidy formula"), default=dict, blank=True)
    grants_recognition = models.BooleanField(_("decisions recognise the applicant"), default=False)
    provisional_validity_years = models.PositiveSmallIntegerField(
        _("provisional recognition (years)"), default=1
    )
    validity_years = models.PositiveSmallIntegerField(_("recognition (years)"), default=3)
    grant_start = models.DateField(
        _("grants start on"),
        null=True,
        blank=True,
        help_text=_("Leave empty: a grant starts on the day of the decision."),
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("report due (days after each grant year)"), default=30
    )
    panel = models.OneToOneField(
        "scoring.Panel",
        verbose_name=_("review panel"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funding_round",
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("programme officers"),
        blank=True,
        related_name="funding_rounds",
        help_text=_("Leave empty: every VLAIO staff member manages the round."),
    )
    # Decision letters must say how and by when the applicant can appeal. The legal route
    # is VLAIO's to state per round (it is not invented here); without it no decision can be
    # recorded.
    appeal_nl = models.TextField(
        _("appeal route (Dutch)"),
        blank=True,
        help_text=_(
            "How and by when an applicant can appeal the decision (body, address, deadline). "
            "Printed in every decision letter; decisions are refused while it is empty."
        ),
    )
    appeal_en = models.TextField(_("appeal route (English)"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-closes_at"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="round_dates_order"
            ),
            models.CheckConstraint(
                condition=Q(max_per_application__lte=models.F("budget")),
                name="round_max_within_budget",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if translation.get_language() == "en" and self.title_en:
            return self.title_en
        return self.title_nl

    @property
    def appeal(self) -> str:
        if translation.get_language() == "en" and self.appeal_en:
            return self.appeal_en
        return self.appeal_nl

    @property
    def intro(self) -> str:
        if translation.get_language() == "en" and self.intro_en:
            return self.intro_en
        return self.intro_nl

    def clean(self):
        from django.core.exceptions import ValidationError

        from stemnet.funding.eligibility import rule_errors

        errors = rule_errors(self.eligibility_rules)
        if errors:
            raise ValidationError({"eligibility_rules": errors})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def granted_total(self) -> Decimal:
        total = Decision.objects.filter(application__round=self).aggregate(s=Sum("amount_granted"))
        return total["s"] or ZERO


class Application(TimeStamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        INFO_REQUESTED = "info_requested", _("information requested")
        ELIGIBLE = "eligible", _("eligible")
        INELIGIBLE = "ineligible", _("not eligible")
        IN_REVIEW = "in_review", _("in review")
        DECIDED = "decided", _("decided")
        WITHDRAWN = "withdrawn", _("withdrawn")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="funding_applications",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("project title"), max_length=200, blank=True)
    plan = models.TextField(_("plan"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    planned_activities_text = models.TextField(_("planned activities"), blank=True)
    activities = models.ManyToManyField(
        "agenda.Activity", verbose_name=_("activities in the agenda"), blank=True, related_name="+"
    )
    municipalities = models.ManyToManyField(
        "places.Municipality",
        verbose_name=_("municipalities to be reached"),
        blank=True,
        related_name="+",
    )
    priorities = models.JSONField(_("priorities served"), default=list, blank=True)
    requested_amount = models.DecimalField(
        _("requested amount"), max_digits=12, decimal_places=2, default=ZERO
    )
    participants_forecast = models.PositiveIntegerField(_("participant forecast"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entry = models.OneToOneField(
        "scoring.Entry",
        verbose_name=_("review entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funding_application",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.CheckConstraint(condition=Q(requested_amount__gte=0), name="requested_positive"),
            # A double click on "apply" made two drafts: one active application per
            # organisation and round (a withdrawn one does not count).
            models.UniqueConstraint(
                fields=["round", "organisation"],
                condition=~Q(status="withdrawn"),
                name="one_active_application_per_round",
                violation_error_message=_(
                    "Your organisation already has an application in this round."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.title or self.round}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("funding:application_detail", kwargs={"pk": self.pk})


S = Application.Status
# The state machine is data: which status may follow which. Every change goes through
# ``services._transition``, which consults this table.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.ELIGIBLE, S.INELIGIBLE, S.INFO_REQUESTED, S.WITHDRAWN},
    S.INFO_REQUESTED: {S.SUBMITTED, S.WITHDRAWN},
    S.ELIGIBLE: {S.IN_REVIEW, S.WITHDRAWN},
    S.INELIGIBLE: set(),
    S.IN_REVIEW: {S.DECIDED, S.WITHDRAWN},
    S.DECIDED: set(),
    S.WITHDRAWN: set(),
}


class Partner(models.Model):
    class Role(models.TextChoices):
        COMPANY = "company", _("company")
        KNOWLEDGE_INSTITUTION = "knowledge_institution", _("knowledge institution")
        LOCAL_GOVERNMENT = "local_government", _("local government")
        YOUTH_ORGANISATION = "youth_organisation", _("youth organisation")
        SCHOOL = "school", _("school")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="partners",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="funding_partner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class BudgetLine(models.Model):
    class Category(models.TextChoices):
        STAFF = "staff", _("staff")
        MATERIAL = "material", _("material")
        TRAVEL = "travel", _("travel")
        COMMUNICATION = "communication", _("communication")
        OTHER = "other", _("other")

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="budget_lines",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    year_index = models.PositiveSmallIntegerField(_("year"), default=1)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    cofinancing = models.DecimalField(
        _("co-financing"), max_digits=12, decimal_places=2, default=ZERO
    )

    class Meta:
        ordering = ["year_index", "category", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0)
                & Q(cofinancing__gte=0)
                & Q(cofinancing__lte=models.F("amount")),
                name="budget_line_amounts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.year_index}): {self.amount}"


def attachment_path(instance, filename):
    return f"funding/{instance.application_id}/{filename}"


class Attachment(TimeStamped):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    label = models.CharField(_("label"), max_length=200)
    # Private: outside MEDIA_ROOT, served by funding:attachment_download after a permission check.
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)

    class Meta:
        ordering = ["label", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.label


class InfoRequest(TimeStamped):
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="info_requests",
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("request for information")
        verbose_name_plural = _("requests for information")

    def __str__(self) -> str:
        return self.question[:60]


class EligibilityCheck(TimeStamped):
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="eligibility",
    )
    eligible = models.BooleanField(_("eligible"))
    reason = models.TextField(_("reason"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("eligibility check")
        verbose_name_plural = _("eligibility checks")

    def __str__(self) -> str:
        return f"{self.application}: {self.eligible}"


class Decision(TimeStamped):
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    recognised = models.BooleanField(_("recognised / approved"))
    amount_granted = models.DecimalField(
        _("amount granted"), max_digits=12, decimal_places=2, default=ZERO
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(condition=Q(amount_granted__gte=0), name="granted_positive")
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.amount_granted}"

    @property
    def funded(self) -> bool:
        return self.amount_granted > 0


class Grant(TimeStamped):
    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="grant"
    )
    total = models.DecimalField(_("total"), max_digits=12, decimal_places=2)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lt=models.F("end_date")), name="grant_dates_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application.organisation}: {self.total}"


class Tranche(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        RELEASED = "released", _("released")
        PAID = "paid", _("paid")

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="tranches"
    )
    year_index = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        ordering = ["grant", "year_index"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(fields=["grant", "year_index"], name="tranche_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year_index}: {self.amount}"


class Report(TimeStamped):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress report")
        FINAL = "final", _("final report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("to fill in")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")

    grant = models.ForeignKey(
        Grant, verbose_name=_("grant"), on_delete=models.CASCADE, related_name="reports"
    )
    year_index = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    prefilled_figures = models.JSONField(_("figures from reach"), default=dict, blank=True)
    achievements = models.TextField(_("what was achieved"), blank=True)
    lessons = models.TextField(_("lessons learnt"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    officer_comment = models.TextField(_("officer comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["grant", "year_index"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["grant", "year_index"], name="report_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year_index}"


class Recognition(TimeStamped):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="recognitions",
    )
    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recognitions",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"))
    provisional = models.BooleanField(_("provisional"), default=False)
    renewal_of = models.OneToOneField(
        "self",
        verbose_name=_("renewal of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewal",
    )

    class Meta:
        ordering = ["organisation", "-valid_from"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__lt=models.F("valid_to")), name="recognition_dates_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.valid_from}–{self.valid_to}"
