"""Two newsletters (STEM-academies, parents): subscribers and their consent, issues made of
blocks, and one delivery row per mail sent."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped


class Audience(models.TextChoices):
    ACADEMIES = "academies", _("STEM academies")
    PARENTS = "parents", _("parents")


class Frequency(models.TextChoices):
    EVERY_ISSUE = "every", _("every issue")
    MONTHLY = "monthly", _("at most once a month")


def new_secret() -> str:
    return secrets.token_urlsafe(16)


class Subscriber(TimeStamped):
    """One address on one newsletter.

    Parents sign up themselves (double opt-in: ``pending`` until they confirm); the academies'
    list is synced from the directory (``source = directory``). ``secret`` is part of every
    signed link (preferences, unsubscribe); a new one revokes the old links. Preferences hold
    no names or birth dates: a postcode and distance, ages, themes, a frequency.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        ACTIVE = "active", _("subscribed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        BOUNCED = "bounced", _("address bounced")
        LEFT = "left", _("no longer in the directory")

    class Source(models.TextChoices):
        SIGNUP = "signup", _("public sign-up")
        DIRECTORY = "directory", _("the directory")

    audience = models.CharField(_("newsletter"), max_length=20, choices=Audience.choices)
    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(_("language"), max_length=5, default="nl")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    confirmation_sent_at = models.DateTimeField(_("confirmation sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    # Parents' preferences (the digest searches the agenda with them).
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    province = models.CharField(_("province"), max_length=5, blank=True, editable=False)
    radius_km = models.PositiveSmallIntegerField(_("distance (km)"), null=True, blank=True)
    ages = models.JSONField(_("children's ages"), default=list, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.EVERY_ISSUE
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["audience", "email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(fields=["audience", "email"], name="subscriber_unique"),
        ]
        indexes = [models.Index(fields=["audience", "status"], name="subscriber_audience")]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_audience_display()})"

    def preference_key(self) -> tuple:
        """What the digest depends on: subscribers with the same key share one search."""
        return (self.postcode, self.radius_km, tuple(sorted(self.ages)), tuple(sorted(self.themes)))


class Consent(models.Model):
    """One step of a subscriber's consent, as evidence: which form, when, from where (hashed)."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("signed up")
        CONFIRMED = "confirmed", _("confirmed")
        WITHDRAWN = "withdrawn", _("unsubscribed")
        RENEWED = "renewed", _("subscribed again")

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consents", verbose_name=_("subscriber")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    form_version = models.CharField(_("form version"), max_length=20, blank=True)
    address_hash = models.CharField(_("hash of the client address"), max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class Issue(TimeStamped):
    """An issue of one newsletter; the segment (provinces, ages, themes) narrows who gets it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENDING = "sending", _("sending")
        PAUSED = "paused", _("paused")
        SENT = "sent", _("sent")

    audience = models.CharField(_("newsletter"), max_length=20, choices=Audience.choices)
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    include_digest = models.BooleanField(
        _("add each parent's personal activity digest"), default=True
    )
    segment_provinces = models.JSONField(_("provinces"), default=list, blank=True)
    segment_ages = models.JSONField(_("ages"), default=list, blank=True)
    segment_themes = models.JSONField(_("themes"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    next_batch_at = models.DateTimeField(_("next batch"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-sent_at", "-created_at"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")
        indexes = [models.Index(fields=["status", "next_batch_at"], name="issue_due")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletters:archive_detail", kwargs={"pk": self.pk})


class Block(models.Model):
    """One part of an issue, in order."""

    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        IMAGE = "image", _("image")
        NEWS = "news", _("news item")
        ACTIVITIES = "activities", _("selection of activities")
        EVENT = "event", _("event")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="blocks")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    image = models.ImageField(_("image"), upload_to="newsletters/", blank=True)
    alt_text = models.CharField(_("alternative text"), max_length=300, blank=True)
    url = models.URLField(_("link"), blank=True)
    starts_on = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    activity_ids = models.JSONField(_("activities"), default=list, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="image") | ~Q(alt_text=""), name="block_image_alt_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Delivery(models.Model):
    """One mail of one issue to one subscriber, with its outcome (the log of a send)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("in the outbox")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        BOUNCED = "bounced", _("bounced")

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        _("outcome"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    outbox_message_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    error = models.TextField(_("error"), blank=True)
    activity_count = models.PositiveSmallIntegerField(_("activities in the digest"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed from this mail"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issue_id} → {self.subscriber_id} ({self.status})"


class DigestResult(models.Model):
    """The digest of one preference set for one issue: searched once, reused for everyone
    with the same preferences (also across the batches of a send)."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="digests")
    key = models.CharField(max_length=64)
    items = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "key"], name="digest_unique")]

    def __str__(self) -> str:
        return f"{self.issue_id}: {self.key[:12]}"
