"""AppTest of the strategic assessment and cost-of-crime pages.

An analyst runs a round in the app (upload, scores, suggestions, priorities, agreement);
the board reads it; the public sees only the cost of crime, which says it is an estimate
and names its source.
"""

import io
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from csa.strategic import matrix_io, rounds
from csa.strategic.results import build
from ui.session import Viewer

ROOT = Path(__file__).resolve().parent.parent
OPEN = "Strategic assessment 2026"
ANALYST = Viewer("ana@example.org", "analyst", None, "Ana")
BOARD = Viewer("bo@example.org", "board", None, "Bo")


def page(
    path: str, viewer: Viewer | None = None, query: dict | None = None, embedded: bool = False
) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if viewer is not None:
        at.session_state["viewer"] = viewer
    if embedded:
        at.context["is_embedded"] = True
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.switch_page(path)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_analyst_sees_the_round_with_demo_label_and_tools(app_env):
    at = page("pages/strategic/strategic.py", ANALYST, {"round": OPEN})
    assert "DEMO DATA" in texts(at.warning)
    assert [t.label for t in at.tabs] == [
        "Ranked issues",
        "County aggregation",
        "Agreed priorities",
        "Run the round",
        "Method",
    ]
    assert any(b.label == "Save these scores" for b in at.button)
    assert at.get("download_button")[0].proto.label.startswith("Download the matrix")
    ranked = at.dataframe[0].value
    assert len(ranked) == 10  # Blackburn with Darwen's ten issues, ranked
    assert list(ranked.columns[:3]) == ["Rank", "Issue", "Weighted score (0-100)"]
    res = build(app_env, OPEN)
    bwd = res.area_ranked[res.area_ranked["area_code"] == "E06000008"]
    assert list(ranked["Issue"]) == list(bwd["issue_name"])


def test_county_aggregation_table_matches_the_results(app_env):
    at = page("pages/strategic/strategic.py", BOARD, {"round": OPEN})
    county = next(d.value for d in at.dataframe if "County rank" in d.value.columns)
    res = build(app_env, OPEN)
    assert list(county["Partnerships (of 14)"]) == list(res.county["partnerships_top5"])
    assert "Change" in county.columns


def test_board_reads_but_cannot_run_the_round(app_env):
    at = page("pages/strategic/strategic.py", BOARD, {"round": OPEN})
    assert "Run the round" not in [t.label for t in at.tabs]
    assert not any(b.label.startswith("Save") for b in at.button)


def test_agreed_priorities_link_to_themes_and_indicators(app_env):
    at = page("pages/strategic/strategic.py", BOARD, {"round": "Strategic assessment 2025"})
    links = next(d.value for d in at.dataframe if "CSA theme" in d.value.columns)
    assert len(links) == 14 * 5
    da = links[links["Issue"] == "Domestic abuse"].iloc[0]
    assert da["CSA theme"] == "Domestic abuse"
    assert "DA-01: Domestic abuse incidents and crimes" in da["Indicators"]


def test_the_public_cannot_open_the_strategic_page(app_env):
    from ui import navigation
    from ui.session import ANONYMOUS

    public = [p.path for p in navigation.pages_for(ANONYMOUS, embedded=False)]
    assert "pages/strategic/strategic.py" not in public and "pages/strategic/costs.py" in public
    embed = [p.path for p in navigation.pages_for(ANONYMOUS, embedded=True)]
    assert "pages/strategic/costs.py" in embed
    # and the page checks the role itself, whatever the navigation does: run the page file
    # on its own, without app.py and its navigation
    at = AppTest.from_file(str(ROOT / "pages" / "strategic" / "strategic.py"), default_timeout=120)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "please sign in" in texts(at.error)
    assert len(at.dataframe) == 0 and len(at.tabs) == 0


def _exported(db) -> bytes:
    return matrix_io.export_workbook(build(db, OPEN), rounds.partnership_codes(db), db.indicators())


