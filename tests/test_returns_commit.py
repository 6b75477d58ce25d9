"""Confirming a return: all or nothing, revisions kept, file archived, audited, idempotent,
refused when the figures moved since the preview, and only by those allowed."""

import hashlib
import json
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy.exc import IntegrityError

from csa.access import Actor, PermissionDenied
from csa.returns import (
    ReturnRejected,
    StaleReturn,
    WarningsNotAcknowledged,
    commit_return,
    prepare_return,
)
from tests.returns_workbooks import (
    ANALYST,
    LVRN_OFFICER,
    NEXT_QUARTER_DAY,
    OFFICER,
    TODAY,
    cell,
    edit,
    prefilled,
    settings,
    template,
)

BURNLEY = "E07000117"


def state(db):
    """Everything a failed or refused import must leave as it was."""
    return (db.scalar_count_revisions(), len(db.uploads()), db.data_version())


def figure(db, code, area=BURNLEY, period="2026-27 Q2"):
    return db.observations(indicator_codes=[code], area_codes=[area], period_labels=[period]).iloc[
        0
    ]


def commit(db, content, actor=OFFICER, name="police.xlsx", **kwargs):
    kwargs.setdefault("today", TODAY)
    return commit_return(db, actor, content, name, settings=settings(), **kwargs)


@pytest.fixture
def police(db):
    """The police template with the figures held now typed in (its inputs start empty). The
    held figures are demo, so each one sent is a change of kind (demo -> real)."""
    return prefilled(db)


def test_a_changed_figure_becomes_a_new_revision_and_the_file_is_archived(db, police):
    old = figure(db, "DA-01")
    assert cell(police, "D4") == BURNLEY
    content = edit(police, {"I4": int(old["numerator"]) + 7, "L4": "late crimes added"})
    result = commit(db, content)
    assert result.status == "imported"
    # one new number, and 41 demo figures sent back unchanged: real now (demo -> real)
    assert result.counts == {"new": 0, "changed": 42, "unchanged": 0}

    now = figure(db, "DA-01")
    assert now["revision"] == old["revision"] + 1
    assert now["numerator"] == old["numerator"] + 7
    assert now["value"] == pytest.approx(
        (old["numerator"] + 7) / old["denominator"] * 1000, abs=1e-6
    )
    assert (now["upload_id"], now["created_by"], now["data_kind"], now["note"]) == (
        result.upload_id,
        OFFICER.email,
        "real",
        "late crimes added",
    )
    history = db.history("DA-01", BURNLEY, "2026-27 Q2")
    assert list(history["revision"]) == [2, 1]
    assert list(history["numerator"]) == [old["numerator"] + 7, old["numerator"]]
    assert list(history["file_name"]) == ["police.xlsx", "bundled data (data/)"]

    upload = db.upload(result.upload_id)
    assert (upload["kind"], upload["outcome"], upload["user_email"]) == (
        "return",
        "committed",
        OFFICER.email,
    )
    assert upload["sha256"] == hashlib.sha256(content).hexdigest()
    assert (
        upload["rows_total"],
        upload["rows_new"],
        upload["rows_changed"],
        upload["rows_unchanged"],
    ) == (42, 0, 42, 0)
    assert db.upload_content(result.upload_id) == content

    entry = db.audit_log(action="upload_return").iloc[0]
    assert (entry["user_email"], entry["target"], entry["outcome"]) == (
        OFFICER.email,
        "police.xlsx",
        "ok",
    )
    assert json.loads(entry["detail"])["upload_id"] == result.upload_id


