"""AppTest of the scorecard pages: what is shown, not only that nothing raised."""

import io
import json

import pandas as pd
import pytest
from streamlit import dataframe_util

from csa import config as csa_config
from csa import exports, publish
from tests.conftest import app_test, open_page, reachable, row_title, scorecard_rows
from ui import charts
from ui.session import Viewer

BOARD = Viewer(email="chair@lancashire.gov.uk", role="board", name="Board chair")


def run_app(query=None, viewer=None, embedded=False, page=None):
    at = app_test(viewer, query=query, embedded=embedded, timeout=180)
    if page:
        return open_page(at, page)
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_text(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


@pytest.mark.parametrize(
    "page",
    [
        "pages/scorecard/overview.py",
        "pages/scorecard/indicator.py",
        "pages/scorecard/area.py",
        "pages/scorecard/map.py",
        "pages/scorecard/present.py",
        "pages/scorecard/about.py",
    ],
)
def test_every_public_page_runs(app_env, page):
    at = run_app(page=page)
    assert at.title, f"{page} shows no title"


def test_overview_shows_east_off_track_with_reasons(app_env):
    at = run_app(query={"area": "PA-EAST", "period": "2026-27 Q2"})
    assert at.title[0].value == "Community Safety Agreement scorecard"
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["✖ Off track"]) >= 1
    text = markdown_text(at)
    assert "Violence with injury" in text
    assert "DEMO DATA" in text
    # the reasons say why, in words
    assert any("Off track:" in m.value for m in at.markdown)


def _links(node) -> list:
    """Every page link under ``node``, depth first."""
    out = []
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", None) == "page_link":
            out.append(child.proto)
        out += _links(child)
    return out


@pytest.mark.parametrize(("viewer", "plans_links"), [(None, False), (BOARD, True)])
def test_each_why_links_its_indicator_and_a_critical_one_the_plans_register(
    app_env, viewer, plans_links
):
    """The links in the overview's "Why?"s go to the indicator page (the page of this run's
    navigation, so the link needs no file lookup) for the indicator and area of the row; a
    critical row's also to the recovery plans register, for those who may see plans."""
    at = run_app(query={"area": "PA-EAST", "period": "2026-27 Q2"}, viewer=viewer)
    whys = [_links(e) for e in at.expander if e.label.startswith("Why? ")]
    assert whys
    for links in whys:
        assert links[0].label == "Open the indicator"
        assert links[0].page == "indicator" and links[0].page_script_hash
        assert "area=PA-EAST" in links[0].query_string and "indicator=" in links[0].query_string
        assert [link.label for link in links[1:]] in ([], ["Recovery plans register"])
    with_plans = [links for links in whys if len(links) == 2]
    assert bool(with_plans) is plans_links  # VIO-01 is critical in the East
    for links in with_plans:
        assert links[1].page == "plans" and "period=2026-27" in links[1].query_string


def test_overview_empty_state_for_a_period_not_yet_due(app_env):
    at = run_app(query={"period": "2026-27 Q3"})
    assert any(
        "No figures for 2026-27 Q3 yet" in w.value and "due on 30 January 2027" in w.value
        for w in at.warning
    )


def test_restricted_indicator_hidden_from_public_and_embed_but_shown_to_board(app_env):
    public = markdown_text(run_app())
    embed = markdown_text(run_app(embedded=True))
    board = markdown_text(run_app(viewer=BOARD))
    for text in (public, embed):
        assert "Organised crime group disruptions" not in text
    assert "Organised crime group disruptions" in board


def test_presentation_mode_opens_on_the_summary_screen(app_env):
    at = run_app(query={"mode": "present"})
    text = markdown_text(at)
    assert "Screen 1 of" in text
    assert at.title[0].value.startswith("Community Safety Agreement:")
    assert not at.text_input and not at.file_uploader  # no editing controls


