"""The evidence that pre-fills a recovery plan: what the data says, in figures and words.

:func:`build_evidence` gathers, for one indicator, area and period:

* the verdict (RAG, label, whether critical, how long off track) and its reasons;
* the latest figure with its 95% confidence interval, the target and its status, the
  benchmark (pan-Lancashire) and the comparison with it, and the figure a year earlier;
* the SPC picture (variation, assurance, the rules in words) and the recent trend;
* the recent series (for the plan's chart);
* which areas drive the change and the shortfall: each member's contribution to the
  grouping's change since the same period a year earlier and to its gap from the target
  (:mod:`csa.plans.contributions`). A plan for a grouping splits that grouping; a plan for
  a district or unitary shows its share within its policing area and within Lancashire.

Everything is plain JSON-able values, stored in the plan so that the plan keeps what the
data said when it was drafted, even after later figures arrive.
"""

from __future__ import annotations

import math

import pandas as pd

from csa import demo_labels
from csa.areas import AGGREGATE_KINDS, PAN_LANCASHIRE
from csa.assess import Inputs, assess, fmt, series_with_ci
from csa.plans.contributions import METHODS, ContributionError, decompose

SERIES_POINTS = 13
COMPARISON_WORDS = {
    "better": "better than",
    "worse": "worse than",
    "similar": "similar to",
    "higher": "higher than",
    "lower": "lower than",
}


def _num(x) -> float | None:
    if x is None:
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def year_earlier(periods: pd.DataFrame, period_label: str) -> str | None:
    """The same period a year before (4 quarters, 12 months or 1 year back), or None."""
    per = periods.sort_values("start_date")
    freq = per.loc[per["label"] == period_label, "frequency"]
    if freq.empty:
        return None
    same = per.loc[per["frequency"] == freq.iloc[0], "label"].tolist()
    step = {"quarterly": 4, "monthly": 12, "annual": 1}.get(freq.iloc[0], 1)
    i = same.index(period_label)
    return same[i - step] if i - step >= 0 else None


def groupings_for(areas: pd.DataFrame, members: pd.DataFrame, area_code: str) -> list[str]:
    """Whose change to split: the area itself if it is a grouping; else its policing area
    (when it has one) and pan-Lancashire."""
    kinds = dict(zip(areas["code"], areas["kind"], strict=True))
    if kinds.get(area_code) in AGGREGATE_KINDS:
        return [area_code]
    groups = set(members.loc[members["member_code"] == area_code, "group_code"])
    policing = [g for g in groups if kinds.get(g) == "policing_area"]
    return sorted(policing) + [PAN_LANCASHIRE]


def _verdict_dict(v) -> dict:
    return {
        "rag": v.rag,
        "label": v.label,
        "critical": bool(v.critical),
        "periods_off_track": int(v.periods_off_track),
        "reasons": list(v.reasons),
    }


def _contribution_block(obs, members, ind, group, names, from_p, to_p, target, focus) -> dict:
    member_codes = members.loc[members["group_code"] == group, "member_code"].tolist()
    block = {"group_code": group, "group_name": names.get(group, group), "focus": focus}
    unit, mult = ind["unit"], float(ind["multiplier"])
    for basis, tgt in (("change", None), ("shortfall", target)):
        if basis == "shortfall" and tgt is None:
            block[basis] = None
            continue
        try:
            d = decompose(obs, member_codes, unit, mult, from_p, to_p, group_code=group, target=tgt)
        except ContributionError as exc:
            block[basis] = {"error": str(exc)}
            continue
        block[basis] = {
            "method": d.method,
            "method_words": METHODS[d.method],
            "from_period": d.from_period,
            "to_period": d.to_period,
            "from_value": d.from_value,
            "to_value": d.to_value,
            "total": d.total,
            "rows": [
                {
                    "area_code": r.area_code,
                    "area_name": names.get(r.area_code, r.area_code),
                    "from_value": _num(r.from_value),
                    "to_value": _num(r.to_value),
                    "contribution": float(r.contribution),
                    "share_of_total": _num(r.share_of_total),
                }
                for r in d.rows.itertuples(index=False)
            ],
        }
    return block


def _direction(change: float, polarity: str) -> str:
    if change == 0:
        return "unchanged"
    up = change > 0
    verb = "rose" if up else "fell"
    if polarity == "low_is_good":
        return f"{verb} ({'worse' if up else 'better'})"
    if polarity == "high_is_good":
        return f"{verb} ({'better' if up else 'worse'})"
    return verb


