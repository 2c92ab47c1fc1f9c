"""Events for the ecosystem's professionals: trainings, network moments, congresses.

Not the children's agenda (``agenda``): these are gatherings of academies, partnerships,
schools, companies and gangmakers, with registration, a waiting list, check-in and
certificates of attendance.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped
from stemnet.organisations.models import Organisation


def new_code() -> str:
    return secrets.token_urlsafe(12)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Event(TimeStamped):
    class Kind(models.TextChoices):
        TRAINING = "training", _("training")
        NETWORK_MOMENT = "network_moment", _("network moment")
        CONGRESS = "congress", _("congress or study morning")
        LEARNING_NETWORK = "learning_network", _("learning network")
        WORKSHOP = "workshop", _("workshop")
        INFO_MARKET = "info_market", _("info market")

    class TrainerStep(models.TextChoices):
        """The train-the-trainer path, in order (seed 000)."""

        BASIS = "basis", _("basic session: What is STEM?")
        DESIGN = "design", _("design session: How to design STEM activities?")
        GUIDANCE = "guidance", _("guidance session with peer review")

    organiser = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    trainer_step = models.CharField(
        _("step in the trainer path"), max_length=10, choices=TrainerStep.choices, blank=True
    )
    series = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text=_("A meeting of a learning network belongs to the network."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    hours = models.DecimalField(
        _("training hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Printed on the certificate of attendance."),
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    locality = models.CharField(_("municipality"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))
    registration_deadline = models.DateTimeField(_("registration closes"))
    cancellation_deadline = models.DateTimeField(_("cancellation possible until"))
    stand_capacity = models.PositiveIntegerField(
        _("info market stands"), default=0, help_text=_("0: no info market.")
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_times"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(trainer_step="") | Q(kind="training"),
                name="event_trainer_step_only_training",
            ),
            models.UniqueConstraint(fields=["slug"], name="event_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event_detail", kwargs={"slug": self.slug})

    @property
    def has_map(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def place(self) -> str:
        town = " ".join(p for p in (self.postcode, self.locality) if p)
        return ", ".join(p for p in (self.venue_name, self.street, town) if p)


class Speaker(TimeStamped):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="speakers"
    )
    name = models.CharField(_("name"), max_length=150)
    affiliation = models.CharField(_("organisation"), max_length=200, blank=True)
    bio = models.TextField(_("about"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")

    def __str__(self) -> str:
        return self.name


class Track(TimeStamped):
    """A part of the programme: a session, a round table or one of parallel tracks."""

    class Kind(models.TextChoices):
        SESSION = "session", _("session")
        ROUND_TABLE = "round_table", _("round table")
        PARALLEL = "parallel", _("parallel track")
        BREAK = "break", _("break")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="tracks"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.SESSION)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Empty: the programme part needs no choice at registration."),
    )
    speakers = models.ManyToManyField(
        Speaker, verbose_name=_("speakers"), blank=True, related_name="tracks"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("programme part")
        verbose_name_plural = _("programme parts")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="track_times"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def choosable(self) -> bool:
        return self.capacity is not None


class Audience(TimeStamped):
    """Who may register, and at which price. An event without audiences is open to all."""

    class Role(models.TextChoices):
        ANY = "", _("any role")
        COORDINATOR = "coordinator", _("coordinator")
        MEMBER = "member", _("member")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="audiences"
    )
    organisation_type = models.CharField(
        _("organisation type"),
        max_length=30,
        blank=True,
        choices=Organisation.Type.choices,
        help_text=_("Empty: everyone, with or without an organisation."),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    price = models.DecimalField(_("price"), max_digits=8, decimal_places=2, default=0)

    class Meta:
        ordering = ["price", "organisation_type"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="audience_price_positive"),
            models.UniqueConstraint(
                fields=["event", "organisation_type", "role"], name="audience_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_type or '*'}/{self.role or '*'}: {self.price}"


class RegistrationQuerySet(models.QuerySet):
    def holding_place(self):
        return self.filter(status__in=Registration.HOLDING)

    def active(self):
        return self.filter(status__in=Registration.ACTIVE)


class Registration(TimeStamped):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        OFFERED = "offered", _("place offered")
        CANCELLED = "cancelled", _("cancelled")
        LAPSED = "lapsed", _("offer lapsed")

    HOLDING = (Status.CONFIRMED, Status.OFFERED)
    ACTIVE = (Status.CONFIRMED, Status.OFFERED, Status.WAITING)

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    price = models.DecimalField(_("price"), max_digits=8, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    tracks = models.ManyToManyField(
        Track, verbose_name=_("programme parts"), blank=True, related_name="registrations"
    )
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    code = models.CharField(_("check-in code"), max_length=24, unique=True, default=new_code)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, default="nl")

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(status__in=["confirmed", "offered", "waiting"]),
                name="registration_once_per_event",
                violation_error_message=_("This person is already registered for this event."),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_checkin_confirmed",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="registration_offer_expires",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"


class Stand(TimeStamped):
    """A partnership's stand at an event's info market."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="stands"
    )
    partnership = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="event_stands",
    )
    number = models.PositiveIntegerField(_("stand number"))
    note = models.CharField(_("what you show"), max_length=300, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("stand")
        verbose_name_plural = _("stands")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="stand_number_unique"),
            models.UniqueConstraint(fields=["event", "partnership"], name="stand_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.partnership}"


class Feedback(TimeStamped):
    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE
    )
    rating = models.PositiveSmallIntegerField(_("rating (1-5)"))
    learned = models.TextField(_("what did we learn today?"))
    suggestion = models.TextField(_("what could be better?"), blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            ),
        ]


class TrainingTopic(TimeStamped):
    """A topic on the organiser's list of trainings to offer, fed by captured needs."""

    organiser = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.CASCADE,
        related_name="training_topics",
    )
    title = models.CharField(_("topic"), max_length=200)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["title"]
        verbose_name = _("training topic")
        verbose_name_plural = _("training topics")
        constraints = [
            models.UniqueConstraint("organiser", Lower("title"), name="topic_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class Need(TimeStamped):
    """A need of an academy captured at an event."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="needs"
    )
    topic = models.ForeignKey(
        TrainingTopic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="needs"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("what is needed"), blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