def test_indicator_page_shows_chart_table_and_downloads(app_env):
    at = run_app(
        query={"indicator": "VIO-01", "area": "E07000117"}, page="pages/scorecard/indicator.py"
    )
    assert at.title[0].value == "Violence with injury"
    assert len(at.dataframe) >= 1
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download Excel"]


# -- the indicator page draws published figures only ---------------------------------------------
INDICATOR_PAGE = "pages/scorecard/indicator.py"
RIBBLE, ROSSENDALE = "E07000124", "E07000125"


def published(db, audience, **slice_) -> pd.DataFrame:
    key = publish.ensure(db, csa_config.load())
    return publish.read(db, key, audience, **slice_)


def chart_data(at) -> list[tuple[dict, list[pd.DataFrame]]]:
    """Every chart of the page: its Vega-Lite spec and the data sent with it (the named
    datasets Streamlit sends as Arrow, and any data inline in the spec)."""
    out = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        frames = [
            dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data)
            for d in chart.proto.datasets
        ]
        if chart.proto.data.data:
            frames.append(dataframe_util.convert_arrow_bytes_to_pandas_df(chart.proto.data.data))
        frames += [pd.DataFrame(v) for v in spec.get("datasets", {}).values()]
        out.append((spec, frames))
    return out


def page_texts(at) -> list[str]:
    """Every piece of text the page shows outside tables and charts."""
    texts = [e.value for kind in ("markdown", "caption", "info", "warning") for e in at.get(kind)]
    texts += [e.value for e in at.title] + [e.value for e in at.header]
    texts += [e.value for e in at.subheader]
    texts += [f"{m.label} {m.value} {m.proto.help}" for m in at.metric]
    return texts


def capture_csv(monkeypatch) -> list[pd.DataFrame]:
    """The frames the page offers as CSV, read back from the bytes a user downloads."""
    seen = []
    original = exports.csv_bytes

    def spy(df):
        data = original(df)
        seen.append(
            pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        )
        return data

    monkeypatch.setattr(exports, "csv_bytes", spy)
    return seen


def test_public_indicator_page_shows_hidden_figures_only_by_their_label(app_env, monkeypatch):
    period = "2026-27 Q1"
    downloads = capture_csv(monkeypatch)
    at = run_app(
        query={"indicator": "VIO-02", "area": RIBBLE, "period": period}, page=INDICATOR_PAGE
    )
    public = published(app_env, "public", indicators=["VIO-02"]).set_index(
        ["area_code", "period_label"]
    )
    signed = published(app_env, "signed_in", indicators=["VIO-02"], periods=[period])
    signed = signed.set_index("area_code")
    assert public.loc[(RIBBLE, period), "hidden"] == "primary"
    assert public.loc[(ROSSENDALE, period), "hidden"] == "complementary"
    assert signed.loc[RIBBLE, "value"] is not None  # there is a number to hide

    # the figure: its label, no target, no interval
    assert [(m.label, m.value) for m in at.metric] == [
        (f"Ribble Valley, {period} (demo data)", "fewer than 5")
    ]
    texts = page_texts(at)
    assert not [t for t in texts if "target" in t.lower()]
    assert any(publish.HIDDEN_SPC in t for t in texts)

    # the areas compared: the two hidden areas by their label only
    areas = next(d.value for d in at.dataframe if "Area" in d.value).set_index("Area")
    unit_col = "Possession of weapons offences (count)"
    assert areas.loc["Ribble Valley", unit_col] == "fewer than 5"
    assert areas.loc["Rossendale", unit_col] == "hidden to protect a small number"
    for name in ("Ribble Valley", "Rossendale"):
        assert areas.loc[name, "95% confidence interval"] == "–"
        assert areas.loc[name, "Status"] == areas.loc[name, unit_col]
        assert areas.loc[name, "Compared with Lancashire"] == ""
    # ... and the shown areas by their published texts
    shown = public.xs(period, level="period_label")
    assert areas.loc["Preston", unit_col] == shown.loc["E07000123", "value_text"]

    # the charts: no hidden value, no numerator or denominator, hidden areas left out
    hidden_here = {p for (a, p), h in public["hidden"].items() if a == RIBBLE and h}
    assert period in hidden_here
    found = chart_data(at)
    assert len(found) == 2  # the trend and the areas compared
    for _spec, frames in found:
        for frame in frames:
            assert not {"numerator", "denominator", "lower_text"} & set(frame.columns)
            if "name" in frame:
                assert not {"Ribble Valley", "Rossendale"} & set(frame["name"])
            if "period_label" in frame and "value" in frame:
                valued = frame.dropna(subset=["value"])
                assert not hidden_here & set(valued["period_label"])
                upto = public.loc[RIBBLE].loc[:period]  # the chart as at the period
                expected = upto["value"].dropna()
                assert dict(zip(valued["period_label"], valued["value"], strict=True)) == (
                    expected.to_dict()
                )
    trend_spec = found[0][0]
    domain = trend_spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert domain[-1] == period  # the hidden figure's period stays on the axis, as a gap
    assert domain == list(public.loc[RIBBLE].loc[:period].index)

    # the download: the hidden row keeps its label and carries no numbers
    csv = downloads[0].set_index("period")
    row = csv.loc[period]
    assert row["value_text"] == "fewer than 5" and row["status"] == "fewer than 5"
    for col in ("value", "lower", "upper", "numerator", "denominator", "target", "spc"):
        assert row[col] == "", col
    assert row["interval"] == "–"


