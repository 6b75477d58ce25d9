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
        (1, "Upload #1 is a seed upload; only returns and rollbacks can be rolled back"),
    ],
)
def test_only_committed_returns_can_be_rolled_back(db, upload_id, message):
    with pytest.raises(RollbackRefused, match=message):
        rollback_upload(db, ADMIN, upload_id)


def test_an_upload_cannot_be_rolled_back_twice(db, police):
    upload = commit(db, edit(police, {"I4": cell(police, "I4") + 1}))
    rollback_upload(db, ADMIN, upload.upload_id)
    with pytest.raises(RollbackRefused, match="is rolled_back, not committed") as info:
        rollback_upload(db, ADMIN, upload.upload_id)
    # the refusal names the way to apply the upload again: roll its rollback back
    assert f"rolled back as upload #{upload.upload_id + 1}: roll upload #" in info.value.summary


def test_officers_may_not_roll_back(db, police):
    upload = commit(db, edit(police, {"I4": cell(police, "I4") + 1}))
    with pytest.raises(PermissionDenied, match="may not rollback upload"):
        rollback_upload(db, OFFICER, upload.upload_id)
    assert db.upload(upload.upload_id)["outcome"] == "committed"
    assert db.audit_log(action="rollback_upload").iloc[0]["outcome"] == "refused"


# -- every refusal has a path that works (issue "Security and reliability", item 6) ---------
def numerators(db, key=KEY):
    """The numerators of every revision of a figure, oldest first, withdrawn as None."""
    h = db.history(*key).sort_values("revision")
    return [None if w else int(n) for n, w in zip(h["numerator"], h["withdrawn"], strict=True)]


def refusal(db, upload_id):
    with pytest.raises(RollbackRefused) as info:
        rollback_upload(db, ADMIN, upload_id)
    return info.value.summary


def test_the_dead_end_of_the_issue_rolling_back_q_then_p_works(db, police):
    """Import P then Q, both changing DA-01 Burnley. `rollback P` is refused naming Q; once Q
    is rolled back, the figure is P's again and `rollback P` succeeds."""
    seed = int(cell(police, "I4"))
    p = commit(db, edit(police, {"I4": seed + 1}), name="p.xlsx").upload_id
    q = commit(db, edit(police, {"I4": seed + 2}), name="q.xlsx").upload_id
    assert refusal(db, p).endswith(f"Roll back upload #{q} first, then upload #{p}.")
    rq = rollback_upload(db, ADMIN, q).rollback_upload_id
    assert numerators(db) == [seed, seed + 1, seed + 2, seed + 1]
    rp = rollback_upload(db, ADMIN, p)
    # P sent all 42 figures of the return (41 of them demo -> real), so all 42 are restored
    assert (rp.restored, rp.withdrawn) == (42, 0)
    assert numerators(db) == [seed, seed + 1, seed + 2, seed + 1, seed]
    assert current(db)["upload_id"] == rp.rollback_upload_id
    assert [db.upload(u)["outcome"] for u in (p, q, rq)] == [
        "rolled_back",
        "rolled_back",
        "committed",
    ]


def test_the_refusal_names_every_upload_to_roll_back_first_in_order(db, police):
    """P, Q and R change the same figure; R happens to write P's value again, which must not
    count as P's figure (R is a live import). The path is R then Q, and it works."""
    seed = int(cell(police, "I4"))
    p = commit(db, edit(police, {"I4": seed + 1}), name="p.xlsx").upload_id
    q = commit(db, edit(police, {"I4": seed + 2}), name="q.xlsx").upload_id
    r = commit(db, edit(police, {"I4": seed + 1}), name="r.xlsx").upload_id
    assert refusal(db, p).endswith(
        f"Roll back upload #{r}, then upload #{q} first, then upload #{p}."
    )
    assert refusal(db, q).endswith(f"Roll back upload #{r} first, then upload #{q}.")
    for upload_id in (r, q, p):
        rollback_upload(db, ADMIN, upload_id)
    assert numerators(db) == [seed, seed + 1, seed + 2, seed + 1, seed + 2, seed + 1, seed]


