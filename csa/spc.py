"""Statistical process control: XmR charts with NHS England's Making Data Count rules.

Limits
------
mean = the mean of the points the limits are calculated from; sigma = mean moving range /
1.128 (d2 for ranges of two points); process limits = mean +/- 3 sigma; two-sigma lines =
mean +/- 2 sigma. Moving ranges are not screened for outliers. Limits, icons and assurance
are given from 13 points (``MIN_POINTS``); below that the per-point fields are empty tuples
and ``message`` says why. ``baseline=N`` fixes the mean and limits on the first N points of
each phase; ``rephase_at`` starts a new phase (own mean and limits) at given positions, e.g.
a crime-recording change. Moving ranges never cross a phase boundary and every rule is
evaluated within a phase.

Special-cause rules (a point is special cause when any fires)
-------------------------------------------------------------
``outside_limits``  a point above the upper or below the lower process limit (strictly).
``shift``           ``run_length`` (default 6) or more consecutive points on the same side of
                    the mean; a point on the mean breaks the run; every point of the run is
                    flagged.
``trend``           ``run_length`` or more consecutive *points* each strictly higher (or
                    each strictly lower) than the one before, i.e. ``run_length - 1``
                    consecutive steps; a repeated value breaks the run; every point of the
                    run is flagged. Making Data Count: "6 or more consecutive points all
                    increasing or decreasing"; NHSRplotthedots counts points too (its older
                    ``ptd_seven_point_trend(1:7)`` flags 7 points, 6 steps).
``two_of_three``    two or three of three consecutive points beyond two sigma (but not
                    beyond three sigma) with all three points on the same side of the mean;
                    only the points beyond two sigma are flagged, as NHSRplotthedots
                    ``ptd_two_in_three`` / ``ptd_part_of_two_in_three``.

Each rule has a direction: up for points above the mean (``outside_limits``, ``shift``,
``two_of_three``) or a rising ``trend``; down otherwise. With ``improvement="increase"`` up
is improvement and down is concern ("decrease" the opposite); with "neither" every special
cause point is "neither". Where a point is flagged both ways, improvement wins.

Assurance uses the latest phase's limits: for "increase" a target at or below the lower
limit will consistently be met ("pass"), at or above the upper limit consistently missed
("fail"), otherwise "hit_or_miss"; mirrored for "decrease"; None without a target, for
"neither", or without limits.

Where sources differ
--------------------
* Constant: NHSRplotthedots uses limits of mean +/- 2.66 x mean moving range; 2.66 is
  3/1.128 = 2.6596 rounded, so its limits are up to 0.015% wider. We use 1.128 exactly.
* Run length: NHSRplotthedots before v0.2 used runs of 7; Making Data Count's current
  guidance and this module use 6 (``run_length`` can be set).
* Classification: NHSRplotthedots labels every special-cause point by its side of the mean,
  even a point flagged only by a trend; we label a trend point by the trend's direction,
  so a rising run below the mean is improvement when higher is better. The two agree for
  every other rule.
* Outliers: NHSRplotthedots by default drops moving ranges above 3.267 x their mean before
  calculating limits ("screen_outliers"); Making Data Count's XmR does not and neither do we.
* Assurance at a limit: NHSRplotthedots uses strict comparisons; we count a target exactly
  on a limit as consistently met or missed, as the brief for this project states.
* Minimum points: NHSRplotthedots warns under 12 points; we show nothing under 13.

References
----------
NHS England. Making Data Count: Strengthening your decisions (2019) and Making Data Count:
Getting started (2019). Wheeler DJ. Understanding Variation (2nd edn). SPC Press 2000.
NHSRplotthedots (nhs-r-community), R/ptd_spc_standard.R and R/ptd_calculate_point_type.R.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

MIN_POINTS = 13
D2 = 1.128
IMPROVEMENTS = ("increase", "decrease", "neither")
RULES = ("outside_limits", "shift", "trend", "two_of_three")


@dataclass(frozen=True)
class XmrResult:
    """An XmR chart: per-point limits and classes, and the latest point's icons.

    Per-point fields (``mean`` to ``phases``) have one entry per value when
    ``enough_points`` is true and are empty tuples otherwise.
    """

    values: tuple[float, ...]
    improvement: str
    enough_points: bool
    message: str
    min_points: int = MIN_POINTS
    run_length: int = 6
    target: float | None = None
    mean: tuple[float, ...] = ()
    sigma: tuple[float, ...] = ()
    upper_process_limit: tuple[float, ...] = ()
    lower_process_limit: tuple[float, ...] = ()
    upper_two_sigma: tuple[float, ...] = ()
    lower_two_sigma: tuple[float, ...] = ()
    point_classes: tuple[str, ...] = ()
    rules: tuple[tuple[str, ...], ...] = ()
    phases: tuple[int, ...] = ()
    variation: str | None = None
    assurance: str | None = None


# -- validation ------------------------------------------------------------------------------
def _validate(values, improvement, target, run_length, baseline, rephase_at):
    vals = []
    for i, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, Real | np.number):
            raise ValueError(f"values[{i}] must be a number, not {v!r}")
        if not math.isfinite(float(v)):
            raise ValueError(
                f"values[{i}] is {float(v)}; SPC needs a complete series of finite numbers"
            )
        vals.append(float(v))
    if improvement not in IMPROVEMENTS:
        raise ValueError(
            f"improvement must be one of {', '.join(IMPROVEMENTS)}, not {improvement!r}"
        )
    if target is not None and (
        not isinstance(target, Real | np.number) or not math.isfinite(float(target))
    ):
        raise ValueError(f"target must be a finite number or None, not {target!r}")
    if isinstance(run_length, bool) or not isinstance(run_length, int) or run_length < 2:
        raise ValueError(f"run_length must be a whole number of at least 2, not {run_length!r}")
    if baseline is not None and (
        isinstance(baseline, bool) or not isinstance(baseline, int) or baseline < 2
    ):
        raise ValueError(f"baseline must be a whole number of points, at least 2, not {baseline!r}")
    if baseline is not None and baseline > len(vals):
        raise ValueError(f"baseline ({baseline}) is longer than the series ({len(vals)} points)")
    starts = set()
    for r in rephase_at:
        if isinstance(r, bool) or not isinstance(r, int | np.integer):
            raise ValueError(f"rephase_at positions must be whole numbers, not {r!r}")
        if not 0 < r < len(vals):
            raise ValueError(f"rephase_at position {r} is outside 1..{len(vals) - 1}")
        starts.add(int(r))
    return vals, sorted(starts)


# -- rule building blocks (pure; also tested on their own) -----------------------------------
def sides(values: Sequence[float], mean: float) -> list[int]:
    """+1 above the mean, -1 below, 0 on it (within a relative 1e-9 of the series' scale,
    so floating-point noise in the mean of a constant series is not read as a shift)."""
    scale = max([abs(mean), *map(abs, values)], default=0.0)
    tol = 1e-9 * max(scale, 1e-300)
    return [0 if abs(v - mean) <= tol else (1 if v > mean else -1) for v in values]


def shift_flags(side: Sequence[int], run_length: int) -> list[bool]:
    """Points in a run of ``run_length`` or more on the same side (0 breaks a run)."""
    flags = [False] * len(side)
    start = 0
    for i in range(1, len(side) + 1):
        if i == len(side) or side[i] != side[start] or side[i] == 0:
            if side[start] != 0 and i - start >= run_length:
                flags[start:i] = [True] * (i - start)
            start = i
    return flags


def trend_flags(values: Sequence[float], run_length: int) -> list[int]:
    """+1 / -1 for points in a run of ``run_length`` or more strictly rising / falling
    points (``run_length - 1`` steps); 0 elsewhere. A repeated value breaks a run."""
    n = len(values)
    flags = [0] * n
    steps = [int(np.sign(values[i + 1] - values[i])) for i in range(n - 1)]
    start = 0  # index of the first step of the current run
    for i in range(1, len(steps) + 1):
        if i == len(steps) or steps[i] != steps[start]:
            if steps and steps[start] != 0 and (i - start) + 1 >= run_length:
                for j in range(start, i + 1):
                    flags[j] = steps[start]
            start = i
    return flags


def two_of_three_flags(close: Sequence[bool], side: Sequence[int]) -> list[bool]:
    """Points beyond two sigma that are two (or three) of three consecutive points beyond
    two sigma, with all three points on the same side of the mean."""
    flags = [False] * len(close)
    for i in range(len(close) - 2):
        window = range(i, i + 3)
        same_side = abs(sum(side[j] for j in window)) == 3
        if same_side and sum(bool(close[j]) for j in window) >= 2:
            for j in window:
                flags[j] = flags[j] or bool(close[j])
    return flags


def assurance_for(
    lower_limit: float, upper_limit: float, target: float | None, improvement: str
) -> str | None:
    """ "pass", "fail" or "hit_or_miss" for a target against process limits."""
    if (
        target is None
        or improvement == "neither"
        or not (math.isfinite(lower_limit) and math.isfinite(upper_limit))
    ):
        return None
    if improvement == "increase":
        return (
            "pass" if target <= lower_limit else "fail" if target >= upper_limit else "hit_or_miss"
        )
    return "pass" if target >= upper_limit else "fail" if target <= lower_limit else "hit_or_miss"


# -- the chart ---------------------------------------------------------------------------------
def _phase_limits(points: list[float], baseline: int | None) -> tuple[float, float]:
    calc = points[:baseline] if baseline else points
    mean = math.fsum(calc) / len(calc)
    if len(set(calc)) == 1:
        mean = calc[0]  # exact, so no point of a constant phase sits off its own mean
    if len(calc) < 2:
        return mean, float("nan")
    moving = [abs(b - a) for a, b in zip(calc[:-1], calc[1:], strict=True)]
    return mean, math.fsum(moving) / len(moving) / D2


def _phase_rules(points, mean, sigma, run_length):
    """Per point: the rules that fired and their directions (+1 up, -1 down)."""
    n = len(points)
    fired: list[list[tuple[str, int]]] = [[] for _ in range(n)]
    if not math.isfinite(sigma):
        return fired
    side = sides(points, mean)
    outside = [s != 0 and abs(v - mean) > 3 * sigma for v, s in zip(points, side, strict=True)]
    close = [
        s != 0 and not o and abs(v - mean) > 2 * sigma
        for v, s, o in zip(points, side, outside, strict=True)
    ]
    shift = shift_flags(side, run_length)
    trend = trend_flags(points, run_length)
    two3 = two_of_three_flags(close, side)
    for i in range(n):
        if outside[i]:
            fired[i].append(("outside_limits", side[i]))
        if shift[i]:
            fired[i].append(("shift", side[i]))
        if trend[i]:
            fired[i].append(("trend", trend[i]))
        if two3[i]:
            fired[i].append(("two_of_three", side[i]))
    return fired


def _classify(fired: list[tuple[str, int]], improvement: str) -> str:
    if not fired:
        return "common"
    if improvement == "neither":
        return "neither"
    good = 1 if improvement == "increase" else -1
    return "improvement" if any(d == good for _r, d in fired) else "concern"


def _variation(cls: str, fired: list[tuple[str, int]], improvement: str) -> str:
    if cls == "common":
        return "common_cause"
    if cls == "neither":
        by_side = [d for r, d in fired if r != "trend"]
        high = (by_side or [d for _r, d in fired])[0] > 0
        return f"special_cause_neither_{'high' if high else 'low'}"
    high = (cls == "improvement") == (improvement == "increase")
    return f"special_cause_{cls}_{'high' if high else 'low'}"


def _describe(n, baseline, starts, lengths) -> str:
    parts = [f"XmR chart of {n} points"]
    if baseline:
        parts.append(
            f"mean and limits fixed on the first {baseline} points"
            + (" of each phase" if starts else "")
        )
    if starts:
        parts.append("limits recalculated from point " + ", ".join(str(s + 1) for s in starts))
    short = [i + 1 for i, k in enumerate(lengths) if k < 2]
    text = "; ".join(parts) + "."
    if short:
        text += (
            " Phase " + ", ".join(map(str, short)) + " has a single point, so it has no limits yet."
        )
    return text


def xmr(
    values: Sequence[float],
    improvement: str,
    target: float | None = None,
    run_length: int = 6,
    baseline: int | None = None,
    rephase_at: Sequence[int] = (),
    min_points: int = MIN_POINTS,
) -> XmrResult:
    """XmR (individuals) chart with Making Data Count special-cause rules and assurance.

    Parameters
    ----------
    values : sequence of float
        The series, oldest first, with no gaps (NaN raises ValueError).
    improvement : {"increase", "decrease", "neither"}
        Which direction is better.
    target : float, optional
        For the assurance icon.
    run_length : int, default 6
        Points needed for a shift or a trend.
    baseline : int, optional
        Fix the mean and limits on the first ``baseline`` points of each phase.
    rephase_at : sequence of int, default ()
        0-based positions where a new phase (own mean and limits) starts.
    min_points : int, default 13
        Fewest points before limits and icons are given (setting ``spc_min_points``).

    Returns
    -------
    XmrResult
        Frozen result; under 13 points it has no limits or icons and says so in
        ``message``. A constant series has sigma 0 and no special cause.

    References
    ----------
    NHS England, Making Data Count (2019); Wheeler DJ, Understanding Variation (2000);
    NHSRplotthedots ``ptd_spc``. See the module docstring for the rules and where these
    sources differ.
    """
    vals, starts = _validate(values, improvement, target, run_length, baseline, tuple(rephase_at))
    if isinstance(min_points, bool) or not isinstance(min_points, int) or min_points < 2:
        raise ValueError(f"min_points must be a whole number of at least 2, not {min_points!r}")
    n = len(vals)
    tgt = None if target is None else float(target)
    base = {
        "values": tuple(vals),
        "improvement": improvement,
        "run_length": run_length,
        "target": tgt,
        "min_points": min_points,
    }
    if n < min_points:
        return XmrResult(
            **base,
            enough_points=False,
            message=f"SPC needs at least {min_points} points; this series has {n}.",
        )
    bounds = [0, *starts, n]
    per_point: dict[str, list] = {k: [] for k in ("mean", "sigma", "phase", "fired")}
    for p, (s, e) in enumerate(zip(bounds[:-1], bounds[1:], strict=True)):
        points = vals[s:e]
        mean, sigma = _phase_limits(points, baseline)
        per_point["mean"] += [mean] * len(points)
        per_point["sigma"] += [sigma] * len(points)
        per_point["phase"] += [p] * len(points)
        per_point["fired"] += _phase_rules(points, mean, sigma, run_length)
    means, sigmas = per_point["mean"], per_point["sigma"]
    classes = [_classify(f, improvement) for f in per_point["fired"]]
    last_ok = math.isfinite(sigmas[-1])
    upl = [m + 3 * s for m, s in zip(means, sigmas, strict=True)]
    lpl = [m - 3 * s for m, s in zip(means, sigmas, strict=True)]
    return XmrResult(
        **base,
        enough_points=True,
        message=_describe(
            n, baseline, starts, [e - s for s, e in zip(bounds, bounds[1:], strict=False)]
        ),
        mean=tuple(means),
        sigma=tuple(sigmas),
        upper_process_limit=tuple(upl),
        lower_process_limit=tuple(lpl),
        upper_two_sigma=tuple(m + 2 * s for m, s in zip(means, sigmas, strict=True)),
        lower_two_sigma=tuple(m - 2 * s for m, s in zip(means, sigmas, strict=True)),
        point_classes=tuple(classes),
        rules=tuple(tuple(r for r, _d in f) for f in per_point["fired"]),
        phases=tuple(per_point["phase"]),
        variation=_variation(classes[-1], per_point["fired"][-1], improvement) if last_ok else None,
        assurance=assurance_for(lpl[-1], upl[-1], tgt, improvement),
    )


def xmr_frame(result: XmrResult) -> pd.DataFrame:
    """One row per point of an :func:`xmr` result, for charting.

    Columns: point (0-based), value, phase, mean, sigma, upper_process_limit,
    lower_process_limit, upper_two_sigma, lower_two_sigma, point_class and rules (a
    comma-separated string). Without enough points the limit columns are NaN and
    point_class is None.
    """
    n = len(result.values)

    def col(xs, fill):
        return list(xs) if len(xs) == n else [fill] * n

    nan = float("nan")
    return pd.DataFrame(
        {
            "point": range(n),
            "value": list(result.values),
            "phase": col(result.phases, 0),
            "mean": col(result.mean, nan),
            "sigma": col(result.sigma, nan),
            "upper_process_limit": col(result.upper_process_limit, nan),
            "lower_process_limit": col(result.lower_process_limit, nan),
            "upper_two_sigma": col(result.upper_two_sigma, nan),
            "lower_two_sigma": col(result.lower_two_sigma, nan),
            "point_class": col(result.point_classes, None),
            "rules": [", ".join(r) for r in result.rules] if len(result.rules) == n else [""] * n,
        }
    )


# -- one options object for every user of SPC ---------------------------------------------------
POLARITY_IMPROVEMENT = {"low_is_good": "decrease", "high_is_good": "increase",
                        "no_judgement": "neither"}  # fmt: skip


@dataclass(frozen=True)
class SpcOptions:
    """How one indicator's SPC is run: validated once, then reused by the verdict, every chart,
    the presentation and the board pack (the NHSRplotthedots ``ptd_spc_options`` idea), so
    they cannot disagree.

    ``rephase_labels``: period labels where a new phase (own mean and limits) starts, e.g. a
    crime-recording change; a label not in the series is ignored.
    """

    improvement: str
    run_length: int = 6
    min_points: int = MIN_POINTS
    rephase_labels: tuple[str, ...] = ()

    def __post_init__(self):
        if self.improvement not in IMPROVEMENTS:
            raise ValueError(
                f"improvement must be one of {', '.join(IMPROVEMENTS)}, not {self.improvement!r}"
            )
        for name in ("run_length", "min_points"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 2:
                raise ValueError(f"{name} must be a whole number of at least 2, not {v!r}")

    @classmethod
    def for_indicator(cls, indicator, settings) -> SpcOptions:
        """From an indicator row (``polarity``, ``spc_rephase`` as comma-separated labels)
        and the settings ``spc_run_length`` and ``spc_min_points``."""
        rephase = tuple(
            p.strip() for p in str(indicator.get("spc_rephase") or "").split(",") if p.strip()
        )
        return cls(
            improvement=POLARITY_IMPROVEMENT[indicator["polarity"]],
            run_length=int(settings["spc_run_length"]),
            min_points=int(settings["spc_min_points"]),
            rephase_labels=rephase,
        )

    def run(self, labels: Sequence[str], values: Sequence[float], target=None) -> XmrResult:
        """:func:`xmr` on a series given with its period labels (oldest first, no gaps: a
        missing period is left out, never zero). A NaN or non-finite target is no target."""
        labels = list(labels)
        rephase = tuple(
            labels.index(p) for p in self.rephase_labels if p in labels and labels.index(p) > 0
        )
        tgt = None
        if target is not None and not isinstance(target, bool):
            try:
                tgt = float(target) if math.isfinite(float(target)) else None
            except (TypeError, ValueError):
                tgt = None
        return xmr(
            values,
            self.improvement,
            target=tgt,
            run_length=self.run_length,
            rephase_at=rephase,
            min_points=self.min_points,
        )
