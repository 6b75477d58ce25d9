"""XmR charts and Making Data Count rules, checked against NHSRplotthedots' published tests.

Sources (nhs-r-community/NHSRplotthedots, tests/testthat):

[SNAP]  _snaps/ptd_spc.md (commit 174380d6): ``set.seed(123); y = rnorm(20)`` gives mean
        0.142, lpl -3.01, upl 3.29 and 20 common-cause points; split 10/10 (facets, the
        same as re-phasing at point 11): 0.0746 (-2.60, 2.75) and 0.209 (-3.28, 3.70).
        _snaps/ptd_spc_standard.md prints the same 20 values to 3 significant figures;
        below are R's values for rnorm(20) with seed 123 at full precision.
[2IN3]  test-ptd_spc_standard.R: alternating 1, -1 with points 15 and 16 set to 5.5 and
        -5.5 (close to opposite limits) are both common cause.
[TYPE]  test-ptd_calculate_point_type.R (commit 0b49a46f): the rule helpers on small
        vectors, with runs of 7 (that version's rule length).
[ASSUR] test-ptd_calculate_assurance_type.R: limits (1, 3), (5, 7), (1, 5), target 4.

Where we differ from NHSRplotthedots (limits from 1.128 rather than 2.66, trend points
classed by the trend's direction) is documented in csa/spc.py; the published values here
are unaffected at their printed precision.
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csa.spc import (
    MIN_POINTS,
    XmrResult,
    assurance_for,
    shift_flags,
    sides,
    trend_flags,
    two_of_three_flags,
    xmr,
    xmr_frame,
)

RNORM_123 = [
    -0.560475646552213,
    -0.230177489483280,
    1.558708314149124,
    0.070508391424576,
    0.129287735160946,
    1.715064986883281,
    0.460916205989202,
    -1.265061234606534,
    -0.686852851893526,
    -0.445661970099958,
    1.224081797439462,
    0.359813827057364,
    0.400771450594052,
    0.110682715945120,
    -0.555841134754075,
    1.786913136803080,
    0.497850478229239,
    -1.966617156629638,
    0.701355901563686,
    -0.472791407727934,
]


# -- published limits and classes ------------------------------------------------------------
def test_rnorm_limits_match_nhsrplotthedots_snapshot():
    r = xmr(RNORM_123, "increase")
    assert r.enough_points
    assert (r.mean[0], r.lower_process_limit[0], r.upper_process_limit[0]) == pytest.approx(
        (0.142, -3.01, 3.29), abs=0.005
    )
    assert set(r.point_classes) == {"common"}
    assert r.variation == "common_cause"


@pytest.mark.parametrize(
    ("point", "mean", "lpl", "upl"),
    [
        (0, 0.0746, -2.60, 2.75),
        (9, 0.0746, -2.60, 2.75),
        (10, 0.209, -3.28, 3.70),
        (19, 0.209, -3.28, 3.70),
    ],
)
def test_rephase_limits_match_nhsrplotthedots_facets(point, mean, lpl, upl):
    r = xmr(RNORM_123, "increase", rephase_at=(10,))
    assert (
        r.mean[point],
        r.lower_process_limit[point],
        r.upper_process_limit[point],
    ) == pytest.approx((mean, lpl, upl), abs=0.005)
    assert r.phases[point] == (0 if point < 10 else 1)
    assert set(r.point_classes) == {"common"}


def test_two_of_three_needs_the_same_side():
    data = [1.0, -1.0] * 8
    data[14], data[15] = 5.5, -5.5
    r = xmr(data, "increase")
    assert r.point_classes[-2:] == ("common", "common")  # [2IN3]


# -- the rule helpers, transcribed from [TYPE] with runs of 7 ---------------------------------
@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (list(range(1, 7)), [0] * 6),  # 1:6
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),  # c(1:3, 3:6)
        (list(range(1, 8)), [1] * 7),  # 1:7
        ([2, *range(1, 8), 3], [0, 1, 1, 1, 1, 1, 1, 1, 0]),  # c(2, 1:7, 3)
        (list(range(7, 0, -1)), [-1] * 7),  # 7:1
        ([2, *range(7, 0, -1), 3], [0, -1, -1, -1, -1, -1, -1, -1, 0]),  # c(2, 7:1, 3)
    ],
)
def test_trend_flags_match_ptd_part_of_seven_trend(values, expected):
    assert trend_flags(values, 7) == expected


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        ([1] * 6, [False] * 6),
        ([1] * 6 + [-1], [False] * 7),
        ([1] * 8 + [-1], [True] * 8 + [False]),
        ([-1] * 8 + [1], [True] * 8 + [False]),
        ([-1] + [1] * 8 + [-1], [False] + [True] * 8 + [False]),
    ],
)
def test_shift_flags_match_ptd_seven_point_one_side_mean(side, expected):
    assert shift_flags(side, 7) == expected


@pytest.mark.parametrize(
    ("close", "expected"),
    [
        ([0, 0, 0], [0, 0, 0]),
        ([1, 0, 1], [1, 0, 1]),
        ([0, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [0, 0, 1, 1, 0, 0, 0]),
        ([1, 0, 0, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [0, 0, 0, 1, 1]),
    ],
)
def test_two_of_three_flags_match_ptd_part_of_two_in_three(close, expected):
    flags = two_of_three_flags([bool(c) for c in close], [1] * len(close))
    assert flags == [bool(e) for e in expected]


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        ("increase", ["fail", "pass", "hit_or_miss"]),
        ("decrease", ["pass", "fail", "hit_or_miss"]),
        ("neither", [None, None, None]),
    ],
)
def test_assurance_matches_ptd_calculate_assurance_type(improvement, expected):
    limits = [(1, 3), (5, 7), (1, 5)]  # [ASSUR] lpl, upl; target 4
    assert [assurance_for(lo, hi, 4, improvement) for lo, hi in limits] == expected


def test_assurance_without_target_is_none():
    assert assurance_for(1, 3, None, "increase") is None


# -- Making Data Count rules on whole series (hand-worked) ------------------------------------
FLAT = [10.0, 11.0] * 8  # mean 10.5, mean moving range 1, sigma 1/1.128 = 0.8865
# With baseline=16 the limits stay on FLAT: two sigma 10.5 +/- 1.773, three 10.5 +/- 2.660.


def test_point_beyond_three_sigma():
    values = FLAT[:-1] + [14.0]  # 3.5 above a mean of ~10.7; 3 sigma is ~ 3 x 1.08
    r = xmr(values, "decrease")
    assert "outside_limits" in r.rules[-1]
    assert r.point_classes[-1] == "concern"
    assert r.variation == "special_cause_concern_high"


@pytest.mark.parametrize(("run", "flagged"), [(5, False), (6, True)])
def test_shift_needs_six_points_on_one_side(run, flagged):
    values = FLAT + [10.0] + [10.6] * run  # 10.0 is below the mean, then a run above it
    r = xmr(values, "increase", baseline=16)
    assert ("shift" in r.rules[-1]) is flagged
    if flagged:
        assert all("shift" in r.rules[-i] for i in range(1, run + 1))  # the whole run
        assert r.variation == "special_cause_improvement_high"


def test_a_point_on_the_mean_breaks_a_shift():
    r = xmr([10.0, 12.0] * 7 + [11.5, 11.5, 11.5, 11.0, 11.5, 11.5, 11.5], "increase", baseline=14)
    assert r.mean[0] == 11.0
    assert not any("shift" in rules for rules in r.rules)


@pytest.mark.parametrize(("points", "flagged"), [(5, False), (6, True)])
def test_trend_counts_points_not_steps(points, flagged):
    rising = [10.0 + 0.1 * i for i in range(points)]
    r = xmr(FLAT + rising, "neither", baseline=16)
    assert ("trend" in r.rules[-1]) is flagged
    if flagged:
        assert r.point_classes[-1] == "neither"
        assert r.variation == "special_cause_neither_high"  # on the mean, in a rising trend


def test_a_repeated_value_breaks_a_trend():
    r = xmr(FLAT + [10.0, 10.1, 10.2, 10.2, 10.3, 10.4, 10.5], "increase", baseline=16)
    assert not any("trend" in rules for rules in r.rules)


def test_two_of_three_beyond_two_sigma_flags_only_those_points():
    # 12.5 is beyond two sigma (12.273) but not three (13.160); 10.6 is on the same side.
    values = FLAT + [12.5, 10.6, 12.5]
    r = xmr(values, "increase", baseline=16)
    assert r.rules[-3] == ("two_of_three",) and r.rules[-1] == ("two_of_three",)
    assert "two_of_three" not in r.rules[-2]


def test_improvement_wins_when_a_point_is_both():
    # A rising trend (improvement for "increase") that is still below the mean (a shift
    # below: concern): improvement wins.
    values = [20.0, 21.0] * 8 + [14.0, 14.1, 14.2, 14.3, 14.4, 14.5]
    r = xmr(values, "increase")
    assert {"shift", "trend"} <= set(r.rules[-1])
    assert r.point_classes[-1] == "improvement"


@pytest.mark.parametrize("n", [0, 1, 9, 12])
def test_under_thirteen_points_there_are_no_limits(n):
    r = xmr([float(i % 3) for i in range(n)], "increase", target=1.0)
    assert not r.enough_points
    assert r.message == f"SPC needs at least 13 points; this series has {n}."
    assert r.mean == () and r.point_classes == () and r.variation is None
    assert r.assurance is None and r.min_points == MIN_POINTS


def test_baseline_fixes_mean_and_limits_on_the_first_points():
    values = FLAT[:12] + [20.0] * 6
    r = xmr(values, "increase", baseline=12)
    assert r.mean == pytest.approx([10.5] * 18)
    assert r.sigma[0] == pytest.approx(1 / 1.128)
    assert all("outside_limits" in rules for rules in r.rules[12:])


def test_moving_ranges_do_not_cross_a_rephase():
    values = [10.0, 11.0] * 7 + [50.0, 51.0] * 7
    r = xmr(values, "increase", rephase_at=(14,))
    assert r.sigma[0] == pytest.approx(1 / 1.128) and r.sigma[-1] == pytest.approx(1 / 1.128)
    assert (r.mean[0], r.mean[-1]) == (10.5, 50.5)
    assert set(r.point_classes) == {"common"}


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("increase", 5.0, "pass"),
        ("increase", 20.0, "fail"),
        ("increase", 10.5, "hit_or_miss"),
        ("decrease", 5.0, "fail"),
        ("decrease", 20.0, "pass"),
        ("neither", 5.0, None),
        ("increase", None, None),
    ],
)
def test_assurance_uses_the_latest_limits(improvement, target, expected):
    assert xmr(FLAT, improvement, target=target).assurance == expected


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"values": [1.0, float("nan")] * 7}, r"values\[1\] is nan"),
        ({"improvement": "up"}, "improvement must be one of"),
        ({"run_length": 1}, "run_length must be a whole number of at least 2"),
        ({"baseline": 40}, r"baseline \(40\) is longer than the series"),
        ({"rephase_at": (0,)}, "rephase_at position 0 is outside"),
        ({"target": float("nan")}, "target must be a finite number"),
    ],
)
def test_bad_input_raises(kwargs, match):
    args = {"values": FLAT, "improvement": "increase", **kwargs}
    with pytest.raises(ValueError, match=match):
        xmr(**args)


def test_xmr_frame_has_one_row_per_point():
    frame = xmr_frame(xmr(FLAT, "increase"))
    assert len(frame) == len(FLAT)
    assert frame["mean"].tolist() == pytest.approx([10.5] * len(FLAT))
    short = xmr_frame(xmr([1.0, 2.0], "increase"))
    assert short["mean"].isna().all() and short["point_class"].isna().all()


# -- invariants ------------------------------------------------------------------------------
series = st.lists(st.integers(-1000, 1000).map(float), min_size=13, max_size=40)


@given(series)
def test_limits_are_symmetric_about_the_mean(values):
    r = xmr(values, "increase")
    for m, up, lo, s in zip(
        r.mean, r.upper_process_limit, r.lower_process_limit, r.sigma, strict=True
    ):
        assert up - m == pytest.approx(m - lo) == pytest.approx(3 * s)
        assert s >= 0


@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(13, 40))
def test_a_constant_series_has_no_special_cause(value, n):
    r = xmr([value] * n, "increase", target=value)
    assert r.sigma[0] == 0
    assert set(r.point_classes) == {"common"} and r.variation == "common_cause"


@given(series)
def test_negating_the_series_mirrors_the_classes(values):
    up = xmr(values, "increase")
    down = xmr([-v for v in values], "decrease")
    assert up.point_classes == down.point_classes
    assert up.rules == down.rules


@given(series, st.integers(-500, 500))
def test_shifting_the_series_shifts_the_limits(values, c):
    a, b = xmr(values, "increase"), xmr([v + c for v in values], "increase")
    assert b.mean[0] == pytest.approx(a.mean[0] + c)
    assert b.sigma[0] == pytest.approx(a.sigma[0])
    assert isinstance(b, XmrResult) and len(b.point_classes) == len(values)


def test_sides_treat_floating_noise_as_on_the_mean():
    assert sides([0.1] * 3, 0.1 + 1e-17) == [0, 0, 0]
    assert math.isclose(sum([0.1] * 13) / 13, 0.1)
