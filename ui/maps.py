"""The choropleth maps, built with pydeck and no basemap.

Everything is computed in Python (fill colours, labels, tooltips, policing-area outlines), so
a map needs no tiles, no token and no network: it is drawn from the bundled ONS boundaries
(:mod:`csa.geometry`) on a plain background, with ``map_provider=None``.

* :func:`build_map` is the one map builder: a frame of area code -> fill colour, tooltip
  fields and (optionally) a label makes the deck. The scorecard map and the strategic
  views' maps all use it.
* :func:`map_rows` turns one indicator's **published** figures for one period into the rows
  the scorecard map draws: the published texts (value, interval, status), the published
  value for colour and rank. A hidden figure keeps only its published reason ("fewer than
  5" or "hidden to protect a small number"), a neutral fill and no rank.
* colour: :func:`value_classes`, :func:`value_colours`, :func:`status_colour`;
  :func:`legend_html`.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pydeck as pdk

from csa import demo_labels, formatting, geometry
from csa.geometry import POLICING_CODES, View, pixel_position  # noqa: F401 (re-exported)
from ui import format as fmt

LEVELS = {"district": "14 districts and unitaries", "policing": "3 policing areas"}
COLOUR_BY = {"status": "Status (RAG)", "value": "Value"}

#: Layer ids (every layer needs one for selections to survive reruns).
FILL_LAYER = "areas"
OUTLINE_LAYER = "policing-outlines"
LABEL_LAYER = "labels"
BACKGROUND_LAYER = "background"

#: A light sea-grey behind the land so the map looks finished with no basemap tiles.
BACKGROUND = [228, 236, 242, 255]
#: Sequential blue (ColorBrewer PuBu, the darker five of six classes, so that the lightest
#: class is still clearly tinted against "no figure" white): lighter = lower.
SEQUENTIAL = ["#D0D1E6", "#A6BDDB", "#74A9CF", "#2B8CBE", "#045A8D"]
NO_FIGURE = "#FFFFFF"
#: The neutral fill of a hidden figure (no value, so no colour from one).
SUPPRESSED = "#D4D8DB"
DISTRICT_LINE = [80, 90, 95, 255]
OUTLINE = [11, 12, 12, 255]
MAP_HEIGHT = 520
#: The view is fitted to the narrowest canvas the map is drawn on: a 390-pixel phone
#: screen less Streamlit's 1 rem padding either side. Wider canvases show more background.
FIT_WIDTH = 358
#: Label font sizes (pixels) by level.
LABEL_PX = {"district": 12, "policing": 15}
#: A label's value line is at most this many characters (an icon, a space and the value):
#: the view reserves room for it whatever the figures, so it is the same for every figure.
VALUE_CHARS = 14

TOOLTIP_STYLE = {
    "backgroundColor": "#FFFFFF",
    "color": "#0B0C0C",
    "border": "1px solid #505A5F",
    "fontSize": "0.85rem",
    "padding": "0.5rem",
    "maxWidth": "22rem",
}


# -- colour -----------------------------------------------------------------------------------
def hex_to_rgba(colour: str, alpha: int = 255) -> list[int]:
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)] + [alpha]


def value_classes(values, n_classes: int = 5) -> list[tuple[float, float]]:
    """Classes for a sequential scale, as (low, high) limits, lowest first.

    Quintiles (the 0, 20, ..., 100th percentiles) of the values; when there are no more
    distinct values than classes (e.g. the 3 policing areas), each value is its own class.
    Empty for no values.
    """
    v = np.asarray([x for x in values if x is not None and not pd.isna(x)], dtype=float)
    if v.size == 0:
        return []
    distinct = np.unique(v)
    if distinct.size <= n_classes:
        return [(float(x), float(x)) for x in distinct]
    qs = [float(q) for q in np.quantile(v, np.linspace(0, 1, n_classes + 1))]
    limits: list[float] = []
    for q in qs:
        if not limits or q > limits[-1]:
            limits.append(q)
    return list(zip(limits[:-1], limits[1:], strict=True))


def value_class(value, classes: list[tuple[float, float]]) -> int | None:
    """0-based class of a value: the first class whose high limit it does not exceed (so a
    value on a limit belongs to the lower class); None if missing or out of range."""
    if value is None or pd.isna(value) or not classes:
        return None
    for i, (lo, hi) in enumerate(classes):
        if lo <= value <= hi:
            return i
    return None


def class_colours(n_classes: int) -> list[str]:
    """Colours for ``n_classes`` classes, spread across the sequential palette."""
    if n_classes <= 0:
        return []
    if n_classes == 1:
        return [SEQUENTIAL[2]]
    idx = np.round(np.linspace(0, len(SEQUENTIAL) - 1, n_classes)).astype(int)
    return [SEQUENTIAL[i] for i in idx]


def value_colours(values, classes: list[tuple[float, float]]) -> list[str]:
    colours = class_colours(len(classes))
    out = []
    for v in values:
        k = value_class(v, classes)
        out.append(NO_FIGURE if k is None else colours[k])
    return out


def status_colour(rag: str) -> str:
    return fmt.RAG_STYLE.get(rag, fmt.RAG_STYLE["grey"])[0]


# -- the one map builder ------------------------------------------------------------------------
def _short(name: str) -> str:
    return {
        "Blackburn with Darwen": "Blackburn w. Darwen",
        "West policing area": "West",
        "South policing area": "South",
        "East policing area": "East",
    }.get(name, name)


def _feature_code(props: dict, codes) -> str:
    own = props["LAD23CD"]
    return own if own in codes else POLICING_CODES[props["policing_area"]]


def _label_anchors(boundaries: dict, codes) -> dict[str, tuple[float, float]]:
    """Area code -> where its label goes (a district's moved position or centroid; a
    policing area's centroid)."""
    out: dict[str, tuple[float, float]] = {}
    for feature in boundaries["features"]:
        own = feature["properties"]["LAD23CD"]
        if own in codes:
            out[own] = geometry.label_position(own, feature["geometry"])
    for code, geoms in geometry.policing_groups(boundaries).items():
        if code in codes:
            out[code] = geometry.centroid(geoms)
    return out


def label_view(
    names: dict[str, str],
    level: str = "district",
    width: float = FIT_WIDTH,
    height: float = MAP_HEIGHT,
    boundaries: dict | None = None,
) -> View:
    """The view that shows every area and every label's whole box (a name line and a value
    line of :data:`VALUE_CHARS`) on a ``width`` x ``height`` canvas. It depends on the areas'
    names only, so it is the same for every indicator and period."""
    boundaries = boundaries if boundaries is not None else geometry.drawn_boundaries()
    anchors = _label_anchors(boundaries, set(names))
    labels = []
    for code, (lon, lat) in anchors.items():
        text = _short(names[code]) + "\n" + "x" * VALUE_CHARS
        hw, hh = geometry.label_size(text, LABEL_PX[level])
        labels.append(geometry.Label(lon, lat, hw, hh))
    return geometry.fit_view(geometry.bounds(boundaries), width, height, labels=labels)


def build_map(
    frame: pd.DataFrame,
    tooltip_html: str,
    *,
    layer_id: str = FILL_LAYER,
    level: str = "district",
    outlines: bool = True,
    height: int = MAP_HEIGHT,
    width: int = FIT_WIDTH,
    boundaries: dict | None = None,
) -> tuple[pdk.Deck, View]:
    """A map of the areas in ``frame``, no basemap.

    Parameters
    ----------
    frame : DataFrame
        Indexed by area code: district (LAD) codes, or policing-area codes (each policing
        area then fills its member districts). Columns ``fill`` (``#RRGGBB``), ``name``,
        every ``{field}`` of ``tooltip_html``, and optionally ``label`` (the label's value
        line: a label "name / value" is then drawn on each area, inside the canvas).
    tooltip_html : str
        The tooltip template; Streamlit fills ``{field}`` from each feature's properties and
        escapes the values, so the fields are plain text. A district with no row gets an
        empty tooltip and the "no figure" fill.
    layer_id : str
        Id of the pickable area layer (selections are keyed on it).
    level : {"district", "policing"}
        Sets the label size and the outline weight.
    outlines : bool
        Draw the policing-area boundaries.

    Returns
    -------
    The deck and its view (fitted so that every area and label is inside a ``width`` x
    ``height`` canvas).
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    boundaries = boundaries if boundaries is not None else geometry.drawn_boundaries()
    codes = set(frame.index)
    fields = [c for c in frame.columns if f"{{{c}}}" in tooltip_html]
    for feature in boundaries["features"]:
        props = feature["properties"]
        code = _feature_code(props, codes)
        row = frame.loc[code] if code in codes else None
        fill = hex_to_rgba(row["fill"] if row is not None else NO_FIGURE, 235)
        props.update(
            {
                "area_code": code,
                "name": row["name"] if row is not None else props["LAD23NM"],
                "fill": fill,
                "line": DISTRICT_LINE if code == props["LAD23CD"] else fill[:3] + [255],
            }
            | {f: (str(row[f]) if row is not None else "") for f in fields}
        )
    box = geometry.bounds(boundaries)
    names = dict(zip(frame.index, frame["name"], strict=True))
    labels = []
    if "label" in frame.columns:
        anchors = _label_anchors(boundaries, codes)
        view = label_view(names, level, width, height, boundaries)
        for code, (lon, lat) in anchors.items():
            value = str(frame.loc[code, "label"])[:VALUE_CHARS]
            labels.append({"position": [lon, lat], "text": f"{_short(names[code])}\n{value}"})
    else:
        view = geometry.fit_view(box, width, height)
    pad = 2.0
    background = [
        {
            "polygon": [
                [box[0] - pad, box[1] - pad],
                [box[2] + pad, box[1] - pad],
                [box[2] + pad, box[3] + pad],
                [box[0] - pad, box[3] + pad],
            ]
        }
    ]
    layers = [
        pdk.Layer(
            "PolygonLayer",
            id=BACKGROUND_LAYER,
            data=background,
            get_polygon="polygon",
            get_fill_color=BACKGROUND,
            stroked=False,
            pickable=False,
        ),
        pdk.Layer(
            "GeoJsonLayer",
            id=layer_id,
            data=boundaries,
            pickable=True,
            auto_highlight=True,
            highlight_color=[255, 221, 0, 140],
            filled=True,
            stroked=True,
            get_fill_color="properties.fill",
            get_line_color="properties.line",
            line_width_min_pixels=1,
            get_line_width=1,
        ),
    ]
    if outlines:
        layers.append(
            pdk.Layer(
                "PathLayer",
                id=OUTLINE_LAYER,
                data=geometry.policing_outlines(tolerance=geometry.DRAW_TOLERANCE),
                get_path="path",
                get_color=OUTLINE,
                width_min_pixels=3 if level == "policing" else 2.5,
                get_width=1,
                pickable=False,
                joint_rounded=True,
                cap_rounded=True,
            )
        )
    if labels:
        layers.append(
            pdk.Layer(
                "TextLayer",
                id=LABEL_LAYER,
                data=labels,
                get_position="position",
                get_text="text",
                get_size=LABEL_PX[level],
                get_color=[11, 12, 12, 255],
                background=True,
                get_background_color=[255, 255, 255, 225],
                background_padding=[4, 2],
                # pydeck reads a bare string as an expression: literals are quoted
                font_family="'Source Sans Pro, Helvetica Neue, Arial, sans-serif'",
                font_weight=600,
                line_height=1.1,
                character_set="'auto'",
                get_text_anchor="'middle'",
                get_alignment_baseline="'center'",
                pickable=False,
            )
        )
    deck = pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(
            latitude=view.latitude, longitude=view.longitude, zoom=view.zoom, pitch=0, bearing=0
        ),
        # No basemap: map_provider=None and map_style left out (pydeck then sends a marker
        # that tells Streamlit not to fetch its default CARTO tiles; map_style=None would
        # ask for the theme's basemap from the network).
        map_provider=None,
        tooltip={"html": tooltip_html, "style": TOOLTIP_STYLE},
    )
    return deck, view


# -- the scorecard map: published figures per area ----------------------------------------------
def ranks(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 = best (lowest when low is good, highest otherwise); ties share a rank."""
    ascending = polarity == "low_is_good"
    return values.rank(method="min", ascending=ascending).astype("Int64")


def rank_note(polarity: str) -> str:
    return {"low_is_good": "1 = lowest, best", "high_is_good": "1 = highest, best"}.get(
        polarity, "1 = highest"
    )


NO_FIGURE_TEXT = "no figure"


def map_rows(figures: pd.DataFrame, areas: pd.DataFrame, level: str, indicator: dict):
    """One indicator's published figures for one period, for the areas drawn at ``level``.

    Parameters
    ----------
    figures : DataFrame
        Published figures (:func:`csa.publish.read`) of one indicator for one period, base
        areas and groupings, for the viewer's audience.
    areas : DataFrame
        The areas table (code, name, kind).
    level : {"district", "policing"}
    indicator : dict
        The indicator row (title, polarity, data_kind).

    Returns
    -------
    DataFrame indexed by area code: name, value (the published value; None when hidden or
    missing), hidden ("", "primary", "complementary"), missing, rag, data_kind, rank, and
    the texts value_text, interval_text, status_text (the published ones; a shown status
    has its RAG icon in front), comparison_text, rank_text.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    kinds = ("district", "unitary") if level == "district" else ("policing_area",)
    shown = areas[areas["kind"].isin(kinds)][["code", "name"]].set_index("code")
    cols = [
        "value",
        "hidden",
        "rag",
        "data_kind",
        "value_text",
        "interval_text",
        "status_text",
        "comparison_text",
    ]
    f = figures.drop_duplicates("area_code").set_index("area_code")
    rows = shown.join(f[cols], how="left")
    rows["missing"] = rows["value_text"].isna()
    rows["hidden"] = rows["hidden"].fillna("")
    is_hidden = rows["hidden"] != ""
    rows["value"] = pd.to_numeric(rows["value"], errors="coerce").where(~is_hidden)
    rows["data_kind"] = [
        demo_labels.kind_of(k if isinstance(k, str) else None, indicator.get("data_kind"))
        for k in rows["data_kind"]
    ]
    rows["rag"] = rows["rag"].where(rows["rag"].notna() & ~is_hidden, "grey")
    rows["rank"] = ranks(rows["value"], indicator["polarity"])
    n_ranked = int(rows["value"].notna().sum())
    note = rank_note(indicator["polarity"])
    rows["rank_text"] = [
        "not ranked" if pd.isna(rk) else f"{int(rk)} of {n_ranked} ({note})" for rk in rows["rank"]
    ]
    rows["value_text"] = rows["value_text"].fillna(NO_FIGURE_TEXT)
    rows["interval_text"] = rows["interval_text"].fillna(formatting.MISSING)
    status = []
    for hidden, missing, rag, text in zip(
        rows["hidden"], rows["missing"], rows["rag"], rows["status_text"], strict=True
    ):
        if hidden:
            status.append(text)  # the published reason, word for word
        elif missing:
            status.append(f"{fmt.RAG_STYLE['grey'][2]} No data")
        else:
            status.append(f"{fmt.RAG_STYLE.get(rag, fmt.RAG_STYLE['grey'])[2]} {text}")
    rows["status_text"] = status
    rows["comparison_text"] = [
        "" if h or not isinstance(c, str) or c == "Not compared" else c
        for h, c in zip(rows["hidden"], rows["comparison_text"], strict=True)
    ]
    return rows


#: The scorecard map's tooltip (every field a plain-text feature property).
TOOLTIP_HTML = (
    "<b>{name}</b><br/>{t_indicator}<br/>Value: <b>{t_value}</b><br/>"
    "95% CI: {t_ci}<br/>Rank: {t_rank}<br/>Status: {t_status}<br/>"
    "{t_comparison}<br/><i>{t_click}</i>"
)


def tooltip_fields(row, indicator: dict, period: str, level: str) -> dict[str, str]:
    """The plain-text fields of one area's tooltip (see :data:`TOOLTIP_HTML`): the published
    texts, word for word."""
    demo = demo_labels.is_demo(row.get("data_kind"), indicator.get("data_kind"))
    unit = formatting.unit_label(indicator["unit"], indicator.get("multiplier") or 1)
    return {
        "t_indicator": f"{indicator['title']} ({unit}), {period}"
        + (" [DEMO DATA]" if demo else ""),
        "t_value": row["value_text"],
        "t_ci": row["interval_text"],
        "t_rank": row["rank_text"],
        "t_status": row["status_text"],
        "t_comparison": row["comparison_text"],
        "t_click": "Click to open the "
        + ("policing area's" if level == "policing" else "area's")
        + " profile",
    }


def label_value(row, colour_by: str) -> str:
    """A label's value line: the published value text (a status icon in front when the map
    is coloured by status); a hidden figure's short reason."""
    if row["hidden"]:
        return row["value_text"] if len(row["value_text"]) <= VALUE_CHARS else "hidden"
    if colour_by == "status" and not row["missing"]:
        return f"{fmt.RAG_STYLE.get(row['rag'], fmt.RAG_STYLE['grey'])[2]} {row['value_text']}"
    return row["value_text"]


