"""Targets: resolving a target rule to a number, judging a figure against it, and the
year to date with a year-end forecast.

Target status
-------------
On track when the figure meets the target in the good direction (at or below it when low
is good, at or above it when high is good); at risk when it misses by no more than
``tolerance_pct`` percent of the target; off track beyond that. "no judgement" for
indicators without a polarity, "no target" without a target.

Year to date
------------
Counts: the sum of the periods so far. Rates and percentages: the sum of the numerators
over the sum of the denominators, times the multiplier, never an average of the periods'
rates (which would weight a small period like a large one).

References
----------
OHID Fingertips technical guidance, "Crude rates" and "Proportions": a rate or proportion
for a combined group is calculated from the summed numerators and denominators. The amber
tolerance is this project's convention (``default_tolerance_pct`` in config.toml).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np

from csa import formatting

TARGET_TYPES = ("fixed", "change_vs_baseline", "benchmark")
POLARITIES = ("low_is_good", "high_is_good", "no_judgement")
UNITS = ("count", "rate", "percentage")


@dataclass(frozen=True)
class TargetStatus:
    status: str  # on track | at risk | off track | no target | no judgement
    gap: float | None  # value - target
    gap_pct: float | None  # gap as a percentage of the target's size
    message: str


@dataclass(frozen=True)
class YearToDate:
    value: float  # the year-to-date figure
    numerator: float
    denominator: float | None
    periods_elapsed: int
    periods_in_year: int
    unit: str
    method: str


@dataclass(frozen=True)
class Forecast:
    value: float  # the forecast for the whole year
    year_to_date: float
    periods_elapsed: int
    periods_in_year: int
    method: str


def _number(name: str, x: object) -> float:
    if isinstance(x, bool) or not isinstance(x, Real | np.number):
        raise ValueError(f"{name} must be a number, not {x!r}")
    value = float(x)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, not {value}")
    return value


def fmt_number(x: float) -> str:
    """Thousands separators; whole numbers without decimals, others to 2 significant
    decimals at most (1,450 / 12.5 / 0.35 / 1,234.6)."""
    if float(x).is_integer():
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


# -- target rules --------------------------------------------------------------------------
def resolve_target(
    target_type: str,
    target_value: float,
    baseline_value: float | None = None,
    benchmark_value: float | None = None,
) -> float | None:
    """The target figure a rule stands for.

    Parameters
    ----------
    target_type : {"fixed", "change_vs_baseline", "benchmark"}
        ``fixed``: ``target_value`` is the target. ``change_vs_baseline``:
        ``target_value`` is a percentage change on ``baseline_value`` (-10 means 10% below
        the baseline). ``benchmark``: ``target_value`` is the percentage difference allowed
        from ``benchmark_value`` (0 means at least as good as the benchmark; +5 allows 5%
        above it, -5 requires 5% below it).
    target_value : float
    baseline_value, benchmark_value : float, optional
        Needed by the matching target type.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For an unknown type, a missing or non-finite input the type needs.

    Notes
    -----
    Percentage change: target = reference x (1 + target_value / 100), for both
    ``change_vs_baseline`` and ``benchmark``.

    References
    ----------
    OHID Fingertips, "Benchmarking against a goal" (a target set relative to a reference
    value), as configured per indicator in this project's targets table.
    """
    if target_type not in TARGET_TYPES:
        raise ValueError(
            f"target_type must be one of {', '.join(TARGET_TYPES)}, not {target_type!r}"
        )
    t = _number("target_value", target_value)
    if target_type == "fixed":
        return t
    if target_type == "change_vs_baseline":
        if baseline_value is None:
            raise ValueError("baseline_value is needed for a change_vs_baseline target")
        return _number("baseline_value", baseline_value) * (1 + t / 100)
    if benchmark_value is None:
        raise ValueError("benchmark_value is needed for a benchmark target")
    return _number("benchmark_value", benchmark_value) * (1 + t / 100)


def _gap_words(value: float, target: float, unit: str) -> str:
    """How far a figure is from its target, in :mod:`csa.formatting`'s one convention:
    percentage points between percentages, a relative % otherwise."""
    gap = value - target
    if gap == 0:
        return f"on the target of {formatting.figure(target, unit)}"
    where = "above" if gap > 0 else "below"
    return (
        f"{formatting.difference(value, target, unit)} {where} the target of "
        f"{formatting.figure(target, unit)}"
    )


def target_status(
    value: float, target: float | None, polarity: str, tolerance_pct: float, unit: str = "count"
) -> TargetStatus:
    """Judge a figure against its target.

    Parameters
    ----------
    value : float
        The figure.
    target : float or None
        None gives status "no target".
    polarity : {"low_is_good", "high_is_good", "no_judgement"}
    tolerance_pct : float
        The amber band, as a percentage of the target (>= 0).
    unit : {"count", "rate", "percentage"}, default "count"
        How the message words the gap (:func:`csa.formatting.difference`).

    Returns
    -------
    TargetStatus
        ``gap`` is value - target; ``gap_pct`` the gap as a percentage of the target's
        size (None when the target is 0); ``message`` e.g. "12.0% above the target of
        1,450".

    References
    ----------
    This project's RAG convention: green when the target is met, amber when missed by no
    more than the tolerance, red beyond it (``default_tolerance_pct`` in config.toml).
    """
    v = _number("value", value)
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")
    tol = _number("tolerance_pct", tolerance_pct)
    if tol < 0:
        raise ValueError(f"tolerance_pct must be zero or more, not {tol:g}")
    if target is None:
        return TargetStatus("no target", None, None, "no target set")
    t = _number("target", target)
    gap = v - t
    gap_pct = None if t == 0 else gap / abs(t) * 100
    words = _gap_words(v, t, unit)
    if polarity == "no_judgement":
        return TargetStatus("no judgement", gap, gap_pct, words)
    met = gap <= 0 if polarity == "low_is_good" else gap >= 0
    if met:
        status = "on track"
    elif abs(gap) <= tol / 100 * abs(t):
        status = "at risk"
    else:
        status = "off track"
    return TargetStatus(status, gap, gap_pct, words)


# -- year to date --------------------------------------------------------------------------
def _periods(periods_in_year: int, periods_elapsed: int) -> None:
    for name, k in (("periods_in_year", periods_in_year), ("periods_elapsed", periods_elapsed)):
        if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, not {k!r}")
    if periods_elapsed > periods_in_year:
        raise ValueError(
            f"periods_elapsed ({periods_elapsed}) is more than periods_in_year ({periods_in_year})"
        )


def _series(name: str, xs: Sequence[float] | None, k: int) -> list[float] | None:
    if xs is None:
        return None
    out = [_number(f"{name}[{i}]", x) for i, x in enumerate(xs)]
    if len(out) != k:
        raise ValueError(f"{name} has {len(out)} entries but periods_elapsed is {k}")
    return out


def year_to_date(
    values: Sequence[float] | None,
    numerators: Sequence[float] | None,
    denominators: Sequence[float] | None,
    unit: str,
    periods_in_year: int,
    periods_elapsed: int,
    *,
    multiplier: float | None = None,
) -> YearToDate:
    """The year-to-date figure from the periods so far.

    Parameters
    ----------
    values : sequence of float or None
        The periods' figures; for counts these are summed when ``numerators`` is None.
    numerators, denominators : sequence of float or None
        One per elapsed period. Rates and percentages need both.
    unit : {"count", "rate", "percentage"}
    periods_in_year, periods_elapsed : int
        E.g. 4 and 2 for two quarters of a financial year.
    multiplier : float, optional
        Rate per ``multiplier``; required for rates, 100 by default for percentages.

    Returns
    -------
    YearToDate
        Counts: the sum so far. Rates and percentages: sum(numerators) /
        sum(denominators) x multiplier (never an average of rates).

    References
    ----------
    OHID Fingertips technical guidance, "Crude rates" and "Proportions" (summed numerators
    over summed denominators).
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    _periods(periods_in_year, periods_elapsed)
    k = periods_elapsed
    nums = _series("numerators", numerators, k)
    if unit == "count":
        counts = nums if nums is not None else _series("values", values, k)
        if counts is None:
            raise ValueError("a count year to date needs values or numerators")
        if any(c < 0 for c in counts):
            raise ValueError("counts must be zero or more")
        total = math.fsum(counts)
        return YearToDate(
            total, total, None, k, periods_in_year, unit, f"Sum of the {k} period(s) so far."
        )
    dens = _series("denominators", denominators, k)
    if nums is None or dens is None:
        raise ValueError(
            f"a {unit} year to date needs numerators and denominators for every period so far"
        )
    if any(x < 0 for x in nums):
        raise ValueError("numerators must be zero or more")
    if any(d <= 0 for d in dens):
        raise ValueError("denominators must be greater than zero")
    if unit == "percentage" and any(x > d for x, d in zip(nums, dens, strict=True)):
        raise ValueError("a numerator is more than its denominator for a percentage")
    if multiplier is None:
        if unit == "rate":
            raise ValueError("multiplier is needed for a rate (e.g. 1000 for per 1,000)")
        multiplier = 100.0
    m = _number("multiplier", multiplier)
    if m <= 0:
        raise ValueError(f"multiplier must be greater than zero, not {m:g}")
    num, den = math.fsum(nums), math.fsum(dens)
    return YearToDate(
        num / den * m,
        num,
        den,
        k,
        periods_in_year,
        unit,
        f"Sum of numerators over sum of denominators for the {k} period(s) so "
        f"far, x {fmt_number(m)}.",
    )


