"""Confidence intervals checked against published values.

Sources (public repositories and documentation):

[PSM-CI]  DataS-DHSC/PHStatsMethods, ph_statistical_methods/tests/test_confidence_intervals.py
          (commit fb87e8cea5d15f98ed2726512d96df5c81660f6f): Wilson limits.
[PSM-UT]  DataS-DHSC/PHStatsMethods, ph_statistical_methods/unit_tests/tests.py
          (commit 7cb41b2278dfb3aa930a43409e8a6d3cea7d03e0): byars_lower(100), phe_rate,
          phe_proportion, wilson(100, 10000) (printed there as percentages).
[FT-TM]   ukhsa-collaboration/fingertips-open,
          PholioVisualisationWS/AnalysisTest/TrendMarkerCalculatorTest.cs (commit 67808972):
          Fingertips' own published figures with 95% limits: crude rates per 1,000 (Byar's)
          to 2 decimals and percentages (Wilson) to 4 decimals.
[EPI]     epitools ``pois.exact`` documentation: exact upper limit 3.689 for a count of 0.
[R]       R ``stats::poisson.test(x)$conf.int`` (Garwood exact limits), a reference
          implementation independent of scipy: x=5 -> 1.623486, 11.668332;
          x=9 -> 4.115373, 17.084803.

Sources that disagree: [PSM-UT] also expects byars_upper(100) = 121.62459, which no
published form of Byar's formula gives (PHEindicatormethods' and PHStatsMethods' later
``byars_upper`` give 121.62794); an earlier [PSM-CI] expected byars_lower(100, 0.95) = 99.04,
which is the 5% (not 95%) limit. We follow PHEindicatormethods; see csa/stats.py.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csa.stats import (
    add_ci,
    byars_ci,
    count_ci,
    exact_poisson_ci,
    proportion_ci,
    rate_ci,
    wilson_ci,
)


# -- Wilson ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("numerator", "denominator", "confidence", "bound", "expected", "source"),
    [
        (20, 360, 0.95, "lower", 0.036248204600072345, "PSM-CI"),
        (550, 2400, 0.998, "lower", 0.20375892211705743, "PSM-CI"),
        (30, 400, 0.95, "upper", 0.10504770626130437, "PSM-CI"),
        (76, 238, 0.998, "upper", 0.418131030603369, "PSM-CI"),
        (100, 10000, 0.95, "lower", 0.008229336148148417, "PSM-UT"),
        (100, 10000, 0.95, "upper", 0.012146982255114647, "PSM-UT"),
    ],
)
def test_wilson_matches_phstatsmethods(numerator, denominator, confidence, bound, expected, source):
    lower, upper = wilson_ci(numerator, denominator, confidence)
    assert {"lower": lower, "upper": upper}[bound] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("numerator", "denominator", "value", "lower", "upper"),
    [  # [FT-TM] GetTrendData_Set2: Value, LowerCI95, UpperCI95 (percentages, 4 d.p.)
        (209, 1017, 20.5506, 18.1803, 23.1427),
        (213, 1087, 19.5952, 17.3444, 22.0602),
        (213, 1119, 19.0349, 16.8421, 21.4394),
        (239, 1117, 21.3966, 19.0918, 23.8975),
        (210, 1139, 18.4372, 16.2925, 20.7941),
    ],
)
def test_percentage_matches_fingertips(numerator, denominator, value, lower, upper):
    got = proportion_ci(numerator, denominator)
    assert got == pytest.approx((value, lower, upper), abs=5e-5)


def test_proportion_matches_phstatsmethods_phe_proportion():
    # [PSM-UT] phe_proportion(100, 1000) == (10.0, 8.29094435930957, 12.01519631953484)
    assert proportion_ci(100, 1000) == pytest.approx(
        (10.0, 8.29094435930957, 12.01519631953484), rel=1e-12
    )


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"), [(0, 50, (0.0, None)), (50, 50, (None, 1.0))]
)
def test_wilson_is_defined_at_zero_and_one(numerator, denominator, expected):
    lower, upper = wilson_ci(numerator, denominator)
    if expected[0] is not None:
        assert lower == 0.0 and 0 < upper < 1
    else:
        assert upper == 1.0 and 0 < lower < 1


# -- Byar's and exact Poisson ----------------------------------------------------------------
def test_byars_lower_matches_phstatsmethods():
    # [PSM-UT] byars_lower(100) == 81.36210549052788
    assert byars_ci(100)[0] == pytest.approx(81.36210549052788, rel=1e-12)


@pytest.mark.parametrize(
    ("count", "denominator", "value", "lower", "upper"),
    [  # [FT-TM] GetTrendData_Set1: crude rate per 1,000, LowerCI95, UpperCI95 (2 d.p.)
        (1367, 44701, 30.6, 28.98, 32.25),
        (1332, 44064, 30.2, 28.63, 31.9),
        (1199, 42811, 28.0, 26.44, 29.64),
        (1023, 41527, 24.6, 23.15, 26.19),
        (994, 40299, 24.67, 23.16, 26.25),
    ],
)
def test_rate_matches_fingertips(count, denominator, value, lower, upper):
    got_value, got_lower, got_upper = rate_ci(count, denominator, 1000)
    assert got_value == pytest.approx(value, abs=0.05)  # Fingertips printed 1 d.p. here
    assert (got_lower, got_upper) == pytest.approx((lower, upper), abs=0.005)


def test_rate_lower_matches_phstatsmethods_phe_rate():
    # [PSM-UT] phe_rate(100, 10000, 100000) == (1000.0, 813.6210549052789, ...)
    value, lower, _upper = rate_ci(100, 10000, 100000)
    assert (value, lower) == pytest.approx((1000.0, 813.6210549052789), rel=1e-12)


@pytest.mark.parametrize(
    ("count", "expected", "source"),
    [
        (0, (0.0, 3.689), "EPI"),
        (5, (1.623486, 11.668332), "R"),
        (9, (4.115373, 17.084803), "R"),
    ],
)
def test_exact_poisson_matches_published(count, expected, source):
    assert exact_poisson_ci(count) == pytest.approx(expected, abs=5e-4 if count == 0 else 5e-7)


@pytest.mark.parametrize(
    ("count", "method"), [(0, "exact"), (9, "exact"), (10, "byars"), (250, "byars")]
)
def test_rate_switches_from_exact_to_byars_at_ten(count, method):
    expected = exact_poisson_ci(count) if method == "exact" else byars_ci(count)
    assert count_ci(count) == expected
    _v, lower, upper = rate_ci(count, 2000, 1000)
    assert (lower, upper) == pytest.approx((expected[0] / 2, expected[1] / 2))


def test_byars_refuses_a_negative_lower_limit():
    with pytest.raises(ValueError, match="too small for Byar's method"):
        byars_ci(1, confidence=0.998)


# -- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: wilson_ci(-1, 10), "numerator must be zero or more"),
        (lambda: wilson_ci(5, 0), "denominator must be greater than zero"),
        (lambda: wilson_ci(11, 10), r"numerator \(11\) must not be more than the denominator"),
        (lambda: wilson_ci(float("nan"), 10), "numerator is missing"),
        (lambda: wilson_ci(5, 10, confidence=95), "confidence must be between 0 and 1"),
        (lambda: byars_ci(-3), "count must be zero or more"),
        (lambda: exact_poisson_ci(float("inf")), "count must be finite"),
        (lambda: rate_ci(5, 0, 1000), "denominator must be greater than zero"),
        (lambda: rate_ci(5, 100, 0), "multiplier must be greater than zero"),
        (lambda: proportion_ci(3, 2), "must not be more than the denominator"),
        (lambda: rate_ci("5", 100, 1000), "numerator must be a number"),
    ],
)
def test_bad_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# -- add_ci ----------------------------------------------------------------------------------
def test_add_ci_rates_and_notes():
    df = pd.DataFrame({"numerator": [1367, None, 5, -1], "denominator": [44701, 100, 0, 10]})
    out = add_ci(df, "rate", 1000)
    assert list(df.columns) == ["numerator", "denominator"]  # a copy; input untouched
    assert out.loc[0, ["lower", "upper"]].tolist() == pytest.approx([28.98, 32.25], abs=0.005)
    assert out["ci_note"].tolist() == [
        "",
        "numerator is missing",
        "denominator is zero or negative",
        "numerator is negative",
    ]
    assert out.loc[1:, ["value", "lower", "upper"]].isna().all().all()


def test_add_ci_percentage_and_count():
    pct = add_ci(
        pd.DataFrame({"numerator": [209, 12], "denominator": [1017, 10]}), "percentage", 100
    )
    assert pct.loc[0, ["value", "lower", "upper"]].tolist() == pytest.approx(
        [20.5506, 18.1803, 23.1427], abs=5e-5
    )
    assert pct.loc[1, "ci_note"] == "numerator is more than the denominator"
    assert math.isnan(pct.loc[1, "value"])
    counts = add_ci(pd.DataFrame({"numerator": [0, 100]}), "count", 1)
    assert counts.loc[0, "upper"] == pytest.approx(3.689, abs=5e-4)
    assert counts.loc[1, "lower"] == pytest.approx(81.36210549052788)


def test_add_ci_rejects_unknown_unit():
    with pytest.raises(ValueError, match="unit must be one of"):
        add_ci(pd.DataFrame({"numerator": [1]}), "ratio", 1)


# -- invariants ------------------------------------------------------------------------------
@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_wilson_brackets_the_proportion(numerator, extra):
    denominator = numerator + extra
    lower, upper = wilson_ci(numerator, denominator)
    p = numerator / denominator
    assert 0 <= lower <= p <= upper <= 1


@given(st.integers(0, 100_000))
def test_count_interval_brackets_the_count(count):
    lower, upper = count_ci(count)
    assert 0 <= lower <= count <= upper
    assert np.isfinite(upper)


@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.95, 0.99, 0.998])
def test_exact_poisson_is_scipy_chi2_ppf_to_the_bit(confidence):
    # the interval is computed by scipy.special.gammaincinv, not scipy.stats.chi2.ppf
    # (the same function without its per-call overhead): the numbers must not move
    from scipy.stats import chi2

    alpha = 1 - confidence
    for count in [*np.arange(0, 60, 0.5), 1e-9, 0.1, 123.456, 1e6]:
        lower = 0.0 if count == 0 else float(chi2.ppf(alpha / 2, 2 * count)) / 2
        upper = float(chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
        assert exact_poisson_ci(count, confidence) == (lower, upper)
        if count < 10:
            assert count_ci(count, confidence) == (lower, upper)
