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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from csa import benchmark as bench
from csa import demo_labels, formatting, spc, stats, targets, trend
from csa.areas import PAN_LANCASHIRE, with_aggregates

RAG_LABELS = {"red": "Off track", "amber": "At risk", "green": "On track", "grey": "Not judged"}
IMPROVEMENT = spc.POLARITY_IMPROVEMENT
_ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
]


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
        return cls(
            indicators=db.indicators(),
            targets=db.targets(),
            observations=db.observations(),
            area_members=db.area_members(),
            areas=db.areas(),
            periods=db.periods(),
        )


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
    #: what each reason rests on, parallel to ``reasons``: "target", "missing", "comparison",
    #: "spc", "assurance", "trend" or "critical" (the publication step drops those that
    #: would narrow a number hidden from the public).
    reason_kinds: tuple[str, ...] = field(default_factory=tuple)
    #: the SPC chart as at this period (the series up to it) and its period labels: the one
    #: SPC result that the verdict, every chart and the board pack draw.
    spc_result: spc.XmrResult | None = field(default=None, compare=False, repr=False)
    spc_labels: tuple[str, ...] = field(default=(), compare=False, repr=False)


def ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"{n}th"


def fmt(x: float | None, unit: str = "count") -> str:
    """Numbers as people read them: :func:`csa.formatting.figure` (the one formatter)."""
    return formatting.figure(x, unit)


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


def baseline_value(
    series: pd.DataFrame, periods: pd.DataFrame, baseline: str, unit: str, multiplier: float
) -> float | None:
    """The area's figure for a baseline period or financial year (e.g. '2022-23').

    Rates and percentages: sum of numerators over sum of denominators; counts: the mean
    per period, so that a quarterly target compares like with like.
    """
    labels = _baseline_labels(periods, baseline)
    rows = series[series["period_label"].isin(labels)]
    return _baseline_from(
        rows["numerator"].to_numpy(dtype=float),
        rows["denominator"].to_numpy(dtype=float),
        unit,
        multiplier,
    )


def _baseline_labels(periods: pd.DataFrame, baseline: str) -> set:
    """The period labels a baseline stands for: the period itself, or the non-annual periods
    of that financial year."""
    labels = (
        set(periods.loc[periods["financial_year"] == baseline, "label"])
        if baseline not in set(periods["label"])
        else {baseline}
    )
    labels &= set(periods.loc[periods["frequency"] != "annual", "label"]) | {baseline}
    return labels


def _baseline_from(
    numerators: np.ndarray, denominators: np.ndarray, unit: str, multiplier: float
) -> float | None:
    """:func:`baseline_value` from the baseline periods' numerators and denominators."""
    if len(numerators) == 0 or np.isnan(numerators).any():
        return None
    if unit == "count":
        return float(numerators.mean())
    den = np.nansum(denominators)
    return float(numerators.sum() / den * multiplier) if den > 0 else None


def resolve(rule, base, benchmark_value):
    """The target value for one period, given the area's baseline figure (if any)."""
    if rule is None:
        return None
    if rule["target_type"] == "change_vs_baseline" and base is None:
        return None
    if rule["target_type"] == "benchmark" and benchmark_value is None:
        return None
    return targets.resolve_target(
        rule["target_type"],
        float(rule["target_value"]),
        baseline_value=base,
        benchmark_value=benchmark_value,
    )


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
    kind = {
        "improvement": "Special-cause improvement",
        "concern": "Special-cause concern",
        "neither": "Special-cause variation",
    }[cls]
    values = list(result.values)
    mean = result.mean[-1]
    bits = []
    rules = set(result.rules[-1])
    if "outside_limits" in rules:
        above = values[-1] > result.upper_process_limit[-1]
        limit = result.upper_process_limit[-1] if above else result.lower_process_limit[-1]
        bits.append(
            f"{'above the upper' if above else 'below the lower'} process limit "
            f"({fmt(limit, unit)})"
        )
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
@dataclass(frozen=True)
class _AreaSeries:
    """One area's figures, oldest first, as plain lists: a verdict reads a prefix of them
    for every period, which is far cheaper than slicing a DataFrame each time. ``first`` is
    the position of its oldest figure in the indicator's frame."""

    area: str
    first: int
    period_label: list
    value: list
    numerator: list
    denominator: list
    missing: list
    data_kind: list
    status: list


_SERIES_COLUMNS = (
    "period_label",
    "value",
    "numerator",
    "denominator",
    "missing",
    "data_kind",
    "status",
)


