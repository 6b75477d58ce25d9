"""The map builders (ui/maps.py): colour classes, published figures per area, the one map
builder and the deck, the legend."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from csa import geometry
from ui import format as fmt
from ui import maps

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


def published(values: dict[str, float], hidden: dict[str, str] | None = None, rag="amber"):
    """Published figures as csa.publish writes them: a hidden one has no numbers and its
    value_text and status_text say why."""
    hidden = hidden or {}
    rows = []
    for code, v in values.items():
        why = hidden.get(code, "")
        text = {"primary": "fewer than 5", "complementary": "hidden to protect a small number"}
        rows.append(
            {
                "indicator_code": "VIO-01",
                "area_code": code,
                "period_label": "2025-26 Q1",
                "value": None if why else v,
                "hidden": why,
                "rag": "grey" if why else rag,
                "data_kind": "demo",
                "value_text": text[why] if why else f"{v:.1f}",
                "interval_text": "–" if why else f"{v - 1:.1f} to {v + 1:.1f}",
                "status_text": text[why] if why else "Off track",
                "comparison_text": "" if why else "Similar to Lancashire",
            }
        )
    return pd.DataFrame(rows)


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
VALUES = {code: float(i + 1) for i, code in enumerate(BASE)}  # Blackburn 1 ... Wyre 14


def test_map_rows_show_the_published_texts():
    rows = maps.map_rows(published(VALUES), AREAS, "district", RATE)
    assert list(rows.index) == BASE
    burnley = rows.loc["E07000117"]
    assert burnley["value_text"] == "3.0"
    assert burnley["interval_text"] == "2.0 to 4.0"
    assert burnley["rank_text"] == "3 of 14 (1 = lowest, best)"
    assert burnley["status_text"] == "▲ Off track"  # the published status, RAG icon in front
    assert burnley["comparison_text"] == "Similar to Lancashire"


def test_map_rows_keep_hidden_figures_reasons_and_leave_them_unranked():
    rows = maps.map_rows(
        published(VALUES, {"E07000124": "primary", "E07000125": "complementary"}),
        AREAS,
        "district",
        RATE,
    )
    ribble, rossendale = rows.loc["E07000124"], rows.loc["E07000125"]
    assert ribble["value_text"] == ribble["status_text"] == "fewer than 5"
    assert (
        rossendale["value_text"]
        == rossendale["status_text"]
        == ("hidden to protect a small number")
    )
    for row in (ribble, rossendale):
        assert pd.isna(row["value"]) and row["rank_text"] == "not ranked"
        assert row["interval_text"] == "–" and row["comparison_text"] == ""
    # Wyre (14) is 12th of the 12 shown
    assert rows.loc["E07000128", "rank_text"] == "12 of 12 (1 = lowest, best)"


def test_map_rows_for_policing_areas_and_a_missing_figure():
    values = {"PA-WEST": 3.12, "PA-SOUTH": 2.27}
    rows = maps.map_rows(published(values), AREAS, "policing", RATE)
    assert list(rows.index) == ["PA-WEST", "PA-SOUTH", "PA-EAST"]
    assert rows.loc["PA-SOUTH", "rank_text"] == "1 of 2 (1 = lowest, best)"
    assert rows.loc["PA-EAST", "value_text"] == "no figure"
    assert rows.loc["PA-EAST", "rag"] == "grey"


def test_map_rows_rejects_an_unknown_level():
    with pytest.raises(ValueError, match="level must be one of district, policing"):
        maps.map_rows(published({"PA-WEST": 1.0}), AREAS, "ward", RATE)


# -- the deck ---------------------------------------------------------------------------------
def deck_json(level="district", colour_by="status", rag="red", hidden=None):
    values = VALUES | {"PA-WEST": 5.0, "PA-SOUTH": 6.0, "PA-EAST": 7.0}
    rows = maps.map_rows(published(values, hidden, rag=rag), AREAS, level, RATE)
    deck, classes = maps.build_deck(rows, level, colour_by, RATE, "2025-26 Q1")
    return json.loads(deck.to_json()), classes


def layer(spec, layer_id):
    return next(lay for lay in spec["layers"] if lay["id"] == layer_id)


def test_deck_needs_no_basemap_and_every_layer_has_an_id():
    spec, _ = deck_json()
    # pydeck's "__MAP_STYLE__" marker tells Streamlit to draw no basemap (map_style=None
    # would make it fetch CARTO's tiles); no provider, no token
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__")
    assert spec.get("mapProvider") in (None, "")
    assert "basemaps.cartocdn.com" not in json.dumps(spec)
    ids = [lay.get("id") for lay in spec["layers"]]
    assert ids == [maps.BACKGROUND_LAYER, maps.FILL_LAYER, maps.OUTLINE_LAYER, maps.LABEL_LAYER]
    fill = layer(spec, maps.FILL_LAYER)
    assert fill["pickable"] is True and fill["getFillColor"] == "@@=properties.fill"


def test_deck_colours_areas_by_status_with_icons_in_labels():
    spec, classes = deck_json(rag="red")
    assert classes == []
    features = layer(spec, maps.FILL_LAYER)["data"]["features"]
    burnley = next(f for f in features if f["properties"]["LAD23CD"] == "E07000117")
    props = burnley["properties"]
    assert props["fill"][:3] == maps.hex_to_rgba(fmt.RAG_STYLE["red"][0])[:3]
    assert props["area_code"] == "E07000117"
    assert props["t_value"] == "3.0"
    assert props["t_status"] == "✖ Off track"
    assert props["t_indicator"] == "Violence with injury (per 1,000), 2025-26 Q1 [DEMO DATA]"
    labels = layer(spec, maps.LABEL_LAYER)["data"]
    assert len(labels) == 14
    assert next(lab["text"] for lab in labels if lab["text"].startswith("Burnley")) == (
        "Burnley\n✖ 3.0"
    )


def test_deck_at_policing_level_fills_members_with_their_policing_area():
    spec, classes = deck_json(level="policing", colour_by="value")
    assert classes == [(5.0, 5.0), (6.0, 6.0), (7.0, 7.0)]
    features = layer(spec, maps.FILL_LAYER)["data"]["features"]
    east = [f["properties"] for f in features if f["properties"]["policing_area"] == "East"]
    assert len(east) == 6
    assert {p["area_code"] for p in east} == {"PA-EAST"}
    assert {tuple(p["fill"]) for p in east} == {tuple(maps.hex_to_rgba(maps.SEQUENTIAL[-1], 235))}
    assert {p["t_click"] for p in east} == {"Click to open the policing area's profile"}
    labels = layer(spec, maps.LABEL_LAYER)["data"]
    assert sorted(lab["text"] for lab in labels) == ["East\n7.0", "South\n6.0", "West\n5.0"]


@pytest.mark.parametrize("colour_by", ["status", "value"])
def test_hidden_areas_get_a_neutral_fill_their_reason_and_no_value(colour_by):
    spec, _ = deck_json(
        colour_by=colour_by, hidden={"E07000124": "primary", "E07000125": "complementary"}
    )
    features = layer(spec, maps.FILL_LAYER)["data"]["features"]
    props = {f["properties"]["LAD23CD"]: f["properties"] for f in features}
    assert props["E07000124"]["t_value"] == "fewer than 5"
    assert props["E07000125"]["t_value"] == "hidden to protect a small number"
    for code in ("E07000124", "E07000125"):
        p = props[code]
        assert p["fill"][:3] == maps.hex_to_rgba(maps.SUPPRESSED)[:3]
        assert p["t_ci"] == "–" and p["t_rank"] == "not ranked" and p["t_comparison"] == ""
        shown = " ".join(str(p[k]) for k in p if k.startswith("t_") and k != "t_indicator")
        # their values (10 and 11) appear nowhere; the only digit is the threshold's 5
        assert not re.search(r"\d", shown.replace("fewer than 5", ""))
    labels = {lab["text"] for lab in layer(spec, maps.LABEL_LAYER)["data"]}
    assert "Ribble Valley\nfewer than 5" in labels and "Rossendale\nhidden" in labels


def test_every_tooltip_field_is_a_feature_property():
    fields = set(re.findall(r"{(\w+)}", maps.TOOLTIP_HTML))
    assert {"name", "t_value", "t_ci", "t_rank", "t_status"} <= fields
    spec, _ = deck_json()
    for feature in layer(spec, maps.FILL_LAYER)["data"]["features"]:
        assert fields <= set(feature["properties"])


def test_unknown_colouring_is_refused():
    rows = maps.map_rows(published(VALUES), AREAS, "district", RATE)
    with pytest.raises(ValueError, match="colour_by must be one of status, value"):
        maps.build_deck(rows, "district", "rainbow", RATE, "2025-26 Q1")


@pytest.mark.parametrize("level", ["district", "policing"])
def test_every_label_fits_inside_a_390_px_phone(level):
    """The view leaves every label's box inside the phone's canvas (358 px: 390 less the
    page padding), Blackpool's on the west coast included."""
    spec, _ = deck_json(level=level, hidden={"E07000125": "complementary"})
    v = spec["initialViewState"]
    view = geometry.View(v["latitude"], v["longitude"], v["zoom"])
    labels = layer(spec, maps.LABEL_LAYER)["data"]
    for lab in labels:
        x, y = geometry.pixel_position(*lab["position"], view, maps.FIT_WIDTH, maps.MAP_HEIGHT)
        hw, hh = geometry.label_size(lab["text"], maps.LABEL_PX[level])
        assert 0 <= x - hw and x + hw <= maps.FIT_WIDTH, lab["text"]
        assert 0 <= y - hh and y + hh <= maps.MAP_HEIGHT, lab["text"]
    box = geometry.bounds(geometry.drawn_boundaries())
    for lon in (box[0], box[2]):
        for lat in (box[1], box[3]):
            x, y = geometry.pixel_position(lon, lat, view, maps.FIT_WIDTH, maps.MAP_HEIGHT)
            assert 0 <= x <= maps.FIT_WIDTH and 0 <= y <= maps.MAP_HEIGHT


