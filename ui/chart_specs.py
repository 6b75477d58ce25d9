"""Charts built once, drawn on every rerun.

``st.altair_chart`` builds a chart's Vega-Lite spec and has Altair validate it against the
schema on every rerun: most of a chart page's time. Here a chart's spec is made the way
``st.altair_chart`` makes it (:func:`vega_lite_spec`), once per slice by whatever the page
makes once (:func:`ui.data.shared`, ``ui.area_profile``), and :func:`draw` sends that very
spec each rerun.
"""

from __future__ import annotations

import streamlit as st


def vega_lite_spec(chart) -> dict:
    """The Vega-Lite spec that ``st.altair_chart(chart)`` sends, made the way it makes it
    (its data as Arrow datasets named by their content, Altair's default theme off, the
    spec validated against the schema): build it once, then draw it on every rerun with
    :func:`draw`, which sends the very same chart without building or validating again."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return _convert_altair_to_vega_lite_spec(chart)


def draw(spec: dict, container=None, **kwargs) -> None:
    """Draw a spec from :func:`vega_lite_spec` as ``st.altair_chart(chart, width="stretch")``
    would (Streamlit takes the datasets out of the dict it is given, so it gets a copy)."""
    (container or st).vega_lite_chart(spec=dict(spec), width="stretch", **kwargs)