def _area_series(full: pd.DataFrame) -> list[_AreaSeries]:
    """Split an indicator's figures (:func:`_figures`, sorted by area) into one series per
    area, in the frame's order. A column the frame lacks reads as None, like ``row.get``."""
    n = len(full)
    columns = {c: full[c].tolist() if c in full.columns else [None] * n for c in _SERIES_COLUMNS}
    areas = full["area_code"].tolist()
    out = []
    start = 0
    for end in range(1, n + 1):
        if end < n and areas[end] == areas[start]:
            continue
        if not pd.isna(areas[start]):  # groupby leaves out a missing area code
            out.append(
                _AreaSeries(areas[start], start, *(columns[c][start:end] for c in _SERIES_COLUMNS))
            )
        start = end
    return out


def _target_rules(targets_df: pd.DataFrame, indicator_code: str) -> dict:
    """An indicator's target rows as a lookup for :func:`_rule_for`: area code -> its own
    rule, None -> the indicator-wide rule (the last row of each, as :func:`target_rule`)."""
    rules: dict = {}
    for rule in targets_df[targets_df["indicator_code"] == indicator_code].to_dict("records"):
        area = rule["area_code"]
        rules[None if pd.isna(area) else area] = rule
    return rules


def _rule_for(rules: dict, area_code: str):
    """:func:`target_rule` from a :func:`_target_rules` lookup."""
    return rules.get(area_code, rules.get(None))


class _TargetStatuses:
    """Target value and status for each period of one area's series (cheap: no SPC), each
    worked out the first time it is asked for: a verdict needs its own period's and, to count
    how long the area has been off track, those running back to the last period that was not.
    """

    def __init__(self, series: _AreaSeries, rule, base, polarity, tolerance, bench_values, unit):
        self._series, self._rule, self._base = series, rule, base
        self._polarity, self._tolerance, self._bench_values = polarity, tolerance, bench_values
        self._unit = unit
        self._known: dict[int, tuple] = {}

    def __getitem__(self, k: int) -> tuple:
        """(target, status) for period ``k``; status None without a figure or a target."""
        if k not in self._known:
            tgt = resolve(
                self._rule, self._base, self._bench_values.get(self._series.period_label[k])
            )
            value = _nan_to_none(self._series.value[k])
            status = (
                None
                if value is None or tgt is None
                else targets.target_status(value, tgt, self._polarity, self._tolerance, self._unit)
            )
            self._known[k] = (tgt, status)
        return self._known[k]

    def off_track_run(self, k: int) -> int:
        """How many periods running, ending at ``k``, have been off track."""
        run = 0
        while run <= k:
            status = self[k - run][1]
            if status is None or status.status != "off track":
                break
            run += 1
        return run


def _area_baseline(series: _AreaSeries, labels: set, unit: str, multiplier: float):
    """:func:`baseline_value` for one area's series."""
    rows = [i for i, p in enumerate(series.period_label) if p in labels]
    return _baseline_from(
        np.array([series.numerator[i] for i in rows], dtype=float),
        np.array([series.denominator[i] for i in rows], dtype=float),
        unit,
        multiplier,
    )


def _limits(
    figures: pd.DataFrame, rows: list[int], unit: str, multiplier: float, confidence: float
) -> list[tuple]:
    """(lower, upper) for the figures at positions ``rows``, as :func:`with_ci` gives them:
    an assessment of a few periods needs limits only for those."""
    if not rows:
        return []
    limits = stats.add_ci(
        figures[["numerator", "denominator"]].iloc[rows], unit, multiplier, confidence
    )
    return list(zip(limits["lower"].tolist(), limits["upper"].tolist(), strict=True))


def _figures(ind, inputs: Inputs) -> pd.DataFrame | None:
    """One indicator's figures for every area and grouping, sorted by area and then oldest
    first (:func:`series_with_ci` without the limits); None when it has no observations."""
    obs = inputs.observations[inputs.observations["indicator_code"] == ind["code"]]
    if obs.empty:
        return None
    full = with_aggregates(obs, inputs.area_members, ind["unit"], float(ind["multiplier"]))
    order = inputs.periods.set_index("label")["start_date"]
    full = full[full["period_label"].isin(order.index)].copy()
    full["_start"] = full["period_label"].map(order)
    return full.sort_values(["area_code", "_start"])


def series_with_ci(ind, inputs: Inputs, confidence: float = 0.95) -> pd.DataFrame:
    """One indicator's figures for every area and grouping, oldest first, with 95% limits."""
    full = _figures(ind, inputs)
    if full is None:
        return pd.DataFrame()
    return with_ci(full, ind["unit"], float(ind["multiplier"]), confidence)


