"""Plausibility warnings: a Poisson rule for small counts, XmR limits for larger series.

Expected values are worked by hand from the Poisson probability function
P(X = k) = e^-m m^k / k!: with m = 4, P(X >= 6) = 1 - (1 + 4 + 8 + 10.667 + 10.667 + 8.533)
e^-4 = 1 - 42.867 x 0.0183156 = 0.2149; P(X >= 12) = 0.000915; P(X >= 13) = 0.000274;
P(X >= 14) = 0.0000763. With m = 10, P(X <= 0) = e^-10 = 0.0000454 and P(X <= 2) =
(1 + 10 + 50) e^-10 = 0.00277.
"""

import pandas as pd
import pytest

from csa.returns.plausibility import implausible, poisson_flag, poisson_tail

STARTS = pd.Series(
    pd.to_datetime([f"{2020 + i // 4}-{1 + 3 * (i % 4):02d}-01" for i in range(24)]),
    index=[f"P{i:02d}" for i in range(24)],
)
AREA, NAME = "E07000124", "Ribble Valley"


@pytest.mark.parametrize(
    "count, mean, side, p",
    [
        (6, 4.0, "above", 0.2149),
        (12, 4.0, "above", 0.000915),
        (13, 4.0, "above", 0.000274),
        (14, 4.0, "above", 0.0000763),
        (0, 10.0, "below", 0.0000454),
        (2, 10.0, "below", 0.00277),
    ],
)
def test_poisson_tail_hand_worked(count, mean, side, p):
    got_side, got_p = poisson_tail(count, mean)
    assert got_side == side
    assert got_p == pytest.approx(p, rel=2e-3)


@pytest.mark.parametrize(
    "count, mean, flagged",
    [
        (6, 4.0, False),  # 0.2149: the example "4 -> 6" is ordinary
        (12, 4.0, False),  # two-sided 0.00183 >= 0.001
        (13, 4.0, True),  # two-sided 0.00055 < 0.001
        (14, 4.0, True),  # two-sided 0.00015
        (2, 10.0, False),  # two-sided 0.0055
        (0, 10.0, True),  # two-sided 0.00009
        (1, 0.0, False),  # a run of zeros counts as 0.5: P(X >= 1) = 0.39
        (5, 0.0, True),  # P(X >= 5 | 0.5) = 0.00017, two-sided 0.00035
    ],
)
def test_poisson_flag(count, mean, flagged):
    assert poisson_flag(count, mean) is flagged


def history(values, code="SOC-01", numerators=None, denominators=None):
    return pd.DataFrame(
        {
            "indicator_code": code,
            "area_code": AREA,
            "period_label": STARTS.index[: len(values)],
            "value": values,
            "numerator": numerators if numerators is not None else values,
            "denominator": denominators if denominators is not None else [None] * len(values),
        }
    )


def row(value, period, code="SOC-01", unit="count", numerator=None, denominator=None, old=None):
    return pd.DataFrame(
        [
            {
                "row": 7,
                "indicator_code": code,
                "area_code": AREA,
                "area_name": NAME,
                "period_label": period,
                "value": value,
                "unit": unit,
                "numerator": value if numerator is None else numerator,
                "denominator": denominator,
                "old_value": old,
            }
        ]
    )


@pytest.mark.parametrize(
    "earlier, new, expected",
    [
        # the mean of the last 4 figures is 4: a 6 is ordinary, P(X >= 6) = 0.2149
        ([2, 4, 5, 3, 4, 4], 6, None),
        ([3, 5, 4, 4], 12, None),  # two-sided 0.0018
        (
            [3, 5, 4, 4],
            13,
            "Return!I7: SOC-01 Ribble Valley (E07000124) P04: the count 13 is far above its "
            "recent average (4.0 over the last 4 periods); a count of 13 or more would happen "
            "by chance with probability 0.00027 (about 1 in 3,700) (Poisson), expected a value "
            "you have checked",
        ),
        (
            [9, 11, 10, 10],
            0,
            "Return!I7: SOC-01 Ribble Valley (E07000124) P04: the count 0 is far below its "
            "recent average (10.0 over the last 4 periods); a count of 0 or fewer would happen "
            "by chance with probability 4.5e-05 (about 1 in 22,000) (Poisson)",
        ),
    ],
)
def test_small_counts_are_judged_by_poisson(earlier, new, expected):
    label = STARTS.index[len(earlier)]
    got = implausible(row(new, label), history(earlier), STARTS)
    if expected is None:
        assert got == []
    else:
        assert len(got) == 1 and str(got[0]).startswith(expected)
        assert got[0].severity == "warning"


def test_the_old_rule_would_have_flagged_four_to_ten():
    # under half the lowest or over twice the highest: [3, 5, 4, 4] -> 1.5 to 10: 11 is out,
    # yet P(X >= 11 | 4) = 0.0028 (two-sided 0.0057): not flagged now
    assert implausible(row(11, "P04"), history([3, 5, 4, 4]), STARTS) == []


def test_a_rates_small_numerator_is_judged_by_poisson_at_the_new_denominator():
    # 4 events per 10,000 residents each period; the new denominator is 20,000, so the
    # expected numerator is 8: 14 is ordinary (P(X >= 14 | 8) = 0.034); 25 is not
    # (P(X >= 25 | 8) = 0.0000012).
    past = history([0.4] * 4, code="VIO-01", numerators=[4] * 4, denominators=[10_000] * 4)
    ok = row(0.7, "P04", code="VIO-01", unit="rate per 1,000", numerator=14, denominator=20_000)
    assert implausible(ok, past, STARTS) == []
    far = row(1.25, "P04", code="VIO-01", unit="rate per 1,000", numerator=25, denominator=20_000)
    (w,) = implausible(far, past, STARTS)
    assert str(w).startswith(
        "Return!I7: VIO-01 Ribble Valley (E07000124) P04: the numerator 25 is far above the "
        "8.0 its recent rate gives at this denominator (the last 4 periods)"
    )


def test_large_counts_keep_the_xmr_limits():
    # 13 earlier points alternating 100 and 110: mean 1,360 / 13 = 104.6, mean moving
    # range 10, sigma 10 / 1.128 = 8.865, limits 104.6 +/- 26.6 = 78.0 to 131.2
    earlier = [100, 110] * 6 + [100]
    mean = sum(earlier) / 13
    assert mean >= 30  # expected count too large for the Poisson rule
    assert implausible(row(130, "P13"), history(earlier), STARTS) == []
    (w,) = implausible(row(135, "P13"), history(earlier), STARTS)
    assert "SOC-01 Ribble Valley (E07000124) P13: the value 135 (count) is far above its " in str(w)
    assert "the process limits of the last 13 periods" in str(w)


def test_a_small_revision_is_not_judged_again():
    assert implausible(row(13, "P04", old=12.5), history([3, 5, 4, 4]), STARTS) == []


def test_one_earlier_figure_is_not_enough():
    assert implausible(row(40, "P01"), history([4]), STARTS) == []
