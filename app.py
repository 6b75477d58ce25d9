"""The router: page config, the per-run context, and the role-aware navigation built on each
run. Pages read the context (``ui.context.current()``) instead of resolving it again."""

import streamlit as st

from ui import chrome, context, navigation

presenting = st.query_params.get("mode", "") == "present"
st.set_page_config(
    page_title="Safer Lancashire: CSA performance",
    page_icon=":shield:",
    layout="wide",
    initial_sidebar_state="collapsed" if presenting else "auto",  # the board's screen
)

ctx = context.build()
page = navigation.build(
    ctx.viewer,
    embedded=ctx.embedded,
    presenting=ctx.presenting,
    public_only=bool(ctx.settings["public_only"]),
    registered=ctx.pages,
)
chrome.header(ctx)
page.run()
chrome.footer(embedded=ctx.embedded, presenting=ctx.presenting)
