"""Recent trend over the latest points, by the method of Fingertips' trend markers.

Fingertips tests the most recent five points of a series (``TrendMarkerCalculator``):

Proportions (and percentages)
    The chi-squared test for linear trend in proportions (Armitage 1955; the same statistic
    as R's ``prop.trend.test``), with time scores t = 1..k::

        chi2 = N (N sum(O_t t) - O sum(n_t t))^2 / (O (N - O) (N sum(n_t t^2) - (sum(n_t t))^2))

    where O_t and n_t are the numerators and denominators and O, N their sums.

Rates and counts (every other value type)
    A weighted least-squares slope of the values on t, each weighted by 1/SE^2 with SE =
    (upper 95% limit - lower 95% limit) / 3.92, and chi2 = (slope / SE(slope))^2. The
    limits are those of :mod:`csa.stats` (exact Poisson below 10 events, Byar's from 10).

Both have one degree of freedom. Fingertips also guards against a single outlying point:
the slope must keep its sign when each point is left out in turn (for proportions the
unweighted slope of the log-odds; for other types the weighted slope); otherwise the trend
is not called.

Where this differs from Fingertips
----------------------------------
Fingertips calls a trend at the 99.8% level (chi2 > 9.5495); this project's default
``confidence`` is 0.95 (p < 0.05), as its brief asks; pass ``confidence=0.998`` for
Fingertips' threshold. Fingertips only tests annual data; we apply the same test to the
latest points of monthly or quarterly series, which ignores seasonality and
autocorrelation, so read it as a screening flag, not a formal analysis.

References
----------
Armitage P. Tests for linear trends in proportions and frequencies. Biometrics
1955;11:375-386. OHID Fingertips technical guidance, "Trend markers". ukhsa-collaboration/
fingertips-open, PholioVisualisation.Analysis/TrendMarkers/TrendMarkerCalculator.cs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from numbers import Real

import numpy as np
from scipy.special import chdtrc

from csa import stats

MIN_POINTS = 5
POLARITIES = ("low_is_good", "high_is_good", "no_judgement")
UNITS = ("count", "rate", "percentage")
CI_WIDTH_IN_SE = 3.92  # Fingertips: SE = (UCI95 - LCI95) / 3.92

METHOD_PROPORTION = (
    "Chi-squared test for linear trend in proportions (Armitage) over the "
    "latest {k} points, as Fingertips' recent-trend markers"
)
METHOD_RATE = (
    "Weighted regression of the latest {k} values on time, weights from their 95% "
    "confidence intervals, chi-squared test of the slope, as Fingertips' "
    "recent-trend markers"
)


@dataclass(frozen=True)
class TrendTest:
    """The statistic behind a trend: chi-squared (1 df), its p-value and the slope."""

    chi_squared: float
    p_value: float
    slope: float
    consistent: bool  # the slope keeps its sign when any one point is left out


@dataclass(frozen=True)
class TrendResult:
    direction: str  # increasing | decreasing | no significant change | cannot be calculated
    judgement: str  # getting better | getting worse | no significant change | no judgement
    #                 | cannot be calculated
    p_value: float | None
    n_points: int
    method: str
    message: str
    chi_squared: float | None = None
    slope: float | None = None


# -- the two tests -------------------------------------------------------------------------
def _numbers(name: str, xs: Sequence[float]) -> np.ndarray:
    out = []
    for i, x in enumerate(xs):
        if (
            isinstance(x, bool)
            or not isinstance(x, Real | np.number)
            or not math.isfinite(float(x))
        ):
            raise ValueError(f"{name}[{i}] must be a finite number, not {x!r}")
        out.append(float(x))
    return np.asarray(out, dtype=float)


def _ols_slope(t: np.ndarray, y: np.ndarray) -> float:
    tc = t - t.mean()
    return float((tc * (y - y.mean())).sum() / (tc * tc).sum())


def _wls(t: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    s1, s2, s3 = w.sum(), (w * y * t).sum(), (w * t).sum()
    s4, s5 = (w * y).sum(), (w * t * t).sum()
    det = s1 * s5 - s3**2
    return float((s1 * s2 - s3 * s4) / det), float(math.sqrt(s1 / det))


def _chi2_sf(statistic: float) -> float:
    """P(chi-squared on 1 df > statistic): scipy.stats.chi2.sf(statistic, 1), whose
    ``_sf`` is ``chdtrc``, without scipy.stats' per-call argument handling."""
    return float(chdtrc(1, statistic))


