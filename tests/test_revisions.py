"""History is never overwritten: a new figure for the same key is a new revision."""

import pandas as pd
import pytest

KEY = dict(indicator_code="VIO-02", area_code="E07000117", period_label="2025-26 Q2")


def current(db):
    return db.observations(
        indicator_codes=[KEY["indicator_code"]],
        area_codes=[KEY["area_code"]],
        period_labels=[KEY["period_label"]],
    ).iloc[0]


def write(db, numerator, user="officer@example.org", data_kind="real"):
    rows = pd.DataFrame(
        [
            {
                **KEY,
                "numerator": numerator,
                "denominator": None,
                "value": numerator,
                "status": "final",
            }
        ]
    )
    with db.transaction() as conn:
        return db.write_revisions(conn, rows, upload_id=None, user_email=user, data_kind=data_kind)


def test_reimporting_a_changed_figure_keeps_the_old_revision(db):
    old = current(db)
    counts = write(db, old["numerator"] + 3)
    assert counts == {"new": 0, "changed": 1, "unchanged": 0}
    now = current(db)
    assert now["numerator"] == old["numerator"] + 3
    assert now["revision"] == old["revision"] + 1
    history = db.history(**KEY)
    assert list(history["revision"]) == [2, 1]
    assert list(history["numerator"]) == [old["numerator"] + 3, old["numerator"]]
    assert history["file_name"].iloc[1] == "bundled data (data/)"


def test_reimporting_the_same_figure_changes_nothing(db):
    old = current(db)
    assert old["data_kind"] == "demo"
    counts = write(db, old["numerator"], data_kind="demo")
    assert counts == {"new": 0, "changed": 0, "unchanged": 1}
    assert len(db.history(**KEY)) == 1


def test_a_real_figure_over_a_demo_one_with_the_same_numbers_is_a_new_revision(db):
    old = current(db)
    counts = write(db, old["numerator"], data_kind="real")
    assert counts == {"new": 0, "changed": 1, "unchanged": 0}
    now = current(db)
    assert (now["revision"], now["data_kind"], now["numerator"]) == (2, "real", old["numerator"])
    # and once real, the same figure again changes nothing (nor does real -> demo by value)
    assert write(db, old["numerator"], data_kind="real")["unchanged"] == 1
    assert write(db, old["numerator"], data_kind="demo")["unchanged"] == 1


def test_a_failed_transaction_writes_nothing(db):
    before = db.scalar_count_revisions()
    with pytest.raises(RuntimeError, match="half-way"):
        with db.transaction() as conn:
            rows = pd.DataFrame([{**KEY, "numerator": 1.0, "denominator": None, "value": 1.0}])
            db.write_revisions(conn, rows, upload_id=None, user_email="x@example.org")
            raise RuntimeError("failure half-way")
    assert db.scalar_count_revisions() == before
