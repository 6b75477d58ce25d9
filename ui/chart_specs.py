"""Charts built once, drawn on every rerun.

``st.altair_chart`` builds a chart's Vega-Lite spec and has Altair validate it against the
schema on every rerun: most of a chart page's time. Here a chart's spec is made the way
``st.altair_chart`` makes it, once per distinct input (``st.cache_resource``: shared, not
pickled), and :func:`draw` sends that very spec each rerun.
"""

from __future__ import annotations

import streamlit as st

from ui import data


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


def built(build, *args, key: tuple | None = None, **kwargs) -> dict:
    """The spec of ``build(*args, **kwargs)`` (a chart builder of :mod:`ui.charts`), made once
    per distinct arguments: they are the cache key, hashed by value (frames included), so
    the same inputs always give the same chart. Shared: never change it.

    ``key``, when given, is the cache key instead: a small tuple that names everything the
    arguments are made from (for published figures, :attr:`ui.context.Context.scope` and the
    slice), so a rerun does not hash the frames again."""
    name = f"{build.__module__}.{build.__qualname__}"
    if key is not None:
        return data.shared(name, key, lambda: vega_lite_spec(build(*args, **kwargs)))
    return _built(name, args, kwargs, build)


@st.cache_resource(show_spinner=False, max_entries=512)
def _built(name: str, args: tuple, kwargs: dict, _build) -> dict:
    return vega_lite_spec(_build(*args, **kwargs))
