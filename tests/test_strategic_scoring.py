"""The ranking matrix: weighted scores, ranks with ties, missing scores, weight checks.

Expected values are worked by hand from the formula in csa/strategic/scoring.py:
weighted = 100 x sum of w x (score - min) / (max - min).
"""

import pandas as pd
import pytest

from csa.strategic.scoring import (
    AssessmentError,
    check_score,
    policing_area_scores,
    rank_issues,
    validate_criteria,
    weighted_scores,
)


def criteria(weights, scales=None):
    scales = scales or [(1, 5)] * len(weights)
    return pd.DataFrame(
        {
            "code": [f"C{i}" for i in range(len(weights))],
            "name": [f"Criterion {i}" for i in range(len(weights))],
            "weight": weights,
            "scale_min": [s[0] for s in scales],
            "scale_max": [s[1] for s in scales],
        }
    )


def scores_for(table):
    """{(area, issue): [score per criterion or None]} -> long frame."""
    rows = []
    for (area, issue), values in table.items():
        for i, v in enumerate(values):
            if v is not None:
                rows.append(
                    {"area_code": area, "issue_code": issue, "criterion_code": f"C{i}", "score": v}
                )
    return pd.DataFrame(rows, columns=["area_code", "issue_code", "criterion_code", "score"])


@pytest.mark.parametrize(
    "weights, scales, values, expected",
    [
        # 100 x (0.5 x 4/4 + 0.3 x 2/4 + 0.2 x 0/4) = 65
        ([0.5, 0.3, 0.2], None, [5, 3, 1], 65.0),
        ([0.5, 0.3, 0.2], None, [5, 5, 5], 100.0),
        ([0.5, 0.3, 0.2], None, [1, 1, 1], 0.0),
        ([0.5, 0.3, 0.2], None, [3, 3, 3], 50.0),
        # different scales: 100 x (0.6 x (7-1)/9 + 0.4 x (2-0)/4) = 100 x (0.4 + 0.2) = 60
        ([0.6, 0.4], [(1, 10), (0, 4)], [7, 2], 60.0),
        # the default model's weights: 100 x (.15x1 + .15x.5 + .25x.75 + .2x.25 + .1x0 + .15x1)
        ([0.15, 0.15, 0.25, 0.20, 0.10, 0.15], None, [5, 3, 4, 2, 1, 5], 61.25),
    ],
)
def test_weighted_score_by_hand(weights, scales, values, expected):
    df = weighted_scores(scores_for({("A", "X"): values}), criteria(weights, scales), ["X"], ["A"])
    assert df.loc[0, "weighted_score"] == pytest.approx(expected)
    assert bool(df.loc[0, "complete"]) is True


@pytest.mark.parametrize(
    "weights, message",
    [
        ([0.5, 0.3], "add up to 0.8, not 1"),
        ([0.5, 0.3, 0.3], "add up to 1.1, not 1"),
        ([1.5, -0.5], "weight -0.5 is negative"),
        ([], "no criteria"),
    ],
)
def test_weights_not_summing_to_one_are_rejected(weights, message):
    with pytest.raises(AssessmentError, match=message):
        validate_criteria(criteria(weights) if weights else pd.DataFrame())


def test_weights_summing_to_one_within_rounding_are_accepted():
    validate_criteria(criteria([0.1] * 10))  # 0.1 x 10 = 0.9999999999999999


@pytest.mark.parametrize(
    "change, message",
    [
        ({"code": ["C0", "C0"]}, "used more than once"),
        ({"code": ["c0", "C1"]}, "must start with a capital letter"),
        ({"name": ["", "x"]}, "the name is empty"),
        ({"scale_min": [5, 1], "scale_max": [1, 5]}, "must run from a lower to a higher"),
        ({"scale_min": [1.5, 1]}, "must be whole numbers"),
        ({"weight": ["heavy", 0.5]}, "'heavy' is not a number"),
    ],
)
def test_bad_criteria_are_rejected_with_reasons(change, message):
    crit = criteria([0.5, 0.5])
    for col, values in change.items():
        crit[col] = values
    with pytest.raises(AssessmentError, match=message):
        validate_criteria(crit)