def test_indicator_download_rows_are_the_published_rows(app_env, monkeypatch):
    downloads = capture_csv(monkeypatch)
    at = run_app(query={"indicator": "VIO-01", "area": "E07000117"}, page=INDICATOR_PAGE)
    assert [b.label for b in at.get("download_button")] == ["Download CSV", "Download Excel"]
    rows = published(app_env, "public", indicators=["VIO-01"], areas=["E07000117"])
    csv = downloads[0]
    assert list(csv.columns) == [
        "indicator", "area_name", "area_code", "period", "value_text", "value", "interval",
        "lower", "upper", "numerator", "denominator", "target", "status", "spc", "data_kind",
    ]  # fmt: skip
    assert list(csv["period"]) == list(rows["period_label"])
    assert list(csv["value_text"]) == list(rows["value_text"])
    assert list(csv["interval"]) == list(rows["interval_text"])
    assert list(csv["status"]) == list(rows["status_text"])
    assert list(csv["spc"]) == list(rows["variation_text"])
    assert csv["value"].astype(float).tolist() == pytest.approx(rows["value"].tolist())
    assert csv["numerator"].astype(int).tolist() == rows["numerator"].astype(int).tolist()
    assert set(csv["area_name"]) == {"Burnley"} and set(csv["indicator"]) == {"VIO-01"}
    # the figures table shows the same texts
    table = next(d.value for d in at.dataframe if "Period" in d.value)
    assert list(table["Violence with injury (per 1,000)"]) == list(rows["value_text"])


def test_indicator_chart_last_point_is_the_published_variation_for_every_area(app_env):
    latest = "2026-27 Q2"
    rows = published(app_env, "public", indicators=["DA-01"], periods=[latest])
    at = run_app(query={"indicator": "DA-01", "period": latest}, page=INDICATOR_PAGE)
    areas = at.selectbox(key="qp_area")
    checked = 0
    for figure in rows.to_dict("records"):
        at = areas.set_value(figure["area_code"]).run()
        assert not at.exception
        spec, frames = chart_data(at)[0]
        points = next(f for f in frames if "point_class" in f).dropna(subset=["value"])
        last = points.iloc[-1]
        assert last["period_label"] == latest
        assert last["value"] == pytest.approx(figure["value"], rel=1e-5)  # 6 figures
        assert last["point_class"] == charts.class_words(
            charts.variation_class(figure["variation"])
        ), figure["area_code"]
        # every point and both phases' limits are the published SPC's
        series = published(app_env, "public", indicators=["DA-01"], areas=[figure["area_code"]])
        spc = publish.spc_chart(figure, series)
        assert list(points["point_class"]) == [charts.class_words(c) for c in spc["point_class"]]
        assert points["mean"].tolist() == pytest.approx(spc["mean"].tolist())
        assert sorted(set(points["phase"])) == [0, 1]  # re-phased at 2023-24 Q1
        areas = at.selectbox(key="qp_area")
        checked += 1
    assert checked == len(rows) == 19


