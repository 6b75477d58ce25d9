"""Every problem in a return is found at once and named by its cell; nothing is written.

Workbooks are built here from a real template with the figures held typed in (police,
2026-27 Q2: rows 2-15 DA-01 (rate
per 1,000), 16-29 DA-02 (percentage), 30-43 SOC-01 (count); ASB-01 is monthly and real,
from police.uk, so it is not in the quarterly return) and then edited the way officers and programs get them wrong.
"""

from datetime import datetime

import pytest

from csa.returns import ReturnRejected, layout, prepare_return
from tests.returns_workbooks import (
    ANALYST,
    TODAY,
    edit,
    prefilled,
    set_formula,
    settings,
)


@pytest.fixture
def police(db):
    """The police template with every figure held now typed in (its inputs start empty)."""
    return prefilled(db)


def same_numbers_as_held(preview) -> int:
    """How many rows carry exactly the numbers held now (the held figures are demo, so each
    is a change of kind only: demo -> real)."""
    rows = preview.rows
    assert preview.counts == {"new": 0, "changed": len(rows), "unchanged": 0}
    assert preview.demo_to_real == len(rows)
    assert (rows["numerator"] == rows["old_numerator"]).all()
    assert (rows["value"] - rows["old_value"]).abs().max() < 1e-9
    return len(rows)


def rejected(db, content, **overrides) -> list[str]:
    """The problems of a file that must be rejected, and check nothing was written."""
    before = (db.scalar_count_revisions(), len(db.uploads()))
    with pytest.raises(ReturnRejected) as info:
        prepare_return(
            db, ANALYST, content, "return.xlsx", today=TODAY, settings=settings(**overrides)
        )
    assert (db.scalar_count_revisions(), len(db.uploads())) == before
    assert "nothing was written" in info.value.summary
    return [str(p) for p in info.value.problems]


ROW_CASES = [
    (
        "unknown indicator",
        {"A2": "ZZ-99"},
        "Return!A2: 'ZZ-99' is not a known indicator code, expected an indicator code from the "
        "template",
    ),
    (
        "indicator typo",
        {"A2": "DA-1"},
        "Return!A2: 'DA-1' is not a known indicator code (did you mean DA-01?)",
    ),
    ("missing indicator", {"A2": None}, "Return!A2: the indicator code is missing"),
    ("unknown area", {"D3": "E99999999"}, "Return!D3: 'E99999999' is not a known area code"),
    (
        "grouping area",
        {"D3": "PA-EAST"},
        "Return!D3: East policing area (PA-EAST) is a grouping whose figure is calculated from "
        "its member areas, expected one of the 14 partnership areas or UNASSIGNED",
    ),
    (
        "closed period",
        {"F4": "2025-26 Q4"},
        "Return!F4: the period 2025-26 Q4 is closed for returns, expected one of the open periods "
        "2026-27 Q1, 2026-27 Q2",
    ),
    ("period in progress", {"F4": "2026-27 Q3"}, "Return!F4: the period 2026-27 Q3 is closed"),
    ("unknown period", {"F4": "Q2 2026"}, "Return!F4: 'Q2 2026' is not a known period"),
    ("annual period", {"F4": "YE Jun 2025"}, "Return!F4: the period YE Jun 2025 is closed"),
    (
        "text numerator",
        {"I5": "lots"},
        "Return!I5: 'lots' is not a number, expected a number with no letters, commas or symbols",
    ),
    ("thousands separator", {"I5": "1,296"}, "Return!I5: '1,296' is not a number"),
    (
        "negative numerator",
        {"I6": -3},
        "Return!I6: -3 is negative, expected a whole number of 0 or more",
    ),
    ("fractional numerator", {"I6": 12.5}, "Return!I6: 12.5 is not a whole number"),
    ("boolean numerator", {"I6": True}, "Return!I6: True is TRUE/FALSE, not a number"),
    (
        "date numerator",
        {"I6": datetime(2026, 7, 1)},
        "Return!I6: 2026-07-01 00:00:00 is a date or time, not a number",
    ),
    ("excel error", {"I6": "#DIV/0!"}, "Return!I6: the cell shows the Excel error #DIV/0!"),
    ("zero denominator", {"J7": 0}, "Return!J7: 0 is not above 0"),
    ("negative denominator", {"J7": -100}, "Return!J7: -100 is not above 0"),
    (
        "missing rate denominator",
        {"J7": None},
        "Return!J7: the denominator is missing, and DA-01 is a rate, expected the population the "
        "rate is per (e.g. residents), above 0",
    ),
    (
        "missing percentage denominator",
        {"J16": None},
        "Return!J16: the denominator is missing, and DA-02 is a percentage",
    ),
    (
        "numerator above denominator",
        {"I17": 300, "J17": 200},
        "Return!I17: the numerator 300 is above the denominator 200 for a percentage, expected a "
        "numerator no larger than the denominator",
    ),
    (
        "denominator for a count",
        {"J30": 5},
        "Return!J30: SOC-01 is a count, so it takes no denominator (found 5), expected this cell "
        "left empty",
    ),
    ("missing numerator", {"I9": None}, "Return!I9: the numerator is missing"),
    (
        "bad status",
        {"K8": "done"},
        "Return!K8: 'done' is not a status, expected provisional or final",
    ),
    (
        "value outside the columns",
        {"M9": "see email"},
        "Return!M9: there is a value ('see email') outside the template's columns, expected "
        "nothing to the right of column L",
    ),
    (
        "renamed heading",
        {"I1": "Count"},
        "Return!I1: the column heading is 'Count', expected 'Numerator' (do not rename, move or "
        "delete the template's columns)",
    ),
]


