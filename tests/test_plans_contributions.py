"""Each area's contribution to a grouping's change or shortfall sums exactly to the total."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from csa.areas import aggregate
from csa.plans.contributions import ContributionError, decompose, describe, directional_shares


def frame(rows):
    return pd.DataFrame(rows, columns=["area_code", "period_label", "numerator", "denominator"])


RATES = frame(
    [("A", "p0", 10, 1000), ("B", "p0", 30, 3000), ("A", "p1", 20, 1000), ("B", "p1", 40, 3000)]
)
COUNTS = frame(
    [("A", "p0", 10, None), ("B", "p0", 30, None), ("A", "p1", 15, None), ("B", "p1", 25, None)]
)


@pytest.mark.parametrize(
    "obs,unit,mult,target,method,total,expected",
    [
        # rate per 1,000: R0 = 40/4000*1000 = 10, R1 = 60/4000*1000 = 15.
        # A: 1000*(20/4000 - 10/4000) = 2.5; B: 1000*(40/4000 - 30/4000) = 2.5
        (RATES, "rate", 1000, None, "rate_change", 5.0, {"A": 2.5, "B": 2.5}),
        # shortfall against 12: A: 1000*(20 - 12/1000*1000)/4000 = 2; B: 1000*(40 - 36)/4000 = 1
        (RATES, "rate", 1000, 12.0, "rate_shortfall", 3.0, {"A": 2.0, "B": 1.0}),
        # counts: own change; 40 -> 40
        (COUNTS, "count", 1, None, "count_change", 0.0, {"A": 5.0, "B": -5.0}),
        # count shortfall against 35 with shares 10/40 and 30/40 a year before:
        # A: 15 - 35*0.25 = 6.25; B: 25 - 35*0.75 = -1.25; total 40 - 35 = 5
        (COUNTS, "count", 1, 35.0, "count_shortfall", 5.0, {"A": 6.25, "B": -1.25}),
    ],
)
def test_hand_worked(obs, unit, mult, target, method, total, expected):
    d = decompose(obs, ["A", "B"], unit, mult, "p0", "p1", "G", target=target)
    assert d.method == method
    assert d.total == pytest.approx(total)
    got = dict(zip(d.rows["area_code"], d.rows["contribution"], strict=True))
    assert got == pytest.approx(expected)
    assert d.explained == pytest.approx(d.total)


def test_population_growth_without_more_events_is_a_small_fall():
    # B's events stay at 30 while its population grows 3000 -> 4000: the grouping's rate
    # falls 10 -> 10 (A's rise offsets it): A +1.5, B -1.5 (hand-worked).
    obs = frame(
        [("A", "p0", 10, 1000), ("B", "p0", 30, 3000), ("A", "p1", 20, 1000), ("B", "p1", 30, 4000)]
    )
    d = decompose(obs, ["A", "B"], "rate", 1000, "p0", "p1")
    assert dict(zip(d.rows["area_code"], d.rows["contribution"], strict=True)) == pytest.approx(
        {"A": 1.5, "B": -1.5}
    )
    assert d.total == pytest.approx(0.0, abs=1e-12)


def test_unassigned_events_count_without_a_population():
    obs = frame(
        [
            ("A", "p0", 10, 1000),
            ("UNASSIGNED", "p0", 2, None),
            ("A", "p1", 10, 1000),
            ("UNASSIGNED", "p1", 6, None),
        ]
    )
    d = decompose(obs, ["A", "UNASSIGNED"], "rate", 1000, "p0", "p1")
    # R0 = 12/1000*1000 = 12, R1 = 16: Unassigned +4, A 0
    assert d.total == pytest.approx(4.0)
    got = dict(zip(d.rows["area_code"], d.rows["contribution"], strict=True))
    assert got == pytest.approx({"A": 0.0, "UNASSIGNED": 4.0})


def test_a_missing_member_is_named():
    obs = frame(
        [
            ("A", "p0", 10, 1000),
            ("B", "p0", 30, 3000),
            ("A", "p1", 20, 1000),
            ("B", "p1", None, 3000),
        ]
    )
    with pytest.raises(ContributionError, match="no figure for B in p1"):
        decompose(obs, ["A", "B"], "rate", 1000, "p0", "p1")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5000),
            st.integers(1, 200000),
            st.integers(0, 5000),
            st.integers(1, 200000),
        ),
        min_size=1,
        max_size=14,
    ),
    st.sampled_from([("rate", 1000), ("percentage", 100), ("count", 1)]),
    st.one_of(st.none(), st.floats(0, 50)),
)
def test_contributions_always_sum_to_the_grouping_change(members, unit_mult, target):
    unit, mult = unit_mult
    rows = []
    for i, (n0, d0, n1, d1) in enumerate(members):
        if unit == "percentage":
            n0, n1 = min(n0, d0), min(n1, d1)
        rows += [
            (f"M{i}", "p0", n0, d0 if unit != "count" else None),
            (f"M{i}", "p1", n1, d1 if unit != "count" else None),
        ]
    obs = frame(rows)
    codes = [f"M{i}" for i in range(len(members))]
    if unit == "count" and target is not None and sum(m[0] for m in members) == 0:
        with pytest.raises(ContributionError):
            decompose(obs, codes, unit, mult, "p0", "p1", target=target)
        return
    d = decompose(obs, codes, unit, mult, "p0", "p1", target=target)
    agg = aggregate(obs, pd.DataFrame({"group_code": "G", "member_code": codes}), unit, mult)
    value = agg.set_index("period_label")["value"]
    start = value["p0"] if target is None else target
    assert d.total == pytest.approx(value["p1"] - start, rel=1e-9, abs=1e-9)
    assert d.explained == pytest.approx(d.total, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("group", ["PA-EAST", "PA-WEST", "E23000003", "E10000017"])
@pytest.mark.parametrize("code", ["VIO-01", "VIO-02", "DA-02"])
def test_bundled_data_sums_to_the_aggregated_change(db, group, code):
    """On the bundled data, the split of the year-on-year change to 2026-27 Q2 adds up to the
    change in the grouping's own figure as csa.areas aggregates it."""
    ind = db.indicators().set_index("code").loc[code]
    obs = db.observations()
    obs = obs[obs["indicator_code"] == code]
    members = db.area_members()
    codes = members.loc[members["group_code"] == group, "member_code"].tolist()
    d = decompose(
        obs, codes, ind["unit"], float(ind["multiplier"]), "2025-26 Q2", "2026-27 Q2", group
    )
    agg = aggregate(obs, members, ind["unit"], float(ind["multiplier"]), group_codes=[group])
    value = agg.set_index("period_label")["value"]
    assert d.from_value == pytest.approx(value["2025-26 Q2"], rel=1e-12)
    assert d.to_value == pytest.approx(value["2026-27 Q2"], rel=1e-12)
    assert d.explained == pytest.approx(
        value["2026-27 Q2"] - value["2025-26 Q2"], rel=1e-9, abs=1e-12
    )
    assert set(d.rows["area_code"]) <= set(codes)


