"""The area profile's spine chart (ui/charts.py: spine_frame, spine_chart), hand-worked."""

from __future__ import annotations

import pandas as pd
import pytest

from ui import charts

BASE = ["A", "B", "C", "D"]
INDICATORS = pd.DataFrame(
    [
        {
            "code": "VIO-01",
            "title": "Violence with injury",
            "unit": "rate",
            "polarity": "low_is_good",
            "data_kind": "demo",
        },
        {
            "code": "VIO-02",
            "title": "Weapons offences",
            "unit": "count",
            "polarity": "low_is_good",
            "data_kind": "demo",
        },
        {
            "code": "DRG-01",
            "title": "Drug treatment completions",
            "unit": "percentage",
            "polarity": "high_is_good",
            "data_kind": "real",
        },
    ]
)


def verdicts(extra: dict | None = None) -> pd.DataFrame:
    rows = []
    table = {
        # code: (values for A..D, Lancashire benchmark, comparison of each area)
        "VIO-01": ([8, 10, 12, 14], 11.0, ["better", "similar", "similar", "worse"]),
        "VIO-02": ([2, 4, 6, 8], 20.0, ["not compared"] * 4),
        "DRG-01": ([50, 60, 70, 80], 60.0, ["worse", "similar", "better", "better"]),
    }
    for code, (values, bench, comparisons) in table.items():
        for area, value, comparison in zip(BASE, values, comparisons, strict=True):
            rows.append(
                {
                    "indicator_code": code,
                    "area_code": area,
                    "value": float(value),
                    "benchmark_value": bench,
                    "comparison": comparison,
                }
            )
    for (code, area), value in (extra or {}).items():
        rows.append(
            {
                "indicator_code": code,
                "area_code": area,
                "value": value,
                "benchmark_value": table[code][1],
                "comparison": "worse",
            }
        )
    return pd.DataFrame(rows)


def test_positions_are_centred_on_lancashire_and_scaled_to_the_spread():
    f = charts.spine_frame(verdicts(), INDICATORS, "B", BASE).set_index("indicator_code")
    vio = f.loc["VIO-01"]
    # distances from 11: -3, -1, 1, 3 -> scale 3; low is good, so lower values go right
    assert vio["pos_area"] == pytest.approx(1 / 3)  # -(10 - 11) / 3
    assert (vio["pos_min"], vio["pos_max"]) == pytest.approx((-1.0, 1.0))
    # quartiles of 8, 10, 12, 14 are 9.5 and 12.5 -> -(9.5-11)/3 = 0.5, -(12.5-11)/3 = -0.5
    assert (vio["pos_q1"], vio["pos_q3"]) == pytest.approx((-0.5, 0.5))
    assert vio["centre"] == 11.0 and vio["centre_is_lancashire"]
    assert vio["comparison_words"] == "Similar to Lancashire"
    assert vio["row_label"] == "VIO-01 · Violence with injury [DEMO]"


def test_counts_are_centred_on_the_average_area_not_the_county_total():
    f = charts.spine_frame(verdicts(), INDICATORS, "B", BASE).set_index("indicator_code")
    weapons = f.loc["VIO-02"]
    assert weapons["centre"] == 5.0 and not weapons["centre_is_lancashire"]  # mean of 2..8
    assert weapons["pos_area"] == pytest.approx(1 / 3)  # -(4 - 5) / 3
    assert weapons["comparison"] == "not compared"


def test_high_is_good_points_right_when_higher():
    f = charts.spine_frame(verdicts(), INDICATORS, "C", BASE).set_index("indicator_code")
    drugs = f.loc["DRG-01"]
    # distances from 60: -10, 0, 10, 20 -> scale 20
    assert drugs["pos_area"] == pytest.approx(0.5)
    assert (drugs["pos_min"], drugs["pos_max"]) == pytest.approx((-0.5, 1.0))
    assert drugs["comparison_words"] == "Better than Lancashire"
    assert drugs["row_label"] == "DRG-01 · Drug treatment completions"


def test_an_area_beyond_the_14_widens_the_scale():
    # a grouping G at 20 on VIO-01 is 9 from Lancashire: the scale becomes 9
    f = charts.spine_frame(verdicts({("VIO-01", "G"): 20.0}), INDICATORS, "G", BASE)
    vio = f.set_index("indicator_code").loc["VIO-01"]
    assert vio["pos_area"] == pytest.approx(-1.0)
    assert (vio["pos_min"], vio["pos_max"]) == pytest.approx((-1 / 3, 1 / 3))