@pytest.mark.parametrize(
    "value, expected",
    [
        (3, None),
        (1, None),
        (5, None),
        ("4", None),
        (4.0, None),
        (0, "0 is outside the scale"),
        (6, "6 is outside the scale"),
        (3.5, "3.5 is not a whole number"),
        ("high", "'high' is not a number"),
        (None, "it is empty"),
        (True, "True is not a number"),
        (float("inf"), "is not a number"),
    ],
)
def test_check_score(value, expected):
    why = check_score(value, 1, 5)
    assert (why is None) if expected is None else (expected in why)


def test_missing_scores_make_an_issue_incomplete_and_unranked():
    crit = criteria([0.5, 0.3, 0.2])
    table = {("A", "X"): [5, 5, 5], ("A", "Y"): [5, None, 5], ("A", "Z"): [1, 1, 1]}
    ranked = rank_issues(weighted_scores(scores_for(table), crit, ["X", "Y", "Z", "W"], ["A"]))
    by = ranked.set_index("issue_code")
    assert by.loc["Y", "missing"] == "Criterion 1"
    assert by.loc["W", "missing"] == "Criterion 0; Criterion 1; Criterion 2"
    assert pd.isna(by.loc["Y", "rank"]) and pd.isna(by.loc["W", "rank"])
    assert pd.isna(by.loc["Y", "weighted_score"])
    # Z is ranked second: the incomplete Y does not take a rank
    assert (by.loc["X", "rank"], by.loc["Z", "rank"]) == (1, 2)
    assert list(ranked["issue_code"][-2:]) == ["W", "Y"]  # incomplete ones last


@pytest.mark.parametrize(
    "scores, ranks",
    [
        ({"P": 80, "Q": 70, "R": 70, "S": 60}, {"P": 1, "Q": 2, "R": 2, "S": 4}),
        ({"P": 50, "Q": 50, "R": 50}, {"P": 1, "Q": 1, "R": 1}),
        ({"P": 10, "Q": 20, "R": 30}, {"R": 1, "Q": 2, "P": 3}),
    ],
)
def test_ties_share_a_rank_and_skip_the_next(scores, ranks):
    df = pd.DataFrame(
        {
            "area_code": "A",
            "issue_code": list(scores),
            "weighted_score": list(scores.values()),
            "complete": True,
            "missing": "",
            "n_scored": 3,
        }
    )
    ranked = rank_issues(df).set_index("issue_code")
    assert {k: int(v) for k, v in ranked["rank"].items()} == ranks


def test_tie_at_fifth_place_puts_six_issues_in_the_top_five():
    values = [90, 80, 70, 60, 50, 50, 40]
    df = pd.DataFrame(
        {
            "area_code": "A",
            "issue_code": list("ABCDEFG"),
            "weighted_score": values,
            "complete": True,
            "missing": "",
            "n_scored": 1,
        }
    )
    ranked = rank_issues(df, {c: f"Issue {c}" for c in "ABCDEFG"})
    assert list(ranked.loc[ranked["top_five"], "issue_code"]) == list("ABCDEF")


def test_policing_area_score_is_the_population_weighted_mean():
    areas = pd.DataFrame(
        {
            "code": ["A1", "A2", "B1"],
            "kind": ["district"] * 3,
            "policing_area": ["PA-X", "PA-X", "PA-Y"],
        }
    )
    weighted = pd.DataFrame(
        {
            "area_code": ["A1", "A2", "B1", "A1", "A2", "B1"],
            "issue_code": ["I", "I", "I", "J", "J", "J"],
            "weighted_score": [60.0, 30.0, 50.0, 40.0, None, 10.0],
            "complete": [True, True, True, True, False, True],
            "missing": ["", "", "", "", "Harm", ""],
            "n_scored": 6,
        }
    )
    pops = pd.Series({"A1": 100_000, "A2": 50_000, "B1": 80_000})
    pa = policing_area_scores(weighted, areas, pops).set_index(["area_code", "issue_code"])
    # (60 x 100,000 + 30 x 50,000) / 150,000 = 50
    assert pa.loc[("PA-X", "I"), "weighted_score"] == pytest.approx(50.0)
    assert pa.loc[("PA-Y", "I"), "weighted_score"] == pytest.approx(50.0)
    assert not pa.loc[("PA-X", "J"), "complete"]
    assert "A2" in pa.loc[("PA-X", "J"), "missing"]


def test_out_of_range_stored_scores_are_reported():
    crit = criteria([1.0])
    bad = scores_for({("A", "X"): [9]})
    with pytest.raises(AssessmentError, match="9 is outside the scale"):
        weighted_scores(bad, crit, ["X"], ["A"])