def _present_quarters(db) -> list[str]:
    per = db.periods()
    with_figures = set(db.observations()["period_label"])
    per = per[(per["frequency"] == "quarterly") & per["label"].isin(with_figures)]
    return list(per.sort_values("start_date")["label"])


@pytest.mark.parametrize("viewer,expected", [(None, 9), (BOARD, 10)], ids=["public", "board"])
def test_presentation_steps_through_every_screen_for_every_quarter(app_env, viewer, expected):
    """Every screen of presentation mode draws, for every quarter with figures, from the
    published figures (it once raised on Domestic abuse and Exploitation: an SPC computed
    on the page with a missing target)."""
    quarters = _present_quarters(app_env)
    assert len(quarters) >= 20
    at = app_test(viewer, query={"mode": "present", "period": quarters[-1]}, timeout=180)
    assert not at.exception, [e.value for e in at.exception]
    screens = int(markdown_text(at).split("Screen 1 of ")[1].split(" ")[0])
    # the summary and one screen per key issue and contributory factor (the board also
    # sees serious organised crime, a restricted indicator)
    assert screens == expected
    for period in quarters:
        for slide in range(screens):
            at.query_params["period"] = period
            at.query_params["slide"] = str(slide)
            at.run()
            assert not at.exception, (period, slide, [e.value for e in at.exception])
            assert f"Screen {slide + 1} of {screens}" in markdown_text(at), (period, slide)
            assert at.title, (period, slide)


# -- plan in place and the SPC summary (Making Data Count) -----------------------------------
# The presentation page is opened from the navigation (not ?mode=present: in presentation
# mode the footer's link to the accessibility page, which that navigation leaves out, raises).
PRESENT = "pages/scorecard/present.py"
Q2 = "2026-27 Q2"


def approved_county_plan(db) -> int:
    """An approved recovery plan for violence with injury, for the county (as the agreement
    asks), with its review date and one action."""
    from csa.access import Actor
    from csa.plans import workflow
    from csa.plans.evidence import evidence_for

    lead = Actor("officer@lvrn.org.uk", "officer", "LVRN")
    ev = evidence_for(db, csa_config.load(), "VIO-01", "E23000003", Q2)
    pid = workflow.create_plan(
        db, lead, indicator_code="VIO-01", period_label=Q2, evidence=ev, target_areas=["E07000117"]
    )
    workflow.submit_plan(
        db,
        lead,
        pid,
        {
            "root_causes": ["Night-time economy"],
            "actions": [
                {
                    "description": "Patrols",
                    "owner_org": "LANCS-POLICE",
                    "owner": "CI",
                    "due_date": "2027-03-31",
                    "status": "in progress",
                }
            ],
            "trajectory": {"2026-27 Q3": ev["figures"]["target"]},
            "review_date": "2027-01-31",
        },
    )
    workflow.approve_plan(db, Actor(BOARD.email, "board"), pid)
    return pid


def unescaped(text: str) -> str:
    return text.replace("\\", "")


def test_plan_in_place_shown_to_the_board_never_to_the_public(app_env):
    approved_county_plan(app_env)
    words = "Plan in place: Approved, Lancashire Violence Reduction Network; Review date 2027-01-31"
    query = {"area": "E07000117", "period": Q2}
    board = unescaped(markdown_text(run_app(query=query, viewer=BOARD)))
    assert words in board  # a Burnley row: the county plan covers its areas
    assert "Plan in place" not in markdown_text(run_app(query=query))

    page = {"indicator": "VIO-01", "area": "E07000117", "period": Q2}
    at = run_app(query=page, viewer=BOARD, page=INDICATOR_PAGE)
    text = unescaped(markdown_text(at))
    assert "a recovery plan is in place" in text
    assert "a recovery plan is required" not in text
    assert words in text and "1 action open; no trajectory figure yet" in text
    public = markdown_text(run_app(query=page, page=INDICATOR_PAGE))
    assert "a recovery plan is required" in public  # the public is not told about plans
    assert "Plan in place" not in public and "recovery plan is in place" not in public


