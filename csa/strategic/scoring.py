"""The strategic ranking matrix: weighted scores and the ranked list of issues per area.

Method
------
Each criterion ``c`` has a weight ``w_c`` (the weights are at least 0 and sum to 1) and a
score scale ``min_c`` to ``max_c`` (whole numbers, e.g. 1 to 5). An area scores every issue
on every criterion. The issue's **weighted score** for the area is

    100 x sum over c of  w_c x (score_c - min_c) / (max_c - min_c)

so it runs from 0 (lowest score on every criterion) to 100 (highest on every one), and
criteria with different scales count by their weight only. Example: weights 0.5/0.3/0.2
on 1-5 scales and scores 5, 3, 1 give 100 x (0.5 x 1 + 0.3 x 0.5 + 0.2 x 0) = 65.

**Missing scores.** An issue with any criterion unscored for an area has no weighted score
for it: it is listed as incomplete, with the missing criteria named, and is not ranked
(re-weighting over the criteria present would change what the weights mean).

**Ranking.** Within an area, complete issues are ranked by weighted score, highest first.
Equal scores (to 6 decimal places) share a rank and the next rank is skipped (standard
competition ranking, "1224"), so ties are never broken silently; tied issues are listed
alphabetically. The area's *top five* are the issues ranked 1 to 5, which can be more than
five issues when there is a tie at fifth place.

**Policing areas.** A policing area's score for an issue is the population-weighted mean of
its partnerships' weighted scores (each partnership counts in proportion to its residents),
given only when every partnership in it has a complete score; it is then ranked as above.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

WEIGHT_TOLERANCE = 1e-6
TOP_N = 5
CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_-]{0,23}$")
SCORE_COLUMNS = ["area_code", "issue_code", "weighted_score", "complete", "missing", "n_scored"]


class AssessmentError(ValueError):
    """Strategic-assessment input that cannot be used; ``problems`` lists each reason."""

    def __init__(self, summary: str, problems: list[str] | None = None):
        self.summary = summary
        self.problems = list(problems or [])
        super().__init__("\n".join([summary, *(f"  {p}" for p in self.problems)]))


def validate_criteria(criteria: pd.DataFrame) -> None:
    """Raise :class:`AssessmentError` unless the criteria make a usable scoring model.

    Checks: at least one criterion; codes unique and of capitals, digits, ``_`` or ``-``;
    names given; weights numbers of at least 0 that sum to 1 (within 0.000001); scales
    whole numbers with the minimum below the maximum.
    """
    problems: list[str] = []
    if criteria is None or criteria.empty:
        raise AssessmentError(
            "The scoring model has no criteria.", ["add at least one criterion with a weight"]
        )
    codes = [str(c).strip() for c in criteria["code"]]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"criterion code {code!r} is used more than once")
    for code in codes:
        if not CODE_PATTERN.match(code):
            problems.append(
                f"criterion code {code!r} must start with a capital letter and "
                "use only capitals, digits, '_' or '-' (at most 24 characters)"
            )
    for rec in criteria.to_dict("records"):
        code = str(rec["code"]).strip()
        if not str(rec.get("name") or "").strip():
            problems.append(f"criterion {code}: the name is empty")
        weight = pd.to_numeric(pd.Series([rec.get("weight")]), errors="coerce").iloc[0]
        if pd.isna(weight):
            problems.append(f"criterion {code}: weight {rec.get('weight')!r} is not a number")
        elif weight < 0:
            problems.append(f"criterion {code}: weight {weight:g} is negative")
        lo, hi = rec.get("scale_min"), rec.get("scale_max")
        try:
            lo_i, hi_i = int(lo), int(hi)
            if lo_i != float(lo) or hi_i != float(hi):
                raise ValueError
            if lo_i >= hi_i:
                problems.append(
                    f"criterion {code}: scale {lo_i} to {hi_i} must run from a "
                    "lower to a higher whole number"
                )
        except (TypeError, ValueError):
            problems.append(f"criterion {code}: scale {lo!r} to {hi!r} must be whole numbers")
    weights = pd.to_numeric(criteria["weight"], errors="coerce")
    if weights.notna().all():
        total = float(weights.sum())
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            problems.append(
                f"the weights add up to {total:.4g}, not 1: adjust them so they "
                "sum to exactly 1 (for example 0.25, 0.25, 0.2, 0.15, 0.15)"
            )
    if problems:
        raise AssessmentError("The scoring model cannot be used:", problems)


def check_score(value, scale_min: int, scale_max: int) -> str | None:
    """Why ``value`` is not a valid score on the scale, or None when it is."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "it is empty"
    if isinstance(value, bool):
        return f"{value!r} is not a number"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return f"{value!r} is not a number"
    if not np.isfinite(number):
        return f"{value!r} is not a number"
    if number != int(number):
        return f"{number:g} is not a whole number"
    if not scale_min <= number <= scale_max:
        return f"{number:g} is outside the scale"
    return None


