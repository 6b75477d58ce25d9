"""Warnings for values that are valid but look implausible against the series' history.

Two rules, chosen by how many events the figure counts:

* **Small counts** (Poisson). When the count expected from the recent figures is below
  :data:`SMALL_COUNT` (30), the new count is judged against a Poisson distribution with
  that mean: it is flagged only when a count at least as extreme has a two-sided
  probability below :data:`POISSON_ALPHA` (0.001), i.e. when
  ``2 x min(P(X >= x), P(X <= x)) < 0.001``. The expected count is the mean of the last
  :data:`RECENT_POINTS` (4) earlier figures for a count indicator; for a rate or
  percentage it is the numerator the recent rate would give at the new denominator
  (mean of numerator / denominator x the new denominator). An expected count below
  :data:`MIN_EXPECTED` (0.5, e.g. a run of zeros) is taken as 0.5, so one event after
  several quiet periods is not flagged. With a mean of 4: a count of 6 has P(X >= 6) =
  0.2149 (not flagged), 12 has P(X >= 12) = 0.00092 (two-sided 0.0018, not flagged) and
  13 has P(X >= 13) = 0.00027 (two-sided 0.00055, flagged).
* **Larger counts and rates** (XmR). The figure is flagged when it lies outside the
  natural process limits of its series (an XmR chart of the earlier periods, from up to
  :data:`HISTORY_POINTS` points, by :func:`csa.spc.xmr`: mean +/- 3 sigma, sigma = mean
  moving range / 1.128), or, for a series with fewer than :data:`MIN_SPC_POINTS`
  (``csa.spc.MIN_POINTS``, 13) earlier points, when it is below half or above twice
  anything seen before. Poisson limits would be too narrow here: counts of crimes and
  incidents vary more than a Poisson process (over-dispersion), which the XmR limits
  measure from the series itself.

Both rules need at least two earlier figures. A revision within :data:`SMALL_REVISION`
(10%) of the figure it replaces is not flagged: the series' usual range was already judged
when that figure arrived. A flagged figure is not an error: the uploader confirms it after
checking.

References
----------
NHS England, "Making Data Count" (2019): XmR charts and natural process limits.
Spiegelhalter D. (2005), "Funnel plots for comparing institutional performance",
Statistics in Medicine 24:1185-1202: exact Poisson limits for small counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import poisson

from csa.returns.parse import ref
from csa.returns.problems import WARNING, Problem
from csa.spc import MIN_POINTS, xmr

HISTORY_POINTS = 20
MIN_SPC_POINTS = MIN_POINTS  # csa.spc gives no limits for a shorter series
SMALL_REVISION = 0.10
#: Below this expected count the Poisson rule judges the figure.
SMALL_COUNT = 30.0
#: Two-sided probability below which a count is flagged.
POISSON_ALPHA = 0.001
#: How many earlier figures make the expected count.
RECENT_POINTS = 4
#: The least expected count (a run of zeros still allows an occasional event).
MIN_EXPECTED = 0.5
#: Fewest earlier figures either rule needs.
MIN_HISTORY = 2
CHECK = "a value you have checked (confirm it to import, or correct the cell)"


def process_limits(values: np.ndarray) -> tuple[float, float] | None:
    """(lower, upper) XmR natural process limits of a series, or None when too short.

    NaNs are dropped; the limits are :func:`csa.spc.xmr`'s (one phase, no baseline).
    """
    values = np.asarray(values, dtype=float)
    chart = xmr(values[~np.isnan(values)], "neither")
    if not chart.enough_points:
        return None
    return chart.lower_process_limit[-1], chart.upper_process_limit[-1]


def poisson_tail(count: float, mean: float) -> tuple[str, float]:
    """The side and one-sided probability of a count at least as extreme under Poisson(mean).

    Returns ``("above", P(X >= count))`` when the count is above the mean, otherwise
    ``("below", P(X <= count))``.

    >>> side, p = poisson_tail(6, 4.0)
    >>> side, round(p, 4)
    ('above', 0.2149)
    """
    count, mean = float(count), float(mean)
    if count > mean:
        return "above", float(poisson.sf(count - 1, mean))
    return "below", float(poisson.cdf(count, mean))


def poisson_flag(count: float, mean: float, alpha: float = POISSON_ALPHA) -> bool:
    """True when ``count`` is implausible under Poisson(``mean``): two-sided p below alpha."""
    _side, p = poisson_tail(count, max(float(mean), MIN_EXPECTED))
    return min(1.0, 2 * p) < alpha


def where_label(rec) -> str:
    """``"DA-02 Ribble Valley (E07000124) 2026-27 Q2"``: areas by name and code."""
    name = getattr(rec, "area_name", None)
    area = (
        f"{name} ({rec.area_code})"
        if isinstance(name, str) and name and name != rec.area_code
        else str(rec.area_code)
    )
    return f"{rec.indicator_code} {area} {rec.period_label}"


def implausible(
    rows: pd.DataFrame, history: pd.DataFrame, period_starts: pd.Series
) -> list[Problem]:
    """Warnings for ``rows`` (new or changed figures) against ``history``.

    Parameters
    ----------
    rows : DataFrame
        row, indicator_code, area_code, period_label, value, unit, and optionally
        area_name, numerator, denominator and old_value (the figure being replaced).
    history : DataFrame
        Current figures of the same series: indicator_code, area_code, period_label, value
        and optionally numerator and denominator.
    period_starts : Series
        Start date of each period, indexed by label (orders the history).
    """
    warnings: list[Problem] = []
    if rows.empty:
        return warnings
    starts = {label: pd.Timestamp(v) for label, v in period_starts.items()}
    hist = history.copy()
    for col in ("numerator", "denominator"):
        if col not in hist:
            hist[col] = np.nan
    series: dict[tuple[str, str], list[tuple[pd.Timestamp, float, float, float]]] = {}
    for ind, area, label, val, num, den in hist[
        ["indicator_code", "area_code", "period_label", "value", "numerator", "denominator"]
    ].itertuples(index=False):
        if label in starts and val is not None and not pd.isna(val):
            series.setdefault((ind, area), []).append(
                (starts[label], float(val), _float(num), _float(den))
            )
    for points in series.values():
        points.sort(key=lambda p: p[0])
    for rec in rows.itertuples(index=False):
        if rec.value is None or pd.isna(rec.value):
            continue
        points = series.get((rec.indicator_code, rec.area_code))
        start = starts.get(rec.period_label)
        if not points or start is None:
            continue
        before = [p for p in points if p[0] < start][-HISTORY_POINTS:]
        if len(before) < MIN_HISTORY:
            continue
        value = float(rec.value)
        old = getattr(rec, "old_value", None)
        if (
            old is not None
            and not pd.isna(old)
            and abs(value - float(old)) <= SMALL_REVISION * abs(float(old))
        ):
            continue
        small = _small_count(rec, before)
        problem = _poisson_warning(rec, *small) if small else _range_warning(rec, value, before)
        if problem is not None:
            warnings.append(problem)
    return warnings


def _float(v) -> float:
    try:
        return float(v) if v is not None else np.nan
    except (TypeError, ValueError):
        return np.nan


def _small_count(rec, before) -> tuple[float, float, int, bool] | None:
    """(count, expected, points used, is_numerator) when the Poisson rule applies."""
    recent = before[-RECENT_POINTS:]
    numerator = _float(getattr(rec, "numerator", None))
    denominator = _float(getattr(rec, "denominator", None))
    if np.isnan(numerator):
        return None
    if np.isnan(denominator):  # a count: the value is the count
        past = [v for _s, v, _n, _d in recent]
        expected, is_numerator = float(np.mean(past)), False
    else:
        ratios = [n / d for _s, _v, n, d in recent if not np.isnan(n) and d and not np.isnan(d)]
        if len(ratios) < MIN_HISTORY:
            return None
        expected, is_numerator = float(np.mean(ratios)) * denominator, True
        recent = recent[-len(ratios) :]
    if expected >= SMALL_COUNT:
        return None
    return numerator, expected, len(recent), is_numerator


def _poisson_warning(rec, count: float, expected: float, n: int, is_numerator: bool):
    if not poisson_flag(count, expected):
        return None
    side, p = poisson_tail(count, max(expected, MIN_EXPECTED))
    what = "numerator" if is_numerator else "count"
    level = (
        f"the {_fmt1(expected)} its recent rate gives at this denominator (the last {n} periods)"
        if is_numerator
        else f"its recent average ({_fmt1(expected)} over the last {n} periods)"
    )
    more = "or more" if side == "above" else "or fewer"
    return Problem(
        ref("numerator", int(rec.row)),
        f"{where_label(rec)}: the {what} {_fmt(count)} is far {side} {level}; a {what} "
        f"of {_fmt(count)} {more} would happen by chance with probability {_prob(p)} "
        f"(Poisson)",
        CHECK,
        severity=WARNING,
    )


def _range_warning(rec, value: float, before) -> Problem | None:
    earlier = np.array([v for _s, v, _n, _d in before], dtype=float)
    limits = process_limits(earlier)
    if limits is not None:
        low, high = max(limits[0], 0.0), limits[1]
        how = (
            f"its usual range ({_fmt(low)} to {_fmt(high)}, the process limits of the "
            f"last {len(earlier)} periods)"
        )
    else:
        low, high = earlier.min() / 2, earlier.max() * 2
        how = (
            f"the {len(earlier)} earlier values ({_fmt(earlier.min())} to "
            f"{_fmt(earlier.max())}): under half the lowest or over twice the highest"
        )
    if low <= value <= high:
        return None
    side = "above" if value > high else "below"
    return Problem(
        ref("numerator", int(rec.row)),
        f"{where_label(rec)}: the value {_fmt(value)} ({rec.unit}) is far {side} {how}",
        CHECK,
        severity=WARNING,
    )


def _fmt(x: float) -> str:
    x = float(x)
    if x.is_integer() and abs(x) < 1e9:
        return f"{int(x):,}"
    return f"{x:,.3g}" if abs(x) < 10 else f"{x:,.1f}"


def _fmt1(x: float) -> str:
    return f"{float(x):,.1f}"


def _prob(p: float) -> str:
    """``0.000274 -> "0.00027 (about 1 in 3,700)"``."""
    if p <= 0:
        return "0"
    one_in = 1 / p
    rounded = float(f"{one_in:.2g}")
    return f"{p:.2g} (about 1 in {int(rounded):,})"
