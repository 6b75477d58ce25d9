"""The verdict: for each indicator x area (and aggregate) x period, a RAG status, the reasons
in plain words, and whether a critical recovery plan is required.

How a verdict is reached
------------------------
1. The figure and its 95% confidence interval (:mod:`csa.stats`): Byar's / exact Poisson for
   counts and rates, Wilson for percentages. Groupings are aggregated from numerators and
   denominators first (:mod:`csa.areas`).
2. Target status (:mod:`csa.targets`): on track, at risk (within the amber tolerance) or off
   track, against the indicator's target resolved for that area (a fixed value, a % change
   on the area's own baseline year, or relative to the benchmark).
3. Statistical process control (:mod:`csa.spc`, NHS England Making Data Count XmR rules):
   the variation icon for the latest point and assurance against the target.
4. Benchmark comparison (:mod:`csa.benchmark`, Fingertips method): the area against
   pan-Lancashire in the same period.
5. Recent trend (:mod:`csa.trend`).

RAG: from the target status when a target is set (green on track, amber at risk, red off
track); with no target, from the benchmark comparison (green better, amber similar, red
worse); grey when there is no figure or no direction is better. A special-cause concern with
failing assurance makes the verdict red whatever the latest figure says.

Critical (recovery plan required), by the settings ``critical_consecutive_off_track``
(default 2: off track this many periods running) and
``critical_on_spc_concern_with_failing_assurance`` (default on).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from csa import benchmark as bench
from csa import demo_labels, spc, stats, targets, trend
from csa.areas import PAN_LANCASHIRE, with_aggregates

RAG_LABELS = {"red": "Off track", "amber": "At risk", "green": "On track", "grey": "Not judged"}
IMPROVEMENT = {"low_is_good": "decrease", "high_is_good": "increase",
               "no_judgement": "neither"}
_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth"]


@dataclass(frozen=True)
class Inputs:
    """Everything the assessment reads, as DataFrames from the gateway."""

    indicators: pd.DataFrame
    targets: pd.DataFrame
    observations: pd.DataFrame
    area_members: pd.DataFrame
    areas: pd.DataFrame
    periods: pd.DataFrame

    @classmethod
    def from_db(cls, db) -> Inputs:
        return cls(indicators=db.indicators(), targets=db.targets(),
                   observations=db.observations(), area_members=db.area_members(),
                   areas=db.areas(), periods=db.periods())


@dataclass(frozen=True)
class Verdict:
    indicator_code: str
    area_code: str
    period_label: str
    unit: str
    data_kind: str
    figure_status: str
    value: float | None
    lower: float | None
    upper: float | None
    numerator: float | None
    denominator: float | None
    target: float | None
    target_status: str
    target_message: str
    benchmark_code: str | None
    benchmark_value: float | None
    comparison: str
    variation: str | None
    assurance: str | None
    spc_message: str
    trend_direction: str
    trend_judgement: str
    rag: str
    label: str
    periods_off_track: int
    critical: bool
    reasons: tuple[str, ...] = field(default_factory=tuple)


def ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"{n}th"


def fmt(x: float | None, unit: str = "count") -> str:
    """Numbers as people read them: thousands separators, sensible decimals."""
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "no figure"
    if unit == "percentage":
        return f"{x:,.1f}%"
    if abs(x) >= 100 or (unit == "count" and float(x).is_integer()):
        return f"{x:,.0f}"
    return f"{x:,.2f}"


def _nan_to_none(x):
    if x is None:
        return None
    try:
        return None if np.isnan(float(x)) else float(x)
    except (TypeError, ValueError):
        return None


def _period_noun(frequency: str) -> str:
    return {"quarterly": "quarter", "monthly": "month", "annual": "year"}.get(frequency, "period")


# -- confidence intervals --------------------------------------------------------------------
def with_ci(series: pd.DataFrame, unit: str, multiplier: float, confidence: float) -> pd.DataFrame:
    """Add lower/upper 95% limits to a series (NaN where they cannot be calculated), by
    :func:`csa.stats.add_ci`; the series keeps its own values."""
    limits = stats.add_ci(series[["numerator", "denominator"]], unit, multiplier, confidence)
    out = series.copy()
    out["lower"] = limits["lower"].to_numpy()
    out["upper"] = limits["upper"].to_numpy()
    return out


# -- targets -----------------------------------------------------------------------------
def target_rule(targets_df: pd.DataFrame, indicator_code: str, area_code: str):
    """The target row for an area: its own if set, else the indicator-wide one, else None."""
    t = targets_df[targets_df["indicator_code"] == indicator_code]
    if t.empty:
        return None
    own = t[t["area_code"] == area_code]
    if not own.empty:
        return own.iloc[-1]
    general = t[t["area_code"].isna()]
    return None if general.empty else general.iloc[-1]


def baseline_value(series: pd.DataFrame, periods: pd.DataFrame, baseline: str, unit: str,
                   multiplier: float) -> float | None:
    """The area's figure for a baseline period or financial year (e.g. '2022-23').

    Rates and percentages: sum of numerators over sum of denominators; counts: the mean
    per period, so that a quarterly target compares like with like.
    """
    labels = set(periods.loc[periods["financial_year"] == baseline, "label"]) \
        if baseline not in set(periods["label"]) else {baseline}
    labels &= set(periods.loc[periods["frequency"] != "annual", "label"]) | {baseline}
    rows = series[series["period_label"].isin(labels)]
    if rows.empty or rows["numerator"].isna().any():
        return None
    if unit == "count":
        return float(rows["numerator"].mean())
    den = rows["denominator"].sum()
    return float(rows["numerator"].sum() / den * multiplier) if den > 0 else None


def resolve(rule, base, benchmark_value):
    """The target value for one period, given the area's baseline figure (if any)."""
    if rule is None:
        return None
    if rule["target_type"] == "change_vs_baseline" and base is None:
        return None
    if rule["target_type"] == "benchmark" and benchmark_value is None:
        return None
    return targets.resolve_target(rule["target_type"], float(rule["target_value"]),
                                  baseline_value=base, benchmark_value=benchmark_value)


