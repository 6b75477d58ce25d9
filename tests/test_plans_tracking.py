"""Tracking: missed trajectories, overdue actions and reviews, the register and the flags."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from csa import config as csa_config
from csa import publish
from csa.access import Actor
from csa.assess import Inputs
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


def published_rows(rows):
    """Published signed-in figures for the register (the columns it reads)."""
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
    df = pd.DataFrame(rows, columns=cols)
    df["status_text"] = df["label"]
    df["value_text"] = [f"{v:.2f}" for v in df["value"]]
    df["target_text"] = [f"{t:.2f}" for t in df["target"]]
    return df


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


Q2 = "2026-27 Q2"
PUBLISHED = published_rows(
    [
        ("VIO-01", "E07000117", Q2, True, "red", "Off track", 4.48, 3.28),
        ("VIO-01", "PA-EAST", Q2, True, "red", "Off track", 3.57, 2.65),
        ("VIO-01", "E23000003", Q2, False, "amber", "At risk", 3.01, 2.90),
        ("SOC-01", "PA-WEST", Q2, True, "red", "Off track", 17.0, 19.0),
        ("ASB-01", "E07000117", Q2, False, "green", "On track", 5.0, 6.0),
        ("DA-02", "E07000118", Q2, True, "red", "Off track", 9.0, 12.0),
        ("DA-02", "E07000123", Q2, True, "red", "Off track", 8.0, 12.0),
        ("DA-02", "PA-SOUTH", Q2, True, "red", "Off track", 9.5, 12.0),
        ("DA-02", "E23000003", Q2, True, "red", "Off track", 10.5, 12.0),
        ("DA-02", "E07000117", "2026-27 Q1", True, "red", "Off track", 9.0, 12.0),  # other period
    ]
)
PLANS = pd.DataFrame(
    [
        plan_row(1, "VIO-01", "E07000117", "monitoring", "2026-27 Q1", date(2026, 10, 1)),
        plan_row(2, "ASB-01", "E07000117", "approved", "2026-27 Q1", date(2027, 1, 1)),
        plan_row(3, "VIO-01", "PA-EAST", "closed", "2025-26 Q1", None),
        plan_row(4, "DA-02", "E07000118", "submitted", "2026-27 Q1", date(2027, 2, 1)),
        plan_row(5, "DA-02", "E23000003", "draft", Q2, pd.NaT),
    ]
)
CONTENTS = {
    1: {"actions": ACTIONS["actions"], "trajectory": {"2026-27 Q1": 4.0, "2026-27 Q2": 4.2}},
    2: {"actions": [], "trajectory": {"2026-27 Q2": 5.5}},
    3: {"actions": ACTIONS["actions"]},
    4: {"actions": []},
    5: {"actions": [], "target_areas": ["E07000118", "PA-SOUTH"]},
}
FIGURES = {
    ("VIO-01", "E07000117"): {"2026-27 Q1": 4.1, "2026-27 Q2": 4.48},
    ("ASB-01", "E07000117"): {"2026-27 Q2": 5.0},
}


def test_register_one_row_per_indicator(db):
    """One row per indicator critical anywhere (naming its critical areas, county first),
    with its plan of any area; an open plan no longer critical; a closed plan from an
    earlier period not shown; a county plan preferred to an older district one; restricted
    indicators hidden from those who may not see them."""
    indicators, areas = db.indicators(), db.areas()
    reg = tracking.register(PUBLISHED, PLANS, CONTENTS, FIGURES, indicators, areas, Q2, today=TODAY)
    assert list(reg.columns) == tracking.REGISTER_COLUMNS
    assert sorted(reg["indicator_code"]) == ["ASB-01", "DA-02", "SOC-01", "VIO-01"]
    rows = {r["indicator_code"]: r for r in reg.to_dict("records")}
    assert set(reg["area_code"]) == {"E23000003"}  # the register works at the county level

    vio = rows["VIO-01"]  # critical in Burnley and the East; the old Burnley plan is its plan
    assert vio["critical_areas"] == ["East policing area", "Burnley"]
    assert vio["critical"] is True
    assert (vio["rag"], vio["value_text"], vio["target_text"]) == ("amber", "3.01", "2.90")
    assert (vio["plan_id"], vio["plan_state"], vio["plan_area_name"]) == (
        1,
        "monitoring",
        "Burnley",
    )
    assert (vio["overdue_actions"], vio["missed_trajectory"]) == (2, 2)
    assert vio["review_text"] == "Review date 2026-10-01"
    assert vio["flags"] == [
        "◷ Review overdue (due 2026-10-01)",
        "◷ 2 actions overdue",
        "✖ Missed trajectory in 2026-27 Q1, 2026-27 Q2",
    ]
    da = rows["DA-02"]  # four critical areas, one plan: the county's, the Chorley one listed
    assert da["critical_areas"] == [
        "Pan-Lancashire (14 areas)",
        "South policing area",
        "Chorley",
        "Preston",
    ]
    assert (da["plan_id"], da["plan_state"], da["plan_area_code"]) == (5, "draft", "E23000003")
    assert da["target_areas"] == ["Chorley", "South policing area"]
    assert da["other_open_plans"] == ["plan 4 (Chorley, submitted for approval)"]
    assert (da["review_date"], da["review_text"]) == (None, "no review date set")
    soc = rows["SOC-01"]
    assert (soc["plan_id"], soc["plan_state"]) == (None, "none yet")
    assert soc["flags"] == ["⚠ Critical: no recovery plan yet"]
    assert soc["status_text"] == "No figure for the county"  # no county figure published
    asb = rows["ASB-01"]  # recovered, but its plan is still open
    assert (asb["critical"], asb["critical_areas"], asb["plan_state"], asb["flags"]) == (
        False,
        [],
        "approved",
        [],
    )
    assert list(reg["indicator_code"])[0] == "VIO-01"  # what needs attention first
    shown = [x for x in reg.to_numpy().ravel() if not isinstance(x, (list, bool))]
    assert not [x for x in shown if x is not None and pd.isna(x)]  # no NaN or NaT to print
    assert not [x for x in shown if isinstance(x, str) and ("nan" in x or "NaT" in x)]

    def codes(actor):
        return set(
            tracking.register(
                PUBLISHED, PLANS, CONTENTS, FIGURES, indicators, areas, Q2, today=TODAY,
                actor=actor,
            )["indicator_code"]
        )  # fmt: skip

    assert "SOC-01" not in codes(Actor("anonymous"))
    assert "SOC-01" not in codes(LEAD)  # led by the police
    assert "SOC-01" in codes(BOARD)


def test_a_plan_closed_this_period_is_shown_closed_and_earlier_ones_drop_out(db):
    plans = pd.DataFrame(
        [
            plan_row(7, "SOC-01", "E23000003", "closed", Q2, None),
            plan_row(8, "ASB-01", "E07000117", "closed", "2026-27 Q1", None),
        ]
    )
    reg = tracking.register(PUBLISHED, plans, {}, {}, db.indicators(), db.areas(), Q2, TODAY)
    rows = {r["indicator_code"]: r for r in reg.to_dict("records")}
    assert (rows["SOC-01"]["plan_id"], rows["SOC-01"]["plan_state"]) == (7, "closed")
    assert "ASB-01" not in rows  # not critical, its plan closed before
    assert (rows["VIO-01"]["plan_state"], rows["VIO-01"]["review_text"]) == ("none yet", "")


@pytest.mark.parametrize(
    "value,text",
    [
        (date(2027, 1, 31), "Review date 2027-01-31"),
        ("2027-01-31", "Review date 2027-01-31"),
        (None, "no review date set"),
        (float("nan"), "no review date set"),
        (pd.NaT, "no review date set"),
    ],
)
def test_review_text_never_says_nan(value, text):
    assert tracking.review_text(value) == text


def test_published_series_leaves_out_hidden_figures():
    frame = pd.DataFrame(
        {
            "indicator_code": ["VIO-01", "VIO-01", "VIO-01"],
            "area_code": ["E23000003"] * 3,
            "period_label": ["2026-27 Q1", "2026-27 Q2", "2026-27 Q3"],
            "value": [3.0, None, 2.5],
        }
    )
    assert tracking.published_series(frame) == {
        ("VIO-01", "E23000003"): {"2026-27 Q1": 3.0, "2026-27 Q3": 2.5}
    }


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
    key = publish.ensure(db, settings)
    published = publish.read(db, key, "signed_in", indicators=["VIO-01"], periods=["2026-27 Q2"])
    flags = tracking.flags_for_period(db, "2026-27 Q2", TODAY, verdicts=published)
    assert list(flags.columns) == tracking.FLAG_COLUMNS
    assert list(flags["indicator_code"]) == ["VIO-01"]  # one row for the indicator
    row = flags.iloc[0]
    assert (row["plan_id"], row["plan_state"]) == (plan_id, "approved")
    assert (row["area_code"], row["plan_area_code"]) == ("E23000003", "E07000117")
    critical_here = published.loc[published["critical"], "area_code"]
    assert (
        set(row["critical_area_codes"]) == set(critical_here)
        and "E07000117" in critical_here.values
    )
    assert bool(row["critical"]) is True
    assert row["overdue_actions"] == 1  # due 30 September, still in progress on 20 November
    assert row["missed_trajectory"] == 1  # 2026-27 Q2 figure above the expected 3.0
    assert row["flags"] == ["◷ 1 action overdue", "✖ Missed trajectory in 2026-27 Q2"]
    # read from the database as the pages do: the same row
    whole = tracking.register_for_period(db, "2026-27 Q2", today=TODAY)
    assert int(whole.loc[whole["indicator_code"] == "VIO-01", "plan_id"].item()) == plan_id
    assert whole["indicator_code"].is_unique
    assert set(whole["indicator_code"]) == set(
        publish.read(db, key, "signed_in", periods=["2026-27 Q2"]).query("critical")[
            "indicator_code"
        ]
    )
