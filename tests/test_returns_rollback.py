"""Rolling an upload back appends restoring revisions, never deletes, and is audited."""

import json

import pandas as pd
import pytest

from csa.access import PermissionDenied
from csa.returns import RollbackRefused, commit_return, rollback_upload
from tests.returns_workbooks import (
    ADMIN,
    ANALYST,
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
KEY = ("DA-01", BURNLEY, "2026-27 Q2")


def commit(db, content, name="police.xlsx", today=TODAY):
    return commit_return(
        db, OFFICER, content, name, today=today, settings=settings(), acknowledge_warnings=True
    )


def current(db, ind="DA-01", area=BURNLEY, period="2026-27 Q2", withdrawn=False):
    df = db.observations(
        indicator_codes=[ind],
        area_codes=[area],
        period_labels=[period],
        include_withdrawn=withdrawn,
    )
    return None if df.empty else df.iloc[0]


@pytest.fixture
def police(db):
    """The police template with the figures held now typed in (its inputs start empty). The
    held figures are demo, so each one sent is a change of kind (demo -> real)."""
    return prefilled(db)


def test_rollback_restores_the_previous_revision(db, police):
    before = current(db)
    upload = commit(db, edit(police, {"I4": int(before["numerator"]) + 50, "K4": "final"}))
    revisions = db.scalar_count_revisions()
    # the upload moved all 42 figures (one new number, 41 demo -> real): all are restored
    assert upload.counts == {"new": 0, "changed": 42, "unchanged": 0}
    assert (before["data_kind"], current(db)["data_kind"]) == ("demo", "real")
    result = rollback_upload(db, ADMIN, upload.upload_id, reason="wrong quarter")
    assert (result.restored, result.withdrawn) == (42, 0)
    assert db.scalar_count_revisions() == revisions + 42  # appended, nothing deleted

    now = current(db)
    assert now["revision"] == 3
    assert (
        now["numerator"],
        now["denominator"],
        now["value"],
        now["status"],
        now["data_kind"],
    ) == (
        before["numerator"],
        before["denominator"],
        before["value"],
        before["status"],
        before["data_kind"],
    )
    assert now["upload_id"] == result.rollback_upload_id
    history = db.history(*KEY)
    assert list(history["revision"]) == [3, 2, 1]
    assert list(history["upload_kind"]) == ["rollback", "return", "seed"]

    original = db.upload(upload.upload_id)
    assert (original["outcome"], original["rolled_back_by"]) == ("rolled_back", ADMIN.email)
    assert original["rolled_back_at"] is not None and "wrong quarter" in original["message"]
    rb = db.upload(result.rollback_upload_id)
    assert (rb["kind"], rb["user_email"], rb["rows_changed"]) == ("rollback", ADMIN.email, 42)
    entry = db.audit_log(action="rollback_upload").iloc[0]
    assert (entry["user_email"], entry["target"], entry["outcome"]) == (
        ADMIN.email,
        f"upload #{upload.upload_id}",
        "ok",
    )
    assert json.loads(entry["detail"])["restored"] == 42


def test_rollback_withdraws_figures_the_upload_created(db):
    content = template(db, "LANCS-POLICE", "2026-27 Q3", today=NEXT_QUARTER_DAY)
    blank = {f"{c}{r}": None for r in range(3, 58) for c in "IJ"}
    upload = commit(
        db,
        edit(content, blank | {"I2": 1200, "J2": 150000}),
        name="q3.xlsx",
        today=NEXT_QUARTER_DAY,
    )
    area = cell(content, "D2")
    assert current(db, area=area, period="2026-27 Q3")["value"] == pytest.approx(8.0)
    result = rollback_upload(db, ANALYST, upload.upload_id)
    assert (result.restored, result.withdrawn) == (0, 1)
    assert current(db, area=area, period="2026-27 Q3") is None  # no longer counts
    gone = current(db, area=area, period="2026-27 Q3", withdrawn=True)
    assert bool(gone["withdrawn"]) and gone["revision"] == 2 and pd.isna(gone["numerator"])
    # the same file can be imported again once its upload was rolled back
    again = commit(
        db,
        edit(content, blank | {"I2": 1200, "J2": 150000}),
        name="q3.xlsx",
        today=NEXT_QUARTER_DAY,
    )
    assert again.status == "imported" and again.counts["new"] == 1


def test_a_figure_changed_again_later_blocks_the_rollback(db, police):
    first = commit(db, edit(police, {"I4": cell(police, "I4") + 1}), name="first.xlsx")
    commit(db, edit(police, {"I4": cell(police, "I4") + 2}), name="second.xlsx")
    before = db.scalar_count_revisions()
    with pytest.raises(
        RollbackRefused,
        match=rf"1 of its figures were changed since by later "
        rf"uploads \(DA-01 {BURNLEY} 2026-27 Q2 \(now "
        rf"revision 3 from upload #{first.upload_id + 1}\)\)",
    ):
        rollback_upload(db, ADMIN, first.upload_id)
    assert db.scalar_count_revisions() == before
    assert db.upload(first.upload_id)["outcome"] == "committed"


@pytest.mark.parametrize(
    "upload_id, message",
    [
        (999, "There is no upload #999"),
        (1, "Upload #1 is a seed upload; only returns can be rolled back"),
    ],
)
def test_only_committed_returns_can_be_rolled_back(db, upload_id, message):
    with pytest.raises(RollbackRefused, match=message):
        rollback_upload(db, ADMIN, upload_id)


def test_an_upload_cannot_be_rolled_back_twice(db, police):
    upload = commit(db, edit(police, {"I4": cell(police, "I4") + 1}))
    rollback_upload(db, ADMIN, upload.upload_id)
    with pytest.raises(RollbackRefused, match="is rolled_back, not committed"):
        rollback_upload(db, ADMIN, upload.upload_id)


def test_officers_may_not_roll_back(db, police):
    upload = commit(db, edit(police, {"I4": cell(police, "I4") + 1}))
    with pytest.raises(PermissionDenied, match="may not rollback upload"):
        rollback_upload(db, OFFICER, upload.upload_id)
    assert db.upload(upload.upload_id)["outcome"] == "committed"
    assert db.audit_log(action="rollback_upload").iloc[0]["outcome"] == "refused"