# -- SPC in words ------------------------------------------------------------------------
def _run_length_on_side(values: list[float], mean: float) -> tuple[int, str]:
    side = "above" if values[-1] > mean else "below"
    n = 0
    for v in reversed(values):
        if (v > mean and side == "above") or (v < mean and side == "below"):
            n += 1
        else:
            break
    return n, side


def _monotone_run(values: list[float]) -> tuple[int, str]:
    n, direction = 1, None
    for a, b in zip(reversed(values[:-1]), reversed(values[1:]), strict=True):
        step = "rising" if b > a else "falling" if b < a else None
        if step is None or (direction and step != direction):
            break
        direction = step
        n += 1
    return n, direction or "flat"


def spc_reasons(result, noun: str, unit: str) -> list[str]:
    """Plain words for the special-cause rules that fired on the latest point."""
    if not result.enough_points:
        return [result.message]
    cls = result.point_classes[-1]
    if cls == "common":
        return ["Common-cause variation: the latest figure is within the usual ups and downs."]
    kind = {"improvement": "Special-cause improvement", "concern": "Special-cause concern",
            "neither": "Special-cause variation"}[cls]
    values = list(result.values)
    mean = result.mean[-1]
    bits = []
    rules = set(result.rules[-1])
    if "outside_limits" in rules:
        above = values[-1] > result.upper_process_limit[-1]
        limit = result.upper_process_limit[-1] if above else result.lower_process_limit[-1]
        bits.append(f"{'above the upper' if above else 'below the lower'} process limit "
                    f"({fmt(limit, unit)})")
    if "shift" in rules:
        n, side = _run_length_on_side(values, mean)
        bits.append(f"{n} {noun}s in a row {side} the average ({fmt(mean, unit)})")
    if "trend" in rules:
        n, direction = _monotone_run(values)
        bits.append(f"{n} {noun}s in a row {direction}")
    if "two_of_three" in rules:
        side = "upper" if values[-1] > mean else "lower"
        bits.append(f"2 of the last 3 {noun}s close to the {side} process limit")
    return [f"{kind}: " + ("; ".join(bits) if bits else "a special-cause rule fired") + "."]


ASSURANCE_WORDS = {
    "fail": "SPC assurance: the target is outside the process limits on the wrong side, so it "
            "will consistently be missed unless something changes.",
    "pass": "SPC assurance: the target is outside the process limits on the right side, so it "
            "will consistently be met if nothing changes.",
    "hit_or_miss": "SPC assurance: the target is within the process limits, so it will be met "
                   "in some periods and missed in others.",
}


# -- the verdict ---------------------------------------------------------------------------
def _statuses(series, rule, periods, unit, multiplier, polarity, tolerance, bench_values):
    """Target value and status for every period of a series (cheap: no SPC)."""
    base = None
    if rule is not None and rule["target_type"] == "change_vs_baseline":
        base = baseline_value(series, periods, rule["baseline_period"], unit, multiplier)
    out = []
    for period, raw in zip(series["period_label"], series["value"], strict=True):
        tgt = resolve(rule, base, bench_values.get(period))
        value = _nan_to_none(raw)
        if value is None or tgt is None:
            out.append((tgt, None))
            continue
        out.append((tgt, targets.target_status(value, tgt, polarity, tolerance)))
    return out


