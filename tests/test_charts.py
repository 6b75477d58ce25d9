"""The chart builders of ui/charts.py (SPC chart, areas compared, sparkline) and their text
alternatives, on hand-made published frames: what reaches the chart's data, gaps, phases,
targets, heights and legends."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ui import charts

#: A published SPC frame (as publish.spc_chart gives it) in two phases: Q3 starts phase 1.
SPC = pd.DataFrame(
    {
        "period_label": ["Q1", "Q2", "Q3", "Q4", "Q5"],
        "value": [10.0, 12.0, 20.0, 22.0, 30.0],
        "mean": [11.0, 11.0, 21.0, 21.0, 21.0],
        "upl": [14.0, 14.0, 27.0, 27.0, 27.0],
        "lpl": [8.0, 8.0, 15.0, 15.0, 15.0],
        "u2": [13.0, 13.0, 25.0, 25.0, 25.0],
        "l2": [9.0, 9.0, 17.0, 17.0, 17.0],
        "point_class": ["common", "common", "common", "common", "concern"],
        "phase": [0, 0, 1, 1, 1],
    }
)
CALENDAR = ["Q0", "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"]


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def dataset_rows(spec: dict) -> list[dict]:
    return [row for rows in spec["datasets"].values() for row in rows]


@pytest.mark.parametrize(
    "variation, cls",
    [
        ("common_cause", "common"),
        ("special_cause_improvement_high", "improvement"),
        ("special_cause_improvement_low", "improvement"),
        ("special_cause_concern_low", "concern"),
        ("special_cause_neither_high", "neither"),
        (None, None),
        ("", None),
        (math.nan, None),
    ],
)
def test_variation_class(variation, cls):
    assert charts.variation_class(variation) == cls


def test_spc_chart_draws_the_published_classes_and_limits_per_phase():
    frame = charts.spc_chart_frame(SPC)
    assert list(frame["point_class"]) == ["Common cause"] * 4 + ["Special cause: concern"]
    assert list(frame["phase"]) == [0, 0, 1, 1, 1]
    assert list(frame["segment"]) == [0, 0, 0, 0, 0]
    spec = charts.spc_chart(SPC, "t", "count").to_dict()
    limit_lines = [
        layer
        for layer in layers(spec)
        if layer["encoding"].get("y", {}).get("field") in ("mean", "upl", "lpl")
    ]
    assert len(limit_lines) == 3
    # a line per phase: the limits step at Q3 instead of sloping from 14 to 27
    assert all(layer["encoding"]["detail"]["field"] == "phase" for layer in limit_lines)
    points = layers(spec)[-1]
    assert points["encoding"]["color"]["field"] == "point_class"
    assert points["encoding"]["color"]["legend"]["orient"] == "bottom"
    assert points["encoding"]["color"]["legend"]["labelLimit"] == 0  # legend words not cut
    assert spec["height"] >= charts.MIN_HEIGHT


def test_hidden_and_missing_periods_are_gaps_not_data():
    # Q2 is hidden (None), Q4 has no figure at all (no row): both stay on the axis, out of
    # the data, and the line breaks at each
    trend = pd.DataFrame({"period_label": ["Q1", "Q2", "Q3", "Q5"], "value": [4.0, None, 6.0, 7.0]})
    frame = charts.spc_chart_frame(trend, periods=CALENDAR)
    assert list(frame["period_label"]) == ["Q1", "Q3", "Q5"]
    assert list(frame["segment"]) == [0, 1, 2]
    assert frame.attrs["domain"] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    spec = charts.spc_chart(trend, "t", "count", periods=CALENDAR).to_dict()
    rows = dataset_rows(spec)
    assert {r["period_label"] for r in rows} == {"Q1", "Q3", "Q5"}
    assert all(r["value"] is not None for r in rows)
    assert layers(spec)[0]["encoding"]["x"]["scale"]["domain"] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    # without SPC classes the points carry no class legend
    assert "legend" not in str(layers(spec)[-1]["encoding"].get("color", {}))


def test_only_the_drawn_columns_reach_the_chart():
    published = SPC.assign(numerator=[1, 2, 3, 4, 5], denominator=[9, 9, 9, 9, 9], hidden="")
    spec = charts.spc_chart(published, "t", "count").to_dict()
    fields = {k for r in dataset_rows(spec) for k in r}
    assert fields <= set(charts.SPC_FRAME_COLUMNS)
    assert not {"numerator", "denominator", "hidden", "u2", "l2"} & fields


@pytest.mark.parametrize("target", [None, math.nan, float("inf"), "no target"])
def test_no_target_draws_no_target_line_and_says_nothing_of_one(target):
    spec = charts.spc_chart(SPC, "t", "count", target=target).to_dict()
    assert not any("target" in str(layer["encoding"]) for layer in layers(spec))
    assert "target" not in charts.spc_key(SPC, target=target).lower()
    assert "target" not in charts.spc_summary(SPC, "X", target=target).lower()


def test_a_target_is_a_rule_with_its_text():
    spec = charts.spc_chart(SPC, "t", "percentage", unit="percentage", target=25.0).to_dict()
    rule = next(layer for layer in layers(spec) if layer["mark"]["type"] == "rule")
    assert rule["encoding"]["y"]["field"] == "target"
    assert spec["datasets"][rule["data"]["name"]] == [{"target": 25.0, "target_text": "25.0%"}]
    assert "green dashed: target" in charts.spc_key(SPC, target=25.0)


def test_trajectory_extends_the_axis_beyond_the_last_figure():
    frame = charts.spc_chart_frame(SPC, trajectory={"Q5": 28.0, "Q6": 26.0}, periods=CALENDAR)
    assert frame.attrs["domain"] == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    assert frame.set_index("period_label")["trajectory"].dropna().to_dict() == {
        "Q5": 28.0,
        "Q6": 26.0,
    }
    assert math.isnan(frame.set_index("period_label").loc["Q6", "value"])


def test_spc_summary_in_words():
    assert charts.spc_summary(SPC, "Burglary in Burnley", target=25.0) == (
        "Burglary in Burnley: 5 figures from Q1 to Q5; the latest is 30 in Q5, special cause "
        "variation, a concern. Mean 21, process limits 15 to 27. Limits re-calculated from "
        "Q3. Target: 25."
    )
    trend = pd.DataFrame({"period_label": ["Q1", "Q2", "Q3"], "value": [4.0, None, 6.5]})
    trend.attrs["message"] = "SPC needs at least 13 points; this series has 2."
    assert charts.spc_summary(trend, "X", periods=CALENDAR) == (
        "X: 2 figures from Q1 to Q3 (1 period in between with no figure shown); the latest "
        "is 6.5 in Q3. SPC needs at least 13 points; this series has 2."
    )


def test_spc_summary_of_a_single_figure():
    one = pd.DataFrame({"period_label": ["YE Jun 2025"], "value": [104.0]})
    assert charts.spc_summary(one, "Crime in Burnley", unit="rate") == (
        "Crime in Burnley: one figure, 104.0 in YE Jun 2025. No SPC limits are shown."
    )


def test_earlier_special_cause_points_are_counted_in_the_summary():
    spc = SPC.assign(point_class=["improvement", "common", "concern", "concern", "common"])
    words = charts.spc_summary(spc, "X")
    assert "the latest is 30 in Q5, common cause variation" in words
    assert "3 earlier points show special cause (2 concern, 1 improvement)." in words


def test_legacy_spc_frame_never_carries_a_nan_target():
    class Result:
        values = (1.0, 2.0)
        enough_points = False
        mean = ()

    frame = charts.spc_frame(["Q1", "Q2"], Result(), target=math.nan)
    assert frame["target"].isna().all()
    assert charts.spc_key(frame).lower().count("target") == 0


# -- areas compared -----------------------------------------------------------------------------
AREAS = pd.DataFrame(
    {
        "name": ["Burnley", "Pendle", "Ribble Valley", "Rossendale"],
        "value": [38.0, 26.0, None, None],
        "lower": [26.9, 17.0, None, None],
        "upper": [52.2, 38.1, None, None],
        "numerator": [38, 26, None, None],
        "value_text": ["38", "26", "fewer than 5", "hidden to protect a small number"],
        "interval_text": ["26.9 to 52.2", "17.0 to 38.1", "–", "–"],
        "comparison_words": ["Worse than Lancashire", "Similar to Lancashire", "", ""],
        "data": ["Demo"] * 4,
    }
)


def test_comparison_chart_leaves_hidden_areas_out_of_its_data():
    spec = charts.comparison_chart(AREAS, 30.0, "t", "count", benchmark_text="30").to_dict()
    rows = dataset_rows(spec)
    names = {r.get("name") for r in rows} - {None}
    assert names == {"Burnley", "Pendle"}
    assert not any("numerator" in r for r in rows)
    assert spec["height"] >= charts.MIN_HEIGHT
    assert charts.comparison_summary(AREAS, "Weapons, Q1", "30") == (
        "Weapons, Q1: 2 areas shown; not shown: Ribble Valley, Rossendale. Highest: Burnley "
        "(38); lowest: Pendle (26). Compared with Lancashire (30): 1 worse than Lancashire, "
        "1 similar to Lancashire."
    )


def test_comparison_chart_draws_no_benchmark_when_there_is_none():
    spec = charts.comparison_chart(AREAS, math.nan, "t", "count").to_dict()
    assert not any("benchmark" in str(layer["encoding"]) for layer in spec["layer"])


# -- sparkline -----------------------------------------------------------------------------------
def test_sparkline_breaks_at_a_hidden_value_and_keeps_its_place():
    series = pd.DataFrame({"period_label": ["Q1", "Q2", "Q3", "Q4"], "value": [3, None, 5, 6]})
    spec = charts.sparkline(series).to_dict()
    rows = dataset_rows(spec)
    assert [r["period_label"] for r in rows] == ["Q1", "Q3", "Q4"]
    assert [r["segment"] for r in rows] == [0, 1, 1]
    assert spec["encoding"]["x"]["scale"]["domain"] == ["Q1", "Q2", "Q3", "Q4"]
    assert charts.sparkline_summary(series) == (
        "Trend of 3 figures, from 3 in Q1 to 6 in Q4; 1 period not shown."
    )


def test_the_areas_compared_chart_has_a_row_for_each_area_beside_its_title_axis_and_legend():
    """Streamlit fits title, axis and legend into the chart's height: 14 areas need their
    rows on top of that, or Vega drops most of their names (seen at 1920 px: 4 of 14)."""
    import pandas as pd

    frame = pd.DataFrame(
        {
            "name": [f"Area {i}" for i in range(14)],
            "value": [float(i) for i in range(14)],
            "lower": [i - 0.5 for i in range(14)],
            "upper": [i + 0.5 for i in range(14)],
            "comparison_words": ["Similar to Lancashire"] * 14,
            "value_text": [str(i) for i in range(14)],
            "interval_text": [""] * 14,
        }
    )
    spec = charts.comparison_chart(frame, 7.0, "t", "rate").to_dict()
    assert spec["height"] >= 14 * charts.AREA_ROW_HEIGHT + charts.COMPARISON_FRAME_HEIGHT