def test_the_one_builder_draws_any_fill_and_tooltip_frame():
    frame = pd.DataFrame(
        {"name": ["Burnley"], "fill": ["#B30000"], "tip": ["Rank 1"]}, index=["E07000117"]
    )
    deck, _view = maps.build_map(frame, "<b>{name}</b><br/>{tip}", layer_id="x", outlines=False)
    spec = json.loads(deck.to_json())
    assert [lay["id"] for lay in spec["layers"]] == [maps.BACKGROUND_LAYER, "x"]
    props = {
        f["properties"]["LAD23CD"]: f["properties"] for f in spec["layers"][1]["data"]["features"]
    }
    assert props["E07000117"]["tip"] == "Rank 1" and props["E07000117"]["fill"][:3] == [179, 0, 0]
    assert props["E07000118"]["tip"] == "" and props["E07000118"]["fill"][:3] == [255, 255, 255]
    assert spec.get("mapProvider") in (None, "")


# -- the legend -------------------------------------------------------------------------------
def test_status_legend_has_icon_and_words_for_every_colour():
    legend = maps.legend_html("status", [], "rate", 1000, hidden_reasons={"primary"})
    for rag, words in (
        ("red", "Off track"),
        ("amber", "At risk"),
        ("green", "On track"),
        ("grey", "Not judged"),
    ):
        bg, _fg, icon = fmt.RAG_STYLE[rag]
        assert bg in legend and f"{icon} {words}" in legend
    assert "Not shown: fewer than 5" in legend and "to protect" not in legend
    assert "Policing area boundary" in legend


@pytest.mark.parametrize(
    "reasons, words",
    [
        ({"primary"}, "Not shown: fewer than 5"),
        ({"complementary"}, "Not shown: hidden to protect a small number"),
        (
            {"primary", "complementary"},
            "Not shown: fewer than 5 or hidden to protect a small number",
        ),
        (set(), ""),
    ],
)
def test_hidden_legend_words_follow_the_reasons(reasons, words):
    assert maps.hidden_legend(reasons, 5) == words


def test_value_legend_lists_the_classes_with_the_unit():
    classes = [(1.0, 2.5), (2.5, 4.0)]
    legend = maps.legend_html("value", classes, "rate", 1000, missing_any=True)
    assert "Value (per 1,000), lighter = lower" in legend
    assert "1.0 to 2.5" in legend and "2.5 to 4.0" in legend  # csa.formatting: rates
    assert "No figure" in legend


def test_sequential_palette_is_ordered_light_to_dark():
    def luminance(colour):
        return fmt.contrast_ratio(colour, "#000000")

    lum = [luminance(c) for c in maps.SEQUENTIAL]
    assert lum == sorted(lum, reverse=True)
