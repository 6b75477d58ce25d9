"""The one formatter: each rule against hand-worked strings."""

import math

import pytest

from csa import formatting


@pytest.mark.parametrize(
    ("x", "unit", "expected"),
    [
        (1515487, "count", "1,515,487"),
        (12, "count", "12"),
        (12.0, "count", "12"),
        (12.5, "count", "12.5"),  # a count target is never rounded to 12 or written 12.50
        (34.2, "count", "34.2"),
        (7.25, "count", "7.2"),  # one decimal for a derived count (banker's rounding of .25)
        (36.2, "percentage", "36.2%"),
        (7.7, "percentage", "7.7%"),
        (0, "percentage", "0.0%"),
        (81.7866, "rate", "81.8"),
        (6.1267, "rate", "6.1"),
        (0.012047, "rate", "0.012"),
        (1234.56, "rate", "1,234.6"),
        (0, "rate", "0.0"),
        (None, "count", "–"),
        (math.nan, "rate", "–"),
        (math.inf, "count", "–"),
    ],
)
def test_figure(x, unit, expected):
    assert formatting.figure(x, unit) == expected


@pytest.mark.parametrize(
    ("value", "reference", "unit", "expected"),
    [
        (2.0, 2.7, "count", "25.9%"),  # relative % of the reference
        (40.0, 37.2, "percentage", "2.8 percentage points"),  # never "%" between percentages
        (38.2, 37.2, "percentage", "1.0 percentage point"),
        (3, 0, "count", "3"),  # no relative change from zero
        (None, 1, "count", "–"),
    ],
)
def test_difference(value, reference, unit, expected):
    assert formatting.difference(value, reference, unit) == expected


def test_counts_intervals_units_and_shares():
    assert formatting.count(1515487.0) == "1,515,487"
    assert formatting.count(None) == "–"
    assert formatting.interval(12.1, 15.34, "rate") == "12.1 to 15.3"
    assert formatting.interval(None, 3, "rate") == "–"
    assert formatting.unit_label("rate", 1000) == "per 1,000"
    assert formatting.unit_label("percentage", 100) == "%"
    assert formatting.unit_label("count", 1) == "count"
    assert formatting.share(1, 3) == "33.3%"
    assert formatting.share(1, 0) == "–"


def test_counts_or_why_shows_the_reason_where_a_count_is_hidden():
    from csa.formatting import counts_or_why

    assert counts_or_why(["", "fewer than 5", "", ""], [1234, 3, None, 7.0]) == [
        "1,234",
        "fewer than 5",
        "–",
        "7",
    ]


def test_or_why_never_works_out_a_hidden_figure():
    from csa.formatting import or_why

    seen = []

    def show(rate, lower):
        seen.append(rate)
        return f"{rate} ({lower})"

    got = or_why(["", "protects a small number", ""], show, [1.5, 2.5, 3.5], [1, 2, 3])
    assert got == ["1.5 (1)", "protects a small number", "3.5 (3)"]
    assert seen == [1.5, 3.5]  # the hidden row's values were never formatted