def test_new_figures_hand_worked(db):
    """In January 2027 the quarter 2026-27 Q3 is open and has no figures yet.

    The police template has 42 rows (DA-01, DA-02, SOC-01 x 14 areas): ASB-01 is monthly."""
    content = template(db, "LANCS-POLICE", "2026-27 Q3", today=NEXT_QUARTER_DAY)
    rows = {cell(content, f"A{r}") + "|" + cell(content, f"D{r}"): r for r in range(2, 44)}
    da1, da2, soc = rows[f"DA-01|{BURNLEY}"], rows[f"DA-02|{BURNLEY}"], rows[f"SOC-01|{BURNLEY}"]
    blank = {f"{c}{r}": None for r in range(2, 44) for c in "IJ"}
    filled = edit(
        content,
        blank
        | {
            f"I{da1}": 1000,
            f"J{da1}": 200000,
            f"I{da2}": 30,
            f"J{da2}": 120,
            f"I{soc}": 7,
            f"K{soc}": "final",
        },
    )
    preview = prepare_return(
        db, OFFICER, filled, "q3.xlsx", today=NEXT_QUARTER_DAY, settings=settings()
    )
    assert preview.counts == {"new": 3, "changed": 0, "unchanged": 0}
    assert len(preview.skipped_rows) == 39
    assert set(preview.basis.values()) == {0}
    result = commit(db, filled, name="q3.xlsx", today=NEXT_QUARTER_DAY, acknowledge_warnings=True)
    assert result.counts == {"new": 3, "changed": 0, "unchanged": 0}
    got = {code: figure(db, code, period="2026-27 Q3") for code in ("DA-01", "DA-02", "SOC-01")}
    assert got["DA-01"]["value"] == pytest.approx(5.0)  # 1000 / 200000 x 1,000
    assert got["DA-02"]["value"] == pytest.approx(25.0)  # 30 / 120 x 100
    assert got["SOC-01"]["value"] == pytest.approx(7.0)  # a count is its numerator
    assert pd_isna(got["SOC-01"]["denominator"])
    assert got["SOC-01"]["status"] == "final" and got["DA-01"]["status"] == "provisional"
    assert {g["revision"] for g in got.values()} == {1}


def pd_isna(v):
    import pandas as pd

    return bool(pd.isna(v))


def test_the_same_file_again_is_recognised_and_changes_nothing(db, police):
    content = edit(police, {"I4": cell(police, "I4") + 1})
    first = commit(db, content)
    before = state(db)
    again = commit(db, content, name="renamed copy.xlsx")
    assert again.status == "duplicate" and again.upload_id == first.upload_id
    assert "already imported as upload" in again.message
    assert state(db) == before
    preview = prepare_return(db, OFFICER, content, "x.xlsx", today=TODAY, settings=settings())
    assert preview.duplicate_of["id"] == first.upload_id


def test_a_return_with_nothing_new_is_archived_but_writes_no_figure(db, police):
    commit(db, police, acknowledge_warnings=True)  # the demo figures become real
    revisions = db.scalar_count_revisions()
    result = commit(db, edit(police, {"L2": "sent again"}))
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 42}
    assert db.scalar_count_revisions() == revisions
    assert db.upload(result.upload_id)["rows_unchanged"] == 42


def test_warnings_must_be_acknowledged(db, police):
    r = 16 + 2  # DA-02 (a percentage) for the third area
    big = edit(police, {f"I{r}": cell(police, f"J{r}")})  # 100%: far above its history
    before = state(db)
    with pytest.raises(WarningsNotAcknowledged, match="1 warning") as info:
        commit(db, big)
    assert state(db) == before
    assert str(info.value.problems[0]).startswith(
        f"Return!I{r}: DA-02 {cell(police, f'E{r}')} ({cell(police, f'D{r}')}) "
        "2026-27 Q2: the value 100 (percentage) is "
        "far above its usual range"
    )
    # the 100% and 41 demo figures sent back as they are (demo -> real)
    assert commit(db, big, acknowledge_warnings=True).counts["changed"] == 42


