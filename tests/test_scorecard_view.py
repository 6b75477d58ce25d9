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


def test_the_figures_shown_read_in_full_apart_give_the_same_view():
    """The overview reads the area's values for the sparklines and every column only of
    the figures shown (_overview_view): the same view as every column of every figure."""
    full = figures().assign(value_text=lambda f: f["value"].map("{:.1f}".format))
    series = full[["indicator_code", "period_label", "period_start", "value"]]
    latest = {("QTR", "Q2"), ("MON", "2025-06"), ("OLD", "Q1")}
    keys = list(zip(full["indicator_code"], full["period_label"], strict=True))
    shown = full[[k in latest for k in keys]].iloc[::-1]  # read in any order
    whole = scorecard_view(full, ENDS["Q2"], ENDS, FREQ, date(2025, 7, 1), 30)
    apart = scorecard_view(series, ENDS["Q2"], ENDS, FREQ, date(2025, 7, 1), 30, shown=shown)
    assert apart.figure == whole.figure
    assert apart.spark == whole.spark and apart.stale == whole.stale
    pd.testing.assert_frame_equal(
        apart.latest.reset_index(drop=True),
        whole.latest[apart.latest.columns].reset_index(drop=True),
    )


def test_no_figures():
    empty = figures().iloc[0:0]
    view = scorecard_view(empty, ENDS["Q4"], ENDS, FREQ, date(2026, 6, 1), 30)
    assert view.figure == {} and view.spark == {} and view.stale == {}


def _row(**over):
    from ui.scorecard import indicator_row

    ind = {"code": "VIO-01", "title": 'Knife <crime> & "harm"', "frequency": "quarterly",
           "unit": "rate", "multiplier": 1000, "lead_organisation": "Police <b>",
           "data_kind": "real"}  # fmt: skip
    fig = {"period_label": "Q1", "area_code": "E07000117", "value_text": "3.6",
           "figure_status": "provisional", "target_text": "2.7", "status_text": "Off track",
           "rag": "red", "critical": True, "data_kind": "real",
           "reasons": ["Off track: 3.6 against a target of 2.7 *now*"],
           "variation_text": "No unusual change", "assurance_text": "",
           "comparison_text": "Worse than <Lancashire>"}  # fmt: skip
    kw = {"area_name": "Burnley", "selected": "Q2", "stale": True} | over
    return indicator_row(ind, fig, [1.0, None, 2.0, 3.0], **kw)


def test_a_row_is_one_block_of_five_cells_with_every_text_escaped():
    row = _row()
    assert row.html.startswith('<div class="csa-row"><div><strong>Knife &lt;crime&gt; &amp; ')
    assert row.html.count("<div>") == 5  # title, figure, target, sparkline, status
    assert "lead: Police &lt;b&gt;" in row.html and "<b>" not in row.html
    assert "<strong>3.6</strong>" in row.html
    assert "latest: Q1 (provisional)" in row.html  # Q1 shown while Q2 is selected
    assert "OUT OF DATE" in row.html and "DEMO DATA" not in row.html
    assert "Off track · CRITICAL" in row.html
    assert row.why_label == 'Why? Knife <crime> & "harm": Off track'
    # reasons are Markdown, escaped; the details are HTML, escaped
    assert row.why.startswith("- Off track: 3\\.6 against a target of 2\\.7 \\*now\\*\n")
    assert "Worse than &lt;Lancashire&gt;" in row.why
    assert "Out of date: the latest figure is for Q1" in row.why
    assert (row.code, row.area_code, row.period_label, row.critical) == (
        "VIO-01", "E07000117", "Q1", True,
    )  # fmt: skip


def test_a_row_says_its_plan_and_leaves_out_what_is_not_there():
    plan = {"state": "Approved", "owner": "Violence <Network>", "review_text": "review 2027"}
    row = _row(stale=False, selected="Q1", plan=plan)
    assert "Plan in place: Approved, Violence &lt;Network&gt;; review 2027" in row.html
    assert "OUT OF DATE" not in row.html and "Out of date" not in row.why
    assert "latest:" not in row.html  # the figure is the period selected


def test_summary_counts_each_indicator_once_and_critical_within_off_track():
    from ui.scorecard import summary_counts

    shown = pd.DataFrame(
        {
            "rag": ["red", "red", "amber", "green", "grey"],
            "critical": [True, False, False, False, False],
        }  # fmt: skip
    )
    assert summary_counts(shown) == {"off": 2, "critical": 1, "at_risk": 1, "on": 1}
