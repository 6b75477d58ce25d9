"""``python -m csa strategic``: export, import (with exit codes), show, costs, seed-round."""

import argparse
import io
import sys

import openpyxl
import pytest

from csa.access import Actor
from csa.cli import CommandError
from csa.commands import strategic

OPEN = "Strategic assessment 2026"


def run(db, *argv, capsys=None) -> tuple[int, str, str]:
    """Run ``strategic ...`` as csa.cli.main would (CommandError -> its exit code)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    strategic.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--database-url", db.url, "strategic", *argv])
    try:
        code = args.func(args)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = exc.code
    out = capsys.readouterr() if capsys else None
    return code, out.out if out else "", out.err if out else ""


@pytest.fixture
def accounts():
    return pytest.importorskip("csa.accounts", reason="user accounts (issue 7) not installed")


@pytest.fixture
def analyst(sqlite_db, accounts):
    accounts.add_user(sqlite_db, Actor("cli:test", "admin"), "ana@example.org", "analyst")
    return "ana@example.org"


def test_list_and_show(sqlite_db, capsys):
    code, out, _ = run(sqlite_db, "list", capsys=capsys)
    assert code == 0 and "Strategic assessment 2025" in out and "demo" in out
    code, out, _ = run(sqlite_db, "show", "--round", OPEN, "--area", "E07000117", capsys=capsys)
    assert code == 0 and "DEMO DATA" in out and "Burnley" in out
    code, _, err = run(sqlite_db, "show", "--round", OPEN, "--area", "E99", capsys=capsys)
    assert code == 2 and "unknown area" in err


def test_export_then_import_round_trip(sqlite_db, analyst, tmp_path, capsys):
    path = tmp_path / "matrix.xlsx"
    code, out, _ = run(sqlite_db, "export", "--round", OPEN, "-o", str(path), capsys=capsys)
    assert code == 0 and "DEMO DATA" in out and path.exists()
    code, out, _ = run(
        sqlite_db, "import", str(path), "--round", OPEN, "--user", analyst, capsys=capsys
    )
    assert code == 0 and "0 new, 0 changed, 840 unchanged" in out


def test_import_of_a_bad_file_exits_2_with_cell_references(sqlite_db, analyst, tmp_path, capsys):
    path = tmp_path / "matrix.xlsx"
    run(sqlite_db, "export", "--round", OPEN, "-o", str(path), capsys=capsys)
    wb = openpyxl.load_workbook(path)
    wb["Scores"]["H7"] = 11
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())
    code, _, err = run(
        sqlite_db, "import", str(path), "--round", OPEN, "--user", analyst, capsys=capsys
    )
    assert code == 2
    assert "nothing was written" in err
    assert "Scores!H7: 11 is outside the scale, expected a whole number from 1 to 5" in err


def test_import_refused_for_unknown_or_board_users(sqlite_db, accounts, tmp_path, capsys):
    path = tmp_path / "matrix.xlsx"
    run(sqlite_db, "export", "--round", OPEN, "-o", str(path), capsys=capsys)
    code, _, err = run(
        sqlite_db,
        "import",
        str(path),
        "--round",
        OPEN,
        "--user",
        "nobody@example.org",
        capsys=capsys,
    )
    assert code == 3 and "not a registered user" in err
    accounts.add_user(sqlite_db, Actor("cli:test", "admin"), "bo@example.org", "board")
    code, _, err = run(
        sqlite_db, "import", str(path), "--round", OPEN, "--user", "bo@example.org", capsys=capsys
    )
    assert code == 3 and "edit assessment" in err


def test_new_round_seed_round_and_costs(sqlite_db, analyst, capsys):
    code, out, _ = run(
        sqlite_db,
        "new-round",
        "Strategic assessment 2027",
        "--year",
        "2027",
        "--copy-from",
        OPEN,
        "--user",
        analyst,
        capsys=capsys,
    )
    assert code == 0 and sqlite_db.assessment_round("Strategic assessment 2027")
    code, out, _ = run(sqlite_db, "seed-round", capsys=capsys)
    assert code == 0 and "already there" in out
    code, out, _ = run(sqlite_db, "costs", "--format", "csv", capsys=capsys)
    assert code == 0
    assert "Blackburn with Darwen,13780.0,4890.0,55393821." in out
