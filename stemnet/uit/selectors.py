"""Reads of the UiTdatabank exchange, shared by the pages and the agenda's include."""

from __future__ import annotations

from django.db.models import QuerySet

from stemnet.agenda.models import Activity
from stemnet.organisations.models import Membership, Organisation
from stemnet.uit.models import UitImportRun, UitSync


def organisations_with_sync(user) -> QuerySet[Organisation]:
    """The organisations whose UiT state the user may see (coordinator; all for superusers)."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.active().order_by("name")
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    ).order_by("name")


def activities_with_sync(organisation: Organisation) -> QuerySet[Activity]:
    """The organisation's own (not imported from UiT) activities with their UiT state."""
    return (
        Activity.objects.filter(organiser=organisation)
        .exclude(source=Activity.Source.UIT)
        .exclude(status=Activity.Status.ARCHIVED)
        .select_related("uit_sync")
        .order_by("-updated_at")
    )


def sync_for(activity: Activity) -> UitSync | None:
    return UitSync.objects.filter(activity=activity).first()


def import_runs(limit: int = 20) -> list[UitImportRun]:
    return list(UitImportRun.objects.order_by("-started_at")[:limit])
