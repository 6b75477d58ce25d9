"""``python -m csa info``: each indicator's frequency, periods, latest real period and the
comparators held."""

from __future__ import annotations

import pytest

from csa.inventory import inventory, latest_real_periods, series_periods


@pytest.mark.parametrize(
    "code, frequency, first, last, count, latest_real, kind",
    [
        # police.uk: 35 months from 2019-12 to 2022-10, less the 3 missing from the source
        ("ASB-01", "monthly", "2019-12", "2022-10", 32, "2022-10", "real"),
        ("PUK-VSO", "monthly", "2019-12", "2022-10", 32, "2022-10", "real"),
        ("REC-TOTAL", "annual", "YE Jun 2025", "YE Jun 2025", 1, "YE Jun 2025", "real"),
        ("VIO-01", "quarterly", "2021-22 Q1", "2026-27 Q2", 22, None, "demo"),  # demo only
    ],
)
def test_indicator_frequency_periods_and_latest_real(
    db, code, frequency, first, last, count, latest_real, kind
):
    ind = next(i for i in inventory(db)["indicators"] if i["code"] == code)
    assert ind["frequency"] == frequency
    assert ind["periods"] == {"first": first, "last": last, "count": count}
    assert ind["latest_real_period"] == latest_real
    assert latest_real_periods(db)[code] == latest_real
    assert series_periods(db.observations(), db.periods())[code]["kind"] == kind


def test_comparators_held(db):
    inds = {i["code"]: i for i in inventory(db)["indicators"]}
    assert inds["ASB-01"]["comparators"] == ["Pan-Lancashire"]
    rec = inds["REC-TOTAL"]["comparators"]
    assert {"England and Wales", "England", "North West", "North West forces"} <= set(rec)


def test_info_text_lists_frequency_periods_and_comparators(db, capsys, monkeypatch):
    from types import SimpleNamespace

    from csa.commands import info

    monkeypatch.setattr(info, "open_database", lambda args: db)
    assert info.run(SimpleNamespace(json=False)) == 0
    out = capsys.readouterr().out
    assert "ASB-01" in out and "monthly" in out
    assert "periods: 2019-12 .. 2022-10 (32)" in out
    assert "latest real period: none (demo only)" in out
    assert "comparators: Pan-Lancashire, England and Wales" in out


def test_series_spans_from_the_distinct_query_equal_those_from_every_figure(db):
    """ObservationGateway.series_kinds (one DISTINCT query) gives series_periods exactly
    what reading every current figure would (SQLite and PostgreSQL)."""
    kinds = db.series_kinds()
    assert not kinds.duplicated().any()
    assert len(kinds) < len(db.observations())
    assert series_periods(kinds, db.periods()) == series_periods(db.observations(), db.periods())
