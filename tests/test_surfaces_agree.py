"""Every surface shows the same published figure: the overview row, the indicator page, the
map's table, the presentation's table, the board pack and the open-data API give the same
value text and status for the same indicator x area x period, as the public and as the
board, and the public ones carry nothing of a hidden figure.

Table-driven over a count (VIO-02, with hidden cells), a percentage (DA-02) and a rate
(DA-01); the board pack is checked for every figure of the quarter (tests/test_board_pack.py
does the same for each audience in detail)."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from csa import config as csa_config
from csa import open_data, publish
from csa.reports import board_pack
from tests.conftest import app_test, open_page, row_title, scorecard_rows
from ui.session import Viewer

BOARD = Viewer(email="chair@lancashire.gov.uk", role="board", name="Board chair")
PERIOD = "2026-27 Q1"
CODES = ["VIO-02", "DA-02", "DA-01"]
AUDIENCES = [("public", None), ("signed_in", BOARD)]
IDS = ["public", "board"]


@pytest.fixture
def truth(app_env):
    key = publish.ensure(app_env, csa_config.load())

    def read(audience: str, **where) -> pd.DataFrame:
        return publish.read(app_env, key, audience, **where)

    return read


def words(status: str) -> str:
    """A status as words: surfaces may put the RAG icon (✖ ▲ ✔ ●) before it."""
    return re.sub(r"^[✖▲✔●]\s*", "", str(status))


def _names(db) -> dict:
    areas = db.areas()
    return dict(zip(areas["name"], areas["code"], strict=True))


@pytest.mark.parametrize(("audience", "viewer"), AUDIENCES, ids=IDS)
def test_indicator_page_map_and_board_pack_agree(app_env, truth, audience, viewer):
    codes_by_name = _names(app_env)
    pack = board_pack.build(
        app_env, PERIOD, "public" if audience == "public" else "board"
    ).figures.set_index(["Indicator code", "Area code"])
    for code in CODES:
        pub = truth(audience, indicators=[code], periods=[PERIOD]).set_index("area_code")
        assert len(pub) == 19, code
        # indicator page: the areas compared
        at = app_test(viewer, query={"indicator": code, "area": "E07000124", "period": PERIOD},
                      run=True, timeout=180)  # fmt: skip
        at = open_page(at, "pages/scorecard/indicator.py")
        table = next(d.value for d in at.dataframe if "Area" in d.value)
        value_col = table.columns[1]
        for row in table.to_dict("records"):
            area = codes_by_name[row["Area"]]
            assert (row[value_col], words(row["Status"])) == (
                pub.loc[area, "value_text"],
                pub.loc[area, "status_text"],
            ), (code, area, "indicator page")
        # map: the figures in words
        at = app_test(viewer, query={"indicator": code, "period": PERIOD}, timeout=180)
        at = open_page(at, "pages/scorecard/map.py")
        mapped = at.table[0].value.reset_index()
        value_col = next(c for c in mapped.columns if str(c).startswith("Value"))
        for row in mapped.to_dict("records"):
            area = codes_by_name[row["Area"]]
            assert (row[value_col], words(row["Status"])) == (
                pub.loc[area, "value_text"],
                pub.loc[area, "status_text"],
            ), (code, area, "map")
        # board pack: every area of the quarter
        for area, fig in pub.iterrows():
            if (code, area) in pack.index:
                row = pack.loc[(code, area)]
                assert (row["Figure"], row["Status"]) == (fig["value_text"], fig["status_text"])


@pytest.mark.parametrize(("audience", "viewer"), AUDIENCES, ids=IDS)
@pytest.mark.parametrize("area", ["PA-EAST", "E07000124"])
def test_overview_rows_are_the_published_figures(app_env, truth, audience, viewer, area):
    at = app_test(viewer, query={"area": area, "period": PERIOD}, timeout=180)
    assert not at.exception
    figures = truth(audience, areas=[area], periods=[PERIOD]).set_index("indicator_code")
    labels = {e.label for e in at.expander}
    rows = scorecard_rows(at)
    indicators = app_env.indicators().set_index("code")
    checked = 0
    for code in CODES:
        if code not in figures.index:
            continue
        fig = figures.loc[code]
        assert f"Why? {indicators.loc[code, 'title']}: {fig['status_text']}" in labels, code
        title = indicators.loc[code, "title"]
        shown = [cells[1] for cells in rows if row_title(cells) == title]
        assert any(
            cell.startswith(f"<strong>{html.escape(fig['value_text'])}</strong>") for cell in shown
        ), code
        checked += 1
    assert checked == len(CODES)


def test_public_surfaces_carry_nothing_of_a_hidden_figure(app_env, truth):
    """VIO-02 in Ribble Valley (2) and Rossendale (14), 2026-27 Q1: no surface a member of the
    public reaches holds their numbers, statuses or target comparisons."""
    signed = truth("signed_in", indicators=["VIO-02"], periods=[PERIOD]).set_index("area_code")
    public = truth("public", indicators=["VIO-02"], periods=[PERIOD]).set_index("area_code")
    hidden = public.index[public["hidden"] != ""]
    assert {"E07000124", "E07000125"} <= set(hidden)
    api = open_data.figures(app_env, csa_config.load(), indicator="VIO-02", period=PERIOD)
    rows = {r["area_code"]: r for r in api.to_dict("records")}
    for area in hidden:
        assert rows[area]["value"] is None and rows[area]["numerator"] is None
        assert rows[area]["value_text"] == public.loc[area, "value_text"]
        assert signed.loc[area, "value_text"] != public.loc[area, "value_text"]
        assert all(rows[area][c] is None for c in open_data.HIDDEN_NUMBERS)
    at = app_test(None, query={"area": "E07000124", "period": PERIOD}, timeout=180)
    title = app_env.indicators().set_index("code").loc["VIO-02", "title"]
    why = next(e for e in at.expander if e.label.startswith(f"Why? {title}:"))
    assert why.label == f"Why? {title}: fewer than 5"
    reasons = " ".join(m.value for m in why.markdown)
    assert "fewer than 5" in reasons
    assert "target" not in reasons and "track" not in reasons