def test_hidden_cells_leave_the_spread_and_the_marker():
    hidden = {("VIO-01", "D"), ("VIO-01", "B")}
    f = charts.spine_frame(verdicts(), INDICATORS, "B", BASE, hidden).set_index("indicator_code")
    vio = f.loc["VIO-01"]
    assert vio["hidden"] and pd.isna(vio["pos_area"]) and pd.isna(vio["area_value"])
    assert vio["n_shown"] == 2 and vio["row_label"].endswith("*")
    assert (vio["spread_min"], vio["spread_max"]) == (8.0, 12.0)
    assert vio["comparison"] == "not compared"
    assert f.loc["DRG-01", "n_shown"] == 4


def test_indicators_without_figures_are_left_out():
    f = charts.spine_frame(
        verdicts()[lambda d: d["indicator_code"] != "DRG-01"], INDICATORS, "B", BASE
    )
    assert list(f["indicator_code"]) == ["VIO-01", "VIO-02"]


def test_spine_chart_reads_without_colour():
    f = charts.spine_frame(verdicts(), INDICATORS, "B", BASE, {("VIO-01", "D")})
    spec = charts.spine_chart(f, "CSA priorities, 2025-26 Q1", "Burnley", n_areas=4).to_dict()
    assert spec["title"]["text"] == "CSA priorities, 2025-26 Q1"
    assert "not shown publicly" in " ".join(spec["title"]["subtitle"])  # wrapped to lines
    marks = spec["layer"][-1]
    shape = marks["encoding"]["shape"]["scale"]
    words = dict(zip(shape["domain"], shape["range"], strict=True))
    assert words["Better than Lancashire"] == "triangle-right"
    assert words["Worse than Lancashire"] == "triangle-left"
    assert words["Similar to Lancashire"] == "circle"
    assert marks["encoding"]["color"]["legend"]["title"] == "Burnley compared with Lancashire"
    assert len(spec["layer"]) == 6


def test_spine_chart_fits_a_phone():
    """At 320 px a column of indicator names beside the bars left the plot no width: each
    name is drawn above its bar across the plot (cut with "…" at the plot's width, the
    tooltip has it whole), the legend goes below in one column on a narrow chart, and the
    title and key are wrapped to lines that fit."""
    f = charts.spine_frame(verdicts(), INDICATORS, "B", BASE, {("VIO-01", "D")})
    title = "Police.uk crime and anti-social behaviour, 2026-09 · includes DEMO DATA"
    spec = charts.spine_chart(f, title, "Burnley", n_areas=4).to_dict()
    assert all(layer["encoding"]["y"].get("axis", "none") is None for layer in spec["layer"]
               if "y" in layer["encoding"])  # fmt: skip
    names = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert len(names) == 1
    assert names[0]["encoding"]["text"]["field"] == "row_label"
    assert names[0]["mark"]["limit"] == {"expr": "width"}
    # every layer draws the chart's one dataset: the names add no data
    assert "data" not in names[0] and len(spec["datasets"]) == 1
    tip = {t["title"]: t["field"] for t in names[0]["encoding"]["tooltip"]}
    assert tip["Indicator"] == "row_label"
    legend = spec["layer"][-1]["encoding"]["color"]["legend"]
    assert legend["orient"] == "bottom"
    assert legend["columns"] == {"expr": f"width < {charts.SPINE_NARROW} ? 1 : 3"}
    assert spec["title"]["text"] == [
        "Police.uk crime and anti-social",
        "behaviour, 2026-09 ·",
        "includes DEMO DATA",
    ]
    assert all(len(line) <= charts.SPINE_WRAP_KEY for line in spec["title"]["subtitle"])
    assert spec["width"] == "container"


@pytest.mark.parametrize(
    "area, hidden, expected",
    [
        (
            "A",
            set(),
            "Alpha on 3 indicators: 1 better than Lancashire, 1 worse than Lancashire, "
            "1 not compared (a count, or no figure). Worse than Lancashire: "
            "DRG-01 · Drug treatment completions.",
        ),
        (
            "B",
            {("VIO-01", "B")},
            "Alpha on 3 indicators: 1 similar to Lancashire, 1 not compared (a count, or no "
            "figure); 1 not shown (small numbers).",
        ),
    ],
)
def test_spine_summary_says_the_chart_in_words(area, hidden, expected):
    f = charts.spine_frame(verdicts(), INDICATORS, area, BASE, hidden)
    assert charts.spine_summary(f, "Alpha") == expected
