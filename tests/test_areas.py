"""Aggregation sums numerators and denominators; it never averages rates."""

import math

import pandas as pd
import pytest

from csa.areas import aggregate, population_for_year, value_from_parts, with_aggregates

MEMBERS = pd.DataFrame({"group_code": ["G", "G"], "member_code": ["A", "B"]})


def obs(rows):
    return pd.DataFrame(rows, columns=["area_code", "period_label", "numerator", "denominator"])


@pytest.mark.parametrize(
    "unit, multiplier, rows, expected",
    [
        # counts add up
        ("count", 1, [("A", "P", 7, None), ("B", "P", 5, None)], 12),
        # rate: (10 + 30) / (1,000 + 9,000) * 1,000 = 4.0, not the mean of 10 and 3.33 (6.67)
        ("rate", 1000, [("A", "P", 10, 1000), ("B", "P", 30, 9000)], 4.0),
        # percentage: (1 + 50) / (2 + 200) * 100 = 25.2475..., not the mean of 50% and 25%
        ("percentage", 100, [("A", "P", 1, 2), ("B", "P", 50, 200)], 51 / 202 * 100),
    ],
)
def test_aggregate_from_numerators_and_denominators(unit, multiplier, rows, expected):
    out = aggregate(obs(rows), MEMBERS, unit, multiplier)
    assert len(out) == 1
    assert out["value"].iloc[0] == pytest.approx(expected)
    assert bool(out["complete"].iloc[0])


def test_incomplete_grouping_gets_no_figure_and_names_the_missing_member():
    rows = [("A", "P1", 10, 100), ("B", "P1", 5, 100), ("A", "P2", 10, 100)]
    out = aggregate(obs(rows), MEMBERS, "rate", 1000).set_index("period_label")
    assert out.loc["P1", "value"] == pytest.approx(75.0)
    assert math.isnan(out.loc["P2", "value"])
    assert out.loc["P2", "missing"] == "B"
    assert not out.loc["P2", "complete"]


def test_unassigned_counts_toward_the_numerator_only():
    members = pd.DataFrame({"group_code": ["PAN"] * 3, "member_code": ["A", "B", "UNASSIGNED"]})
    rows = [("A", "P", 10, 1000), ("B", "P", 20, 1000), ("UNASSIGNED", "P", 5, None)]
    out = aggregate(obs(rows), members, "rate", 1000)
    assert out["numerator"].iloc[0] == 35
    assert out["denominator"].iloc[0] == 2000
    assert out["value"].iloc[0] == pytest.approx(17.5)


@pytest.mark.parametrize(
    "num, den, unit, mult, expected",
    [
        (5, None, "count", 1, 5.0),
        (3, 1500, "rate", 1000, 2.0),
        (1, 4, "percentage", 100, 25.0),
    ],
)
def test_value_from_parts(num, den, unit, mult, expected):
    assert value_from_parts(num, den, unit, mult) == pytest.approx(expected)


def test_value_from_parts_zero_denominator_is_nan_and_bad_unit_raises():
    assert math.isnan(value_from_parts(3, 0, "rate", 1000))
    with pytest.raises(ValueError, match="unit must be"):
        value_from_parts(3, 1, "ratio", 1)


def test_population_for_year_takes_the_latest_estimate_not_after_the_year():
    pops = pd.DataFrame(
        {"area_code": ["A"] * 3, "year": [2019, 2020, 2022], "population": [100, 110, 130]}
    )
    got = population_for_year(pops, 2021).iloc[0]
    assert (got["population"], got["population_year"]) == (110, 2020)
    assert population_for_year(pops, 2018).iloc[0]["population"] == 100


def test_real_recorded_crime_reconciles_to_the_force_total(db):
    """Pan-Lancashire total recorded crime = 14 CSPs + Unassigned = 128,435 (Home Office)."""
    obs_df = db.observations(indicator_codes=["REC-TOTAL"])
    out = aggregate(obs_df, db.area_members(), "count", 1).set_index("area_code")
    assert out.loc["E23000003", "numerator"] == 128_435
    # West = Blackpool 21,832 + Fylde 4,642 + Lancaster 10,762 + Wyre 7,018
    assert out.loc["PA-WEST", "numerator"] == 21_832 + 4_642 + 10_762 + 7_018
    # Lancashire-12 excludes the two unitaries and Unassigned
    assert out.loc["E10000017", "numerator"] == 128_435 - 13_780 - 21_832 - 3_110


def test_with_aggregates_keeps_base_rows_and_adds_groups(db):
    obs_df = db.observations(indicator_codes=["VIO-01"], period_labels=["2024-25 Q2"])
    out = with_aggregates(obs_df, db.area_members(), "rate", 1000)
    assert set(out["area_code"]) >= {"E07000117", "PA-EAST", "E10000017", "E23000003"}
    pan = out[out["area_code"] == "E23000003"].iloc[0]
    assert pan["data_kind"] == "demo"
    base = obs_df
    assert pan["value"] == pytest.approx(base["numerator"].sum() / base["denominator"].sum() * 1000)


def test_a_grouping_is_provisional_only_when_one_of_its_own_members_is():
    members = pd.DataFrame(
        {"group_code": ["G", "G", "H", "H"], "member_code": ["A", "B", "C", "D"]}
    )
    rows = pd.DataFrame(
        [
            {
                "area_code": a,
                "period_label": p,
                "numerator": 1.0,
                "denominator": 10.0,
                "status": "provisional" if (a, p) == ("A", "Q1") else "final",
            }
            for a in "ABCD"
            for p in ("Q1", "Q2")
        ]
    )
    out = with_aggregates(rows, members, "rate", 100)
    status = out.set_index(["area_code", "period_label"])["status"]
    assert status[("G", "Q1")] == "provisional"
    assert status[("G", "Q2")] == "final"
    assert status[("H", "Q1")] == "final"  # A is not one of H's members
    assert status[("H", "Q2")] == "final"
