"""Suggested, data-driven scores for the volume and trend criteria.

An analyst can accept a suggestion as the score (it is then stored with source
``suggested``) or overwrite it. Suggestions use only the indicators linked to an issue
(``sa_issues.indicator_codes``) that are public; restricted indicators (e.g. organised
crime disruptions) are never used, so a suggestion never reveals them.

Volume (criterion ``VOLUME``)
-----------------------------
For each linked indicator, the area's *level* is

* recorded crime (annual ``REC-*``): crimes in the latest bundled year per 1,000 residents;
* a quarterly rate or percentage: the pooled value over the four quarters to the round's
  reference quarter (sum of numerators over sum of denominators, times the multiplier);
* a quarterly count: the four quarters' count per 1,000 residents.

The 14 partnerships are put in order of level and each gets a percentile
``p = (rank - 1) / 13`` (rank 1 = lowest level; ties take their average rank). Where a high
value is good (e.g. treatment completions) ``p`` is turned round (``1 - p``). The issue's
``p`` is the mean over its indicators and the suggested score is
``min + round(p x (max - min))`` (halves round up): on a 1-5 scale the lowest-volume
partnership gets 1 and the highest 5.

Trend (criterion ``TREND``)
---------------------------
For each linked quarterly indicator with eight quarters up to the reference quarter, the
change is (level of the latest four quarters) / (level of the four before) - 1, turned
round where a high value is good. The issue's change is the mean over its indicators and
falls in one of five bands: 10% or more down, 2.5% to 10% down, within 2.5%, 2.5% to 10% up,
10% or more up; these map to the scale from its minimum (falling) to its maximum (rising
fast), i.e. 1 to 5 on a 1-5 scale. Annual recorded crime has one year only and no trend.

A suggestion built from any demo indicator is marked ``demo``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VOLUME, TREND = "VOLUME", "TREND"
SUGGESTED_CRITERIA = (VOLUME, TREND)
TREND_BANDS = (-0.10, -0.025, 0.025, 0.10)  # band edges of the change, as fractions
SUGGESTION_COLUMNS = ["area_code", "issue_code", "criterion_code", "score", "basis", "data_kind"]


def round_half_up(x: float) -> int:
    return int(np.floor(x + 0.5))


def scale_score(p: float, scale_min: int, scale_max: int) -> int:
    """Map a fraction 0..1 onto the scale: min + round(p x (max - min)), halves up."""
    p = min(max(float(p), 0.0), 1.0)
    return int(scale_min) + round_half_up(p * (int(scale_max) - int(scale_min)))


def trend_band(change: float) -> int:
    """0 (10% or more down) .. 4 (10% or more up); the change is rounded to 9 decimal
    places first, so 72/80 - 1 counts as exactly 10% down."""
    change = round(float(change), 9)
    lo2, lo1, hi1, hi2 = TREND_BANDS
    if change <= lo2:
        return 0
    if change <= lo1:
        return 1
    if change < hi1:
        return 2
    if change < hi2:
        return 3
    return 4


def percentiles(levels: pd.Series) -> pd.Series:
    """(average rank - 1) / (n - 1), rank 1 = lowest; 0.5 for every area when n = 1."""
    levels = levels.dropna()
    if len(levels) <= 1:
        return pd.Series(0.5, index=levels.index)
    return (levels.rank(method="average") - 1) / (len(levels) - 1)


def _linked(issue_indicator_codes: str, indicators: pd.DataFrame) -> pd.DataFrame:
    codes = [c.strip() for c in str(issue_indicator_codes or "").split(",") if c.strip()]
    ind = indicators[indicators["code"].isin(codes) & indicators["public"].astype(bool)]
    return ind.set_index("code").reindex([c for c in codes if c in set(ind["code"])])


def _quarters_to(periods: pd.DataFrame, as_of: str, n: int) -> list[str]:
    q = periods[periods["frequency"] == "quarterly"].sort_values("start_date")
    labels = list(q["label"])
    if as_of not in labels:
        raise ValueError(f"reference quarter {as_of!r} is not a quarterly period")
    end = labels.index(as_of) + 1
    return labels[max(0, end - n) : end]


def _level(obs: pd.DataFrame, ind: pd.Series, populations: pd.Series) -> pd.Series:
    """Level per area from the rows in ``obs`` (one indicator, chosen periods)."""
    grp = obs.groupby("area_code")
    num = grp["numerator"].sum(min_count=1)
    if ind["unit"] == "count":
        pop = populations.reindex(num.index)
        return num / pop * 1000
    if str(ind["code"]).startswith("REC-"):
        pop = populations.reindex(num.index)
        return num / pop * 1000
    den = grp["denominator"].sum(min_count=1)
    return num / den * float(ind["multiplier"])


def suggest(
    issues: pd.DataFrame,
    criteria: pd.DataFrame,
    observations: pd.DataFrame,
    indicators: pd.DataFrame,
    periods: pd.DataFrame,
    populations: pd.Series,
    area_codes,
    as_of: str,
) -> pd.DataFrame:
    """Suggested scores for the round's VOLUME and TREND criteria (see the module doc).

    Parameters
    ----------
    issues : DataFrame
        code, indicator_codes.
    criteria : DataFrame
        code, scale_min, scale_max (only VOLUME and TREND are suggested).
    observations : DataFrame
        Current figures: indicator_code, area_code, period_label, numerator, denominator.
    indicators, periods : DataFrame
        The catalogue (code, unit, multiplier, polarity, frequency, public, data_kind) and
        the periods (label, start_date, frequency).
    populations : Series
        Residents by area code.
    area_codes : iterable
        The partnerships to score (the comparison is among them).
    as_of : str
        The reference quarter, e.g. "2025-26 Q4".
    """
    crit = criteria.set_index("code")
    areas = list(area_codes)
    recent = _quarters_to(periods, as_of, 4)
    eight = _quarters_to(periods, as_of, 8)
    before = eight[:-4] if len(eight) == 8 else []
    annual = periods[periods["frequency"] == "annual"].sort_values("end_date")
    latest_annual = annual["label"].iloc[-1] if not annual.empty else None
    obs = observations[observations["area_code"].isin(areas)]
    rows = []
    for issue in issues.to_dict("records"):
        linked = _linked(issue.get("indicator_codes", ""), indicators)
        if VOLUME in crit.index and not linked.empty:
            rows += _volume_rows(
                issue["code"],
                linked,
                obs,
                populations,
                areas,
                recent,
                latest_annual,
                crit.loc[VOLUME],
            )
        if TREND in crit.index and not linked.empty and before:
            rows += _trend_rows(issue["code"], linked, obs, areas, recent, before, crit.loc[TREND])
    return pd.DataFrame(rows, columns=SUGGESTION_COLUMNS)


def _volume_rows(issue_code, linked, obs, populations, areas, recent, latest_annual, crit):
    parts, used, kinds = [], [], set()
    for code, ind in linked.iterrows():
        ind = ind.copy()
        ind["code"] = code
        if ind["frequency"] == "annual":
            periods, when = [latest_annual], str(latest_annual)
        else:
            periods, when = recent, f"4 quarters to {recent[-1]}"
        rows = obs[(obs["indicator_code"] == code) & obs["period_label"].isin(periods)]
        if rows.empty:
            continue
        level = _level(rows, ind, populations).reindex(areas)
        p = percentiles(level)
        if ind["polarity"] == "high_is_good":
            p = 1 - p
        parts.append(p.reindex(areas))
        used.append(f"{code} ({ind['data_kind']}, {when})")
        kinds.add(ind["data_kind"])
    if not parts:
        return []
    mean_p = pd.concat(parts, axis=1).mean(axis=1, skipna=False)
    kind = "demo" if "demo" in kinds else "real"
    out = []
    for area, p in mean_p.items():
        if pd.isna(p):
            continue
        score = scale_score(p, crit["scale_min"], crit["scale_max"])
        out.append(
            {
                "area_code": area,
                "issue_code": issue_code,
                "criterion_code": VOLUME,
                "score": score,
                "data_kind": kind,
                "basis": f"volume percentile {p:.2f} among {len(areas)} partnerships "
                f"(1 = highest) from " + "; ".join(used),
            }
        )
    return out


def _trend_rows(issue_code, linked, obs, areas, recent, before, crit):
    parts, used, kinds = [], [], set()
    for code, ind in linked.iterrows():
        if ind["frequency"] != "quarterly":
            continue
        ind = ind.copy()
        ind["code"] = code
        now_rows = obs[(obs["indicator_code"] == code) & obs["period_label"].isin(recent)]
        old_rows = obs[(obs["indicator_code"] == code) & obs["period_label"].isin(before)]
        if now_rows.empty or old_rows.empty:
            continue
        pops = pd.Series(1.0, index=areas)  # counts compared with counts: population cancels
        now = _level(now_rows, ind, pops).reindex(areas)
        old = _level(old_rows, ind, pops).reindex(areas)
        change = now / old.where(old > 0) - 1
        if ind["polarity"] == "high_is_good":
            change = -change
        parts.append(change)
        used.append(f"{code} ({ind['data_kind']})")
        kinds.add(ind["data_kind"])
    if not parts:
        return []
    mean_change = pd.concat(parts, axis=1).mean(axis=1, skipna=False)
    kind = "demo" if "demo" in kinds else "real"
    lo, hi = int(crit["scale_min"]), int(crit["scale_max"])
    out = []
    for area, change in mean_change.items():
        if pd.isna(change):
            continue
        band = trend_band(change)
        out.append(
            {
                "area_code": area,
                "issue_code": issue_code,
                "criterion_code": TREND,
                "score": scale_score(band / 4, lo, hi),
                "data_kind": kind,
                "basis": f"change {change:+.1%} ({recent[0]}–{recent[-1]} against "
                f"{before[0]}–{before[-1]}; rising = higher score) from " + "; ".join(used),
            }
        )
    return out
