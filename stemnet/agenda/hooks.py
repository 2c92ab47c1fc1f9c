"""Listeners for activity changes that the agenda must not know by name.

Apps to the right of the agenda (e.g. ``stemnet.uit``, which sends published activities to
UiTdatabank) register a callable in their ``AppConfig.ready()``::

    from stemnet.agenda import hooks
    hooks.register(my_listener)          # my_listener(activity_id: int) -> None

The agenda services call ``hooks.activity_changed(activity)`` after a publish, edit, cancel,
unpublish or archive. Listeners run after the surrounding transaction commits (never for a
rolled-back write), each on its own: one failing listener is logged and does not stop the
others or the agenda write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

_listeners: list[Callable[[int], None]] = []


def register(listener: Callable[[int], None]) -> None:
    """Add a listener (idempotent: registering the same callable twice keeps one)."""
    if listener not in _listeners:
        _listeners.append(listener)


def unregister(listener: Callable[[int], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def listeners() -> list[Callable[[int], None]]:
    return list(_listeners)


def _notify(activity_id: int) -> None:
    for listener in list(_listeners):
        try:
            listener(activity_id)
        except Exception:  # a listener must never break the agenda
            logger.exception("Activity listener %r failed for activity %s", listener, activity_id)


def activity_changed(activity) -> None:
    """Tell every listener, once the current transaction commits, that ``activity`` changed."""
    activity_id = activity if isinstance(activity, int) else activity.pk
    if activity_id is None:
        return
    transaction.on_commit(lambda: _notify(activity_id))
