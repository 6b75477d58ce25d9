"""AppTest of the recovery-plan register, the plan editor and the board pack page: from a
critical indicator to a drafted, submitted and approved plan, as real people would."""

from __future__ import annotations

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from csa import config as csa_config
from csa.access import Actor, can_see_indicator
from csa.plans import workflow
from csa.plans.evidence import evidence_for
from tests.conftest import app_test, reachable
from ui.session import Viewer

PERIOD = "2026-27 Q2"
OFFICER = Viewer("officer@lancashire.police.uk", "officer", "LVRN", "Lee Officer")
POLICE = Viewer("jo@lancashire.police.uk", "officer", "LANCS-POLICE", "Jo")
BOARD = Viewer("board@lancashire.gov.uk", "board", None, "Chair")
TIMEOUT = 240  # assessing every indicator for a quarter takes a while on a busy machine


def app(viewer: Viewer, page: str | None = None, **query) -> AppTest:
    at = app_test(viewer, timeout=TIMEOUT)
    if page:
        at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest) -> str:
    parts = (
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [w.value for w in at.warning]
        + [e.value for e in at.error]
        + [s.value for s in at.success]
        + [i.value for i in at.info]
    )
    return "\n".join(str(p) for p in parts)


def unescaped(markdown: str) -> str:
    """What the reader sees of Markdown escaped with ui.format.md."""
    return re.sub(r"\\(.)", r"\1", markdown)


def drafted_plan(db) -> int:
    ev = evidence_for(db, csa_config.load(), "VIO-01", "E07000117", PERIOD)
    return workflow.create_plan(
        db,
        OFFICER.actor,
        indicator_code="VIO-01",
        area_code="E07000117",
        period_label=PERIOD,
        evidence=ev,
    )


COMPLETE = {
    "root_causes": ["Night-time economy violence in Burnley town centre"],
    "actions": [
        {
            "description": "Extra patrols on Friday and Saturday nights",
            "owner_org": "LANCS-POLICE",
            "owner": "Chief Inspector, Burnley",
            "due_date": "2020-01-31",
            "status": "in progress",
        }
    ],
    "trajectory": {"2026-27 Q3": 3.8, "2026-27 Q4": 3.5, "2027-28 Q1": 3.2},
    "risks": ["Funding ends in March"],
    "resources": "Two officers",
    "review_date": "2020-03-31",
}


def test_register_lists_critical_indicators_and_the_lead_drafts_a_county_plan(app_env):
    from csa import publish

    key = publish.ensure(app_env, csa_config.load())
    published = publish.read(app_env, key, "signed_in", periods=[PERIOD])
    critical = published[published["critical"]]
    names = dict(zip(app_env.areas()["code"], app_env.areas()["name"], strict=True))
    kinds = dict(zip(app_env.areas()["code"], app_env.areas()["kind"], strict=True))

    at = app(OFFICER, "pages/plans/plans.py", period=PERIOD)
    assert not at.exception
    assert at.title[0].value == "Recovery plans"
    body = texts(at)
    assert "**Violence with injury**" in body
    assert "⚠ Critical: no recovery plan yet" in body
    burnley_etc = critical.loc[critical["indicator_code"] == "VIO-01", "area_code"]
    assert len(burnley_etc) > 1  # critical in several areas, and one row for them all
    assert f"Critical in {len(burnley_etc)} areas" in unescaped(body)
    assert "Burnley" in unescaped(body)
    assert "nan" not in body.lower().replace("financial", "")
    keys = {b.key for b in at.button if b.label == "Draft a recovery plan"}
    # one draft button per indicator; an officer sees the indicators their organisation leads
    assert keys == {"draft_VIO-01", "draft_VIO-02"} & {
        f"draft_{c}" for c in critical["indicator_code"]
    }
    # the tiles follow the filter: the critical indicators this officer's list shows
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["⚠ Critical indicators"] == str(len(keys))
    assert "The lead (Lancashire Constabulary) drafts the plan." not in body
    at.toggle(key="plans_mine").set_value(False).run()
    keys = {b.key for b in at.button if b.label == "Draft a recovery plan"}
    # every critical indicator once (a handful of rows, not one per area) ...
    inds = app_env.indicators().set_index("code")
    visible = {
        c
        for c in critical["indicator_code"]
        if can_see_indicator(
            OFFICER.actor, bool(inds.loc[c, "public"]), inds.loc[c, "lead_org_code"]
        )
    }
    assert "SOC-01" not in visible  # restricted to the police and the board
    assert {m.label: m.value for m in at.metric}["⚠ Critical indicators"] == str(len(visible))
    # ... and the officer may not draft plans for indicators the police lead (DA-02)
    assert "draft_VIO-01" in keys
    assert "draft_DA-02" not in keys
    assert "The lead (Lancashire Constabulary) drafts the plan." in texts(at)

    at.button(key="draft_VIO-01").click().run()
    assert not at.exception
    plans = app_env.plans()
    assert len(plans) == 1
    plan = app_env.plan(int(plans["id"].iloc[0]))
    assert (plan["indicator_code"], plan["area_code"], plan["state"]) == (
        "VIO-01",
        "E23000003",
        "draft",
    )
    assert plan["content"]["target_areas"] == sorted(
        burnley_etc,
        # the county first, then Lancashire-12, the policing areas, the rest by name
        key=lambda a: ({"pan": 0, "county": 1, "policing_area": 2}.get(kinds[a], 3), names[a]),
    )
    assert plan["content"]["evidence"]["area_code"] == "E23000003"
    # the draft opened in the editor, with its evidence: each area's contribution
    assert at.title[0].value == "Recovery plan"
    assert unescaped(at.header[0].value) == (
        "Recovery plan: Violence with injury, Pan-Lancashire (14 areas) (2026-27 Q2)"
    )
    assert "Drafted from the evidence" in texts(at)
    assert "Which areas drive Pan-Lancashire (14 areas)'s change" in [s.value for s in at.subheader]


