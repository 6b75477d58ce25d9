"""Comparator groups an analyst uploads: every bad file is refused with a message naming
file, row, column, value and why, and writes nothing; a good one is stored (replacing a
group of the same name wholly, atomically), audited, listed by ``all_groups``, shown on the
Cost of crime page and handled by ``python -m csa comparators``."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from csa import accounts, comparators
from csa.access import PUBLIC, SYSTEM, Actor, PermissionDenied
from csa.cli import main
from tests.test_strategic_pages import click, page, texts
from ui.session import Viewer

HEADER = "group,level,member_code,source,vintage\n"
ANALYST = Actor("ana@example.org", "analyst")
OFFICER = Actor("off@example.org", "officer", "LANCS-POLICE")
# Lancashire, Merseyside, West Yorkshire: a made-up group for the tests
MINE = HEADER + "".join(
    f"Test forces,force,{code},test list,2025\n" for code in ("E23000003", "E23000004", "E23000010")
)


def csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


@pytest.mark.parametrize(
    "content, problems",
    [
        (b"", ["g.csv: the file is empty; it needs the header group, level, member_code, "
               "source, vintage and one row per member"]),
        (b"group,level\nG,force\n", ["g.csv: columns member_code, source, vintage are missing; "
                                     "the header must be group, level, member_code, source, "
                                     "vintage"]),
        (HEADER.encode(), ["g.csv: the file has a header but no rows; list one row per member"]),
        (csv("G,region,E23000003,s,v"), ["g.csv row 2: column level is 'region'; it must be "
                                         "one of force, csp (one level per group)"]),
        (csv("G,force,E23000003,s,v", "G,csp,E22000150,s,v"), [
            "g.csv row 3: column level is 'csp' but group 'G' has 'force' in row 2; a group "
            "has one level"]),
        (csv("G,force,E23000003,s,2024", "G,force,E23000004,t,2025"), [
            "g.csv row 3: column source is 't' but group 'G' has 's' in row 2; a group has "
            "one source and one vintage",
            "g.csv row 3: column vintage is '2025' but group 'G' has '2024' in row 2; a group "
            "has one source and one vintage"]),
        (csv("G,force,E23000003,,v"), ["g.csv row 2: column source is blank; say where the "
                                       "group comes from"]),
        (csv(",force,E23000003,s,v"), ["g.csv row 2: column group is blank; every row names "
                                       "its group"]),
        (csv("G,csp,E22000150,s,v", "G,csp,*,s,v"), ["g.csv row 3: group 'G' mixes '*' (every "
                                                     "csp) with named members; use one or the "
                                                     "other"]),
        (csv("G,force,E23000003,s,v", "G,force,E23000003,s,v"), [
            "g.csv row 3: member_code 'E23000003' is listed twice in group 'G' (rows 2 and 3)"]),
        (csv("North West forces,force,E23000003,s,v"), [
            "g.csv row 2: column group is 'North West forces', a bundled group; bundled "
            "groups cannot be replaced, so choose another name"]),
        # a CSP code is not a force code; the first five unknown codes are listed with rows
        (csv("G,force,E23000003,s,v", "G,force,E22000150,s,v"), [
            "g.csv: column member_code: group 'G' has 1 force code not in Home Office Table "
            "P1: 'E22000150' (row 3)"]),
        (csv(*[f"G,csp,X{i},s,v" for i in range(1, 8)]), [
            "g.csv: column member_code: group 'G' has 7 csp codes not in Home Office Table "
            "C2: 'X1' (row 2), 'X2' (row 3), 'X3' (row 4), 'X4' (row 5), 'X5' (row 6) and 2 "
            "more"]),
    ],
)  # fmt: skip
def test_each_bad_file_is_refused_with_its_reasons(data_dir, content, problems):
    with pytest.raises(comparators.GroupFileError) as exc:
        comparators.parse_upload(content, "g.csv", data_dir)
    assert exc.value.summary == "g.csv: nothing was saved."
    assert exc.value.problems == problems


def test_a_good_file_parses_into_groups(data_dir):
    groups = comparators.parse_upload(
        csv(" Mine , Force ,E23000003,s,v", "Mine,force,E23000004,s,v", "All,csp,*,t,w"),
        "g.csv",
        data_dir,
    )
    assert groups == [
        comparators.ComparatorGroup("Mine", "force", ("E23000003", "E23000004"), "s", "v"),
        comparators.ComparatorGroup("All", "csp", ("*",), "t", "w"),
    ]


def held(db) -> dict[str, tuple[str, ...]]:
    return {g.name: g.members for g in comparators.uploaded_groups(db)}


def test_an_analysts_upload_is_stored_audited_and_listed(db, data_dir):
    assert comparators.save_uploaded(db, ANALYST, MINE.encode(), "mine.csv", data_dir) == {
        "Test forces": "added"
    }
    groups = {g.name: g for g in comparators.all_groups(db, data_dir)}
    assert list(groups) == ["North West forces", "All CSPs in England and Wales", "Test forces"]
    mine = groups["Test forces"]
    assert (mine.members, mine.uploaded_by, mine.uploaded) == (
        ("E23000003", "E23000004", "E23000010"),
        "ana@example.org",
        True,
    )
    assert not groups["North West forces"].uploaded
    table = comparators.group_table(mine, data_dir)
    assert (len(table), table["of"].iloc[0]) == (3, 3)
    entry = db.audit_log(action="comparator_group_set").iloc[0]
    assert (entry["user_email"], entry["target"]) == (
        "ana@example.org",
        "comparator group Test forces",
    )
    # `python -m csa info` lists it among the comparators of a recorded-crime indicator
    from csa import inventory

    held = {i["code"]: i["comparators"] for i in inventory.inventory(db)["indicators"]}
    assert "Test forces" in held["REC-TOTAL"]


@pytest.mark.parametrize(
    "actor, message",
    [
        (OFFICER, "off@example.org (officer) may not manage indicators; it needs the role "
                  "admin, analyst."),
        (PUBLIC, "anonymous (public) may not manage indicators; it needs the role admin, "
                 "analyst."),
    ],
)  # fmt: skip
def test_officers_and_the_public_are_refused(db, data_dir, actor, message):
    with pytest.raises(PermissionDenied) as exc:
        comparators.save_uploaded(db, actor, MINE.encode(), "mine.csv", data_dir)
    assert str(exc.value) == message
    assert held(db) == {}
    assert db.audit_log(action="manage_indicators").iloc[0]["outcome"] == "refused"


def test_a_group_uploaded_again_is_replaced_wholly(db, data_dir):
    comparators.save_uploaded(db, ANALYST, MINE.encode(), "mine.csv", data_dir)
    again = csv("Test forces,force,E23000005,other list,2026")
    assert comparators.save_uploaded(db, ANALYST, again, "again.csv", data_dir) == {
        "Test forces": "replaced"
    }
    (group,) = comparators.uploaded_groups(db)
    assert (group.members, group.source, group.vintage) == (("E23000005",), "other list", "2026")


def test_a_bad_file_leaves_the_old_group(db, data_dir):
    comparators.save_uploaded(db, ANALYST, MINE.encode(), "mine.csv", data_dir)
    bad = csv("Test forces,force,E23000005,s,v", "Test forces,force,NOPE,s,v")
    with pytest.raises(comparators.GroupFileError):
        comparators.save_uploaded(db, ANALYST, bad, "bad.csv", data_dir)
    assert held(db) == {"Test forces": ("E23000003", "E23000004", "E23000010")}


def test_a_failure_while_writing_rolls_back_every_group(db, data_dir, monkeypatch):
    comparators.save_uploaded(db, ANALYST, MINE.encode(), "mine.csv", data_dir)
    two = csv("Test forces,force,E23000005,s,v", "Second,force,E23000006,s,v")
    write = db.replace_comparator_group

    def fail_on_second(conn, **kw):
        if kw["name"] == "Second":
            raise RuntimeError("disk full")
        return write(conn, **kw)

    monkeypatch.setattr(db, "replace_comparator_group", fail_on_second)
    with pytest.raises(RuntimeError):
        comparators.save_uploaded(db, ANALYST, two, "two.csv", data_dir)
    assert held(db) == {"Test forces": ("E23000003", "E23000004", "E23000010")}
    assert db.audit_log(action="comparator_group_set").shape[0] == 1


@pytest.mark.parametrize(
    "name, problem",
    [
        ("North West forces", "'North West forces' is a bundled group; it cannot be deleted"),
        ("Nobody's", 'there is no uploaded group called "Nobody\'s"'),
    ],
)
def test_bundled_or_missing_groups_cannot_be_deleted(db, data_dir, name, problem):
    with pytest.raises(comparators.GroupFileError) as exc:
        comparators.delete_uploaded(db, ANALYST, name, data_dir)
    assert exc.value.problems == [problem]


def test_the_migration_made_the_table(db):
    with db.reading() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar() == "0009"
        assert conn.execute(text("select count(*) from comparator_groups")).scalar() == 0


# -- the command line -------------------------------------------------------------------
def test_cli_round_trip(db, tmp_path, capsys):
    accounts.add_user(db, SYSTEM, "ana@example.org", "analyst")
    accounts.add_user(db, SYSTEM, "off@example.org", "officer", org_code="LANCS-POLICE")

    def run(*args):
        return main(["--database-url", db.url, "comparators", *args])

    good, bad = tmp_path / "mine.csv", tmp_path / "bad.csv"
    good.write_text(MINE)
    bad.write_text(HEADER + "Test forces,force,NOPE,s,v\n")
    capsys.readouterr()
    assert run("import", str(good), "--user", "ana@example.org") == 0
    assert capsys.readouterr().out == "Test forces: added.\n"
    assert run("import", str(bad), "--user", "ana@example.org") == 2
    assert capsys.readouterr().err == (
        "error: bad.csv: nothing was saved.\n  bad.csv: column member_code: group 'Test "
        "forces' has 1 force code not in Home Office Table P1: 'NOPE' (row 2)\n"
    )
    assert run("import", str(good), "--user", "off@example.org") == 3
    assert "may not manage indicators" in capsys.readouterr().err
    assert run("list") == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].startswith("North West forces: 5 forces; Home Office Table P1")
    assert listed[2].startswith("Test forces: 3 forces; test list, 2025; uploaded by ana@")
    assert run("delete", "Test forces", "--user", "ana@example.org") == 0
    assert capsys.readouterr().out == "Test forces: deleted.\n"
    assert held(db) == {}
    assert run("delete", "North West forces", "--user", "ana@example.org") == 2


# -- the Cost of crime page ---------------------------------------------------------------
AN = Viewer("ana@example.org", "analyst", None, "Ana")
OFF = Viewer("off@example.org", "officer", "LANCS-POLICE", "Off")
EXPANDER = "Add or replace a comparator group"


def test_analyst_uploads_a_group_on_the_page_and_it_is_shown(app_env):
    at = page("pages/strategic/costs.py", AN)
    assert EXPANDER in [e.label for e in at.expander]
    at.file_uploader(key="comparator_csv").upload("bad.csv", csv("Mine,force,NOPE,s,v"))
    at.run()
    assert "bad.csv: nothing was saved." in texts(at.error)
    assert "'NOPE' (row 2)" in texts(at.error)
    assert not any(b.label == "Save the comparator groups" for b in at.button)
    upload = MINE + "Our CSPs,csp,E22000158,test list,2025\nOur CSPs,csp,E22000151,test list,2025\n"
    at.file_uploader(key="comparator_csv").upload("mine.csv", upload.encode())
    at.run()
    preview = next(d.value for d in at.dataframe if "On saving" in d.value.columns)
    assert preview["Group"].tolist() == ["Test forces", "Our CSPs"]
    assert preview["On saving"].tolist() == ["added", "added"]
    click(at, "Save the comparator groups")
    assert "Test forces: added; Our CSPs: added." in texts(at.success)
    assert "**Test forces** (test list, 2025; uploaded by ana@example.org" in texts(at.markdown)
    forces = [d.value for d in at.dataframe if "Force" in d.value.columns]
    # rank 1 = lowest rate: Lancashire 128,435 / 1,570,373 = 81.8, Merseyside 134,838 /
    # 1,456,562 = 92.6, West Yorkshire 274,443 / 2,402,161 = 114.2 per 1,000
    assert forces[1][["Rank", "Force"]].values.tolist() == [
        ["1 of 3", "Lancashire"],
        ["2 of 3", "Merseyside"],
        ["3 of 3", "West Yorkshire"],
    ]
    # Preston 101.9 and Blackpool 153.0 per 1,000 (year ending June 2025): 1 and 2 of 2
    csps = next(
        d.value
        for d in at.dataframe
        if d.value.columns.tolist()[:2] == ["Rank", "Partnership"] and len(d.value) == 2
    )
    assert csps.set_index("Partnership")["Rank"].to_dict() == {
        "Preston": "1 of 2 partnerships",
        "Blackpool": "2 of 2 partnerships",
    }
    click(at, "Delete the uploaded group")
    assert "Our CSPs: deleted." in texts(at.success)
    assert held(app_env) == {"Test forces": ("E23000003", "E23000004", "E23000010")}


@pytest.mark.parametrize("viewer", [None, OFF])
def test_officers_and_the_public_have_no_upload(app_env, viewer):
    comparators.save_uploaded(app_env, ANALYST, MINE.encode(), "mine.csv", comparators_dir())
    at = page("pages/strategic/costs.py", viewer)
    assert EXPANDER not in [e.label for e in at.expander]
    # the group shows, but its uploader's address only to analysts
    assert "**Test forces** (test list, 2025; uploaded by an analyst," in texts(at.markdown)


def comparators_dir():
    from csa.config import data_dir

    return data_dir()