def test_confirm_is_refused_when_figures_moved_since_the_preview(db, police):
    mine = edit(police, {"I4": cell(police, "I4") + 1})
    preview = prepare_return(db, OFFICER, mine, "mine.xlsx", today=TODAY, settings=settings())
    theirs = edit(police, {"I4": cell(police, "I4") + 2, "I5": cell(police, "I5") + 2})
    commit(db, theirs, actor=ANALYST, name="theirs.xlsx")
    before = state(db)
    with pytest.raises(StaleReturn, match="changed since your preview") as info:
        commit(db, mine, name="mine.xlsx", basis=preview.basis)
    assert state(db) == before
    fresh = info.value.preview
    moved = {k for k in preview.basis if preview.basis[k] != fresh.basis[k]}
    # theirs sent every figure (demo -> real), so every figure moved since my preview
    assert moved == set(preview.basis) and len(moved) == 42
    # theirs made every figure real; mine changes the two they moved
    assert fresh.counts == {"new": 0, "changed": 2, "unchanged": 40}
    # confirming the fresh preview works, and keeps every revision
    commit(db, mine, name="mine.xlsx", basis=fresh.basis)
    assert list(db.history("DA-01", BURNLEY, "2026-27 Q2")["revision"]) == [3, 2, 1]


def test_an_upload_landing_inside_the_commit_is_caught_in_the_transaction(db, police, monkeypatch):
    mine = edit(police, {"I4": cell(police, "I4") + 1})
    theirs = edit(police, {"I4": cell(police, "I4") + 2})
    real = db.transaction
    raced = []

    @contextmanager
    def racing():
        if not raced:  # the first transaction opened is my commit's: theirs lands just before
            raced.append(True)
            commit(db, theirs, actor=ANALYST, name="theirs.xlsx")
        with real() as conn:
            yield conn

    monkeypatch.setattr(db, "transaction", racing)
    with pytest.raises(StaleReturn) as info:
        commit(db, mine, name="mine.xlsx")
    assert raced and info.value.preview is not None
    assert figure(db, "DA-01")["numerator"] == cell(police, "I4") + 2
    assert len(db.uploads(kinds=["return"])) == 1


def test_an_upload_landing_between_the_check_and_the_insert_is_caught(db, police, monkeypatch):
    """Under READ COMMITTED the insert sees a commit that landed after our check; the
    revisions written must then be exactly one above the preview's, or nothing is kept."""
    mine = edit(police, {"I4": cell(police, "I4") + 1})
    theirs = edit(police, {"I4": cell(police, "I4") + 2})
    real = db.insert_upload
    raced = []

    def racing(*args, **kwargs):  # after our check, before our first write (SQLite's lock)
        if not raced:
            raced.append(True)
            commit(db, theirs, actor=ANALYST, name="theirs.xlsx")  # its own transaction
        return real(*args, **kwargs)

    monkeypatch.setattr(db, "insert_upload", racing)
    with pytest.raises(StaleReturn):
        commit(db, mine, name="mine.xlsx")
    assert figure(db, "DA-01")["numerator"] == cell(police, "I4") + 2
    assert list(db.history("DA-01", BURNLEY, "2026-27 Q2")["revision"]) == [2, 1]
    assert list(db.uploads(kinds=["return"])["file_name"]) == ["theirs.xlsx"]


def test_a_duplicate_revision_from_a_racing_writer_is_a_stale_return(db, police, monkeypatch):
    def clash(*args, **kwargs):
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(db, "write_revisions", clash)
    before = state(db)
    with pytest.raises(StaleReturn):
        commit(db, edit(police, {"I4": 1}), acknowledge_warnings=True)
    assert state(db) == before


@pytest.mark.parametrize("step", ["write_revisions", "finish_upload", "audit"])
def test_a_failure_half_way_leaves_the_database_unchanged(db, police, monkeypatch, step):
    real = getattr(db, step)

    def fail_after(*args, **kwargs):
        real(*args, **kwargs)  # the step's writes happen, then the process fails
        raise RuntimeError(f"power cut after {step}")

    monkeypatch.setattr(db, step, fail_after)
    content = edit(police, {f"I{r}": cell(police, f"I{r}") + 1 for r in range(2, 16)})
    before = state(db)
    with pytest.raises(RuntimeError, match="power cut"):
        commit(db, content)
    assert state(db) == before
    assert db.audit_log(action="upload_return").empty