@pytest.mark.parametrize("name, changes, expected", ROW_CASES, ids=[c[0] for c in ROW_CASES])
def test_row_errors_name_the_cell(db, police, name, changes, expected):
    problems = rejected(db, edit(police, changes))
    assert any(p.startswith(expected) for p in problems), problems


def test_duplicate_rows(db, police):
    def copy_row(wb):
        ws = wb["Return"]
        ws.append([c.value for c in ws[3]])

    problems = rejected(db, edit(police, fn=copy_row))
    assert problems == [
        "Return!A44: this row repeats row 3 (DA-01, Blackpool (E06000009), 2026-27 Q2), "
        "expected each indicator, area and period once"
    ]


STRUCTURE_CASES = [
    (
        "extra sheet",
        lambda wb: wb.create_sheet("Notes"),
        [
            "workbook: sheet 'Notes' is not part of the template, expected only the sheets Return, "
            "Instructions (do not add or rename sheets)"
        ],
    ),
    (
        "renamed sheet",
        lambda wb: setattr(wb["Return"], "title", "Data"),
        [
            "workbook: sheet 'Data' is not part of the template, expected only the sheets Return, "
            "Instructions (do not add or rename sheets)",
            "workbook: the sheet 'Return' is missing (renamed or deleted?), expected the template's "
            "sheet named 'Return' holding the figures",
        ],
    ),
    (
        "no template version",
        lambda wb: wb.remove(wb["_template"]),
        [
            "workbook: the template version is missing, so this file was not made from the return "
            "template (or its hidden sheet was removed), expected a workbook downloaded from the "
            f"Returns page (template version {layout.TEMPLATE_VERSION})"
        ],
    ),
    (
        "wrong template version",
        lambda wb: wb["_template"].__setitem__("B1", "csa-return-0"),
        [
            f"_template!B1: template version 'csa-return-0' is not supported, expected template "
            f"version {layout.TEMPLATE_VERSION} (download a fresh template from the Returns page)"
        ],
    ),
    (
        "blank template version",
        lambda wb: wb["_template"].__setitem__("B1", None),
        [
            f"_template!B1: the template version is missing, expected template version "
            f"{layout.TEMPLATE_VERSION} (download a fresh template)"
        ],
    ),
    (
        "merged cells",
        lambda wb: wb["Return"].merge_cells("B5:C6"),
        [
            "Return!B5:C6: cells are merged over the data, expected one value per cell (unmerge "
            "these cells)"
        ],
    ),
    (
        "empty sheet",
        lambda wb: wb["Return"].delete_rows(1, 100),
        [
            "Return!A1: the sheet is empty, expected the template's headings in row 1 and a row of "
            "figures per indicator and area"
        ],
    ),
]


@pytest.mark.parametrize(
    "name, change, expected", STRUCTURE_CASES, ids=[c[0] for c in STRUCTURE_CASES]
)
def test_structure_errors(db, police, name, change, expected):
    assert rejected(db, edit(police, fn=change)) == expected


def test_no_figures_at_all(db, police):
    cleared = {f"{col}{r}": None for r in range(2, 58) for col in "IJ"}
    assert rejected(db, edit(police, cleared)) == [
        "Return!I2: the return holds no figures (every numerator is empty), expected at least "
        "one row with a numerator"
    ]


