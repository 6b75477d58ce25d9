"""Demo or real: labelling that follows the figures shown, not the indicator's default.

Every observation carries its own ``data_kind``: "demo" for the synthetic figures of
:mod:`csa.demo`, "real" for recorded crime and for partners' uploaded quarterly returns. An
indicator's ``data_kind`` is only the default of its bundled series: once a lead officer
uploads a real return for a normally-demo indicator, that figure is real, and a series can
mix both. These functions decide what a screen or export says about the figures it shows.

A grouping's figure (policing area, Lancashire-12, pan-Lancashire) is demo when any member
figure in it is demo (:func:`combine`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

DEMO = "demo"
REAL = "real"
KINDS = (DEMO, REAL)


def kind_of(value, default: str | None = None) -> str | None:
    """The data kind of one figure: ``value`` when it is "demo" or "real", else ``default``.

    Parameters
    ----------
    value : str or None
        The figure's own ``data_kind`` (NaN and None count as unknown).
    default : str, optional
        The indicator's default, used when the figure has no kind of its own.

    Returns
    -------
    "demo", "real" or ``default``.
    """
    if isinstance(value, str) and value.strip().lower() in KINDS:
        return value.strip().lower()
    return default


def is_demo(value, default: str | None = None) -> bool:
    """True when the figure (or, failing its own kind, the default) is demo."""
    return kind_of(value, default) == DEMO


def combine(kinds: Iterable) -> str | None:
    """The kind of a figure built from others (an aggregate): demo if any part is demo,
    real if every known part is real, None when no part has a kind."""
    known = [k for k in (kind_of(v) for v in kinds) if k is not None]
    if not known:
        return None
    return DEMO if DEMO in known else REAL


def summary(kinds: Iterable) -> str | None:
    """What a set of figures is: "demo" (all demo), "real" (all real), "mixed", or None when
    there are no figures with a kind."""
    known = {k for k in (kind_of(v) for v in kinds) if k is not None}
    if not known:
        return None
    return known.pop() if len(known) == 1 else "mixed"


@dataclass(frozen=True)
class Run:
    """Consecutive periods of one kind: ``first`` to ``last`` (inclusive)."""

    kind: str
    first: str
    last: str

    def span(self) -> str:
        return self.first if self.first == self.last else f"{self.first} to {self.last}"


def runs(periods: Sequence[str], kinds: Sequence, default: str | None = None) -> list[Run]:
    """Split a series (oldest first) into runs of consecutive periods of the same kind.

    Periods whose kind is unknown (and no default) are skipped, so they neither start nor
    break a run.
    """
    if len(periods) != len(kinds):
        raise ValueError(f"periods and kinds differ in length ({len(periods)} and {len(kinds)})")
    out: list[Run] = []
    for period, raw in zip(periods, kinds, strict=True):
        kind = kind_of(raw, default)
        if kind is None:
            continue
        if out and out[-1].kind == kind:
            out[-1] = Run(kind, out[-1].first, str(period))
        else:
            out.append(Run(kind, str(period), str(period)))
    return out


def describe_series(
    periods: Sequence[str], kinds: Sequence, default: str | None = None
) -> str | None:
    """One sentence saying which figures of a series (oldest first) are synthetic demo data.

    Returns None when every figure is real (nothing to say), a sentence that the series is
    synthetic when every figure is demo, and otherwise which periods are which, e.g.
    "Figures up to 2026-27 Q1 are synthetic demo data; 2026-27 Q2 onward are real returns."

    Parameters
    ----------
    periods : sequence of str
        Period labels, oldest first.
    kinds : sequence
        Each figure's ``data_kind`` ("demo" or "real"; others count as unknown).
    default : str, optional
        The kind of a figure that has none (the indicator's default).
    """
    found = runs(periods, kinds, default)
    if not found or all(r.kind == REAL for r in found):
        return None
    if all(r.kind == DEMO for r in found):
        return "Synthetic figures for demonstration, not real statistics."
    if len(found) == 2:
        before, after = found
        if before.kind == DEMO:
            return (
                f"Figures up to {before.last} are synthetic demo data; {after.first} "
                "onward are real returns."
            )
        return (
            f"Figures up to {before.last} are real returns; {after.first} onward are "
            "synthetic demo data."
        )
    demo = ", ".join(r.span() for r in found if r.kind == DEMO)
    real = ", ".join(r.span() for r in found if r.kind == REAL)
    return f"Synthetic demo data: {demo}. Real returns: {real}."


def series_kinds(frame: pd.DataFrame, default: str | None = None) -> list[str | None]:
    """The kind of each row of a series or verdict frame (its ``data_kind`` column, falling
    back to ``default`` where a row has none, or where the column is absent)."""
    if "data_kind" not in frame:
        return [default] * len(frame)
    return [kind_of(v, default) for v in frame["data_kind"]]


def word(kind) -> str:
    """ "Demo" or "Real" for a table cell or a tooltip; "" when unknown."""
    k = kind_of(kind)
    return {DEMO: "Demo", REAL: "Real"}.get(k, "")
