"""csa/geometry.py: boundaries, simplification, centroids, outlines, bounds and the camera,
hand-worked on tiny polygons and checked on the bundled boundaries."""

from __future__ import annotations

import pytest

from csa import geometry

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
RIGHT = {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}
BIG = {"type": "Polygon", "coordinates": [[[10, 0], [13, 0], [13, 3], [10, 3], [10, 0]]]}
BASE = [
    "E06000008", "E06000009", "E07000117", "E07000118", "E07000119", "E07000120", "E07000121",
    "E07000122", "E07000123", "E07000124", "E07000125", "E07000126", "E07000127", "E07000128",
]  # fmt: skip


# -- geometry -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "shape, n_parts",
    [
        (SQUARE, 1),
        ({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], RIGHT["coordinates"]]}, 2),
    ],
)
def test_parts(shape, n_parts):
    assert len(geometry.parts(shape)) == n_parts


def test_parts_rejects_other_geometries():
    with pytest.raises(ValueError, match="expected a Polygon or MultiPolygon, not a Point"):
        geometry.parts({"type": "Point", "coordinates": [0, 0]})


@pytest.mark.parametrize(
    "ring, area, cx, cy",
    [
        ([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], 1.0, 0.5, 0.5),  # anticlockwise
        ([[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]], -4.0, 1.0, 1.0),  # clockwise
        ([[0, 0], [3, 0], [0, 3], [0, 0]], 4.5, 1.0, 1.0),  # triangle: mean
    ],
)
def test_ring_area_centroid(ring, area, cx, cy):
    a, x, y = geometry.ring_area_centroid(ring)
    assert (a, x, y) == pytest.approx((area, cx, cy))


def test_centroid_is_weighted_by_area():
    # unit square centred (0.5, 0.5) with area 1; 3x3 square centred (11.5, 1.5) area 9:
    # x = (0.5 + 9 * 11.5) / 10 = 10.4, y = (0.5 + 9 * 1.5) / 10 = 1.4
    assert geometry.centroid([SQUARE, BIG]) == pytest.approx((10.4, 1.4))


def test_outline_of_two_touching_squares_drops_the_shared_edge():
    paths = geometry.outline_paths([SQUARE, RIGHT])
    assert len(paths) == 1
    path = paths[0]
    assert path[0] == path[-1]  # closed
    assert len(path) == 7  # 6 outer unit edges
    edges = {frozenset(map(tuple, pair)) for pair in zip(path, path[1:], strict=False)}
    assert frozenset({(1, 0), (1, 1)}) not in edges  # the shared edge is gone
    assert {frozenset({(0, 0), (1, 0)}), frozenset({(2, 1), (2, 0)})} <= edges


def test_outline_of_separate_polygons_keeps_both():
    assert len(geometry.outline_paths([SQUARE, BIG])) == 2


def test_bundled_boundaries_have_the_14_areas_in_three_policing_areas():
    b = geometry.load_boundaries()
    codes = {f["properties"]["LAD23CD"] for f in b["features"]}
    assert codes == set(BASE)
    groups = geometry.policing_groups(b)
    assert {k: len(v) for k, v in groups.items()} == {"PA-WEST": 4, "PA-SOUTH": 4, "PA-EAST": 6}


def test_policing_outline_leaves_out_borders_inside_a_policing_area():
    """Burnley and Pendle (both East) share a border: it is no part of East's outline.
    Preston (South) and Ribble Valley (East) share one too, and both outlines draw it."""
    b = geometry.load_boundaries()
    geom = {f["properties"]["LAD23NM"]: f["geometry"] for f in b["features"]}

    def edges(geometries):
        out = set()
        for g in geometries:
            for polygon in geometry.parts(g):
                for ring in polygon:
                    for a, c in zip(ring, ring[1:], strict=False):
                        out.add(geometry._edge(a, c, 5))
        return out

    def outline_edges(code):
        rows = [r for r in geometry.policing_outlines() if r["code"] == code]
        return {
            geometry._edge(a, c, 5)
            for r in rows
            for a, c in zip(r["path"], r["path"][1:], strict=False)
        }

    burnley_pendle = edges([geom["Burnley"]]) & edges([geom["Pendle"]])
    preston_ribble = edges([geom["Preston"]]) & edges([geom["Ribble Valley"]])
    assert burnley_pendle and preston_ribble
    east, south = outline_edges("PA-EAST"), outline_edges("PA-SOUTH")
    assert not burnley_pendle & east
    assert preston_ribble <= east and preston_ribble <= south
    # East is one piece: its outline is a single closed path
    east_paths = [r["path"] for r in geometry.policing_outlines() if r["code"] == "PA-EAST"]
    assert len(east_paths) == 1 and east_paths[0][0] == east_paths[0][-1]


# -- the camera -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "lon, lat, expected",
    [
        (0, 0, (256, 256)),  # the centre of the view
        (90, 0, (384, 256)),  # a quarter of the world east: 512 / 4 pixels
        (-180, 0, (0, 256)),
        (0, 85.0511287798, (256, 0)),  # the top edge of the Web Mercator world
    ],
)
def test_pixel_position_at_zoom_0(lon, lat, expected):
    view = geometry.View(latitude=0, longitude=0, zoom=0)
    assert geometry.pixel_position(lon, lat, view, 512, 512) == pytest.approx(expected, abs=1e-6)


def test_fit_view_keeps_the_whole_county_on_the_canvas():
    box = geometry.bounds(geometry.load_boundaries())
    view = geometry.fit_view(box, 560, 560, padding=16)
    corners = [
        geometry.pixel_position(x, y, view, 560, 560)
        for x in (box[0], box[2])
        for y in (box[1], box[3])
    ]
    assert all(15.5 <= px <= 544.5 and 15.5 <= py <= 544.5 for px, py in corners)
    # height limits the zoom: top and bottom edges touch the padding
    ys = sorted(py for _px, py in corners)
    assert ys[0] == pytest.approx(16, abs=0.5) and ys[-1] == pytest.approx(544, abs=0.5)
    assert 53.8 < view.latitude < 53.9 and -2.6 < view.longitude < -2.5


