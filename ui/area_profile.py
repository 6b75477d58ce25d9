"""The area profile's derived figures (``pages/scorecard/area.py``): computed once per data
version and publication, drawn on every rerun.

A rerun of the page (a widget touched, another viewer on the same area) redrew everything
from scratch: it read its published figures again, worked out each indicator's latest
period from the whole observations table, built each section's spine chart and had Altair
validate it against the Vega-Lite schema. Here each is made once per process and key
(``st.cache_resource``: shared, not pickled) and handed back for drawing. What is returned is
shared between sessions: callers must not mutate it (frames come back as shallow copies,
which copy-on-write keeps safe; a spec is copied where Streamlit would change it).

The keys hold everything the result depends on: the database and its data version, the
publication, the viewer's audience and the indicators this viewer may see (so a viewer
allowed a restricted indicator never shares a result with one who is not).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from csa import demo_labels
from ui import chart_specs, charts, context, sources


def figures(ctx, *, indicators, periods, areas=None) -> pd.DataFrame:
    """:meth:`ui.context.Context.figures` (every column but the SPC chart, which the page
    does not draw), read once per publication and audience."""
    wanted = context.key_of(set(ctx.indicators["code"]) & set(indicators))
    got = _figures(
        ctx.scope,
        context.digest(wanted),
        context.key_of(areas),
        context.key_of(periods),
        wanted,
        ctx,
    )
    return got.copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=256)
def _figures(scope: tuple, wanted: str, areas, periods, _indicators, _ctx) -> pd.DataFrame:
    # the indicators asked for are already those the viewer may see: Context.figures
    # narrows them no further, and reads the same publication and audience
    return _ctx.figures(
        indicators=_indicators, areas=areas, periods=periods, columns=context.LIST_COLUMNS
    )


def own_periods(ctx, codes) -> dict[str, str]:
    """Each indicator's own period: its latest real one (its last, when it has only demo
    figures), for those of ``codes`` with figures (:func:`csa.inventory.series_periods`)."""
    spans = sources.spans(ctx)
    return {c: spans[c]["latest_real"] or spans[c]["last"] for c in codes if c in spans}


def spine(
    ctx,
    figures: pd.DataFrame,
    inds: pd.DataFrame,
    area: str,
    base_codes: list[str],
    hidden: set,
    *,
    period: str | None,
    heading: str,
    area_name: str,
) -> tuple[pd.DataFrame, dict | None]:
    """One section's spine chart: its frame (:func:`ui.charts.spine_frame`) and the
    Vega-Lite spec of :func:`ui.charts.spine_chart` titled ``heading`` and, when the figures
    it draws are demo, a DEMO tag (None when the frame is empty), made once per key.
    ``figures`` and ``hidden`` must be the page's for ``period`` (the quarter chosen; the
    monthly and annual sections' periods follow the data version)."""
    key = (
        ctx.scope,
        context.digest(inds["code"].tolist()),
        period,
        area,
        context.digest(base_codes),
        heading,
        area_name,
    )
    frame, spec = _spine(key, figures, inds, area, base_codes, hidden, heading, area_name)
    return frame.copy(deep=False), spec


@st.cache_resource(show_spinner=False, max_entries=256)
def _spine(key: tuple, _figures, _inds, _area, _base_codes, _hidden, _heading, _name):
    frame = charts.spine_frame(_figures, _inds, _area, _base_codes, _hidden)
    if frame.empty:
        return frame, None
    # the figures this chart draws: every area's, for these indicators (not their defaults)
    drawn = _figures[_figures["indicator_code"].isin(frame["indicator_code"])]
    kind = demo_labels.summary(drawn["data_kind"])
    title = _heading + {demo_labels.DEMO: " · DEMO DATA", "mixed": " · includes DEMO DATA"}.get(
        kind, ""
    )
    chart = charts.spine_chart(frame, title, _name, n_areas=len(_base_codes))
    return frame, chart_specs.vega_lite_spec(chart)


def records(ctx, indicators: pd.DataFrame) -> list[dict]:
    """``indicators`` (rows of this data version's indicators) as records, in their order:
    made once per data version and selection (a record at a time from the Arrow-backed
    columns is slow)."""
    return _records((ctx.version_key, context.digest(indicators["code"].tolist())), indicators)


@st.cache_resource(show_spinner=False, max_entries=64)
def _records(key: tuple, _indicators: pd.DataFrame) -> list[dict]:
    return _indicators.to_dict("records")


def by_code(ctx, figures: pd.DataFrame, area: str, period: str | None) -> dict[str, dict]:
    """The figures of ``area`` among the page's ``figures`` (those for ``period``, the
    quarter chosen) as records by indicator code, made once per key."""
    key = (ctx.scope, period, area)
    return _by_code(key, figures, area)


@st.cache_resource(show_spinner=False, max_entries=256)
def _by_code(key: tuple, _figures: pd.DataFrame, _area: str) -> dict[str, dict]:
    if _figures.empty:
        return {}
    mine = _figures[_figures["area_code"] == _area]
    return dict(zip(mine["indicator_code"].tolist(), mine.to_dict("records"), strict=True))
