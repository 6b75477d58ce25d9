"""Charts made once and drawn on every rerun (ui/chart_specs.py, the area profile's spine
charts and the indicator page's): the spec made once draws exactly the chart
st.altair_chart draws, and a chart is built again only for other inputs."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page():
    import streamlit as st

    from tests.test_charts_spine import BASE, INDICATORS, verdicts
    from ui import chart_specs, charts

    frame = charts.spine_frame(verdicts(), INDICATORS, "B", BASE, {("VIO-01", "D")})
    chart = charts.spine_chart(frame, "CSA priorities, 2025-26 Q1", "Burnley", n_areas=4)
    st.altair_chart(chart, width="stretch")
    spec = chart_specs.vega_lite_spec(chart)  # validated once, here
    chart_specs.draw(spec)
    chart_specs.draw(spec)  # drawing leaves the (shared) spec as it was


def test_a_spec_made_once_draws_what_st_altair_chart_draws():
    at = AppTest.from_function(_page).run()
    assert not at.exception
    drawn = [c.proto for c in at.get("vega_lite_chart")]
    assert len(drawn) == 3
    assert drawn[0].spec and len(drawn[0].datasets) == 1
    assert drawn[1] == drawn[0] and drawn[2] == drawn[0]


def _built_page():
    import streamlit as st

    from tests.test_charts_spine import BASE, INDICATORS, verdicts
    from ui import chart_specs, charts

    frame = charts.spine_frame(verdicts(), INDICATORS, "B", BASE, set())
    first = chart_specs.built(charts.spine_chart, frame, "A title", "Burnley", n_areas=4)
    again = chart_specs.built(charts.spine_chart, frame.copy(), "A title", "Burnley", n_areas=4)
    other = chart_specs.built(charts.spine_chart, frame, "Another", "Burnley", n_areas=4)
    moved = frame.assign(pos_area=frame["pos_area"] * 0.5)
    changed = chart_specs.built(charts.spine_chart, moved, "A title", "Burnley", n_areas=4)
    st.session_state["same"] = first is again  # equal inputs: the one spec, not rebuilt
    st.session_state["other"] = other is not first and "Another" in str(other["title"])
    st.session_state["changed"] = changed is not first
    st.altair_chart(charts.spine_chart(frame, "A title", "Burnley", n_areas=4), width="stretch")
    chart_specs.draw(first)


def test_a_built_spec_is_made_once_per_distinct_inputs():
    at = AppTest.from_function(_built_page).run()
    assert not at.exception
    assert at.session_state["same"] and at.session_state["other"] and at.session_state["changed"]
    drawn = [c.proto for c in at.get("vega_lite_chart")]
    assert drawn[1] == drawn[0]


def _keyed_page():
    import streamlit as st

    from tests.test_charts_spine import BASE, INDICATORS, verdicts
    from ui import chart_specs, charts, data

    frame = charts.spine_frame(verdicts(), INDICATORS, "B", BASE, {("VIO-01", "D")})
    first = chart_specs.built(charts.spine_chart, frame, "A", "Burnley", n_areas=4, key=("k", 1))
    # the key names the inputs: the same key is the same chart, whatever the arguments
    same = chart_specs.built(charts.spine_chart, frame, "B", "Burnley", n_areas=4, key=("k", 1))
    other = chart_specs.built(charts.spine_chart, frame, "B", "Burnley", n_areas=4, key=("k", 2))
    st.session_state["same"] = same is first
    st.session_state["other"] = other is not first and "B" in str(other["title"])
    made = []
    one = data.shared("files", (1,), lambda: made.append(1) or b"x")
    two = data.shared("files", (1,), lambda: made.append(2) or b"y")
    st.session_state["shared"] = (one, two, made)


def test_a_keyed_spec_and_a_shared_file_are_made_once_per_key():
    at = AppTest.from_function(_keyed_page).run()
    assert not at.exception, at.exception
    assert at.session_state["same"] and at.session_state["other"]
    assert at.session_state["shared"] == (b"x", b"x", [1])
