"""Confidence intervals for counts, rates and proportions, as the field publishes them.

The methods follow OHID's public health technical guidance and its reference
implementations (PHEindicatormethods in R, PHStatsMethods in Python):

* proportions and percentages: Wilson score interval;
* counts and crude rates: the exact (chi-squared) Poisson interval below 10 events and
  Byar's approximation from 10 events (``phe_rate``);

Every function validates its arguments first and raises :class:`ValueError` naming the
argument and the reason; none returns a silently wrong number.

Where sources disagree
----------------------
An early PHStatsMethods test (``ph_statistical_methods/tests/test_confidence_intervals.py``)
expected ``byars_lower(100, 0.95) == 99.04``; that is Byar's limit at *5%* confidence
(the package's ``byars()`` wrapper passed ``1 - confidence``). Later versions, like
PHEindicatormethods, give 81.36 for a 95% interval, and that is what we follow.
"""

from __future__ import annotations

import math
from functools import lru_cache
from numbers import Real

import numpy as np
import pandas as pd
from scipy.special import gammaincinv
from scipy.stats import norm

EXACT_BELOW = 10
"""Counts below this use the exact Poisson interval; from it, Byar's method."""

UNITS = ("count", "rate", "percentage")


# -- validation ----------------------------------------------------------------------------
def _number(name: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, Real | np.number):
        raise ValueError(f"{name} must be a number, not {x!r}")
    value = float(x)
    if math.isnan(value):
        raise ValueError(f"{name} is missing (NaN)")
    if math.isinf(value):
        raise ValueError(f"{name} must be finite, not {value}")
    return value


def _count(name: str, x: object) -> float:
    value = _number(name, x)
    if value < 0:
        raise ValueError(f"{name} must be zero or more, not {value:g}")
    return value


def _positive(name: str, x: object) -> float:
    value = _number(name, x)
    if value <= 0:
        raise ValueError(f"{name} must be greater than zero, not {value:g}")
    return value


def _confidence(confidence: object) -> float:
    value = _number("confidence", confidence)
    if not 0 < value < 1:
        raise ValueError(f"confidence must be between 0 and 1 (e.g. 0.95), not {value:g}")
    return value


@lru_cache(maxsize=16)
def _z(confidence: float) -> float:
    return float(norm.ppf(1 - (1 - confidence) / 2))


# -- intervals -----------------------------------------------------------------------------
def wilson_ci(
    numerator: float, denominator: float, confidence: float = 0.95
) -> tuple[float, float]:
    """Wilson score interval for a proportion.

    Parameters
    ----------
    numerator : float
        Cases with the characteristic (0 <= numerator <= denominator).
    denominator : float
        Cases in the sample (> 0).
    confidence : float, default 0.95
        Two-sided confidence level, between 0 and 1.

    Returns
    -------
    tuple of float
        (lower, upper) as proportions between 0 and 1.

    Raises
    ------
    ValueError
        For a negative numerator, a denominator of zero or less, a numerator above the
        denominator, NaN, or a confidence outside (0, 1).

    References
    ----------
    Wilson EB. Probable inference, the law of succession, and statistical inference.
    J Am Stat Assoc 1927;22:209-212. Newcombe RG, Altman DG. Proportions and their
    differences. In Altman DG et al. (eds), Statistics with confidence (2nd edn), BMJ
    Books 2000, pp 46-48. OHID Fingertips technical guidance, "Proportions".
    PHEindicatormethods ``wilson_lower`` / ``wilson_upper``.
    """
    o = _count("numerator", numerator)
    n = _positive("denominator", denominator)
    if o > n:
        raise ValueError(
            f"numerator ({o:g}) must not be more than the denominator ({n:g}) for a proportion"
        )
    z = _z(_confidence(confidence))
    q = 1 - o / n
    spread = z * math.sqrt(z * z + 4 * o * q)
    lower = (2 * o + z * z - spread) / (2 * (n + z * z))
    upper = (2 * o + z * z + spread) / (2 * (n + z * z))
    return max(0.0, lower), min(1.0, upper)


