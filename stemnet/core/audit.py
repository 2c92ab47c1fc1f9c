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


# --- Reading the trail ---------------------------------------------------------------------
# Each app registers a label per audit code (in its AppConfig.ready), so that pages show
# "Decision recorded", not "funding.decision.recorded", and the details as "field: before →
# after", not a Python dict.

_LABELS: dict[str, Any] = {}


def register_labels(labels: dict[str, Any]) -> None:
    """Register ``{code: label}`` (lazy translations) for the audit trail pages."""
    _LABELS.update(labels)


def label_for(code: str) -> str:
    """The registered label of ``code``; unknown codes read as their last part."""
    label = _LABELS.get(code)
    if label is not None:
        return str(label)
    return code.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def _value(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(v)}" for k, v in value.items())
    return str(value)


def details_of(data: dict[str, Any]) -> list[str]:
    """One readable line per change: "status: submitted → eligible", "reason: …"."""
    data = data or {}
    before = data.get("before") if isinstance(data.get("before"), dict) else {}
    after = data.get("after") if isinstance(data.get("after"), dict) else {}
    lines = []
    for key in list(after) + [k for k in before if k not in after]:
        old, new = before.get(key), after.get(key)
        if key in before and key in after:
            if old != new:
                lines.append(f"{key}: {_value(old)} → {_value(new)}")
        elif key in after:
            lines.append(f"{key}: {_value(new)}")
        else:
            lines.append(f"{key}: {_value(old)} → –")
    for key, value in data.items():
        if key not in ("before", "after"):
            lines.append(f"{key.replace('_', ' ')}: {_value(value)}")
    return lines


def readable(entries) -> list[AuditEntry]:
    """The entries with ``label`` and ``details`` set for display."""
    entries = list(entries)
    for entry in entries:
        entry.label = label_for(entry.code)
        entry.details = details_of(entry.data)
    return entries
