"""The choropleth map of the 14 areas, built with pydeck and no basemap.

Everything is computed here in Python (fill colours, labels, tooltips, policing-area
outlines), so the map needs no tiles, no token and no network: it is drawn from the bundled
ONS boundaries (``data/lancashire_lad_dec2023_bgc.geojson``) on a plain background.

Pieces, each testable without a browser:

* geometry: :func:`parts`, :func:`centroid` (label positions), :func:`outline_paths`
  (policing-area boundaries, made by dropping the edges two districts share);
* figures: :func:`map_rows` (value, 95% CI, rank, status and public suppression per area,
  for the 14 districts or the 3 policing areas);
* colour: :func:`value_classes`, :func:`value_colours`, :func:`status_colour`;
* the deck: :func:`build_deck`, and :func:`pixel_position` (where a place is drawn, used by
  the browser test that clicks an area).
"""

from __future__ import annotations

import copy
import html
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pydeck as pdk

from csa import demo_labels
from ui import format as fmt

ROOT = Path(__file__).resolve().parent.parent
BOUNDARIES = ROOT / "data" / "lancashire_lad_dec2023_bgc.geojson"
POLICING_CODES = {"West": "PA-WEST", "South": "PA-SOUTH", "East": "PA-EAST"}
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
SUPPRESSED = "#D4D8DB"
DISTRICT_LINE = [80, 90, 95, 255]
OUTLINE = [11, 12, 12, 255]
MAP_HEIGHT = 560
#: Label positions moved off the centroid where neighbouring labels would overlap at the
#: map's zoom.
LABEL_POSITIONS = {
    "E06000009": (-3.035, 53.842),  # Blackpool
    "E07000119": (-2.875, 53.772),  # Fylde
    "E06000008": (-2.505, 53.700),  # Blackburn with Darwen
    "E07000125": (-2.245, 53.672),  # Rossendale
}


@dataclass(frozen=True)
class View:
    """Where the camera looks: centre and zoom (Web Mercator, deck.gl's 512-pixel tiles)."""

    latitude: float
    longitude: float
    zoom: float


# -- geometry -------------------------------------------------------------------------------
@lru_cache(maxsize=2)
def _load(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_boundaries(path: Path = BOUNDARIES) -> dict:
    """The 14 areas' boundaries (a fresh copy each call, so callers may add properties)."""
    return json.loads(_load(str(path)))


def _point_segment_distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def simplify_line(points: list, tolerance: float) -> list:
    """Douglas-Peucker: drop points closer than ``tolerance`` to the line that would replace
    them. The first and last points are always kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, None
        for i in range(first + 1, last):
            d = _point_segment_distance(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list, tolerance: float) -> list:
    """A closed ring simplified (split in two halves so the closing point is no special
    case); the original is kept when simplifying would leave fewer than 4 points."""
    if len(ring) < 8:
        return ring
    half = len(ring) // 2
    out = simplify_line(ring[: half + 1], tolerance)[:-1] + simplify_line(ring[half:], tolerance)
    return out if len(out) >= 4 else ring


def simplified(boundaries: dict, tolerance: float) -> dict:
    """A copy of ``boundaries`` with every ring simplified to ``tolerance`` degrees."""
    out = copy.deepcopy(boundaries)
    for feature in out["features"]:
        polygons = [
            [simplify_ring(ring, tolerance) for ring in polygon]
            for polygon in parts(feature["geometry"])
        ]
        feature["geometry"] = {"type": "MultiPolygon", "coordinates": polygons}
    return out


#: Simplification for drawing: 0.0012 degrees is 80 to 130 metres, half a pixel at the map's
#: zoom. Fewer points keep the page light and the map quick to respond to a click.
DRAW_TOLERANCE = 0.0012


@lru_cache(maxsize=2)
def _drawn(path: str, tolerance: float) -> str:
    return json.dumps(simplified(json.loads(_load(path)), tolerance))


def drawn_boundaries(path: Path = BOUNDARIES, tolerance: float = DRAW_TOLERANCE) -> dict:
    """The boundaries simplified for drawing (a fresh copy each call)."""
    return json.loads(_drawn(str(path), tolerance))


def parts(geometry: dict) -> list[list[list[list[float]]]]:
    """The polygons of a Polygon or MultiPolygon geometry, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"expected a Polygon or MultiPolygon, not a {geometry['type']}")