def exact_poisson_ci(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (chi-squared based) Poisson interval for a count.

    ``lower = chi2.ppf(alpha/2, 2*O) / 2`` (0 when O is 0) and
    ``upper = chi2.ppf(1 - alpha/2, 2*O + 2) / 2``.

    Parameters
    ----------
    count : float
        Observed events (>= 0).
    confidence : float, default 0.95
        Two-sided confidence level, between 0 and 1.

    Returns
    -------
    tuple of float
        (lower, upper) limits for the count.

    References
    ----------
    Armitage P, Berry G, Matthews JNS. Statistical methods in medical research (4th edn).
    Blackwell 2002. Garwood F. Fiducial limits for the Poisson distribution. Biometrika
    1936;28:437-442. PHEindicatormethods ``phe_rate`` (numerators below 10).
    """
    return _exact_poisson(_count("count", count), 1 - _confidence(confidence))


@lru_cache(maxsize=4096)
def _exact_poisson(o: float, alpha: float) -> tuple[float, float]:
    # chi2.ppf(p, 2k) / 2 is gammaincinv(k, p) (scipy's chi2._ppf is 2 * gammaincinv(df/2,
    # p)): the same number without scipy.stats' per-call argument handling
    lower = 0.0 if o == 0 else float(gammaincinv(o, alpha / 2))
    upper = float(gammaincinv(o + 1, 1 - alpha / 2))
    return lower, upper


def byars_ci(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson interval for a count.

    ``lower = O (1 - 1/(9O) - z/(3 sqrt(O)))^3`` and
    ``upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3``.

    Byar's method is within 0.2% of the exact interval from 10 events (95% level); use
    :func:`rate_ci`, which switches to :func:`exact_poisson_ci` below 10, unless you need
    Byar's limits themselves. A count of 0 has a lower limit of 0.

    Parameters
    ----------
    count : float
        Observed events (>= 0).
    confidence : float, default 0.95
        Two-sided confidence level, between 0 and 1.

    Returns
    -------
    tuple of float
        (lower, upper) limits for the count.

    Raises
    ------
    ValueError
        For bad arguments, or when the count is so small for the confidence level that
        Byar's lower limit would be negative (PHEindicatormethods raises here too).

    References
    ----------
    Breslow NE, Day NE. Statistical methods in cancer research, volume II: the design and
    analysis of cohort studies. Lyon: IARC; 1987. PHEindicatormethods ``byars_lower`` /
    ``byars_upper``.
    """
    o = _count("count", count)
    z = _z(_confidence(confidence))
    if o == 0:
        lower = 0.0
    else:
        lower = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
        if lower < 0 or (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) < 0:
            raise ValueError(
                f"count ({o:g}) is too small for Byar's method at "
                f"{confidence:.1%} confidence; use exact_poisson_ci"
            )
    u = o + 1
    upper = u * (1 - 1 / (9 * u) + z / (3 * math.sqrt(u))) ** 3
    return lower, upper


def count_ci(count: float, confidence: float = 0.95) -> tuple[float, float]:
    """Interval for a count: exact Poisson below 10 events, Byar's from 10.

    References
    ----------
    PHEindicatormethods ``phe_rate`` (the same switch, applied to the count itself).
    """
    return _count_ci(_count("count", count), _confidence(confidence))


@lru_cache(maxsize=4096)
def _count_ci(o: float, confidence: float) -> tuple[float, float]:
    # counts repeat: the recent trend asks for each point's limits once per later period
    return exact_poisson_ci(o, confidence) if o < EXACT_BELOW else byars_ci(o, confidence)


def rate_ci(
    numerator: float, denominator: float, multiplier: float, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Crude rate with its confidence interval, as ``phe_rate``.

    The rate is ``numerator / denominator * multiplier``; the interval is the exact Poisson
    interval below 10 events and Byar's from 10, divided by the denominator.

    Parameters
    ----------
    numerator : float
        Events (>= 0).
    denominator : float
        Population or person-time (> 0).
    multiplier : float
        Rate per ``multiplier`` (e.g. 1,000), > 0.
    confidence : float, default 0.95
        Two-sided confidence level.

    Returns
    -------
    tuple of float
        (value, lower, upper) per ``multiplier``.

    References
    ----------
    PHEindicatormethods ``phe_rate``; OHID Fingertips technical guidance, "Crude rates".
    """
    o = _count("numerator", numerator)
    n = _positive("denominator", denominator)
    m = _positive("multiplier", multiplier)
    lower, upper = count_ci(o, confidence)
    return o / n * m, lower / n * m, upper / n * m


def proportion_ci(
    numerator: float, denominator: float, multiplier: float = 100, confidence: float = 0.95
) -> tuple[float, float, float]:
    """Proportion with its Wilson score interval, scaled by ``multiplier``.

    Parameters
    ----------
    numerator, denominator : float
        As :func:`wilson_ci`.
    multiplier : float, default 100
        100 gives a percentage; 1 a proportion.
    confidence : float, default 0.95
        Two-sided confidence level.

    Returns
    -------
    tuple of float
        (value, lower, upper), each times ``multiplier``.

    References
    ----------
    PHEindicatormethods ``phe_proportion``; Wilson (1927); Newcombe and Altman (2000).
    """
    m = _positive("multiplier", multiplier)
    lower, upper = wilson_ci(numerator, denominator, confidence)
    return float(numerator) / float(denominator) * m, lower * m, upper * m


# -- a DataFrame helper --------------------------------------------------------------------
def _row_ci(num, den, unit: str, multiplier: float, confidence: float):
    """(value, lower, upper, note) for one row; NaNs and a reason when not calculable."""
    nan = float("nan")
    if num is None or pd.isna(num):
        return nan, nan, nan, "numerator is missing"
    if num < 0:
        return nan, nan, nan, "numerator is negative"
    if unit == "count":
        lower, upper = count_ci(num, confidence)
        return float(num), lower, upper, ""
    if den is None or pd.isna(den):
        return nan, nan, nan, "denominator is missing"
    if den <= 0:
        return nan, nan, nan, "denominator is zero or negative"
    if unit == "rate":
        return (*rate_ci(num, den, multiplier, confidence), "")
    if num > den:
        return nan, nan, nan, "numerator is more than the denominator"
    return (*proportion_ci(num, den, multiplier, confidence), "")


def add_ci(
    df: pd.DataFrame, unit: str, multiplier: float, confidence: float = 0.95
) -> pd.DataFrame:
    """Add value, lower, upper and ci_note columns to a copy of ``df``.

    Parameters
    ----------
    df : pandas.DataFrame
        With columns ``numerator`` and (for rates and percentages) ``denominator``.
    unit : {"count", "rate", "percentage"}
        ``count``: the value is the numerator and the interval is on the count itself
        (exact Poisson below 10, Byar's from 10). ``rate``: :func:`rate_ci`.
        ``percentage``: :func:`proportion_ci` (Wilson).
    multiplier : float
        Rate per ``multiplier``, or 100 for a percentage (ignored for counts).
    confidence : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        A copy with ``value``, ``lower``, ``upper`` and ``ci_note``. Rows that cannot be
        calculated (missing or negative numerator, denominator missing or zero, numerator
        above the denominator of a percentage) get NaN and a ``ci_note`` saying why; other
        rows get an empty note.

    References
    ----------
    PHEindicatormethods ``phe_rate`` and ``phe_proportion``.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    if "numerator" not in df.columns:
        raise ValueError("df needs a 'numerator' column")
    if unit != "count" and "denominator" not in df.columns:
        raise ValueError(f"df needs a 'denominator' column for unit {unit!r}")
    if unit != "count":
        _positive("multiplier", multiplier)
    _confidence(confidence)
    dens = df["denominator"] if "denominator" in df.columns else [None] * len(df)
    rows = [
        _row_ci(num, den, unit, float(multiplier), confidence)
        for num, den in zip(df["numerator"], dens, strict=True)
    ]
    out = df.copy()
    out["value"] = [r[0] for r in rows]
    out["lower"] = [r[1] for r in rows]
    out["upper"] = [r[2] for r in rows]
    out["ci_note"] = [r[3] for r in rows]
    return out
