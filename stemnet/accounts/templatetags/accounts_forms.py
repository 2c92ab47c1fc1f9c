"""Accessible form fields: help text and errors are linked to the input via aria-describedby."""

from django import template

register = template.Library()


@register.filter
def accessible_widget(field):
    """Render ``field``'s widget with ``aria-describedby`` (help, errors) and ``aria-invalid``."""
    if not field.auto_id:
        return field.as_widget()
    described_by = []
    existing = field.field.widget.attrs.get("aria-describedby")
    if existing:
        described_by.append(existing)
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def has_tag(attrs, tag):
    """``{% if attrs|has_tag:"danger" %}`` for allauth element tags."""
    return tag in (attrs.get("tags") or [])
