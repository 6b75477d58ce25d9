"""County roll-up, changes between rounds, and the demo rounds checked by hand."""

import pandas as pd
import pytest

from csa.strategic.aggregation import compare_ranks, county_aggregation, heatmap_frame
from csa.strategic.population import area_populations
from csa.strategic.results import build
from csa.strategic.rounds import partnership_codes

POPS = pd.Series({"P1": 100_000.0, "P2": 50_000.0, "P3": 250_000.0})


def ranks(table):
    return pd.DataFrame(
        [
            {"area_code": a, "issue_code": i, "rank": r}
            for a, row in table.items()
            for i, r in row.items()
        ]
    ).astype({"rank": "Int64"})


def test_county_aggregation_by_hand():
    # top five = ranks 1..5; rank 6 and unranked do not count
    ranked = ranks(
        {
            "P1": {"A": 1, "B": 5, "C": 6},
            "P2": {"A": 2, "B": 6, "C": 1},
            "P3": {"A": 7, "B": 3, "C": pd.NA},
        }
    )
    out = county_aggregation(
        ranked,
        POPS,
        ["A", "B", "C", "D"],
        ["P1", "P2", "P3"],
        {"P1": "One", "P2": "Two", "P3": "Three"},
    ).set_index("issue_code")
    # A: P1 + P2 = 150,000 of 400,000 = 37.5%; B: P1 + P3 = 350,000 = 87.5%; C: P2 = 12.5%
    assert out.loc["A", "partnerships_top5"] == 2
    assert out.loc["A", "population_share"] == pytest.approx(37.5)
    assert out.loc["B", "population_share"] == pytest.approx(87.5)
    assert out.loc["C", "population_share"] == pytest.approx(12.5)
    assert out.loc["D", "partnerships_top5"] == 0 and pd.isna(out.loc["D", "county_rank"])
    assert {k: int(v) for k, v in out["county_rank"].dropna().items()} == {"B": 1, "A": 2, "C": 3}
    assert out.loc["B", "partnerships"] == "One, Three"


def test_population_weighting_beats_a_plain_count():
    # X is top five in two small partnerships, Y in one large one: Y comes first
    ranked = ranks({"P1": {"X": 1, "Y": 9}, "P2": {"X": 1, "Y": 9}, "P3": {"X": 9, "Y": 1}})
    out = county_aggregation(ranked, POPS, ["X", "Y"], ["P1", "P2", "P3"])
    assert list(out["issue_code"]) == ["Y", "X"]
    assert list(out["partnerships_top5"]) == [1, 2]


def test_equal_shares_share_a_county_rank():
    ranked = ranks({"P1": {"X": 1, "Y": 2}, "P2": {"X": 1, "Y": 2}, "P3": {"X": 9, "Y": 9}})
    out = county_aggregation(ranked, POPS, ["X", "Y"], ["P1", "P2", "P3"])
    assert list(out["county_rank"]) == [1, 1]


def test_missing_population_is_an_error():
    with pytest.raises(ValueError, match="no population for partnership"):
        county_aggregation(ranks({"P9": {"X": 1}}), POPS, ["X"], ["P1", "P9"])


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (3, 1, "up 2"),
        (1, 4, "down 3"),
        (2, 2, "unchanged"),
        (7, 5, "into top five"),
        (5, 6, "out of top five"),
        (pd.NA, 3, "into top five"),
        (pd.NA, 8, "newly ranked"),
        (4, pd.NA, "not ranked"),
    ],
)
def test_changes_against_the_previous_round(old, new, expected):
    cur = ranks({"P1": {"X": new}})
    prev = ranks({"P1": {"X": old}})
    out = compare_ranks(cur, prev, ["area_code", "issue_code"])
    assert out.loc[0, "change"] == expected


def test_issue_new_in_this_round_and_no_previous_round():
    cur = ranks({"P1": {"X": 1, "NEW": 2}})
    out = compare_ranks(cur, ranks({"P1": {"X": 1}}), ["area_code", "issue_code"])
    assert out.set_index("issue_code").loc["NEW", "change"] == "new issue"
    first = compare_ranks(cur, None, ["area_code", "issue_code"])
    assert set(first["change"]) == {"no previous round"}


def test_heatmap_frame_labels_ranks_and_dashes():
    cur = ranks({"P1": {"X": 1, "Y": pd.NA}})
    cur["weighted_score"] = [80.0, None]
    df = heatmap_frame(cur, {"P1": "One"}, {"X": "Issue X", "Y": "Issue Y"})
    assert list(df["label"]) == ["1", "–"]
    assert list(df["area_name"]) == ["One", "One"]


# -- the demo rounds, recomputed independently by hand ------------------------------------
def _hand_ranked(db, round_name):
    """Weighted scores and ranks with plain loops, straight from the stored rows."""
    rnd = db.assessment_round(round_name)
    crit = {r["code"]: r for r in db.assessment_criteria(rnd["id"]).to_dict("records")}
    scores = {}
    for r in db.assessment_scores(rnd["id"]).to_dict("records"):
        scores[(r["area_code"], r["issue_code"], r["criterion_code"])] = r["score"]
    issues = list(db.assessment_issues(rnd["id"])["code"])
    out = {}
    for area in partnership_codes(db):
        values = {}
        for issue in issues:
            total = 0.0
            for code, c in crit.items():
                s = scores[(area, issue, code)]
                total += c["weight"] * (s - c["scale_min"]) / (c["scale_max"] - c["scale_min"])
            values[issue] = round(100 * total, 6)
        # competition ranking: 1 + number of issues with a strictly higher score
        out[area] = {i: 1 + sum(v > values[i] for v in values.values()) for i in values}
    return out


@pytest.mark.parametrize("round_name", ["Strategic assessment 2025", "Strategic assessment 2026"])
def test_ranked_issues_and_county_match_a_hand_calculation(db, round_name):
    res = build(db, round_name)
    hand = _hand_ranked(db, round_name)
    got = {(r.area_code, r.issue_code): int(r.rank) for r in res.area_ranked.itertuples()}
    assert got == {(a, i): r for a, row in hand.items() for i, r in row.items()}
    pops = area_populations(db.populations())
    total = sum(pops[a] for a in hand)
    for row in res.county.itertuples():
        in_top = [a for a, ranks_ in hand.items() if ranks_[row.issue_code] <= 5]
        assert row.partnerships_top5 == len(in_top)
        assert row.population_share == pytest.approx(100 * sum(pops[a] for a in in_top) / total)


def test_demo_rounds_are_labelled_demo_and_2025_has_agreed_priorities(db):
    rounds = db.assessment_rounds().set_index("name")
    assert list(rounds["data_kind"]) == ["demo", "demo"]
    assert rounds.loc["Strategic assessment 2025", "status"] == "agreed"
    res = build(db, "Strategic assessment 2025")
    assert res.is_demo
    # each partnership agreed its matrix top five (ties broken alphabetically)
    assert res.priorities.groupby("area_code").size().eq(5).all()
    assert len(res.priorities["area_code"].unique()) == 14
    later = build(db, "Strategic assessment 2026")
    assert later.previous["name"] == "Strategic assessment 2025"
    assert (later.area_ranked["change"] != "no previous round").all()
