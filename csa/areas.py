"""Areas, their groupings, populations, and aggregation from numerators and denominators.

The base areas are the 14 Community Safety Partnership areas (the 12 Lancashire districts
and the unitaries Blackburn with Darwen and Blackpool), keyed on their ONS local authority
district code. Groupings above them are computed, never averaged:

* three policing areas (West, South, East), as the CSA defines them;
* Lancashire-12, the county council area (ONS E10000017);
* pan-Lancashire, the 14 areas, i.e. the police force area (ONS E23000003). Police figures
  that the Home Office could not assign to a CSP ("Unassigned Lancashire") count toward
  pan-Lancashire only, so that force totals reconcile.

A grouping's figure is the sum of its members' numerators over the sum of their
denominators (times the multiplier); a count is the sum of counts. A grouping is only given
a figure when every member has one for that period; otherwise it says which are missing.
A grouping's figure is demo data when any member's figure for that period is demo.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csa import demo_labels

POLICING_AREAS = {"PA-WEST": "West", "PA-SOUTH": "South", "PA-EAST": "East"}
LANCASHIRE_12 = "E10000017"
PAN_LANCASHIRE = "E23000003"
UNASSIGNED = "UNASSIGNED"

AGGREGATE_KINDS = ("policing_area", "county", "pan")
BASE_KINDS = ("district", "unitary")


def value_from_parts(numerator, denominator, unit: str, multiplier: float):
    """Figure from numerator and denominator: count = numerator; rate/percentage = n/d*m.

    Works on scalars and arrays; a zero or missing denominator gives NaN.
    """
    num = np.asarray(numerator, dtype=float)
    if unit == "count":
        return num if num.ndim else float(num)
    if unit not in ("rate", "percentage"):
        raise ValueError(f"unit must be 'count', 'rate' or 'percentage', not {unit!r}")
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / den * float(multiplier), np.nan)
    return out if out.ndim else float(out)


def population_for_year(populations: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each area's population for ``year``: that year's estimate, else the latest before it,
    else the earliest after it. Returns area_code, population, population_year."""
    rows = []
    for code, grp in populations.groupby("area_code"):
        grp = grp.sort_values("year")
        before = grp[grp["year"] <= year]
        pick = before.iloc[-1] if not before.empty else grp.iloc[0]
        rows.append(
            {
                "area_code": code,
                "population": int(pick["population"]),
                "population_year": int(pick["year"]),
            }
        )
    return pd.DataFrame(rows, columns=["area_code", "population", "population_year"])


def population_nearest(populations: pd.DataFrame, when) -> pd.DataFrame:
    """Each area's population from the mid-year estimate nearest ``when`` (a date).

    A mid-year estimate refers to 30 June; the estimate whose 30 June is nearest ``when``
    is used (the earlier one on a tie). Returns area_code, population, population_year.
    """
    when = pd.Timestamp(when)
    rows = []
    for code, grp in populations.groupby("area_code"):
        gaps = [
            (abs((pd.Timestamp(int(y), 6, 30) - when).days), int(y), int(p))
            for y, p in zip(grp["year"], grp["population"], strict=True)
        ]
        _gap, year, pop = min(gaps)
        rows.append({"area_code": code, "population": pop, "population_year": year})
    return pd.DataFrame(rows, columns=["area_code", "population", "population_year"])