def fill_colours(
    rows: pd.DataFrame, colour_by: str
) -> tuple[dict[str, str], list[tuple[float, float]]]:
    """Area code -> fill colour, and the value classes used (value colouring only). Hidden
    figures get the neutral :data:`SUPPRESSED` fill; the classes use shown values only."""
    hidden = rows["hidden"] != ""
    if colour_by == "status":
        return (
            {
                code: SUPPRESSED if h else status_colour(rag)
                for code, h, rag in zip(rows.index, hidden, rows["rag"], strict=True)
            },
            [],
        )
    shown = rows["value"].where(~hidden)
    classes = value_classes(shown.tolist())
    colours = value_colours(shown.tolist(), classes)
    out = {
        code: SUPPRESSED if h else colour
        for code, h, colour in zip(rows.index, hidden, colours, strict=True)
    }
    return out, classes


def frozen_deck(deck: pdk.Deck) -> pdk.Deck:
    """``deck`` serialised now, once: for a deck kept in a cache and drawn on every rerun
    (``st.pydeck_chart`` calls ``to_json`` each time). The deck must not change afterwards."""
    spec = deck.to_json()
    deck.to_json = lambda: spec  # after serialising: not an attribute of the spec
    return deck


def build_deck(
    rows: pd.DataFrame,
    level: str,
    colour_by: str,
    indicator: dict,
    period: str,
    boundaries: dict | None = None,
    height: int = MAP_HEIGHT,
    frozen: bool = False,
) -> tuple[pdk.Deck, list[tuple[float, float]]]:
    """The scorecard map (:func:`map_rows` -> :func:`build_map`): coloured areas,
    policing-area outlines, labels, tooltips. Returns the deck and the value classes (for
    the legend; empty when coloured by status). ``frozen``: serialised now, to be kept and
    drawn on every rerun (:func:`frozen_deck`)."""
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be one of {', '.join(COLOUR_BY)}, not {colour_by!r}")
    colours, classes = fill_colours(rows, colour_by)
    frame = pd.DataFrame(
        [
            {
                "code": code,
                "name": row["name"],
                "fill": colours[code],
                "label": label_value(row, colour_by),
            }
            | tooltip_fields(row, indicator, period, level)
            for code, row in rows.iterrows()
        ]
    ).set_index("code")
    deck, _view = build_map(frame, TOOLTIP_HTML, level=level, height=height, boundaries=boundaries)
    return (frozen_deck(deck) if frozen else deck), classes


