"""Benchmark comparison, checked against Fingertips' published comparer tests.

Source: ukhsa-collaboration/fingertips-open,
PholioVisualisationWS/AnalysisTest/SingleOverlappingCIsComparatorTest.cs (commit 286a466b),
which tests ``SingleOverlappingCIsComparer`` with polarity 0 ("RAG - Low is good") and 1
("RAG - High is good"). Fingertips' "None" significance is our "not compared".
"""

import math

import pytest

from csa.benchmark import compare, compare_label

LOW, HIGH = "low_is_good", "high_is_good"


@pytest.mark.parametrize(
    ("case", "value", "lower", "upper", "bench_value", "polarity", "expected"),
    [
        ("TestSameExactly", 11, 10, 12, 11, LOW, "similar"),
        ("TestSameExactly", 11, 10, 12, 11, HIGH, "similar"),
        ("TestSame", 3.05, 2.7, 3.1, 3.0, LOW, "similar"),
        ("TestHigher", 3.3, 3.2, 3.5, 3.0, LOW, "worse"),
        ("TestHigher", 3.3, 3.2, 3.5, 3.0, HIGH, "better"),
        ("TestLower", 2.5, 2.2, 2.8, 3.0, LOW, "better"),
        ("TestLower", 2.5, 2.2, 2.8, 3.0, HIGH, "worse"),
        ("TestMinusOneData", None, None, None, 3.0, LOW, "not compared"),
        ("TestMinusOneParent", 2.5, 2.2, 2.8, None, HIGH, "not compared"),
        ("TestMinusOneBoth", None, None, None, None, LOW, "not compared"),
        ("TestNoCIsOnLocalData: no lower", 4.0, None, 4.1, 3.0, LOW, "not compared"),
        ("TestNoCIsOnLocalData: no upper", 4.0, 4.0, None, 3.0, LOW, "not compared"),
        ("TestNoCIsOnLocalData: neither", 4.0, None, None, 3.0, LOW, "not compared"),
    ],
)
def test_matches_fingertips_single_overlapping_cis(
    case, value, lower, upper, bench_value, polarity, expected
):
    assert compare(value, lower, upper, bench_value, polarity) == expected


@pytest.mark.parametrize(
    ("value", "lower", "upper", "bench_value", "expected"),
    [
        (3.3, 3.2, 3.5, 3.0, "higher"),
        (2.5, 2.2, 2.8, 3.0, "lower"),
        (3.05, 2.7, 3.1, 3.0, "similar"),
        (3.05, 3.0, 3.1, 3.0, "similar"),  # a benchmark on a limit counts as inside
        (3.05, 2.9, 3.0, 3.0, "similar"),
    ],
)
def test_no_judgement_says_higher_or_lower(value, lower, upper, bench_value, expected):
    assert compare(value, lower, upper, bench_value, "no_judgement") == expected


def test_nan_is_not_compared():
    assert compare(3.0, math.nan, 3.5, 3.0, HIGH) == "not compared"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((3.0, 2.0, 4.0, 3.0, "up_is_good"), "polarity must be one of"),
        ((3.0, 4.0, 2.0, 3.0, LOW), r"lower \(4\) must not be above upper \(2\)"),
        ((3.0, "a", 4.0, 3.0, LOW), "expected a number or None"),
    ],
)
def test_bad_input_raises(args, match):
    with pytest.raises(ValueError, match=match):
        compare(*args)


@pytest.mark.parametrize(
    ("result", "words"),
    [
        ("better", "Significantly better than the benchmark"),
        ("worse", "Significantly worse than the benchmark"),
        ("similar", "Not significantly different from the benchmark"),
        ("higher", "Significantly higher than the benchmark"),
        ("lower", "Significantly lower than the benchmark"),
        ("not compared", "Not compared with the benchmark"),
    ],
)
def test_labels(result, words):
    assert compare_label(result) == words


def test_label_names_the_benchmark():
    assert (
        compare_label("worse", "Lancashire as a whole")
        == "Significantly worse than Lancashire as a whole"
    )
    with pytest.raises(ValueError, match="result must be one of"):
        compare_label("bad")