def ring_area_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Signed area and centroid of a closed ring (shoelace formula, in degrees)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if a == 0:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return a, cx / (6 * a), cy / (6 * a)


def centroid(geometries: list[dict]) -> tuple[float, float]:
    """Label position for one or more geometries: the area-weighted centroid of their
    polygons' outer rings (islands count by their area, so they barely move it)."""
    total = sx = sy = 0.0
    for geometry in geometries:
        for polygon in parts(geometry):
            a, x, y = ring_area_centroid(polygon[0])
            total += abs(a)
            sx += abs(a) * x
            sy += abs(a) * y
    if total == 0:
        raise ValueError("cannot place a label on geometries with no area")
    return sx / total, sy / total


def _edge(a, b, ndigits):
    pa = (round(a[0], ndigits), round(a[1], ndigits))
    pb = (round(b[0], ndigits), round(b[1], ndigits))
    return (pa, pb) if pa <= pb else (pb, pa)


def outline_paths(geometries: list[dict], ndigits: int = 5) -> list[list[list[float]]]:
    """The outer boundary of several touching polygons, as paths for a PathLayer.

    Edges that two member polygons share (the same pair of points once rounded) are inner
    borders and are dropped; an edge is kept when it occurs an odd number of times. The
    kept edges are joined end to end into as few paths as possible.
    """
    counts: Counter = Counter()
    for geometry in geometries:
        for polygon in parts(geometry):
            for ring in polygon:
                for a, b in zip(ring, ring[1:], strict=False):
                    e = _edge(a, b, ndigits)
                    if e[0] != e[1]:
                        counts[e] += 1
    edges = [e for e, n in counts.items() if n % 2 == 1]
    neighbours: dict = defaultdict(list)
    for i, (a, b) in enumerate(edges):
        neighbours[a].append(i)
        neighbours[b].append(i)
    used = [False] * len(edges)
    paths = []
    for start in range(len(edges)):
        if used[start]:
            continue
        used[start] = True
        a, b = edges[start]
        path = [a, b]
        for forward in (True, False):  # grow from the end, then from the start
            while True:
                tip = path[-1] if forward else path[0]
                nxt = next((i for i in neighbours[tip] if not used[i]), None)
                if nxt is None:
                    break
                used[nxt] = True
                p, q = edges[nxt]
                other = q if p == tip else p
                if forward:
                    path.append(other)
                else:
                    path.insert(0, other)
        paths.append([[x, y] for x, y in path])
    return paths


def policing_groups(boundaries: dict) -> dict[str, list[dict]]:
    """Policing-area code -> the geometries of its member areas."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for feature in boundaries["features"]:
        groups[POLICING_CODES[feature["properties"]["policing_area"]]].append(feature["geometry"])
    return dict(groups)


@lru_cache(maxsize=2)
def _outlines(path: str, tolerance: float) -> tuple:
    boundaries = load_boundaries(Path(path))
    out = []
    for code, geoms in sorted(policing_groups(boundaries).items()):
        paths = []
        for p in outline_paths(geoms):
            if tolerance > 0:
                p = simplify_ring(p, tolerance) if p[0] == p[-1] else simplify_line(p, tolerance)
            paths.append(tuple(tuple(pt) for pt in p))
        out.append((code, tuple(paths)))
    return tuple(out)


def policing_outlines(path: Path = BOUNDARIES, tolerance: float = 0.0) -> list[dict]:
    """One row per outline path: {"code", "path"}, simplified to ``tolerance`` degrees
    (cached: the boundaries never change). The shared edges are found on the original
    boundaries, before any simplification."""
    return [
        {"code": code, "path": [list(pt) for pt in path_]}
        for code, paths in _outlines(str(path), tolerance)
        for path_ in paths
    ]


def bounds(boundaries: dict) -> tuple[float, float, float, float]:
    """min lon, min lat, max lon, max lat."""
    xs, ys = [], []
    for feature in boundaries["features"]:
        for polygon in parts(feature["geometry"]):
            for x, y in polygon[0]:
                xs.append(x)
                ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator world coordinates in [0, 1]."""
    x = (lon + 180.0) / 360.0
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2
    return x, y


def _inverse_mercator(x: float, y: float) -> tuple[float, float]:
    lon = x * 360.0 - 180.0
    lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y))) - math.pi / 2)
    return lon, lat


