"""Streamlit-side helpers: cached reads, navigation, session, chart and map builders.

Only ``app.py``, ``pages/`` and this package import streamlit; ``csa/`` never does.
"""
