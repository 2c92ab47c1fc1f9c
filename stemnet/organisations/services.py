"""Every write to organisations, memberships, invitations and partnerships."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.organisations import selectors
from stemnet.organisations.models import Invitation, Membership, Organisation, PartnershipMember
from stemnet.places.models import Municipality
from stemnet.places.selectors import municipalities_for_postcode

INVITATION_VALID_FOR = dt.timedelta(days=14)

# Fields a coordinator (or the admin) may set through organisation_create/_update.
EDITABLE_FIELDS = (
    "name",
    "type",
    "description",
    "street",
    "postcode",
    "website",
    "email",
    "phone",
    "contact_name",
    "logo_alt",
    "is_active",
    "is_demo",
)


def _resolve_municipality(
    postcode: str, current: Municipality | None = None
) -> Municipality | None:
    """The municipality of a postcode; keeps the current one if it shares the postcode."""
    postcode = (postcode or "").strip()
    if not postcode:
        return current
    found = municipalities_for_postcode(postcode) if postcode.isdigit() else []
    if not found:
        raise selectors.unknown_postcode_error(postcode)
    if current is not None and any(m.pk == current.pk for m in found):
        return current
    return found[0]


def _check_name_free(organisation: Organisation) -> None:
    duplicate = Organisation.objects.filter(
        name__iexact=organisation.name.strip(), municipality=organisation.municipality
    )
    if organisation.pk:
        duplicate = duplicate.exclude(pk=organisation.pk)
    if duplicate.exists():
        if organisation.municipality is not None:
            message = _(
                "An organisation called “%(name)s” already exists in %(municipality)s. "
                "Choose another name or ask that organisation's coordinator to invite you."
            ) % {"name": organisation.name, "municipality": organisation.municipality}
        else:
            message = _("An organisation called “%(name)s” already exists.") % {
                "name": organisation.name
            }
        raise ValidationError({"name": message}, code="duplicate_name")


def _unique_slug(organisation: Organisation) -> str:
    base = slugify(organisation.name)[:200] or "organisatie"
    candidates = [base]
    if organisation.municipality is not None:
        candidates.append(f"{base}-{slugify(organisation.municipality.name_nl)}"[:210])
    candidates += [f"{base}-{n}" for n in range(2, 1000)]
    taken = Organisation.objects.exclude(pk=organisation.pk).values_list("slug", flat=True)
    for slug in candidates:
        if not taken.filter(slug=slug).exists():
            return slug
    return f"{base}-{secrets.token_hex(4)}"  # pragma: no cover - a thousand namesakes


def _apply_logo(organisation: Organisation, logo: Any) -> bool:
    """Set, clear or keep the logo (form values: a new file, False to clear, else keep)."""
    if logo is False:
        if organisation.logo:
            organisation.logo = ""
            return True
        return False
    if isinstance(logo, File) and not isinstance(logo, FieldFile):
        organisation.logo = logo
        return True
    return False


def _save(organisation: Organisation) -> None:
    _check_name_free(organisation)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # a namesake saved at the same moment
        raise ValidationError(
            {"name": _("An organisation with this name already exists in this municipality.")},
            code="duplicate_name",
        ) from exc


@transaction.atomic
def organisation_create(*, actor, **fields: Any) -> Organisation:
    """Create an organisation. The municipality follows from the postcode when given."""
    served = fields.pop("municipalities_served", None)
    logo = fields.pop("logo", None)
    municipality = fields.pop("municipality", None)
    slug = fields.pop("slug", "")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"organisation_create() got unexpected fields: {sorted(unknown)}")
    organisation = Organisation(**fields)
    organisation.name = (organisation.name or "").strip()
    organisation.postcode = (organisation.postcode or "").strip()
    organisation.municipality = _resolve_municipality(organisation.postcode, municipality)
    _apply_logo(organisation, logo)
    organisation.slug = slug or _unique_slug(organisation)
    organisation.full_clean(exclude=["slug"], validate_unique=False, validate_constraints=False)
    _save(organisation)
    if served is not None:
        organisation.municipalities_served.set(served)
    audit.record(
        organisation,
        "organisations.organisation.created",
        actor=actor,
        data={
            "type": organisation.type,
            "municipality": getattr(organisation.municipality, "nis_code", ""),
        },
    )
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, data: dict[str, Any]) -> Organisation:
    """Change an organisation's details; ``data`` holds only the fields to change."""
    data = dict(data)
    served = data.pop("municipalities_served", None)
    changed: list[str] = []
    if "logo" in data and _apply_logo(organisation, data.pop("logo")):
        changed.append("logo")
    data.pop("logo", None)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update() got unexpected fields: {sorted(unknown)}")
    before = Organisation.objects.filter(pk=organisation.pk).values(*EDITABLE_FIELDS).first() or {}
    for field, value in data.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(organisation, field, value)
        if before.get(field) != value:
            changed.append(field)
    if "postcode" in data and not organisation.postcode:
        organisation.municipality = None  # no postcode, no address municipality
    else:
        organisation.municipality = _resolve_municipality(
            organisation.postcode, organisation.municipality
        )
    organisation.full_clean(exclude=["slug"], validate_unique=False, validate_constraints=False)
    _save(organisation)
    if served is not None:
        old = set(organisation.municipalities_served.values_list("pk", flat=True))
        new = {m.pk if isinstance(m, Municipality) else int(m) for m in served}
        if old != new:
            organisation.municipalities_served.set(new)
            changed.append("municipalities_served")
    audit.record(
        organisation, "organisations.organisation.updated", actor=actor, data={"fields": changed}
    )
    return organisation


