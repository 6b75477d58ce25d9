"""Which periods accept returns (the open window) and when each return is due.

Rule: the open periods are the latest ``returns_open_periods`` quarters that have *ended*
on or before today. The quarter in progress is not open: its figures cannot be complete
until it ends. On 21 November 2026 with the default of 2, the open periods are 2026-27 Q2
(July-September 2026) and 2026-27 Q1. A return for a quarter is due ``return_due_days``
after the quarter ends; on a later day, not yet received, it is "overdue by N days" (on 29
November 2026 a return due by 30 October 2026 is overdue by 30 days).
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


def return_status(due: date, received: date | None, on: date) -> str:
    """Where a return stands on day ``on``, in words.

    ``"received 3 November 2026"`` (``", 4 days late"`` when after its due date), else
    ``"due by 30 October 2026"`` up to and on the due date, else ``"overdue by 30 days"``.

    >>> return_status(date(2026, 10, 30), None, date(2026, 11, 29))
    'overdue by 30 days'
    """
    if received is not None:
        late = (received - due).days
        return f"received {_day(received)}" + (f", {_days(late)} late" if late > 0 else "")
    if on > due:
        return f"overdue by {_days((on - due).days)}"
    return f"due by {_day(due)}"


def days_overdue(due: date, received: date | None, on: date) -> int:
    """Days past the due date of a return not yet received (0 when received or not due)."""
    return 0 if received is not None else max(0, (on - due).days)


def return_statuses(db, ref, org_codes, on: date | None = None) -> pd.DataFrame:
    """Each open period's return for each organisation in ``org_codes`` that has one to send.

    A return counts as received when any figure held now for one of the organisation's
    indicators in that period came from a committed return upload (rolled-back uploads no
    longer count); the date is the latest such upload's. Columns: organisation,
    organisation_name, period, due (date), received (date or None), days_overdue, status
    (words from :func:`return_status`). Most overdue first.
    """
    on = on or ref.today
    columns = [
        "organisation",
        "organisation_name",
        "period",
        "due",
        "received",
        "days_overdue",
        "status",
    ]
    names = db.organisations().set_index("code")["name"].to_dict()
    inds = ref.indicators
    uploads = db.uploads(kinds=["return"], limit=1_000_000)
    committed = set(uploads.loc[uploads["outcome"] == "committed", "id"].astype(int))
    rows = []
    for period in ref.open_periods:
        freq = ref.periods.at[period, "frequency"]
        due = due_date(pd.Timestamp(ref.periods.at[period, "end_date"]).date(), ref.due_days)
        led = inds[inds["frequency"] == freq]
        held = db.observations(indicator_codes=list(led["code"]), period_labels=[period])
        held = held[held["upload_id"].notna()]
        held = held[held["upload_id"].astype(int).isin(committed)]
        lead_of = led.set_index("code")["lead_org_code"]
        held = held.assign(org=held["indicator_code"].map(lead_of))
        for org in sorted(set(org_codes) & set(led["lead_org_code"])):
            mine = held[held["org"] == org]
            received = None if mine.empty else pd.Timestamp(mine["created_at"].max()).date()
            rows.append(
                {
                    "organisation": org,
                    "organisation_name": names.get(org, org),
                    "period": period,
                    "due": due,
                    "received": received,
                    "days_overdue": days_overdue(due, received, on),
                    "status": return_status(due, received, on),
                }
            )
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(
        ["days_overdue", "due", "organisation"], ascending=[False, True, True]
    ).reset_index(drop=True)


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"
