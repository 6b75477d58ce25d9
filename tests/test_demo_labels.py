"""Demo labels follow the figures shown (csa/demo_labels.py), not the indicator's default.

Unit tests of the labelling rules, of aggregation (a grouping is demo when any member's
figure is), and AppTests in which a lead officer's real return for a normally-demo indicator
loses the DEMO DATA tag on the overview, the indicator page and the area profile while
another demo indicator keeps it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from csa import config as csa_config
from csa import demo_labels
from csa.areas import with_aggregates
from csa.assess import Inputs, assess, to_frame
from tests.conftest import row_title, scorecard_rows
from ui import charts, maps

APP = str(Path(__file__).resolve().parent.parent / "app.py")
REAL_CODE, DEMO_CODE = "VIO-01", "VIO-02"  # both demo by default
REAL_TITLE, DEMO_TITLE = "Violence with injury", "Possession of weapons offences"
QUARTER = "2026-27 Q2"  # the latest quarter in the bundled data
BURNLEY, PENDLE, PAN, EAST = "E07000117", "E07000122", "E23000003", "PA-EAST"


# -- the rules --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, default, expected",
    [
        ("demo", None, "demo"),
        ("real", "demo", "real"),
        (" Real ", None, "real"),
        (None, "demo", "demo"),
        (math.nan, "real", "real"),
        ("", "demo", "demo"),
        ("other", None, None),
        (None, None, None),
    ],
)
def test_kind_of_prefers_the_figures_own_kind(value, default, expected):
    assert demo_labels.kind_of(value, default) == expected


@pytest.mark.parametrize(
    "value, default, expected",
    [
        ("demo", "real", True),
        ("real", "demo", False),  # a real return for a normally-demo indicator
        (None, "demo", True),  # no kind of its own: the indicator's default
        (math.nan, "real", False),
    ],
)
def test_is_demo(value, default, expected):
    assert demo_labels.is_demo(value, default) is expected


@pytest.mark.parametrize(
    "kinds, combined, summary",
    [
        (["demo", "demo"], "demo", "demo"),
        (["real", "real"], "real", "real"),
        (["real", "demo", "real"], "demo", "mixed"),
        (["real", None, math.nan], "real", "real"),
        ([], None, None),
        ([None, math.nan], None, None),
    ],
)
def test_combine_and_summary(kinds, combined, summary):
    assert demo_labels.combine(kinds) == combined
    assert demo_labels.summary(kinds) == summary


@pytest.mark.parametrize(
    "periods, kinds, default, expected",
    [
        (
            ["Q1", "Q2", "Q3"],
            ["demo", "demo", "demo"],
            None,
            "Synthetic figures for demonstration, not real statistics.",
        ),
        (["Q1", "Q2", "Q3"], ["real", "real", "real"], None, None),
        ([], [], "demo", None),
        (
            ["2026-27 Q1", "2026-27 Q2"],
            ["demo", "real"],
            None,
            "Figures up to 2026-27 Q1 are synthetic demo data; 2026-27 Q2 onward are real returns.",
        ),
        (
            ["Q1", "Q2", "Q3", "Q4"],
            ["demo", "demo", "real", "real"],
            None,
            "Figures up to Q2 are synthetic demo data; Q3 onward are real returns.",
        ),
        (
            ["Q1", "Q2", "Q3"],
            ["real", "demo", "demo"],
            None,
            "Figures up to Q1 are real returns; Q2 onward are synthetic demo data.",
        ),
        (
            ["Q1", "Q2", "Q3", "Q4", "Q5"],
            ["demo", "demo", "real", "demo", "real"],
            None,
            "Synthetic demo data: Q1 to Q2, Q4. Real returns: Q3, Q5.",
        ),
        # a figure with no kind of its own takes the default
        (
            ["Q1", "Q2", "Q3"],
            [None, math.nan, "real"],
            "demo",
            "Figures up to Q2 are synthetic demo data; Q3 onward are real returns.",
        ),
        # with no default, unknown figures neither start nor break a run
        (
            ["Q1", "Q2", "Q3"],
            ["demo", None, "demo"],
            None,
            "Synthetic figures for demonstration, not real statistics.",
        ),
    ],
)
def test_describe_series_says_which_periods_are_demo(periods, kinds, default, expected):
    assert demo_labels.describe_series(periods, kinds, default) == expected


def test_runs_and_spans():
    got = demo_labels.runs(["A", "B", "C", "D"], ["demo", "demo", "real", "demo"])
    assert got == [
        demo_labels.Run("demo", "A", "B"),
        demo_labels.Run("real", "C", "C"),
        demo_labels.Run("demo", "D", "D"),
    ]
    assert [r.span() for r in got] == ["A to B", "C", "D"]


def test_describe_series_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="differ in length"):
        demo_labels.describe_series(["Q1", "Q2"], ["demo"])


@pytest.mark.parametrize(
    "frame, default, expected",
    [
        (pd.DataFrame({"data_kind": ["demo", None, "real"]}), "demo", ["demo", "demo", "real"]),
        (pd.DataFrame({"value": [1.0, 2.0]}), "real", ["real", "real"]),
    ],
)
def test_series_kinds(frame, default, expected):
    assert demo_labels.series_kinds(frame, default) == expected


@pytest.mark.parametrize(
    "kind, word", [("demo", "Demo"), ("real", "Real"), (None, ""), (math.nan, "")]
)
def test_word(kind, word):
    assert demo_labels.word(kind) == word


# -- aggregation: a grouping is demo when any member's figure in it is ------------------------
MEMBERS = pd.DataFrame({"group_code": ["G", "G", "H"], "member_code": ["A", "B", "B"]})


def _obs(kinds: dict[tuple[str, str], str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator_code": "X",
                "area_code": a,
                "period_label": p,
                "numerator": 10.0,
                "denominator": 1000.0,
                "value": 10.0,
                "status": "final",
                "data_kind": k,
            }
            for (a, p), k in kinds.items()
        ]
    )


@pytest.mark.parametrize(
    "kinds, expected",
    [
        # (A, B) in each period -> the kind of G (A + B) and of H (B only)
        ({("A", "P1"): "demo", ("B", "P1"): "demo"}, {("G", "P1"): "demo", ("H", "P1"): "demo"}),
        ({("A", "P1"): "real", ("B", "P1"): "real"}, {("G", "P1"): "real", ("H", "P1"): "real"}),
        ({("A", "P1"): "real", ("B", "P1"): "demo"}, {("G", "P1"): "demo", ("H", "P1"): "demo"}),
        ({("A", "P1"): "demo", ("B", "P1"): "real"}, {("G", "P1"): "demo", ("H", "P1"): "real"}),
        # one period's real returns do not relabel another period, nor the reverse
        (
            {("A", "P1"): "demo", ("B", "P1"): "demo", ("A", "P2"): "real", ("B", "P2"): "real"},
            {("G", "P1"): "demo", ("G", "P2"): "real", ("H", "P1"): "demo", ("H", "P2"): "real"},
        ),
    ],
)
def test_aggregates_are_demo_when_any_member_figure_is(kinds, expected):
    out = with_aggregates(_obs(kinds), MEMBERS, "rate", 1000)
    got = {(r.area_code, r.period_label): r.data_kind for r in out.itertuples(index=False)}
    for key, kind in kinds.items():
        assert got[key] == kind  # base figures keep their own kind
    for key, kind in expected.items():
        assert got[key] == kind, key


# -- the UI builders --------------------------------------------------------------------------
SPC = pd.DataFrame({"period_label": ["Q1", "Q2", "Q3"], "value": [1.0, 2.0, 3.0]})


def test_spc_chart_tells_demo_points_apart():
    kinds = {"Q1": "demo", "Q2": "demo", "Q3": "real"}
    frame = charts.spc_chart_frame(SPC, data_kinds=kinds)
    assert list(frame["data"]) == ["Demo", "Demo", "Real"]
    spec = charts.spc_chart(SPC, "t", "u", data_kinds=kinds).to_dict()
    points = next(layer for layer in spec["layer"] if "fillOpacity" in layer["encoding"])
    assert points["encoding"]["fillOpacity"]["field"] == "data"  # hollow demo, solid real
    assert points["encoding"]["fillOpacity"]["scale"] == {
        "domain": ["Real", "Demo"],
        "range": [1.0, 0.0],
    }
    assert {"field": "data", "type": "nominal", "title": "Data"} in points["encoding"]["tooltip"]
    assert spec["title"]["subtitle"] == [
        "Hollow points: synthetic demo figures. Solid points: real returns."
    ]
    # the one change from demo to real is marked where it happens
    notes = [layer for layer in spec["layer"] if layer.get("mark", {}).get("type") == "text"]
    assert len(notes) == 1
    assert spec["datasets"][notes[0]["data"]["name"]][0]["note"] == "Real from Q3"
    # all demo: hollow points, said in the subtitle, no change marked
    demo = charts.spc_chart(SPC, "t", "u", data_kinds=dict.fromkeys(kinds, "demo")).to_dict()
    assert demo["title"]["subtitle"] == [
        "Hollow points: synthetic demo figures, not real statistics."
    ]
    assert not any(layer.get("mark", {}).get("type") in ("text", "rule") for layer in demo["layer"])
    # without kinds the chart is drawn without them
    plain = charts.spc_chart(SPC, "t", "u").to_dict()
    assert "fillOpacity" not in plain["layer"][-1]["encoding"]
    assert plain["title"] == "t"


@pytest.mark.parametrize("own_kind, tagged", [("real", False), ("demo", True), (None, True)])
def test_spine_and_map_labels_follow_the_areas_own_figure(own_kind, tagged):
    ind = {
        "code": "VIO-01",
        "title": "Violence",
        "unit": "rate",
        "multiplier": 1000,
        "polarity": "low_is_good",
        "data_kind": "demo",
    }
    verdicts = pd.DataFrame(
        {
            "indicator_code": "VIO-01",
            "area_code": ["A", "B"],
            "period_label": "Q1",
            "value": [1.0, 2.0],
            "lower": [0.5, 1.5],
            "upper": [1.5, 2.5],
            "numerator": [100.0, 200.0],
            "benchmark_value": 1.5,
            "comparison": "similar",
            "rag": "amber",
            "label": "Similar",
            "data_kind": [own_kind, "demo"],
        }
    )
    spine = charts.spine_frame(verdicts, pd.DataFrame([ind]), "A", ["A", "B"])
    assert spine["row_label"].iloc[0].endswith("[DEMO]") is tagged
    row = verdicts.iloc[0].to_dict() | {
        "value_text": "",
        "interval_text": "",
        "rank_text": "",
        "status_text": "",
        "comparison_text": "",
    }
    words = maps.tooltip_fields(row, ind, "Q1", "district")["t_indicator"]
    assert words.endswith("[DEMO DATA]") is tagged


# -- the assessment, on the bundled data ------------------------------------------------------
def write_real_return(
    db, code: str = REAL_CODE, period: str = QUARTER, areas: list[str] | None = None
) -> pd.DataFrame:
    """A lead officer's real return for ``code`` in ``period``: every base area (or
    ``areas``), each figure one more than the demo figure it replaces."""
    obs = db.observations(indicator_codes=[code], period_labels=[period])
    if areas is not None:
        obs = obs[obs["area_code"].isin(areas)]
    rows = obs[["indicator_code", "area_code", "period_label", "numerator", "denominator"]].copy()
    rows["numerator"] = rows["numerator"] + 1
    rows["value"] = rows["numerator"] / rows["denominator"] * 1000
    with db.transaction() as conn:
        counts = db.write_revisions(
            conn, rows, upload_id=None, user_email="lead@example.org", data_kind="real"
        )
        db.audit(conn, "lead@example.org", "upload_return", code)  # as an import does
    assert counts["changed"] == len(rows) and counts["unchanged"] == 0
    return rows


def test_verdicts_follow_each_figures_kind(db):
    write_real_return(db, areas=[BURNLEY])
    inputs = Inputs.from_db(db)
    v = to_frame(
        assess(
            inputs,
            csa_config.load(),
            period_labels=[QUARTER, "2026-27 Q1"],
            indicator_codes=[REAL_CODE, DEMO_CODE],
        )
    )
    kind = {
        (r.indicator_code, r.area_code, r.period_label): r.data_kind
        for r in v.itertuples(index=False)
    }
    assert kind[(REAL_CODE, BURNLEY, QUARTER)] == "real"
    assert kind[(REAL_CODE, BURNLEY, "2026-27 Q1")] == "demo"
    assert kind[(REAL_CODE, PENDLE, QUARTER)] == "demo"
    assert kind[(REAL_CODE, EAST, QUARTER)] == "demo"  # Burnley's real + others' demo
    assert kind[(DEMO_CODE, BURNLEY, QUARTER)] == "demo"


def test_groupings_turn_real_once_every_member_is(db):
    write_real_return(db)
    inputs = Inputs.from_db(db)
    v = to_frame(
        assess(
            inputs,
            csa_config.load(),
            period_labels=[QUARTER],
            indicator_codes=[REAL_CODE],
            area_codes=[PAN, EAST],
        )
    )
    assert set(v["data_kind"]) == {"real"}


# -- the screens ------------------------------------------------------------------------------
def run_app(query: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def title_lines(at: AppTest, title: str) -> list[str]:
    """The title cell of each scorecard row of that title (its title and any tag); the
    real recorded-crime group of the same name, if shown, is among them."""
    lines = [cells[0] for cells in scorecard_rows(at) if row_title(cells) == title]
    assert lines, f"no scorecard row for {title}"
    return lines


def profile_row(at: AppTest, code: str) -> str:
    """The area profile's table row of one indicator."""
    for m in at.markdown:
        for row in re.findall(r"<tr><td[^>]*>.*?</tr>", m.value):
            if f"{code} ·" in row:
                return row
    raise AssertionError(f"no profile row for {code}")