def fit_view(
    box: tuple[float, float, float, float], width: int, height: int, padding: int = 16
) -> View:
    """The centre and zoom that show ``box`` inside a ``width`` x ``height`` canvas."""
    x0, y1 = _mercator(box[0], box[1])
    x1, y0 = _mercator(box[2], box[3])
    zx = math.log2(max(width - 2 * padding, 1) / ((x1 - x0) * 512))
    zy = math.log2(max(height - 2 * padding, 1) / ((y1 - y0) * 512))
    lon, lat = _inverse_mercator((x0 + x1) / 2, (y0 + y1) / 2)
    return View(latitude=round(lat, 5), longitude=round(lon, 5), zoom=round(min(zx, zy), 3))


def pixel_position(
    lon: float, lat: float, view: View, width: float, height: float
) -> tuple[float, float]:
    """Where (lon, lat) is drawn on a ``width`` x ``height`` canvas showing ``view``
    (pixels from the top-left corner; no pitch or bearing)."""
    scale = 512 * 2**view.zoom
    cx, cy = _mercator(view.longitude, view.latitude)
    x, y = _mercator(lon, lat)
    return width / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale


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


# -- figures per area -------------------------------------------------------------------------
def ranks(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 = best (lowest when low is good, highest otherwise); ties share a rank."""
    ascending = polarity == "low_is_good"
    return values.rank(method="min", ascending=ascending).astype("Int64")


def rank_note(polarity: str) -> str:
    return {"low_is_good": "1 = lowest, best", "high_is_good": "1 = highest, best"}.get(
        polarity, "1 = highest"
    )


def map_rows(
    verdicts: pd.DataFrame,
    areas: pd.DataFrame,
    level: str,
    indicator: dict,
    suppressed: set[str] | None = None,
    threshold: int = 5,
) -> pd.DataFrame:
    """One indicator's figures for the areas drawn at ``level``, ready for the map.

    Parameters
    ----------
    verdicts : DataFrame
        Verdict rows (see :class:`csa.assess.Verdict`) of one indicator for one period;
        base areas and groupings.
    areas : DataFrame
        The areas table (code, name, kind, policing_area).
    level : {"district", "policing"}
    indicator : dict
        The indicator row (title, unit, multiplier, polarity).
    suppressed : set of str, optional
        Area codes whose figure the public may not see (small counts): the value shows
        as "<threshold", and the CI, rank and status are withheld.
    threshold : int

    Returns
    -------
    DataFrame indexed by area code with name, value, lower, upper, rag, label, comparison,
    data_kind (the figure's own, else the indicator's), suppressed, rank, value_text,
    ci_text, rank_text, status_text.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    kinds = ("district", "unitary") if level == "district" else ("policing_area",)
    shown = areas[areas["kind"].isin(kinds)][["code", "name"]].set_index("code")
    suppressed = suppressed or set()
    cols = ["value", "lower", "upper", "numerator", "rag", "label", "comparison", "data_kind"]
    v = verdicts.drop_duplicates("area_code").set_index("area_code")
    rows = shown.join(v[[c for c in cols if c in v.columns]], how="left")
    # each area's figure says what it is: its own data_kind, else the indicator's default
    rows["data_kind"] = [
        demo_labels.kind_of(k, indicator.get("data_kind"))
        for k in (rows["data_kind"] if "data_kind" in rows else [None] * len(rows))
    ]
    rows["suppressed"] = rows.index.isin(suppressed)
    unit, mult = indicator["unit"], int(indicator.get("multiplier") or 1)
    polarity = indicator["polarity"]
    ranked = rows["value"].where(~rows["suppressed"])
    rows["rank"] = ranks(ranked, polarity)
    n_ranked = int(ranked.notna().sum())
    unit_words = "" if unit == "percentage" else f" {fmt.unit_label(unit, mult)}"
    value_text, ci_text, rank_text, status_text = [], [], [], []
    for _code, r in rows.iterrows():
        missing = r["value"] is None or pd.isna(r["value"])
        if r["suppressed"]:
            value_text.append(
                f"<{threshold}"
                + ("" if unit == "count" else f" {'events' if unit == 'rate' else 'cases'}")
            )
            ci_text.append("not shown: a small number")
            rank_text.append("not ranked")
            status_text.append(
                "Not shown (fewer than {} {})".format(
                    threshold, "cases" if unit != "rate" else "events"
                )
            )
            continue
        if missing:
            value_text.append("No figure")
            ci_text.append("–")
            rank_text.append("not ranked")
            status_text.append(fmt.RAG_STYLE["grey"][2] + " No data")
            continue
        value_text.append(fmt.number(r["value"], unit) + unit_words)
        if pd.isna(r.get("lower")) or pd.isna(r.get("upper")):
            ci_text.append("–")
        else:
            ci_text.append(f"{fmt.number(r['lower'], unit)} to {fmt.number(r['upper'], unit)}")
        rk = r["rank"]
        rank_text.append(
            f"{int(rk)} of {n_ranked} ({rank_note(polarity)})" if not pd.isna(rk) else "not ranked"
        )
        rag = r.get("rag") if isinstance(r.get("rag"), str) else "grey"
        label = r.get("label") if isinstance(r.get("label"), str) else "Not judged"
        status_text.append(f"{fmt.RAG_STYLE.get(rag, fmt.RAG_STYLE['grey'])[2]} {label}")
    rows["value_text"] = value_text
    rows["ci_text"] = ci_text
    rows["rank_text"] = rank_text
    rows["status_text"] = status_text
    rows["rag"] = rows["rag"].where(rows["rag"].notna(), "grey")
    return rows


# -- the deck ---------------------------------------------------------------------------------
#: The tooltip template: Streamlit fills {field} from each feature's properties and escapes
#: the values, so the fields are plain text.
TOOLTIP_HTML = (
    "<b>{name}</b><br/>{t_indicator}<br/>Value: <b>{t_value}</b><br/>"
    "95% CI: {t_ci}<br/>Rank: {t_rank}<br/>Status: {t_status}<br/>"
    "{t_comparison}<br/><i>{t_click}</i>"
)


def tooltip_fields(row, indicator: dict, period: str, level: str) -> dict[str, str]:
    """The plain-text fields of one area's tooltip (see :data:`TOOLTIP_HTML`)."""
    comparison = row.get("comparison")
    words = ""
    if isinstance(comparison, str) and comparison != "not compared" and not row["suppressed"]:
        words = fmt.COMPARISON_WORDS.get(comparison, comparison)
    demo = demo_labels.is_demo(row.get("data_kind"), indicator.get("data_kind"))
    return {
        "t_indicator": f"{indicator['title']}, {period}" + (" [DEMO DATA]" if demo else ""),
        "t_value": row["value_text"],
        "t_ci": row["ci_text"],
        "t_rank": row["rank_text"],
        "t_status": row["status_text"],
        "t_comparison": words,
        "t_click": "Click to open the "
        + ("policing area's" if level == "policing" else "area's")
        + " profile",
    }


def _label_text(name: str, row, colour_by: str) -> str:
    icon = (
        fmt.RAG_STYLE.get(row["rag"], fmt.RAG_STYLE["grey"])[2]
        if colour_by == "status" and not row["suppressed"]
        else ""
    )
    value = row["value_text"].split(" per ")[0].replace(" events", "").replace(" cases", "")
    return f"{name}\n{icon + ' ' if icon else ''}{value}"


def _short(name: str) -> str:
    return {
        "Blackburn with Darwen": "Blackburn w. Darwen",
        "West policing area": "West",
        "South policing area": "South",
        "East policing area": "East",
    }.get(name, name)


def fill_colours(
    rows: pd.DataFrame, colour_by: str
) -> tuple[dict[str, str], list[tuple[float, float]]]:
    """Area code -> fill colour, and the value classes used (value colouring only)."""
    if colour_by == "status":
        return (
            {
                code: SUPPRESSED if r["suppressed"] else status_colour(r["rag"])
                for code, r in rows.iterrows()
            },
            [],
        )
    shown = rows["value"].where(~rows["suppressed"])
    classes = value_classes(shown.tolist())
    colours = value_colours(shown.tolist(), classes)
    out = {}
    for (code, r), colour in zip(rows.iterrows(), colours, strict=True):
        out[code] = SUPPRESSED if r["suppressed"] else colour
    return out, classes


def build_deck(
    rows: pd.DataFrame,
    level: str,
    colour_by: str,
    indicator: dict,
    period: str,
    view: View | None = None,
    boundaries: dict | None = None,
    height: int = MAP_HEIGHT,
) -> tuple[pdk.Deck, list[tuple[float, float]]]:
    """The map: coloured areas, policing-area outlines, labels, tooltips; no basemap.

    Returns the deck and the value classes (for the legend; empty when coloured by status).
    """
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be one of {', '.join(COLOUR_BY)}, not {colour_by!r}")
    boundaries = copy.deepcopy(boundaries) if boundaries is not None else drawn_boundaries()
    box = bounds(boundaries)
    view = view or fit_view(box, width=height, height=height)
    colours, classes = fill_colours(rows, colour_by)
    labels = []
    for feature in boundaries["features"]:
        props = feature["properties"]
        own = props["LAD23CD"]
        code = own if level == "district" else POLICING_CODES[props["policing_area"]]
        row = rows.loc[code]
        fill = hex_to_rgba(colours[code], 235)
        props.update(
            {
                "area_code": code,
                "name": row["name"],
                "fill": fill,
                "line": DISTRICT_LINE if level == "district" else fill[:3] + [255],
            }
            | tooltip_fields(row, indicator, period, level)
        )
    if level == "district":
        for feature in boundaries["features"]:
            own = feature["properties"]["LAD23CD"]
            lon, lat = LABEL_POSITIONS.get(own) or centroid([feature["geometry"]])
            row = rows.loc[own]
            labels.append(
                {"position": [lon, lat], "text": _label_text(_short(row["name"]), row, colour_by)}
            )
    else:
        for code, geoms in policing_groups(boundaries).items():
            lon, lat = centroid(geoms)
            row = rows.loc[code]
            labels.append(
                {"position": [lon, lat], "text": _label_text(_short(row["name"]), row, colour_by)}
            )
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
            id=FILL_LAYER,
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
        pdk.Layer(
            "PathLayer",
            id=OUTLINE_LAYER,
            data=policing_outlines(tolerance=DRAW_TOLERANCE),
            get_path="path",
            get_color=OUTLINE,
            width_min_pixels=3 if level == "policing" else 2.5,
            get_width=1,
            pickable=False,
            joint_rounded=True,
            cap_rounded=True,
        ),
        pdk.Layer(
            "TextLayer",
            id=LABEL_LAYER,
            data=labels,
            get_position="position",
            get_text="text",
            get_size=13 if level == "district" else 16,
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
        ),
    ]
    deck = pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(
            latitude=view.latitude, longitude=view.longitude, zoom=view.zoom, pitch=0, bearing=0
        ),
        # No basemap: map_provider=None and map_style left out (pydeck then sends a marker
        # that tells Streamlit not to fetch its default CARTO tiles; map_style=None would
        # ask for the theme's basemap from the network).
        map_provider=None,
        tooltip={
            "html": TOOLTIP_HTML,
            "style": {
                "backgroundColor": "#FFFFFF",
                "color": "#0B0C0C",
                "border": "1px solid #505A5F",
                "fontSize": "0.85rem",
                "padding": "0.5rem",
                "maxWidth": "22rem",
            },
        },
    )
    return deck, classes


# -- legend -----------------------------------------------------------------------------------
def _swatch(colour: str, words: str) -> str:
    return (
        f'<div style="display:flex;align-items:center;gap:0.45rem;margin:0.2rem 0">'
        f'<span style="display:inline-block;width:1.4rem;height:1rem;background:{colour};'
        f'border:1px solid #505A5F"></span><span>{words}</span></div>'
    )


def legend_html(
    colour_by: str,
    classes: list[tuple[float, float]],
    unit: str,
    multiplier: int,
    suppressed_any: bool = False,
    missing_any: bool = False,
    threshold: int = 5,
) -> str:
    """The map's legend as HTML: RAG colours with icon and words, or value classes."""
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
            words = (
                fmt.number(lo, unit)
                if lo == hi
                else f"{fmt.number(lo, unit)} to {fmt.number(hi, unit)}"
            )
            items.append(_swatch(colour, words))
        if missing_any or not colours:
            items.append(_swatch(NO_FIGURE, "No figure"))
    if suppressed_any:
        items.append(_swatch(SUPPRESSED, f"Not shown: fewer than {threshold}"))
    title = (
        "Status"
        if colour_by == "status"
        else (f"Value ({fmt.unit_label(unit, multiplier)}), lighter = lower")
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