def test_opposite_directions_are_shares_of_the_total_rise_and_fall():
    """Hand-worked: counts A 10 -> 40 (+30), B 20 -> 30 (+10), C 50 -> 21 (-29): the net
    change is +11, so a share of the net would give A 272.7% and C -263.6%. Instead A has
    30/40 = 75% and B 10/40 = 25% of the total rise of 40, and C 100% of the total fall."""
    obs = frame(
        [
            ("A", "p0", 10, None),
            ("B", "p0", 20, None),
            ("C", "p0", 50, None),
            ("A", "p1", 40, None),
            ("B", "p1", 30, None),
            ("C", "p1", 21, None),
        ]
    )
    d = decompose(obs, ["A", "B", "C"], "count", 1, "p0", "p1", "G")
    assert d.total == 11
    got = {
        r.area_code: (r.direction, r.share) for r in d.rows.itertuples(index=False)
    }  # fmt: skip
    assert got == {
        "A": ("rise", pytest.approx(0.75)),
        "B": ("rise", pytest.approx(0.25)),
        "C": ("fall", pytest.approx(1.0)),
    }
    rows = d.rows.assign(area_name=d.rows["area_code"].map({"A": "Ab", "B": "Bc", "C": "Cd"}))
    assert describe(rows, "count", "G") == [
        "In G, 2 areas pushed it up by 40 in all; shares of that total rise: Ab 75.0%, Bc 25.0%.",
        "In G, 1 area pulled it down by 29 in all; shares of that total fall: Cd 100.0%.",
    ]


@pytest.mark.parametrize(
    "contributions,expected",
    [
        # all one way: shares of the change itself (hand-worked 1/4, 3/4)
        ([1.0, 3.0], [("rise", 0.25), ("rise", 0.75)]),
        ([-2.0, -6.0, 0.0], [("fall", 0.25), ("fall", 0.75), ("none", None)]),
        # mixed: rises over the total rise of 5, falls over the total fall of -4
        ([4.0, -1.0, 1.0, -3.0], [("rise", 0.8), ("fall", 0.25), ("rise", 0.2), ("fall", 0.75)]),
    ],
)
def test_directional_shares_add_up_to_100_percent_each_way(contributions, expected):
    directions, shares = directional_shares(contributions)
    assert directions == [d for d, _s in expected]
    assert shares == [pytest.approx(s) if s is not None else None for _d, s in expected]
    for way in ("rise", "fall"):
        part = [s for d, s in zip(directions, shares, strict=True) if d == way]
        if part:
            assert sum(part) == pytest.approx(1.0)


def test_percentage_contributions_are_in_percentage_points():
    rows = [
        {"area_name": "A", "contribution": 1.5},
        {"area_name": "B", "contribution": 0.5},
    ]
    assert describe(rows, "percentage", "G") == [
        "In G, 2 areas pushed it up by 2.0 percentage points in all; shares of that total "
        "rise: A 75.0%, B 25.0%."
    ]