def series_with_ci(ind, inputs: Inputs, confidence: float = 0.95) -> pd.DataFrame:
    """One indicator's figures for every area and grouping, oldest first, with 95% limits."""
    obs = inputs.observations[inputs.observations["indicator_code"] == ind["code"]]
    if obs.empty:
        return pd.DataFrame()
    unit, mult = ind["unit"], float(ind["multiplier"])
    full = with_aggregates(obs, inputs.area_members, unit, mult)
    order = inputs.periods.set_index("label")["start_date"]
    full = full[full["period_label"].isin(order.index)].copy()
    full["_start"] = full["period_label"].map(order)
    return with_ci(full.sort_values(["area_code", "_start"]), unit, mult, confidence)


def assess_indicator(ind, inputs: Inputs, settings: dict, period_labels=None,
                     area_codes=None) -> list[Verdict]:
    """Verdicts for one indicator (a row of ``inputs.indicators``)."""
    code, unit, mult = ind["code"], ind["unit"], float(ind["multiplier"])
    polarity, frequency = ind["polarity"], ind["frequency"]
    noun = _period_noun(frequency)
    confidence = float(settings["confidence"])
    full = series_with_ci(ind, inputs, confidence)
    if full.empty:
        return []
    pan = full[full["area_code"] == PAN_LANCASHIRE].set_index("period_label")
    bench_values = {p: _nan_to_none(v) for p, v in pan["value"].items()}
    tolerance = settings["default_tolerance_pct"]
    consecutive_needed = int(settings["critical_consecutive_off_track"])
    verdicts = []
    wanted_areas = None if area_codes is None else set(area_codes)
    wanted_periods = None if period_labels is None else set(period_labels)
    for area, series in full.groupby("area_code", sort=False):
        if wanted_areas is not None and area not in wanted_areas:
            continue
        series = series.reset_index(drop=True)
        rule = target_rule(inputs.targets, code, area)
        tol = float(rule["tolerance_pct"]) if rule is not None and \
            not pd.isna(rule["tolerance_pct"]) else float(tolerance)
        statuses = _statuses(series, rule, inputs.periods, unit, mult, polarity, tol,
                             bench_values)
        for k, period in enumerate(series["period_label"]):
            if wanted_periods is not None and period not in wanted_periods:
                continue
            verdicts.append(_verdict(ind, area, series.iloc[: k + 1], statuses[: k + 1],
                                     pan, settings, noun, consecutive_needed))
    return verdicts


