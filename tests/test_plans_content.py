"""Plan content: parsing what people type, and the checks before saving and submitting."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from csa.plans import content as pc

PERIODS = ["2026-27 Q3", "2026-27 Q4", "2027-28 Q1"]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2026-12-31", "2026-12-31"),
        (date(2026, 12, 31), "2026-12-31"),
        (pd.Timestamp("2026-12-31"), "2026-12-31"),
        ("2026-12-31T00:00:00", "2026-12-31"),
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_parse_date(value, expected):
    assert pc.parse_date(value, "Due date") == expected


@pytest.mark.parametrize("value", ["31/12/2026", "2026-13-01", "next week"])
def test_parse_date_refuses_with_the_format(value):
    with pytest.raises(
        ValueError, match=f"Due date '{value}' is not a date; write it as YYYY-MM-DD"
    ):
        pc.parse_date(value, "Due date")


def test_parse_actions_drops_blank_rows_and_fills_the_status():
    table = pd.DataFrame(
        [
            {
                "description": " Patrols ",
                "owner_org": "LANCS-POLICE",
                "owner": "Insp. Shaw",
                "due_date": date(2026, 12, 31),
                "status": None,
            },
            {
                "description": None,
                "owner_org": None,
                "owner": None,
                "due_date": None,
                "status": None,
            },
        ]
    )
    assert pc.parse_actions(table) == [
        {
            "description": "Patrols",
            "owner_org": "LANCS-POLICE",
            "owner": "Insp. Shaw",
            "due_date": "2026-12-31",
            "status": "not started",
        }
    ]


def test_parse_actions_lists_every_bad_cell():
    rows = [
        {"description": "A", "due_date": "31/12/2026", "status": "in progress"},
        {"description": "B", "due_date": "2026-10-01", "status": "finished"},
    ]
    with pytest.raises(pc.PlanContentError) as info:
        pc.parse_actions(rows)
    assert info.value.problems == [
        "Action 1: due date '31/12/2026' is not a date; write it as YYYY-MM-DD, e.g. 2026-12-31",
        "Action 2: status 'finished' is not one of not started, in progress, complete, dropped.",
    ]


def test_parse_trajectory():
    table = pd.DataFrame(
        {
            "period_label": ["2026-27 Q3", "2026-27 Q4", None, "2027-28 Q1"],
            "value": [3.1, "2,9", None, None],
        }
    )
    with pytest.raises(pc.PlanContentError, match="Trajectory 2026-27 Q4: '2,9' is not a number"):
        pc.parse_trajectory(table)
    table.loc[1, "value"] = "1,234.5"
    assert pc.parse_trajectory(table) == {"2026-27 Q3": 3.1, "2026-27 Q4": 1234.5}
    assert pc.parse_trajectory({"2026-27 Q3": 3}) == {"2026-27 Q3": 3.0}


@pytest.mark.parametrize(
    "rows,message",
    [
        (
            [
                {"period_label": "2026-27 Q3", "value": 1},
                {"period_label": "2026-27 Q3", "value": 2},
            ],
            "Trajectory 2026-27 Q3: the period is given twice.",
        ),
        ([{"period_label": None, "value": 1}], "Trajectory row 1: the period is missing."),
    ],
)
def test_parse_trajectory_problems(rows, message):
    with pytest.raises(pc.PlanContentError) as info:
        pc.parse_trajectory(rows)
    assert info.value.problems == [message]


def test_lines_strip_bullets_and_blanks():
    assert pc.lines("- one\n\n• two \n  * three") == ["one", "two", "three"]
    assert pc.lines(["a", " ", "b"]) == ["a", "b"]


def evidence(unit="rate", polarity="low_is_good", target=2.5):
    return {"unit": unit, "polarity": polarity, "figures": {"target": target}}


@pytest.mark.parametrize(
    "unit,polarity,target,trajectory,message",
    [
        (
            "rate",
            "low_is_good",
            2.5,
            {"2026-27 Q3": -1.0},
            "Trajectory 2026-27 Q3: -1 is negative; figures cannot be.",
        ),
        (
            "percentage",
            "high_is_good",
            33.0,
            {"2026-27 Q3": 120.0},
            "Trajectory 2026-27 Q3: 120% is more than 100%.",
        ),
        (
            "rate",
            "low_is_good",
            2.5,
            {"2025-26 Q3": 2.0},
            "Trajectory 2025-26 Q3: not a period after the plan was raised (from 2026-27 Q3).",
        ),
    ],
)
def test_trajectory_checks_when_saving(unit, polarity, target, trajectory, message):
    body = pc.new_content(evidence(unit, polarity, target)) | {"trajectory": trajectory}
    assert pc.problems(body, periods=PERIODS) == [message]


@pytest.mark.parametrize(
    "polarity,target,trajectory,ok",
    [
        ("low_is_good", 2.5, {"2026-27 Q3": 2.9, "2027-28 Q1": 2.5}, True),
        ("low_is_good", 2.5, {"2026-27 Q3": 2.9, "2027-28 Q1": 2.6}, False),
        ("high_is_good", 33.0, {"2026-27 Q3": 30.0, "2026-27 Q4": 33.5}, True),
        ("high_is_good", 33.0, {"2026-27 Q4": 32.0, "2026-27 Q3": 34.0}, False),  # order by period
        ("no_judgement", None, {"2026-27 Q3": 9.0}, True),
    ],
)
def test_submitted_trajectory_must_reach_the_target(polarity, target, trajectory, ok):
    body = pc.new_content(evidence("rate", polarity, target)) | {
        "root_causes": ["x"],
        "review_date": "2027-01-31",
        "trajectory": trajectory,
        "actions": [
            {
                "description": "d",
                "owner_org": "LVRN",
                "owner": "o",
                "due_date": "2026-12-31",
                "status": "not started",
            }
        ],
    }
    found = pc.problems(body, periods=PERIODS, for_submit=True)
    assert (found == []) is ok, found


def test_a_draft_may_be_incomplete():
    assert pc.problems(pc.new_content(evidence()), periods=PERIODS) == []


def test_progress_only_problems_allows_status_and_new_actions():
    old = {
        "root_causes": ["a"],
        "trajectory": {"2026-27 Q3": 2.0},
        "actions": [
            {
                "description": "d",
                "owner_org": "LVRN",
                "owner": "o",
                "due_date": "2026-12-31",
                "status": "not started",
            }
        ],
    }
    new = old | {
        "actions": [
            dict(old["actions"][0], status="complete"),
            {"description": "e", "status": "not started"},
        ],
        "progress_note": "done",
    }
    assert pc.progress_only_problems(old, new) == []
    assert pc.progress_only_problems(old, old | {"actions": []}) == [
        "Approved actions cannot be removed; set their status to 'dropped'."
    ]


@pytest.mark.parametrize(
    "latest,target,polarity,steps,expected",
    [
        (3.0, 2.5, "low_is_good", 4, [2.875, 2.75, 2.625, 2.5]),
        (30.0, 33.0, "high_is_good", 2, [31.5, 33.0]),
        (2.4, 2.5, "low_is_good", 4, []),  # already meets the target
        (3.0, None, "low_is_good", 4, []),
        (3.0, 2.5, "no_judgement", 4, []),
    ],
)
def test_suggest_trajectory(latest, target, polarity, steps, expected):
    got = pc.suggest_trajectory(latest, target, PERIODS + ["2027-28 Q2"], polarity, steps)
    assert list(got.values()) == pytest.approx(expected)
    assert list(got) == (PERIODS + ["2027-28 Q2"])[: len(expected)]