# --- Memberships --------------------------------------------------------------------------


def _check_role(role: str) -> None:
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")}, code="invalid_role")


def _would_lose_last_coordinator(membership: Membership) -> bool:
    if membership.role != Membership.Role.COORDINATOR:
        return False
    others = (
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.COORDINATOR)
        .exclude(pk=membership.pk)
    )
    return not others.exists()


@transaction.atomic
def membership_create(*, organisation: Organisation, user, role: str, actor) -> Membership:
    """Add a person to an organisation directly (admin, demo data, first coordinator)."""
    _check_role(role)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    audit.record(
        membership,
        "organisations.membership.created",
        actor=actor,
        data={"organisation": organisation.pk, "user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor) -> Membership:
    _check_role(role)
    if role == membership.role:
        return membership
    if _would_lose_last_coordinator(membership):
        raise ValidationError(
            _(
                "%(person)s is the last coordinator of this organisation. "
                "Make someone else coordinator first."
            )
            % {"person": membership.user},
            code="last_coordinator",
        )
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit.record(
        membership,
        "organisations.membership.role_changed",
        actor=actor,
        data={"organisation": membership.organisation_id, "from": old, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    if _would_lose_last_coordinator(membership):
        raise ValidationError(
            _(
                "%(person)s is the last coordinator of this organisation and cannot be "
                "removed. Make someone else coordinator first."
            )
            % {"person": membership.user},
            code="last_coordinator",
        )
    audit.record(
        membership,
        "organisations.membership.removed",
        actor=actor,
        data={
            "organisation": membership.organisation_id,
            "user": membership.user_id,
            "role": membership.role,
        },
    )
    membership.delete()


# --- Invitations --------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, organisation: Organisation, email: str, role: str, actor) -> Invitation:
    """Invite someone by e-mail; the e-mail with the accept link goes out after the commit."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter a valid e-mail address, such as name@example.org.")},
            code="invalid_email",
        ) from None
    _check_role(role)
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of this organisation.") % {"email": email}},
            code="already_member",
        )
    # A new invitation replaces an open one to the same address.
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True
    ).delete()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        expires_at=timezone.now() + INVITATION_VALID_FOR,
    )
    audit.record(
        organisation,
        "organisations.invitation.created",
        actor=actor,
        data={"invitation": invitation.pk, "email": email, "role": role},
    )
    from stemnet.organisations.tasks import invitation_send

    transaction.on_commit(lambda: invitation_send.enqueue(invitation_id=invitation.pk))
    return invitation


def invitation_email_send(*, invitation: Invitation) -> None:
    """Render and send the invitation e-mail in the recipient's (or else the inviter's) language."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    recipient = get_user_model().objects.filter(email__iexact=invitation.email).first()
    language = (
        getattr(recipient, "language", "")
        or getattr(invitation.invited_by, "language", "")
        or settings.LANGUAGE_CODE
    )
    with translation.override(language):
        link = settings.SITE_URL + reverse(
            "organisations:invitation_accept", kwargs={"token": invitation.token}
        )
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "inviter": invitation.invited_by,
            "role": invitation.get_role_display(),
            "link": link,
            "SITE_URL": settings.SITE_URL,
        }
        subject = render_to_string("organisations/invitation_email_subject.txt", context)
        body = render_to_string("organisations/invitation_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [invitation.email])


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation has already been accepted."), code="invitation_used"
        )
    audit.record(
        invitation.organisation,
        "organisations.invitation.revoked",
        actor=actor,
        data={"invitation": invitation.pk, "email": invitation.email},
    )
    invitation.delete()


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """Turn an invitation into a membership; expired, used or unknown tokens are refused."""
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").filter(token=token)
    ).first()
    if invitation is None:
        raise ValidationError(
            _("This invitation does not exist or has been withdrawn."), code="invitation_unknown"
        )
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation has already been used. Ask the coordinator for a new one."),
            code="invitation_used",
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _("This invitation has expired. Ask the coordinator for a new one."),
            code="invitation_expired",
        )
    if not selectors.invitation_is_for(invitation, user):
        raise selectors.invitation_recipient_error(invitation, user)
    membership = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if membership is None:
        membership = Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
    elif invitation.role == Membership.Role.COORDINATOR and membership.role != invitation.role:
        # An invitation never lowers a role someone already has.
        membership.role = invitation.role
        membership.save(update_fields=["role", "updated_at"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit.record(
        membership,
        "organisations.invitation.accepted",
        actor=user,
        data={"invitation": invitation.pk, "role": membership.role},
    )
    return membership


# --- Partnerships -------------------------------------------------------------------------


@transaction.atomic
def partnership_member_add(
    *, partnership: Organisation, member: Organisation, role: str, actor
) -> PartnershipMember:
    if partnership.type != Organisation.Type.PARTNERSHIP:
        raise ValidationError(
            _("Only a STEM partnership can have partner organisations."), code="not_partnership"
        )
    if member.pk == partnership.pk:
        raise ValidationError(
            {"member": _("A partnership cannot be a partner of itself.")}, code="self_partner"
        )
    if role not in PartnershipMember.Role.values:
        raise ValidationError({"role": _("Choose a valid role.")}, code="invalid_role")
    if PartnershipMember.objects.filter(partnership=partnership, member=member).exists():
        raise ValidationError(
            {"member": _("%(name)s is already a partner.") % {"name": member.name}},
            code="already_partner",
        )
    link = PartnershipMember.objects.create(partnership=partnership, member=member, role=role)
    audit.record(
        partnership,
        "organisations.partnershipmember.added",
        actor=actor,
        data={"member": member.pk, "role": role},
    )
    return link


@transaction.atomic
def partnership_member_remove(*, partnership_member: PartnershipMember, actor) -> None:
    audit.record(
        partnership_member.partnership,
        "organisations.partnershipmember.removed",
        actor=actor,
        data={"member": partnership_member.member_id, "role": partnership_member.role},
    )
    partnership_member.delete()
