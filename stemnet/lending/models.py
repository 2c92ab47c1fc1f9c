"""The STEM hub's lending service (uitleendienst) and its Fablab / I-Lab hours.

A ``Hub`` is an organisation (a STEM gangmaker or a knowledge institution) that lends
material. Its catalogue holds ``Item``s (a kind of kit, robot, printer …); each item has
physical ``Unit``s. A ``Loan`` is a borrower's request for a number of units of one item
for a period; each unit it holds is a ``Reservation`` row.

Never double-booked: two active reservations of one unit may not overlap, counting the
item's buffer days after each loan (``blocked_until``). On PostgreSQL an exclusion
constraint over ``tstzrange(start_at, blocked_until)`` enforces it (migration
``0002_reservation_no_overlap``, btree_gist); on SQLite the service takes the database's
write lock (IMMEDIATE transactions) and checks before it writes.

Overdue is not a state: a loan is overdue while it is handed out and ``end_at`` has passed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped

AGE_MIN = 3
AGE_MAX = 99


def default_borrower_types() -> list[str]:
    return ["academy"]


class Hub(TimeStamped):
    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="lending_hub",
    )
    intro = models.TextField(_("introduction"), blank=True)
    # Our defaults, not rules of any hub: each hub sets its own.
    max_loan_days = models.PositiveSmallIntegerField(_("maximum loan length (days)"), default=28)
    borrower_types = models.JSONField(
        _("organisation types that may borrow"), default=default_borrower_types, blank=True
    )
    recognised_only = models.BooleanField(
        _("recognised STEM academies only"),
        default=False,
        help_text=_("Academies must hold a valid recognition on the day of the request."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("STEM hub")
        verbose_name_plural = _("STEM hubs")

    def __str__(self) -> str:
        return str(self.organisation)


class OpeningHours(models.Model):
    """Regular opening hours: one row per weekday and period (a day may have two)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        ordering = ["hub", "weekday", "opens"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="lending_hours_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="lending_hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class OpeningException(models.Model):
    """A day that differs from the regular hours: closed, or open at other times."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="opening_exceptions")
    date = models.DateField(_("date"))
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["hub", "date"]
        verbose_name = _("opening exception")
        verbose_name_plural = _("opening exceptions")
        constraints = [
            models.UniqueConstraint(fields=["hub", "date"], name="lending_exception_unique"),
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=F("closes")),
                name="lending_exception_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.note}"

    @property
    def closed(self) -> bool:
        return self.opens is None


class Item(TimeStamped):
    class Kind(models.TextChoices):
        KIT = "kit", _("kit")
        ROBOT = "robot", _("robot")
        PRINTER = "printer", _("3D printer")
        MICROSCOPE = "microscope", _("microscope")
        OTHER = "other", _("other")

    hub = models.ForeignKey(
        Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.KIT)
    description = models.TextField(_("description"))
    min_age = models.PositiveSmallIntegerField(_("from age"), default=5)
    max_age = models.PositiveSmallIntegerField(_("up to age"), default=18)
    themes = models.ManyToManyField("agenda.Theme", verbose_name=_("themes"), blank=True)
    buffer_days = models.PositiveSmallIntegerField(
        _("buffer days after a loan"),
        default=1,
        help_text=_("Days after each return for checking and charging before the next loan."),
    )
    is_active = models.BooleanField(_("in the catalogue"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__lte=F("max_age")), name="lending_item_ages"
            ),
            models.CheckConstraint(condition=Q(buffer_days__lte=60), name="lending_item_buffer"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("lending:item_detail", kwargs={"pk": self.pk})


class Accessory(models.Model):
    """Something that belongs with each unit and is checked on return (a cable, a charger)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="accessories")
    name = models.CharField(_("name"), max_length=200)
    quantity = models.PositiveSmallIntegerField(_("quantity per unit"), default=1)

    class Meta:
        ordering = ["item", "name"]
        verbose_name = _("accessory")
        verbose_name_plural = _("accessories")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"


