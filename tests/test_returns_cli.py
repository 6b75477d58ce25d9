"""``python -m csa template / import-return / rollback``: reports, exit codes, nothing
written unless imported."""

import pytest

from csa import accounts
from csa.access import SYSTEM
from csa.cli import main
from csa.returns import window
from tests.returns_workbooks import TODAY, cell, edit, fill_in, rows_of

OFFICER = "officer@lancashire.police.uk"


@pytest.fixture
def cli(db, monkeypatch, tmp_path):
    """Run the CLI in-process on the test database on 21 November 2026 with some users."""
    monkeypatch.setattr(window, "today", lambda: TODAY)
    for email, role, org in [
        (OFFICER, "officer", "LANCS-POLICE"),
        ("officer@lvrn.org.uk", "officer", "LVRN"),
        ("gone@lancashire.police.uk", "officer", "LANCS-POLICE"),
        ("analyst@lancashire.gov.uk", "analyst", None),
    ]:
        accounts.add_user(db, SYSTEM, email, role, org_code=org)
    accounts.disable_user(db, SYSTEM, "gone@lancashire.police.uk")

    def run(*args):
        return main(["--database-url", db.url, *args])

    run.db, run.dir = db, tmp_path
    return run


@pytest.fixture
def blank(cli, capsys):
    """The police template as the ``template`` command writes it (input cells empty)."""
    path = cli.dir / "police.xlsx"
    assert cli("template", "--org", "LANCS-POLICE", "--period", "2026-27 Q2", "-o", str(path)) == 0
    assert capsys.readouterr().out.strip() == (
        f"Wrote the LANCS-POLICE return template for 2026-27 Q2 to {path}"
    )
    return path


@pytest.fixture
def police(cli, blank):
    """That template with the figures held now typed in. The held figures are demo, so each
    one sent is a change of kind (demo -> real)."""
    blank.write_bytes(fill_in(cli.db, blank.read_bytes()))
    return blank


def state(db):
    return (db.scalar_count_revisions(), len(db.uploads()))


def test_template_command_writes_the_template(blank):
    rows = rows_of(blank.read_bytes())
    assert len(rows) == 43 and rows[0][0] == "Indicator code"
    # csa-return-2: every input cell (numerator, denominator, status, note) starts empty
    assert {r[8:12] for r in rows[1:]} == {(None, None, None, None)}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--org", "NOPE", "--period", "2026-27 Q2"], "organisation 'NOPE' is not known"),
        (["--org", "LCC", "--period", "2024-25 Q1"], "period 2024-25 Q1 is closed for returns"),
    ],
)
def test_template_command_rejects_bad_input(cli, capsys, args, message):
    assert cli("template", *args, "-o", str(cli.dir / "t.xlsx")) == 2
    assert message in capsys.readouterr().err
    assert not (cli.dir / "t.xlsx").exists()


def test_template_output_must_be_xlsx(cli, capsys):
    assert (
        cli("template", "--org", "LCC", "--period", "2026-27 Q2", "-o", str(cli.dir / "t.csv")) == 2
    )
    assert "name it FILE.xlsx" in capsys.readouterr().err


def changed(path, changes):
    path.write_bytes(edit(path.read_bytes(), changes))
    return path


def test_dry_run_reports_and_writes_nothing(cli, police, capsys):
    changed(police, {"I4": cell(police.read_bytes(), "I4") + 3})
    before = state(cli.db)
    assert cli("import-return", str(police), "--user", OFFICER, "--dry-run") == 0
    out = capsys.readouterr().out
    # one new number, and 41 demo figures sent back unchanged: real now (demo -> real)
    assert "0 new, 42 changed (42 demo -> real), 0 unchanged" in out
    assert "changed   row 4" in out and "Burnley" in out
    assert out.strip().endswith("Dry run: nothing was written.")
    assert state(cli.db) == before


def test_import_then_import_again(cli, police, capsys):
    changed(police, {"I4": cell(police.read_bytes(), "I4") + 3})
    assert cli("import-return", str(police), "--user", OFFICER) == 0
    assert capsys.readouterr().out.strip() == (
        "Imported police.xlsx as upload #2: 0 new, 42 changed, 0 unchanged."
    )
    before = state(cli.db)
    assert cli("import-return", str(police), "--user", OFFICER) == 0
    assert "already imported as upload #2; nothing changed" in capsys.readouterr().out
    assert state(cli.db) == before


