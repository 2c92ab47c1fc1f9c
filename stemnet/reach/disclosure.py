"""Small-cell suppression of public reach figures, as statistical offices do.

Public pages, the public API and public exports never show a count of children from 1 to
``settings.REACH_SMALL_CELL - 1`` (default 5: counts 1-4): such a cell is *hidden as small*
and shown as "< 5". Zero is shown. Staff and coordinator views keep exact numbers; this
module only changes what the public sees.

Secondary suppression: cells that add up to a total shown next to them form a *group* (the
four gender counts of the participants; the provinces of the whole; the municipalities of a
province). When a group has exactly one small cell, subtracting the others from the total
would give it back, so one more cell of the group is *hidden as complement*: the smallest
other non-zero one. A province hidden that way also hides one of its municipalities, so the
municipalities cannot add up to it. Hidden cells carry ``None`` in the API.
"""

from __future__ import annotations

from collections.abc import Hashable

from django.conf import settings
from django.utils.translation import gettext as _

SMALL = "small"
COMPLEMENT = "complement"
GENDER = ["girls", "boys", "gender_x", "gender_unknown"]


def threshold() -> int:
    return settings.REACH_SMALL_CELL


def is_small(n: int | None, limit: int) -> bool:
    return n is not None and 0 < n < limit


def suppress(cells: dict[Hashable, int], limit: int) -> dict[Hashable, str]:
    """The cells of one additive group to hide: ``{key: SMALL | COMPLEMENT}``."""
    hidden = {k: SMALL for k, n in cells.items() if is_small(n, limit)}
    if len(hidden) == 1:
        others = [k for k, n in cells.items() if k not in hidden and n > 0]
        if others:
            hidden[min(others, key=lambda k: (cells[k], str(k)))] = COMPLEMENT
    return hidden


def display(n: int | None, hidden: str | None, limit: int) -> str:
    """What the public sees: the number, "< 5" for a small cell, "×" for a complement."""
    if hidden == SMALL:
        return f"< {limit}"
    if hidden == COMPLEMENT:
        return "×"
    return str(n)


def public_summary(summary: dict, limit: int | None = None) -> dict:
    """``selectors.reach_summary`` for the public: person counts from 1 to limit - 1 are
    None, with secondary suppression in the gender group; ``girls_share`` is None when the
    girls or the others could be worked out from it. Adds ``suppressed`` (the hidden keys)
    and ``small_cell`` (the limit)."""
    limit = limit or threshold()
    out = dict(summary)
    total = summary["participants"]
    hidden: dict[str, str] = {}
    if is_small(total, limit):
        hidden["participants"] = SMALL
    hidden.update(suppress({g: summary[g] for g in GENDER}, limit))
    # Those with and without UiTPAS add up to the participants: hide a small side.
    uitpas = suppress({"uitpas": summary["uitpas"], "_rest": total - summary["uitpas"]}, limit)
    if uitpas:
        hidden["uitpas"] = uitpas.get("uitpas", COMPLEMENT)
    if is_small(summary["attendances"], limit):
        hidden["attendances"] = SMALL
    # The share gives the girls and, with the total, everyone else.
    share_groups = suppress({"girls": summary["girls"], "_rest": total - summary["girls"]}, limit)
    for key in hidden:
        out[key] = None
    if share_groups or "participants" in hidden or "girls" in hidden:
        out["girls_share"] = None
    out["suppressed"] = sorted(hidden)
    out["small_cell"] = limit
    return out


def public_areas(provinces: list[dict], municipalities: list[dict], limit: int | None = None):
    """The public page's province and municipality rows with ``participants_display``.

    Provinces form one group (they add up to the total); the municipalities of each province
    (or of Brussels) form another. Returns new lists; the input rows are not changed.
    """
    limit = limit or threshold()
    hidden_p = suppress({p["province"]: p["participants"] for p in provinces}, limit)
    groups: dict[str, list[dict]] = {}
    for m in municipalities:
        groups.setdefault(m["province"] if m["region"] == "flanders" else "Brussel", []).append(m)
    hidden_m: dict[int, str] = {}
    for name, rows in groups.items():
        hidden = suppress({m["id"]: m["participants"] for m in rows}, limit)
        if name in hidden_p and not hidden:
            nonzero = [m for m in rows if m["participants"] > 0]
            if nonzero:
                smallest = min(nonzero, key=lambda m: (m["participants"], m["id"]))
                hidden[smallest["id"]] = COMPLEMENT
        hidden_m.update(hidden)
    out_p = [
        {
            **p,
            "participants_display": display(p["participants"], hidden_p.get(p["province"]), limit),
        }
        for p in provinces
    ]
    out_m = [
        {
            **m,
            "participants_hidden": hidden_m.get(m["id"], ""),
            "participants_display": display(m["participants"], hidden_m.get(m["id"]), limit),
        }
        for m in municipalities
    ]
    return out_p, out_m


def note(limit: int | None = None) -> str:
    limit = limit or threshold()
    return _(
        "Counts of children from 1 to %(below)s are shown as “< %(limit)s”, as statistical "
        "offices do, so that no child can be singled out. Where such a count could be worked "
        "out by subtracting from a total shown next to it, one more count is hidden (×)."
    ) % {"below": limit - 1, "limit": limit}