def _edited(content: bytes, cell: str, value) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    wb["Scores"][cell] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_bad_upload_lists_every_problem_and_writes_nothing(app_env):
    before = app_env.assessment_scores(app_env.assessment_round(OPEN)["id"])
    at = page("pages/strategic/strategic.py", ANALYST, {"round": OPEN})
    at.file_uploader(key="sa_upload").upload(
        "matrix.xlsx", _edited(_exported(app_env), "G6", "high")
    )
    at.run()
    assert "cannot be imported: 1 problem" in texts(at.error)
    assert "Scores!G6: 'high' is not a number, expected a whole number from 1 to 5" in texts(
        at.code
    )
    assert not any(b.label == "Import these scores" for b in at.button)
    after = app_env.assessment_scores(app_env.assessment_round(OPEN)["id"])
    assert after["score"].tolist() == before["score"].tolist()


def test_good_upload_is_previewed_then_imported(app_env):
    content = _exported(app_env)
    current = openpyxl.load_workbook(io.BytesIO(content))["Scores"]["G6"].value
    new = 1 if current != 1 else 2
    at = page("pages/strategic/strategic.py", ANALYST, {"round": OPEN})
    at.file_uploader(key="sa_upload").upload("matrix.xlsx", _edited(content, "G6", new))
    at.run()
    assert "1 changed" in texts(at.info)
    click(at, "Import these scores")
    assert "Imported matrix.xlsx: 0 new, 1 changed" in texts(at.success)
    scores = app_env.assessment_scores(app_env.assessment_round(OPEN)["id"]).set_index(
        ["area_code", "issue_code", "criterion_code"]
    )
    assert scores.loc[("E06000008", "VIOLENCE", "HARM"), "score"] == new
    assert scores.loc[("E06000008", "VIOLENCE", "HARM"), "source"] == "uploaded"