@lru_cache(maxsize=64)
def _leave_one_out(n: int) -> tuple[np.ndarray, ...]:
    """For each of n positions, the indices of the others (``np.delete(x, i)`` is
    ``x[_leave_one_out(n)[i]]``)."""
    return tuple(np.delete(np.arange(n), i) for i in range(n))


def _consistent(slopes: list[float]) -> bool:
    # Fingertips counts a slope of exactly 0 as positive.
    signs = [-1 if s < 0 else 1 for s in slopes]
    return abs(sum(signs)) == len(signs)


def chi_squared_trend_proportions(
    numerators: Sequence[float], denominators: Sequence[float]
) -> TrendTest:
    """Chi-squared test for linear trend in proportions over equally spaced periods.

    Parameters
    ----------
    numerators, denominators : sequence of float
        At least 3 periods, oldest first; 0 < numerator < denominator in every period
        (the leave-one-out check uses log-odds).

    Returns
    -------
    TrendTest
        ``slope`` is the weighted slope of the proportions on time (its sign is the
        direction); ``consistent`` is Fingertips' leave-one-out check on the log-odds.

    References
    ----------
    Armitage P. Biometrics 1955;11:375-386. R ``stats::prop.trend.test``. Fingertips
    ``TrendMarkerCalculator.IsSignificantForProportions``.
    """
    o = _numbers("numerators", numerators)
    n = _numbers("denominators", denominators)
    if len(o) != len(n):
        raise ValueError(f"numerators ({len(o)}) and denominators ({len(n)}) differ in length")
    if len(o) < 3:
        raise ValueError(f"a test for trend needs at least 3 points, not {len(o)}")
    if (n <= 0).any():
        raise ValueError("denominators must be greater than zero")
    if (o < 0).any() or (o > n).any():
        raise ValueError("numerators must be between zero and their denominators")
    if ((o == 0) | (o == n)).any():
        raise ValueError(
            "a proportion of 0% or 100% has no log-odds, so Fingertips' "
            "trend test cannot be calculated"
        )
    return _proportions_test(o, n)


def _proportions_test(o: np.ndarray, n: np.ndarray) -> TrendTest:
    """:func:`chi_squared_trend_proportions` of arguments already checked."""
    t = np.arange(1.0, len(o) + 1)
    big_n, big_o = n.sum(), o.sum()
    score = big_n * (o * t).sum() - big_o * (n * t).sum()
    statistic = float(
        big_n
        * score**2
        / (big_o * (big_n - big_o) * (big_n * (n * t * t).sum() - (n * t).sum() ** 2))
    )
    logit = np.log(o / (n - o))
    slopes = [_ols_slope(t, logit)] + [_ols_slope(t[k], logit[k]) for k in _leave_one_out(len(o))]
    p = o / n
    slope = _wls(t, p, n)[0]
    return TrendTest(statistic, _chi2_sf(statistic), slope, _consistent(slopes))


def weighted_trend_test(
    values: Sequence[float], lowers: Sequence[float], uppers: Sequence[float]
) -> TrendTest:
    """Weighted least-squares test for a linear trend in values with 95% limits.

    Each value is weighted by 1/SE^2 with SE = (upper - lower) / 3.92; chi2 is
    (slope / SE(slope))^2 on 1 degree of freedom.

    References
    ----------
    Fingertips ``TrendMarkerCalculator.IsSignificant`` (all value types other than
    proportions).
    """
    y = _numbers("values", values)
    lo = _numbers("lowers", lowers)
    hi = _numbers("uppers", uppers)
    if not len(y) == len(lo) == len(hi):
        raise ValueError("values, lowers and uppers must have the same length")
    if len(y) < 3:
        raise ValueError(f"a test for trend needs at least 3 points, not {len(y)}")
    return _weighted_test(y, lo, hi)


def _weighted_test(y: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> TrendTest:
    """:func:`weighted_trend_test` of finite arrays of the same length (3 or more)."""
    width = hi - lo
    if (width <= 0).any():
        raise ValueError("every confidence interval must have upper above lower")
    w = 1 / (width / CI_WIDTH_IN_SE) ** 2
    t = np.arange(1.0, len(y) + 1)
    slope, se = _wls(t, y, w)
    slopes = [slope] + [_wls(t[k], y[k], w[k])[0] for k in _leave_one_out(len(y))]
    statistic = (slope / se) ** 2
    return TrendTest(statistic, _chi2_sf(statistic), slope, _consistent(slopes))


# -- the recent trend ----------------------------------------------------------------------
def _cannot(n: int, method: str, why: str) -> TrendResult:
    return TrendResult("cannot be calculated", "cannot be calculated", None, n, method, why)


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, Real | np.number) and math.isnan(float(x)))


