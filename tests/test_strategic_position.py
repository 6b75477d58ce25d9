"""Relative position: partnerships ranked among the 14 (1 = lowest), pan-Lancashire as the
benchmark, Lancashire ranked only against comparators that are given."""

import pandas as pd
import pytest

from csa.strategic.position import band, position_from_database, relative_position

MEMBERS = pd.DataFrame(
    {
        "group_code": [
            "PA-WEST",
            "PA-WEST",
            "PA-SOUTH",
            "PA-EAST",
            "E23000003",
            "E23000003",
            "E23000003",
            "E23000003",
            "E23000003",
        ],
        "member_code": ["A", "B", "C", "D", "A", "B", "C", "D", "UNASSIGNED"],
    }
)
POPS = pd.Series(
    {
        "A": 1000.0,
        "B": 2000.0,
        "C": 1000.0,
        "D": 4000.0,
        "PA-WEST": 3000.0,
        "PA-SOUTH": 1000.0,
        "PA-EAST": 4000.0,
        "E23000003": 8000.0,
    }
)


def obs(counts):
    return pd.DataFrame(
        [
            {"indicator_code": code, "area_code": a, "numerator": n}
            for code, row in counts.items()
            for a, n in row.items()
        ]
    )


ISSUES = pd.DataFrame({"code": ["VIO", "HATE"], "indicator_codes": ["REC-1,REC-2,VIO-01", ""]})


def test_ranks_rates_and_pan_benchmark_by_hand():
    data = obs(
        {
            "REC-1": {"A": 5, "B": 10, "C": 2, "D": 20, "UNASSIGNED": 3},
            "REC-2": {"A": 5, "B": 0, "C": 8, "D": 4, "UNASSIGNED": 1},
        }
    )
    pos = relative_position(ISSUES, data, POPS, ["A", "B", "C", "D"], MEMBERS)
    assert set(pos["issue_code"]) == {"VIO"}  # hate crime has no recorded-crime group
    by = pos.set_index("area_code")
    # rates per 1,000: A 10/1000 = 10; B 10/2000 = 5; C 10/1000 = 10; D 24/4000 = 6
    assert by.loc[["A", "B", "C", "D"], "rate"].tolist() == pytest.approx([10, 5, 10, 6])
    assert by.loc[["A", "B", "C", "D"], "rank"].tolist() == [3, 1, 3, 2]  # 1 = lowest
    assert set(by.loc[["A", "B", "C", "D"], "of"]) == {4}
    # pan: (10 + 10 + 10 + 24 + 4 unassigned) / 8000 x 1000 = 7.25, not ranked (no
    # comparators)
    assert by.loc["E23000003", "rate"] == pytest.approx(58 / 8000 * 1000)
    assert pd.isna(by.loc["E23000003", "rank"])
    assert by.loc["A", "ratio_to_pan"] == pytest.approx(10 / 7.25)
    # policing areas among the 3: West 20/3000 = 6.67, South 10, East 6
    assert by.loc[["PA-WEST", "PA-SOUTH", "PA-EAST"], "rank"].tolist() == [2, 3, 1]


def test_lancashire_is_ranked_when_comparators_are_given():
    data = obs(
        {
            "REC-1": {"A": 8, "B": 8, "C": 8, "D": 8, "UNASSIGNED": 0},
            "REC-2": {"A": 0, "B": 0, "C": 0, "D": 0, "UNASSIGNED": 0},
        }
    )
    comparators = pd.DataFrame(
        {
            "area_code": ["X", "Y"],
            "issue_code": ["VIO", "VIO"],
            "count": [1, 100],
            "population": [1000, 1000],
        }
    )
    pos = relative_position(ISSUES, data, POPS, ["A", "B", "C", "D"], MEMBERS, comparators)
    pan = pos.set_index("area_code").loc["E23000003"]
    assert (pan["rank"], pan["of"]) == (2, 3)  # 1 < 4 < 100 per 1,000


@pytest.mark.parametrize(
    "rank, n, words",
    [
        (1, 14, "lowest fifth"),
        (14, 14, "highest fifth"),
        (7, 14, "middle fifth"),
        (4, 14, "second-lowest fifth"),
        (11, 14, "second-highest fifth"),
        (1, 1, "lowest fifth"),
    ],
)
def test_band(rank, n, words):
    assert band(rank, n) == words


def test_position_from_the_bundled_data(db):
    issues = pd.DataFrame({"code": ["VIOLENCE"], "indicator_codes": ["REC-VWI,REC-VWOI"]})
    pos = position_from_database(db, issues).set_index("area_code")
    # Ribble Valley has the lowest violence rate of the 14 and Blackpool the highest
    assert pos.loc["E07000124", "rank"] == 1
    assert pos.loc["E06000009", "rank"] == 14
    # Blackpool: (3,141 + 3,993) / 141,574 x 1,000
    assert pos.loc["E06000009", "rate"] == pytest.approx(7134 / 141_574 * 1000)
    # pan-Lancashire: (16,867 + 21,063) / 1,550,490 x 1,000 (Unassigned included)
    assert pos.loc["E23000003", "rate"] == pytest.approx(37_930 / 1_550_490 * 1000)