class Photo(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="lending/photos/")
    alt_text = models.CharField(_("description of the photo"), max_length=250)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["item", "position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.alt_text


class Manual(models.Model):
    """A manual of an item: public, like the catalogue (no personal data)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="manuals")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="lending/manuals/")

    class Meta:
        ordering = ["item", "title"]
        verbose_name = _("manual")
        verbose_name_plural = _("manuals")

    def __str__(self) -> str:
        return self.title


class Unit(TimeStamped):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("available")
        MAINTENANCE = "maintenance", _("in maintenance")
        RETIRED = "retired", _("retired")

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="units"
    )
    code = models.CharField(_("inventory code"), max_length=50)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE
    )
    status_note = models.TextField(_("note on the status"), blank=True)

    class Meta:
        ordering = ["item", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="lending_unit_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item} #{self.code}"


class LoanQuerySet(models.QuerySet):
    def overdue(self, now=None):
        return self.filter(status=Loan.Status.HANDED_OUT, end_at__lt=now or timezone.now())


class Loan(TimeStamped):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("cancelled")
        HANDED_OUT = "handed_out", _("handed out")
        RETURNED = "returned", _("returned")

    HOLDING = (Status.REQUESTED, Status.APPROVED, Status.HANDED_OUT)

    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("borrower"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    quantity = models.PositiveSmallIntegerField(_("number of units"))
    start_at = models.DateTimeField(_("pick-up"))
    end_at = models.DateTimeField(_("return"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    note = models.TextField(_("note from the borrower"), blank=True)
    staff_note = models.TextField(_("note from the hub"), blank=True)
    activity = models.ForeignKey(
        "agenda.Activity",
        verbose_name=_("activity it served"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="loans",
    )
    handed_out_at = models.DateTimeField(_("handed out"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last overdue reminder"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-start_at", "-pk"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_at__lt=F("end_at")), name="lending_loan_order"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="lending_loan_quantity"),
        ]
        indexes = [models.Index(fields=["borrower", "status"])]

    def __str__(self) -> str:
        return f"{self.item} → {self.borrower} ({self.start_at:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("lending:loan_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.HANDED_OUT and self.end_at < timezone.now()


class Reservation(models.Model):
    """One physical unit held by a loan from pick-up until the end of the buffer days."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="reservations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="reservations")
    start_at = models.DateTimeField(_("from"))
    blocked_until = models.DateTimeField(_("blocked until"))
    active = models.BooleanField(_("holds the unit"), default=True)
    # Filled in on return, per unit.
    condition_note = models.TextField(_("condition on return"), blank=True)
    missing_accessories = models.JSONField(_("missing accessories"), default=list, blank=True)

    class Meta:
        ordering = ["unit", "start_at"]
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_at__lt=F("blocked_until")), name="lending_reservation_order"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "start_at", "blocked_until"], name="lending_res_unit_span")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start_at:%Y-%m-%d}"


class LabSession(TimeStamped):
    """A Fablab / I-Lab slot: free open hours or a workshop, with places to book."""

    class Kind(models.TextChoices):
        OPEN = "open", _("open hours")
        WORKSHOP = "workshop", _("workshop")

    class Lab(models.TextChoices):
        FABLAB = "fablab", _("Fablab")
        ILAB = "ilab", _("I-Lab")

    hub = models.ForeignKey(
        Hub, verbose_name=_("hub"), on_delete=models.CASCADE, related_name="lab_sessions"
    )
    lab = models.CharField(_("lab"), max_length=10, choices=Lab.choices, default=Lab.FABLAB)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OPEN)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("lab session")
        verbose_name_plural = _("lab sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="lending_lab_order"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="lending_lab_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}"


class LabBooking(TimeStamped):
    """Places in a lab session, booked by a person, for an organisation or for themselves."""

    session = models.ForeignKey(LabSession, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("for organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["session", "created_at"]
        verbose_name = _("lab booking")
        verbose_name_plural = _("lab bookings")
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="lending_booking_places"),
        ]

    def __str__(self) -> str:
        return f"{self.session}: {self.places}"
