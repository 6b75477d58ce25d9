"""Relative position: where each partnership stands on each key issue, against the others.

Method
------
For each issue linked to police recorded crime groups (``REC-*`` in the issue's
indicators), an area's figure is the recorded crimes in those groups (added together) in
the latest bundled year, per 1,000 residents (ONS mid-year estimate, the latest bundled).

* The 14 partnerships are ranked against each other: **1 = the lowest rate**, 14 = the
  highest; equal rates share a rank. The position is also given as a quintile-style band
  ("lowest fifth" ... "highest fifth") and as the ratio to the pan-Lancashire rate.
* The three policing areas are ranked among themselves in the same way.
* **Pan-Lancashire** (the force area; crimes the Home Office could not assign to a
  partnership count here) is the benchmark and is not ranked here. Its place among all
  forces and partnerships in England and Wales (Home Office Tables C2 and P1) is given by
  :mod:`csa.national` and :mod:`csa.comparators`; :func:`relative_position` can also take
  such figures as ``comparators``.
* When :mod:`csa.stats` provides ``rate_ci``, each rate carries its 95% confidence interval
  (Byar's method, exact Poisson below 10 events).

Issues with no recorded-crime group (e.g. hate crime, road safety) have no position here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csa.areas import PAN_LANCASHIRE, POLICING_AREAS, UNASSIGNED
from csa.strategic.population import area_populations
from csa.strategic.rounds import partnership_codes

POSITION_COLUMNS = [
    "issue_code",
    "area_code",
    "level",
    "count",
    "population",
    "rate",
    "lower",
    "upper",
    "rank",
    "of",
    "band",
    "ratio_to_pan",
    "groups",
]
BANDS = (
    "lowest fifth",
    "second-lowest fifth",
    "middle fifth",
    "second-highest fifth",
    "highest fifth",
)


def recorded_groups(indicator_codes: str) -> list[str]:
    return [
        c.strip() for c in str(indicator_codes or "").split(",") if c.strip().startswith("REC-")
    ]


def band(rank: float, n: int) -> str:
    """Which fifth of ``n`` a rank falls in (rank 1 = lowest)."""
    if pd.isna(rank) or n <= 0:
        return ""
    p = (float(rank) - 1) / max(n - 1, 1)
    return BANDS[min(int(p * 5), 4)]


def _rate_ci():
    try:
        from csa.stats import rate_ci  # written by another part of the project
    except ImportError:
        return None
    return rate_ci


def relative_position(
    issues: pd.DataFrame,
    observations: pd.DataFrame,
    populations: pd.Series,
    partnership_codes,
    members: pd.DataFrame,
    comparators: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Ranks of every partnership and policing area on each issue (see the module doc).

    Parameters
    ----------
    issues : DataFrame
        code, indicator_codes.
    observations : DataFrame
        Current REC-* figures: indicator_code, area_code, numerator (Unassigned included).
    populations : Series
        Residents by area code, groupings included (see
        :func:`csa.strategic.population.area_populations`).
    partnership_codes : iterable
        The 14 partnerships.
    members : DataFrame
        group_code, member_code (for policing areas and pan-Lancashire).
    comparators : DataFrame, optional
        Extra areas to rank Lancashire against (area_code, issue_code, count, population),
        e.g. national or other-force figures; none are bundled.
    """
    partnerships = list(partnership_codes)
    rate_ci = _rate_ci()
    rows = []
    for issue in issues.to_dict("records"):
        groups = recorded_groups(issue.get("indicator_codes"))
        if not groups:
            continue
        rec = observations[observations["indicator_code"].isin(groups)]
        counts = rec.groupby("area_code")["numerator"].sum(min_count=1)
        present = set(rec["indicator_code"])
        if present != set(groups):
            continue  # a linked group has no figures: no position rather than a partial one
        level_rows = []
        for area in partnerships:
            level_rows.append(("partnership", area, counts.get(area, np.nan)))
        for pa in POLICING_AREAS:
            mem = members.loc[members["group_code"] == pa, "member_code"]
            level_rows.append(("policing area", pa, counts.reindex(mem).sum(min_count=1)))
        pan_members = members.loc[members["group_code"] == PAN_LANCASHIRE, "member_code"]
        pan_count = counts.reindex(sorted(set(pan_members) | {UNASSIGNED})).sum(min_count=1)
        level_rows.append(("pan-Lancashire", PAN_LANCASHIRE, pan_count))
        df = pd.DataFrame(level_rows, columns=["level", "area_code", "count"])
        df["population"] = df["area_code"].map(populations).astype(float)
        df["rate"] = df["count"] / df["population"] * 1000
        pan_rate = float(df.loc[df["area_code"] == PAN_LANCASHIRE, "rate"].iloc[0])
        df["ratio_to_pan"] = df["rate"] / pan_rate if pan_rate else np.nan
        df["rank"] = pd.array([pd.NA] * len(df), dtype="Int64")
        df["of"] = pd.array([pd.NA] * len(df), dtype="Int64")
        for level in ("partnership", "policing area"):
            mask = df["level"] == level
            ranks = df.loc[mask, "rate"].rank(method="min", ascending=True)
            df.loc[mask, "rank"] = ranks.astype("Int64")
            df.loc[mask, "of"] = int(df.loc[mask, "rate"].notna().sum())
        if comparators is not None and not comparators.empty:
            comp = comparators[comparators["issue_code"] == issue["code"]]
            if not comp.empty:
                rates = comp["count"] / comp["population"] * 1000
                allrates = pd.concat([rates, pd.Series([pan_rate])], ignore_index=True)
                pan_rank = int(allrates.rank(method="min").iloc[-1])
                df.loc[df["area_code"] == PAN_LANCASHIRE, "rank"] = pan_rank
                df.loc[df["area_code"] == PAN_LANCASHIRE, "of"] = len(allrates)
        df["band"] = [
            band(r, n) if pd.notna(r) and pd.notna(n) else ""
            for r, n in zip(df["rank"], df["of"], strict=True)
        ]
        if rate_ci is not None:
            cis = [
                rate_ci(c, p, 1000) if pd.notna(c) and p else (np.nan, np.nan, np.nan)
                for c, p in zip(df["count"], df["population"], strict=True)
            ]
            df["lower"] = [ci[1] for ci in cis]
            df["upper"] = [ci[2] for ci in cis]
        else:
            df["lower"] = np.nan
            df["upper"] = np.nan
        df["issue_code"] = issue["code"]
        df["groups"] = ", ".join(groups)
        rows.append(df)
    if not rows:
        return pd.DataFrame(columns=POSITION_COLUMNS)
    return pd.concat(rows, ignore_index=True)[POSITION_COLUMNS]


def position_from_database(db, issues: pd.DataFrame) -> pd.DataFrame:
    """:func:`relative_position` of ``issues`` from the gateway ``db``: its current recorded
    crime (the REC-* figures), populations by area (groupings included), partnerships and
    area groupings."""
    rec = [c for c in db.indicators()["code"] if str(c).startswith("REC-")]
    members = db.area_members()
    return relative_position(
        issues,
        db.observations(indicator_codes=rec),
        area_populations(db.populations(), members),
        partnership_codes(db),
        members,
    )