def test_an_officer_may_only_send_their_own_organisations_figures(db, police):
    before = (db.scalar_count_revisions(), len(db.uploads()))
    with pytest.raises(
        PermissionDenied,
        match="only upload return for indicators their "
        "organisation leads, not those led by "
        "LANCS-POLICE",
    ):
        commit(db, police, actor=LVRN_OFFICER)
    assert (db.scalar_count_revisions(), len(db.uploads())) == before
    refusal = db.audit_log(action="upload_return").iloc[0]
    assert (refusal["user_email"], refusal["outcome"]) == (LVRN_OFFICER.email, "refused")


def test_a_file_mixing_organisations_is_refused_for_an_officer(db, police):
    # VIO-02 is led by LVRN; a single row, so no other figure changes kind
    only = {f"{c}{r}": None for r in range(2, 44) if r != 4 for c in "IJK"}
    mixed = edit(police, only | {"A4": "VIO-02", "J4": None})
    with pytest.raises(PermissionDenied, match="not those led by LVRN"):
        prepare_return(db, OFFICER, mixed, "m.xlsx", today=TODAY, settings=settings())
    # an analyst may send any organisation's figures
    assert (
        prepare_return(db, ANALYST, mixed, "m.xlsx", today=TODAY, settings=settings()).counts[
            "changed"
        ]
        == 1
    )


@pytest.mark.parametrize(
    "actor",
    [
        Actor("anonymous", "public"),
        Actor("board@lancashire.gov.uk", "board"),
        Actor("officer@lancashire.police.uk", "officer", "LANCS-POLICE", disabled=True),
        Actor("orphan@lancashire.gov.uk", "officer", None),
    ],
)
def test_roles_that_may_not_upload_are_refused_before_the_file_is_read(db, actor):
    with pytest.raises(PermissionDenied):
        prepare_return(
            db, actor, b"not even a workbook", "x.xlsx", today=TODAY, settings=settings()
        )
    assert db.audit_log(action="upload_return").iloc[0]["outcome"] == "refused"


def test_a_rejected_file_writes_nothing_even_when_confirmed(db):
    before = state(db)
    with pytest.raises(ReturnRejected, match="1 problem to fix"):
        commit(db, b"code,value\nDA-01,5\n", name="figures.csv.xlsx")
    assert state(db) == before


@pytest.mark.postgres
@pytest.mark.parametrize("change", [True, False], ids=["changes-a-figure", "changes-nothing"])
def test_the_same_file_committed_twice_at_once_is_stored_once(db, police, monkeypatch, change):
    """Two confirmations of the same bytes racing each other (two browser tabs, two servers):
    both previews see no earlier import, both commits reach the insert together. The
    database's unique key on the upload's idempotency key lets exactly one through; the
    other gets the "already imported" result naming it, not an error."""
    content = edit(police, {"I4": cell(police, "I4") + 1}) if change else police
    real = db.insert_upload
    together = threading.Barrier(2)

    def insert_when_both_are_here(*args, **kwargs):
        together.wait(timeout=30)  # both transactions have checked: neither saw the other
        return real(*args, **kwargs)

    monkeypatch.setattr(db, "insert_upload", insert_when_both_are_here)
    results, errors = [], []

    def confirm(name):
        try:
            results.append(commit(db, content, name=name))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=confirm, args=(f"tab{i}.xlsx",)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(r.status for r in results) == ["duplicate", "imported"]
    assert len({r.upload_id for r in results}) == 1
    stored = db.uploads(kinds=["return"])
    assert list(stored["id"]) == [results[0].upload_id]
    assert len(db.audit_log(action="upload_return")) == 1
    if change:
        assert list(db.history("DA-01", BURNLEY, "2026-27 Q2")["revision"]) == [2, 1]


def test_the_idempotency_key_is_enforced_by_the_database(db, police):
    """Even a writer that skips every check cannot store the same committed return twice."""
    first = commit(db, police)
    row = db.upload(first.upload_id)
    with pytest.raises(IntegrityError), db.transaction() as conn:
        db.insert_upload(
            conn,
            kind="return",
            file_name="again.xlsx",
            sha256=row["sha256"],
            content=police,
            user_email=OFFICER.email,
            created_at=row["created_at"],
            dedupe_key=row["dedupe_key"],
        )
    assert row["dedupe_key"] == f"return:{row['sha256']}"
