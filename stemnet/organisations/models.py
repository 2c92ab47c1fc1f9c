"""Organisations of every type in the ecosystem, their people and their partners."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from stemnet.core.models import TimeStamped


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def academies(self):
        return self.filter(type=Organisation.Type.ACADEMY)

    def partnerships(self):
        return self.filter(type=Organisation.Type.PARTNERSHIP)


class Organisation(TimeStamped):
    class Type(models.TextChoices):
        ACADEMY = "academy", _("STEM academy")
        PARTNERSHIP = "partnership", _("STEM partnership")
        SCHOOL = "school", _("school")
        COMPANY = "company", _("company")
        KNOWLEDGE_INSTITUTION = "knowledge_institution", _("knowledge institution")
        LOCAL_GOVERNMENT = "local_government", _("local government")
        YOUTH_ORGANISATION = "youth_organisation", _("youth organisation")
        GANGMAKER = "gangmaker", _("STEM gangmaker")
        VLAIO = "vlaio", _("VLAIO")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    type = models.CharField(_("type"), max_length=30, choices=Type.choices, db_index=True)
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    municipality = models.ForeignKey(
        "places.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    municipalities_served = models.ManyToManyField(
        "places.Municipality",
        verbose_name=_("municipalities served"),
        blank=True,
        related_name="served_by",
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    logo_alt = models.CharField(_("logo description"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(
        _("demo data"),
        default=False,
        help_text=_("Invented for the demo; not a real organisation."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "municipality",
                name="organisation_name_municipality_unique",
                violation_error_message=_(
                    "An organisation with this name already exists in this municipality."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation_detail", kwargs={"slug": self.slug})


class Membership(TimeStamped):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("coordinator")
        MEMBER = "member", _("member")
        REVIEWER = "reviewer", _("reviewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class PartnershipMember(TimeStamped):
    """An organisation taking part in a STEM partnership, with its role there."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead institution")
        ACADEMY = "academy", _("STEM academy")
        SCHOOL = "school", _("school")
        COMPANY = "company", _("company")
        KNOWLEDGE_INSTITUTION = "knowledge_institution", _("knowledge institution")
        LOCAL_GOVERNMENT = "local_government", _("local government")
        YOUTH_ORGANISATION = "youth_organisation", _("youth organisation")
        OTHER = "other", _("other partner")

    partnership = models.ForeignKey(
        Organisation,
        verbose_name=_("partnership"),
        on_delete=models.CASCADE,
        related_name="partners",
        limit_choices_to={"type": Organisation.Type.PARTNERSHIP},
    )
    member = models.ForeignKey(
        Organisation,
        verbose_name=_("partner organisation"),
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        ordering = ["partnership__name", "role", "member__name"]
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "member"], name="partnership_member_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(partnership=models.F("member")), name="partnership_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.partnership} ({self.get_role_display()})"


class Invitation(TimeStamped):
    """An invitation by e-mail to join an organisation with a role."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"
