"""Excel export of the matrix and upload of scores: the returns' validation standard.

Every bad input gets ``sheet!cell: what is wrong, expected what`` (or the file or workbook
when it is not in a cell), and nothing is written on any error.
"""

import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from csa import config as csa_config
from csa.access import Actor, PermissionDenied
from csa.strategic import matrix_io, rounds
from csa.strategic.results import build

ANALYST = Actor("ana@example.org", "analyst")
OPEN = "Strategic assessment 2026"


@pytest.fixture
def exported(db):
    res = build(db, OPEN)
    return matrix_io.export_workbook(res, rounds.partnership_codes(db), db.indicators())


def settings(**over):
    return csa_config.load() | over


def edit(content: bytes, change) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(content))
    change(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def header_row(ws) -> int:
    return next(r for r in range(1, 21) if ws.cell(r, 1).value == "area_code")


def stored(db):
    rnd = db.assessment_round(OPEN)
    return db.assessment_scores(rnd["id"])[
        ["area_code", "issue_code", "criterion_code", "score"]
    ].reset_index(drop=True)


def problems_of(db, content: bytes, **over) -> list[str]:
    before = stored(db)
    with pytest.raises(matrix_io.ScoresRejected) as err:
        matrix_io.import_scores(db, ANALYST, OPEN, content, "matrix.xlsx", settings(**over))
    assert "nothing was written" in err.value.summary
    pd.testing.assert_frame_equal(stored(db), before)  # nothing written
    return err.value.problems


def test_export_has_every_table_and_the_demo_label(exported):
    wb = openpyxl.load_workbook(io.BytesIO(exported))
    assert wb.sheetnames == [
        "Scores",
        "Ranked by partnership",
        "Ranked by policing area",
        "County aggregation",
        "County from priorities",
        "Agreed priorities",
        "Criteria",
        "Issues",
        "Method",
    ]
    for ws in wb.worksheets:
        assert "DEMO DATA" in str(ws["A2"].value), ws.title
    ws = wb["Scores"]
    r = header_row(ws)
    heads = [c.value for c in ws[r]]
    assert heads[:4] == ["area_code", "area", "issue_code", "issue"]
    assert heads[4:] == ["VOLUME", "TREND", "HARM", "VULN", "CONCERN", "CAPACITY"]
    assert ws.max_row - r == 14 * 10


def test_reimporting_the_export_changes_nothing(db, exported):
    counts = matrix_io.import_scores(db, ANALYST, OPEN, exported, "matrix.xlsx", settings())
    assert counts["new"] == 0 and counts["changed"] == 0 and counts["unchanged"] == 840


def test_a_good_upload_is_written_archived_and_audited(db, exported):
    def change(wb):
        ws = wb["Scores"]
        r = header_row(ws) + 1  # first data row: Blackburn with Darwen, first issue
        ws.cell(r, 7).value = 1 if ws.cell(r, 7).value != 1 else 2  # HARM

    content = edit(exported, change)
    counts = matrix_io.import_scores(db, ANALYST, OPEN, content, "matrix.xlsx", settings())
    assert counts["changed"] == 1
    up = db.uploads(kinds=["ranking"]).iloc[0]
    assert up["file_name"] == "matrix.xlsx" and up["outcome"] == "committed"
    rnd = db.assessment_round(OPEN)
    src = db.assessment_scores(rnd["id"])
    assert (src["source"] == "uploaded").sum() == 1


def test_empty_cells_keep_the_stored_scores(db, exported):
    def change(wb):
        ws = wb["Scores"]
        for row in ws.iter_rows(min_row=header_row(ws) + 1, min_col=5):
            for cell in row:
                cell.value = None
        ws.cell(header_row(ws) + 1, 5).value = 2

    parsed = matrix_io.read_scores(
        edit(exported, change),
        build(db, OPEN).criteria,
        [*"X"] + list(build(db, OPEN).issues["code"]),
        rounds.partnership_codes(db),
        matrix_io.Limits.from_settings(settings()),
    )
    assert parsed.ok and len(parsed.rows) == 1 and parsed.blank == 839


def cell_problem(column: int, value, row_offset: int = 1):
    def change(wb):
        ws = wb["Scores"]
        ws.cell(header_row(ws) + row_offset, column).value = value

    return change


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            cell_problem(7, "high"),
            "Scores!G6: 'high' is not a number, expected a whole number "
            "from 1 to 5 (Severity of harm)",
        ),
        (
            cell_problem(7, 6),
            "Scores!G6: 6 is outside the scale, expected a whole number from 1 "
            "to 5 (Severity of harm)",
        ),
        (
            cell_problem(5, 0),
            "Scores!E6: 0 is outside the scale, expected a whole number from 1 to 5 (Volume)",
        ),
        (
            cell_problem(8, 2.5),
            "Scores!H6: 2.5 is not a whole number, expected a whole number "
            "from 1 to 5 (Vulnerability)",
        ),
        (cell_problem(7, True), "Scores!G6: True is not a number"),
        (
            cell_problem(1, "E99999999"),
            "Scores!A6: 'E99999999' is not a partnership area code, expected one of the 14 codes",
        ),
        (cell_problem(1, None), "Scores!A6: the area code is empty"),
        (cell_problem(3, "NOPE"), "Scores!C6: 'NOPE' is not an issue of this round"),
        # row 6 becomes Blackburn with Darwen / DA, which row 7 already is
        (
            cell_problem(3, "DA"),
            "Scores!A7: Blackburn with Darwen / DA is already on row 6, "
            "expected each partnership and issue on one row only",
        ),
        (
            cell_problem(11, "x", row_offset=0),
            "Scores!K5: column heading 'x' is not a criterion of this round",
        ),
        (
            cell_problem(1, "area", row_offset=0),
            "Scores!A1:A20: no header row with 'area_code' in column A",
        ),
    ],
)
def test_bad_cells_are_reported_by_cell_and_nothing_is_written(db, exported, change, expected):
    problems = problems_of(db, edit(exported, change))
    assert any(expected in p for p in problems), problems


