"""Financial-year periods: labels such as ``2024-25 Q2`` and their dates.

Quarters follow the UK financial year: Q1 April-June, Q2 July-September, Q3
October-December, Q4 January-March.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_QUARTER = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")


def quarter_label(fy_start_year: int, quarter: int) -> str:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1 to 4, not {quarter!r}")
    return f"{fy_start_year}-{(fy_start_year + 1) % 100:02d} Q{quarter}"


def parse_quarter(label: str) -> tuple[int, int]:
    """``'2024-25 Q2'`` -> (2024, 2). ValueError for anything else."""
    m = _QUARTER.match(str(label).strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValueError(f"period {label!r} is not a financial-year quarter like '2024-25 Q2'")
    return int(m.group(1)), int(m.group(3))


def quarter_dates(fy_start_year: int, quarter: int) -> tuple[date, date]:
    month = 4 + 3 * (quarter - 1)
    year = fy_start_year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    start = date(year, month, 1)
    nxt = date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def financial_year(fy_start_year: int) -> str:
    return f"{fy_start_year}-{(fy_start_year + 1) % 100:02d}"


def quarters(first: tuple[int, int], last: tuple[int, int]) -> list[dict]:
    """Period records from ``first`` to ``last`` inclusive, each (fy_start_year, quarter)."""
    out = []
    fy, q = first
    while (fy, q) <= last:
        start, end = quarter_dates(fy, q)
        out.append(
            {
                "label": quarter_label(fy, q),
                "start_date": start,
                "end_date": end,
                "frequency": "quarterly",
                "financial_year": financial_year(fy),
            }
        )
        fy, q = (fy, q + 1) if q < 4 else (fy + 1, 1)
    return out


def quarter_of(d: date) -> tuple[int, int]:
    """The financial-year quarter containing ``d``."""
    fy = d.year if d.month >= 4 else d.year - 1
    return fy, (d.month - 4) % 12 // 3 + 1


# --- Months ---------------------------------------------------------------------------
#
# Monthly periods are labelled ``YYYY-MM`` (e.g. ``2022-10``), as police.uk names its
# monthly files: the label sorts in time order and reads the same in the source and here.

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_label(year: int, month: int) -> str:
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month must be 1 to 12, not {month!r}")
    return f"{int(year):04d}-{int(month):02d}"


def parse_month(label: str) -> tuple[int, int]:
    """``'2022-10'`` -> (2022, 10). ValueError for anything else."""
    m = _MONTH.match(str(label).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"period {label!r} is not a month like '2022-10'")
    return int(m.group(1)), int(m.group(2))


def month_dates(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def months(first: tuple[int, int], last: tuple[int, int]) -> list[dict]:
    """Monthly period records from ``first`` to ``last`` inclusive, each (year, month).

    Every calendar month in the range is a period, including months a source does not
    cover: a month with no figures is a gap in the series, never a zero."""
    out = []
    y, m = first
    while (y, m) <= tuple(last):
        start, end = month_dates(y, m)
        fy, _q = quarter_of(start)
        out.append(
            {
                "label": month_label(y, m),
                "start_date": start,
                "end_date": end,
                "frequency": "monthly",
                "financial_year": financial_year(fy),
            }
        )
        y, m = (y, m + 1) if m < 12 else (y + 1, 1)
    return out


def months_of_quarter(fy_start_year: int, quarter: int) -> list[str]:
    """The three month labels of a financial-year quarter: (2020, 1) -> 2020-04..2020-06."""
    start, _end = quarter_dates(fy_start_year, quarter)
    return [
        month_label(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1)
        for i in range(3)
    ]


def quarter_sum(monthly: dict, fy_start_year: int, quarter: int) -> float | None:
    """A quarter's total from monthly counts, or None when any of its months is missing.

    ``monthly`` maps month labels (``YYYY-MM``) to counts. A month that is absent, None or
    NaN makes the quarter incomplete: it is not summed from the months that remain, and a
    missing month is never taken as zero.
    """
    total = 0.0
    for label in months_of_quarter(fy_start_year, quarter):
        v = monthly.get(label)
        if v is None or v != v:  # absent, None or NaN
            return None
        total += float(v)
    return total