def test_a_rejected_file_exits_2_listing_every_problem(cli, police, capsys):
    changed(police, {"I3": "abc", "K5": "maybe"})
    before = state(cli.db)
    assert cli("import-return", str(police), "--user", OFFICER) == 2
    err = capsys.readouterr().err
    assert "police.xlsx was rejected: 2 problems to fix; nothing was written." in err
    assert "Return!I3: 'abc' is not a number" in err
    assert "Return!K5: 'maybe' is not a status, expected provisional or final" in err
    assert "Traceback" not in err
    assert state(cli.db) == before


def test_a_rejected_file_lists_its_warnings_too(cli, police, capsys):
    content = police.read_bytes()
    # an error in row 3, and a percentage of 100 (implausible) in row 18
    changed(police, {"I3": "abc", "I18": cell(content, "J18")})
    assert cli("import-return", str(police), "--user", OFFICER, "--accept-warnings") == 2
    err = capsys.readouterr().err
    assert (
        "police.xlsx was rejected: 1 problem to fix; nothing was written. Also 1 warning to check."
    ) in err
    assert "Return!I3: 'abc' is not a number" in err
    warnings = err.split("Warnings to check:\n", 1)[1]
    assert warnings.startswith(
        f"  Return!I18: DA-02 {cell(content, 'E18')} ({cell(content, 'D18')}) 2026-27 Q2: "
        "the value 100 (percentage) is far above its usual range"
    )


def test_warnings_need_accept_warnings(cli, police, capsys):
    content = police.read_bytes()
    changed(police, {"I18": cell(content, "J18")})  # a percentage of 100: implausible
    assert cli("import-return", str(police), "--user", OFFICER) == 2
    err = capsys.readouterr().err
    assert "1 warning(s) to check" in err and "rerun with --accept-warnings" in err
    assert cli("import-return", str(police), "--user", OFFICER, "--accept-warnings") == 0


@pytest.mark.parametrize(
    "user, message",
    [
        ("officer@lvrn.org.uk", "may only upload return for indicators their organisation leads"),
        ("nobody@example.org", "is not a registered user"),
        ("gone@lancashire.police.uk", "account is disabled"),
    ],
)
def test_refused_users_exit_3_with_nothing_written(cli, police, capsys, user, message):
    before = state(cli.db)
    assert cli("import-return", str(police), "--user", user) == 3
    assert message in capsys.readouterr().err
    assert state(cli.db) == before


def test_missing_file_is_rejected(cli, capsys):
    assert cli("import-return", str(cli.dir / "nope.xlsx"), "--user", OFFICER) == 2
    assert "no such file" in capsys.readouterr().err


def test_rollback_command(cli, police, capsys):
    changed(police, {"I4": cell(police.read_bytes(), "I4") + 3})
    assert cli("import-return", str(police), "--user", OFFICER) == 0
    assert cli("rollback", "2", "--user", OFFICER) == 3
    assert cli("rollback", "1", "--user", "analyst@lancashire.gov.uk") == 2
    capsys.readouterr()
    assert cli("rollback", "2", "--user", "analyst@lancashire.gov.uk", "--reason", "test") == 0
    # the upload moved all 42 figures (41 of them demo -> real): all 42 are restored
    assert capsys.readouterr().out.startswith("Rolled back upload #2: 42 figure(s) restored")
    assert cli.db.upload(2)["outcome"] == "rolled_back"


def test_actions_with_user_are_audited_as_the_os_login_acting_as_that_user(
    cli, police, monkeypatch
):
    monkeypatch.setattr("getpass.getuser", lambda: "deploy")
    changed(police, {"I4": cell(police.read_bytes(), "I4") + 3})
    assert cli("import-return", str(police), "--user", OFFICER) == 0
    entry = cli.db.audit_log(limit=1).iloc[0]
    assert (entry["action"], entry["user_email"]) == ("upload_return", f"cli:deploy as {OFFICER}")
    # the upload itself still belongs to the user
    assert cli.db.uploads().iloc[0]["user_email"] == OFFICER