def test_the_lead_completes_and_submits_then_the_board_approves(app_env):
    plan_id = drafted_plan(app_env)
    at = app(OFFICER, "pages/plans/plan_editor.py", plan=str(plan_id))
    assert not at.exception
    suffix = f"{plan_id}_1"
    at.text_area(key=f"causes_{suffix}").input("Night-time economy violence\nLess CCTV")
    at.text_area(key=f"risks_{suffix}").input("Funding ends in March")
    at.text_area(key=f"resources_{suffix}").input("Two officers, one analyst")
    at.date_input(key=f"review_{suffix}").set_value(date(2027, 1, 31))
    at.session_state[f"actions_{suffix}"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [
            {
                "description": "Extra patrols on Friday and Saturday nights",
                "owner_org": "LANCS-POLICE",
                "owner": "Chief Inspector, Burnley",
                "due_date": "2026-12-31",
                "status": "in progress",
            }
        ],
    }
    submit = next(b for b in at.button if b.label == "Submit to the strategy group")
    submit.click().run()
    assert not at.exception, at.exception
    plan = app_env.plan(plan_id)
    assert plan["state"] == "submitted", texts(at)
    content = plan["content"]
    assert content["root_causes"] == ["Night-time economy violence", "Less CCTV"]
    assert content["actions"] == [
        {
            "description": "Extra patrols on Friday and Saturday nights",
            "owner_org": "LANCS-POLICE",
            "owner": "Chief Inspector, Burnley",
            "due_date": "2026-12-31",
            "status": "in progress",
        }
    ]
    # the trajectory was pre-filled: a straight line from the latest figure to the target
    ev = content["evidence"]["figures"]
    traj = content["trajectory"]
    assert list(traj) == ["2026-27 Q3", "2026-27 Q4", "2027-28 Q1", "2027-28 Q2"]
    assert traj["2027-28 Q2"] == pytest.approx(ev["target"], rel=1e-5)
    assert "Submitted to the strategy group for approval." in texts(at)

    board = app(BOARD, "pages/plans/plan_editor.py", plan=str(plan_id))
    assert not board.exception
    assert "Submit to the strategy group" not in [b.label for b in board.button]
    next(b for b in board.button if b.label == "Return with comments").click().run()
    assert "Say why the plan is returned" in texts(board)
    assert app_env.plan(plan_id)["state"] == "submitted"
    next(b for b in board.button if b.label == "Approve").click().run()
    assert not board.exception
    assert app_env.plan(plan_id)["state"] == "approved"
    assert app_env.current_trajectory("VIO-01", "E07000117") == traj
    versions = app_env.plan_versions(plan_id)
    assert versions["state"].tolist() == ["draft", "submitted", "approved"]
    assert versions["saved_by"].tolist()[-1] == BOARD.email