def test_formula_without_a_cached_value(db, police):
    # openpyxl writes formulas without calculating them, like many non-Excel programs
    assert rejected(db, edit(police, {"I2": "=1000+296"})) == [
        "Return!I2: the formula =1000+296 has no calculated value (the file was saved by a "
        "program that did not calculate it), expected a typed value, or the file opened and "
        "saved in Excel"
    ]


def test_formula_with_a_cached_value_gives_that_value(db, police):
    from tests.returns_workbooks import cell

    numerator = cell(police, "I2")
    content = set_formula(police, "I2", f"{numerator - 1}+1", str(numerator))
    preview = prepare_return(db, ANALYST, content, "f.xlsx", today=TODAY, settings=settings())
    assert same_numbers_as_held(preview) == 42


def test_too_many_rows(db, police):
    def pad(wb):
        wb["Return"].cell(row=layout.FIRST_DATA_ROW + layout.MAX_DATA_ROWS, column=1, value="DA-01")

    assert rejected(db, edit(police, fn=pad)) == [
        "Return!A5002: the sheet has figures beyond row 5001, expected at most 5000 rows of "
        "figures in one return"
    ]


def test_every_problem_is_reported_at_once_in_row_order(db, police):
    problems = rejected(
        db,
        edit(
            police,
            {
                "I3": "abc",
                "J4": None,
                "K5": "maybe",
                "A6": "DA-1",
                "F7": "2025-26 Q1",
                "D8": "PA-EAST",
                "I20": -5,
            },
        ),
    )
    assert [p.split(":")[0] for p in problems] == [
        "Return!I3",
        "Return!J4",
        "Return!K5",
        "Return!A6",
        "Return!F7",
        "Return!D8",
        "Return!I20",
    ]


def test_empty_rows_are_skipped_not_zeroed(db, police):
    preview = prepare_return(
        db,
        ANALYST,
        edit(police, {"I2": None, "J2": None}),
        "r.xlsx",
        today=TODAY,
        settings=settings(),
    )
    assert preview.skipped_rows == [2]
    assert same_numbers_as_held(preview) == 41


def test_numbers_typed_as_text_are_read(db, police):
    from tests.returns_workbooks import cell

    preview = prepare_return(
        db,
        ANALYST,
        edit(police, {"I2": f" {cell(police, 'I2')} "}),
        "r.xlsx",
        today=TODAY,
        settings=settings(),
    )
    assert same_numbers_as_held(preview) == 42


@pytest.mark.parametrize(
    "formula",
    ["[1]Sheet1!A1", "SUM([1]Sheet1!A1:A3)", "'[Budget.xlsx]Q2'!B4", "[2]!Name"],
)
def test_a_formula_linking_to_another_workbook_is_rejected_by_cell(db, police, formula):
    from tests.returns_workbooks import cell

    content = set_formula(police, "I2", formula, str(cell(police, "I2")))
    assert rejected(db, content) == [
        f"Return!I2: the formula ={formula} refers to another workbook (an external link), "
        "expected a typed value (links to other files are not followed: copy the value in)"
    ]


def test_formula_cells_are_listed_in_the_preview_as_warnings(db, police):
    from tests.returns_workbooks import cell

    numerator = cell(police, "I2")
    content = set_formula(police, "I2", f"{numerator - 1}+1", str(numerator))
    preview = prepare_return(db, ANALYST, content, "f.xlsx", today=TODAY, settings=settings())
    assert [str(w) for w in preview.warnings] == [
        f"Return!I2: the cell holds the formula ={numerator - 1}+1 (its value as Excel last "
        f"calculated it, {numerator}, is what would be imported), expected a typed value "
        "(check the figure is right)"
    ]
    assert all(w.severity == "warning" for w in preview.warnings)


def test_a_long_note_is_cut_and_the_preview_says_so(db, police):
    content = edit(police, {"L2": "x" * 5_000, "I2": cell_plus_one(police)})
    preview = prepare_return(db, ANALYST, content, "f.xlsx", today=TODAY, settings=settings())
    assert (
        "Return!L2: the note is 5,000 characters long and only its first 1,000 would be "
        "kept, expected a note of at most 1,000 characters"
    ) in [str(w) for w in preview.warnings]
    assert len(preview.rows.set_index("row").loc[2, "note"]) == 1000


