"""Writes about people: their profile and deleting their account."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from stemnet.accounts import selectors
from stemnet.accounts.models import User
from stemnet.core import audit


@transaction.atomic
def user_update_profile(*, user: User, actor: User, name: str, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the offered languages.")})
    name = name.strip()
    max_length = User._meta.get_field("name").max_length
    if len(name) > max_length:
        raise ValidationError(
            {"name": _("Use at most %(count)d characters.") % {"count": max_length}}
        )
    changed = [
        field
        for field, value in (("name", name), ("language", language))
        if getattr(user, field) != value
    ]
    if not changed:
        return user
    user.name = name
    user.language = language
    user.save(update_fields=changed)
    audit.record(user, "accounts.user.updated", actor=actor, data={"fields": changed})
    return user


@transaction.atomic
def user_delete(*, user: User, actor: User) -> None:
    """Delete the account and everything that hangs off it (memberships, e-mail addresses, MFA).

    Refuses when the person is the only coordinator of an organisation, which would leave it
    without anyone to manage it. The audit trail keeps its lines with the actor emptied; the
    deletion itself is recorded with the former id only.
    """
    orphans = selectors.user_sole_coordinator_of(user)
    if orphans:
        raise ValidationError(
            format_lazy(
                _(
                    "You are the only coordinator of {organisations}. Make someone else "
                    "coordinator first, so the organisation is not left without one."
                ),
                organisations=", ".join(o.name for o in orphans),
            ),
            code="sole_coordinator",
        )
    user_id = user.pk
    other_actor = actor if actor.pk != user_id else None
    try:
        user.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(
            _(
                "Your account is still linked to records that must be kept. "
                "Please contact us to remove it."
            ),
            code="protected",
        ) from exc
    deleted = User(pk=user_id)
    audit.record(deleted, "accounts.user.deleted", actor=other_actor, data={"user_id": user_id})
