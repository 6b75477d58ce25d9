"""Fingertips alcohol indicators: published significance beside ours, every disagreement
explained, standardised rates never recomputed."""

from __future__ import annotations

import pytest

from csa import alcohol


@pytest.mark.parametrize("which, periods", [("admissions", 10), ("mortality", 10)])
def test_files_hold_14_areas_and_england(data_dir, which, periods):
    df = alcohol.read(data_dir, which)
    assert df["area_code"].nunique() == 15 and df["period"].nunique() == periods
    assert df["value"].notna().all()
    assert df["measure"].str.contains("tandardised rate per 100,000").all()


@pytest.mark.parametrize(
    "which, area, period, value, published",
    [  # as published by Fingertips (via traffordDataLab)
        ("admissions", "E06000008", "2008/09", 721, "Worse"),
        ("mortality", "E06000008", "2008", 62.9, "Worse"),
    ],
)
def test_published_values_are_shown_unchanged(data_dir, which, area, period, value, published):
    t = alcohol.significance_table(alcohol.read(data_dir, which))
    row = t[(t["area_code"] == area) & (t["period"] == period)].iloc[0]
    assert (row["value"], row["fingertips"]) == (value, published)


@pytest.mark.parametrize("which", ["admissions", "mortality"])
def test_every_disagreement_is_explained(data_dir, which):
    t = alcohol.significance_table(alcohol.read(data_dir, which))
    assert len(t) == 140
    differ = t[t["ours"] != t["fingertips"].str.lower()]
    assert (differ["why_different"] != "").all()
    assert differ["why_different"].str.contains("standardised").all()