def test_presentation_says_plan_in_place_on_the_theme_screen(app_env):
    approved_county_plan(app_env)
    theme = app_env.indicators().set_index("code").loc["VIO-01", "theme_name"]
    for viewer, expected in ((BOARD, True), (None, False)):
        at = run_app(query={"period": Q2}, viewer=viewer, page=PRESENT)
        for slide in range(1, 12):
            at.query_params["slide"] = str(slide)
            at.run()
            if at.title[0].value == theme:
                break
        assert at.title[0].value == theme
        card = [m.value for m in at.markdown if "<b>Violence with injury</b>" in m.value]
        assert len(card) == 1  # its card: title, status badge, figure
        assert ("Off track · CRITICAL · plan in place" in card[0]) is expected
        assert ("Plan in place: Approved" in unescaped(markdown_text(at))) is expected


OVERVIEW = "pages/scorecard/overview.py"


def test_presentation_opened_from_the_sidebar_is_presentation_mode_and_can_be_left(app_env):
    """A signed-in viewer clicks "Presentation" in the sidebar (the page without
    ?mode=present): it opens in presentation mode (no sidebar, no other page in the
    navigation); "Leave presentation" returns to the overview with the sidebar, keeping the
    area and period; opening it again presents again."""
    at = run_app(viewer=BOARD)
    signed_in = "Signed in as chair@lancashire.gov.uk (board)"
    assert signed_in in [c.value for c in at.sidebar.caption]
    for _ in range(2):
        open_page(at, PRESENT)
        assert at.query_params["mode"] == "present"
        assert "Screen 1 of" in markdown_text(at)
        assert not at.sidebar.children  # nothing written to the sidebar
        assert not reachable(at, OVERVIEW)  # the navigation holds the presentation only
        at.selectbox(key="qp_area").set_value("E07000117").run()  # its "Area or period"
        at.selectbox(key="qp_period").set_value(Q2).run()
        for _ in range(2):
            next(b for b in at.button if b.label == "Next ▶").click().run()
        assert "Screen 3 of" in markdown_text(at) and "Burnley" in markdown_text(at)
        at.button(key="csa_leave_presentation").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert "mode" not in at.query_params and "slide" not in at.query_params
        assert at.query_params["area"] == "E07000117" and at.query_params["period"] == Q2
        assert at.title[0].value == "Community Safety Agreement scorecard"
        assert signed_in in [c.value for c in at.sidebar.caption]
        assert reachable(at, OVERVIEW) and reachable(at, PRESENT)


#: The published county figures of 2026-27 Q2, placed by hand from their variation and
#: assurance: (variation row, assurance column).
MATRIX_Q2 = {
    "ALC-01": ("concern", "hit_or_miss"),
    "ASB-02": ("common", "hit_or_miss"),
    "DA-01": ("common", "none"),
    "DA-02": ("improvement", "fail"),
    "DRG-01": ("common", "hit_or_miss"),
    "EXP-01": ("improvement", "hit_or_miss"),
    "EXP-02": ("common", "none"),
    "REO-01": ("common", "hit_or_miss"),
    "ROAD-01": ("common", "hit_or_miss"),
    "VIO-01": ("common", "hit_or_miss"),
    "VIO-02": ("improvement", "hit_or_miss"),
}