# -- simplification for drawing ---------------------------------------------------------------
@pytest.mark.parametrize(
    "points, tolerance, expected",
    [
        ([[0, 0], [1, 0.01], [2, 0]], 0.1, [[0, 0], [2, 0]]),  # a bump under tolerance
        ([[0, 0], [1, 0.5], [2, 0]], 0.1, [[0, 0], [1, 0.5], [2, 0]]),  # one over it stays
        ([[0, 0], [1, 0], [2, 0], [3, 0]], 0.0, [[0, 0], [3, 0]]),  # collinear points go
    ],
)
def test_simplify_line(points, tolerance, expected):
    assert geometry.simplify_line(points, tolerance) == expected


def test_drawn_boundaries_are_lighter_but_the_same_shapes():
    full, drawn = geometry.load_boundaries(), geometry.drawn_boundaries()

    def count(b):
        return sum(len(r) for f in b["features"] for p in geometry.parts(f["geometry"]) for r in p)

    assert count(drawn) < count(full) / 2
    for f_full, f_drawn in zip(full["features"], drawn["features"], strict=True):
        assert f_full["properties"] == f_drawn["properties"]
        original = [r for p in geometry.parts(f_full["geometry"]) for r in p]
        for polygon in geometry.parts(f_drawn["geometry"]):
            for ring in polygon:
                assert ring[0] == ring[-1]
                assert len(ring) >= 4 or ring in original  # the data has a 3-point sliver
        a = geometry.centroid([f_full["geometry"]])
        b = geometry.centroid([f_drawn["geometry"]])
        assert a == pytest.approx(b, abs=0.002)  # well under a pixel at the map's zoom
    assert geometry.bounds(drawn) == pytest.approx(geometry.bounds(full), abs=0.002)


# -- bounds, label boxes and the fitted view ----------------------------------------------------
def feature_collection(*geometries):
    return {"features": [{"properties": {}, "geometry": g} for g in geometries]}


@pytest.mark.parametrize(
    "geometries, expected",
    [
        ([SQUARE], (0, 0, 1, 1)),
        ([SQUARE, RIGHT], (0, 0, 2, 1)),
        ([RIGHT, BIG], (1, 0, 13, 3)),
        # a triangle: the corners it reaches, not a hull
        (
            [{"type": "Polygon", "coordinates": [[[-2, 1], [3, -4], [0, 5], [-2, 1]]]}],
            (-2, -4, 3, 5),
        ),
    ],
)
def test_bounds_of_tiny_polygons(geometries, expected):
    assert geometry.bounds(feature_collection(*geometries)) == expected


def test_bounds_of_nothing_is_refused():
    with pytest.raises(ValueError, match="no coordinates to bound"):
        geometry.bounds({"features": []})


@pytest.mark.parametrize(
    "text, px, expected",
    [
        # one line of 10 characters at 10 px: 10 * 0.62 * 10 + 2 * 4 = 70 wide, 11 + 4 high
        ("Blackpool!", 10, (35.0, 7.5)),
        # two lines: the longer (5) sets the width 5 * 6.2 + 8 = 39; 2 * 11 + 4 = 26 high
        ("Wyre\n12345", 10, (19.5, 13.0)),
    ],
)
def test_label_size(text, px, expected):
    assert geometry.label_size(text, px) == pytest.approx(expected)


def test_fit_view_of_a_box_on_the_equator_is_worked_out_by_hand():
    # 0..90 degrees east is a quarter of the world: 128 px at zoom 0. A 272-px canvas with
    # 8 px padding leaves 256 px, so zoom 1; the centre is 45 E. Latitudes -1..1 are short.
    view = geometry.fit_view((0, -1, 90, 1), 272, 272, padding=8)
    assert view.zoom == pytest.approx(1.0, abs=1e-3)
    assert (view.longitude, view.latitude) == pytest.approx((45.0, 0.0), abs=1e-3)


def test_a_label_beyond_the_box_shrinks_the_view_and_moves_its_centre():
    # a label 64 px wide (half 32) centred on the box's east edge: at zoom z the box is
    # 128 * 2**z px wide and the label adds 32 px on the east, so 128 * 2**z + 32 = 256,
    # z = log2(224 / 128) = 0.807; the centre moves 16 px east of 45 E.
    label = geometry.Label(lon=90, lat=0, half_width=32, half_height=5)
    view = geometry.fit_view((0, -1, 90, 1), 272, 272, padding=8, labels=[label])
    assert view.zoom == pytest.approx(0.807, abs=1e-3)
    x, _y = geometry.pixel_position(90, 0, view, 272, 272)
    assert x + 32 == pytest.approx(264, abs=0.3)  # the label's east edge on the padding
    west, _ = geometry.pixel_position(0, 0, view, 272, 272)
    assert west == pytest.approx(8, abs=0.3)


def test_labels_alone_too_big_for_the_canvas_are_refused():
    label = geometry.Label(lon=0, lat=0, half_width=500, half_height=5)
    with pytest.raises(ValueError, match="the labels alone do not fit"):
        geometry.fit_view((0, -1, 90, 1), 272, 272, labels=[label])


def test_label_position_uses_the_moved_position_or_the_centroid():
    assert geometry.label_position("E06000009", SQUARE) == (-3.035, 53.842)  # Blackpool
    assert geometry.label_position("X", SQUARE) == pytest.approx((0.5, 0.5))