def assess_indicator(
    ind, inputs: Inputs, settings: dict, period_labels=None, area_codes=None
) -> list[Verdict]:
    """Verdicts for one indicator (a row of ``inputs.indicators``)."""
    code, unit, mult = ind["code"], ind["unit"], float(ind["multiplier"])
    polarity, frequency = ind["polarity"], ind["frequency"]
    noun = _period_noun(frequency)
    confidence = float(settings["confidence"])
    figures = _figures(ind, inputs)
    if figures is None or figures.empty:
        return []
    all_series = _area_series(figures)
    bench_values = {
        p: _nan_to_none(v)
        for s in all_series
        if s.area == PAN_LANCASHIRE
        for p, v in zip(s.period_label, s.value, strict=True)
    }
    tolerance = settings["default_tolerance_pct"]
    consecutive_needed = int(settings["critical_consecutive_off_track"])
    rules = _target_rules(inputs.targets, code)
    options = spc.SpcOptions.for_indicator(ind, settings)
    per = inputs.periods[inputs.periods["frequency"] == frequency].sort_values("start_date")
    calendar = per["label"].tolist()  # every period of its frequency, gaps included
    baseline_labels: dict = {}  # baseline period -> its labels, worked out once
    verdicts = []
    plan = _wanted(all_series, period_labels, area_codes)
    limits = iter(
        _limits(figures, [s.first + k for s, ks in plan for k in ks], unit, mult, confidence)
    )
    for series, wanted in plan:
        rule = _rule_for(rules, series.area)
        tol = (
            float(rule["tolerance_pct"])
            if rule is not None and not pd.isna(rule["tolerance_pct"])
            else float(tolerance)
        )
        base = None
        if rule is not None and rule["target_type"] == "change_vs_baseline":
            baseline = rule["baseline_period"]
            if baseline not in baseline_labels:
                baseline_labels[baseline] = _baseline_labels(inputs.periods, baseline)
            base = _area_baseline(series, baseline_labels[baseline], unit, mult)
        statuses = _TargetStatuses(series, rule, base, polarity, tol, bench_values, unit)
        for k in wanted:
            verdicts.append(
                _verdict(
                    ind,
                    series,
                    k,
                    statuses[k],
                    statuses.off_track_run(k),
                    next(limits),
                    bench_values,
                    settings,
                    noun,
                    consecutive_needed,
                    options,
                    calendar,
                )
            )
    return verdicts


def _missing_periods(calendar: list[str], labels) -> list[str]:
    """The periods of the calendar between the first and last of ``labels`` that have no
    figure (a missing month is a gap, never a zero)."""
    if not labels or not calendar:
        return []
    position = {label: i for i, label in enumerate(calendar)}
    if labels[0] not in position or labels[-1] not in position:
        return []
    have = set(labels)
    return [p for p in calendar[position[labels[0]] : position[labels[-1]] + 1] if p not in have]


def _wanted(all_series: list[_AreaSeries], period_labels, area_codes) -> list[tuple]:
    """(series, positions of the wanted periods in it) for each area that has any."""
    wanted_areas = None if area_codes is None else set(area_codes)
    wanted_periods = None if period_labels is None else set(period_labels)
    plan = []
    for series in all_series:
        if wanted_areas is not None and series.area not in wanted_areas:
            continue
        wanted = [
            k
            for k, period in enumerate(series.period_label)
            if wanted_periods is None or period in wanted_periods
        ]
        if wanted:
            plan.append((series, wanted))
    return plan