def text_alternative(rows: pd.DataFrame) -> pd.DataFrame:
    """The map in words, one row per area: what a screen reader reads instead of the map."""
    return pd.DataFrame(
        {
            "Area": rows["name"],
            "Value": rows["value_text"],
            "95% CI": rows["interval_text"],
            "Rank": rows["rank_text"],
            "Status": rows["status_text"],
        }
    )


# -- legend -----------------------------------------------------------------------------------
def _swatch(colour: str, words: str) -> str:
    return (
        f'<div style="display:flex;align-items:center;gap:0.45rem;margin:0.2rem 0">'
        f'<span style="display:inline-block;width:1.4rem;height:1rem;background:{colour};'
        f'border:1px solid #505A5F"></span><span>{html.escape(words)}</span></div>'
    )


def hidden_legend(reasons, threshold: int = 5) -> str:
    """The legend words for hidden figures, by the reasons present."""
    words = []
    if "primary" in reasons:
        words.append(f"fewer than {threshold}")
    if "complementary" in reasons:
        words.append("hidden to protect a small number")
    return "Not shown: " + " or ".join(words) if words else ""


def legend_html(
    colour_by: str,
    classes: list[tuple[float, float]],
    unit: str,
    multiplier: int,
    hidden_reasons=(),
    missing_any: bool = False,
    threshold: int = 5,
) -> str:
    """The map's legend as HTML: RAG colours with icon and words, or value classes
    (limits written by :func:`csa.formatting.figure`)."""
    items = []
    if colour_by == "status":
        for rag in ("red", "amber", "green", "grey"):
            bg, _fg, icon = fmt.RAG_STYLE[rag]
            words = {
                "red": "Off track / worse than Lancashire",
                "amber": "At risk / similar to Lancashire",
                "green": "On track / better than Lancashire",
                "grey": "Not judged or no figure",
            }[rag]
            items.append(_swatch(bg, f"{icon} {words}"))
    else:
        colours = class_colours(len(classes))
        for (lo, hi), colour in zip(classes, colours, strict=True):
            lo_text, hi_text = formatting.figure(lo, unit), formatting.figure(hi, unit)
            items.append(_swatch(colour, lo_text if lo == hi else f"{lo_text} to {hi_text}"))
        if missing_any or not colours:
            items.append(_swatch(NO_FIGURE, "No figure"))
    hidden_words = hidden_legend(set(hidden_reasons), threshold)
    if hidden_words:
        items.append(_swatch(SUPPRESSED, hidden_words))
    title = (
        "Status"
        if colour_by == "status"
        else f"Value ({formatting.unit_label(unit, multiplier)}), lighter = lower"
    )
    outline = (
        '<div style="display:flex;align-items:center;gap:0.45rem;margin:0.4rem 0 0">'
        '<span style="display:inline-block;width:1.4rem;border-top:3px solid #0B0C0C">'
        "</span><span>Policing area boundary</span></div>"
    )
    return (
        f'<div role="group" aria-label="Map legend" style="font-size:0.9rem">'
        f'<div style="font-weight:600;margin-bottom:0.2rem">{html.escape(title)}</div>'
        + "".join(items)
        + outline
        + "</div>"
    )
