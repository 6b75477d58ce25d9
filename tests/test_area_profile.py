"""Charts made once and drawn on every rerun (ui/chart_specs.py, the area profile's spine
charts and the indicator page's): the spec made once draws exactly the chart
st.altair_chart draws; a result shared by kind and key (ui.data.shared) is made once."""

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


def _shared_page():
    import streamlit as st

    from ui import data

    made = []
    one = data.shared("files", (1,), lambda: made.append(1) or b"x")
    two = data.shared("files", (1,), lambda: made.append(2) or b"y")
    # another kind of result with the same key is made for itself: keys never meet
    other = data.shared("tables", (1,), lambda: made.append(3) or b"z")
    st.session_state["shared"] = (one, two, other, made)


def test_a_shared_result_is_made_once_per_kind_and_key():
    at = AppTest.from_function(_shared_page).run()
    assert not at.exception, at.exception
    assert at.session_state["shared"] == (b"x", b"x", b"z", [1, 3])