def summary_lines(ev: dict) -> list[str]:
    """The evidence in a few sentences, for the plan's opening and the Word document."""
    unit, f = ev["unit"], ev["figures"]
    lines = []
    off = ev["verdict"]["periods_off_track"]
    nouns = {"quarterly": "quarters", "monthly": "months", "annual": "years"}
    noun = nouns.get(ev.get("frequency"), "periods")
    target = (
        (
            f" against a target of {fmt(f['target'], unit)} ({f['target_status']}"
            + (f" for {off} {noun} running" if off >= 2 else "")
            + ")"
        )
        if f["target"] is not None
        else ""
    )
    lines.append(
        f"{ev['indicator_title']} in {ev['area_name']} was "
        f"{fmt(f['value'], unit)} {ev['unit_words']} in {ev['period_label']}"
        f"{target}."
    )
    if f["year_earlier_value"] is not None and f["value"] is not None:
        change = f["value"] - f["year_earlier_value"]
        lines.append(
            f"A year earlier ({f['year_earlier_period']}) it was "
            f"{fmt(f['year_earlier_value'], unit)}: it "
            f"{_direction(change, ev['polarity'])} by {fmt(abs(change), unit)}."
        )
    if f["benchmark_value"] is not None and f["comparison"] != "not compared":
        words = COMPARISON_WORDS.get(f["comparison"], f["comparison"])
        lines.append(
            f"{ev['area_name']} is {words} Lancashire as a whole "
            f"({fmt(f['benchmark_value'], unit)}), by 95% confidence intervals."
        )
    for block in ev["contributions"]:
        change = block.get("change") or {}
        rows = change.get("rows") or []
        if not rows:
            continue
        total = change["total"]
        top = rows[0]
        bits = (
            f"{block['group_name']}'s figure {_direction(total, ev['polarity'])} by "
            f"{fmt(abs(total), unit)} since {change['from_period']}; the largest "
            f"contribution was {top['area_name']} ({top['contribution']:+.2f})"
        )
        if block["focus"] and block["focus"] != top["area_code"]:
            mine = next((r for r in rows if r["area_code"] == block["focus"]), None)
            if mine:
                bits += f", and {mine['area_name']} contributed {mine['contribution']:+.2f}"
        lines.append(bits + ".")
    return lines


def build_evidence(
    inputs: Inputs,
    settings: dict,
    indicator_code: str,
    area_code: str,
    period_label: str,
    series_points: int = SERIES_POINTS,
) -> dict:
    """The pre-filled evidence for a plan on ``indicator_code`` in ``area_code`` for
    ``period_label`` (see the module docstring). Raises ValueError for an unknown code or a
    period with no verdict."""
    inds = inputs.indicators.set_index("code")
    if indicator_code not in inds.index:
        raise ValueError(f"unknown indicator {indicator_code!r}")
    names = dict(zip(inputs.areas["code"], inputs.areas["name"], strict=True))
    if area_code not in names:
        raise ValueError(f"unknown area {area_code!r}")
    ind = inds.loc[indicator_code].to_dict() | {"code": indicator_code}
    groups = groupings_for(inputs.areas, inputs.area_members, area_code)
    earlier = year_earlier(inputs.periods, period_label)
    periods = [period_label] + ([earlier] if earlier else [])
    verdicts = assess(
        inputs,
        settings,
        period_labels=periods,
        area_codes=[area_code, *groups],
        indicator_codes=[indicator_code],
    )
    by_key = {(v.area_code, v.period_label): v for v in verdicts}
    v = by_key.get((area_code, period_label))
    if v is None:
        raise ValueError(
            f"no figure for {indicator_code} in {names[area_code]} in "
            f"{period_label}, so there is no evidence to draft from"
        )
    before = by_key.get((area_code, earlier)) if earlier else None

    series = series_with_ci(ind, inputs, float(settings.get("confidence", 0.95)))
    here = series[series["area_code"] == area_code]
    labels = here["period_label"].tolist()
    here = here.iloc[: labels.index(period_label) + 1].tail(series_points)

    obs = inputs.observations[inputs.observations["indicator_code"] == indicator_code]
    blocks = []
    for group in groups:
        gv = by_key.get((group, period_label))
        if earlier is None:
            continue
        blocks.append(
            _contribution_block(
                obs,
                inputs.area_members,
                ind,
                group,
                names,
                earlier,
                period_label,
                gv.target if gv is not None else None,
                focus=None if group == area_code else area_code,
            )
        )

    multiplier = int(ind["multiplier"])
    unit_words = {"rate": f"per {multiplier:,}", "percentage": "", "count": ""}.get(ind["unit"], "")
    evidence = {
        "indicator_code": indicator_code,
        "indicator_title": ind["title"],
        "unit": ind["unit"],
        "multiplier": multiplier,
        "unit_words": unit_words,
        "polarity": ind["polarity"],
        "frequency": ind["frequency"],
        "data_kind": v.data_kind,  # the figure's own (a real return is real), not the default
        "lead_org_code": ind["lead_org_code"],
        "lead_organisation": ind.get("lead_organisation") or ind["lead_org_code"],
        "public": bool(ind["public"]),
        "area_code": area_code,
        "area_name": names[area_code],
        "period_label": period_label,
        "verdict": _verdict_dict(v),
        "figures": {
            "value": v.value,
            "lower": v.lower,
            "upper": v.upper,
            "numerator": v.numerator,
            "denominator": v.denominator,
            "status": v.figure_status,
            "target": v.target,
            "target_status": v.target_status,
            "target_message": v.target_message,
            "benchmark_code": v.benchmark_code,
            "benchmark_name": names.get(v.benchmark_code) if v.benchmark_code else None,
            "benchmark_value": v.benchmark_value,
            "comparison": v.comparison,
            "year_earlier_period": earlier,
            "year_earlier_value": before.value if before is not None else None,
        },
        "spc": {"variation": v.variation, "assurance": v.assurance, "message": v.spc_message},
        "trend": {"direction": v.trend_direction, "judgement": v.trend_judgement},
        "series": [
            {
                "period_label": r.period_label,
                "value": _num(r.value),
                "lower": _num(r.lower),
                "upper": _num(r.upper),
                "data_kind": demo_labels.kind_of(getattr(r, "data_kind", None), ind["data_kind"]),
            }
            for r in here.itertuples(index=False)
        ],
        "contributions": blocks,
    }
    evidence["summary"] = summary_lines(evidence)
    return evidence
