"""Targets, status against a target, year to date and forecasts.

There is no published reference implementation of these project rules, so every expected
value is worked by hand in the table or comment beside it.
"""

import pytest

from csa.targets import (
    fmt_number,
    forecast_year_end,
    resolve_target,
    target_status,
    year_to_date,
)


# -- resolve_target --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("target_type", "target_value", "baseline", "bench", "expected"),
    [
        ("fixed", 1450, None, None, 1450),
        ("change_vs_baseline", -10, 1600, None, 1440),  # 1600 x 0.90
        ("change_vs_baseline", 5, 40.0, None, 42.0),  # 40 x 1.05
        ("benchmark", 0, None, 7.5, 7.5),  # at least as good as the benchmark
        ("benchmark", 10, None, 20.0, 22.0),  # up to 10% above it
        ("benchmark", -5, None, 80.0, 76.0),  # 5% below it
    ],
)
def test_resolve_target(target_type, target_value, baseline, bench, expected):
    got = resolve_target(target_type, target_value, baseline_value=baseline, benchmark_value=bench)
    assert got == pytest.approx(expected)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (("change_vs_baseline", -10), {}, "baseline_value is needed"),
        (("benchmark", 0), {}, "benchmark_value is needed"),
        (("fixed", float("nan")), {}, "target_value must be a finite number"),
        (("relative", 5), {}, "target_type must be one of"),
        (
            ("change_vs_baseline", -10),
            {"baseline_value": float("inf")},
            "baseline_value must be a finite number",
        ),
    ],
)
def test_resolve_target_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        resolve_target(*args, **kwargs)


# -- target_status ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "target", "polarity", "tolerance", "status", "gap", "gap_pct", "message"),
    [
        # 1624 is 174 above 1450: 174 / 1450 = 12.0%; low is good; tolerance 5% -> off track
        (1624, 1450, "low_is_good", 5, "off track", 174, 12.0, "12.0% above the target of 1,450"),
        # 1500 is 50 above: 3.4% <= 5% -> at risk
        (
            1500,
            1450,
            "low_is_good",
            5,
            "at risk",
            50,
            50 / 1450 * 100,
            "3.4% above the target of 1,450",
        ),
        (
            1400,
            1450,
            "low_is_good",
            5,
            "on track",
            -50,
            -50 / 1450 * 100,
            "3.4% below the target of 1,450",
        ),
        (1450, 1450, "low_is_good", 0, "on track", 0, 0.0, "on the target of 1,450"),
        # high is good: 61.5 against 65 misses by 3.5 = 5.4% > 5% -> off track
        (
            61.5,
            65,
            "high_is_good",
            5,
            "off track",
            -3.5,
            -3.5 / 65 * 100,
            "5.4% below the target of 65",
        ),
        (
            63.0,
            65,
            "high_is_good",
            5,
            "at risk",
            -2.0,
            -2.0 / 65 * 100,
            "3.1% below the target of 65",
        ),
        # exactly on the tolerance (5 above 100 is 5.0%) is still at risk
        (105, 100, "low_is_good", 5, "at risk", 5, 5.0, "5.0% above the target of 100"),
        (70, 65, "no_judgement", 5, "no judgement", 5, 5 / 65 * 100, "7.7% above the target of 65"),
        (3, 0, "low_is_good", 5, "off track", 3, None, "3 above the target of 0"),
    ],
)
def test_target_status(value, target, polarity, tolerance, status, gap, gap_pct, message):
    s = target_status(value, target, polarity, tolerance)
    assert s.status == status
    assert s.gap == pytest.approx(gap)
    assert s.gap_pct == (None if gap_pct is None else pytest.approx(gap_pct))
    assert s.message == message


