"""Reads of organisations, memberships and partnerships (shared by views, API and other apps)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.organisations.models import Invitation, Membership, Organisation, PartnershipMember
from stemnet.places.models import Municipality
from stemnet.places.selectors import municipalities_for_postcode

# The lead institution of a partnership comes first in every list of its partners.
LEAD_FIRST = Case(
    When(role=PartnershipMember.Role.LEAD, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


def unknown_postcode_error(postcode: str) -> ValidationError:
    return ValidationError(
        {
            "postcode": _(
                "Unknown postcode “%(postcode)s”. Enter a Belgian postcode of four digits, "
                "for example 2800."
            )
            % {"postcode": postcode}
        },
        code="unknown_postcode",
    )


def organisations_for_user(user, *, role: str | None = None) -> QuerySet[Organisation]:
    """The organisations in which the user has a membership (optionally with this role)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user)
    if role:
        memberships = memberships.filter(role=role)
    return (
        Organisation.objects.filter(pk__in=memberships.values("organisation_id"))
        .select_related("municipality")
        .order_by("name")
    )


def is_coordinator(user, organisation: Organisation | None) -> bool:
    if organisation is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user, organisation=organisation, role=Membership.Role.COORDINATOR
    ).exists()


def is_vlaio_staff(user) -> bool:
    """VLAIO staff: a membership other than reviewer of an organisation of type VLAIO.

    Reviewers in VLAIO's reviewer pool are not staff: they see only what the scoring component
    assigns them (no reach dashboard, no history import, no consensus)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        Membership.objects.filter(user=user, organisation__type=Organisation.Type.VLAIO)
        .exclude(role=Membership.Role.REVIEWER)
        .exists()
    )


def is_member(user, organisation: Organisation | None) -> bool:
    """Any membership (coordinator, member or reviewer) of the organisation."""
    if organisation is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(user=user, organisation=organisation).exists()


def _current_municipality_ids(nis_codes: Iterable[str]) -> QuerySet:
    return Municipality.objects.current().filter(nis_code__in=list(nis_codes)).values("pk")


def organisation_search(
    *,
    q: str = "",
    types: Iterable[str] = (),
    municipality_nis: str = "",
    postcode: str = "",
) -> QuerySet[Organisation]:
    """The public directory: active organisations by name, type and where they are active.

    An organisation is active in a municipality when its address is there or when the
    municipality is one of those it serves. A postcode stands for its municipality (or the
    two municipalities of 1040, 1050 and 1804). An unknown postcode raises ValidationError.
    """
    qs = Organisation.objects.active()
    q = (q or "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    types = [t for t in types if t]
    if types:
        qs = qs.filter(type__in=types)
    places: list[QuerySet] = []
    municipality_nis = (municipality_nis or "").strip()
    if municipality_nis:
        ids = _current_municipality_ids([municipality_nis])
        if not ids.exists():
            raise ValidationError(
                {
                    "municipality": _("Unknown municipality (NIS code “%(code)s”).")
                    % {"code": municipality_nis}
                },
                code="unknown_municipality",
            )
        places.append(ids)
    postcode = (postcode or "").strip()
    if postcode:
        found = municipalities_for_postcode(postcode) if postcode.isdigit() else []
        if not found:
            raise unknown_postcode_error(postcode)
        places.append(Municipality.objects.filter(pk__in=[m.pk for m in found]).values("pk"))
    served = Organisation.municipalities_served.through.objects
    for ids in places:
        # Subqueries instead of a join keep every organisation once, without DISTINCT.
        qs = qs.filter(
            Q(municipality__in=ids)
            | Q(pk__in=served.filter(municipality__in=ids).values("organisation_id"))
        )
    return (
        qs.select_related("municipality__province")
        .annotate(served_count=Count("municipalities_served", distinct=True))
        .order_by("name", "pk")
    )


def organisation_get(slug: str, *, include_inactive: bool = False) -> Organisation:
    """One organisation with everything its page shows; Http404 when there is none."""
    qs = Organisation.objects.all() if include_inactive else Organisation.objects.active()
    qs = qs.select_related("municipality__province").prefetch_related(
        Prefetch(
            "municipalities_served",
            queryset=Municipality.objects.order_by("name_nl"),
        ),
        Prefetch(
            "partners",
            queryset=PartnershipMember.objects.filter(member__is_active=True)
            .select_related("member__municipality")
            .order_by(LEAD_FIRST, "role", "member__name"),
        ),
        Prefetch(
            "partnerships",
            queryset=PartnershipMember.objects.filter(partnership__is_active=True)
            .select_related("partnership__municipality")
            .order_by("partnership__name"),
        ),
    )
    try:
        return qs.get(slug=slug)
    except Organisation.DoesNotExist:
        raise Http404(_("There is no organisation at this address.")) from None


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    """The memberships of an organisation, coordinators first."""
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__name", "user__email")
    )


def coordinators_count(organisation: Organisation) -> int:
    return Membership.objects.filter(
        organisation=organisation, role=Membership.Role.COORDINATOR
    ).count()


def invitations_pending(organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations not yet accepted and not expired."""
    return (
        Invitation.objects.filter(
            organisation=organisation, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_is_for(invitation: Invitation, user) -> bool:
    """An invitation is for the address it was sent to: the account's e-mail address or one of
    its verified addresses (a forwarded link does not make someone else a member)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    invited = invitation.email.strip().lower()
    if (user.email or "").strip().lower() == invited:
        return True
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=invited, verified=True).exists()


def invitation_recipient_error(invitation: Invitation, user) -> ValidationError:
    return ValidationError(
        _(
            "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
            "Log out and log in (or sign up) with %(invited)s, or ask the coordinator to invite "
            "the address you use."
        )
        % {"invited": invitation.email, "current": user.email},
        code="invitation_other_recipient",
    )


def invitation_get(token: str) -> Invitation | None:
    return Invitation.objects.select_related("organisation").filter(token=token).first()


def partners_of(partnership: Organisation) -> QuerySet[PartnershipMember]:
    return (
        PartnershipMember.objects.filter(partnership=partnership)
        .select_related("member__municipality")
        .order_by(LEAD_FIRST, "role", "member__name")
    )


def partner_candidates(partnership: Organisation) -> QuerySet[Organisation]:
    """Active organisations that could join this partnership (not itself, not already in)."""
    return (
        Organisation.objects.active()
        .exclude(pk=partnership.pk)
        .exclude(partnerships__partnership=partnership)
        .select_related("municipality")
        .order_by("name")
    )


def municipality_choices() -> list[tuple[str, str]]:
    """(NIS code, name) of the current municipalities, for select boxes."""
    return list(
        Municipality.objects.current().order_by("name_nl").values_list("nis_code", "name_nl")
    )


def directory_people(types: Iterable[str]) -> list[tuple[int, str, str]]:
    """(user id, e-mail, language) of every coordinator and member of the active
    organisations of these types (the academies' newsletter is synced from this)."""
    rows = (
        Membership.objects.filter(
            organisation__type__in=list(types),
            organisation__is_active=True,
            role__in=[Membership.Role.COORDINATOR, Membership.Role.MEMBER],
            user__is_active=True,
        )
        .values_list("user_id", "user__email", "user__language")
        .order_by("user_id")
        .distinct()
    )
    return [(user_id, email, language) for user_id, email, language in rows if email]
