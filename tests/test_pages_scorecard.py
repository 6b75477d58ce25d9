"""AppTest of the scorecard pages: what is shown, not only that nothing raised."""

import pytest

from tests.conftest import app_test, open_page
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


def test_public_sees_small_counts_suppressed_on_the_indicator_table(app_env):
    at = run_app(
        query={"indicator": "SOC-01", "area": "E07000124"},
        page="pages/scorecard/indicator.py",
        viewer=BOARD,
    )
    board_table = at.dataframe[0].value
    assert (board_table["numerator"].astype(float) < 5).any()
    at = run_app(
        query={"indicator": "VIO-02", "area": "E07000124"}, page="pages/scorecard/indicator.py"
    )
    table = at.dataframe[0].value
    assert "<5" in set(table["numerator"].astype(str))


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
