"""Small counts are hidden from the public, and no total can reveal a hidden one."""

import pandas as pd
import pytest

from csa.disclosure import primary, reasons, suppress

MEMBERS = pd.DataFrame(
    {"group_code": ["G"] * 3 + ["T"] * 2, "member_code": ["A", "B", "C", "G", "D"]}
)


def frame(rows):
    return pd.DataFrame(rows, columns=["area_code", "period_label", "numerator"])


@pytest.mark.parametrize(
    "values, threshold, expected",
    [
        ([0, 1, 4, 5, 12], 5, [False, True, True, False, False]),
        ([1, 2], 0, [False, False]),
        ([3, None], 4, [True, False]),
    ],
)
def test_primary(values, threshold, expected):
    assert list(primary(pd.Series(values, dtype=float), threshold)) == expected


def test_one_hidden_member_forces_the_smallest_other_to_be_hidden():
    # G = A + B + C = 3 + 9 + 20 = 32; with A hidden, A = 32 - 9 - 20, so B must go too.
    f = frame([("A", "P", 3), ("B", "P", 9), ("C", "P", 20), ("G", "P", 32)])
    flags = suppress(f, MEMBERS, 5)
    assert list(flags) == [True, True, False, False]


def test_two_hidden_members_are_already_safe():
    f = frame([("A", "P", 3), ("B", "P", 2), ("C", "P", 20), ("G", "P", 25)])
    assert list(suppress(f, MEMBERS, 5)) == [True, True, False, False]


def test_suppression_cascades_through_nested_groupings():
    # T = G + D. Hiding A forces B (smallest in G); G is still shown, D is alone in T: fine.
    # Then make G itself small so it is hidden: T = G + D reveals G unless D is hidden too.
    f = frame(
        [("A", "P", 1), ("B", "P", 2), ("C", "P", 1), ("G", "P", 4), ("D", "P", 30), ("T", "P", 34)]
    )
    flags = dict(zip(f["area_code"], suppress(f, MEMBERS, 5), strict=True))
    assert flags == {"A": True, "B": True, "C": True, "G": True, "D": True, "T": False}


def test_each_period_is_separate():
    f = frame(
        [
            ("A", "P1", 3),
            ("B", "P1", 9),
            ("C", "P1", 20),
            ("G", "P1", 32),
            ("A", "P2", 30),
            ("B", "P2", 9),
            ("C", "P2", 20),
            ("G", "P2", 59),
        ]
    )
    assert list(suppress(f, MEMBERS, 5)) == [True, True, False, False] + [False] * 4


def test_records_with_no_location_are_not_a_small_cell_of_their_own():
    """A force total made of districts plus records with no location (U): a small U is not
    a place to protect, so the total stays shown; a small district still hides."""
    members = pd.DataFrame({"group_code": ["P"] * 3, "member_code": ["A", "B", "U"]})
    f = frame([("A", "M", 120), ("B", "M", 300), ("U", "M", 3), ("P", "M", 423)])
    assert list(reasons(f, members, 5, exempt={"U"})) == ["", "", "", ""]
    # without the exemption the smallest district is hidden to protect U
    assert list(reasons(f, members, 5)) == ["complementary", "", "primary", ""]
    f = frame([("A", "M", 2), ("B", "M", 300), ("U", "M", 3), ("P", "M", 305)])
    # A is small; U = 3 beside it would leave a hidden total of 5 (and a "hidden to protect"
    # label on a 3), so B (300, the smallest cell of at least 2 x 5 - 1) is hidden with it
    # and the total stays shown
    assert list(reasons(f, members, 5, exempt={"U"})) == ["primary", "complementary", "", ""]
