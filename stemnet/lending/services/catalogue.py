"""Writes of a hub's catalogue: the hub itself, items, units, accessories, photos, manuals,
opening hours."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.lending.models import (
    Accessory,
    Hub,
    Item,
    Manual,
    OpeningException,
    OpeningHours,
    Photo,
    Unit,
)
from stemnet.lending.selectors import HUB_TYPES
from stemnet.organisations.models import Organisation

ITEM_FIELDS = ("name", "kind", "description", "min_age", "max_age", "buffer_days", "is_active")


@transaction.atomic
def hub_create(*, organisation: Organisation, actor, **fields: Any) -> Hub:
    if organisation.type not in HUB_TYPES:
        raise ValidationError(
            _(
                "Only a STEM gangmaker or a knowledge institution can run a lending service; "
                "%(name)s is a %(type)s."
            )
            % {"name": organisation.name, "type": organisation.get_type_display()},
            code="hub_type",
        )
    if Hub.objects.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(name)s already has a lending service.") % {"name": organisation.name}
        )
    hub = Hub.objects.create(organisation=organisation, **fields)
    audit.record(hub, "lending.hub.created", actor=actor)
    return hub


def _check_item(item: Item) -> None:
    if item.min_age > item.max_age:
        raise ValidationError(
            {
                "max_age": _("The upper age (%(max)d) is below the lower age (%(min)d).")
                % {"max": item.max_age, "min": item.min_age}
            }
        )


@transaction.atomic
def item_create(*, hub: Hub, actor, themes=(), **fields: Any) -> Item:
    item = Item(hub=hub, **{k: v for k, v in fields.items() if k in ITEM_FIELDS + ("is_demo",)})
    _check_item(item)
    item.save()
    item.themes.set(themes)
    audit.record(item, "lending.item.created", actor=actor)
    return item


@transaction.atomic
def item_update(*, item: Item, actor, themes=None, **fields: Any) -> Item:
    changed = {k: v for k, v in fields.items() if k in ITEM_FIELDS and getattr(item, k) != v}
    for key, value in changed.items():
        setattr(item, key, value)
    _check_item(item)
    item.save()
    if themes is not None:
        item.themes.set(themes)
    audit.record(item, "lending.item.updated", actor=actor, data={"fields": sorted(changed)})
    return item


@transaction.atomic
def unit_add(*, item: Item, code: str, actor) -> Unit:
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": _("Give the unit an inventory code, e.g. KIT-01.")})
    if item.units.filter(code__iexact=code).exists():
        raise ValidationError(
            {
                "code": _("%(item)s already has a unit “%(code)s”.")
                % {"item": item.name, "code": code}
            }
        )
    unit = Unit.objects.create(item=item, code=code)
    audit.record(unit, "lending.unit.created", actor=actor)
    return unit


@transaction.atomic
def unit_retire(*, unit: Unit, actor, note: str = "") -> Unit:
    unit.status = Unit.Status.RETIRED
    unit.status_note = note
    unit.save(update_fields=["status", "status_note", "updated_at"])
    audit.record(unit, "lending.unit.retired", actor=actor, data={"note": note})
    return unit


@transaction.atomic
def accessory_add(*, item: Item, name: str, quantity: int, actor) -> Accessory:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the accessory, e.g. USB cable.")})
    accessory = Accessory.objects.create(item=item, name=name, quantity=quantity)
    audit.record(item, "lending.item.accessory_added", actor=actor, data={"name": name})
    return accessory


@transaction.atomic
def photo_add(*, item: Item, image, alt_text: str, actor) -> Photo:
    alt_text = (alt_text or "").strip()
    if not alt_text:
        raise ValidationError({"alt_text": _("Describe the photo for people who cannot see it.")})
    photo = Photo.objects.create(
        item=item, image=image, alt_text=alt_text, position=item.photos.count()
    )
    audit.record(item, "lending.item.photo_added", actor=actor)
    return photo


@transaction.atomic
def manual_add(*, item: Item, upload, title: str, actor) -> Manual:
    manual = Manual.objects.create(
        item=item, file=upload, title=(title or "").strip() or upload.name
    )
    audit.record(item, "lending.item.manual_added", actor=actor, data={"title": manual.title})
    return manual


@transaction.atomic
def opening_hours_set(*, hub: Hub, rows: list[tuple[int, dt.time, dt.time]], actor) -> None:
    """Replace the regular week with ``rows`` of (weekday, opens, closes)."""
    for weekday, opens, closes in rows:
        if opens >= closes:
            raise ValidationError(
                _("On %(day)s the hub must open before it closes.")
                % {"day": OpeningHours.Weekday(weekday).label}
            )
    hub.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(hub=hub, weekday=w, opens=o, closes=c) for w, o, c in rows
    )
    audit.record(hub, "lending.hub.hours_set", actor=actor)


@transaction.atomic
def opening_exception_set(
    *, hub: Hub, date: dt.date, actor, opens=None, closes=None, note: str = ""
) -> OpeningException:
    if (opens is None) != (closes is None) or (opens is not None and opens >= closes):
        raise ValidationError(
            _(
                "Give both an opening and a closing time (opening first), "
                "or neither for a closed day."
            )
        )
    exception, _created = OpeningException.objects.update_or_create(
        hub=hub, date=date, defaults={"opens": opens, "closes": closes, "note": note}
    )
    audit.record(hub, "lending.hub.exception_set", actor=actor, data={"date": str(date)})
    return exception