def test_submitting_an_incomplete_plan_shows_what_is_missing(app_env):
    plan_id = drafted_plan(app_env)
    at = app(OFFICER, "pages/plans/plan_editor.py", plan=str(plan_id))
    next(b for b in at.button if b.label == "Submit to the strategy group").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Root causes: give at least one" in errors
    assert "Actions: give at least one" in errors
    assert "Review date: set the date" in errors
    assert app_env.plan(plan_id)["state"] == "draft"


def test_an_officer_of_another_organisation_only_reads(app_env):
    plan_id = drafted_plan(app_env)
    at = app(POLICE, "pages/plans/plan_editor.py", plan=str(plan_id))
    assert not at.exception
    labels = {b.label for b in at.button}
    assert not labels & {"Save version", "Submit to the strategy group", "Approve"}
    assert "Only the lead organisation (Lancashire Violence Reduction Network)" in texts(at)


def test_register_flags_overdue_actions_and_reviews(app_env):
    plan_id = drafted_plan(app_env)
    workflow.submit_plan(app_env, OFFICER.actor, plan_id, COMPLETE)
    workflow.approve_plan(app_env, Actor(BOARD.email, "board"), plan_id)
    at = app(BOARD, "pages/plans/plans.py", period=PERIOD)
    assert not at.exception
    body = texts(at)
    assert "◷ 1 action overdue" in body
    assert "◷ Review overdue (due 2020-03-31)" in body
    # the board sees the plan (an older one for Burnley, attached to its indicator), not a
    # draft button, for the indicator's row
    assert "draft_VIO-01" not in {b.key for b in at.button}
    assert f"Plan {plan_id} for Burnley · Review date 2020\\-03\\-31" in body
    editor = app(BOARD, "pages/plans/plan_editor.py", plan=str(plan_id))
    warnings = unescaped(" ".join(w.value for w in editor.warning))
    assert (
        "Overdue actions: 1. Extra patrols on Friday and Saturday nights (due "
        "2020-01-31" in warnings
    )
    assert "Review overdue: the review date 2020-03-31 has passed." in warnings


@pytest.mark.parametrize(
    "viewer,reaches",
    [
        (None, set()),
        (OFFICER, {"pages/plans/plans.py", "pages/plans/plan_editor.py"}),
        (
            BOARD,
            {"pages/plans/plans.py", "pages/plans/plan_editor.py", "pages/plans/board_pack.py"},
        ),
    ],
)
def test_who_reaches_the_plan_pages(app_env, viewer, reaches):
    at = app_test(viewer, timeout=TIMEOUT)
    got = {
        p
        for p in ("pages/plans/plans.py", "pages/plans/plan_editor.py", "pages/plans/board_pack.py")
        if reachable(at, p)
    }
    assert got == reaches


def test_board_pack_page_previews_and_offers_downloads(app_env):
    at = app(BOARD, "pages/plans/board_pack.py", period=PERIOD)
    assert not at.exception
    assert at.header[0].value == f"Performance and Priorities Update: {PERIOD}"
    labels = [d.label for d in at.get("download_button")]
    assert labels == ["Download Word document", "Download Excel figures"]
    expanders = [e.label for e in at.expander]
    assert any(label.startswith("Violence with injury") for label in expanders)
    assert any(label.startswith("Organised crime group disruptions") for label in expanders)
    # 5. Lancashire's relative position: the force, 128,435 / 1,570,373 x 1,000 = 81.8
    assert "5. Lancashire's relative position" in [s.value for s in at.subheader]
    force = at.dataframe[-2].value.set_index("Offence group")
    total = force.loc["Total recorded crime (excluding fraud)"]
    assert total["Rate per 1,000 (95% CI)"] == "81.8 (81.3 to 82.2)"
    assert total["Rank of forces"] == "21 of 34"
    assert total["vs England and Wales"] == "▲ Lower (86.9)"
    csps = at.dataframe[-1].value.set_index("Partnership")
    assert csps.loc["Ribble Valley", "Rank of partnerships"] == "3 of 283"
    at.radio(key="pack_audience").set_value("public").run()
    assert not at.exception
    expanders = [e.label for e in at.expander]
    assert not any(label.startswith("Organised crime group disruptions") for label in expanders)


PIXEL = "![x](http://evil.example/pixel.png?who=board)"
LINK = "[click here](http://evil.example/login)"


