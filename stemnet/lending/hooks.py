"""What apps to the right of lending tell it, without lending importing them.

* ``register_recognition(check)``: ``check(organisation, date) -> bool`` says whether an
  academy holds a valid recognition that day. ``stemnet.funding`` registers it. A hub that
  lends to "recognised academies only" refuses everyone while no check is registered.
* ``register_reach(source)``: ``source(activity_ids) -> {activity_id: children}`` gives the
  unique participants per agenda activity. ``stemnet.reach`` registers it, so a hub can say
  "kit X reached N children" from the loans linked to activities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

_recognition: list[Callable[[object, dt.date], bool]] = []
_reach: list[Callable[[Iterable[int]], dict[int, int]]] = []


def register_recognition(check: Callable[[object, dt.date], bool]) -> None:
    if check not in _recognition:
        _recognition.append(check)


def register_reach(source: Callable[[Iterable[int]], dict[int, int]]) -> None:
    if source not in _reach:
        _reach.append(source)


def is_recognised(organisation, on: dt.date) -> bool:
    return any(check(organisation, on) for check in _recognition)


def children_reached(activity_ids: Iterable[int]) -> dict[int, int] | None:
    """Children per activity, or None when no app provides reach figures."""
    ids = list(activity_ids)
    if not _reach:
        return None
    out: dict[int, int] = {}
    for source in _reach:
        for key, value in source(ids).items():
            out[key] = out.get(key, 0) + value
    return out
