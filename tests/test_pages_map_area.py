"""AppTest of the map and area profile pages: the figures shown, worked out by hand from the
seeded observations, public suppression, restricted indicators and the embed.

The pages never write, so the module shares one seeded database: the assessment is cached
on the database URL and its data version, and is worked out once for all the tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from csa.db import Database
from ui.session import Viewer

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BOARD = Viewer(email="chair@lancashire.gov.uk", role="board", name="Board chair")
QUARTER = "2026-27 Q2"
YEAR = "YE Jun 2025"
BURNLEY, BLACKBURN = "E07000117", "E06000008"
EAST = ["E06000008", "E07000117", "E07000120", "E07000122", "E07000124", "E07000125"]


@pytest.fixture(scope="module")
def shared_db(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("pages-map-area") / "csa.db"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    url = f"sqlite:///{path}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CSA_DATABASE_URL", url)
        db = Database(url)
        yield db
        db.dispose()


@pytest.fixture(scope="module")
def observations(shared_db) -> pd.DataFrame:
    return shared_db.observations()


def figure(obs: pd.DataFrame, code: str, period: str, areas: list[str]) -> tuple[float, float]:
    rows = obs[
        (obs["indicator_code"] == code)
        & (obs["period_label"] == period)
        & obs["area_code"].isin(areas)
    ]
    assert len(rows) == len(areas)
    return float(rows["numerator"].sum()), float(rows["denominator"].sum())


def shown(x: float) -> str:
    """How ui.format.number writes a rate: 2 decimals below 100, none from 100."""
    return f"{x:,.2f}" if abs(x) < 100 else f"{x:,.0f}"


def run(
    page: str, query: dict | None = None, viewer: Viewer | None = None, embedded: bool = False
) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if viewer is not None:
        at.session_state["viewer"] = viewer
    if embedded:
        at.context["is_embedded"] = True
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def text_of(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [s.value for s in at.subheader]
        + [e.label for e in at.expander]
    )


def map_table(at: AppTest) -> pd.DataFrame:
    assert len(at.dataframe) == 1
    return at.dataframe[0].value.set_index("Area")


# -- map ----------------------------------------------------------------------------------------
def test_map_shows_each_districts_real_figure(shared_db, observations):
    at = run("pages/scorecard/map.py", {"indicator": "REC-TOTAL", "period": YEAR})
    assert at.title[0].value == "Map"
    assert at.subheader[0].value == f"Total recorded crime (excluding fraud), {YEAR}"
    table = map_table(at)
    assert len(table) == 14
    num, den = figure(observations, "REC-TOTAL", YEAR, [BURNLEY])
    assert table.loc["Burnley", "Value"] == f"{shown(num / den * 1000)} per 1,000"
    assert table.loc["Burnley", "Rank"].endswith("of 14 (1 = lowest, best)")
    legend = next(m.value for m in at.markdown if "Map legend" in m.value)
    assert "✖ Off track / worse than Lancashire" in legend
    assert "Policing area boundary" in legend


def test_map_policing_areas_are_added_up_from_numerators_and_denominators(shared_db, observations):
    at = run(
        "pages/scorecard/map.py", {"indicator": "VIO-01", "period": QUARTER, "level": "policing"}
    )
    table = map_table(at)
    assert list(table.index) == ["West policing area", "South policing area", "East policing area"]
    num, den = figure(observations, "VIO-01", QUARTER, EAST)
    assert table.loc["East policing area", "Value"] == f"{shown(num / den * 1000)} per 1,000"
    assert table.loc["East policing area", "Rank"].endswith("of 3 (1 = lowest, best)")
    assert "DEMO DATA" in text_of(at)


@pytest.mark.parametrize("viewer, visible", [(None, False), (BOARD, True)])
def test_map_hides_small_counts_from_the_public(shared_db, observations, viewer, visible):
    at = run("pages/scorecard/map.py", {"indicator": "REC-HOM", "period": YEAR}, viewer=viewer)
    table = map_table(at)
    num, den = figure(observations, "REC-HOM", YEAR, [BLACKBURN])
    assert 0 < num < 5  # the bundled data: 3 homicides in Blackburn with Darwen
    if visible:
        assert table.loc["Blackburn with Darwen", "Value"] == f"{shown(num / den * 1000)} per 1,000"
    else:
        assert table.loc["Blackburn with Darwen", "Value"] == "<5 events"
        assert table.loc["Blackburn with Darwen", "95% CI"] == "not shown: a small number"
        assert table.loc["Blackburn with Darwen", "Rank"] == "not ranked"


@pytest.mark.parametrize(
    "viewer, embedded, visible", [(None, False, False), (None, True, False), (BOARD, False, True)]
)
def test_map_offers_restricted_indicators_only_to_those_allowed(
    shared_db, viewer, embedded, visible
):
    at = run("pages/scorecard/map.py", viewer=viewer, embedded=embedded)
    options = at.selectbox(key="qp_indicator").options
    assert any(o.startswith("DA-01") for o in options)
    assert any(o.startswith("SOC-01") for o in options) is visible


def test_map_colours_by_value_with_a_legend_of_classes(shared_db):
    at = run(
        "pages/scorecard/map.py", {"indicator": "VIO-01", "period": QUARTER, "colour": "value"}
    )
    legend = next(m.value for m in at.markdown if "Map legend" in m.value)
    assert "Value (per 1,000), lighter = lower" in legend
    assert legend.count(" to ") == 5  # five quintile classes


def test_map_opens_an_area_profile(shared_db):
    at = run("pages/scorecard/map.py", {"indicator": "VIO-01", "period": QUARTER})
    at.selectbox(key="map_profile_choice").set_value(BURNLEY)
    at.button[0].click()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Area profile"
    assert at.query_params["area"] == [BURNLEY] or at.query_params["area"] == BURNLEY
    assert "How Burnley compares with Lancashire" in text_of(at)


# -- area profile -------------------------------------------------------------------------------
def test_area_profile_shows_every_indicator_against_lancashire(shared_db, observations):
    at = run("pages/scorecard/area.py", {"area": BURNLEY, "period": QUARTER})
    assert at.title[0].value == "Area profile"
    text = text_of(at)
    assert "How Burnley compares with Lancashire" in text
    # real recorded crime at YE Jun 2025 and the demo CSA indicators at the quarter
    num, den = figure(observations, "REC-TOTAL", YEAR, [BURNLEY])
    assert f"{shown(num / den * 1000)}" in text
    lanc_num, lanc_den = figure(
        observations,
        "REC-TOTAL",
        YEAR,
        list(observations.loc[observations["indicator_code"] == "REC-TOTAL", "area_code"].unique()),
    )
    assert f"<td>{shown(lanc_num / lanc_den * 1000)}</td>" in text  # Lancashire incl. unassigned
    assert "DEMO DATA" in text
    # one "Why?" per indicator shown: 11 public quarterly demo indicators and 23 recorded
    # crime groups (ASB-01 and the police.uk categories are monthly: no figure in a quarter)
    whys = [e.label for e in at.expander if e.label.startswith("Why?")]
    assert len(whys) == 34
    assert any(w.startswith("Why? VIO-01 Violence with injury: ") for w in whys)
    metrics = {m.label: int(m.value) for m in at.metric}
    assert set(metrics) == {
        "▼ Worse than Lancashire",
        "● Similar to Lancashire",
        "▲ Better than Lancashire",
        "✖ Off track against a target",
        "⚠ Critical: plan required",
    }
    compared = (
        metrics["▼ Worse than Lancashire"]
        + metrics["● Similar to Lancashire"]
        + metrics["▲ Better than Lancashire"]
    )
    assert 0 < compared <= 35


def test_area_profile_reasons_are_in_words(shared_db):
    at = run("pages/scorecard/area.py", {"area": BURNLEY, "period": QUARTER})
    why = next(e for e in at.expander if e.label.startswith("Why? VIO-01"))
    reasons = " ".join(m.value for m in why.markdown)
    assert "Lancashire as a whole" in reasons


@pytest.mark.parametrize("viewer, suppressed", [(None, True), (BOARD, False)])
def test_area_profile_hides_small_counts_from_the_public(shared_db, viewer, suppressed):
    at = run("pages/scorecard/area.py", {"area": BLACKBURN, "period": QUARTER}, viewer=viewer)
    text = text_of(at)
    why = next(e for e in at.expander if e.label.startswith("Why? REC-HOM"))
    assert ("Not shown: fewer than 5" in text) is suppressed
    assert why.label.endswith("Not shown") is suppressed


@pytest.mark.parametrize(
    "viewer, embedded, visible", [(None, False, False), (None, True, False), (BOARD, False, True)]
)
def test_area_profile_restricted_indicator(shared_db, viewer, embedded, visible):
    at = run(
        "pages/scorecard/area.py",
        {"area": BURNLEY, "period": QUARTER},
        viewer=viewer,
        embedded=embedded,
    )
    assert ("Organised crime group disruptions" in text_of(at)) is visible


def test_area_profile_of_a_policing_area(shared_db, observations):
    at = run("pages/scorecard/area.py", {"area": "PA-EAST", "period": QUARTER})
    num, den = figure(observations, "VIO-01", QUARTER, EAST)
    assert "How East policing area compares with Lancashire" in text_of(at)
    assert f"{shown(num / den * 1000)}" in text_of(at)


# -- empty states -------------------------------------------------------------------------------
def test_map_says_when_the_next_quarters_figures_are_due(shared_db):
    at = run("pages/scorecard/map.py", {"indicator": "VIO-01", "period": "2026-27 Q3"})
    assert any(
        "No figures for 2026-27 Q3 yet" in w.value and "due on 30 January 2027" in w.value
        for w in at.warning
    )
    assert not at.dataframe


def test_area_profile_in_a_quarter_not_yet_returned_still_shows_recorded_crime(shared_db):
    at = run("pages/scorecard/area.py", {"area": BURNLEY, "period": "2026-27 Q3"})
    assert any("No figures for 2026-27 Q3 yet" in w.value for w in at.warning)
    whys = [e.label for e in at.expander if e.label.startswith("Why?")]
    assert any(w.startswith("Why? REC-TOTAL") for w in whys)
    assert not any(w.startswith("Why? VIO-01") for w in whys)
    assert "no quarterly figures for 2026-27 Q3 yet" in text_of(at)
