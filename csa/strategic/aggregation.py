"""From partnership rankings to the county: which issues the partnerships put first.

Method
------
For each issue: **partnerships_top5** is how many of the 14 partnerships rank it in their
top five (rank 1 to 5, ties at fifth place included); **population_top5** is how many
residents live in those partnerships; **population_share** is that as a percentage of all
the partnerships' residents (ONS mid-year estimates). The population share is the
population-weighted count: it answers "what share of Lancashire's people live where this
issue is a top-five priority", so Blackpool (about 141,000 residents) weighs more than
Ribble Valley (about 62,000).

The **county rank** orders issues by population share, highest first; equal shares share a
rank ("1224"). The county's key issues are those ranked 1 to 5.

The same roll-up works on agreed priorities (a partnership's agreed list, rank 1 = first
priority) as on the matrix ranks; the page says which it shows.

Changes against the previous round compare ranks issue by issue (and area by area for the
partnership lists): up, down, unchanged, newly in the top five, out of the top five, or new.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csa.strategic.scoring import TOP_N

AGG_COLUMNS = [
    "issue_code",
    "partnerships_top5",
    "population_top5",
    "population_share",
    "county_rank",
    "county_top_five",
    "partnerships",
]


def county_aggregation(
    ranked: pd.DataFrame,
    populations: pd.Series,
    issue_codes,
    partnership_codes,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The county roll-up (see the module doc).

    Parameters
    ----------
    ranked : DataFrame
        area_code, issue_code, rank (missing for unranked) for the partnerships.
    populations : Series
        Residents by area code.
    issue_codes : iterable
        Every issue of the round (issues no partnership ranks still get a row).
    partnership_codes : iterable
        The partnerships that make up the county (the denominator of the share).
    names : dict, optional
        Area names for the ``partnerships`` column.
    """
    names = names or {}
    partnerships = list(partnership_codes)
    pops = populations.reindex(partnerships).astype(float)
    if pops.isna().any():
        missing = ", ".join(sorted(pops[pops.isna()].index))
        raise ValueError(f"no population for partnership(s) {missing}")
    total = float(pops.sum())
    df = ranked[ranked["area_code"].isin(partnerships)]
    top = df[df["rank"].notna() & (df["rank"] <= TOP_N)]
    rows = []
    for issue in issue_codes:
        areas = sorted(
            set(top.loc[top["issue_code"] == issue, "area_code"]), key=lambda c: names.get(c, c)
        )
        pop = float(pops.reindex(areas).sum()) if areas else 0.0
        rows.append(
            {
                "issue_code": issue,
                "partnerships_top5": len(areas),
                "population_top5": pop,
                "population_share": round(100.0 * pop / total, 6) if total else np.nan,
                "partnerships": ", ".join(names.get(a, a) for a in areas),
            }
        )
    out = pd.DataFrame(rows)
    if out.empty:
        return pd.DataFrame(columns=AGG_COLUMNS)
    out["county_rank"] = out["population_share"].rank(method="min", ascending=False).astype("Int64")
    out.loc[out["partnerships_top5"] == 0, "county_rank"] = pd.NA
    out["county_top_five"] = (out["county_rank"] <= TOP_N).fillna(False).astype(bool)
    out = out.sort_values(
        ["county_rank", "partnerships_top5", "issue_code"],
        ascending=[True, False, True],
        na_position="last",
    )
    return out[AGG_COLUMNS].reset_index(drop=True)


def priorities_as_ranks(priorities: pd.DataFrame) -> pd.DataFrame:
    """Agreed priorities (area_code, issue_code, rank) in the shape the roll-up takes."""
    return priorities[["area_code", "issue_code", "rank"]].astype({"rank": "Int64"})


def compare_ranks(
    current: pd.DataFrame, previous: pd.DataFrame | None, keys: list[str], rank_col: str = "rank"
) -> pd.DataFrame:
    """Current ranks with ``previous_rank``, ``rank_change`` (+ = moved up) and ``change``.

    ``change`` is one of: "new issue" (not in the previous round), "into top five",
    "out of top five", "up N", "down N", "unchanged", "not ranked". With no previous round
    every row says "no previous round".
    """
    out = current.copy()
    if previous is None or previous.empty:
        out["previous_rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["rank_change"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["change"] = "no previous round"
        return out
    prev = previous[[*keys, rank_col]].rename(columns={rank_col: "previous_rank"})
    prev_keys = set(map(tuple, prev[keys].astype(str).itertuples(index=False)))
    out = out.merge(prev, on=keys, how="left")
    out["previous_rank"] = out["previous_rank"].astype("Int64")
    now = out[rank_col].astype("Int64")
    out["rank_change"] = (out["previous_rank"] - now).astype("Int64")
    words = []
    for key, cur, old in zip(
        map(tuple, out[keys].astype(str).itertuples(index=False)),
        now,
        out["previous_rank"],
        strict=True,
    ):
        if key not in prev_keys:
            words.append("new issue")
        elif pd.isna(cur):
            words.append("not ranked")
        elif pd.notna(old) and cur <= TOP_N < old or pd.isna(old) and cur <= TOP_N:
            words.append("into top five")
        elif pd.notna(old) and old <= TOP_N < cur:
            words.append("out of top five")
        elif pd.isna(old):
            words.append("newly ranked")
        elif cur < old:
            words.append(f"up {int(old - cur)}")
        elif cur > old:
            words.append(f"down {int(cur - old)}")
        else:
            words.append("unchanged")
    out["change"] = words
    return out


def heatmap_frame(
    ranked: pd.DataFrame, area_names: dict[str, str], issue_names: dict[str, str]
) -> pd.DataFrame:
    """Long frame for the heat-map: area, issue, rank, weighted score, top five, label."""
    df = ranked.copy()
    df["area_name"] = df["area_code"].map(lambda c: area_names.get(c, c))
    df["issue_name"] = df["issue_code"].map(lambda c: issue_names.get(c, c))
    df["label"] = df["rank"].map(lambda r: "–" if pd.isna(r) else str(int(r)))
    return df
