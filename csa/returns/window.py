"""Which periods accept returns (the open window) and when each return is due.

Rule: the open periods are the latest ``returns_open_periods`` quarters that have *ended*
on or before today. The quarter in progress is not open: its figures cannot be complete
until it ends. On 21 November 2026 with the default of 2, the open periods are 2026-27 Q2
(July-September 2026) and 2026-27 Q1. A return for a quarter is due ``return_due_days``
after the quarter ends.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd


def today() -> date:
    """Today's date (a function so that tests can fix it)."""
    return date.today()


def open_periods(periods: pd.DataFrame, count: int, on: date | None = None) -> list[str]:
    """Labels of the periods accepting returns, oldest first.

    Parameters
    ----------
    periods : DataFrame
        The periods table (label, start_date, end_date, frequency).
    count : int
        How many of the latest ended quarters are open (``returns_open_periods``).
    on : date, optional
        The day to judge on; today when omitted.
    """
    on = on or today()
    if count < 1 or periods.empty:
        return []
    quarters = periods[periods["frequency"] == "quarterly"].copy()
    quarters["end"] = pd.to_datetime(quarters["end_date"]).dt.date
    ended = quarters[quarters["end"] <= on].sort_values("end")
    return list(ended["label"].tail(count))


def due_date(period_end: date, due_days: int) -> date:
    """The day a return for a period ending ``period_end`` is due."""
    return period_end + timedelta(days=int(due_days))