def _verdict(
    ind,
    series: _AreaSeries,
    k: int,
    target_and_status,
    run: int,
    limits,
    bench_values,
    settings,
    noun,
    consecutive_needed,
    options: spc.SpcOptions,
    calendar: list[str] = (),
) -> Verdict:
    """The verdict for period ``k`` of an area's series, from the series up to it; ``run``
    is how many periods running (ending at ``k``) it has been off track, ``limits`` the
    figure's (lower, upper) confidence limits."""
    code, unit, polarity = ind["code"], ind["unit"], ind["polarity"]
    area = series.area
    period = series.period_label[k]
    value = _nan_to_none(series.value[k])
    tgt, status = target_and_status
    reasons: list[tuple[str, str]] = []  # (kind, words): see Verdict.reason_kinds

    # target and how long it has been off track
    if value is None:
        missing = series.missing[k] or ""
        target_status, target_message = (
            "no data",
            (f"No figure for {period}" + (f": waiting for {missing}." if missing else ".")),
        )
        reasons.append(("missing", target_message))
    elif status is None:
        target_status, target_message = (
            ("no judgement" if polarity == "no_judgement" else "no target"),
            "",
        )
    else:
        target_status, target_message = status.status, status.message
        if status.status == "off track":
            when = f" for the {ordinal(run)} {noun} running" if run >= 2 else ""
            reasons.append(("target", f"Off track: {status.message}{when}."))
        elif status.status == "at risk":
            reasons.append(("target", f"At risk: {status.message}, within the amber tolerance."))
        elif status.status == "on track":
            reasons.append(("target", f"On track: {status.message}."))

    # benchmark comparison against pan-Lancashire
    bcode = None if area == PAN_LANCASHIRE else PAN_LANCASHIRE
    bval = bench_values.get(period) if bcode else None
    lower, upper = (_nan_to_none(x) for x in limits)
    if value is not None and bcode and unit != "count":
        comparison = bench.compare(value, lower, upper, bval, polarity)
    else:
        comparison = "not compared"
    if comparison not in ("not compared",):
        reasons.append(
            (
                "comparison",
                f"{bench.compare_label(comparison, 'Lancashire as a whole')} "
                f"({fmt(bval, unit)}), by 95% confidence intervals.",
            )
        )

    # SPC on the series so far
    # (a missing period is left out, never counted as zero: SpcOptions.run)
    points = [i for i in range(k + 1) if not pd.isna(series.value[i])]
    variation = assurance = None
    spc_message = ""
    result = None
    spc_labels: tuple[str, ...] = ()
    if value is not None and len(points) >= 2 and ind["frequency"] != "annual":
        spc_labels = tuple(series.period_label[i] for i in points)
        result = options.run(spc_labels, [series.value[i] for i in points], target=tgt)
        variation, assurance = result.variation, result.assurance
        words = spc_reasons(result, noun, unit)
        spc_message = " ".join(words)
        reasons.extend(("spc", w) for w in words)
        missing = _missing_periods(calendar, spc_labels)
        if missing:
            named = ", ".join(missing[:3]) + (" and others" if len(missing) > 3 else "")
            reasons.append(
                (
                    "spc",
                    f"{len(missing)} {noun}{'s' if len(missing) > 1 else ''} with no figure "
                    f"({named}) {'are' if len(missing) > 1 else 'is'} left out of the SPC "
                    "chart, not counted as zero.",
                )
            )
        if assurance == "hit_or_miss" and run >= 2:
            reasons.append(
                (
                    "assurance",
                    "SPC assurance: the target is within the process limits, so ordinary "
                    f"variation could meet it, but it has been missed {run} {noun}s running.",
                )
            )
        elif assurance in ASSURANCE_WORDS:
            reasons.append(("assurance", ASSURANCE_WORDS[assurance]))

    # recent trend
    trend_direction = trend_judgement = "cannot be calculated"
    n_trend = int(settings["trend_points"])
    tail = (
        [i for i in range(k + 1) if not pd.isna(series.numerator[i])][-n_trend:] if n_trend else []
    )  # as DataFrame.tail(n_trend) of the rows with a numerator
    if value is not None and len(tail) >= n_trend and ind["frequency"] != "annual":
        t = trend.recent_trend(
            [series.numerator[i] for i in tail],
            None if unit == "count" else [series.denominator[i] for i in tail],
            unit=unit,
            n_points=n_trend,
            polarity=polarity,
        )
        trend_direction, trend_judgement = t.direction, t.judgement
        if t.direction in ("increasing", "decreasing"):
            judged = "" if t.judgement in ("no judgement",) else f" ({t.judgement})"
            reasons.append(
                (
                    "trend",
                    f"Recent trend: significantly {t.direction} over the last "
                    f"{n_trend} {noun}s{judged}.",
                )
            )

    # RAG and the critical flag
    concern = variation is not None and "concern" in variation
    if value is None or polarity == "no_judgement":
        rag = "grey"
    elif status is not None:
        rag = {"on track": "green", "at risk": "amber", "off track": "red"}.get(
            status.status, "grey"
        )
    else:
        rag = {"better": "green", "similar": "amber", "worse": "red"}.get(comparison, "grey")
    if concern and assurance == "fail":
        rag = "red"
    if status is None and value is not None and polarity != "no_judgement":
        label = {
            "green": "Better than Lancashire",
            "amber": "Similar to Lancashire",
            "red": "Worse than Lancashire",
        }.get(rag, "No target")
    elif value is None:
        label = "No data"
    else:
        label = RAG_LABELS[rag]
    critical = False
    if run >= consecutive_needed:
        critical = True
        reasons.append(
            (
                "critical",
                f"Critical: off track for {run} {noun}s running (the rule is "
                f"{consecutive_needed}); a recovery plan is required.",
            )
        )
    elif (
        settings["critical_on_spc_concern_with_failing_assurance"]
        and concern
        and assurance == "fail"
    ):
        critical = True
        reasons.append(
            (
                "critical",
                "Critical: special-cause concern with failing assurance; a recovery plan "
                "is required.",
            )
        )

    return Verdict(
        indicator_code=code,
        area_code=area,
        period_label=period,
        unit=unit,
        data_kind=str(demo_labels.kind_of(series.data_kind[k], ind["data_kind"])),
        figure_status=str(series.status[k] or "final"),
        value=value,
        lower=lower,
        upper=upper,
        numerator=_nan_to_none(series.numerator[k]),
        denominator=_nan_to_none(series.denominator[k]),
        target=tgt,
        target_status=target_status,
        target_message=target_message,
        benchmark_code=bcode,
        benchmark_value=bval,
        comparison=comparison,
        variation=variation,
        assurance=assurance,
        spc_message=spc_message,
        trend_direction=trend_direction,
        trend_judgement=trend_judgement,
        rag=rag,
        label=label,
        periods_off_track=run,
        critical=critical,
        reasons=tuple(words for _kind, words in reasons),
        reason_kinds=tuple(kind for kind, _words in reasons),
        spc_result=result,
        spc_labels=spc_labels,
    )


