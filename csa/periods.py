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
