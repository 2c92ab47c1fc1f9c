"""The STEM agenda: activities published by academies (and imported from UiTdatabank)."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from stemnet.agenda.session_window import EARLIEST, LATEST
from stemnet.core.models import TimeStamped

STEM_LABEL = "stemindevrijetijd"
AGE_MIN = 5
AGE_MAX = 18


class Vocabulary(models.Model):
    """A controlled term: slug, Dutch and English name, position."""

    slug = models.SlugField(_("code"), max_length=50, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The term's bit in the search index's bit sets (``SearchEntry``); given on first save.
    bit = models.PositiveSmallIntegerField(
        _("bit in the search index"), unique=True, null=True, blank=True, editable=False
    )
    # How many terms the search index can hold for this vocabulary (see ``SearchEntry``),
    # and the entry column that holds their bits.
    max_terms = 62
    entry_column = ""

    class Meta:
        abstract = True
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        new_bit = self.bit is None
        if new_bit:
            self.bit = self._free_bit()
            if self.bit is None:
                self.clean()
        super().save(*args, **kwargs)
        if new_bit and self.entry_column:
            self._forget_stale_bit()

    def _forget_stale_bit(self) -> None:
        """Reindex the entries that still carry this bit from a deleted term (a new term
        may reuse a freed bit; those activities no longer have the old term)."""
        from stemnet.agenda.search import activity_reindex

        column = F(self.entry_column).bitand(1 << self.bit)
        stale = SearchEntry.objects.alias(hit=column).filter(hit__gt=0)
        ids = list(stale.values_list("pk", flat=True))
        if ids:
            activity_reindex(ids)

    def clean(self):
        super().clean()
        if self.bit is None and self._free_bit() is None:
            raise ValidationError(
                _("The search index holds at most %(max)s terms of this kind.")
                % {"max": self.max_terms}
            )

    def _free_bit(self) -> int | None:
        used = set(type(self).objects.exclude(pk=self.pk).values_list("bit", flat=True))
        return next((b for b in range(self.max_terms) if b not in used), None)

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class Domain(Vocabulary):
    """Science, technology, engineering, mathematics."""

    max_terms = 8
    entry_column = "domain_bits"

    class Meta(Vocabulary.Meta):
        verbose_name = _("STEM domain")
        verbose_name_plural = _("STEM domains")


class Theme(Vocabulary):
    is_transition_priority = models.BooleanField(_("Flemish transition priority"), default=False)
    entry_column = "theme_bits"

    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class AccessibilityFeature(Vocabulary):
    max_terms = 24
    entry_column = "access_bits"

    class Meta(Vocabulary.Meta):
        verbose_name = _("accessibility or inclusion feature")
        verbose_name_plural = _("accessibility and inclusion features")


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Activity.Status.PUBLISHED)

    def public(self):
        """What the public agenda shows: published and cancelled (shown as cancelled)."""
        return self.filter(status__in=[Activity.Status.PUBLISHED, Activity.Status.CANCELLED])

    def of_organisation(self, organisation):
        return self.filter(organiser=organisation)


class Activity(TimeStamped):
    class Kind(models.TextChoices):
        SERIES = "reeks", _("series")
        CAMP = "kamp", _("camp")
        ONE_OFF = "eenmalig", _("one-off activity")
        WORKSHOP = "workshop", _("workshop")
        OPEN_STUDIO = "open_atelier", _("open studio")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")
        CANCELLED = "cancelled", _("cancelled")
        ARCHIVED = "archived", _("archived")

    class Source(models.TextChoices):
        OWN = "own", _("STEMnet")
        UIT = "uit", _("UiTdatabank")
        IMPORT = "import", _("file import")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, blank=True)
    description = models.TextField(_("description"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    domains = models.ManyToManyField(Domain, verbose_name=_("STEM domains"), related_name="+")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    age_min = models.PositiveSmallIntegerField(_("minimum age"))
    age_max = models.PositiveSmallIntegerField(_("maximum age"))

    organiser = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    co_organisers = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("co-organisers"),
        blank=True,
        related_name="co_organised_activities",
    )
    subsidised = models.BooleanField(_("subsidised by VLAIO"), default=False)
    labels = models.JSONField(_("labels"), default=list, blank=True)

    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4)
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))

    price = models.DecimalField(_("price (€)"), max_digits=8, decimal_places=2, default=0)
    price_reduced = models.DecimalField(
        _("reduced price with UiTPAS (€)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    places_left = models.PositiveIntegerField(_("places left"), null=True, blank=True)
    accessibility = models.ManyToManyField(
        AccessibilityFeature,
        verbose_name=_("accessibility and inclusion"),
        blank=True,
        related_name="+",
    )
    booking_url = models.URLField(_("booking link"), blank=True)
    booking_email = models.EmailField(_("booking e-mail"), blank=True)
    image = models.ImageField(_("image"), upload_to="activities/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.OWN, db_index=True
    )
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    external_url = models.URLField(_("external link"), blank=True)

    # Search support, maintained by the services: unaccented lower-case text of title,
    # description, themes, organiser and place; and the first/last session moments.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    first_start = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    last_end = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["first_start", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__gte=AGE_MIN)
                & Q(age_max__lte=AGE_MAX)
                & Q(age_min__lte=F("age_max")),
                name="activity_age_range",
                violation_error_message=_("Ages must lie between 5 and 18, minimum ≤ maximum."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0)
                & (Q(price_reduced__isnull=True) | Q(price_reduced__gte=0)),
                name="activity_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(places_left__isnull=True)
                | Q(capacity__isnull=True)
                | Q(places_left__lte=F("capacity")),
                name="activity_places_left_within_capacity",
            ),
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~Q(external_id=""),
                name="activity_external_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "first_start"]),
            models.Index(fields=["status", "last_end"]),
            models.Index(fields=["lat", "lon"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "activiteit"
        if STEM_LABEL not in (self.labels or []):
            self.labels = [STEM_LABEL, *(self.labels or [])]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("agenda:activity_detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def read_only(self) -> bool:
        """Imported activities are read-only here; they are edited at their source."""
        return self.source == self.Source.UIT


class Session(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session cannot end before it starts."),
            ),
            # The years 2000-2100 (Belgian time), for good; the services narrow this to the
            # configured window (``agenda.session_window``).
            models.CheckConstraint(
                condition=Q(starts_at__gte=EARLIEST) & Q(ends_at__lte=LATEST),
                name="session_within_years",
                violation_error_message=_("A session must lie within the years 2000-2100."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "activity"])]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"


class SearchEntry(models.Model):
    """A published activity with sessions, narrowed to what the public search reads.

    Written only by ``agenda.search.activity_reindex`` (every write of an activity ends
    there), together with the search bitmaps (``SearchBitmap``) it is in. The public search
    counts and matches on those bitmaps and reads these rows to order a page; the columns
    are also the plain SQL form of every filter (``agenda.search.reference.filtered``, what
    the tests hold the bitmaps to).
    """

    activity = models.OneToOneField(
        Activity, primary_key=True, on_delete=models.CASCADE, related_name="search_entry"
    )
    last_end = models.DateTimeField()
    first_start = models.DateTimeField()
    municipality = models.ForeignKey(
        "places.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    access_bits = models.IntegerField(default=0)
    theme_bits = models.BigIntegerField(default=0)
    domain_bits = models.SmallIntegerField(default=0)
    # The province's NIS code as a number (Brussels: its region code 4000).
    place = models.IntegerField(default=0)
    lat = models.FloatField()
    lon = models.FloatField()
    age_min = models.SmallIntegerField()
    age_max = models.SmallIntegerField()
    price_cents = models.IntegerField()
    free = models.BooleanField()
    uitpas = models.BooleanField()
    has_places = models.BooleanField()
    kind = models.CharField(max_length=20)
    source = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    # The keys of the bitmaps this entry is in (``agenda.search.keys.entry_keys``), space-separated:
    # what a rewrite of the entry takes it out of.
    bitmap_keys = models.TextField(default="", editable=False)

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        indexes = [
            models.Index(fields=["last_end"]),
            models.Index(fields=["first_start", "title"]),
            # Covering: the entries within a distance come from the index alone.
            models.Index(
                fields=["lat", "lon"],
                include=["last_end", "first_start", "activity"],
                name="agenda_searchentry_near",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SearchText(models.Model):
    """PostgreSQL only (SQLite has its FTS5 table): the Dutch tsvector of a search entry.

    ``to_tsvector('dutch', Activity.search_text)``, GIN-indexed (migration 0006); kept apart
    from ``SearchEntry`` so the rows the facets scan stay narrow.
    """

    activity = models.OneToOneField(
        Activity, primary_key=True, on_delete=models.CASCADE, related_name="search_text_row"
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # What a text search ranks and orders its matches by, read in the same row as the match:
    # the Dutch tsvector of the title (``ts_rank``) and the entry's first session.
    title_vector = SearchVectorField(null=True, editable=False)
    first_start = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("search text")
        verbose_name_plural = _("search texts")

    def __str__(self) -> str:
        return str(self.activity_id)


class ApiToken(TimeStamped):
    """A bearer token for the write API of one organisation's activities.

    Only the SHA-256 hash of the key is stored; the key is shown once when it is made.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="agenda_api_tokens",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.CASCADE,
        related_name="agenda_api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True)
    prefix = models.CharField(_("key begins with"), max_length=12)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Scope(models.TextChoices):
        ACTIVITIES = "activities", _("activities (read and write)")
        PARTICIPATION = "participation", _("participation figures (read and write)")
        # Only honoured on a token of VLAIO made by VLAIO staff (matching's API).
        CONTACT_POINT = "contact_point", _("company contact point queue (read; VLAIO only)")

    @classmethod
    def scopes_for(cls, organisation) -> list[str]:
        """The scopes a token of ``organisation`` may carry: the contact point's queue only
        for VLAIO."""
        return [
            s
            for s in cls.Scope.values
            if s != cls.Scope.CONTACT_POINT or organisation.type == "vlaio"
        ]

    # What the token may do (a list of Scope values) and until when; the API checks both.
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(self.Scope.choices)
        return [str(labels[s]) for s in self.scopes if s in labels]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class SearchBitmap(models.Model):
    """One bitmap of the search entries: bit *n* is set when activity *n*'s entry has the
    value its key stands for (see ``agenda.search.keys``). ``name`` is "<generation>|<key>"
    (``SearchGeneration``). ``version`` is new on every write."""

    # Text: the keys of words ("word:<lexeme>") are as long as PostgreSQL's lexemes. Sorted
    # byte by byte on PostgreSQL too (collation "C", migration 0009): searches read ranges.
    name = models.TextField(primary_key=True)
    version = models.BigIntegerField()
    bits = models.BinaryField(default=b"")

    class Meta:
        verbose_name = _("search bitmap")
        verbose_name_plural = _("search bitmaps")

    def __str__(self) -> str:
        return self.name


class SearchGeneration(models.Model):
    """One row (id 1): the generation of search bitmaps searches read (``current``) and,
    while a rebuild runs (``agenda.search.store.rebuild``), the one it builds beside it."""

    current = models.PositiveIntegerField(default=1)
    building = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("search generation")
        verbose_name_plural = _("search generations")

    def __str__(self) -> str:
        return str(self.current)


class SearchBitmapLog(models.Model):
    """A write to the search bitmaps while a rebuild builds the next generation: the keys
    an activity left (``before``) and is in now (``after``), space-separated, carried over
    to that generation before it becomes the one searches read."""

    generation = models.PositiveIntegerField()
    activity_id = models.BigIntegerField()
    before = models.TextField()
    after = models.TextField()

    class Meta:
        verbose_name = _("search bitmap write")
        verbose_name_plural = _("search bitmap writes")

    def __str__(self) -> str:
        return f"{self.generation}: {self.activity_id}"