def test_no_target():
    s = target_status(12.0, None, "low_is_good", 5)
    assert (s.status, s.gap, s.gap_pct) == ("no target", None, None)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((float("nan"), 10, "low_is_good", 5), "value must be a finite number"),
        ((5, 10, "sideways", 5), "polarity must be one of"),
        ((5, 10, "low_is_good", -1), "tolerance_pct must be zero or more"),
        ((5, float("nan"), "low_is_good", 5), "target must be a finite number"),
    ],
)
def test_target_status_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        target_status(*args)


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (1450, "1,450"),
        (1450.0, "1,450"),
        (1234.56, "1,234.6"),
        (12.5, "12.5"),
        (0.35, "0.35"),
        (-2500, "-2,500"),
    ],
)
def test_numbers_have_thousands_separators(x, text):
    assert fmt_number(x) == text


# -- year to date and forecasts --------------------------------------------------------------
def test_counts_year_to_date_is_the_sum():
    ytd = year_to_date([310, 290], None, None, "count", 4, 2)
    assert ytd.value == 600 and ytd.periods_elapsed == 2


def test_rates_year_to_date_pools_numerators_and_denominators():
    # 10 / 1,000 and 90 / 9,000 (both 10 per 1,000) pool to 100 / 10,000 = 10 per 1,000.
    # 10 / 1,000 and 10 / 9,000 pool to 20 / 10,000 = 2.0 per 1,000; the average of the two
    # rates (10 and 1.11) would be 5.56, which is the mistake this rule avoids.
    assert year_to_date(
        None, [10, 90], [1000, 9000], "rate", 4, 2, multiplier=1000
    ).value == pytest.approx(10.0)
    ytd = year_to_date([10.0, 1.111], [10, 10], [1000, 9000], "rate", 4, 2, multiplier=1000)
    assert ytd.value == pytest.approx(2.0)
    assert "sum of denominators" in ytd.method


def test_percentage_year_to_date_defaults_to_100():
    assert year_to_date(None, [45, 55], [100, 100], "percentage", 12, 2).value == 50.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"unit": "rate"}, "multiplier is needed for a rate"),
        ({"periods_elapsed": 5}, r"periods_elapsed \(5\) is more than periods_in_year"),
        ({"periods_elapsed": 3}, "numerators has 2 entries but periods_elapsed is 3"),
        ({"denominators": [100, 0]}, "denominators must be greater than zero"),
        ({"numerators": [45, 155]}, "numerator is more than its denominator"),
        ({"numerators": None}, "needs numerators and denominators"),
        ({"unit": "ratio"}, "unit must be one of"),
    ],
)
def test_year_to_date_bad_input(kwargs, match):
    args = {
        "values": None,
        "numerators": [45, 55],
        "denominators": [100, 100],
        "unit": "percentage",
        "periods_in_year": 4,
        "periods_elapsed": 2,
        **kwargs,
    }
    with pytest.raises(ValueError, match=match):
        year_to_date(**args)


def test_count_forecast_is_a_straight_line():
    f = forecast_year_end([310, 290], None, None, "count", 4, 2)
    assert f.value == 1200 and f.year_to_date == 600  # 600 / 2 x 4
    assert f.method.startswith("Straight-line projection")


def test_count_forecast_can_follow_last_years_seasonal_pattern():
    # Last year 200, 300, 250, 250 = 1,000: Q1-Q2 were 50% of it, so a year to date of 600
    # projects to 600 / 0.5 = 1,200. Last year 200, 200, 300, 300: Q1-Q2 were 40%, so
    # 600 / 0.4 = 1,500.
    f = forecast_year_end([310, 290], None, None, "count", 4, 2, previous_year=[200, 300, 250, 250])
    assert f.value == pytest.approx(1200)
    g = forecast_year_end([310, 290], None, None, "count", 4, 2, previous_year=[200, 200, 300, 300])
    assert g.value == pytest.approx(1500)
    assert "40.0%" in g.method


def test_rate_forecast_is_the_year_to_date_rate():
    f = forecast_year_end(None, [10, 10], [1000, 9000], "rate", 4, 2, multiplier=1000)
    assert f.value == pytest.approx(2.0) == f.year_to_date


def test_seasonal_forecast_needs_last_year_in_the_same_periods():
    with pytest.raises(ValueError, match="no events in the same periods"):
        forecast_year_end([5, 5], None, None, "count", 4, 2, previous_year=[0, 0, 3, 4])