def test_every_problem_is_reported_not_just_the_first(db, exported):
    def change(wb):
        ws = wb["Scores"]
        r = header_row(ws)
        ws.cell(r + 1, 7).value = "high"
        ws.cell(r + 2, 8).value = 9
        ws.cell(r + 3, 1).value = "nowhere"

    problems = problems_of(db, edit(exported, change))
    assert len(problems) == 3


def test_missing_scores_sheet(db, exported):
    content = edit(exported, lambda wb: setattr(wb["Scores"], "title", "Matrix"))
    problems = problems_of(db, content)
    assert problems[0].startswith("workbook: there is no sheet named 'Scores'")


def _zip_with(extra: dict[str, bytes], content: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(content))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info.filename))
        for name, data in extra.items():
            out.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "make, over, expected",
    [
        (lambda x: b"", {}, "file: the file is empty"),
        (
            lambda x: b"area_code,issue_code,HARM\nE07000117,DA,3\n",
            {},
            "file: this is a CSV or text file renamed to .xlsx",
        ),
        (lambda x: b"%PDF-1.4 not a workbook", {}, "file: this is a PDF document"),
        (lambda x: x[: len(x) // 2], {}, "file: the file is damaged"),
        (
            lambda x: _zip_with({"xl/vbaProject.bin": b"macro"}, x),
            {},
            "file: the workbook contains macros",
        ),
        (
            lambda x: _zip_with({"xl/padding.xml": b"<a/>" + b" " * 3_000_000}, x),
            {},
            "a possible zip bomb",
        ),
        (lambda x: x, {"upload_max_mb": 0.001}, "file: the file is"),
    ],
)
def test_unsafe_or_wrong_files_are_refused_before_opening(db, exported, make, over, expected):
    problems = problems_of(db, make(exported), **over)
    assert any(expected in p for p in problems), problems


def test_upload_needs_the_permission_first(db, exported):
    with pytest.raises(PermissionDenied):
        matrix_io.import_scores(
            db, Actor("b@example.org", "board"), OPEN, exported, "matrix.xlsx", settings()
        )


def test_export_neutralises_formulas_from_user_text(db):
    evil = pd.DataFrame(
        [
            {
                "code": "EVIL",
                "name": '=HYPERLINK("http://x","click")',
                "theme_code": None,
                "indicator_codes": "",
            }
        ]
    )
    rounds.save_issues(db, ANALYST, OPEN, evil)
    res = build(db, OPEN)
    content = matrix_io.export_workbook(res, rounds.partnership_codes(db), db.indicators())
    wb = openpyxl.load_workbook(io.BytesIO(content))
    values = [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert values and all(v.startswith("'=") for v in values)