def test_a_real_return_loses_the_demo_tag_on_screen(app_env):
    write_real_return(app_env)
    have = set(app_env.observations(indicator_codes=[REAL_CODE])["period_label"])
    periods = app_env.periods().sort_values("start_date")
    before = [p for p in periods["label"] if p in have and p != QUARTER]
    previous = before[-1]  # the last demo quarter

    # overview, pan-Lancashire: VIO-01 is built from 14 real returns, VIO-02 still demo
    at = run_app({"area": PAN, "period": QUARTER})
    assert not any("DEMO DATA" in line for line in title_lines(at, REAL_TITLE))
    assert any("DEMO DATA" in line for line in title_lines(at, DEMO_TITLE))
    assert any("Figures tagged DEMO DATA are synthetic" in i.value for i in at.info)

    # indicator page: the banner names the demo periods, the figure is not called demo
    at = run_app({"indicator": REAL_CODE, "area": BURNLEY}, page="pages/scorecard/indicator.py")
    text = "\n".join(m.value for m in at.markdown)
    assert (
        f"Figures up to {previous} are synthetic demo data; {QUARTER} onward are real returns."
    ) in text
    assert "Synthetic figures for demonstration" not in text
    assert at.metric[0].label == f"Burnley, {QUARTER}"
    table = next(d.value for d in at.dataframe if "Period" in d.value)  # Burnley's figures
    assert table["Data"].iloc[-1] == "Real"
    assert set(table["Data"].iloc[:-1]) == {"Demo"}
    assert any("hollow points are synthetic demo figures" in c.value for c in at.caption)

    # ... while a demo indicator's page still says it is synthetic throughout
    at = run_app({"indicator": DEMO_CODE, "area": BURNLEY}, page="pages/scorecard/indicator.py")
    assert any(
        "Synthetic figures for demonstration, not real statistics." in m.value for m in at.markdown
    )
    assert at.metric[0].label == f"Burnley, {QUARTER} (demo data)"

    # area profile: Burnley's VIO-01 row is untagged, its VIO-02 row tagged
    at = run_app({"area": BURNLEY, "period": QUARTER}, page="pages/scorecard/area.py")
    assert "DEMO DATA" not in profile_row(at, REAL_CODE)
    assert "DEMO DATA" in profile_row(at, DEMO_CODE)

    # map: every district's VIO-01 figure is a real return; the picker says the series mixes
    at = run_app({"indicator": REAL_CODE, "period": QUARTER}, page="pages/scorecard/map.py")
    assert set(at.table[0].value["Data"]) == {"Real"}
    assert not any("DEMO DATA" in m.value for m in at.markdown)
    assert (
        f"{REAL_CODE} · {REAL_TITLE} (partly DEMO DATA)" in at.selectbox(key="qp_indicator").options
    )
    at = run_app({"indicator": DEMO_CODE, "period": QUARTER}, page="pages/scorecard/map.py")
    assert set(at.table[0].value["Data"]) == {"Demo"}