def matrix_cells(at) -> dict[str, tuple[str, str]]:
    """{indicator code: (row, column)} read from the summary screen's SPC table."""
    import re

    table = next(m.value for m in at.markdown if "SPC summary: variation by assurance" in m.value)
    rows = ["improvement", "common", "concern"]
    cols = ["pass", "hit_or_miss", "fail", "none"]
    out = {}
    for r, tr in zip(rows, re.findall(r"<tr><th scope='row'.*?</tr>", table), strict=True):
        for c, td in zip(cols, re.findall(r"<td.*?</td>", tr), strict=True):
            for code in re.findall(r'href="indicator\?indicator=([A-Z0-9-]+)&amp;', td):
                out[code] = (r, c)
    return out


@pytest.mark.parametrize("viewer", [None, BOARD], ids=["public", "board"])
def test_summary_screen_places_each_indicator_by_variation_and_assurance(app_env, viewer):
    at = run_app(query={"period": Q2}, viewer=viewer, page=PRESENT)
    got = matrix_cells(at)
    expected = dict(MATRIX_Q2)
    if viewer is BOARD:
        expected["SOC-01"] = ("common", "hit_or_miss")  # restricted: the board only
    assert got == expected
    figures = published(app_env, publish.audience_for("board" if viewer else "public"))
    county = figures[(figures["area_code"] == "E23000003") & (figures["period_label"] == Q2)]
    for code, (row, col) in got.items():  # the hand placing agrees with the published codes
        fig = county.set_index("indicator_code").loc[code]
        assert row in str(fig["variation"]).replace("common_cause", "common")
        assert col == (fig["assurance"] if isinstance(fig["assurance"], str) else "none")
    link = 'href="indicator?indicator=VIO-01&amp;area=E23000003&amp;period=2026-27+Q2"'
    assert link in next(m.value for m in at.markdown if "SPC summary" in m.value)


def test_indicator_page_says_how_old_the_latest_figure_is_and_links_its_sources(app_env):
    """ASB-01's latest real month is October 2022: the page opens on it, says so and that no
    newer police.uk data is bundled, and links both sources (counts and populations) to
    their entries on About the data, in the Source line and in About this indicator."""
    at = run_app(query={"indicator": "ASB-01"}, page=INDICATOR_PAGE)
    assert next(s for s in at.selectbox if s.label == "Period").value == "2022-10"
    text = markdown_text(at)
    assert "Latest figure is October 2022: no newer police.uk data is bundled." in text
    sources_line = next(c.value for c in at.caption if c.value.startswith("Sources"))
    assert "](about#source-police-uk)" in sources_line
    assert "](about#source-ons-mye-lancashire)" in sources_line
    about = next(m.value for m in at.markdown if "- **Code:** ASB-01" in m.value)
    assert "](about#source-police-uk)" in about


def test_indicator_page_of_recorded_crime_links_the_home_office_table(app_env):
    at = run_app(query={"indicator": "REC-TOTAL", "area": "E07000117"}, page=INDICATOR_PAGE)
    text = markdown_text(at)
    assert "](about#source-ho-prc-c2)" in text
    assert "about#source-synthetic" not in text
    age = next(m.value for m in at.markdown if m.value.startswith(":material/"))
    # year ending June 2025 is older than an annual series allows by now: flagged, in words
    assert age == (
        ":material/history: **Latest figure is YE Jun 2025: no newer Home Office police "
        "recorded crime (Table C2) data is bundled.**"
    )


@pytest.mark.parametrize(
    "themes,per_screen,expected",
    [
        # a theme that fits keeps its own name; an empty theme gets no screen
        ([("Violence", ["V1", "V2"]), ("Drugs", [])], 6, [("Violence", ["V1", "V2"])]),
        # exactly full: one screen
        ([("Violence", list("abcdef"))], 6, [("Violence", list("abcdef"))]),
        # seven over two screens of 4 and 3, never 6 and 1
        (
            [("Violence", list("abcdefg"))],
            6,
            [("Violence (1 of 2)", list("abcd")), ("Violence (2 of 2)", list("efg"))],
        ),
        # thirteen over three screens of 5, 5, 3; the order of the indicators kept
        (
            [("A", list("abcdefghijklm")), ("B", ["x"])],
            6,
            [
                ("A (1 of 3)", list("abcde")),
                ("A (2 of 3)", list("fghij")),
                ("A (3 of 3)", list("klm")),
                ("B", ["x"]),
            ],
        ),
    ],
)
def test_a_theme_too_big_for_one_screen_is_split_not_scrolled(themes, per_screen, expected):
    from ui.scorecard import present_screens

    assert present_screens(themes, per_screen) == expected


