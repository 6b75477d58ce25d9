"""Recent trends, checked against Fingertips' published trend-marker tests and R.

Sources:

[FT-TM]  ukhsa-collaboration/fingertips-open,
         PholioVisualisationWS/AnalysisTest/TrendMarkerCalculatorTest.cs (commit 67808972):
         proportions Set1 chi-squared 47.9 (significant); values-with-CIs Set1 chi-squared
         46.77 (significant); Set2 not significant; proportions Set2 (5/5, 3/5, ...)
         cannot be calculated.
[FT-W]   the same repository, PholioVisualisationWS/AnalysisTest/
         WhenUsingTrendMarkerCalculator.cs (commit 286a466b), an earlier calculator that
         tested every point given: chi-squared 8.0237 (TrendData_1, decreasing), 0.018
         (TrendData_5), 1.3987 (TrendData_6), 0.3925 (TrendData_7), 978.2845 (TrendData_5a).
[R]      R ``stats::prop.trend.test`` help-page example: smokers c(83, 90, 129, 70) of
         patients c(86, 93, 136, 82): X-squared = 8.2249, df = 1, p-value = 0.004132.

Fingertips calls a trend at 99.8% (chi-squared > 9.5495); ``recent_trend`` defaults to 95%.
"""

import pytest
from scipy.stats import chi2

from csa.trend import chi_squared_trend_proportions, recent_trend, weighted_trend_test

FT_PROP_SET1 = ([994, 1023, 1199, 1332, 1367], [40299, 41527, 42811, 44064, 44701])


@pytest.mark.parametrize(
    ("numerators", "denominators", "chi_squared", "places", "source"),
    [
        (*FT_PROP_SET1, 47.9, 2, "FT-TM"),
        ([5, 7, 6, 7, 8, 10], [22, 35, 42, 48, 54, 150], 8.0237, 4, "FT-W TrendData_1"),
        (
            [5405, 5500, 5435, 5480, 5315],
            [18095, 18170, 18005, 17890, 17860],
            0.018,
            4,
            "FT-W TrendData_5",
        ),
        (
            [5645, 5405, 5500, 5435, 5480, 5315],
            [18285, 18095, 18170, 18005, 17890, 17860],
            1.3987,
            4,
            "FT-W TrendData_6",
        ),
        (
            [5455, 5645, 5405, 5500, 5435, 5480, 5315],
            [18590, 18285, 18095, 18170, 18005, 17890, 17860],
            0.3925,
            4,
            "FT-W TrendData_7",
        ),
        (
            [22435, 22445, 21365, 20955, 19055],
            [65880, 67900, 68705, 69835, 70910],
            978.2845,
            4,
            "FT-W TrendData_5a",
        ),
        ([83, 90, 129, 70], [86, 93, 136, 82], 8.2249, 4, "R prop.trend.test"),
    ],
)
def test_chi_squared_for_proportions_matches_published(
    numerators, denominators, chi_squared, places, source
):
    test = chi_squared_trend_proportions(numerators, denominators)
    assert round(test.chi_squared, places) == pytest.approx(chi_squared)


def test_p_value_matches_r_prop_trend_test():
    test = chi_squared_trend_proportions([83, 90, 129, 70], [86, 93, 136, 82])
    assert test.p_value == pytest.approx(0.004132, abs=5e-7)


@pytest.mark.parametrize(
    ("numerators", "denominators", "slope_sign"),
    [
        ([5, 7, 6, 7, 8, 10], [22, 35, 42, 48, 54, 150], -1),  # FT-W: Decreasing
        ([10, 8, 7, 6, 7, 5], [150, 54, 48, 42, 35, 22], 1),
    ],  # FT-W TrendData_2: Increasing
)
def test_direction_matches_fingertips(numerators, denominators, slope_sign):
    test = chi_squared_trend_proportions(numerators, denominators)
    assert (test.slope > 0) == (slope_sign > 0)


def test_weighted_test_matches_fingertips_set1():
    # [FT-TM] GetTrendData_Set1, oldest first: Value, LowerCI95, UpperCI95.
    test = weighted_trend_test(
        [24.67, 24.6, 28.0, 30.2, 30.6],
        [23.16, 23.15, 26.44, 28.63, 28.98],
        [26.25, 26.19, 29.64, 31.9, 32.25],
    )
    assert round(test.chi_squared, 2) == pytest.approx(46.77)
    assert test.chi_squared > chi2.ppf(0.998, 1)  # Fingertips: significant
    assert test.slope > 0 and test.consistent


