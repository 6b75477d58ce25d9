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

Every figure (value, interval, target, status, SPC, trend, reasons, the series) is the
published signed-in figure (:mod:`csa.publish`), never assessed again here, so a plan says
what the scorecard and the board pack say. Numbers in the words come from the published
texts or :mod:`csa.formatting`: differences of percentages in percentage points, of counts
and rates as a relative % (:func:`csa.formatting.difference`).

Everything is plain JSON-able values, stored in the plan so that the plan keeps what the
data said when it was drafted, even after later figures arrive.
"""

from __future__ import annotations

import math

import pandas as pd

from csa import demo_labels, formatting, publish
from csa.areas import AGGREGATE_KINDS, PAN_LANCASHIRE
from csa.assess import Inputs
from csa.plans.contributions import METHODS, ContributionError, decompose, describe

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


def _verdict_dict(v: dict) -> dict:
    return {
        "rag": v["rag"],
        "label": v["label"],
        "status_text": v["status_text"],
        "critical": bool(v["critical"]),
        "periods_off_track": int(v["periods_off_track"]),
        "reasons": list(v["reasons"]),
    }


def _text(x) -> str | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else str(x)


def published_figures(db, settings: dict, indicator_code: str) -> pd.DataFrame:
    """The published signed-in figures of one indicator (every area and period), publishing
    the current data version first if need be: what :func:`build_evidence` draws from."""
    key = publish.ensure(db, settings)
    return publish.read(db, key, "signed_in", indicators=[indicator_code])


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
                    "direction": r.direction,
                    "share": _num(r.share),
                    # kept for readers of older plans (the plan editor): now the share of
                    # the total rise or fall, never of the net change
                    "share_of_total": _num(r.share),
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
    """The evidence in a few sentences, for the plan's opening and the Word document: every
    figure as published (value_text, target_text) or through :mod:`csa.formatting`."""
    unit, f = ev["unit"], ev["figures"]
    lines = []
    off = ev["verdict"]["periods_off_track"]
    nouns = {"quarterly": "quarters", "monthly": "months", "annual": "years"}
    noun = nouns.get(ev.get("frequency"), "periods")
    target = (
        (
            f" against a target of {f['target_text']} ({f['target_status']}"
            + (f" for {off} {noun} running" if off >= 2 else "")
            + ")"
        )
        if f["target"] is not None
        else ""
    )
    words = f" {ev['unit_words']}" if ev["unit_words"] else ""
    lines.append(
        f"{ev['indicator_title']} in {ev['area_name']} was {f['value_text']}{words} in "
        f"{ev['period_label']}{target}."
    )
    if f["year_earlier_value"] is not None and f["value"] is not None:
        change = f["value"] - f["year_earlier_value"]
        size = formatting.difference(f["value"], f["year_earlier_value"], unit)
        lines.append(
            f"A year earlier ({f['year_earlier_period']}) it was "
            f"{formatting.figure(f['year_earlier_value'], unit)}{words}: it "
            + (
                "was unchanged."
                if change == 0
                else f"{_direction(change, ev['polarity'])} by {size}."
            )
        )
    if f["benchmark_value"] is not None and f["comparison"] != "not compared":
        cmp_words = COMPARISON_WORDS.get(f["comparison"], f["comparison"])
        lines.append(
            f"{ev['area_name']} is {cmp_words} Lancashire as a whole "
            f"({formatting.figure(f['benchmark_value'], unit)}{words}), by 95% confidence "
            "intervals."
        )
    for block in ev["contributions"]:
        change = block.get("change") or {}
        rows = change.get("rows") or []
        if not rows:
            continue
        total = change["total"]
        size = formatting.difference(change["to_value"], change["from_value"], unit)
        lines.append(
            f"{block['group_name']}'s figure "
            + (
                f"was unchanged since {change['from_period']}."
                if total == 0
                else f"{_direction(total, ev['polarity'])} by {size} since {change['from_period']}."
            )
        )
        lines.extend(describe(rows, unit, block["group_name"]))
        if block["focus"]:
            mine = next((r for r in rows if r["area_code"] == block["focus"]), None)
            if mine and mine.get("share") is not None:
                what = "rise" if mine["direction"] == "rise" else "fall"
                lines.append(
                    f"{mine['area_name']} accounts for {formatting.share(mine['share'], 1)} "
                    f"of {block['group_name']}'s total {what} "
                    f"({formatting.difference(abs(mine['contribution']), 0, unit)})."
                )
    return lines


def build_evidence(
    inputs: Inputs,
    settings: dict,
    indicator_code: str,
    area_code: str,
    period_label: str,
    series_points: int = SERIES_POINTS,
    *,
    figures: pd.DataFrame,
) -> dict:
    """The pre-filled evidence for a plan on ``indicator_code`` in ``area_code`` for
    ``period_label`` (see the module docstring).

    ``figures``: the published signed-in figures of the indicator
    (:func:`published_figures`, or ``ctx.figures(indicators=[code])`` on a signed-in page),
    at least for the area and its groupings up to ``period_label``. Raises ValueError for
    an unknown code or a period with no published figure."""
    inds = inputs.indicators.set_index("code")
    if indicator_code not in inds.index:
        raise ValueError(f"unknown indicator {indicator_code!r}")
    names = dict(zip(inputs.areas["code"], inputs.areas["name"], strict=True))
    if area_code not in names:
        raise ValueError(f"unknown area {area_code!r}")
    if (figures["audience"] != "signed_in").any():
        raise ValueError("a recovery plan's evidence is drawn from the signed-in figures")
    ind = inds.loc[indicator_code].to_dict() | {"code": indicator_code}
    groups = groupings_for(inputs.areas, inputs.area_members, area_code)
    earlier = year_earlier(inputs.periods, period_label)
    mine = figures[figures["indicator_code"] == indicator_code]
    by_key = {(r["area_code"], r["period_label"]): r for r in mine.to_dict("records")}
    v = by_key.get((area_code, period_label))
    if v is None:
        raise ValueError(
            f"no figure for {indicator_code} in {names[area_code]} in "
            f"{period_label}, so there is no evidence to draft from"
        )
    before = by_key.get((area_code, earlier)) if earlier else None

    here = mine[mine["area_code"] == area_code].sort_values("period_start")
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
                _num(gv["target"]) if gv is not None else None,
                focus=None if group == area_code else area_code,
            )
        )

    multiplier = int(ind["multiplier"])
    unit_words = {"rate": f"per {multiplier:,}", "percentage": "", "count": ""}.get(ind["unit"], "")
    spc_chart = publish.spc_chart(v, mine)
    benchmark = PAN_LANCASHIRE if _num(v["benchmark_value"]) is not None else None
    evidence = {
        "indicator_code": indicator_code,
        "indicator_title": ind["title"],
        "unit": ind["unit"],
        "multiplier": multiplier,
        "unit_words": unit_words,
        "polarity": ind["polarity"],
        "frequency": ind["frequency"],
        "data_kind": v["data_kind"],  # the figure's own (a real return is real), not the default
        "lead_org_code": ind["lead_org_code"],
        "lead_organisation": ind.get("lead_organisation") or ind["lead_org_code"],
        "public": bool(ind["public"]),
        "area_code": area_code,
        "area_name": names[area_code],
        "period_label": period_label,
        "publication": v.get("publication_key"),
        "verdict": _verdict_dict(v),
        "figures": {
            "value": _num(v["value"]),
            "value_text": v["value_text"],
            "lower": _num(v["lower"]),
            "upper": _num(v["upper"]),
            "interval_text": v["interval_text"],
            "numerator": _num(v["numerator"]),
            "denominator": _num(v["denominator"]),
            "status": v["figure_status"],
            "target": _num(v["target"]),
            "target_text": v["target_text"],
            "target_status": v["target_status"],
            "benchmark_code": benchmark,
            "benchmark_name": names.get(benchmark) if benchmark else None,
            "benchmark_value": _num(v["benchmark_value"]),
            "comparison": v["comparison"],
            "comparison_text": v["comparison_text"],
            "year_earlier_period": earlier,
            "year_earlier_value": _num(before["value"]) if before is not None else None,
            "year_earlier_text": before["value_text"] if before is not None else None,
        },
        "spc": {
            "variation": _text(v["variation"]),
            "assurance": _text(v["assurance"]),
            "variation_text": v["variation_text"],
            "assurance_text": v["assurance_text"],
            "message": spc_chart.attrs.get("message", ""),
        },
        "trend": {"direction": v["trend_direction"], "judgement": v["trend_judgement"]},
        "series": [
            {
                "period_label": r["period_label"],
                "value": _num(r["value"]),
                "value_text": r["value_text"],
                "lower": _num(r["lower"]),
                "upper": _num(r["upper"]),
                "data_kind": demo_labels.kind_of(r.get("data_kind"), ind["data_kind"]),
            }
            for r in here.to_dict("records")
        ],
        "contributions": blocks,
    }
    evidence["summary"] = summary_lines(evidence)
    return evidence


def evidence_for(
    db,
    settings: dict,
    indicator_code: str,
    area_code: str,
    period_label: str,
    *,
    inputs: Inputs | None = None,
) -> dict:
    """:func:`build_evidence` read from the database: the published signed-in figures of the
    current data version (published first if need be)."""
    inputs = inputs if inputs is not None else Inputs.from_db(db)
    return build_evidence(
        inputs,
        settings,
        indicator_code,
        area_code,
        period_label,
        figures=published_figures(db, settings, indicator_code),
    )
