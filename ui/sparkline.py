"""Sparklines as small static SVGs: one string each, no chart library, no toolbar, nothing
for the keyboard to stop on, and a text alternative a screen reader reads.

A missing or hidden figure is a gap in the line (never zero); the latest point is marked.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

WIDTH, HEIGHT, PAD = 120, 32, 3
LINE, MARK = "#1D70B8", "#0B0C0C"


def _ok(v) -> bool:
    return v is not None and isinstance(v, int | float) and math.isfinite(v)


def svg(values: Sequence, description: str) -> str:
    """An inline SVG sparkline of ``values`` (oldest first; None or NaN are gaps), with
    ``description`` as its accessible name. Empty string with fewer than two figures."""
    points = [(i, float(v)) for i, v in enumerate(values) if _ok(v)]
    if len(points) < 2:
        return ""
    lo, hi = min(v for _, v in points), max(v for _, v in points)
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = PAD + i * (WIDTH - 2 * PAD) / n
        y = HEIGHT - PAD - (v - lo) / span * (HEIGHT - 2 * PAD)
        return round(x, 1), round(y, 1)

    runs: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(values):
        if _ok(v):
            runs[-1].append(xy(i, float(v)))
        elif runs[-1]:
            runs.append([])
    paths = "".join(
        f'<polyline fill="none" stroke="{LINE}" stroke-width="2" '
        f'points="{" ".join(f"{x},{y}" for x, y in run)}"/>'
        for run in runs
        if len(run) >= 2
    )
    dots = "".join(
        f'<circle cx="{x}" cy="{y}" r="1.8" fill="{LINE}"/>' for run in runs if len(run) == 1
        for x, y in run
    )  # fmt: skip
    lx, ly = xy(*points[-1])
    label = html.escape(description, quote=True)
    return (
        f'<svg role="img" aria-label="{label}" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{label}</title>{paths}{dots}"
        f'<circle cx="{lx}" cy="{ly}" r="3" fill="{MARK}"/></svg>'
    )
