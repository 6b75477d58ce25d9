"""The hand-made bad workbooks in tests/fixtures/returns are each rejected, clearly."""

import importlib.util
from pathlib import Path

import pytest

from csa.returns import ReturnRejected, prepare_return
from tests.returns_workbooks import ANALYST, TODAY, settings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "returns"

EXPECTED = {
    "csv_renamed.xlsx": "file: this is a CSV or text file renamed to .xlsx",
    "encrypted.xlsx": "file: this is a password-protected (encrypted) workbook, expected an "
    "unprotected .xlsx",
    "macros.xlsx": "file: the workbook contains macros",
    "zip_bomb.xlsx": "file: the file expands",
    "truncated.xlsx": "file: the file is damaged (not a complete .xlsx/zip file)",
    "old_template.xlsx": "_template!B1: template version 'csa-return-0' is not supported",
    "formula_without_value.xlsx": "Return!I2: the formula =SUM(Z1:Z9) has no calculated value",
    "merged_cells.xlsx": "Return!I2:J2: cells are merged over the data",
    "renamed_sheet.xlsx": "workbook: sheet 'Figures' is not part of the template",
    "billion_laughs.xlsx": "file: part xl/worksheets/sheet1.xml declares a DOCTYPE or entities",
    "word_document.xlsx": "file: this is a Word document",
}


def test_every_fixture_file_is_listed_and_made_by_the_script():
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    maker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(maker)
    on_disk = {p.name for p in FIXTURES.glob("*.xlsx")}
    assert on_disk == set(EXPECTED) == set(maker.build())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_is_rejected_with_its_problem_first(db, name):
    before = (db.scalar_count_revisions(), len(db.uploads()), db.data_version())
    with pytest.raises(ReturnRejected) as info:
        prepare_return(
            db, ANALYST, (FIXTURES / name).read_bytes(), name, today=TODAY, settings=settings()
        )
    assert str(info.value.problems[0]).startswith(EXPECTED[name])
    assert (db.scalar_count_revisions(), len(db.uploads()), db.data_version()) == before
