"""Period arithmetic: financial quarters, months, and quarters summed only from complete
months (a missing month is a gap, never a zero)."""

from __future__ import annotations

import math
from datetime import date

import pytest

from csa.periods import (
    month_dates,
    month_label,
    months,
    months_of_quarter,
    parse_month,
    quarter_sum,
)


@pytest.mark.parametrize(
    "label, expected",
    [("2022-10", (2022, 10)), ("2019-12", (2019, 12)), (" 2020-01 ", (2020, 1))],
)
def test_parse_month(label, expected):
    assert parse_month(label) == expected
    assert month_label(*expected) == label.strip()


@pytest.mark.parametrize("label", ["2022-13", "2022-00", "2022-1", "Oct 2022", "2024-25 Q2"])
def test_parse_month_refuses_anything_else(label):
    with pytest.raises(ValueError, match="not a month"):
        parse_month(label)


@pytest.mark.parametrize(
    "year, month, start, end",
    [
        (2020, 2, date(2020, 2, 1), date(2020, 2, 29)),  # leap year
        (2021, 2, date(2021, 2, 1), date(2021, 2, 28)),
        (2022, 12, date(2022, 12, 1), date(2022, 12, 31)),
    ],
)
def test_month_dates(year, month, start, end):
    assert month_dates(year, month) == (start, end)


def test_months_cover_every_calendar_month_with_its_financial_year():
    rows = months((2019, 12), (2022, 10))
    assert len(rows) == 35  # gap months are periods too; they simply have no figures
    assert rows[0]["label"] == "2019-12" and rows[-1]["label"] == "2022-10"
    assert {r["frequency"] for r in rows} == {"monthly"}
    by = {r["label"]: r["financial_year"] for r in rows}
    assert by["2020-03"] == "2019-20" and by["2020-04"] == "2020-21"


@pytest.mark.parametrize(
    "fy, q, labels",
    [
        (2020, 1, ["2020-04", "2020-05", "2020-06"]),
        (2020, 3, ["2020-10", "2020-11", "2020-12"]),
        (2020, 4, ["2021-01", "2021-02", "2021-03"]),
    ],
)
def test_months_of_quarter(fy, q, labels):
    assert months_of_quarter(fy, q) == labels


@pytest.mark.parametrize(
    "monthly, fy, q, expected",
    [
        ({"2020-04": 10, "2020-05": 20, "2020-06": 30}, 2020, 1, 60.0),
        ({"2020-04": 0, "2020-05": 0, "2020-06": 0}, 2020, 1, 0.0),  # real zeros sum
        ({"2020-04": 10, "2020-05": 20}, 2020, 1, None),  # 2020-06 missing: no quarter
        ({"2020-04": 10, "2020-05": 20, "2020-06": None}, 2020, 1, None),
        ({"2020-04": 10, "2020-05": math.nan, "2020-06": 5}, 2020, 1, None),
        ({"2020-07": 1, "2020-10": 2}, 2020, 2, None),
    ],
)
def test_quarter_is_summed_only_from_complete_months(monthly, fy, q, expected):
    assert quarter_sum(monthly, fy, q) == expected