# The observation columns an assessment reads (see _SERIES_COLUMNS); the others (ids, upload
# details, period dates) are left out, since aggregating carries every column along at a cost.
_ASSESSED_COLUMNS = (
    "indicator_code",
    "area_code",
    "period_label",
    "numerator",
    "denominator",
    "value",
    "status",
    "data_kind",
)


def _by_indicator(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A frame's rows split by indicator_code, each part in the frame's order."""
    return {code: part for code, part in frame.groupby("indicator_code", sort=False)}


def assess(
    inputs: Inputs,
    settings: dict,
    period_labels: Iterable[str] | None = None,
    area_codes: Iterable[str] | None = None,
    indicator_codes: Iterable[str] | None = None,
) -> list[Verdict]:
    """Verdicts for every indicator x area (and grouping) x period asked for."""
    period_labels = None if period_labels is None else set(period_labels)
    area_codes = None if area_codes is None else set(area_codes)
    wanted = None if indicator_codes is None else set(indicator_codes)
    observations = inputs.observations[
        [c for c in inputs.observations.columns if c in _ASSESSED_COLUMNS]
    ]
    own_observations = _by_indicator(observations)
    own_targets = _by_indicator(inputs.targets)
    out: list[Verdict] = []
    for ind in inputs.indicators.to_dict("records"):
        if wanted is not None and ind["code"] not in wanted:
            continue
        scoped = Inputs(
            inputs.indicators,
            own_targets.get(ind["code"], inputs.targets.iloc[:0]),
            own_observations.get(ind["code"], observations.iloc[:0]),
            inputs.area_members,
            inputs.areas,
            inputs.periods,
        )
        out.extend(assess_indicator(ind, scoped, settings, period_labels, area_codes))
    return out


#: Verdict fields that are plain values (a frame's columns); the SPC result is not.
FRAME_COLUMNS = tuple(
    f for f in Verdict.__dataclass_fields__ if f not in ("spc_result", "spc_labels")
)


def to_frame(verdicts: list[Verdict]) -> pd.DataFrame:
    rows = [{c: getattr(v, c) for c in FRAME_COLUMNS} for v in verdicts]
    df = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    df["reasons"] = df["reasons"].map(lambda r: list(r) if r is not None else [])
    df["reason_kinds"] = df["reason_kinds"].map(lambda r: list(r) if r is not None else [])
    return df


def latest_period(inputs: Inputs, frequency: str = "quarterly") -> str | None:
    """The latest period of ``frequency`` that has any figure."""
    per = inputs.periods[inputs.periods["frequency"] == frequency]
    have = per[per["label"].isin(set(inputs.observations["period_label"]))]
    return None if have.empty else str(have.sort_values("start_date")["label"].iloc[-1])
