"""The overview's one-pass view of an area's published figures (ui.scorecard.scorecard_view):
each indicator's latest figure up to the period, its sparkline values and whether it is out
of date, checked against figures worked out by hand."""

from datetime import date

import pandas as pd

from ui.scorecard import scorecard_view

ENDS = {f"Q{i}": pd.Timestamp(2025, 3 * i, 28) for i in range(1, 5)} | {
    f"2025-{m:02d}": pd.Timestamp(2025, m, 28) for m in range(1, 13)
}


def figures():
    rows = [("QTR", f"Q{i}", pd.Timestamp(2025, 3 * i - 2, 1), float(i)) for i in range(1, 5)]
    rows += [("MON", f"2025-{m:02d}", pd.Timestamp(2025, m, 1), float(m)) for m in range(1, 13)]
    rows += [("OLD", "Q1", pd.Timestamp(2025, 1, 1), 7.0)]  # nothing newer
    return pd.DataFrame(rows, columns=["indicator_code", "period_label", "period_start", "value"])


FREQ = {"QTR": "quarterly", "MON": "monthly", "OLD": "quarterly"}


def test_latest_figure_and_sparkline_stop_at_the_period():
    view = scorecard_view(figures(), ENDS["Q2"], ENDS, FREQ, date(2025, 7, 1), 30)
    assert {c: f["period_label"] for c, f in view.figure.items()} == {
        "QTR": "Q2", "MON": "2025-06", "OLD": "Q1",
    }  # fmt: skip
    assert view.spark == {"QTR": [1.0, 2.0], "MON": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
                          "OLD": [7.0]}  # fmt: skip
    # QTR and MON have newer figures published: not stale; OLD's next quarter was due by
    # 28 June + 92 days + 30 days, not yet on 1 July
    assert view.stale == {"QTR": False, "MON": False, "OLD": False}


def test_sparkline_keeps_the_last_twelve_and_staleness_follows_today():
    view = scorecard_view(figures(), ENDS["Q4"], ENDS, FREQ, date(2026, 6, 1), 30)
    assert view.spark["MON"] == [float(m) for m in range(1, 13)]
    assert view.spark["QTR"] == [1.0, 2.0, 3.0, 4.0]
    assert view.stale == {"QTR": True, "MON": True, "OLD": True}
    assert len(view.latest) == 3


def test_no_figures():
    empty = figures().iloc[0:0]
    view = scorecard_view(empty, ENDS["Q4"], ENDS, FREQ, date(2026, 6, 1), 30)
    assert view.figure == {} and view.spark == {} and view.stale == {}
