"""Disclosure control over a table with totals both ways: areas add up to groupings, and
parts add up to a parent indicator (csa.disclosure.reasons_with_parts)."""

import pandas as pd
import pytest

from csa import disclosure

MEMBERS = pd.DataFrame({"group_code": ["G", "G"], "member_code": ["A", "B"]})
PARTS = {"P": ("X", "Y", "Z")}

# 2 areas (A, B) and their grouping G = A + B; 3 parts and their parent P = X + Y + Z.
#        X   Y   Z    P
#   A    1  10  30   41
#   B    2  40  20   62
#   G    3  50  50  103
NUMBERS = {
    "A": {"X": 1, "Y": 10, "Z": 30, "P": 41},
    "B": {"X": 2, "Y": 40, "Z": 20, "P": 62},
    "G": {"X": 3, "Y": 50, "Z": 50, "P": 103},
}
# Worked by hand (threshold 5):
# round 1, areas within G: X_A, X_B, X_G are fewer than 5 (primary); Y, Z, P have no small cell.
# round 1, parts within P: A shows Y 10, Z 30, P 41 -> X_A = 41 - 10 - 30: hide the smallest
#   that protects it, Y_A (10). B: Z_B (20). G: Y_G (50; tie with Z_G broken by code).
# round 2, areas within G: Z shows A 30 and G 50 -> Z_B = 50 - 30: hide Z_A (30, the smaller).
#   Y: only Y_B is shown, which reveals neither Y_A nor Y_G.
# round 2, parts within P: A now hides X, Y and Z: P 41 reveals none. Nothing changes: done.
# One round is not enough: after it, Z_B = Z_G - Z_A.
EXPECTED = {
    ("A", "X"): "primary",
    ("B", "X"): "primary",
    ("G", "X"): "primary",
    ("A", "Y"): "complementary",
    ("B", "Z"): "complementary",
    ("G", "Y"): "complementary",
    ("A", "Z"): "complementary",
}


def _frame(numbers=NUMBERS, period="2024-25"):
    return pd.DataFrame(
        [
            {"indicator_code": c, "area_code": a, "period_label": period, "numerator": n}
            for a, row in numbers.items()
            for c, n in row.items()
        ]
    )


def test_two_way_audit_runs_until_nothing_changes():
    frame = _frame()
    why = disclosure.reasons_with_parts(frame, MEMBERS, PARTS, 5)
    got = {
        (a, c): w
        for a, c, w in zip(frame["area_code"], frame["indicator_code"], why, strict=True)
        if w
    }
    assert got == EXPECTED


def test_one_round_would_leave_a_hidden_cell_recoverable():
    """Z_B is hidden by the parts audit only; the area audit of round 1 had no reason to
    protect it, so without round 2 it is Z_G - Z_A = 50 - 30 = 20."""
    frame = _frame()
    z = frame[frame["indicator_code"] == "Z"].reset_index(drop=True)
    after_one_round = z["area_code"] == "B"
    assert disclosure.recoverable_cells(z, MEMBERS, after_one_round) == [("B", "2024-25")]
    why = disclosure.reasons_with_parts(frame, MEMBERS, PARTS, 5)
    final = (why[frame["indicator_code"] == "Z"] != "").reset_index(drop=True)
    assert disclosure.recoverable_cells(z, MEMBERS, final) == []


def test_nothing_recoverable_either_way():
    frame = _frame()
    hidden = disclosure.reasons_with_parts(frame, MEMBERS, PARTS, 5) != ""
    part_members = pd.DataFrame({"group_code": ["P"] * 3, "member_code": ["X", "Y", "Z"]})
    for by, cell, members in (
        ("indicator_code", "area_code", MEMBERS),
        ("area_code", "indicator_code", part_members),
    ):
        for _key, idx in frame.groupby(by).groups.items():
            sub = pd.DataFrame(
                {
                    "area_code": frame.loc[idx, cell],
                    "period_label": frame.loc[idx, "period_label"],
                    "numerator": frame.loc[idx, "numerator"],
                }
            ).reset_index(drop=True)
            flags = hidden.loc[idx].reset_index(drop=True)
            assert disclosure.recoverable_cells(sub, members, flags) == [], (by, _key)


C, PR = "complementary", "primary"


@pytest.mark.parametrize(
    ("threshold", "exempt", "expected"),
    [
        (0, set(), {}),  # suppression off
        # threshold 2: only X_A (1) is small. Round 1: areas: X_A = X_G - X_B; the complement
        # is X_G (3: the smallest of at least 2 x 2 - 1 = 3; X_B, 2, would leave a hidden
        # total of 3). Parts: A: X_A = P_A - Y_A - Z_A, so Y_A (10); G: X_G = P_G - Y_G - Z_G,
        # so Y_G (50, tie with Z_G broken by code). Round 2: X holds X_A + X_B = X_G with
        # X_A, X_G hidden; Y holds Y_A + Y_B = Y_G with Y_A, Y_G hidden: nothing recoverable,
        # and no shown total leaves a small hidden remainder. Done.
        (
            2,
            set(),
            {
                ("A", "X"): PR,
                ("G", "X"): C,
                ("A", "Y"): C,
                ("G", "Y"): C,
            },
        ),  # fmt: skip
        # A exempt (not a place, like UNASSIGNED): X_A (1) is shown and X_B, X_G are primary.
        # Parts: A has nothing hidden; B hides Z_B (20); G hides Y_G (50). Round 2: areas:
        # Z_B = Z_G - Z_A, so Z_A (30); Y_G = Y_A + Y_B, so Y_A (10). Parts: A shows X and P
        # only (Y + Z = 40): done.
        (
            5,
            {"A"},
            {
                ("B", "X"): PR,
                ("G", "X"): PR,
                ("B", "Z"): C,
                ("G", "Y"): C,
                ("A", "Z"): C,
                ("A", "Y"): C,
            },
        ),  # fmt: skip
    ],
)
def test_threshold_and_exemptions(threshold, exempt, expected):
    frame = _frame()
    why = disclosure.reasons_with_parts(frame, MEMBERS, PARTS, threshold, exempt)
    got = {
        (a, c): w
        for a, c, w in zip(frame["area_code"], frame["indicator_code"], why, strict=True)
        if w
    }
    assert got == expected


def test_periods_are_audited_apart():
    """The same table in two periods, the second with no small count: nothing hidden there."""
    big = {a: {c: n + 10 for c, n in row.items()} for a, row in NUMBERS.items()}
    big = {a: {**row, "P": sum(v for k, v in row.items() if k != "P")} for a, row in big.items()}
    big["G"] = {c: big["A"][c] + big["B"][c] for c in big["A"]}  # G = A + B again
    frame = pd.concat([_frame(), _frame(big, "2025-26")], ignore_index=True)
    why = disclosure.reasons_with_parts(frame, MEMBERS, PARTS, 5)
    assert (why[frame["period_label"] == "2025-26"] == "").all()
    assert (why[frame["period_label"] == "2024-25"] != "").sum() == len(EXPECTED)
