"""AppTest of the map and area profile pages: the figures shown, worked out by hand from the
seeded observations, public suppression, restricted indicators and the embed.

The pages never write, so the module shares one seeded database: the assessment is cached
on the database URL and its data version, and is worked out once for all the tests.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from csa import formatting
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
        + [h.value for h in at.header]
        + [s.value for s in at.subheader]
        + [e.label for e in at.expander]
    )


def map_table(at: AppTest) -> pd.DataFrame:
    assert len(at.table) == 1
    return at.table[0].value.set_index("Area")


def published_figures(db, audience: str, **where) -> pd.DataFrame:
    """What csa.publish stored for ``audience``: the texts every surface must show."""
    from csa import config, publish

    key = publish.ensure(db, config.load())
    return publish.read(db, key, audience, **where)


# -- map ----------------------------------------------------------------------------------------
def test_map_shows_each_districts_real_figure(shared_db, observations):
    at = run("pages/scorecard/map.py", {"indicator": "REC-TOTAL", "period": YEAR})
    assert at.title[0].value == "Map"
    assert at.header[0].value == f"Total recorded crime (excluding fraud), {YEAR}"
    table = map_table(at)
    assert len(table) == 14
    num, den = figure(observations, "REC-TOTAL", YEAR, [BURNLEY])
    assert table.loc["Burnley", "Value (per 1,000)"] == formatting.figure(num / den * 1000, "rate")
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
    assert table.loc["East policing area", "Value (per 1,000)"] == formatting.figure(
        num / den * 1000, "rate"
    )
    assert table.loc["East policing area", "Rank"].endswith("of 3 (1 = lowest, best)")
    assert "DEMO DATA" in text_of(at)


@pytest.mark.parametrize("viewer, visible", [(None, False), (BOARD, True)])
def test_map_hides_small_counts_from_the_public(shared_db, observations, viewer, visible):
    at = run("pages/scorecard/map.py", {"indicator": "REC-HOM", "period": YEAR}, viewer=viewer)
    table = map_table(at)
    num, den = figure(observations, "REC-HOM", YEAR, [BLACKBURN])
    assert 0 < num < 5  # the bundled data: 3 homicides in Blackburn with Darwen
    value = table.loc["Blackburn with Darwen", "Value (per 1,000)"]
    if visible:
        assert value == formatting.figure(num / den * 1000, "rate")
    else:
        assert value == "fewer than 5"
        assert table.loc["Blackburn with Darwen", "95% CI"] == "–"
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


# -- one published truth: the public map of VIO-02 in 2026-27 Q1 --------------------------------
PUBLIC_CASE = {"indicator": "VIO-02", "period": "2026-27 Q1"}
RIBBLE, ROSSENDALE = "E07000124", "E07000125"


def deck_spec(at: AppTest) -> dict:
    import json

    charts = [e for e in at.get("deck_gl_json_chart")]
    assert len(charts) == 1
    return json.loads(charts[0].proto.json)


def test_public_map_shows_only_the_published_texts_and_no_hidden_value(shared_db):
    published = published_figures(
        shared_db, "public", indicators=["VIO-02"], periods=["2026-27 Q1"]
    ).set_index("area_code")
    # the bundled data: Ribble Valley is a small count, Rossendale hidden to protect it
    assert published.loc[RIBBLE, "hidden"] == "primary"
    assert published.loc[ROSSENDALE, "hidden"] == "complementary"
    at = run("pages/scorecard/map.py", PUBLIC_CASE)
    table = map_table(at)
    assert table.loc["Ribble Valley", "Value (count)"] == "fewer than 5"
    assert table.loc["Rossendale", "Value (count)"] == "hidden to protect a small number"
    assert table.loc["Rossendale", "Status"] == "hidden to protect a small number"
    spec = deck_spec(at)
    features = next(lay for lay in spec["layers"] if lay["id"] == "areas")["data"]["features"]
    props = {f["properties"]["LAD23CD"]: f["properties"] for f in features}
    assert props[ROSSENDALE]["t_value"] == "hidden to protect a small number"
    assert props[RIBBLE]["t_value"] == "fewer than 5"
    for code in (RIBBLE, ROSSENDALE):
        tips = " ".join(
            str(v) for k, v in props[code].items() if k.startswith("t_") and k != "t_indicator"
        )
        assert not re.search(r"\d", tips.replace("fewer than 5", "")), tips
        assert "numerator" not in props[code] and "value" not in props[code]
    labels = {
        lab["text"] for lab in next(lay for lay in spec["layers"] if lay["id"] == "labels")["data"]
    }
    assert "Ribble Valley\nfewer than 5" in labels and "Rossendale\nhidden" in labels
    # every shown area's tooltip value is the published value text, word for word
    for code, p in props.items():
        assert p["t_value"] == published.loc[code, "value_text"]
        assert p["t_ci"] == published.loc[code, "interval_text"]
        assert table.loc[p["name"], "Value (count)"] == published.loc[code, "value_text"]


def test_public_area_profile_rows_are_the_published_texts(shared_db):
    at = run("pages/scorecard/area.py", {"area": ROSSENDALE, "period": "2026-27 Q1"})
    published = published_figures(
        shared_db, "public", areas=[ROSSENDALE, "E23000003"], periods=["2026-27 Q1"]
    )
    mine = published[published["area_code"] == ROSSENDALE].set_index("indicator_code")
    pan = published[published["area_code"] == "E23000003"].set_index("indicator_code")
    rows = {}
    for m in at.markdown:
        for row in re.findall(r"<tr><td[^>]*>.*?</tr>", m.value):
            code = re.search(r"'>([A-Z0-9-]+) · ", row).group(1)
            rows[code] = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert "VIO-02" in rows
    for code, cells in rows.items():
        if code not in mine.index:
            continue
        fig = mine.loc[code]
        value = cells[2]
        assert value.startswith(html.escape(fig["value_text"]))
        if fig["interval_text"] != "–":
            assert f"({fig['interval_text']})" in value
        assert cells[3].startswith(html.escape(pan.loc[code, "value_text"]))
        assert html.escape(fig["status_text"]) in cells[5]
    assert rows["VIO-02"][2] == "hidden to protect a small number"
    assert "hidden to protect a small number" in rows["VIO-02"][5]
    assert "fewer than 5" not in rows["VIO-02"][5]
    why = next(e for e in at.expander if e.label.startswith("Why? VIO-02"))
    assert why.label.endswith(": hidden to protect a small number")
    # the spine chart in words: each indicator's published value text
    words = next(
        e for e in at.expander if e.label.startswith("The chart in words: Rossendale, CSA")
    )
    text = " ".join(m.value for m in words.markdown)
    assert "VIO-02 Possession of weapons offences: hidden to protect a small number" in text


# -- area profile -------------------------------------------------------------------------------
def test_area_profile_shows_every_indicator_against_lancashire(shared_db, observations):
    at = run("pages/scorecard/area.py", {"area": BURNLEY, "period": QUARTER})
    assert at.title[0].value == "Area profile"
    text = text_of(at)
    assert "How Burnley compares with Lancashire" in text
    # real recorded crime at YE Jun 2025 and the demo CSA indicators at the quarter
    num, den = figure(observations, "REC-TOTAL", YEAR, [BURNLEY])
    assert formatting.figure(num / den * 1000, "rate") in text
    lanc_num, lanc_den = figure(
        observations,
        "REC-TOTAL",
        YEAR,
        list(observations.loc[observations["indicator_code"] == "REC-TOTAL", "area_code"].unique()),
    )
    assert (
        f"<td data-label='Lancashire'>{formatting.figure(lanc_num / lanc_den * 1000, 'rate')}</td>"
        in text
    )  # Lancashire incl. unassigned
    assert "DEMO DATA" in text
    # one "Why?" per indicator shown: 11 public quarterly demo indicators, 14 monthly
    # police.uk ones (ASB-01 and 13 categories, at their latest real month) and 23 recorded
    # crime groups
    whys = [e.label for e in at.expander if e.label.startswith("Why?")]
    assert len(whys) == 48
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
    assert 0 < compared <= 48


def _whys(at) -> list[str]:
    return [e.label for e in at.expander if e.label.startswith("Why?")]


def test_a_long_area_profile_is_shown_a_page_at_a_time_and_counts_them_all(shared_db, monkeypatch):
    query = {"area": BURNLEY, "period": QUARTER}
    whole = run("pages/scorecard/area.py", query)
    counts = {m.label: m.value for m in whole.metric}
    assert len(_whys(whole)) == 48 and not [s for s in whole.selectbox if s.key == "qp_page"]

    monkeypatch.setenv("CSA_ROWS_PER_PAGE", "20")
    at = run("pages/scorecard/area.py", query)
    picker = next(s for s in at.selectbox if s.key == "qp_page")
    pages = len(picker.options)
    assert pages >= 3 and picker.options[0].startswith("Indicators 1 to 20 of ")
    seen = []
    for n in range(1, pages + 1):
        at = next(s for s in at.selectbox if s.key == "qp_page").select(str(n)).run()
        assert not at.exception
        whys = _whys(at)
        assert len(whys) <= 20
        # the spine charts in words follow the page: only its indicators
        said = " ".join(
            m.value
            for e in at.expander
            if e.label.startswith("The chart in words")
            for m in e.markdown
        )
        codes = {w.split()[1] for w in whys}
        assert set(re.findall(r"- ([A-Z]+-[A-Z0-9-]+) ", said)) <= codes
        # the counts above are of every indicator, whichever page is shown
        assert {m.label: m.value for m in at.metric} == counts
        seen += whys
    assert sorted(seen) == sorted(_whys(whole))  # every indicator's reasons once, on some page


def test_area_profile_shows_monthly_indicators_at_their_latest_real_month(shared_db):
    at = run("pages/scorecard/area.py", {"area": BURNLEY, "period": QUARTER})
    published = published_figures(
        shared_db, "public", indicators=["ASB-01", "PUK-BURG"], areas=[BURNLEY]
    )
    latest = published[published["data_kind"] == "real"].sort_values("period_start")
    assert latest["period_label"].iloc[-1] == "2022-10"  # police.uk data end in October 2022
    text = text_of(at)
    assert re.search(
        r"The chart in words: Burnley, Police\.uk crime and anti-social behaviour, "
        r"October 2022 \(real figures; latest held, \d+ years?( \d+ months?)? old; out of date\)",
        text,
    ), text
    rows = {}
    for m in at.markdown:
        for row in re.findall(r"<tr><td[^>]*>.*?</tr>", m.value):
            code = re.search(r"'>([A-Z0-9-]+) · ", row).group(1)
            rows[code] = re.findall(r"<td[^>]*>(.*?)</td>", row)
    for code in ("ASB-01", "PUK-BURG"):
        fig = latest[latest["indicator_code"] == code].iloc[-1]
        assert fig["period_label"] == "2022-10"
        assert rows[code][1] == "2022-10"
        assert rows[code][2].startswith(html.escape(fig["value_text"]))
    assert "for police.uk crime and anti-social behaviour" in text


def _position(at: AppTest) -> pd.DataFrame:
    assert any(h.value == "Compared with England and Wales" for h in at.header)
    return at.dataframe[0].value.set_index("Offence group")


def test_area_profile_compares_a_district_with_england_and_wales(shared_db, data_dir):
    at = run("pages/scorecard/area.py", {"area": BURNLEY, "period": QUARTER})
    table = _position(at)
    # Burnley's own CSP row (E22000152) in Table C2 over its ONS mid-2023 population
    c2 = pd.read_csv(data_dir / "prc_csp_ye_jun2025_tableC2.csv").set_index("csp_code")
    pop = pd.read_csv(data_dir / "csp_population_mid2023.csv").set_index("csp_code")
    count = c2.loc["E22000152", "total_recorded_crime_excluding_fraud"]
    rate = count / pop.loc["E22000152", "population_mid2023"] * 1000
    total = table.loc["Total recorded crime (excluding fraud)"]
    assert total["Recorded crimes"] == formatting.count(count)
    assert total["Rate per 1,000"] == formatting.figure(rate, "rate")
    assert re.fullmatch(r"\d+ of 283 partnerships", total["Rank (1 = lowest rate)"])
    assert len(table) == 23
    text = text_of(at)
    assert (
        f"Burnley's rate of total recorded crime (excluding fraud), "
        f"{formatting.figure(rate, 'rate')} per 1,000, is significantly higher than England and "
        "Wales (86.9)"  # Table P1: 5,287,312 / 60,854,727 x 1,000
    ) in text
    assert "published by the Home Office" in text
    assert "ranked among the 283 of 314 partnerships in England and Wales" in text
    # the alcohol context, Fingertips' directly standardised rates, for a district
    context = at.table[-1].value
    assert list(context.index) == [
        "Alcohol-related hospital admissions (narrow measure)",
        "Alcohol-related deaths",
    ]
    assert context.loc["Alcohol-related deaths", "Period"] == "2017"


@pytest.mark.parametrize(
    "area, rate, rank, words",
    [
        # the force: 128,435 / 1,570,373 x 1,000 = 81.8, Table P1, ranked among forces
        (
            "E23000003",
            "81.8",
            "21 of 34 forces",
            "Lancashire's rate of total recorded crime (excluding fraud), 81.8 per 1,000, is significantly lower than England and Wales",
        ),
        # West: 44,254 / 489,107 x 1,000 = 90.5, four partnerships added up, not ranked
        ("PA-WEST", "90.5", None, "not ranked"),
    ],
)
def test_area_profile_compares_the_force_and_a_policing_area(shared_db, area, rate, rank, words):
    at = run("pages/scorecard/area.py", {"area": area, "period": QUARTER})
    total = _position(at).loc["Total recorded crime (excluding fraud)"]
    assert total["Rate per 1,000"] == rate
    if rank:
        assert total["Rank (1 = lowest rate)"] == rank
        assert "ranked among the 34 of 43 forces" in text_of(at)
    else:
        assert "Rank (1 = lowest rate)" not in total.index
    text = text_of(at)
    assert words in text
    assert "Alcohol-related admissions and deaths are shown for districts and unitaries" in text


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
    assert ("fewer than 5" in text) is suppressed
    assert why.label.endswith(": fewer than 5") is suppressed


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
    assert formatting.figure(num / den * 1000, "rate") in text_of(at)


# -- empty states -------------------------------------------------------------------------------
def test_map_says_when_the_next_quarters_figures_are_due(shared_db):
    at = run("pages/scorecard/map.py", {"indicator": "VIO-01", "period": "2026-27 Q3"})
    assert any(
        "No figures for 2026-27 Q3 yet" in w.value and "due on 30 January 2027" in w.value
        for w in at.warning
    )
    assert not at.table


def test_area_profile_in_a_quarter_not_yet_returned_still_shows_recorded_crime(shared_db):
    at = run("pages/scorecard/area.py", {"area": BURNLEY, "period": "2026-27 Q3"})
    assert any("No figures for 2026-27 Q3 yet" in w.value for w in at.warning)
    whys = [e.label for e in at.expander if e.label.startswith("Why?")]
    assert any(w.startswith("Why? REC-TOTAL") for w in whys)
    assert not any(w.startswith("Why? VIO-01") for w in whys)
    assert "no quarterly figures for 2026-27 Q3 yet" in text_of(at)


def selected(at: AppTest, label: str) -> str:
    return next(s for s in at.selectbox if s.label == label).value


def test_map_defaults_to_the_latest_real_period_and_says_how_old_it_is(shared_db):
    """ASB-01 is a real police.uk series ending October 2022: the map opens on it (not on an
    empty or synthetic current quarter), says how old it is, flags it as stale and links
    its sources on About the data."""
    at = run("pages/scorecard/map.py", {"indicator": "ASB-01"})
    assert selected(at, "Period") == "2022-10"
    assert at.query_params["period"] == "2022-10"  # a shareable link says which month
    assert [h.value for h in at.header][0] == "Anti-social behaviour incidents, 2022-10"
    text = text_of(at)
    assert "Latest figure is October 2022: no newer police.uk data is bundled." in text
    assert "[police\\.uk](about#source-police-uk)" in text  # the name is escaped Markdown
    assert "(about#source-ons-mye-lancashire)" in text


def test_map_of_an_earlier_month_still_says_which_is_the_latest(shared_db):
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()  # the home page sets its own period; the link to the map names the month
    at.query_params["indicator"], at.query_params["period"] = "PUK-VSO", "2021-06"
    at.switch_page("pages/scorecard/map.py")
    at.run()
    assert not at.exception
    assert selected(at, "Period") == "2021-06"
    assert [h.value for h in at.header][0] == "Violence and sexual offences (police.uk), 2021-06"
    assert "Latest figure is October 2022: no newer police.uk data is bundled." in text_of(at)


def test_map_of_a_demo_indicator_defaults_to_its_latest_period(shared_db, observations):
    """VIO-01 has only demo figures: the map opens on its latest quarter and says so."""
    from datetime import date

    from csa.inventory import latest_real_periods
    from ui.scorecard import is_stale

    assert latest_real_periods(shared_db)["VIO-01"] is None
    at = run("pages/scorecard/map.py", {"indicator": "VIO-01"})
    assert selected(at, "Period") == QUARTER
    end = shared_db.periods().set_index("label").loc[QUARTER, "end_date"]
    stale = is_stale(end, "quarterly", date.today(), 30)
    words = (
        f"Latest figure is {QUARTER}: no newer figure has been returned."
        if stale
        else f"Latest: {QUARTER} (demo data)."
    )
    text = text_of(at)
    assert words in text
    assert "](about#source-synthetic)" in text


def test_england_and_wales_table_hides_what_the_published_figures_hide(shared_db):
    """Fylde's homicide (Table C2: 1) is a published REC-HOM figure hidden from the public
    ("fewer than 5"), and violence with injury is hidden to protect it: the England and
    Wales table hides the same groups, count, rate, rank and comparisons alike; signed in,
    the board sees the Home Office's 1."""
    fylde = "E07000119"
    published = published_figures(
        shared_db, "public", indicators=["REC-HOM", "REC-VWI"], areas=[fylde]
    ).set_index("indicator_code")
    assert published.loc["REC-HOM", "value_text"] == "fewer than 5"
    at = run("pages/scorecard/area.py", {"area": fylde, "period": QUARTER})
    table = _position(at)
    for title, code in (("Homicide", "REC-HOM"), ("Violence with injury", "REC-VWI")):
        why = published.loc[code, "value_text"]
        assert why in ("fewer than 5", "hidden to protect a small number")
        assert set(table.loc[title]) == {why}, title
    assert table.loc["Violence against the person", "Recorded crimes"] == "2,072"
    board = _position(run("pages/scorecard/area.py", {"area": fylde, "period": QUARTER}, BOARD))
    assert board.loc["Homicide", "Recorded crimes"] == "1"
