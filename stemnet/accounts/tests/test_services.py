import pytest
from django.core.exceptions import ValidationError

from stemnet.accounts import services
from stemnet.accounts.models import User
from stemnet.accounts.tests.factories import UserFactory, activate_totp
from stemnet.core.models import AuditEntry
from stemnet.organisations.models import Membership
from stemnet.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_user_update_profile_saves_and_audits():
    user = UserFactory(name="Old Name", language="nl")
    services.user_update_profile(user=user, actor=user, name="  An Peeters ", language="en")
    user.refresh_from_db()
    assert (user.name, user.language) == ("An Peeters", "en")
    entry = AuditEntry.objects.get(code="accounts.user.updated")
    assert entry.actor == user
    assert entry.data == {"fields": ["name", "language"]}


def test_user_update_profile_without_change_writes_nothing():
    user = UserFactory(name="An", language="nl")
    services.user_update_profile(user=user, actor=user, name="An", language="nl")
    assert not AuditEntry.objects.filter(code="accounts.user.updated").exists()


def test_user_update_profile_refuses_unknown_language():
    user = UserFactory(language="nl")
    with pytest.raises(ValidationError) as exc:
        services.user_update_profile(user=user, actor=user, name="An", language="fr")
    assert "language" in exc.value.message_dict
    user.refresh_from_db()
    assert user.language == "nl"


def test_user_delete_removes_user_and_related_rows_but_keeps_audit_trail():
    user = UserFactory()
    membership = MembershipFactory(user=user, role=Membership.Role.MEMBER)
    activate_totp(user)
    services.user_update_profile(user=user, actor=user, name="Someone else", language="en")
    user_id = user.pk

    services.user_delete(user=user, actor=user)

    assert not User.objects.filter(pk=user_id).exists()
    assert not Membership.objects.filter(pk=membership.pk).exists()
    old = AuditEntry.objects.get(code="accounts.user.updated")
    assert old.actor is None
    deleted = AuditEntry.objects.get(code="accounts.user.deleted")
    assert deleted.actor is None
    assert deleted.data == {"user_id": user_id}
    assert deleted.object_id == str(user_id)
    assert user.email not in deleted.object_repr


def test_user_delete_refuses_the_only_coordinator_and_names_the_organisation():
    user = UserFactory()
    organisation = MembershipFactory(user=user, role=Membership.Role.COORDINATOR).organisation
    MembershipFactory(organisation=organisation, role=Membership.Role.MEMBER)

    with pytest.raises(ValidationError) as exc:
        services.user_delete(user=user, actor=user)

    assert organisation.name in str(exc.value.messages[0])
    assert User.objects.filter(pk=user.pk).exists()
    assert not AuditEntry.objects.filter(code="accounts.user.deleted").exists()


def test_user_delete_allowed_when_another_coordinator_remains():
    user = UserFactory()
    organisation = MembershipFactory(user=user, role=Membership.Role.COORDINATOR).organisation
    MembershipFactory(organisation=organisation, role=Membership.Role.COORDINATOR)

    services.user_delete(user=user, actor=user)

    assert not User.objects.filter(pk=user.pk or 0).exists()
    assert organisation.memberships.count() == 1


def test_user_delete_by_an_administrator_records_them():
    admin = UserFactory(is_superuser=True)
    user = UserFactory()
    services.user_delete(user=user, actor=admin)
    assert AuditEntry.objects.get(code="accounts.user.deleted").actor == admin


def test_user_update_profile_refuses_too_long_name():
    user = UserFactory(name="An")
    with pytest.raises(ValidationError) as exc:
        services.user_update_profile(user=user, actor=user, name="x" * 151, language="nl")
    assert "name" in exc.value.message_dict
