"""The scale benchmarks' data generator (bench/scale.py) writes through the gateway what it
says: more indicators, or every quarterly and monthly series a whole number of times as
long, with periods made as the app makes them, no figure overwritten, annual series left."""

from __future__ import annotations

import pandas as pd

from bench import scale


def _held(db) -> pd.DataFrame:
    obs = db.observations()
    per = db.periods().set_index("label")
    return obs.assign(frequency=obs["period_label"].map(per["frequency"]))


def test_a_longer_history_repeats_each_series_in_the_whole_years_before_it(sqlite_db):
    db = sqlite_db
    before = _held(db)
    version = db.data_version()
    written = scale.extend_history(db, 3)
    after = _held(db)
    periods = db.periods().set_index("label")

    for freq in ("quarterly", "monthly"):
        old = before[before["frequency"] == freq]
        new = after[after["frequency"] == freq]
        assert len(new) == 3 * len(old), freq
        # the earlier copies lie wholly before the first period held, never on top of it
        first = pd.to_datetime(periods.loc[old["period_label"], "start_date"]).min()
        added = new[~new["period_label"].isin(set(old["period_label"]))]
        assert (pd.to_datetime(periods.loc[added["period_label"], "start_date"]) < first).all()
        # each series' values repeat: the same multiset of values, three times
        assert sorted(new["value"].dropna()) == sorted(list(old["value"].dropna()) * 3)
    annual = before[~before["frequency"].isin(["quarterly", "monthly"])]
    assert len(after[~after["frequency"].isin(["quarterly", "monthly"])]) == len(annual)
    assert written == len(after) - len(before)
    # the new periods are real periods: a quarter's dates are those of its label
    q = periods[periods["frequency"] == "quarterly"].sort_values("start_date").iloc[0]
    assert pd.Timestamp(q["end_date"]) > pd.Timestamp(q["start_date"])
    assert db.data_version() > version  # audited: the figures' version moved


def test_more_indicators_are_clones_under_new_codes(sqlite_db):
    db = sqlite_db
    before = len(db.observations())
    codes = set(db.indicators()["code"])
    assert scale.multiply_indicators(db, 2) == before
    after = set(db.indicators()["code"])
    assert after == codes | {f"{c}-X1" for c in codes}
    assert len(db.observations()) == 2 * before
