"""The geometry of the radar chart, computed on the server: the template draws it as SVG with
classes only (no inline styles or scripts, for the Content-Security-Policy). The same numbers
are shown as a table next to it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

SIZE = 420
CENTRE = SIZE / 2
RADIUS = 130
LABEL_RADIUS = RADIUS + 22
PAD_X = 120  # room for the longest aspect name left and right of the chart


@dataclass
class Series:
    key: str  # the CSS class suffix: school, median, before, after
    label: str
    points: str  # "x,y x,y …" for <polygon points>
    dots: list[tuple[float, float]]


def _point(index: int, count: int, fraction: float, radius: float = RADIUS) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (
        round(CENTRE + radius * fraction * math.cos(angle), 1),
        round(CENTRE + radius * fraction * math.sin(angle), 1),
    )


def _fraction(value: Decimal | None, low: int, high: int) -> float:
    if value is None:
        return 0.0
    return max(0.0, min(1.0, (float(value) - low) / (high - low)))


def radar(
    *, labels: list[str], series: list[tuple[str, str, list[Decimal | None]]], low: int, high: int
) -> dict:
    """``series``: (key, label, one value per axis). Values below ``low`` sit at the centre."""
    count = len(labels)
    rings = []
    for step in range(1, 5):
        ring = [_point(i, count, step / 4) for i in range(count)]
        rings.append(" ".join(f"{x},{y}" for x, y in ring))
    axes = []
    for i, label in enumerate(labels):
        end = _point(i, count, 1)
        lx, ly = _point(i, count, 1, LABEL_RADIUS)
        anchor = "middle" if abs(lx - CENTRE) < 10 else ("start" if lx > CENTRE else "end")
        axes.append(
            {"x": end[0], "y": end[1], "lx": lx, "ly": ly, "anchor": anchor, "label": label}
        )
    drawn = []
    for key, label, values in series:
        dots = [_point(i, count, _fraction(v, low, high)) for i, v in enumerate(values)]
        drawn.append(Series(key, label, " ".join(f"{x},{y}" for x, y in dots), dots))
    return {
        "size": SIZE,
        "view_box": f"{-PAD_X} 0 {SIZE + 2 * PAD_X} {SIZE}",
        "centre": CENTRE,
        "rings": rings,
        "axes": axes,
        "series": drawn,
        "low": low,
        "high": high,
    }
