"""Incremental publication: after a change, only the indicators (and offence families) whose
inputs changed are computed, the others kept where they are stored (not copied), and the result
is every row and column of a full build of the same data, both audiences."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from csa import config as csa_config
from csa import publish
from csa.assess import Inputs
from csa.models import PublishedFigure

SETTINGS = csa_config.load()
COLUMNS = [c.name for c in PublishedFigure.__table__.columns if c.name != "publication_key"]
KEYS = ["audience", "indicator_code", "area_code", "period_label"]
REC = sorted(publish.families(["REC-HOM"])["REC-HOM"])


def _cell(v):
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return float(v)
    if isinstance(v, (dt.date, pd.Timestamp)):
        return str(pd.Timestamp(v).date())
    return str(v)


def _normal(df: pd.DataFrame) -> pd.DataFrame:
    df = df[COLUMNS].sort_values(KEYS).reset_index(drop=True)
    out = pd.DataFrame({c: [_cell(v) for v in df[c]] for c in COLUMNS})
    out["critical"] = out["critical"].map(lambda v: bool(v) if v is not None else None)
    return out


def _stored(db, key):
    return pd.concat([db.published_figures(key, a) for a in publish.AUDIENCES], ignore_index=True)


def _bump(db):
    db.record_audit("analyst@example.org", "upload_return", "change.xlsx")


def _observation(code):
    return (
        "UPDATE observations SET numerator = numerator + 3, value = value + 3 "
        "WHERE indicator_code = :code AND id = (SELECT MAX(id) FROM observations "
        "WHERE indicator_code = :code AND numerator IS NOT NULL)",
        {"code": code},
    )


def _target_indicator(db):
    return str(db.targets().iloc[0]["indicator_code"])


CASES = [
    # (what changes, SQL, the indicators expected to be rebuilt)
    ("one indicator's observation", lambda db: _observation("ASB-01"), lambda db: ["ASB-01"]),
    (
        "a target",
        lambda db: (
            "UPDATE targets SET target_value = target_value + 1 WHERE id = :id",
            {"id": int(db.targets().iloc[0]["id"])},
        ),
        lambda db: sorted(publish.families([_target_indicator(db)])[_target_indicator(db)]),
    ),
    ("one part of recorded crime (a family)", lambda db: _observation("REC-HOM"), lambda db: REC),
    # published figures read numerators and denominators as stored: populations are not read
    (
        "a population",
        lambda db: ("UPDATE populations SET population = population + 1000", {}),
        lambda db: [],
    ),  # fmt: skip
]


@pytest.mark.parametrize("what,sql,expected", CASES, ids=[c[0] for c in CASES])
def test_incremental_publication_equals_a_full_build(sqlite_db, what, sql, expected):
    db = sqlite_db
    first = publish.ensure(db, SETTINGS)
    n_indicators = len(db.indicators())
    assert db.publication(first)["rebuilt"] == n_indicators  # nothing earlier: full build
    want = expected(db)
    with db.transaction() as conn:
        statement, params = sql(db)
        assert conn.execute(text(statement), params).rowcount >= 1
    _bump(db)
    key = publish.ensure(db, SETTINGS)
    assert key != first
    row = db.publication(key)
    assert row["rebuilt"] == len(want)
    assert db.publication(first) is None  # the earlier publication is gone
    full = publish.build(Inputs.from_db(db), SETTINGS)
    got, expect = _normal(_stored(db, key)), _normal(full)
    assert row["figures"] == len(full) == len(got)
    pd.testing.assert_frame_equal(got, expect)


def test_a_deleted_indicator_or_new_settings_publish_in_full(sqlite_db):
    db = sqlite_db
    publish.ensure(db, SETTINGS)
    other = SETTINGS | {"trend_points": int(SETTINGS["trend_points"]) + 1}
    key = publish.ensure(db, other)  # different settings hash: no earlier to copy from
    assert db.publication(key)["rebuilt"] == len(db.indicators())
    _bump(db)
    key = publish.ensure(db, other)  # same settings, nothing changed: nothing rebuilt
    assert db.publication(key)["rebuilt"] == 0
    pd.testing.assert_frame_equal(
        _normal(_stored(db, key)), _normal(publish.build(Inputs.from_db(db), other))
    )


def test_plan_rebuilds_families_and_falls_back_when_an_indicator_goes():
    new = {"ASB-01": "a", "REC-HOM": "b", "REC-VAP": "c", "X": "d"}
    old = {c: [d, 1] for c, d in new.items()}
    assert publish.plan(None, new) is None
    assert publish.plan(old, new) == set()
    assert publish.plan(old | {"GONE": ["z", 1]}, new) is None
    assert publish.plan(old, new | {"X": "changed"}) == {"X"}
    assert publish.plan(old, new | {"REC-HOM": "changed"}) == {"REC-HOM", "REC-VAP"}
    assert publish.plan(old, new | {"NEW": "e"}) == {"NEW"}


def _fingerprints_one_by_one(inputs, settings):
    """publish.fingerprints by its definition: each indicator's own frames hashed apart."""
    digest = publish._digest
    shared = digest(
        inputs.areas.sort_values("code").reset_index(drop=True),
        inputs.area_members.sort_values(["group_code", "member_code"]).reset_index(drop=True),
    ) + publish.publication_key(0, settings)
    obs = inputs.observations[[c for c in publish._ASSESSED_COLUMNS if c in inputs.observations]]
    periods, out = inputs.periods, {}
    for ind in inputs.indicators.to_dict("records"):
        o = obs[obs["indicator_code"] == ind["code"]]
        t = inputs.targets[inputs.targets["indicator_code"] == ind["code"]]
        bases = set(t["baseline_period"].dropna())
        used = (
            (periods["frequency"] == ind["frequency"])
            | periods["label"].isin(set(o["period_label"]))
            | periods["label"].isin(bases)
            | periods["financial_year"].isin(bases)
        )
        own = digest(pd.DataFrame([ind]), o, t, periods[used])
        out[ind["code"]] = publish.hashlib.sha256((own + shared).encode()).hexdigest()[:16]
    return out


