"""Plan in place: which indicators have a plan for a period, its owner, state, next review,
actions due and whether the trajectory was met."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from csa.plans import status

TODAY = date(2026, 11, 20)


def plan_row(pid, code, area, state, period, review):
    return {
        "id": pid,
        "indicator_code": code,
        "area_code": area,
        "state": state,
        "period_label": period,
        "review_date": review,
        "lead_org_code": "LVRN",
    }


PLANS = pd.DataFrame(
    [
        plan_row(1, "VIO-01", "E07000117", "approved", "2026-27 Q1", date(2027, 1, 31)),
        plan_row(2, "DA-02", "E23000003", "draft", "2026-27 Q2", None),
        plan_row(3, "ASB-02", "E23000003", "closed", "2026-27 Q1", None),
        plan_row(4, "ALC-01", "E23000003", "submitted", "2026-27 Q3", None),  # raised later
    ]
)
CONTENTS = {
    1: {
        "actions": [
            {"description": "a", "due_date": "2026-11-01", "status": "in progress"},  # overdue
            {"description": "b", "due_date": "2027-03-01", "status": "not started"},
            {"description": "c", "due_date": "2026-01-01", "status": "complete"},
        ],
        "trajectory": {"2026-27 Q2": 4.2, "2026-27 Q3": 4.0, "2026-27 Q4": 3.8},
    },
    2: {"actions": []},
}
FIGURES = {("VIO-01", "E07000117"): {"2026-27 Q2": 4.48, "2026-27 Q3": 3.9}}


@pytest.fixture
def periods(db):
    return db.periods()


def test_plan_status_for_a_period(db, periods):
    got = status.plan_status(
        PLANS,
        CONTENTS,
        FIGURES,
        db.indicators(),
        db.areas(),
        "2026-27 Q2",
        periods=periods,
        today=TODAY,
    )
    assert set(got) == {"VIO-01", "DA-02"}  # closed and later plans do not count
    vio = got["VIO-01"]
    assert (vio["plan_id"], vio["state"], vio["in_place"]) == (1, "approved", True)
    assert vio["owner"] == "Lancashire Violence Reduction Network"
    assert (vio["next_review"], vio["review_text"]) == ("2027-01-31", "Review date 2027-01-31")
    assert (vio["actions_open"], vio["actions_overdue"]) == (2, 1)
    assert vio["actions_due"] == "2 actions open, 1 overdue"
    # Q2 is the latest trajectory period up to Q2 with a figure: 4.48 above 4.2 (low is good)
    assert (vio["trajectory"], vio["missed_periods"]) == ("missed", ["2026-27 Q2"])
    assert status.words(vio) == (
        "Plan in place: Approved, Lancashire Violence Reduction Network; Review date "
        "2027-01-31; 2 actions open, 1 overdue; trajectory missed (2026-27 Q2)"
    )
    da = got["DA-02"]  # a draft: being drafted, not yet in place
    assert (da["in_place"], da["review_text"], da["trajectory"]) == (
        False,
        "no review date set",
        "none",
    )
    assert status.words(da).startswith("Plan being drafted: Draft, ")
    later = status.plan_status(
        PLANS, CONTENTS, FIGURES, db.indicators(), db.areas(), "2026-27 Q3", periods=periods,
        today=TODAY,
    )  # fmt: skip
    assert later["VIO-01"]["trajectory"] == "met"  # Q3: 3.9 against 4.0 expected
    assert later["VIO-01"]["missed_periods"] == ["2026-27 Q2"]
    assert later["ALC-01"]["in_place"] is True


@pytest.mark.parametrize(
    "trajectory,figures,polarity,period,expected",
    [
        ({"Q2": 4.2, "Q3": 4.0}, {"Q2": 4.2}, "low_is_good", "Q2", ("met", [])),  # equal: met
        ({"Q2": 4.2, "Q3": 4.0}, {"Q2": 4.3}, "low_is_good", "Q2", ("missed", ["Q2"])),
        ({"Q2": 30.0}, {"Q2": 29.0}, "high_is_good", "Q2", ("missed", ["Q2"])),
        ({"Q3": 4.0}, {"Q2": 9.0}, "low_is_good", "Q2", ("not yet", [])),  # not due yet
        ({"Q2": 4.0}, {}, "low_is_good", "Q2", ("not yet", [])),  # no figure yet
        (None, {"Q2": 9.0}, "low_is_good", "Q2", ("none", [])),
        ({"Q1": 5.0, "Q2": 4.0}, {"Q1": 6.0, "Q2": 3.5}, "low_is_good", "Q2", ("met", ["Q1"])),
    ],
)
def test_trajectory_check(trajectory, figures, polarity, period, expected):
    assert status.trajectory_check(trajectory, figures, polarity, period) == expected


def test_status_for_period_reads_the_database(db):
    from csa.access import Actor
    from csa.plans import workflow

    assert status.status_for_period(db, "2026-27 Q2", today=TODAY) == {}
    pid = workflow.create_plan(
        db,
        Actor("officer@lvrn.org.uk", "officer", "LVRN"),
        indicator_code="VIO-01",
        period_label="2026-27 Q2",
        evidence={"area_name": "Pan-Lancashire (14 areas)", "unit": "rate"},
    )
    got = status.status_for_period(db, "2026-27 Q2", today=TODAY)
    assert list(got) == ["VIO-01"]
    assert (got["VIO-01"]["plan_id"], got["VIO-01"]["area_code"]) == (pid, "E23000003")
