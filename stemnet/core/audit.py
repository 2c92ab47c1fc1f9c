"""The one way to write the audit trail: ``audit.record(obj, "app.model.event", actor=…)``."""

from typing import Any

from django.db import models

from stemnet.core.models import AuditEntry


def record(
    obj: models.Model,
    code: str,
    *,
    actor=None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        actor=actor,
        code=code,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        data=data or {},
    )


def entries_for(obj: models.Model):
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
