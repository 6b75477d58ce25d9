"""The area profile's spine charts, made once and drawn on every rerun (ui/area_profile.py):
the spec made once draws exactly the chart st.altair_chart draws."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _page():
    import streamlit as st

    from tests.test_charts_spine import BASE, INDICATORS, verdicts
    from ui import area_profile, charts

    frame = charts.spine_frame(verdicts(), INDICATORS, "B", BASE, {("VIO-01", "D")})
    chart = charts.spine_chart(frame, "CSA priorities, 2025-26 Q1", "Burnley", n_areas=4)
    st.altair_chart(chart, width="stretch")
    spec = area_profile.vega_lite_spec(chart)  # validated once, here
    area_profile.draw(spec)
    area_profile.draw(spec)  # drawing leaves the (shared) spec as it was


def test_a_spec_made_once_draws_what_st_altair_chart_draws():
    at = AppTest.from_function(_page).run()
    assert not at.exception
    drawn = [c.proto for c in at.get("vega_lite_chart")]
    assert len(drawn) == 3
    assert drawn[0].spec and len(drawn[0].datasets) == 1
    assert drawn[1] == drawn[0] and drawn[2] == drawn[0]
