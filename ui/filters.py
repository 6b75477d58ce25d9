"""Filters that live in the URL query string, so any view is a shareable link."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from csa import demo_labels
from ui import data

AREA_GROUP_ORDER = {"pan": 0, "county": 1, "policing_area": 2, "unitary": 3, "district": 3}


def _query_choice(key: str, options: list[str], default: str | None) -> int:
    wanted = st.query_params.get(key, default)
    return (
        options.index(wanted)
        if wanted in options
        else (options.index(default) if default in options else 0)
    )


def select(
    label: str,
    key: str,
    options: list[str],
    format_func=str,
    default=None,
    container=st,
    help: str | None = None,
) -> str | None:
    """A selectbox whose value is read from and written to ``?key=`` in the URL."""
    if not options:
        return None
    index = _query_choice(key, options, default)
    choice = container.selectbox(
        label, options, index=index, format_func=format_func, key=f"qp_{key}", help=help
    )
    if st.query_params.get(key) != choice:
        st.query_params[key] = choice
    return choice


#: The map's picker tags an indicator whose figures are demo, or partly demo.
DEMO_TAGS = {demo_labels.DEMO: " (DEMO DATA)", "mixed": " (partly DEMO DATA)"}


def indicator_select(ctx, container=st, demo_tags: bool = False) -> str | None:
    """The indicator picker (``?indicator=``): every indicator the viewer may see, its
    labels ("VIO-01: Violence with injury", or with ``demo_tags`` "VIO-01 · Violence with
    injury (DEMO DATA)") made once per viewer's scope, not on every rerun."""
    labels = data.shared(
        "indicator menu", (ctx.scope, demo_tags), lambda: _indicator_labels(ctx, demo_tags)
    )
    return select(
        "Indicator", "indicator", list(labels), format_func=labels.__getitem__, container=container
    )


def _indicator_labels(ctx, demo_tags: bool) -> dict[str, str]:
    records = ctx.indicators_by_code
    if not demo_tags:
        return {code: f"{code}: {ind['title']}" for code, ind in records.items()}
    from ui import sources  # sources reads through ui.data too

    kinds = {code: span["kind"] for code, span in sources.spans(ctx).items()}
    return {
        code: f"{code} · {ind['title']}" + DEMO_TAGS.get(kinds.get(code), "")
        for code, ind in records.items()
    }


def area_options(areas: pd.DataFrame) -> list[str]:
    """Pan-Lancashire, Lancashire-12, policing areas, then the 14 areas alphabetically."""
    shown = areas[areas["kind"].isin(AREA_GROUP_ORDER)].copy()
    shown["_g"] = shown["kind"].map(AREA_GROUP_ORDER)
    return list(shown.sort_values(["_g", "sort_order", "name"])["code"])


def area_select(
    areas: pd.DataFrame, container=st, default: str = "E23000003", label: str = "Area"
) -> str:
    # once per data version and set of areas
    options = data.shared(
        "area choices", (data.version(), tuple(areas["code"])), lambda: area_options(areas)
    )
    names = data.area_names()
    return select(
        label,
        "area",
        list(options),
        format_func=lambda c: names.get(c, c),
        default=default,
        container=container,
        help="A district or unitary, a policing area, Lancashire-12 or "
        "pan-Lancashire. Groupings are added up from the areas' figures.",
    )


def period_select(labels: list[str], container=st, default: str | None = None) -> str | None:
    """Periods newest first; the default is the latest with figures."""
    options = list(reversed(labels))
    return select(
        "Period",
        "period",
        options,
        default=default or (options[0] if options else None),
        container=container,
    )