# -- the embed on a phone: its own menu, no sidebar ------------------------------------------
def _menus(at) -> dict[str, list[str]]:
    """Each popover of the page: its label and the page links inside it."""
    found = {}

    def walk(node, inside=None):
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", None) == "popover":
                found[child.proto.popover.label] = []
                walk(child, child.proto.popover.label)
                continue
            if getattr(child, "type", None) == "page_link" and inside is not None:
                found[inside].append(child.proto.label)
            walk(child, inside)

    walk(at.main)
    return found


@pytest.mark.parametrize(
    "embedded, expected",
    [
        (
            True,
            {
                "Menu": [
                    "Overview",
                    "Indicator",
                    "Area profile",
                    "Map",
                    "About the data",
                    "Accessibility",
                    "Cost of crime",
                ]
            },
        ),
        (False, {}),  # the sidebar navigation serves the app itself
    ],
)
def test_embed_has_its_own_menu_of_the_public_pages(app_env, embedded, expected):
    """In the embed, below 768 px Streamlit would fold the top menu into a sidebar with a "»"
    control; the embed hides that (CSS) and offers a "Menu" of its public pages instead: no
    presentation, sign-in or partner page."""
    at = run_app(embedded=embedded)
    assert _menus(at) == expected
    assert not at.sidebar.children or not embedded  # nothing written to the sidebar


def _listed(at) -> list[str]:
    """The overview's indicators as listed: each row's title, or its "no figure" caption."""
    rows = [row_title(cells) for cells in scorecard_rows(at)]
    return rows + [c.value.split(":")[0] for c in at.caption if ": no figure for " in c.value]


def test_a_long_overview_is_shown_a_page_at_a_time_and_counts_them_all(app_env, monkeypatch):
    query = {"area": "PA-EAST", "period": "2026-27 Q2"}
    whole = run_app(query=query)
    everything = _listed(whole)
    counts = {m.label: m.value for m in whole.metric}
    assert not [s for s in whole.selectbox if s.key == "qp_page"]  # one page holds them all
    assert len(everything) > 5

    monkeypatch.setenv("CSA_ROWS_PER_PAGE", "5")
    at = run_app(query=query)
    picker = next(s for s in at.selectbox if s.key == "qp_page")
    pages = -(-len(everything) // 5)
    assert picker.options == [f"Indicators {n * 5 + 1} to {min(len(everything), n * 5 + 5)} "
                              f"of {len(everything)}" for n in range(pages)]  # fmt: skip
    seen = []
    for n in range(1, pages + 1):
        picker = next(s for s in at.selectbox if s.key == "qp_page")
        at = picker.select(str(n)).run()
        assert not at.exception
        assert at.query_params["page"] in (str(n), [str(n)])  # the address bar holds it
        listed = _listed(at)
        assert 1 <= len(listed) <= 5
        # the counts above are of every indicator, whichever page is shown
        assert {m.label: m.value for m in at.metric} == counts
        seen += listed
    assert sorted(seen) == sorted(everything)  # every indicator once, on some page
    assert any(f"(page {pages} of {pages})" in c.value for c in at.caption)
    # the context tables show their first rows too, and say where the rest are
    assert [len(t.value) for t in whole.table] and max(len(t.value) for t in whole.table) > 5
    assert all(len(t.value) <= 5 for t in at.table)
    assert any(
        c.value.startswith("The first 5 of ") and "the area profile lists every one" in c.value
        for c in at.caption
    )
