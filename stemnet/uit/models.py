"""UiTdatabank exchange: sync state of our activities, id mappings and import runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped

# The reasons STEMnet itself stores in ``UitSync.last_error``. They are stored in Dutch (rows
# written before this map exist) and shown in the reader's language through
# ``UitSync.reason``; errors that UiTdatabank returns are shown as UiTdatabank wrote them.
REASON_NOT_CONFIGURED = (
    "Er zijn geen UiTdatabank-gegevens ingesteld (client-id, geheim en adressen): er wordt "
    "niets naar UiT verstuurd."
)
REASON_CANCELLED_BEFORE_SENT = "Geannuleerd voor de activiteit naar UiT ging: niets verstuurd."
REASON_ENDED = "Afgelopen activiteit: ze blijft ongewijzigd op UiT staan."
REASONS = {
    REASON_NOT_CONFIGURED: _(
        "No UiTdatabank credentials are set on this site (client id, secret and addresses): "
        "nothing is sent to UiT."
    ),
    REASON_CANCELLED_BEFORE_SENT: _("Cancelled before the activity went to UiT: nothing was sent."),
    REASON_ENDED: _("Activity ended: it stays unchanged on UiT."),
}


class UitSync(TimeStamped):
    """Where one of our activities stands in UiTdatabank."""

    class State(models.TextChoices):
        NOT_SENT = "not_sent", _("not sent")
        QUEUED = "queued", _("queued")
        SENT = "sent", _("on UiT")
        REJECTED = "rejected", _("rejected")
        FAILED = "failed", _("failed")

    activity = models.OneToOneField(
        "agenda.Activity",
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        related_name="uit_sync",
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NOT_SENT, db_index=True
    )
    uit_id = models.CharField(_("UiTdatabank id"), max_length=64, blank=True, db_index=True)
    uit_url = models.URLField(_("UiTdatabank link"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_synced_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    payload_hash = models.CharField(_("hash of the last body sent"), max_length=64, blank=True)
    cancelled_sent = models.BooleanField(_("cancellation sent"), default=False)
    image_key = models.CharField(_("image sent"), max_length=300, blank=True)
    image_uit_id = models.URLField(_("UiTdatabank image @id"), blank=True)
    failed_attempts = models.PositiveIntegerField(
        _("failed attempts in a row"),
        default=0,
        help_text=_("Reset when a send succeeds or a coordinator tries again."),
    )
    next_attempt_at = models.DateTimeField(_("next automatic attempt"), null=True, blank=True)

    @property
    def reason(self) -> str:
        """``last_error`` in the reader's language when STEMnet wrote it."""
        return str(REASONS.get(self.last_error, self.last_error))

    class Meta:
        verbose_name = _("UiTdatabank sync")
        verbose_name_plural = _("UiTdatabank syncs")

    def __str__(self) -> str:
        return f"{self.activity_id}: {self.get_state_display()}"


class UitPlaceMapping(TimeStamped):
    """One of our places (venue + street + postcode) and the UiTdatabank place it is."""

    key = models.CharField(_("place key"), max_length=64, unique=True)
    label = models.CharField(_("place"), max_length=300)
    uit_id = models.URLField(_("UiTdatabank place @id"))

    class Meta:
        ordering = ["label"]
        verbose_name = _("UiTdatabank place mapping")
        verbose_name_plural = _("UiTdatabank place mappings")

    def __str__(self) -> str:
        return self.label


class UitOrganizerMapping(TimeStamped):
    """An organisation and the UiTdatabank organizer it is (both directions)."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="uit_organizer",
    )
    uit_id = models.URLField(_("UiTdatabank organizer @id"), unique=True)

    class Meta:
        verbose_name = _("UiTdatabank organizer mapping")
        verbose_name_plural = _("UiTdatabank organizer mappings")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.uit_id}"


class UitTermMapping(TimeStamped):
    """Our kinds, themes and STEM domains and the UiTdatabank taxonomy terms they become."""

    class Scheme(models.TextChoices):
        KIND = "kind", _("kind of activity → event type")
        THEME = "theme", _("theme → UiT theme")
        DOMAIN = "domain", _("STEM domain → UiT theme")

    scheme = models.CharField(_("what"), max_length=10, choices=Scheme.choices)
    value = models.CharField(
        _("our value"), max_length=50, help_text=_("The kind, theme or domain code here.")
    )
    term_id = models.CharField(_("UiT term id"), max_length=40)
    term_label = models.CharField(_("UiT term label"), max_length=100)
    position = models.PositiveSmallIntegerField(
        _("position"),
        default=0,
        help_text=_(
            "0: a UiT event with this term gets this theme or domain on import; higher: used "
            "for export only (when several of our values share one UiT term)."
        ),
    )

    class Meta:
        ordering = ["scheme", "position", "value"]
        verbose_name = _("UiTdatabank term mapping")
        verbose_name_plural = _("UiTdatabank term mappings")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="uit_term_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value} → {self.term_id} {self.term_label}"


class UitImportRun(TimeStamped):
    """One run of the import from the Search API (or of a saved file)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        STOPPED = "stopped", _("stopped on an error")
        SKIPPED = "skipped", _("not configured")

    source = models.CharField(_("source"), max_length=300, default="search")
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    modified_from = models.DateTimeField(_("modified from (cursor)"), null=True, blank=True)
    cursor = models.DateTimeField(
        _("next cursor"),
        null=True,
        blank=True,
        help_text=_("The latest modification seen; the next run asks for changes from here."),
    )
    page = models.PositiveIntegerField(_("pages read"), default=0)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    cancelled = models.PositiveIntegerField(_("cancelled"), default=0)
    own = models.PositiveIntegerField(_("our own exports (not imported)"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    errors = models.JSONField(_("errors per event"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("UiTdatabank import run")
        verbose_name_plural = _("UiTdatabank import runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"