def test_the_path_follows_later_uploads_through_other_figures(db, police):
    """P changes Burnley; Q changes Burnley and the next area; S changes only the next area.
    Q cannot go before S, so rolling P back needs S, then Q."""
    burnley, other = int(cell(police, "I4")), int(cell(police, "I5"))
    p = commit(db, edit(police, {"I4": burnley + 1}), name="p.xlsx").upload_id
    q = commit(db, edit(police, {"I4": burnley + 2, "I5": other + 2}), name="q.xlsx").upload_id
    s = commit(db, edit(police, {"I4": burnley + 2, "I5": other + 3}), name="s.xlsx").upload_id
    assert refusal(db, p).endswith(
        f"Roll back upload #{s}, then upload #{q} first, then upload #{p}."
    )
    for upload_id in (s, q, p):
        rollback_upload(db, ADMIN, upload_id)
    assert numerators(db) == [burnley, burnley + 1, burnley + 2, burnley + 1, burnley]


def test_a_rollback_can_itself_be_rolled_back(db, police):
    """Rolling a rollback back re-applies the values it undid, as new revisions; and that
    can be rolled back in turn."""
    seed = int(cell(police, "I4"))
    p = commit(db, edit(police, {"I4": seed + 1}), name="p.xlsx").upload_id
    rp = rollback_upload(db, ADMIN, p).rollback_upload_id
    again = rollback_upload(db, ANALYST, rp, reason="the figures were right")
    # the return's 42 figures (41 demo -> real) are re-applied
    assert (again.upload_id, again.restored, again.withdrawn) == (rp, 42, 0)
    assert "re-applied" in again.message
    assert numerators(db) == [seed, seed + 1, seed, seed + 1]
    assert db.upload(rp)["outcome"] == "rolled_back"
    rrp = db.upload(again.rollback_upload_id)
    assert (rrp["kind"], rrp["reverts_upload_id"], rrp["outcome"]) == ("rollback", rp, "committed")
    # P itself stays rolled back: the refusal names the upload to roll back instead
    assert f"roll upload #{rrp['id']} back" in refusal(db, p)
    rollback_upload(db, ADMIN, rrp["id"])
    assert numerators(db) == [seed, seed + 1, seed, seed + 1, seed]


def test_a_rollback_of_a_created_figure_can_be_undone_and_redone(db):
    content = template(db, "LANCS-POLICE", "2026-27 Q3", today=NEXT_QUARTER_DAY)
    blank = {f"{c}{r}": None for r in range(3, 58) for c in "IJ"}
    area = cell(content, "D2")
    key = ("DA-01", area, "2026-27 Q3")
    p = commit(
        db,
        edit(content, blank | {"I2": 1200, "J2": 150000}),
        name="q3.xlsx",
        today=NEXT_QUARTER_DAY,
    ).upload_id
    rp = rollback_upload(db, ADMIN, p).rollback_upload_id
    assert numerators(db, key) == [1200, None]
    rrp = rollback_upload(db, ADMIN, rp)
    assert (rrp.restored, rrp.withdrawn) == (1, 0)
    assert numerators(db, key) == [1200, None, 1200]
    assert current(db, area=area, period="2026-27 Q3")["value"] == pytest.approx(8.0)
    assert rollback_upload(db, ADMIN, rrp.rollback_upload_id).withdrawn == 1
    assert current(db, area=area, period="2026-27 Q3") is None


def test_a_rollback_follows_the_same_conflict_rule(db, police):
    """P is rolled back; Q then changes the figure again. Re-applying P (rolling its rollback
    back) would silently undo Q: refused, naming Q; after Q is rolled back it works."""
    seed = int(cell(police, "I4"))
    p = commit(db, edit(police, {"I4": seed + 1}), name="p.xlsx").upload_id
    rp = rollback_upload(db, ADMIN, p).rollback_upload_id
    q = commit(db, edit(police, {"I4": seed + 5}), name="q.xlsx").upload_id
    message = refusal(db, rp)
    assert f"(now revision 4 from upload #{q})" in message
    assert message.endswith(f"Roll back upload #{q} first, then upload #{rp}.")
    rollback_upload(db, ADMIN, q)
    rollback_upload(db, ADMIN, rp)
    assert numerators(db) == [seed, seed + 1, seed, seed + 5, seed, seed + 1]
