"""Warnings for values that are valid but look implausible against the series' history.

A new or changed figure is flagged when it lies outside the natural process limits of its
series (an XmR chart of the earlier periods, from up to :data:`HISTORY_POINTS` points, by
:func:`csa.spc.xmr`: mean +/- 3 sigma, sigma = mean moving range / 1.128), or, for a series
with fewer than :data:`MIN_SPC_POINTS` (``csa.spc.MIN_POINTS``, 13) earlier points, when it
is below half or above twice anything seen before. A revision within
:data:`SMALL_REVISION` (10%) of the figure it replaces is not flagged: the series' usual
range was already judged when that figure arrived. A flagged figure is not an error: the
uploader confirms it after checking.

References
----------
NHS England, "Making Data Count" (2019): XmR charts and natural process limits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csa.returns.parse import ref
from csa.returns.problems import WARNING, Problem
from csa.spc import MIN_POINTS, xmr

HISTORY_POINTS = 20
MIN_SPC_POINTS = MIN_POINTS  # csa.spc gives no limits for a shorter series
SMALL_REVISION = 0.10


def process_limits(values: np.ndarray) -> tuple[float, float] | None:
    """(lower, upper) XmR natural process limits of a series, or None when too short.

    NaNs are dropped; the limits are :func:`csa.spc.xmr`'s (one phase, no baseline).
    """
    values = np.asarray(values, dtype=float)
    chart = xmr(values[~np.isnan(values)], "neither")
    if not chart.enough_points:
        return None
    return chart.lower_process_limit[-1], chart.upper_process_limit[-1]


def implausible(
    rows: pd.DataFrame, history: pd.DataFrame, period_starts: pd.Series
) -> list[Problem]:
    """Warnings for ``rows`` (new or changed figures) against ``history``.

    Parameters
    ----------
    rows : DataFrame
        row, indicator_code, area_code, period_label, value, unit, and optionally
        old_value (the figure being replaced).
    history : DataFrame
        Current figures of the same series: indicator_code, area_code, period_label, value.
    period_starts : Series
        Start date of each period, indexed by label (orders the history).
    """
    warnings: list[Problem] = []
    if rows.empty:
        return warnings
    starts = {label: pd.Timestamp(v) for label, v in period_starts.items()}
    series: dict[tuple[str, str], list[tuple[pd.Timestamp, float]]] = {}
    for ind, area, label, val in history[
        ["indicator_code", "area_code", "period_label", "value"]
    ].itertuples(index=False):
        if label in starts and val is not None and not pd.isna(val):
            series.setdefault((ind, area), []).append((starts[label], float(val)))
    for points in series.values():
        points.sort()
    for rec in rows.itertuples(index=False):
        if rec.value is None or pd.isna(rec.value):
            continue
        points = series.get((rec.indicator_code, rec.area_code))
        start = starts.get(rec.period_label)
        if not points or start is None:
            continue
        earlier = np.array([v for s, v in points if s < start][-HISTORY_POINTS:], dtype=float)
        value = float(rec.value)
        old = getattr(rec, "old_value", None)
        if (
            old is not None
            and not pd.isna(old)
            and abs(value - float(old)) <= SMALL_REVISION * abs(float(old))
        ):
            continue
        limits = process_limits(earlier)
        if limits is not None:
            low, high = max(limits[0], 0.0), limits[1]
            how = (
                f"its usual range ({_fmt(low)} to {_fmt(high)}, the process limits of the "
                f"last {len(earlier)} periods)"
            )
        elif len(earlier) >= 2:
            low, high = earlier.min() / 2, earlier.max() * 2
            how = (
                f"the {len(earlier)} earlier values ({_fmt(earlier.min())} to "
                f"{_fmt(earlier.max())}): under half the lowest or over twice the highest"
            )
        else:
            continue
        if low <= value <= high:
            continue
        side = "above" if value > high else "below"
        warnings.append(
            Problem(
                ref("numerator", int(rec.row)),
                f"{rec.indicator_code} {rec.area_code} {rec.period_label}: the value "
                f"{_fmt(value)} ({rec.unit}) is far {side} {how}",
                "a value you have checked (confirm it to import, or correct the cell)",
                severity=WARNING,
            )
        )
    return warnings


def _fmt(x: float) -> str:
    x = float(x)
    if x.is_integer() and abs(x) < 1e9:
        return f"{int(x):,}"
    return f"{x:,.3g}" if abs(x) < 10 else f"{x:,.1f}"