def recent_trend(
    numerators: Sequence[float],
    denominators: Sequence[float] | None = None,
    unit: str = "rate",
    n_points: int = 5,
    polarity: str = "low_is_good",
    confidence: float = 0.95,
) -> TrendResult:
    """Is the series significantly increasing or decreasing over its latest points?

    Parameters
    ----------
    numerators : sequence of float
        Oldest first; counts for ``unit="count"``.
    denominators : sequence of float, optional
        Needed for rates and percentages.
    unit : {"count", "rate", "percentage"}, default "rate"
    n_points : int, default 5
        How many of the latest points to test (at least 5).
    polarity : {"low_is_good", "high_is_good", "no_judgement"}
    confidence : float, default 0.95
        A trend is called when p < 1 - confidence and the slope is consistent.

    Returns
    -------
    TrendResult
        "cannot be calculated" (with a message) when there are fewer than ``n_points``
        points, a latest point is missing, or a percentage is 0% or 100%.

    Raises
    ------
    ValueError
        For bad arguments: unknown unit or polarity, negative numerators, denominators of
        zero or less, a numerator above its denominator for a percentage.

    References
    ----------
    Fingertips ``TrendMarkerCalculator``; Armitage (1955). See the module docstring.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")
    if isinstance(n_points, bool) or not isinstance(n_points, int) or n_points < MIN_POINTS:
        raise ValueError(
            f"n_points must be a whole number of at least {MIN_POINTS}, not {n_points!r}"
        )
    if not 0 < float(confidence) < 1:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    if unit != "count" and denominators is None:
        raise ValueError(f"denominators are needed for a {unit} trend")
    if denominators is not None and len(denominators) != len(numerators):
        raise ValueError(
            f"numerators ({len(numerators)}) and denominators "
            f"({len(denominators)}) differ in length"
        )
    method = (METHOD_PROPORTION if unit == "percentage" else METHOD_RATE).format(k=n_points)
    if len(numerators) < n_points:
        return _cannot(
            len(numerators),
            method,
            f"A recent trend needs {n_points} points; this series has {len(numerators)}.",
        )
    nums = list(numerators)[-n_points:]
    dens = None if denominators is None or unit == "count" else list(denominators)[-n_points:]
    if any(_missing(x) for x in nums) or (dens is not None and any(_missing(d) for d in dens)):
        return _cannot(n_points, method, f"One of the latest {n_points} points is missing.")
    o = _numbers("numerators", nums)
    if (o < 0).any():
        raise ValueError("numerators must be zero or more")
    if dens is not None:
        n = _numbers("denominators", dens)
        if (n <= 0).any():
            raise ValueError("denominators must be greater than zero")
    if unit == "percentage":
        if (o > n).any():
            raise ValueError("a numerator is more than its denominator for a percentage")
        if ((o == 0) | (o == n)).any():
            return _cannot(
                n_points,
                method,
                "A percentage of 0% or 100% among the latest "
                "points has no log-odds, so the trend cannot be calculated.",
            )
        test = _proportions_test(o, n)
    else:
        cis = [stats.count_ci(x) for x in o]
        scale = np.ones_like(o) if dens is None else n
        test = _weighted_test(
            o / scale,
            np.array([c[0] for c in cis]) / scale,
            np.array([c[1] for c in cis]) / scale,
        )
    significant = test.p_value < 1 - float(confidence) and test.consistent
    base = {
        "p_value": test.p_value,
        "n_points": n_points,
        "method": method,
        "chi_squared": test.chi_squared,
        "slope": test.slope,
    }
    if not significant:
        why = (
            " (the direction depends on a single point)"
            if test.p_value < 1 - float(confidence)
            else f" (p = {test.p_value:.3f})"
        )
        return TrendResult(
            "no significant change",
            "no significant change",
            message=f"No significant change over the latest {n_points} points{why}.",
            **base,
        )
    direction = "increasing" if test.slope > 0 else "decreasing"
    if polarity == "no_judgement":
        judgement = "no judgement"
    else:
        judgement = (
            "getting better"
            if (direction == "increasing") == (polarity == "high_is_good")
            else "getting worse"
        )
    words = "" if judgement == "no judgement" else f", {judgement}"
    return TrendResult(
        direction,
        judgement,
        message=f"Significantly {direction} over the latest {n_points} points"
        f"{words} (p = {test.p_value:.3g}).",
        **base,
    )
