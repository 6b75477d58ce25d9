"""Everything shown for a round: ranked lists, policing areas, the county roll-up, changes
against the previous round, and the agreed priorities with their themes and indicators."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from csa.areas import POLICING_AREAS
from csa.strategic.aggregation import compare_ranks, county_aggregation, priorities_as_ranks
from csa.strategic.population import area_populations
from csa.strategic.rounds import get_round, partnership_codes
from csa.strategic.scoring import policing_area_scores, rank_issues, weighted_scores


@dataclass
class RoundResults:
    """A round's model, scores and every derived table (see :func:`build`)."""

    round: dict
    criteria: pd.DataFrame
    issues: pd.DataFrame
    scores: pd.DataFrame
    priorities: pd.DataFrame
    area_ranked: pd.DataFrame
    pa_ranked: pd.DataFrame
    county: pd.DataFrame
    county_priorities: pd.DataFrame
    previous: dict | None
    area_names: dict[str, str] = field(default_factory=dict)
    issue_names: dict[str, str] = field(default_factory=dict)

    @property
    def is_demo(self) -> bool:
        return self.round["data_kind"] == "demo"

    @property
    def complete_share(self) -> float:
        """Share of partnership x issue cells with a complete score (0..1)."""
        if self.area_ranked.empty:
            return 0.0
        return float(self.area_ranked["complete"].mean())


def previous_round(db, rnd: dict) -> dict | None:
    """The latest round of an earlier year than ``rnd`` (None when it is the first)."""
    rounds = db.assessment_rounds()
    earlier = rounds[rounds["year"] < rnd["year"]]
    if earlier.empty:
        return None
    return earlier.sort_values(["year", "id"]).iloc[-1].to_dict()


def _ranked(db, rnd: dict, partnerships, pops, areas):
    criteria = db.assessment_criteria(rnd["id"])
    issues = db.assessment_issues(rnd["id"])
    scores = db.assessment_scores(rnd["id"])
    names = dict(zip(issues["code"], issues["name"], strict=True))
    weighted = weighted_scores(scores, criteria, list(issues["code"]), partnerships)
    area_ranked = rank_issues(weighted, names)
    pa = policing_area_scores(weighted, areas, pops)
    pa_ranked = rank_issues(pa, names)
    return criteria, issues, scores, area_ranked, pa_ranked


def build(db, round_name: str) -> RoundResults:
    """Compute the round's results (nothing is written)."""
    rnd = get_round(db, round_name)
    areas = db.areas()
    area_names = dict(zip(areas["code"], areas["name"], strict=True))
    partnerships = partnership_codes(db)
    pops = area_populations(db.populations(), db.area_members())
    criteria, issues, scores, area_ranked, pa_ranked = _ranked(db, rnd, partnerships, pops, areas)
    issue_names = dict(zip(issues["code"], issues["name"], strict=True))
    county = county_aggregation(area_ranked, pops, list(issues["code"]), partnerships, area_names)
    priorities = db.assessment_priorities(rnd["id"])
    county_priorities = county_aggregation(
        priorities_as_ranks(priorities), pops, list(issues["code"]), partnerships, area_names
    )
    prev = previous_round(db, rnd)
    if prev is not None:
        _c, _i, _s, prev_area, prev_pa = _ranked(db, prev, partnerships, pops, areas)
        prev_county = county_aggregation(
            prev_area,
            pops,
            list(db.assessment_issues(prev["id"])["code"]),
            partnerships,
            area_names,
        )
        area_ranked = compare_ranks(area_ranked, prev_area, ["area_code", "issue_code"])
        pa_ranked = compare_ranks(pa_ranked, prev_pa, ["area_code", "issue_code"])
        county = compare_ranks(county, prev_county, ["issue_code"], rank_col="county_rank")
    else:
        area_ranked = compare_ranks(area_ranked, None, ["area_code", "issue_code"])
        pa_ranked = compare_ranks(pa_ranked, None, ["area_code", "issue_code"])
        county = compare_ranks(county, None, ["issue_code"], rank_col="county_rank")
    area_names |= {code: f"{name} policing area" for code, name in POLICING_AREAS.items()}
    return RoundResults(
        round=rnd,
        criteria=criteria,
        issues=issues,
        scores=scores,
        priorities=priorities,
        area_ranked=area_ranked,
        pa_ranked=pa_ranked,
        county=county,
        county_priorities=county_priorities,
        previous=prev,
        area_names=area_names,
        issue_names=issue_names,
    )


def priorities_with_links(res: RoundResults, indicators: pd.DataFrame) -> pd.DataFrame:
    """Agreed priorities with area and issue names, the CSA theme and the linked
    indicators (code: title), for tracing each priority to its evidence."""
    if res.priorities.empty:
        return pd.DataFrame(
            columns=[
                "area_code",
                "area",
                "rank",
                "issue_code",
                "issue",
                "theme",
                "indicators",
                "matrix_rank",
                "weighted_score",
            ]
        )
    titles = dict(zip(indicators["code"], indicators["title"], strict=True))
    issues = res.issues.set_index("code")
    matrix = res.area_ranked.set_index(["area_code", "issue_code"])
    rows = []
    for p in res.priorities.to_dict("records"):
        issue = issues.loc[p["issue_code"]] if p["issue_code"] in issues.index else None
        linked = [
            c for c in str(issue["indicator_codes"] if issue is not None else "").split(",") if c
        ]
        key = (p["area_code"], p["issue_code"])
        rows.append(
            {
                "area_code": p["area_code"],
                "area": res.area_names.get(p["area_code"]),
                "rank": int(p["rank"]),
                "issue_code": p["issue_code"],
                "issue": res.issue_names.get(p["issue_code"], p["issue_code"]),
                "theme": (
                    issue["theme_name"]
                    if issue is not None and pd.notna(issue["theme_name"])
                    else "no CSA theme"
                ),
                "indicators": "; ".join(f"{c}: {titles.get(c, c)}" for c in linked)
                or "no linked indicator",
                "matrix_rank": matrix.loc[key, "rank"] if key in matrix.index else pd.NA,
                "weighted_score": matrix.loc[key, "weighted_score"]
                if key in matrix.index
                else pd.NA,
            }
        )
    return pd.DataFrame(rows)
