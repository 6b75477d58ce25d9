"""The router: page config, theme, and the role-aware navigation built on each run."""

import streamlit as st

from ui import chrome, navigation, session

st.set_page_config(
    page_title="Safer Lancashire: CSA performance",
    page_icon=":shield:",
    layout="wide",
    initial_sidebar_state="auto",
)

viewer = session.current_viewer()
embedded = session.is_embedded()
presenting = session.is_presenting()
page = navigation.build(viewer, embedded=embedded, presenting=presenting)
chrome.header(viewer, embedded=embedded, presenting=presenting)
page.run()
chrome.footer(embedded=embedded)