def test_scores_entered_in_the_editor_are_saved(app_env):
    rid = app_env.assessment_round(OPEN)["id"]
    at = page("pages/strategic/strategic.py", ANALYST, {"round": OPEN})
    key = f"sa_scores_{rid}_E06000008"
    at.session_state[key] = {
        "edited_rows": {1: {"HARM": 1, "CONCERN": 5}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    click(at, "Save these scores")
    assert "Scores saved" in texts(at.success)
    scores = app_env.assessment_scores(rid).set_index(
        ["area_code", "issue_code", "criterion_code"]
    )["score"]
    # row 1 of the matrix is the second issue of the round, domestic abuse
    assert scores[("E06000008", "DA", "HARM")] == 1
    assert scores[("E06000008", "DA", "CONCERN")] == 5


def test_accepting_suggestions_and_agreeing_priorities_and_the_round(app_env):
    rid = app_env.assessment_round(OPEN)["id"]
    at = page("pages/strategic/strategic.py", ANALYST, {"round": OPEN})
    click(at, "Accept for all 14 partnerships")
    assert "Suggested scores accepted" in texts(at.success)
    ms = at.multiselect(key=f"sa_priorities_{rid}_E06000008")
    ms.set_value(["DA", "VIOLENCE"])
    at.run()
    click(at, "Save the agreed priorities")
    pr = app_env.assessment_priorities(rid)
    assert list(pr[pr["area_code"] == "E06000008"].sort_values("rank")["issue_code"]) == [
        "DA",
        "VIOLENCE",
    ]
    click(at, "Mark the round agreed (locks it)")
    assert app_env.assessment_round(OPEN)["status"] == "agreed"
    assert "is agreed" in texts(at.info)


def test_weights_not_summing_to_one_are_refused_in_the_app(app_env):
    rid = app_env.assessment_round(OPEN)["id"]
    at = page("pages/strategic/strategic.py", ANALYST, {"round": OPEN})
    at.session_state[f"sa_criteria_{rid}"] = {
        "edited_rows": {2: {"weight": 0.5}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    click(at, "Save criteria and weights")
    assert "cannot be used" in texts(at.error)
    assert "add up to 1.25, not 1" in texts(at.markdown)
    crit = app_env.assessment_criteria(rid).set_index("code")["weight"]
    assert crit["HARM"] == pytest.approx(0.25)


@pytest.mark.parametrize("embedded", [False, True])
def test_costs_page_is_public_labelled_as_an_estimate_with_its_source(app_env, embedded):
    at = page("pages/strategic/costs.py", None, {"area": "E06000008"}, embedded=embedded)
    info = texts(at.info)
    assert "Estimate" in info and "Heeks" in info and "GDP deflator" in info
    metrics = {m.label: m.value for m in at.metric}
    # Blackburn with Darwen's 3 homicides are hidden from the public (published: "primary"),
    # and its 1,717 crimes of violence with injury with them ("complementary": the hidden
    # total must not be small, see csa.disclosure). The total adds up the shown costed groups
    # only and says so: £41,810,730 less homicide 3 x £3,200,000 and violence with injury
    # 1,717 x £14,050 = £8,086,880 in 2015/16 prices x 1.3248709 = £10,714,072 = £10.7m;
    # per 1,000 of 155,762 people £68,785; crimes costed 4,890 - 3 - 1,717 = 3,170.
    excluding = "excluding homicide and violence with injury: hidden to protect a small number"
    assert metrics["Estimated cost of recorded crime (2024 prices)"] == "£10.7m"
    assert metrics["Per 1,000 people"] == "£68,785"
    assert metrics["Recorded crimes costed"] == "3,170 of 13,780"
    assert f"The estimate adds up the shown groups only, {excluding}." in texts(at.caption)
    groups = at.dataframe[0].value.set_index("Offence group")
    assert groups.loc["Residential burglary", "Estimated cost (2024 prices)"] == "not costed"
    assert (
        groups.loc["Homicide"][["Recorded crimes", "Estimated cost (2024 prices)"]]
        == ("fewer than 5")
    ).all()
    # violence with injury was its only costed part, and it is hidden too: nothing to add up
    assert (
        groups.loc["Violence against the person", "Estimated cost (2024 prices)"]
        == "hidden to protect a small number"
    )
    assert (
        groups.loc["Violence against the person", "Per 1,000 people"]
        == "hidden to protect a small number"
    )
    # death or serious injury by unlawful driving (2) is hidden as well; it is not costed,
    # so no cost leaves it out
    assert groups.loc["Death or serious injury caused by unlawful driving", "Recorded crimes"] == (
        "fewer than 5"
    )
    assert "1.0" not in " ".join(groups["Recorded crimes"])
    # every partnership's total is shown, compared like with like: each leaves out the costed
    # groups hidden for any of them (homicide and violence with injury); Blackburn with
    # Darwen's is its own total above, which leaves out the same two
    table = next(d.value for d in at.dataframe if "Crimes costed" in d.value.columns)
    table = table.set_index("Partnership")
    assert len(table) == 14
    assert not table["Estimated cost (£)"].str.contains("hidden").any()
    assert table.loc["Blackburn with Darwen", "Estimated cost (£)"] == "10,714,072"
    assert table.loc["Blackburn with Darwen", "Crimes costed"] == "3,170"
    assert list(table.index[:2]) == ["Ribble Valley", "Fylde"]  # the lowest per 1,000
    caption = texts(at.caption)
    assert "every partnership's estimate here leaves out the same groups, homicide and " in caption
    assert "violence with injury (hidden for some partnerships" in caption
    position = next(d.value for d in at.dataframe if "Position" in d.value.columns)
    position = position.set_index("Issue")
    # violent crime adds up violence with injury, hidden for the public here: no position
    assert tuple(position.loc["Violent crime", ["Recorded crimes", "Position"]]) == (
        "hidden to protect a small number",
        "not ranked",
    )
    # substance misuse (drug offences, 439 / 155,762 people = 2.8 per 1,000) is ranked
    assert tuple(position.loc["Substance misuse", ["Rate per 1,000", "Position"]]) == (
        "2.8",
        "11 of 14 (second-highest fifth)",
    )
    units = next(d.value for d in at.dataframe if "Unit cost 2015/16" in d.value.columns)
    units = units.set_index("Category")
    assert units.loc["Rape", "Unit cost 2015/16"] == "£39,360"
    assert units.loc["Domestic burglary", "Unit cost 2015/16"].startswith("not held")
    assert units.loc["Rape", "Entered"] == "bundled with the app"
    assert not any(b.label == "Save the unit cost" for b in at.button)  # public: no form


def test_costs_page_shows_every_figure_to_those_signed_in(app_env):
    at = page("pages/strategic/costs.py", ANALYST, {"area": "E06000008"})
    metrics = {m.label: m.value for m in at.metric}
    # £41,810,730 in 2015/16 prices x 1.3248709 = £55.4m; per 1,000 of 155,762 people
    assert metrics["Estimated cost of recorded crime (2024 prices)"] == "£55.4m"
    assert metrics["Per 1,000 people"] == "£355,631"
    assert metrics["Recorded crimes costed"] == "4,890 of 13,780"
    groups = at.dataframe[0].value.set_index("Offence group")
    assert groups.loc["Homicide", "Recorded crimes"] == "3"


def test_costs_page_places_lancashire_in_england_and_wales(app_env):
    at = page("pages/strategic/costs.py", None, {"area": "E06000008"})
    nat = next(d.value for d in at.dataframe if "Rate per 1,000 (95% CI)" in d.value.columns)
    lancs = nat.set_index("Area").loc["Lancashire"]
    # 128,435 / 1,570,373 x 1,000 = 81.8 per 1,000, year ending June 2025
    assert lancs["Rate per 1,000 (95% CI)"].startswith("81.8 (")
    assert lancs["Rank"].endswith("of 34 forces")
    assert lancs["Against England and Wales"] == "better than England and Wales"
    assert nat.set_index("Area").loc["Blackpool", "Rank"].endswith("of 283 partnerships")
    captions = "\n".join(c.value for c in at.caption)
    assert "no national" not in captions
    nw = next(d.value for d in at.dataframe if "Force" in d.value.columns)
    assert nw.set_index("Force").loc["Lancashire", "Rank"] == "2 of 4"


def _published(db, audience: str, **where):
    """What csa.publish stored for ``audience``: the texts every surface must show."""
    from csa import config, publish

    key = publish.ensure(db, config.load())
    return publish.read(db, key, audience, **where)


def _national_tables(at: AppTest):
    nat = next(d.value for d in at.dataframe if "Rate per 1,000 (95% CI)" in d.value.columns)
    forces = next(d.value for d in at.dataframe if "Force" in d.value.columns)
    csps = next(
        d.value
        for d in at.dataframe
        if d.value.columns.tolist()[:2] == ["Rank", "Partnership"] and len(d.value) == 14
    )
    return nat.set_index("Area"), forces.set_index("Force"), csps.set_index("Partnership")


def test_england_and_wales_tables_hide_what_the_published_figures_hide(app_env):
    """Fylde's homicide (Table C2: 1) is a published REC-HOM figure hidden from the public
    ("fewer than 5"), and its violence with injury is hidden to protect it; pan-Lancashire's
    homicide is hidden too, so that the districts' hidden counts cannot be worked out from
    the force's. The England and Wales table and the comparator groups hide the same
    counts, with their rates, ranks and comparisons; signed in, the Home Office's figures."""
    fylde = "E07000119"
    published = _published(
        app_env, "public", indicators=["REC-HOM", "REC-VWI"], areas=[fylde, "E23000003"]
    ).set_index(["indicator_code", "area_code"])
    assert published.loc[("REC-HOM", fylde), "value_text"] == "fewer than 5"
    at = page("pages/strategic/costs.py", None, {"area": fylde})
    for offence, code in (("homicide", "REC-HOM"), ("violence_with_injury", "REC-VWI")):
        at.selectbox(key="national_offence").select(offence)
        at.run()
        assert not at.exception
        nat, forces, csps = _national_tables(at)
        for area, row in ((fylde, "Fylde"), ("E23000003", "Lancashire")):
            figure = published.loc[(code, area)]
            shown = set(nat.loc[row].drop("Population"))
            if figure["hidden"]:
                assert shown == {figure["value_text"]}, (offence, row)
            else:
                assert not any("hidden" in v or "fewer than" in v for v in shown), (offence, row)
        assert set(csps.loc["Fylde", ["Recorded crimes", "Rate per 1,000"]]) == {
            published.loc[(code, fylde), "value_text"]
        }
        assert csps.loc["Fylde", "Rank"] == "not ranked"
        assert nat.loc["Fylde", "Population"] == 83846
    # pan-Lancashire's homicide is hidden for the public: the force's count with it
    assert published.loc[("REC-HOM", "E23000003"), "hidden"]
    at.selectbox(key="national_offence").select("homicide")
    at.run()
    nat, forces, _csps = _national_tables(at)
    why = published.loc[("REC-HOM", "E23000003"), "value_text"]
    assert set(nat.loc["Lancashire"].drop("Population")) == {why}
    assert tuple(forces.loc["Lancashire"]) == ("not ranked", why, why)
    assert forces.loc["Merseyside", "Recorded crimes"] == "18"  # not ours: as published
    # violence with injury is not small for Lancashire: the force is shown and ranked
    at.selectbox(key="national_offence").select("violence_with_injury")
    at.run()
    nat, forces, _csps = _national_tables(at)
    assert nat.loc["Lancashire", "Rank"].endswith("forces")
    board = page("pages/strategic/costs.py", BOARD, {"area": fylde})
    board.selectbox(key="national_offence").select("homicide")
    board.run()
    nat, forces, csps = _national_tables(board)
    assert nat.loc["Fylde", "Recorded crimes"] == "1"
    assert nat.loc["Lancashire", "Recorded crimes"] == "13"
    assert forces.loc["Lancashire", "Rank"] == "2 of 4"


def test_analyst_enters_a_missing_unit_cost_and_the_group_is_costed(app_env):
    at = page("pages/strategic/costs.py", ANALYST, {"area": "E06000008"})
    form_button = next(b for b in at.button if b.label == "Save the unit cost")
    category = next(s for s in at.selectbox if s.label == "Category")
    assert category.value == "Violence without injury"  # the first category not held
    category.set_value("Domestic burglary")
    next(n for n in at.number_input if n.label.startswith("Unit cost per crime")).set_value(1000.0)
    next(t for t in at.text_input if t.label == "Source").set_value("a")
    form_button.click()
    at.run()
    assert "was not saved" in texts(at.error)
    assert "source must say where" in texts(at.markdown)
    next(t for t in at.text_input if t.label == "Source").set_value(
        "test figure for the arithmetic, not from the report"
    )
    next(b for b in at.button if b.label == "Save the unit cost").click()
    at.run()
    assert not at.exception
    assert "Domestic burglary: unit cost added." in texts(at.success)
    groups = at.dataframe[0].value.set_index("Offence group")
    # 386 residential burglaries x £1,000 x 1.32487 = £511,400
    assert groups.loc["Residential burglary", "Estimated cost (2024 prices)"] == "£511,400"
    units = next(d.value for d in at.dataframe if "Unit cost 2015/16" in d.value.columns)
    assert (
        units.set_index("Category").loc["Domestic burglary", "Entered"].startswith("by an analyst")
    )
    entry = app_env.audit_entries(actions=["unit_cost_set"]).iloc[0]
    assert entry["user_email"] == "ana@example.org"