def forecast_year_end(
    values: Sequence[float] | None,
    numerators: Sequence[float] | None,
    denominators: Sequence[float] | None,
    unit: str,
    periods_in_year: int,
    periods_elapsed: int,
    *,
    multiplier: float | None = None,
    previous_year: Sequence[float] | None = None,
) -> Forecast:
    """A forecast of the whole year's figure from the year to date.

    Counts: a straight-line projection, YTD / periods_elapsed x periods_in_year. With
    ``previous_year`` (last year's count for each of its ``periods_in_year`` periods) the
    projection is seasonally adjusted: YTD / (last year's share of its total that fell in
    the same periods), i.e. this year is assumed to follow last year's seasonal pattern.
    Rates and percentages: the year-to-date rate (sum of numerators over sum of
    denominators), since a rate does not accumulate.

    Returns
    -------
    Forecast
        With ``method`` in plain words.

    References
    ----------
    Hyndman RJ, Athanasopoulos G. Forecasting: principles and practice (3rd edn, 2021),
    section 5.2, "Some simple forecasting methods" (drift and seasonal naive methods, of
    which these are the cumulative, year-total forms).
    """
    ytd = year_to_date(
        values,
        numerators,
        denominators,
        unit,
        periods_in_year,
        periods_elapsed,
        multiplier=multiplier,
    )
    k, total_periods = periods_elapsed, periods_in_year
    if unit != "count":
        return Forecast(
            ytd.value,
            ytd.value,
            k,
            total_periods,
            "The year-to-date figure: a rate or percentage does not accumulate, "
            "so the year so far is the best estimate of the whole year.",
        )
    if previous_year is None:
        return Forecast(
            ytd.value / k * total_periods,
            ytd.value,
            k,
            total_periods,
            f"Straight-line projection: the year to date divided by {k} and "
            f"multiplied by {total_periods} periods.",
        )
    last = _series("previous_year", previous_year, total_periods)
    assert last is not None
    if any(x < 0 for x in last):
        raise ValueError("previous_year counts must be zero or more")
    share = math.fsum(last[:k]) / math.fsum(last) if math.fsum(last) > 0 else 0.0
    if share <= 0:
        raise ValueError(
            "previous_year has no events in the same periods, so its seasonal share cannot be used"
        )
    return Forecast(
        ytd.value / share,
        ytd.value,
        k,
        total_periods,
        f"Seasonally adjusted projection: the year to date divided by last "
        f"year's share ({share:.1%}) of its total in the same {k} period(s).",
    )
