"""The quarterly board pack: its content from the assessment, the Word and Excel exports
opened back with python-docx and openpyxl, the public version, and the command line."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from csa import accounts, formatting, publish
from csa import config as csa_config
from csa.access import SYSTEM, Actor
from csa.assess import Inputs, assess
from csa.db import Database
from csa.plans import workflow
from csa.plans.evidence import evidence_for
from csa.reports import board_pack, docx_export, xlsx_export

ROOT = Path(__file__).resolve().parent.parent
PERIOD = "2026-27 Q2"
TODAY = date(2026, 11, 20)
LEAD = Actor("officer@lvrn.org.uk", "officer", "LVRN")
BOARD = Actor("board@lancashire.gov.uk", "board")
EVIL = '=HYPERLINK("http://example.invalid","click")'
TRAJECTORY = {"2026-27 Q3": 4.2, "2026-27 Q4": 3.8, "2027-28 Q1": 3.28}


@pytest.fixture(scope="module")
def pack_db(sqlite_template, tmp_path_factory):
    """A seeded database with an approved plan for Burnley's violence whose first action is
    overdue on TODAY and whose text would be a formula in a spreadsheet."""
    path = tmp_path_factory.mktemp("pack") / "csa.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    inputs = Inputs.from_db(db)
    ev = evidence_for(db, csa_config.load(), "VIO-01", "E07000117", PERIOD, inputs=inputs)
    plan_id = workflow.create_plan(
        db, LEAD, indicator_code="VIO-01", area_code="E07000117", period_label=PERIOD, evidence=ev
    )
    workflow.submit_plan(
        db,
        LEAD,
        plan_id,
        {
            "root_causes": ["Night-time economy violence"],
            "risks": [],
            "resources": "",
            "actions": [
                {
                    "description": EVIL,
                    "owner_org": "LANCS-POLICE",
                    "owner": "Chief Inspector, Burnley",
                    "due_date": "2026-10-31",
                    "status": "in progress",
                },
                {
                    "description": "Licensing review",
                    "owner_org": "Burnley council",
                    "owner": "Licensing manager",
                    "due_date": "2027-03-31",
                    "status": "not started",
                },
            ],
            "trajectory": TRAJECTORY,
            "review_date": "2027-01-31",
        },
    )
    workflow.approve_plan(db, BOARD, plan_id, "Agreed")
    accounts.add_user(db, SYSTEM, "chair@lancashire.gov.uk", "board")
    accounts.add_user(db, SYSTEM, "jo@lancashire.police.uk", "officer", org_code="LANCS-POLICE")
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def inputs(pack_db):
    return Inputs.from_db(pack_db)


@pytest.fixture(scope="module")
def board(pack_db, inputs):
    return board_pack.build(pack_db, PERIOD, "board", today=TODAY, inputs=inputs)


@pytest.fixture(scope="module")
def public(pack_db, inputs):
    return board_pack.build(pack_db, PERIOD, "public", today=TODAY, inputs=inputs)


@pytest.fixture(scope="module")
def board_docx(board):
    return Document(io.BytesIO(docx_export.board_pack_docx(board)))


def pan_verdicts(inputs, codes, period=PERIOD):
    return {
        v.indicator_code: v
        for v in assess(
            inputs,
            csa_config.load(),
            period_labels=[period],
            area_codes=["E23000003"],
            indicator_codes=codes,
        )
    }


def test_summary_by_key_issue_matches_the_assessment(board, inputs):
    assert list(board.summary["Key issue"]) == [
        "Domestic abuse",
        "Violence",
        "Exploitation, criminal and sexual",
        "Serious organised crime",
        "Road safety",
        "Anti-social behaviour",
        "Alcohol",
        "Drugs",
        "Reoffending",
    ]
    violence = board.summary.set_index("Key issue").loc["Violence"]
    rags = [v.rag for v in pan_verdicts(inputs, ["VIO-01", "VIO-02"]).values()]
    assert violence["Indicators"] == 2
    assert violence["Off track"] == rags.count("red")
    assert violence["At risk"] == rags.count("amber")
    assert violence["On track"] == rags.count("green")
    all_violence = assess(
        inputs, csa_config.load(), period_labels=[PERIOD], indicator_codes=["VIO-01", "VIO-02"]
    )
    assert violence["Critical (any area)"] == sum(v.critical for v in all_violence)
    assert board.counts()["plans_open"] == 1
    assert board.counts()["actions_overdue"] == 1


def test_sections_carry_the_burnley_plan_and_its_trajectory(board, inputs):
    sections = {s.indicator_code: s for s in board.sections}
    vio = sections["VIO-01"]
    pan = pan_verdicts(inputs, ["VIO-01"])["VIO-01"]
    assert vio.headline.area_code == "E23000003"
    assert (vio.headline.rag, vio.headline.critical) == (pan.rag, pan.critical)
    assert vio.headline.reasons == list(pan.reasons)
    burnley = next(i for i in vio.areas if i.area_code == "E07000117")
    assert (burnley.plan_state, burnley.critical) == ("approved", True)
    assert burnley.trajectory == TRAJECTORY
    assert [c.area_code for c in vio.charts] == ["E23000003", "E07000117"]
    assert burnley.series["period_label"].iloc[-1] == PERIOD
    assert len(burnley.series) == 13
    table = vio.table()
    assert table.loc[table["Area"] == "Burnley", "Recovery plan"].item() == "Approved"
    # every listed area is off track in a headline area or critical anywhere
    for item in board.items:
        assert item.critical or (
            item.rag == "red" and item.area_code in {"E23000003", "PA-EAST", "PA-WEST", "PA-SOUTH"}
        )


def test_changes_since_last_quarter_are_real_changes(board, inputs):
    assert board.previous_period == "2026-27 Q1"
    assert not board.changes.empty
    for row in board.changes.itertuples(index=False):
        assert row._2 != row._3  # last quarter's and this quarter's words differ
    now = pan_verdicts(inputs, ["VIO-01"])["VIO-01"]
    before = pan_verdicts(inputs, ["VIO-01"], "2026-27 Q1")["VIO-01"]
    vio = board.changes[
        (board.changes["Indicator"] == "Violence with injury")
        & (board.changes["Area"] == "Pan-Lancashire (14 areas)")
    ]
    if (now.rag, now.critical) == (before.rag, before.critical):
        assert vio.empty
    else:
        assert len(vio) == 1
        if now.critical and not before.critical:
            assert vio["Change"].item() == "⚠ Newly critical"


def test_restricted_indicators_only_in_the_board_version(board, public):
    assert "SOC-01" in {s.indicator_code for s in board.sections}
    assert "SOC-01" in set(board.figures["Indicator code"])
    assert "SOC-01" not in {s.indicator_code for s in public.sections}
    assert "SOC-01" not in set(public.figures["Indicator code"])
    assert "SOC-01" not in set(public.plans["indicator_code"])
    assert public.restricted_left_out == 1
    assert public.overdue_actions.empty and len(board.overdue_actions) == 1
    # small counts are not published: values blanked, and said so
    hidden = public.figures[public.figures["Hidden"] != ""]
    assert not hidden.empty
    assert hidden["Value"].isna().all() and hidden["Target"].isna().all()
    assert set(hidden["Status"]) <= {"fewer than 5", "hidden to protect a small number"}
    assert (hidden["Figure"] == hidden["Status"]).all()


def test_word_document(board, board_docx):
    doc = board_docx
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == f"Performance and Priorities Update: {PERIOD}"
    assert "1. Summary by key issue" in headings
    assert "3. Recovery plans" in headings and "4. Changes since last quarter" in headings
    numbered = [h for h in headings if h.startswith("2.") and not h.startswith("2. ")]
    assert numbered == [f"2.{i} {s.indicator_title}" for i, s in enumerate(board.sections, start=1)]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "DEMO DATA" in text
    summary = doc.tables[0]
    assert [c.text for c in summary.rows[0].cells] == list(board.summary.columns)
    assert [c.text for c in summary.rows[2].cells][:3] == ["Violence", "Key issue", "2"]
    charts = sum(1 for s in board.sections for c in s.charts if len(c.series) >= 2)
    assert len(doc.inline_shapes) == charts >= len(board.sections)
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert EVIL in cells  # the overdue action, named for the board
    assert "Chief Inspector, Burnley" in cells
    assert doc.sections[0].footer.paragraphs[0].text.startswith(board.title)


def test_public_word_document_leaves_restricted_and_owners_out(public):
    doc = Document(io.BytesIO(docx_export.board_pack_docx(public)))
    text = "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )
    assert "Organised crime group disruptions" not in text
    assert "Chief Inspector, Burnley" not in text and EVIL not in text
    assert "for publication (restricted indicators left out)" in text
    assert "1 actions are overdue; their owners are named in the board's version" in text


def test_excel_workbook_neutralises_formulas(board, public):
    wb = load_workbook(io.BytesIO(xlsx_export.board_pack_xlsx(board)))
    assert wb.sheetnames == [
        "Summary",
        "Off track and critical",
        "Plans by indicator",
        "Recovery plans",
        "Overdue actions",
        "Changes since last quarter",
        "Figures",
        "Relative position (force)",
        "Relative position (CSPs)",
        "About",
    ]
    ws = wb["Overdue actions"]
    header = [c.value for c in ws[3]]
    row = dict(zip(header, [c.value for c in ws[4]], strict=True))
    assert row["Action"] == "'" + EVIL
    assert ws.cell(row=4, column=header.index("Action") + 1).data_type == "s"
    assert row["Days overdue"] == 20  # due 31 October, judged on 20 November
    assert ws["A1"].value.startswith(f"Performance and Priorities Update: {PERIOD}.")
    figures = wb["Figures"]
    fh = [c.value for c in figures[3]]
    rows = [dict(zip(fh, [c.value for c in r], strict=True)) for r in figures.iter_rows(min_row=4)]
    burnley = next(
        r for r in rows if (r["Indicator code"], r["Area code"]) == ("VIO-01", "E07000117")
    )
    item = next(
        i for i in board.items if (i.indicator_code, i.area_code) == ("VIO-01", "E07000117")
    )
    assert burnley["Value"] == pytest.approx(item.value)
    assert burnley["Figure"] == item.value_text
    assert burnley["Critical"] == "yes"
    assert not any(
        isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))
        for sheet in wb
        for r in sheet.iter_rows()
        for c in r
    )

    pub = load_workbook(io.BytesIO(xlsx_export.board_pack_xlsx(public)))
    assert "Overdue actions" not in pub.sheetnames
    codes = {r[0].value for r in pub["Figures"].iter_rows(min_row=4)}
    assert "SOC-01" not in codes and "VIO-01" in codes


def test_plan_as_word(pack_db, inputs):
    plan_id = int(pack_db.plans()["id"].iloc[0])
    doc = Document(
        io.BytesIO(docx_export.plan_document(pack_db, plan_id, today=TODAY, inputs=inputs))
    )
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Recovery plan: Violence with injury, Burnley (2026-27 Q2)"
    assert headings[1:3] == [
        "1. What the data says",
        "Which areas drive East policing area's change since a year earlier",
    ]
    assert {
        "2. Root causes",
        "3. Actions",
        "4. Expected recovery trajectory",
        "5. Risks",
        "6. Resources",
        "7. Review and progress",
        "Version history",
    } <= set(headings)
    assert len(doc.inline_shapes) >= 3  # the trend, and a contribution chart per grouping
    actions = next(t for t in doc.tables if t.rows[0].cells[1].text == "Action")
    assert actions.rows[1].cells[5].text == "in progress · ⚠ OVERDUE"
    assert actions.rows[2].cells[5].text == "not started"
    trajectory = next(t for t in doc.tables if t.rows[0].cells[0].text == "Period")
    assert [r.cells[0].text for r in trajectory.rows[1:]] == list(TRAJECTORY)
    history = doc.tables[-1]
    assert [r.cells[1].text for r in history.rows[1:]] == [
        "Draft",
        "Submitted for approval",
        "Approved",
    ]


@pytest.mark.parametrize(
    "period,audience,message",
    [
        ("2030-31 Q1", "board", "unknown period"),
        (PERIOD, "press", "audience must be one of board, public"),
    ],
)
def test_build_refuses_bad_input(pack_db, inputs, period, audience, message):
    with pytest.raises(ValueError, match=message):
        board_pack.build(pack_db, period, audience, inputs=inputs)


# -- the command line ------------------------------------------------------------------------
def cli(*args, url):
    env = {"CSA_DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "csa", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["-o", "x.pdf"], 2, "the file name must end in .docx (Word) or .xlsx (Excel)"),
        (["-o", "x.docx", "--period", "2031-32 Q1"], 2, "unknown quarter '2031-32 Q1'"),
        (["-o", "x.docx", "--user", "nobody@example.org"], 2, "no such registered user"),
        (
            ["-o", "x.docx", "--user", "jo@lancashire.police.uk"],
            3,
            "may not view board pack; it needs the role admin, analyst, board",
        ),
    ],
)
def test_cli_refuses_clearly(pack_db, tmp_path, args, code, message):
    args = [a if a not in ("x.pdf", "x.docx") else str(tmp_path / a) for a in args]
    result = cli("board-pack", *args, url=pack_db.url)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_cli_writes_word_and_excel(pack_db, tmp_path):
    out = tmp_path / "update.docx"
    result = cli(
        "board-pack",
        "--period",
        PERIOD,
        "-o",
        str(out),
        "--user",
        "chair@lancashire.gov.uk",
        "--today",
        "2026-11-20",
        url=pack_db.url,
    )
    assert result.returncode == 0, result.stderr
    assert (
        f"Wrote {out}: Word document, Performance and Priorities Update: {PERIOD}" in result.stdout
    )
    doc = Document(str(out))
    assert doc.paragraphs[0].text == f"Performance and Priorities Update: {PERIOD}"
    xlsx = tmp_path / "update.xlsx"
    result = cli(
        "board-pack", "--period", PERIOD, "-o", str(xlsx), "--audience", "public", url=pack_db.url
    )
    assert result.returncode == 0, result.stderr
    assert "Overdue actions" not in load_workbook(xlsx).sheetnames
    log = pack_db.audit_log(action="board_pack_export")
    # command-line actions are attributed "cli:<OS login> as <email>"
    assert any(str(u).endswith(" as chair@lancashire.gov.uk") for u in log["user_email"])
    assert len(log) >= 2


def test_cli_plans_register_and_export(pack_db, tmp_path):
    listed = cli("plans", "list", url=pack_db.url)
    assert listed.returncode == 0, listed.stderr
    assert "approved   VIO-01   Burnley" in listed.stdout
    plan_id = int(pack_db.plans()["id"].iloc[0])
    out = tmp_path / "plan.docx"
    exported = cli(
        "plans",
        "--user",
        "chair@lancashire.gov.uk",
        "export",
        str(plan_id),
        "-o",
        str(out),
        url=pack_db.url,
    )
    assert exported.returncode == 0, exported.stderr
    assert Document(str(out)).paragraphs[0].text.startswith("Recovery plan: Violence")
    refused = cli("plans", "--user", "jo@lancashire.police.uk", "register", url=pack_db.url)
    assert refused.returncode == 0  # officers may see the register (view_plans)
    assert "Recovery plan register, 2026-27 Q2" in refused.stdout
    assert "SOC-01" in refused.stdout  # the police officer's own restricted indicator


# -- drawn from the published figures ----------------------------------------------------------
Q1 = "2026-27 Q1"
HIDDEN_AREAS = {"E07000124", "E07000125"}  # Ribble Valley, Rossendale: VIO-02 hidden in Q1


@pytest.fixture(scope="module")
def key(pack_db):
    return publish.ensure(pack_db, csa_config.load())


@pytest.fixture(scope="module")
def public_q1(pack_db, inputs):
    return board_pack.build(pack_db, Q1, "public", today=TODAY, inputs=inputs)


def all_text(doc) -> str:
    return "\n".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    )


def test_public_pack_keeps_nothing_of_hidden_cells(pack_db, key, public_q1):
    """VIO-02 in Ribble Valley and Rossendale is hidden for the public in 2026-27 Q1: the
    public pack (Word and Excel) carries its hidden label only, no value, target or status
    (it once kept "Off track" for Rossendale)."""
    published = publish.read(pack_db, key, "public", indicators=["VIO-02"], periods=[Q1])
    hidden = published[published["area_code"].isin(HIDDEN_AREAS)].set_index("area_code")
    assert set(hidden["hidden"]) <= {"primary", "complementary"} and all(hidden["hidden"])
    signed = publish.read(pack_db, key, "signed_in", indicators=["VIO-02"], periods=[Q1])
    signed = signed.set_index("area_code")

    rows = public_q1.figures[
        (public_q1.figures["Indicator code"] == "VIO-02")
        & public_q1.figures["Area code"].isin(HIDDEN_AREAS)
    ].set_index("Area code")
    assert set(rows.index) == HIDDEN_AREAS
    for area in HIDDEN_AREAS:
        label = hidden.loc[area, "value_text"]
        row = rows.loc[area]
        assert (row["Figure"], row["Status"], row["Hidden"]) == (label, label, label)
        assert row[["Value", "95% CI lower", "95% CI upper", "Target"]].isna().all()
        assert row["Numerator"] is None or pd.isna(row["Numerator"])
        assert row["Target text"] == "–"
        assert "Off track" not in row["Reasons"] and "target" not in row["Reasons"]

    # Excel: the hidden rows hold no number and the label only
    wb = load_workbook(io.BytesIO(xlsx_export.board_pack_xlsx(public_q1)))
    ws = wb["Figures"]
    header = [c.value for c in ws[3]]
    for r in ws.iter_rows(min_row=4, values_only=True):
        row = dict(zip(header, r, strict=True))
        if row["Indicator code"] == "VIO-02" and row["Area code"] in HIDDEN_AREAS:
            label = hidden.loc[row["Area code"], "value_text"]
            assert row["Value"] is None and row["Target"] is None and row["Numerator"] is None
            assert row["Status"] == label and row["Figure"] == label
    # Word: the hidden cells are in no section (they are neither off track nor critical
    # for the public), and no signed-in figure or status of theirs appears
    assert not {(i.indicator_code, i.area_code) for i in public_q1.items} & {
        ("VIO-02", a) for a in HIDDEN_AREAS
    }
    text = all_text(Document(io.BytesIO(docx_export.board_pack_docx(public_q1))))
    for area, name in (("E07000124", "Ribble Valley"), ("E07000125", "Rossendale")):
        assert f"{name}: {signed.loc[area, 'value_text']}" not in text
        assert f"{name}: ✖ Off track" not in text


@pytest.mark.parametrize("audience", ["board", "public"])
def test_value_texts_are_the_published_ones(pack_db, key, inputs, audience, board, public):
    pack = board if audience == "board" else public
    published = publish.read(
        pack_db, key, board_pack.PUBLISHED_AUDIENCE[audience], periods=[PERIOD]
    ).set_index(["indicator_code", "area_code"])
    series = publish.read(pack_db, key, board_pack.PUBLISHED_AUDIENCE[audience])
    figures = pack.figures.set_index(["Indicator code", "Area code"])
    assert len(figures) > 100
    for idx, row in figures.iterrows():
        pub = published.loc[idx]
        assert (row["Figure"], row["Status"], row["Target text"]) == (
            pub["value_text"],
            pub["status_text"],
            pub["target_text"],
        ), idx
    for item in pack.items:
        pub = published.loc[(item.indicator_code, item.area_code)]
        assert (item.value_text, item.target_text, item.status_text) == (
            pub["value_text"],
            pub["target_text"],
            pub["status_text"],
        )
        assert item.headline.startswith(
            f"{item.indicator_title}, {item.area_name}: {pub['value_text']}"
        )
        spc = publish.spc_chart(
            pub.to_dict() | {"indicator_code": item.indicator_code, "area_code": item.area_code},
            series,
        )
        assert list(item.series["period_label"]) == list(spc["period_label"].tail(13))


def test_word_is_a4_with_whole_counts_and_unsplit_headers(board, board_docx):
    section = board_docx.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.left_margin.cm == pytest.approx(2.0, abs=0.01)
    # a count target of 409.725 (VIO-02 for Lancashire) prints as csa.formatting does
    text = all_text(board_docx)
    assert "409.73" not in text and "409.725" not in text
    # every header word fits its column (no "Indicato/rs")
    for table in board_docx.tables:
        for cell in table.rows[0].cells:
            longest = max((len(w) for w in cell.text.split()), default=0)
            sizes = [r.font.size.pt for p in cell.paragraphs for r in p.runs if r.font.size]
            size = max(sizes, default=9)
            need = longest * docx_export.CHAR_CM_PER_PT * size + docx_export.CELL_PADDING_CM
            assert cell.width.cm >= need - 1e-3, cell.text  # (EMU rounding)
    # plan status per indicator, not one "No plan yet" row per critical area
    summary = next(t for t in board_docx.tables if t.rows[0].cells[1].text == "Critical areas")
    titles = [r.cells[0].text for r in summary.rows[1:]]
    assert len(titles) == len(set(titles)) == board.plans["indicator_title"].nunique()
    assert "⚠ Critical: no recovery plan yet" not in text


@pytest.mark.parametrize(
    "value,unit,expected",
    [(34.2, "count", "34.2"), (34.0, "count", "34"), (1234, "count", "1,234")],
)
def test_word_cells_use_the_one_formatter(value, unit, expected):
    assert docx_export._cell_text(value, unit) == expected == formatting.figure(value, unit)


def test_excel_figures_have_the_number_format_of_their_unit(board):
    wb = load_workbook(io.BytesIO(xlsx_export.board_pack_xlsx(board)))
    ws = wb["Figures"]
    header = {c.value: c.column for c in ws[3]}
    seen = set()
    for row in ws.iter_rows(min_row=4):
        unit = row[header["Unit"] - 1].value
        for name in ("Value", "95% CI lower", "Target"):
            assert row[header[name] - 1].number_format == formatting.EXCEL_FORMATS[unit]
        assert row[header["Numerator"] - 1].number_format == "#,##0"
        seen.add(unit)
    assert seen == {"count", "rate", "percentage"}
    items = wb["Off track and critical"]
    ih = {c.value: c.column for c in items[3]}
    for row in items.iter_rows(min_row=4):
        unit = row[ih["Unit"] - 1].value
        assert row[ih["Value"] - 1].number_format == formatting.EXCEL_FORMATS[unit]


# -- 5. Lancashire's relative position (Home Office, year ending June 2025) -----------------
def test_relative_position_of_the_force_and_the_partnerships(board, public):
    force = board.force_position.set_index("Offence group")
    assert len(force) == 23
    total = force.loc["Total recorded crime (excluding fraud)"]
    # 128,435 / 1,570,373 x 1,000 = 81.8 per 1,000; Table P1 England and Wales
    # 5,287,312 / 60,854,727 x 1,000 = 86.9, outside 81.3 to 82.2: significantly lower
    assert (total["Recorded crimes"], total["Population"]) == (128_435, 1_570_373)
    assert formatting.figure(total["Rate per 1,000"], "rate") == "81.8"
    assert formatting.figure(total["England and Wales"], "rate") == "86.9"
    assert total["vs England and Wales"] == "Significantly lower"
    assert (total["Rank"], total["Of"]) == (21, 34)  # 34 of 43 forces have a population
    csps = board.partnership_position.set_index("Partnership")
    assert len(csps) == 14
    # Ribble Valley, the lowest: 2,414 / 64,469 x 1,000 = 37.4, 3rd of 283 partnerships
    rv = csps.loc["Ribble Valley"]
    assert formatting.figure(rv["Rate per 1,000"], "rate") == "37.4"
    assert (rv["Rank"], rv["Of"]) == (3, 283)
    # Blackpool, the highest: 21,832 / 142,708 x 1,000 = 153.0
    assert csps.index[-1] == "Blackpool"
    assert formatting.figure(csps.loc["Blackpool", "Rate per 1,000"], "rate") == "153.0"
    # already published by the Home Office: the same in the public pack
    pd.testing.assert_frame_equal(public.force_position, board.force_position)


def test_relative_position_in_word_and_excel(board, board_docx):
    headings = [p.text for p in board_docx.paragraphs if p.style.name.startswith("Heading")]
    assert "5. Lancashire's relative position" in headings
    text = "\n".join(p.text for p in board_docx.paragraphs)
    assert (
        "Lancashire's total recorded crime (excluding fraud) rate is 81.8 per 1,000 residents "
        "(81.3 to 82.2), significantly lower than England and Wales (86.9); rank 21 of 34 "
        "forces"
    ) in text
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in board_docx.tables for r in t.rows}
    assert rows["Ribble Valley"][1:4] == ["2,414", "37.4 (36.0 to 39.0)", "3 of 283"]
    wb = load_workbook(io.BytesIO(xlsx_export.board_pack_xlsx(board)))
    ws = wb["Relative position (force)"]
    header = {c.value: c.column for c in ws[3]}
    first = ws[4]
    assert first[header["Offence group"] - 1].value == "Total recorded crime (excluding fraud)"
    assert first[header["Recorded crimes"] - 1].value == 128_435
    assert first[header["Recorded crimes"] - 1].number_format == "#,##0"
    assert first[header["Rate per 1,000"] - 1].value == pytest.approx(128_435 / 1_570_373 * 1000)
    for name in ("Rate per 1,000", "95% CI lower", "England and Wales", "North West"):
        assert first[header[name] - 1].number_format == formatting.EXCEL_FORMATS["rate"]
    csps = wb["Relative position (CSPs)"]
    assert csps.max_row == 3 + 14
