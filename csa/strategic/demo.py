"""Two labelled DEMO strategic assessment rounds, so the feature can be shown and tested.

No real ranking-matrix scores are public. :func:`seed_demo_rounds` creates
"Strategic assessment 2025" (agreed, with each partnership's top five agreed as its
priorities) and "Strategic assessment 2026" (open), both stored with ``data_kind = "demo"``
and labelled "demo data" wherever they are shown:

* the **volume and trend** scores are the data-driven suggestions
  (:mod:`csa.strategic.suggestions`), from the real recorded-crime figures and the (demo)
  quarterly indicators, as at the end of the previous financial year (2024-25 Q4 for the
  2025 round, 2025-26 Q4 for 2026); where there is no suggestion (hate crime has no
  bundled indicator; annual recorded crime has no trend) the demo enters the middle of the
  scale (3, "average" / "stable") as an analyst would enter a judgement;
* the **judgement** scores (harm, vulnerability, public concern, organisational risk) are
  synthetic: a typical level per issue plus a deterministic random step of -1, 0 or +1 per
  partnership (seeded, so every database gets the same figures); the 2026 round moves
  about one judgement score in five by one step from 2025.

Running it again changes nothing: a round that already exists is left alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from csa.access import Actor
from csa.strategic import rounds
from csa.strategic.population import area_populations
from csa.strategic.scoring import rank_issues, weighted_scores
from csa.strategic.suggestions import TREND, VOLUME, suggest

DEMO_ACTOR = Actor("system:demo-assessment", "admin")
#: name, year, reference quarter for the suggestions, final status
DEMO_ROUNDS = (
    ("Strategic assessment 2025", 2025, "2024-25 Q4", "agreed"),
    ("Strategic assessment 2026", 2026, "2025-26 Q4", "open"),
)
#: Typical judgement score per issue: harm, vulnerability, concern, organisational risk.
TYPICAL = {
    "VIOLENCE": (4, 3, 4, 3),
    "DA": (5, 4, 3, 3),
    "CSE": (4, 5, 2, 3),
    "ASB": (3, 2, 5, 3),
    "SUBSTANCE": (3, 4, 3, 3),
    "ROAD": (4, 2, 3, 2),
    "REOFFEND": (3, 3, 2, 3),
    "OCG": (4, 3, 2, 3),
    "ACQUISITIVE": (3, 2, 4, 2),
    "HATE": (3, 4, 2, 3),
}
JUDGEMENT = ("HARM", "VULN", "CONCERN", "CAPACITY")


def judgement_scores(
    issue_codes, area_codes, seed: int, base: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Synthetic judgement scores (see the module doc); with ``base``, a drift from it."""
    rng = np.random.default_rng(seed)
    rows = []
    if base is None:
        for area in area_codes:
            for issue in issue_codes:
                typical = TYPICAL.get(issue, (3, 3, 3, 3))
                for crit, level in zip(JUDGEMENT, typical, strict=True):
                    step = int(rng.choice([-1, 0, 1], p=[0.3, 0.4, 0.3]))
                    rows.append(
                        {
                            "area_code": area,
                            "issue_code": issue,
                            "criterion_code": crit,
                            "score": min(5, max(1, level + step)),
                        }
                    )
        return pd.DataFrame(rows)
    out = base.copy()
    move = rng.random(len(out)) < 0.2
    steps = rng.choice([-1, 1], size=len(out))
    out.loc[move, "score"] = (out.loc[move, "score"] + steps[move]).clip(1, 5)
    return out


def _suggestions(db, rnd_id: int, partnerships, as_of: str) -> pd.DataFrame:
    obs = db.observations()
    pops = area_populations(db.populations())
    return suggest(
        db.assessment_issues(rnd_id),
        db.assessment_criteria(rnd_id),
        obs,
        db.indicators(),
        db.periods(),
        pops,
        partnerships,
        as_of,
    )


def seed_demo_rounds(db) -> list[str]:
    """Create the demo rounds that are missing; returns the names created (idempotent)."""
    created = []
    partnerships = rounds.partnership_codes(db)
    previous_judgement = None
    for i, (name, year, as_of, status) in enumerate(DEMO_ROUNDS):
        existing = db.assessment_round(name)
        if existing is not None:
            previous_judgement = _judgement_of(db, existing["id"])
            continue
        round_id = rounds.create_round(db, DEMO_ACTOR, name, year, data_kind="demo")
        issues = list(db.assessment_issues(round_id)["code"])
        suggested = _suggestions(db, round_id, partnerships, as_of)
        suggested = suggested[["area_code", "issue_code", "criterion_code", "score"]]
        rounds.save_scores(db, DEMO_ACTOR, name, suggested, source="suggested")
        rounds.save_scores(
            db, DEMO_ACTOR, name, _fill_gaps(suggested, issues, partnerships), source="entered"
        )
        judgement = judgement_scores(issues, partnerships, seed=20250 + i, base=previous_judgement)
        rounds.save_scores(db, DEMO_ACTOR, name, judgement, source="entered")
        previous_judgement = judgement
        if status == "agreed":
            _agree_top_five(db, round_id, name, partnerships)
            rounds.set_status(db, DEMO_ACTOR, name, "agreed")
        created.append(name)
    return created


def _fill_gaps(suggested: pd.DataFrame, issues, partnerships) -> pd.DataFrame:
    """Middle-of-scale scores (3) for the volume and trend cells with no suggestion."""
    have = set(
        map(tuple, suggested[["area_code", "issue_code", "criterion_code"]].itertuples(index=False))
    )
    rows = [
        {"area_code": a, "issue_code": i, "criterion_code": c, "score": 3}
        for a in partnerships
        for i in issues
        for c in (VOLUME, TREND)
        if (a, i, c) not in have
    ]
    return pd.DataFrame(rows, columns=["area_code", "issue_code", "criterion_code", "score"])


def _judgement_of(db, round_id: int) -> pd.DataFrame:
    scores = db.assessment_scores(round_id)
    scores = scores[scores["criterion_code"].isin(JUDGEMENT)]
    return scores[["area_code", "issue_code", "criterion_code", "score"]].reset_index(drop=True)


def _agree_top_five(db, round_id: int, name: str, partnerships) -> None:
    issues = db.assessment_issues(round_id)
    weighted = weighted_scores(
        db.assessment_scores(round_id),
        db.assessment_criteria(round_id),
        list(issues["code"]),
        partnerships,
    )
    ranked = rank_issues(weighted, dict(zip(issues["code"], issues["name"], strict=True)))
    for area, grp in ranked.groupby("area_code", sort=False):
        chosen = list(grp[grp["rank"].notna()]["issue_code"].head(5))
        rounds.agree_priorities(db, DEMO_ACTOR, name, area, chosen)