def cell_plus_one(content):
    from tests.returns_workbooks import cell

    return cell(content, "I2") + 1


def _far_cell(wb):
    wb["Return"].cell(row=1_048_576, column=1, value="x")


def _empty_rows(content):
    from tests.returns_workbooks import rezip, sheet_xml

    xml = sheet_xml(content)
    rows = "".join(f'<row r="{n}"/>' for n in range(100, 20_100))
    xml = xml.replace("</sheetData>", rows + "</sheetData>")
    return rezip(content, replace={"xl/worksheets/sheet1.xml": xml.encode("utf-8")})


@pytest.mark.parametrize(
    "mangle, message",
    [
        (
            lambda c: edit(c, fn=_far_cell),
            "Return: the sheet reaches row 1,048,576 (dimension A1:L1048576), expected at "
            "most 5,000 rows of figures in one return",
        ),
        (
            _empty_rows,
            # the 43 rows of the workbook (heading and 42 figures) and 20,000 empty ones
            "Return: the sheet holds 20,043 rows, expected at most 5,000 rows of figures in "
            "one return",
        ),
    ],
    ids=["far cell", "many empty rows"],
)
def test_a_sheet_far_too_large_is_rejected_before_its_cells_are_read(db, police, mangle, message):
    assert rejected(db, mangle(police)) == [message]


def test_errors_and_warnings_are_reported_together(db, police):
    from tests.returns_workbooks import cell

    r = 16 + 2  # DA-02 (a percentage) for the third area: 100% is far above its history
    content = edit(police, {f"I{r}": cell(police, f"J{r}"), "I3": "abc"})
    with pytest.raises(ReturnRejected) as info:
        prepare_return(db, ANALYST, content, "both.xlsx", today=TODAY, settings=settings())
    exc = info.value
    assert [str(p) for p in exc.problems] == [
        "Return!I3: 'abc' is not a number, expected a number with no letters, commas or symbols"
    ]
    assert [w.where for w in exc.warnings] == [f"Return!I{r}"]
    area = f"{cell(police, f'E{r}')} ({cell(police, f'D{r}')})"
    assert str(exc.warnings[0]).startswith(f"Return!I{r}: DA-02 {area} 2026-27 Q2: the value 100")
    assert exc.summary.endswith("nothing was written. Also 1 warning to check.")
    assert "Warnings to check:" in exc.message


def test_a_figure_equal_to_a_demo_figure_is_imported_as_real(db):
    from csa.returns import commit_return
    from tests.returns_workbooks import OFFICER, cell, template

    # only Burnley's DA-01 typed in, with exactly the demo numbers held now
    held = db.observations(
        indicator_codes=["DA-01"], area_codes=["E07000117"], period_labels=["2026-27 Q2"]
    ).iloc[0]
    assert held["data_kind"] == "demo"
    blank = template(db)
    assert cell(blank, "D4") == "E07000117"
    content = edit(blank, {"I4": int(held["numerator"]), "J4": int(held["denominator"])})
    preview = prepare_return(db, OFFICER, content, "one.xlsx", today=TODAY, settings=settings())
    assert preview.counts == {"new": 0, "changed": 1, "unchanged": 0}
    assert preview.demo_to_real == 1
    from csa.returns.report import changes_table

    row = changes_table(preview).iloc[0]
    assert (row["Area"], row["Data"], row["Old value"] == row["New value"]) == (
        "Burnley (E07000117)",
        "demo → real",
        True,
    )
    result = commit_return(db, OFFICER, content, "one.xlsx", today=TODAY, settings=settings())
    assert result.counts == {"new": 0, "changed": 1, "unchanged": 0}
    now = db.observations(
        indicator_codes=["DA-01"], area_codes=["E07000117"], period_labels=["2026-27 Q2"]
    ).iloc[0]
    assert (now["revision"], now["data_kind"], now["numerator"]) == (
        held["revision"] + 1,
        "real",
        held["numerator"],
    )


def test_the_previous_figure_column_is_never_imported(db):
    from tests.returns_workbooks import template

    blank = template(db)
    # a value typed over the reference column (were the sheet unprotected) is not a figure
    with pytest.raises(ReturnRejected, match="1 problem") as info:
        prepare_return(
            db, ANALYST, edit(blank, {"H4": 99}), "ref.xlsx", today=TODAY, settings=settings()
        )
    assert "the return holds no figures" in str(info.value.problems[0])
