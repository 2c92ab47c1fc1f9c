"""The company contact point (requests, notes, introductions) and saved matching runs."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CompanyRequest(TimeStamped):
    """A company's STEM question or offer of help to the VLAIO-STEM contact point."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("A STEM question")
        VISIT = "visit", _("Company visit")
        VOLUNTEERS = "volunteers", _("Volunteers or experts")
        MATERIALS = "materials", _("Materials")
        SPONSORING = "sponsoring", _("Sponsoring")
        INTERNSHIPS = "internships", _("Internships")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        MATCHED = "matched", _("Matched")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Not retained")

    company_name = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), max_length=5000)
    postcode = models.CharField(_("postcode"), max_length=4)
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    radius_km = models.PositiveSmallIntegerField(_("how far (km)"), default=25)
    academies_wanted = models.PositiveSmallIntegerField(_("academies wanted"), default=3)
    themes = models.ManyToManyField(
        "agenda.Theme", verbose_name=_("themes"), blank=True, related_name="+"
    )
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    availability = models.CharField(_("availability"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, default="nl")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("reason not retained"), blank=True)
    follow_token = models.CharField(max_length=64, unique=True, default=new_token)
    submission_key = models.CharField(max_length=64, unique=True)
    first_answer_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    matched_at = models.DateTimeField(_("matched"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    follow_up_sent_at = models.DateTimeField(_("follow-up sent"), null=True, blank=True)
    contact_happened = models.BooleanField(_("contact happened"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("company request")
        verbose_name_plural = _("company requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(radius_km__gte=1, radius_km__lte=300), name="request_radius"
            ),
            models.CheckConstraint(
                condition=Q(academies_wanted__gte=1, academies_wanted__lte=10),
                name="request_academies_wanted",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=F("max_age")),
                name="request_age_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name}: {self.get_kind_display()}"


class RequestNote(TimeStamped):
    """An internal note of staff on a request (never shown to the company)."""

    request = models.ForeignKey(CompanyRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)

    class Meta:
        ordering = ["created_at"]


class Introduction(TimeStamped):
    """An e-mail introducing a company request to an academy, and the academy's answer."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        INTERESTED = "interested", _("Interested")
        NOT_NOW = "not_now", _("Not now")

    request = models.ForeignKey(
        CompanyRequest, on_delete=models.CASCADE, related_name="introductions"
    )
    academy = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("academy"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    points = models.IntegerField(_("score"), default=0)
    explanation = models.JSONField(default=list, blank=True)
    answer = models.CharField(
        _("answer"), max_length=20, choices=Answer.choices, default=Answer.PENDING
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "academy"], name="one_introduction")
        ]

    def __str__(self) -> str:
        return f"{self.request} → {self.academy}"


class MatchingLock(TimeStamped):
    """A staff decision on one pair of a use's scope: it must or must not happen."""

    class Kind(models.TextChoices):
        MUST = "must", _("must happen")
        MUST_NOT = "must_not", _("must not happen")

    use = models.CharField(max_length=40)
    scope = models.CharField(max_length=80)
    need_key = models.CharField(max_length=80)
    offer_key = models.CharField(max_length=80)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["use", "scope", "need_key", "offer_key"], name="one_lock_per_pair"
            )
        ]


class MatchingRun(TimeStamped):
    """One saved run of the engine: a version per (use, scope), with who ran it and why."""

    use = models.CharField(max_length=40)
    scope = models.CharField(max_length=80)
    version = models.PositiveIntegerField()
    ran_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    inputs = models.JSONField()
    result = models.JSONField()
    total_points = models.IntegerField()
    matched = models.PositiveIntegerField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["use", "scope", "version"], name="one_run_version")
        ]

    def __str__(self) -> str:
        return f"{self.use} {self.scope} v{self.version}"
