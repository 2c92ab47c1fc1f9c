"""Reads about people: MFA requirement, memberships, and their personal data for the export."""

from typing import Any

from stemnet.accounts.models import User


def user_has_totp(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_requires_mfa(user: User) -> bool:
    """VLAIO staff, reviewers and superusers must protect their account with an authenticator.

    True for a superuser, for a member (any role) of a VLAIO organisation and for anyone with the
    reviewer role in any organisation.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    # Accepted exception to the dependency direction: a query only, kept inside the function.
    from django.db.models import Q

    from stemnet.organisations.models import Membership, Organisation

    return Membership.objects.filter(
        Q(organisation__type=Organisation.Type.VLAIO) | Q(role=Membership.Role.REVIEWER),
        user=user,
    ).exists()


def user_memberships(user: User):
    """The person's memberships with their organisations, for the profile page."""
    return user.memberships.select_related("organisation").order_by("organisation__name")


def user_sole_coordinator_of(user: User) -> list:
    """Organisations where ``user`` is the only coordinator (deleting them would orphan it)."""
    from django.db.models import Exists, OuterRef

    from stemnet.organisations.models import Membership, Organisation

    coordinator = Membership.Role.COORDINATOR
    other_coordinators = Membership.objects.filter(
        organisation=OuterRef("pk"), role=coordinator
    ).exclude(user=user)
    return list(
        Organisation.objects.filter(
            pk__in=Membership.objects.filter(user=user, role=coordinator).values("organisation")
        )
        .exclude(Exists(other_coordinators))
        .order_by("name")
    )


# --- Personal data export (registered in AccountsConfig.ready) -------------------------------


def personal_data_user(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "is_demo": user.is_demo,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def personal_data_memberships(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organisation": m.organisation.name,
            "organisation_id": m.organisation_id,
            "role": m.role,
            "since": m.created_at,
        }
        for m in user_memberships(user)
    ]


def personal_data_email_addresses(user: User) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {"email": a.email, "verified": a.verified, "primary": a.primary}
        for a in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def personal_data_authenticators(user: User) -> list[dict[str, Any]]:
    """Type and dates only: never the secret, the recovery codes or key material."""
    from allauth.mfa.models import Authenticator

    return [
        {"type": a.type, "created_at": a.created_at, "last_used_at": a.last_used_at}
        for a in Authenticator.objects.filter(user=user).order_by("created_at")
    ]


def personal_data_audit(user: User) -> list[dict[str, Any]]:
    from stemnet.core.models import AuditEntry

    return [
        {
            "at": e.at,
            "event": e.code,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object": e.object_repr,
            "details": e.data,
        }
        for e in AuditEntry.objects.filter(actor=user).order_by("at", "id")
    ]


def personal_data_jobs(user: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": j.kind,
            "status": j.status,
            "created_at": j.created_at,
            "total": j.total,
            "done": j.done,
            "errors": j.errors,
            "result": j.result,
        }
        for j in user.jobs.order_by("created_at")
    ]