def test_plan_text_is_shown_as_plain_text_never_as_a_live_image_or_link(app_env):
    plan_id = drafted_plan(app_env)
    hostile = dict(COMPLETE)
    hostile["root_causes"] = [f"Cause {PIXEL}"]
    hostile["risks"] = [f"Risk {LINK}"]
    hostile["resources"] = f"Resources {PIXEL}"
    hostile["actions"] = [dict(COMPLETE["actions"][0], description=f"Act {LINK}")]
    workflow.submit_plan(app_env, OFFICER.actor, plan_id, hostile)
    workflow.return_plan(app_env, Actor(BOARD.email, "board"), plan_id, f"Comment {PIXEL}")
    at = app(BOARD, "pages/plans/plan_editor.py", plan=str(plan_id))
    assert not at.exception
    shown = texts(at) + "\n" + "\n".join(h.value for h in at.header)
    assert "pixel" in shown  # the text is there ...
    live = re.findall(r"(?<!\\)\]\((?:http|//)", shown)
    assert live == []  # ... but no Markdown link or image is left unescaped


def test_the_editor_draws_the_published_figures_spc_chart(app_env):
    from csa import publish
    from tests.test_pages_scorecard import chart_data
    from ui import charts

    plan_id = drafted_plan(app_env)
    at = app(OFFICER, "pages/plans/plan_editor.py", plan=str(plan_id))
    assert not at.exception
    key = publish.ensure(app_env, csa_config.load())
    rows = publish.read(app_env, key, "signed_in", indicators=["VIO-01"], areas=["E07000117"])
    figure = rows.iloc[-1].to_dict()
    spc = publish.spc_chart(figure, rows)
    spec, frames = next(c for c in chart_data(at) if "Violence with injury" in str(c[0]["title"]))
    points = next(f for f in frames if "point_class" in f).dropna(subset=["value"])
    assert list(points["period_label"]) == list(spc["period_label"])
    assert points["value"].tolist() == pytest.approx(spc["value"].tolist())
    assert list(points["point_class"]) == [charts.class_words(c) for c in spc["point_class"]]
    assert points["point_class"].iloc[-1] == charts.class_words(
        charts.variation_class(figure["variation"])
    )
    assert points["upl"].tolist() == pytest.approx(spc["upl"].tolist())
    # the published target, drawn as a rule, and said in words under the chart
    target = next(f for f in frames if "target" in f)
    assert target["target"].tolist() == pytest.approx([figure["target"]])
    assert f"Target: {figure['target_text']}." in texts(at)


def test_the_editor_shows_each_areas_share_of_the_rise_or_the_fall(app_env):
    from tests.test_pages_scorecard import chart_data

    plan_id = drafted_plan(app_env)
    evidence = app_env.plan(plan_id)["content"]["evidence"]
    at = app(OFFICER, "pages/plans/plan_editor.py", plan=str(plan_id))
    assert not at.exception
    blocks = [b for b in evidence["contributions"] if (b.get("change") or {}).get("rows")]
    tables = [d.value for d in at.dataframe if "Share of the total rise or fall" in d.value.columns]
    assert len(tables) == len(blocks) >= 1
    for block, table in zip(blocks, tables, strict=True):
        rows = block["change"]["rows"]
        assert list(table.columns) == [
            "Area",
            "Before",
            "Now",
            "Contribution",
            "Direction",
            "Share of the total rise or fall",
        ]
        words = {"rise": "Pushed it up", "fall": "Pulled it down", "none": "No change"}
        assert list(table["Direction"]) == [words[r["direction"]] for r in rows]
        shares = table["Share of the total rise or fall"].tolist()
        expected = [float("nan") if r["share"] is None else r["share"] for r in rows]
        assert shares == pytest.approx(expected, nan_ok=True)  # a zero contribution: no share
        # the shares of the rises add up to 100%, and so do those of the falls
        for way in ("Pushed it up", "Pulled it down"):
            part = table.loc[table["Direction"] == way, "Share of the total rise or fall"]
            if len(part):
                assert part.sum() == pytest.approx(1.0)
    contribution_specs = [
        spec for spec, _f in chart_data(at) if "Contributions to" in str(spec.get("title"))
    ]
    assert len(contribution_specs) == len(blocks)
    assert all(spec["height"] >= 260 for spec in contribution_specs)