def test_fingerprints_hashed_once_and_sliced_are_those_of_each_indicator_alone(sqlite_db):
    db = sqlite_db
    with db.transaction() as conn:  # a target on a baseline, an indicator with no figures
        first = int(db.targets()["id"].min())
        conn.execute(
            text("UPDATE targets SET baseline_period = '2023-24' WHERE id = :id"), {"id": first}
        )
        conn.execute(text("DELETE FROM observations WHERE indicator_code = 'REC-HOM'"))
    inputs = Inputs.from_db(db)
    assert publish.fingerprints(inputs, SETTINGS) == _fingerprints_one_by_one(inputs, SETTINGS)


def test_incremental_publication_in_place_on_every_backend(db):
    # the unchanged indicators' rows stay where they are (stored under the first key), the
    # rebuilt ones are replaced, and readers resolve the key (SQLite and PostgreSQL)
    first = publish.ensure(db, SETTINGS)
    for _ in range(2):  # the second takes over a publication that took one over
        with db.transaction() as conn:
            statement, params = _observation("REC-HOM")
            conn.execute(text(statement), params)
        _bump(db)
        key = publish.ensure(db, SETTINGS)
        row = db.publication(key)
        assert row["rebuilt"] == len(REC) and row["stored_as"] == first
        full = publish.build(Inputs.from_db(db), SETTINGS)
        pd.testing.assert_frame_equal(_normal(_stored(db, key)), _normal(full))
        assert set(_stored(db, key)["publication_key"]) == {key}  # the key asked for
        assert db.published_periods(key, "public") == sorted(set(full["period_label"]))
        with db.reading() as conn:  # nothing of the earlier publications is left over
            n = conn.execute(text("SELECT COUNT(*) FROM published_figures")).scalar()
            assert n == len(full)
            assert conn.execute(text("SELECT COUNT(*) FROM publications")).scalar() == 1


def test_a_publication_taken_over_meanwhile_is_not_taken_over_twice(db):
    from csa.db.published import StaleBase

    earlier = publish.ensure(db, SETTINGS)
    suffix = earlier[earlier.index("-") :]
    old = db.latest_publication(suffix, before="")
    rows = {c: n for c, (_d, n) in publish.json.loads(old["fingerprints"]).items()}
    keep = sorted(set(rows) - set(REC))
    figures = publish.build(publish._restricted(Inputs.from_db(db), set(REC)), SETTINGS)

    def store(key):
        db.store_publication(
            key, figures, 0.1, fingerprints="{}", rebuilt=len(REC), copy_from=old["key"],
            copy_indicators=keep, copy_rows=sum(rows[c] for c in keep),
        )  # fmt: skip

    assert db.claim_publication("v99" + suffix, 99)
    store("v99" + suffix)
    assert db.publication("v99" + suffix)["stored_as"] == earlier
    # a second publication from the same earlier one (gone now): nothing is written, and
    # the caller builds in full
    assert db.claim_publication("v100" + suffix, 100)
    with pytest.raises(StaleBase):
        store("v100" + suffix)
    assert not db.publication_ready("v100" + suffix)
    first = db.publication("v99" + suffix)
    assert first["ready"] and first["figures"] == len(_stored(db, first["key"]))