def test_weighted_test_fingertips_set2_is_not_significant():
    test = weighted_trend_test(
        [20.5506, 19.5952, 19.0349, 21.3966, 18.4372],
        [18.1803, 17.3444, 16.8421, 19.0918, 16.2925],
        [23.1427, 22.0602, 21.4394, 23.8975, 20.7941],
    )
    assert test.chi_squared < chi2.ppf(0.998, 1)
    assert test.p_value > 0.05


# -- recent_trend ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("polarity", "judgement"),
    [
        ("high_is_good", "getting better"),
        ("low_is_good", "getting worse"),
        ("no_judgement", "no judgement"),
    ],
)
def test_recent_trend_for_percentages_fingertips_set1(polarity, judgement):
    t = recent_trend(*FT_PROP_SET1, unit="percentage", polarity=polarity, confidence=0.998)
    assert (t.direction, t.judgement, t.n_points) == ("increasing", judgement, 5)
    assert round(t.chi_squared, 2) == pytest.approx(47.9)
    assert "Chi-squared test for linear trend" in t.method


def test_recent_trend_for_rates_uses_the_latest_five_points():
    # Set1's counts and populations with two older points in front. The CIs come from
    # csa.stats (Byar's), so the statistic is close to Fingertips' 46.77, which used the
    # rounded published figures.
    t = recent_trend(
        [5000, 1] + FT_PROP_SET1[0],
        [10_000, 10] + FT_PROP_SET1[1],
        unit="rate",
        polarity="low_is_good",
    )
    assert t.direction == "increasing" and t.judgement == "getting worse"
    assert t.chi_squared == pytest.approx(46.77, abs=0.3)


def test_recent_trend_for_counts_hand_worked():
    # Counts 10, 12, 15, 20, 25: Byar's/exact 95% limits give weights 1/SE^2 with
    # SE = (upper - lower) / 3.92, slope 3.63 a period, chi-squared 7.10, p = 0.0077.
    t = recent_trend([10, 12, 15, 20, 25], unit="count", polarity="low_is_good")
    assert (t.direction, t.judgement) == ("increasing", "getting worse")
    assert t.p_value == pytest.approx(0.0077, abs=1e-4)
    assert (
        recent_trend([10, 12, 15, 20, 25], unit="count", confidence=0.998).direction
        == "no significant change"
    )


def test_fingertips_proportions_set2_cannot_be_calculated():
    t = recent_trend([5, 3, 1, 1, 2], [5, 5, 5, 4, 4], unit="percentage")
    assert t.direction == t.judgement == "cannot be calculated"
    assert t.p_value is None and "0% or 100%" in t.message


@pytest.mark.parametrize(
    ("numerators", "denominators", "message"),
    [
        ([1, 2, 3, 4], [10] * 4, "needs 5 points; this series has 4"),
        ([1, 2, None, 4, 5], [10] * 5, "One of the latest 5 points is missing"),
        ([1, 2, 3, 4, 5], [10, 10, 10, float("nan"), 10], "One of the latest 5 points is missing"),
    ],
)
def test_cannot_be_calculated(numerators, denominators, message):
    t = recent_trend(numerators, denominators, unit="rate")
    assert t.direction == "cannot be calculated" and message in t.message


def test_no_significant_change_when_one_point_drives_it():
    # Falling for four points, then a jump: chi-squared is large, but leaving out the last
    # point turns the log-odds slope negative, so Fingertips' outlier check says no trend.
    t = recent_trend([120, 115, 110, 105, 300], [1000] * 5, unit="percentage")
    assert t.p_value < 0.05
    assert t.direction == "no significant change"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"unit": "ratio"}, "unit must be one of"),
        ({"polarity": "up"}, "polarity must be one of"),
        ({"n_points": 4}, "n_points must be a whole number of at least 5"),
        ({"denominators": None}, "denominators are needed for a rate trend"),
        ({"numerators": [1, 2, 3, 4, -5]}, "numerators must be zero or more"),
        ({"denominators": [10, 10, 10, 10, 0]}, "denominators must be greater than zero"),
        (
            {"unit": "percentage", "numerators": [1, 2, 3, 4, 11]},
            "numerator is more than its denominator",
        ),
        ({"confidence": 95}, "confidence must be between 0 and 1"),
    ],
)
def test_bad_input_raises(kwargs, match):
    args = {"numerators": [1, 2, 3, 4, 5], "denominators": [10] * 5, "unit": "rate", **kwargs}
    with pytest.raises(ValueError, match=match):
        recent_trend(**args)


def test_p_values_are_scipy_chi2_sf_to_the_bit():
    # the p-value is scipy.special.chdtrc (what scipy.stats.chi2.sf calls)
    from csa.trend import _chi2_sf

    for x in [0.0, 1e-12, 0.5, 3.841458820694124, 9.5495, 50.0, 700.0]:
        assert _chi2_sf(x) == float(chi2.sf(x, 1))
