"""Geometry of the bundled area boundaries: reading, simplifying, label positions, bounds
and the camera that fits them (pure: no Streamlit, no pydeck).

The boundaries are the ONS local authority districts (December 2023, generalised clipped),
``data/lancashire_lad_dec2023_bgc.geojson``, one feature per district or unitary with
properties ``LAD23CD``, ``LAD23NM`` and ``policing_area``. Coordinates are longitude and
latitude in degrees; the camera works in Web Mercator, as deck.gl does (512-pixel tiles).

References
----------
Douglas, D. and Peucker, T. (1973), Algorithms for the reduction of the number of points
required to represent a digitized line or its caricature, Cartographica 10(2), 112-122.
"""

from __future__ import annotations

import copy
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOUNDARIES = ROOT / "data" / "lancashire_lad_dec2023_bgc.geojson"
POLICING_CODES = {"West": "PA-WEST", "South": "PA-SOUTH", "East": "PA-EAST"}

#: Simplification for drawing: 0.0012 degrees is 80 to 130 metres, half a pixel at the map's
#: zoom. Fewer points keep the page light and the map quick to respond to a click.
DRAW_TOLERANCE = 0.0012

#: Label positions moved off the centroid where neighbouring labels would overlap.
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


@dataclass(frozen=True)
class Label:
    """A text label drawn centred on (lon, lat), ``half_width`` x ``half_height`` pixels
    either side of it (its background box included)."""

    lon: float
    lat: float
    half_width: float
    half_height: float


# -- reading ----------------------------------------------------------------------------------
@lru_cache(maxsize=2)
def _load(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_boundaries(path: Path = BOUNDARIES) -> dict:
    """The 14 areas' boundaries (a fresh copy each call, so callers may add properties)."""
    return json.loads(_load(str(path)))


def parts(geometry: dict) -> list[list[list[list[float]]]]:
    """The polygons of a Polygon or MultiPolygon geometry, each a list of rings."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"expected a Polygon or MultiPolygon, not a {geometry['type']}")


# -- simplification -----------------------------------------------------------------------------
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


@lru_cache(maxsize=2)
def _drawn(path: str, tolerance: float) -> str:
    return json.dumps(simplified(json.loads(_load(path)), tolerance))


def drawn_boundaries(path: Path = BOUNDARIES, tolerance: float = DRAW_TOLERANCE) -> dict:
    """The boundaries simplified for drawing (a fresh copy each call)."""
    return json.loads(_drawn(str(path), tolerance))


# -- centroids and outlines -------------------------------------------------------------------
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


def label_position(code: str, geometry: dict) -> tuple[float, float]:
    """Where a district's label goes: its moved position, else its centroid."""
    return LABEL_POSITIONS.get(code) or centroid([geometry])


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
    """min lon, min lat, max lon, max lat of the features' outer rings."""
    xs, ys = [], []
    for feature in boundaries["features"]:
        for polygon in parts(feature["geometry"]):
            for x, y in polygon[0]:
                xs.append(x)
                ys.append(y)
    if not xs:
        raise ValueError("no coordinates to bound")
    return min(xs), min(ys), max(xs), max(ys)


# -- the camera ---------------------------------------------------------------------------------
def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator world coordinates in [0, 1] (x east, y south)."""
    x = (lon + 180.0) / 360.0
    y = (1 - math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / math.pi) / 2
    return x, y


def inverse_mercator(x: float, y: float) -> tuple[float, float]:
    lon = x * 360.0 - 180.0
    lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y))) - math.pi / 2)
    return lon, lat


def pixel_position(
    lon: float, lat: float, view: View, width: float, height: float
) -> tuple[float, float]:
    """Where (lon, lat) is drawn on a ``width`` x ``height`` canvas showing ``view``
    (pixels from the top-left corner; no pitch or bearing)."""
    scale = 512 * 2**view.zoom
    cx, cy = mercator(view.longitude, view.latitude)
    x, y = mercator(lon, lat)
    return width / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale


def label_size(
    text: str,
    font_px: float,
    *,
    char_width: float = 0.62,
    line_height: float = 1.1,
    padding: tuple[float, float] = (4, 2),
) -> tuple[float, float]:
    """Half width and half height in pixels of a label's box: the longest line at
    ``char_width`` ems a character (a generous average for a sans-serif at weight 600), the
    lines at ``line_height``, plus the background padding (x, y) on each side."""
    lines = text.split("\n") or [""]
    width = max(len(line) for line in lines) * char_width * font_px + 2 * padding[0]
    height = len(lines) * line_height * font_px + 2 * padding[1]
    return width / 2, height / 2


def fit_view(
    box: tuple[float, float, float, float],
    width: float,
    height: float,
    padding: float = 16,
    labels: Iterable[Label] = (),
) -> View:
    """The centre and the largest zoom that show ``box`` and every label's whole box inside
    a ``width`` x ``height`` canvas, ``padding`` pixels from its edges.

    Labels keep their pixel size at any zoom while the map scales, so the zoom is found by
    bisection: the pixel extent of the map and its labels grows with the zoom.
    """
    labels = list(labels)
    x0, y1 = mercator(box[0], box[1])
    x1, y0 = mercator(box[2], box[3])
    points = [(x0, y0, 0.0, 0.0), (x1, y1, 0.0, 0.0)] + [
        (*mercator(lab.lon, lab.lat), lab.half_width, lab.half_height) for lab in labels
    ]
    room_w, room_h = max(width - 2 * padding, 1.0), max(height - 2 * padding, 1.0)

    def extent(zoom: float) -> tuple[float, float, float, float]:
        s = 512 * 2**zoom
        left = min(x * s - hw for x, _y, hw, _hh in points)
        right = max(x * s + hw for x, _y, hw, _hh in points)
        top = min(y * s - hh for _x, y, _hw, hh in points)
        bottom = max(y * s + hh for _x, y, _hw, hh in points)
        return left, right, top, bottom

    def fits(zoom: float) -> bool:
        left, right, top, bottom = extent(zoom)
        return right - left <= room_w and bottom - top <= room_h

    # without labels the answer is exact; labels only lower it
    zx = math.log2(room_w / max((x1 - x0) * 512, 1e-12))
    zy = math.log2(room_h / max((y1 - y0) * 512, 1e-12))
    hi = min(zx, zy)
    lo = hi - 8
    if not fits(lo):
        raise ValueError("the labels alone do not fit on the canvas")
    if fits(hi):
        lo = hi
    for _ in range(60):
        if hi - lo < 1e-6:
            break
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    zoom = math.floor(lo * 1000) / 1000  # rounded down: still fits
    left, right, top, bottom = extent(zoom)
    s = 512 * 2**zoom
    lon, lat = inverse_mercator((left + right) / 2 / s, (top + bottom) / 2 / s)
    return View(latitude=lat, longitude=lon, zoom=zoom)