def _verdict(ind, area, series, statuses, pan, settings, noun, consecutive_needed) -> Verdict:
    code, unit, polarity = ind["code"], ind["unit"], ind["polarity"]
    row = series.iloc[-1]
    period = row["period_label"]
    value = _nan_to_none(row["value"])
    tgt, status = statuses[-1]
    reasons: list[str] = []

    # target and how long it has been off track
    run = 0
    for _t, s in reversed(statuses):
        if s is not None and s.status == "off track":
            run += 1
        else:
            break
    if value is None:
        missing = row.get("missing") or ""
        target_status, target_message = "no data", (
            f"No figure for {period}" + (f": waiting for {missing}." if missing else "."))
        reasons.append(target_message)
    elif status is None:
        target_status, target_message = ("no judgement" if polarity == "no_judgement"
                                         else "no target"), ""
    else:
        target_status, target_message = status.status, status.message
        if status.status == "off track":
            when = f" for the {ordinal(run)} {noun} running" if run >= 2 else ""
            reasons.append(f"Off track: {status.message}{when}.")
        elif status.status == "at risk":
            reasons.append(f"At risk: {status.message}, within the amber tolerance.")
        elif status.status == "on track":
            reasons.append(f"On track: {status.message}.")

    # benchmark comparison against pan-Lancashire
    bcode = None if area == PAN_LANCASHIRE else PAN_LANCASHIRE
    bval = _nan_to_none(pan["value"].get(period)) if bcode and period in pan.index else None
    lower, upper = _nan_to_none(row["lower"]), _nan_to_none(row["upper"])
    if value is not None and bcode and unit != "count":
        comparison = bench.compare(value, lower, upper, bval, polarity)
    else:
        comparison = "not compared"
    if comparison not in ("not compared",):
        reasons.append(f"{bench.compare_label(comparison, 'Lancashire as a whole')} "
                       f"({fmt(bval, unit)}), by 95% confidence intervals.")

    # SPC on the series so far
    values = [v for v in series["value"].tolist() if not pd.isna(v)]
    variation = assurance = None
    spc_message = ""
    if value is not None and len(values) >= 2 and ind["frequency"] != "annual":
        improvement = IMPROVEMENT[polarity]
        result = spc.xmr(values, improvement, target=tgt,
                         run_length=int(settings["spc_run_length"]))
        variation, assurance = result.variation, result.assurance
        words = spc_reasons(result, noun, unit)
        spc_message = " ".join(words)
        reasons.extend(words)
        if assurance in ASSURANCE_WORDS:
            reasons.append(ASSURANCE_WORDS[assurance])

    # recent trend
    trend_direction = trend_judgement = "cannot be calculated"
    n_trend = int(settings["trend_points"])
    tail = series.dropna(subset=["numerator"]).tail(n_trend)
    if value is not None and len(tail) >= n_trend and ind["frequency"] != "annual":
        t = trend.recent_trend(tail["numerator"].tolist(),
                               None if unit == "count" else tail["denominator"].tolist(),
                               unit=unit, n_points=n_trend, polarity=polarity)
        trend_direction, trend_judgement = t.direction, t.judgement
        if t.direction in ("increasing", "decreasing"):
            judged = "" if t.judgement in ("no judgement",) else f" ({t.judgement})"
            reasons.append(f"Recent trend: significantly {t.direction} over the last "
                           f"{n_trend} {noun}s{judged}.")

    # RAG and the critical flag
    concern = variation is not None and "concern" in variation
    if value is None or polarity == "no_judgement":
        rag = "grey"
    elif status is not None:
        rag = {"on track": "green", "at risk": "amber", "off track": "red"}.get(status.status,
                                                                                "grey")
    else:
        rag = {"better": "green", "similar": "amber", "worse": "red"}.get(comparison, "grey")
    if concern and assurance == "fail":
        rag = "red"
    if status is None and value is not None and polarity != "no_judgement":
        label = {"green": "Better than Lancashire", "amber": "Similar to Lancashire",
                 "red": "Worse than Lancashire"}.get(rag, "No target")
    elif value is None:
        label = "No data"
    else:
        label = RAG_LABELS[rag]
    critical = False
    if run >= consecutive_needed:
        critical = True
        reasons.append(f"Critical: off track for {run} {noun}s running (the rule is "
                       f"{consecutive_needed}); a recovery plan is required.")
    elif settings["critical_on_spc_concern_with_failing_assurance"] and concern \
            and assurance == "fail":
        critical = True
        reasons.append("Critical: special-cause concern with failing assurance; a recovery "
                       "plan is required.")

    return Verdict(
        indicator_code=code, area_code=area, period_label=period, unit=unit,
        data_kind=str(demo_labels.kind_of(row.get("data_kind"), ind["data_kind"])),
        figure_status=str(row.get("status") or "final"),
        value=value, lower=lower, upper=upper,
        numerator=_nan_to_none(row["numerator"]), denominator=_nan_to_none(row["denominator"]),
        target=tgt, target_status=target_status, target_message=target_message,
        benchmark_code=bcode, benchmark_value=bval, comparison=comparison,
        variation=variation, assurance=assurance, spc_message=spc_message,
        trend_direction=trend_direction, trend_judgement=trend_judgement,
        rag=rag, label=label, periods_off_track=run, critical=critical,
        reasons=tuple(reasons),
    )


def assess(inputs: Inputs, settings: dict, period_labels: Iterable[str] | None = None,
           area_codes: Iterable[str] | None = None,
           indicator_codes: Iterable[str] | None = None) -> list[Verdict]:
    """Verdicts for every indicator x area (and grouping) x period asked for."""
    period_labels = None if period_labels is None else set(period_labels)
    area_codes = None if area_codes is None else set(area_codes)
    wanted = None if indicator_codes is None else set(indicator_codes)
    out: list[Verdict] = []
    for ind in inputs.indicators.to_dict("records"):
        if wanted is not None and ind["code"] not in wanted:
            continue
        own_targets = inputs.targets[inputs.targets["indicator_code"] == ind["code"]]
        scoped = Inputs(inputs.indicators, own_targets, inputs.observations[
            inputs.observations["indicator_code"] == ind["code"]], inputs.area_members,
            inputs.areas, inputs.periods)
        out.extend(assess_indicator(ind, scoped, settings, period_labels, area_codes))
    return out


def to_frame(verdicts: list[Verdict]) -> pd.DataFrame:
    rows = [asdict(v) for v in verdicts]
    df = pd.DataFrame(rows, columns=[f for f in Verdict.__dataclass_fields__])
    df["reasons"] = df["reasons"].map(lambda r: list(r) if r is not None else [])
    return df


def latest_period(inputs: Inputs, frequency: str = "quarterly") -> str | None:
    """The latest period of ``frequency`` that has any figure."""
    per = inputs.periods[inputs.periods["frequency"] == frequency]
    have = per[per["label"].isin(set(inputs.observations["period_label"]))]
    return None if have.empty else str(have.sort_values("start_date")["label"].iloc[-1])
