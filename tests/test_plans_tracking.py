"""Tracking: missed trajectories, overdue actions and reviews, the register and the flags."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from csa import config as csa_config
from csa.access import Actor
from csa.assess import Inputs, assess, to_frame
from csa.plans import tracking, workflow
from csa.plans.evidence import evidence_for

TODAY = date(2026, 11, 20)
LEAD = Actor("officer@lvrn.org.uk", "officer", "LVRN")
BOARD = Actor("board@lancashire.gov.uk", "board")


@pytest.mark.parametrize(
    "polarity,trajectory,figures,missed",
    [
        (
            "low_is_good",
            {"Q1": 3.0, "Q2": 2.8, "Q3": 2.6},
            {"Q1": 3.1, "Q2": 2.8, "Q3": 2.5},
            [("Q1", 3.0, 3.1)],
        ),  # equal to the trajectory is on it
        ("high_is_good", {"Q1": 30.0, "Q2": 32.0}, {"Q1": 29.0, "Q2": 33.0}, [("Q1", 30.0, 29.0)]),
        ("low_is_good", {"Q1": 3.0, "Q2": 2.8}, {"Q1": float("nan")}, []),  # no figure yet
        ("no_judgement", {"Q1": 3.0}, {"Q1": 9.0}, []),
        ("low_is_good", None, {"Q1": 9.0}, []),
    ],
)
def test_missed_trajectory(polarity, trajectory, figures, missed):
    got = tracking.missed_trajectory(trajectory, figures, polarity)
    assert [(m["period_label"], m["expected"], m["actual"]) for m in got] == missed


ACTIONS = {
    "actions": [
        {"description": "a", "due_date": "2026-11-19", "status": "in progress"},  # 1 day late
        {"description": "b", "due_date": "2026-11-20", "status": "not started"},  # due today
        {"description": "c", "due_date": "2026-01-01", "status": "complete"},
        {"description": "d", "due_date": "2026-01-01", "status": "dropped"},
        {"description": "e", "due_date": None, "status": "not started"},
        {"description": "f", "due_date": "2025-11-20", "status": "not started"},  # 365 days
    ]
}


def test_overdue_actions_use_the_injected_today():
    got = tracking.overdue_actions(ACTIONS, TODAY)
    assert [(a["number"], a["description"], a["days_overdue"]) for a in got] == [
        (1, "a", 1),
        (6, "f", 365),
    ]
    assert tracking.overdue_actions(ACTIONS, date(2025, 1, 1)) == []


@pytest.mark.parametrize(
    "state,review,overdue",
    [
        ("approved", "2026-11-19", True),
        ("monitoring", date(2026, 11, 19), True),
        ("approved", "2026-11-20", False),
        ("closed", "2020-01-01", False),
        ("draft", None, False),
    ],
)
def test_plan_overdue(state, review, overdue):
    assert tracking.plan_overdue(state, review, TODAY) is overdue


def verdict_rows(rows):
    cols = [
        "indicator_code",
        "area_code",
        "period_label",
        "critical",
        "rag",
        "label",
        "value",
        "target",
    ]
    return pd.DataFrame(rows, columns=cols)


def test_register_pure(db):
    """Critical rows with and without plans, an open plan no longer critical, a closed plan
    from an earlier period (not shown), and restricted indicators hidden from the public."""
    indicators, areas = db.indicators(), db.areas()
    verdicts = verdict_rows(
        [
            ("VIO-01", "E07000117", "2026-27 Q2", True, "red", "Off track", 4.48, 3.28),
            ("VIO-01", "PA-EAST", "2026-27 Q2", True, "red", "Off track", 3.57, 2.65),
            ("SOC-01", "PA-WEST", "2026-27 Q2", True, "red", "Off track", 17.0, 19.0),
            ("ASB-01", "E07000117", "2026-27 Q2", False, "green", "On track", 5.0, 6.0),
        ]
    )
    plans = pd.DataFrame(
        [
            {
                "id": 1,
                "indicator_code": "VIO-01",
                "area_code": "E07000117",
                "state": "monitoring",
                "period_label": "2026-27 Q1",
                "review_date": date(2026, 10, 1),
            },
            {
                "id": 2,
                "indicator_code": "ASB-01",
                "area_code": "E07000117",
                "state": "approved",
                "period_label": "2026-27 Q1",
                "review_date": date(2027, 1, 1),
            },
            {
                "id": 3,
                "indicator_code": "VIO-01",
                "area_code": "PA-EAST",
                "state": "closed",
                "period_label": "2025-26 Q1",
                "review_date": None,
            },
        ]
    )
    contents = {
        1: {"actions": ACTIONS["actions"], "trajectory": {"2026-27 Q1": 4.0, "2026-27 Q2": 4.2}},
        2: {"actions": [], "trajectory": {"2026-27 Q2": 5.5}},
        3: {"actions": ACTIONS["actions"]},
    }
    figures = {
        ("VIO-01", "E07000117"): {"2026-27 Q1": 4.1, "2026-27 Q2": 4.48},
        ("ASB-01", "E07000117"): {"2026-27 Q2": 5.0},
    }
    reg = tracking.register(
        verdicts, plans, contents, figures, indicators, areas, "2026-27 Q2", today=TODAY
    )
    rows = {(r["indicator_code"], r["area_code"]): r for r in reg.to_dict("records")}
    assert set(rows) == {
        ("VIO-01", "E07000117"),
        ("VIO-01", "PA-EAST"),
        ("SOC-01", "PA-WEST"),
        ("ASB-01", "E07000117"),
    }
    burnley = rows[("VIO-01", "E07000117")]
    assert (burnley["plan_id"], burnley["plan_state"]) == (1, "monitoring")
    assert burnley["overdue_actions"] == 2
    assert burnley["missed_trajectory"] == 2
    assert burnley["missed_periods"] == "2026-27 Q1, 2026-27 Q2"
    assert burnley["plan_overdue"] is True
    assert burnley["flags"] == [
        "◷ Review overdue (due 2026-10-01)",
        "◷ 2 actions overdue",
        "✖ Missed trajectory in 2026-27 Q1, 2026-27 Q2",
    ]
    east = rows[("VIO-01", "PA-EAST")]  # its only plan closed in an earlier period
    assert (east["plan_state"], east["flags"]) == ("none yet", ["⚠ Critical: no recovery plan yet"])
    asb = rows[("ASB-01", "E07000117")]  # recovered, but the plan is still open
    assert (asb["critical"], asb["plan_state"], asb["flags"]) == (False, "approved", [])
    # the register puts what needs attention first
    assert list(reg["indicator_code"])[0] == "VIO-01"

    public = tracking.register(
        verdicts,
        plans,
        contents,
        figures,
        indicators,
        areas,
        "2026-27 Q2",
        today=TODAY,
        actor=Actor("anonymous"),
    )
    assert "SOC-01" not in set(public["indicator_code"])
    officer = tracking.register(
        verdicts, plans, contents, figures, indicators, areas, "2026-27 Q2", today=TODAY, actor=LEAD
    )
    assert "SOC-01" not in set(officer["indicator_code"])  # led by the police
    assert "SOC-01" in set(
        tracking.register(
            verdicts,
            plans,
            contents,
            figures,
            indicators,
            areas,
            "2026-27 Q2",
            today=TODAY,
            actor=BOARD,
        )["indicator_code"]
    )


def test_flags_for_period_on_the_bundled_data(db):
    """A real plan for Burnley's violence whose trajectory the latest figure misses."""
    inputs = Inputs.from_db(db)
    settings = csa_config.load()
    ev = evidence_for(db, settings, "VIO-01", "E07000117", "2026-27 Q1", inputs=inputs)
    plan_id = workflow.create_plan(
        db,
        LEAD,
        indicator_code="VIO-01",
        area_code="E07000117",
        period_label="2026-27 Q1",
        evidence=ev,
    )
    workflow.submit_plan(
        db,
        LEAD,
        plan_id,
        {
            "root_causes": ["Night-time economy"],
            "risks": [],
            "resources": "",
            "actions": [
                {
                    "description": "Patrols",
                    "owner_org": "LANCS-POLICE",
                    "owner": "CI",
                    "due_date": "2026-09-30",
                    "status": "in progress",
                }
            ],
            "trajectory": {"2026-27 Q2": 3.0, "2026-27 Q3": ev["figures"]["target"]},
            "review_date": "2026-12-31",
        },
    )
    workflow.approve_plan(db, BOARD, plan_id)
    verdicts = to_frame(
        assess(inputs, settings, period_labels=["2026-27 Q2"], indicator_codes=["VIO-01"])
    )
    flags = tracking.flags_for_period(db, "2026-27 Q2", TODAY, verdicts=verdicts)
    assert list(flags.columns) == tracking.FLAG_COLUMNS
    row = flags[(flags["indicator_code"] == "VIO-01") & (flags["area_code"] == "E07000117")].iloc[0]
    assert (row["plan_id"], row["plan_state"]) == (plan_id, "approved")
    assert bool(row["critical"]) is True
    assert row["overdue_actions"] == 1  # due 30 September, still in progress on 20 November
    assert row["missed_trajectory"] == 1  # 2026-27 Q2 figure above the expected 3.0
    assert row["flags"] == ["◷ 1 action overdue", "✖ Missed trajectory in 2026-27 Q2"]
    others = flags[flags["plan_state"] == "none yet"]
    assert set(others["indicator_code"]) == {"VIO-01"}
    assert others["critical"].all()
