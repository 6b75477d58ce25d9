"""Which cells the public may not see (ui/suppression.py over csa.disclosure)."""

from __future__ import annotations

import pandas as pd
import pytest

from ui.suppression import hidden_cells

MEMBERS = pd.DataFrame({"group_code": ["G", "G", "G"], "member_code": ["A", "B", "C"]})


def frame(numerators: dict[str, float], code: str = "VIO-02") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_code": code,
            "area_code": list(numerators),
            "period_label": "2025-26 Q1",
            "numerator": list(numerators.values()),
        },
        index=[10 + i for i in range(len(numerators))],
    )  # not 0..n


@pytest.mark.parametrize(
    "role, threshold, expected",
    [
        # A (3) is below 5; G's total 33 is shown, so B, the smallest other member, goes too
        ("public", 5, {("VIO-02", "A", "2025-26 Q1"), ("VIO-02", "B", "2025-26 Q1")}),
        ("officer", 5, set()),
        ("board", 5, set()),
        ("public", 0, set()),
        # at threshold 3 nothing is below it
        ("public", 3, set()),
    ],
)
def test_hidden_cells(role, threshold, expected):
    cells = frame({"A": 3, "B": 10, "C": 20, "G": 33})
    assert hidden_cells(cells, MEMBERS, role, threshold) == expected


def test_each_indicator_is_suppressed_on_its_own():
    cells = pd.concat(
        [
            frame({"A": 3, "B": 10, "C": 20, "G": 33}, "VIO-02"),
            frame({"A": 30, "B": 10, "C": 20, "G": 60}, "EXP-01"),
        ]
    )
    assert {c for c, _a, _p in hidden_cells(cells, MEMBERS, "public", 5)} == {"VIO-02"}


def test_zero_is_shown():
    cells = frame({"A": 0, "B": 10, "C": 20, "G": 30})
    assert hidden_cells(cells, MEMBERS, "public", 5) == set()