def weighted_scores(
    scores: pd.DataFrame, criteria: pd.DataFrame, issue_codes, area_codes
) -> pd.DataFrame:
    """The weighted score of every issue for every area (see the module doc).

    Parameters
    ----------
    scores : DataFrame
        area_code, issue_code, criterion_code, score (one row per scored cell).
    criteria : DataFrame
        code, name, weight, scale_min, scale_max (validated here).
    issue_codes, area_codes : iterables
        Every issue and area to report, scored or not.

    Returns
    -------
    DataFrame
        area_code, issue_code, weighted_score (NaN when incomplete), complete, missing
        (names of unscored criteria, "; "-separated), n_scored.
    """
    validate_criteria(criteria)
    crit = [
        (
            str(c["code"]),
            str(c["name"]),
            float(c["weight"]),
            int(c["scale_min"]),
            int(c["scale_max"]),
        )
        for c in criteria.to_dict("records")
    ]
    scales = {code: (lo, hi) for code, _n, _w, lo, hi in crit}
    problems = []
    cells: dict[tuple[str, str, str], float] = {}
    for area, issue, code, value in zip(
        scores["area_code"].astype(str),
        scores["issue_code"].astype(str),
        scores["criterion_code"].astype(str),
        scores["score"],
        strict=True,
    ):
        if code not in scales:
            continue  # a score for a criterion since removed from the model is ignored
        lo, hi = scales[code]
        why = check_score(value, lo, hi)
        if why:
            problems.append(
                f"{area} / {issue} / {code}: {why}, expected a whole number from {lo} to {hi}"
            )
            continue
        cells[(area, issue, code)] = float(value)
    if problems:
        raise AssessmentError("Some scores are not valid:", problems)
    rows = []
    for area in area_codes:
        for issue in issue_codes:
            total, missing, n = 0.0, [], 0
            for code, name, weight, lo, hi in crit:
                value = cells.get((str(area), str(issue), code))
                if value is None:
                    missing.append(name)
                    continue
                n += 1
                total += weight * (value - lo) / (hi - lo)
            complete = not missing
            rows.append(
                {
                    "area_code": area,
                    "issue_code": issue,
                    "weighted_score": round(100.0 * total, 6) if complete else np.nan,
                    "complete": complete,
                    "missing": "; ".join(missing),
                    "n_scored": n,
                }
            )
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def rank_issues(
    weighted: pd.DataFrame, issue_names: dict[str, str] | None = None, group: str = "area_code"
) -> pd.DataFrame:
    """Rank issues within each ``group`` by weighted score (ties share a rank, "1224").

    Adds ``rank`` (a nullable integer; missing for incomplete issues) and ``top_five``;
    rows come sorted by group, rank, then issue name (incomplete issues last).
    """
    df = weighted.copy()
    names = issue_names or {}
    df["issue_name"] = df["issue_code"].map(lambda c: names.get(c, c))
    score = df["weighted_score"].where(df["complete"].astype(bool))
    df["rank"] = (
        score.round(6).groupby(df[group]).rank(method="min", ascending=False).astype("Int64")
    )
    df["top_five"] = (df["rank"] <= TOP_N).fillna(False).astype(bool)
    df["_unranked"] = df["rank"].isna()
    df = df.sort_values([group, "_unranked", "rank", "issue_name"], na_position="last")
    return df.drop(columns="_unranked").reset_index(drop=True)


def policing_area_scores(
    weighted: pd.DataFrame, areas: pd.DataFrame, populations: pd.Series
) -> pd.DataFrame:
    """Population-weighted mean of the partnerships' scores for each policing area.

    ``areas`` needs code, kind and policing_area; ``populations`` is indexed by area code.
    Returns the same columns as :func:`weighted_scores`, with ``area_code`` the policing area.
    """
    base = areas[areas["kind"].isin(["district", "unitary"])]
    pa_of = dict(zip(base["code"], base["policing_area"], strict=True))
    df = weighted[weighted["area_code"].isin(pa_of)].copy()
    df["policing_area"] = df["area_code"].map(pa_of)
    df["population"] = df["area_code"].map(populations).astype(float)
    rows = []
    for (pa, issue), grp in df.groupby(["policing_area", "issue_code"], sort=True):
        incomplete = grp[~grp["complete"].astype(bool)]
        if incomplete.empty and grp["population"].notna().all():
            value = float(
                (grp["weighted_score"] * grp["population"]).sum() / grp["population"].sum()
            )
            rows.append(
                {
                    "area_code": pa,
                    "issue_code": issue,
                    "weighted_score": round(value, 6),
                    "complete": True,
                    "missing": "",
                    "n_scored": int(grp["n_scored"].sum()),
                }
            )
        else:
            rows.append(
                {
                    "area_code": pa,
                    "issue_code": issue,
                    "weighted_score": np.nan,
                    "complete": False,
                    "missing": "incomplete scores for "
                    + ", ".join(sorted(incomplete["area_code"])),
                    "n_scored": int(grp["n_scored"].sum()),
                }
            )
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)
