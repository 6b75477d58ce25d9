"""The map builders (ui/maps.py): geometry, colour classes, figures per area, the deck."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from ui import format as fmt
from ui import maps

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
RIGHT = {"type": "Polygon", "coordinates": [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]]}
BIG = {"type": "Polygon", "coordinates": [[[10, 0], [13, 0], [13, 3], [10, 3], [10, 0]]]}

AREAS = pd.DataFrame(
    {
        "code": [
            "E23000003",
            "PA-WEST",
            "PA-SOUTH",
            "PA-EAST",
            "E06000008",
            "E06000009",
            "E07000117",
            "E07000118",
            "E07000119",
            "E07000120",
            "E07000121",
            "E07000122",
            "E07000123",
            "E07000124",
            "E07000125",
            "E07000126",
            "E07000127",
            "E07000128",
        ],
        "name": [
            "Pan-Lancashire",
            "West policing area",
            "South policing area",
            "East policing area",
            "Blackburn with Darwen",
            "Blackpool",
            "Burnley",
            "Chorley",
            "Fylde",
            "Hyndburn",
            "Lancaster",
            "Pendle",
            "Preston",
            "Ribble Valley",
            "Rossendale",
            "South Ribble",
            "West Lancashire",
            "Wyre",
        ],
        "kind": ["pan"] + ["policing_area"] * 3 + ["unitary"] * 2 + ["district"] * 12,
    }
)
BASE = list(AREAS.loc[AREAS["kind"].isin(["district", "unitary"]), "code"])
RATE = {
    "code": "VIO-01",
    "title": "Violence with injury",
    "unit": "rate",
    "multiplier": 1000,
    "polarity": "low_is_good",
    "data_kind": "demo",
}


def verdict_frame(
    values: dict[str, float],
    numerators: dict[str, float] | None = None,
    rag: str = "amber",
    label: str = "Similar to Lancashire",
) -> pd.DataFrame:
    codes = list(values)
    return pd.DataFrame(
        {
            "indicator_code": "VIO-01",
            "area_code": codes,
            "period_label": "2025-26 Q1",
            "value": [values[c] for c in codes],
            "lower": [values[c] - 1 for c in codes],
            "upper": [values[c] + 1 for c in codes],
            "numerator": [(numerators or {}).get(c, 100.0) for c in codes],
            "rag": rag,
            "label": label,
            "comparison": "similar",
        }
    )


# -- geometry -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "geometry, n_parts",
    [
        (SQUARE, 1),
        ({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], RIGHT["coordinates"]]}, 2),
    ],
)
def test_parts(geometry, n_parts):
    assert len(maps.parts(geometry)) == n_parts


def test_parts_rejects_other_geometries():
    with pytest.raises(ValueError, match="expected a Polygon or MultiPolygon, not a Point"):
        maps.parts({"type": "Point", "coordinates": [0, 0]})


@pytest.mark.parametrize(
    "ring, area, cx, cy",
    [
        ([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]], 1.0, 0.5, 0.5),  # anticlockwise
        ([[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]], -4.0, 1.0, 1.0),  # clockwise
        ([[0, 0], [3, 0], [0, 3], [0, 0]], 4.5, 1.0, 1.0),  # triangle: mean
    ],
)
def test_ring_area_centroid(ring, area, cx, cy):
    a, x, y = maps.ring_area_centroid(ring)
    assert (a, x, y) == pytest.approx((area, cx, cy))


def test_centroid_is_weighted_by_area():
    # unit square centred (0.5, 0.5) with area 1; 3x3 square centred (11.5, 1.5) area 9:
    # x = (0.5 + 9 * 11.5) / 10 = 10.4, y = (0.5 + 9 * 1.5) / 10 = 1.4
    assert maps.centroid([SQUARE, BIG]) == pytest.approx((10.4, 1.4))


def test_outline_of_two_touching_squares_drops_the_shared_edge():
    paths = maps.outline_paths([SQUARE, RIGHT])
    assert len(paths) == 1
    path = paths[0]
    assert path[0] == path[-1]  # closed
    assert len(path) == 7  # 6 outer unit edges
    edges = {frozenset(map(tuple, pair)) for pair in zip(path, path[1:], strict=False)}
    assert frozenset({(1, 0), (1, 1)}) not in edges  # the shared edge is gone
    assert {frozenset({(0, 0), (1, 0)}), frozenset({(2, 1), (2, 0)})} <= edges


def test_outline_of_separate_polygons_keeps_both():
    assert len(maps.outline_paths([SQUARE, BIG])) == 2


def test_bundled_boundaries_have_the_14_areas_in_three_policing_areas():
    b = maps.load_boundaries()
    codes = {f["properties"]["LAD23CD"] for f in b["features"]}
    assert codes == set(BASE)
    groups = maps.policing_groups(b)
    assert {k: len(v) for k, v in groups.items()} == {"PA-WEST": 4, "PA-SOUTH": 4, "PA-EAST": 6}


def test_policing_outline_leaves_out_borders_inside_a_policing_area():
    """Burnley and Pendle (both East) share a border: it is no part of East's outline.
    Preston (South) and Ribble Valley (East) share one too, and both outlines draw it."""
    b = maps.load_boundaries()
    geom = {f["properties"]["LAD23NM"]: f["geometry"] for f in b["features"]}

    def edges(geometries):
        out = set()
        for g in geometries:
            for polygon in maps.parts(g):
                for ring in polygon:
                    for a, c in zip(ring, ring[1:], strict=False):
                        out.add(maps._edge(a, c, 5))
        return out

    def outline_edges(code):
        rows = [r for r in maps.policing_outlines() if r["code"] == code]
        return {
            maps._edge(a, c, 5)
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
    east_paths = [r["path"] for r in maps.policing_outlines() if r["code"] == "PA-EAST"]
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
    view = maps.View(latitude=0, longitude=0, zoom=0)
    assert maps.pixel_position(lon, lat, view, 512, 512) == pytest.approx(expected, abs=1e-6)


def test_fit_view_keeps_the_whole_county_on_the_canvas():
    box = maps.bounds(maps.load_boundaries())
    view = maps.fit_view(box, 560, 560, padding=16)
    corners = [
        maps.pixel_position(x, y, view, 560, 560)
        for x in (box[0], box[2])
        for y in (box[1], box[3])
    ]
    assert all(15.5 <= px <= 544.5 and 15.5 <= py <= 544.5 for px, py in corners)
    # height limits the zoom: top and bottom edges touch the padding
    ys = sorted(py for _px, py in corners)
    assert ys[0] == pytest.approx(16, abs=0.5) and ys[-1] == pytest.approx(544, abs=0.5)
    assert 53.8 < view.latitude < 53.9 and -2.6 < view.longitude < -2.5


# -- colour classes ---------------------------------------------------------------------------
def test_value_classes_are_quintiles():
    classes = maps.value_classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    # numpy's linear quantiles of 1..11: 1, 3, 5, 7, 9, 11
    assert [lim for pair in classes for lim in pair] == pytest.approx(
        [1, 3, 3, 5, 5, 7, 7, 9, 9, 11]
    )
    assert [maps.value_class(v, classes) for v in (1, 3, 3.5, 11)] == [0, 0, 1, 4]


@pytest.mark.parametrize(
    "values, expected",
    [
        ([3.28, 2.27, 3.12], [(2.27, 2.27), (3.12, 3.12), (3.28, 3.28)]),  # 3 policing areas
        ([4, 4, 4], [(4, 4)]),
        ([None, float("nan")], []),
    ],
)
def test_few_values_get_a_class_each(values, expected):
    assert maps.value_classes(values) == expected


def test_value_colours_run_light_to_dark_and_missing_is_white():
    classes = maps.value_classes([1, 2, 3])
    assert maps.value_colours([1, 3, None], classes) == [
        maps.SEQUENTIAL[0],
        maps.SEQUENTIAL[-1],
        maps.NO_FIGURE,
    ]


@pytest.mark.parametrize(
    "polarity, expected",
    [
        ("low_is_good", [3, 1, 1, 4]),
        ("high_is_good", [2, 3, 3, 1]),
        ("no_judgement", [2, 3, 3, 1]),
    ],
)
def test_ranks(polarity, expected):
    assert list(maps.ranks(pd.Series([5.0, 3.0, 3.0, 9.0]), polarity)) == expected


# -- figures per area -------------------------------------------------------------------------
def test_map_rows_for_the_14_areas():
    values = {code: float(i + 1) for i, code in enumerate(BASE)}  # Blackburn 1 ... Wyre 14
    rows = maps.map_rows(verdict_frame(values), AREAS, "district", RATE)
    assert list(rows.index) == BASE
    burnley = rows.loc["E07000117"]
    assert burnley["value_text"] == "3.00 per 1,000"
    assert burnley["ci_text"] == "2.00 to 4.00"
    assert burnley["rank_text"] == "3 of 14 (1 = lowest, best)"
    assert burnley["status_text"] == "▲ Similar to Lancashire"


def test_map_rows_withhold_suppressed_figures_from_ranks_and_text():
    values = {code: float(i + 1) for i, code in enumerate(BASE)}
    rows = maps.map_rows(
        verdict_frame(values), AREAS, "district", RATE, suppressed={"E06000008"}, threshold=5
    )
    bwd = rows.loc["E06000008"]
    assert bwd["suppressed"]
    assert bwd["value_text"] == "<5 events"
    assert bwd["ci_text"] == "not shown: a small number"
    assert bwd["rank_text"] == "not ranked"
    assert "3.00" not in " ".join(bwd[["value_text", "ci_text", "status_text"]])
    # Blackpool (2.0) is now the lowest of the 13 shown
    assert rows.loc["E06000009", "rank_text"] == "1 of 13 (1 = lowest, best)"


def test_map_rows_for_policing_areas_and_a_missing_figure():
    values = {"PA-WEST": 3.12, "PA-SOUTH": 2.27}
    rows = maps.map_rows(verdict_frame(values), AREAS, "policing", RATE)
    assert list(rows.index) == ["PA-WEST", "PA-SOUTH", "PA-EAST"]
    assert rows.loc["PA-SOUTH", "rank_text"] == "1 of 2 (1 = lowest, best)"
    assert rows.loc["PA-EAST", "value_text"] == "No figure"
    assert rows.loc["PA-EAST", "rag"] == "grey"


def test_map_rows_rejects_an_unknown_level():
    with pytest.raises(ValueError, match="level must be one of district, policing"):
        maps.map_rows(verdict_frame({"PA-WEST": 1.0}), AREAS, "ward", RATE)


# -- the deck ---------------------------------------------------------------------------------
def deck_json(level="district", colour_by="status", rag="red", suppressed=None):
    values = {code: float(i + 1) for i, code in enumerate(BASE)}
    values |= {"PA-WEST": 5.0, "PA-SOUTH": 6.0, "PA-EAST": 7.0}
    rows = maps.map_rows(
        verdict_frame(values, rag=rag, label="Off track"), AREAS, level, RATE, suppressed=suppressed
    )
    deck, classes = maps.build_deck(rows, level, colour_by, RATE, "2025-26 Q1")
    return json.loads(deck.to_json()), classes


def test_deck_needs_no_basemap_and_every_layer_has_an_id():
    spec, _ = deck_json()
    # pydeck's "__MAP_STYLE__" marker tells Streamlit to draw no basemap (map_style=None
    # would make it fetch CARTO's tiles); no provider, no token
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__")
    assert spec.get("mapProvider") in (None, "")
    assert "basemaps.cartocdn.com" not in json.dumps(spec)
    ids = [layer.get("id") for layer in spec["layers"]]
    assert ids == [maps.BACKGROUND_LAYER, maps.FILL_LAYER, maps.OUTLINE_LAYER, maps.LABEL_LAYER]
    fill = spec["layers"][1]
    assert fill["pickable"] is True and fill["getFillColor"] == "@@=properties.fill"


def test_deck_colours_areas_by_status_with_icons_in_labels():
    spec, classes = deck_json(rag="red")
    assert classes == []
    features = spec["layers"][1]["data"]["features"]
    burnley = next(f for f in features if f["properties"]["LAD23CD"] == "E07000117")
    props = burnley["properties"]
    assert props["fill"][:3] == maps.hex_to_rgba(fmt.RAG_STYLE["red"][0])[:3]
    assert props["area_code"] == "E07000117"
    assert props["t_value"] == "3.00 per 1,000"
    assert props["t_status"] == "✖ Off track"
    assert props["t_indicator"] == "Violence with injury, 2025-26 Q1 [DEMO DATA]"
    labels = spec["layers"][3]["data"]
    assert len(labels) == 14
    assert (
        next(lab["text"] for lab in labels if lab["text"].startswith("Burnley"))
        == "Burnley\n✖ 3.00"
    )


def test_deck_at_policing_level_fills_members_with_their_policing_area():
    spec, classes = deck_json(level="policing", colour_by="value")
    assert classes == [(5.0, 5.0), (6.0, 6.0), (7.0, 7.0)]
    features = spec["layers"][1]["data"]["features"]
    east = [f["properties"] for f in features if f["properties"]["policing_area"] == "East"]
    assert len(east) == 6
    assert {p["area_code"] for p in east} == {"PA-EAST"}
    assert {tuple(p["fill"]) for p in east} == {tuple(maps.hex_to_rgba(maps.SEQUENTIAL[-1], 235))}
    assert {p["t_click"] for p in east} == {"Click to open the policing area's profile"}
    labels = spec["layers"][3]["data"]
    assert sorted(lab["text"] for lab in labels) == ["East\n7.00", "South\n6.00", "West\n5.00"]


def test_deck_greys_out_suppressed_areas():
    spec, _ = deck_json(colour_by="value", suppressed={"E07000117"})
    features = spec["layers"][1]["data"]["features"]
    burnley = next(f["properties"] for f in features if f["properties"]["LAD23CD"] == "E07000117")
    assert burnley["fill"][:3] == maps.hex_to_rgba(maps.SUPPRESSED)[:3]
    assert burnley["t_value"] == "<5 events"


def test_every_tooltip_field_is_a_feature_property():
    fields = set(re.findall(r"{(\w+)}", maps.TOOLTIP_HTML))
    assert {"name", "t_value", "t_ci", "t_rank", "t_status"} <= fields
    spec, _ = deck_json()
    for feature in spec["layers"][1]["data"]["features"]:
        assert fields <= set(feature["properties"])


def test_unknown_colouring_is_refused():
    rows = maps.map_rows(verdict_frame({c: 1.0 for c in BASE}), AREAS, "district", RATE)
    with pytest.raises(ValueError, match="colour_by must be one of status, value"):
        maps.build_deck(rows, "district", "rainbow", RATE, "2025-26 Q1")


# -- the legend -------------------------------------------------------------------------------
def test_status_legend_has_icon_and_words_for_every_colour():
    legend = maps.legend_html("status", [], "rate", 1000, suppressed_any=True)
    for rag, words in (
        ("red", "Off track"),
        ("amber", "At risk"),
        ("green", "On track"),
        ("grey", "Not judged"),
    ):
        bg, _fg, icon = fmt.RAG_STYLE[rag]
        assert bg in legend and f"{icon} {words}" in legend
    assert "Not shown: fewer than 5" in legend
    assert "Policing area boundary" in legend


def test_value_legend_lists_the_classes_with_the_unit():
    classes = [(1.0, 2.5), (2.5, 4.0)]
    legend = maps.legend_html("value", classes, "rate", 1000, missing_any=True)
    assert "Value (per 1,000), lighter = lower" in legend
    assert "1.00 to 2.50" in legend and "2.50 to 4.00" in legend
    assert "No figure" in legend


def test_sequential_palette_is_ordered_light_to_dark():
    def luminance(colour):
        return fmt.contrast_ratio(colour, "#000000")

    lum = [luminance(c) for c in maps.SEQUENTIAL]
    assert lum == sorted(lum, reverse=True)


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
    assert maps.simplify_line(points, tolerance) == expected


def test_drawn_boundaries_are_lighter_but_the_same_shapes():
    full, drawn = maps.load_boundaries(), maps.drawn_boundaries()

    def count(b):
        return sum(len(r) for f in b["features"] for p in maps.parts(f["geometry"]) for r in p)

    assert count(drawn) < count(full) / 2
    for f_full, f_drawn in zip(full["features"], drawn["features"], strict=True):
        assert f_full["properties"] == f_drawn["properties"]
        original = [r for p in maps.parts(f_full["geometry"]) for r in p]
        for polygon in maps.parts(f_drawn["geometry"]):
            for ring in polygon:
                assert ring[0] == ring[-1]
                assert len(ring) >= 4 or ring in original  # the data has a 3-point sliver
        a = maps.centroid([f_full["geometry"]])
        b = maps.centroid([f_drawn["geometry"]])
        assert a == pytest.approx(b, abs=0.002)  # well under a pixel at the map's zoom
    assert maps.bounds(drawn) == pytest.approx(maps.bounds(full), abs=0.002)