def aggregate(
    observations: pd.DataFrame,
    members: pd.DataFrame,
    unit: str,
    multiplier: float = 1,
    group_codes=None,
) -> pd.DataFrame:
    """Aggregate base-area figures to groupings by summing numerators and denominators.

    Parameters
    ----------
    observations : DataFrame
        Columns area_code, period_label, numerator, denominator (one indicator).
    members : DataFrame
        Columns group_code, member_code.
    unit : {"count", "rate", "percentage"}
    multiplier : number
        1,000 for a rate per 1,000; 100 for a percentage.
    group_codes : iterable, optional
        Only these groupings.

    Returns
    -------
    DataFrame
        area_code (the grouping), period_label, numerator, denominator, value, members_expected,
        members_reporting, complete, missing (comma-separated names of absent member codes).
        Incomplete groupings get NaN figures rather than a partial sum.
    """
    cols = [
        "area_code",
        "period_label",
        "numerator",
        "denominator",
        "value",
        "members_expected",
        "members_reporting",
        "complete",
        "missing",
    ]
    if unit not in ("count", "rate", "percentage"):
        raise ValueError(f"unit must be 'count', 'rate' or 'percentage', not {unit!r}")
    m = members if group_codes is None else members[members["group_code"].isin(list(group_codes))]
    if observations.empty or m.empty:
        return pd.DataFrame(columns=cols)
    obs = observations[["area_code", "period_label", "numerator", "denominator"]].copy()
    obs["numerator"] = pd.to_numeric(obs["numerator"], errors="coerce")
    obs["denominator"] = pd.to_numeric(obs["denominator"], errors="coerce")
    # A member that never reports for this indicator in any period is not required (e.g.
    # Unassigned, which only has police figures).
    required = m[m["member_code"].isin(set(obs["area_code"]))]
    if required.empty:
        return pd.DataFrame(columns=cols)
    expected = required.groupby("group_code")["member_code"].apply(set)
    joined = required.merge(obs, left_on="member_code", right_on="area_code", how="inner")
    joined["has_num"] = joined["numerator"].notna()
    # for rates and percentages a member with a numerator but no denominator makes the sum
    # meaningless, unless it is the Unassigned row whose population is genuinely nil
    joined["bad_den"] = (
        (unit != "count")
        & joined["has_num"]
        & joined["denominator"].isna()
        & (joined["member_code"] != UNASSIGNED)
    )
    g = joined.groupby(["group_code", "period_label"], sort=False)
    out = (
        pd.DataFrame(
            {
                "numerator": g["numerator"].sum(min_count=1),
                "denominator": g["denominator"].sum(min_count=1) if unit != "count" else np.nan,
                "members_reporting": g["has_num"].sum().astype(int),
                "bad": g["bad_den"].sum().astype(int),
            }
        )
        .reset_index()
        .rename(columns={"group_code": "area_code"})
    )
    out["members_expected"] = out["area_code"].map(expected.map(len)).astype(int)
    out["complete"] = (out["members_reporting"] == out["members_expected"]) & (out["bad"] == 0)
    missing = []
    for row in out.itertuples(index=False):
        if row.complete:
            missing.append("")
            continue
        have = joined[
            (joined["group_code"] == row.area_code) & (joined["period_label"] == row.period_label)
        ]
        absent = expected[row.area_code] - set(have.loc[have["has_num"], "member_code"])
        absent |= set(have.loc[have["bad_den"], "member_code"])
        missing.append(",".join(sorted(absent)))
    out["missing"] = missing
    value = value_from_parts(out["numerator"], out["denominator"], unit, multiplier)
    out["value"] = np.where(out["complete"], value, np.nan)
    for col in ("numerator", "denominator"):
        out[col] = out[col].where(out["complete"])
    return out[cols]


def with_aggregates(
    observations: pd.DataFrame, members: pd.DataFrame, unit: str, multiplier: float = 1
) -> pd.DataFrame:
    """Base-area observations plus every grouping's aggregate, one frame."""
    base = observations.copy()
    base["complete"] = True
    base["missing"] = ""
    agg = aggregate(observations, members, unit, multiplier)
    if agg.empty:
        return base
    agg = agg.drop(columns=["members_expected", "members_reporting"])
    # columns that describe the indicator or the period carry over from the members
    if "indicator_code" in base:
        values = base["indicator_code"].dropna().unique()
        agg["indicator_code"] = values[0] if len(values) == 1 else None
    if "data_kind" in base:
        agg["data_kind"] = group_kinds(base, members, agg)
    period_cols = [c for c in ("period_start", "period_end", "period_frequency") if c in base]
    if period_cols:
        per = base[["period_label", *period_cols]].drop_duplicates("period_label")
        agg = agg.merge(per, on="period_label", how="left")
    if "status" in base:
        agg["status"] = group_statuses(base, members, agg)
    for col in base.columns:
        if col not in agg.columns:
            agg[col] = np.nan
    return pd.concat([base, agg[base.columns]], ignore_index=True)


def group_kinds(base: pd.DataFrame, members: pd.DataFrame, groups: pd.DataFrame) -> list:
    """The data kind of each grouping's figure (rows of ``groups``: area_code, period_label):
    demo when any member's figure for that period is demo, real when all are real
    (:func:`csa.demo_labels.combine`), so one real return does not relabel other periods."""
    kind = base["data_kind"].map(demo_labels.kind_of)
    flags = _any_member(
        base.assign(_demo=kind == demo_labels.DEMO, _known=kind.notna()),
        members,
        groups,
        ["_demo", "_known"],
    )
    return [
        None if not known else (demo_labels.DEMO if demo else demo_labels.REAL)
        for demo, known in zip(flags["_demo"], flags["_known"], strict=True)
    ]


def group_statuses(base: pd.DataFrame, members: pd.DataFrame, groups: pd.DataFrame) -> list:
    """Each grouping's status: provisional when any member's figure for that period is
    provisional (per group and period: a provisional figure in Blackpool does not make the
    East policing area provisional)."""
    flags = _any_member(
        base.assign(_prov=base["status"] == "provisional"), members, groups, ["_prov"]
    )
    return ["provisional" if p else "final" for p in flags["_prov"]]


def _any_member(
    base: pd.DataFrame, members: pd.DataFrame, groups: pd.DataFrame, flags: list[str]
) -> pd.DataFrame:
    """For each row of ``groups`` (area_code, period_label), whether any member's row of
    ``base`` for that period has each boolean column in ``flags`` set (False when none)."""
    joined = members.merge(
        base[["area_code", "period_label", *flags]],
        left_on="member_code",
        right_on="area_code",
        how="inner",
    )
    g = joined.groupby(["group_code", "period_label"], sort=False)[flags].any()
    keys = pd.MultiIndex.from_arrays([groups["area_code"], groups["period_label"]])
    return g.reindex(keys).fillna(False).astype(bool).reset_index(drop=True)
