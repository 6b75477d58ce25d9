"""The frame around every page: header, demo-data banner, presentation and embed styles."""

from __future__ import annotations

import streamlit as st

PRESENT_CSS = """
<style>
html, body, [data-testid="stAppViewContainer"] { font-size: 1.35rem; }
[data-testid="stMetricValue"] { font-size: 3rem; }
h1 { font-size: 3rem !important; } h2 { font-size: 2.4rem !important; }
</style>
"""
EMBED_CSS = """
<style>
[data-testid="stAppViewBlockContainer"], .block-container { padding-top: 0.5rem; }
</style>
"""


def header(ctx) -> None:
    """The header of every page, from this run's context (:mod:`ui.context`)."""
    settings, viewer = ctx.settings, ctx.viewer
    embedded, presenting = ctx.embedded, ctx.presenting
    if presenting:
        st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    if embedded:
        st.markdown(EMBED_CSS, unsafe_allow_html=True)
    if not embedded:
        with st.sidebar:
            st.caption(settings["title"])
            if viewer.signed_in:
                st.caption(f"Signed in as {viewer.email} ({viewer.role})")


def footer(embedded: bool) -> None:
    st.divider()
    st.caption(
        "Real figures: ONS, Home Office and MHCLG, Open Government Licence v3.0. Boundaries: "
        "Source: Office for National Statistics licensed under the Open Government Licence "
        "v3.0. Contains OS data © Crown copyright and database right 2023. "
        "Figures marked **DEMO** are synthetic, for demonstration only."
    )
