"""Suggested volume and trend scores (method in csa/strategic/suggestions.py)."""

from datetime import date

import pandas as pd
import pytest

from csa.strategic.suggestions import percentiles, scale_score, suggest, trend_band


@pytest.mark.parametrize(
    "p, lo, hi, expected",
    [
        (0.0, 1, 5, 1),
        (1.0, 1, 5, 5),
        (0.5, 1, 5, 3),
        (0.125, 1, 5, 2),  # 0.5 rounds up
        (0.1, 1, 5, 1),
        (0.9, 1, 5, 5),
        (0.3, 0, 10, 3),
        (1.7, 1, 5, 5),
        (-1, 1, 5, 1),
    ],
)
def test_scale_score(p, lo, hi, expected):
    assert scale_score(p, lo, hi) == expected


@pytest.mark.parametrize(
    "change, band",
    [
        (-0.25, 0),
        (-0.10, 0),
        (-0.05, 1),
        (-0.025, 1),
        (0.0, 2),
        (0.02, 2),
        (0.025, 3),
        (0.099, 3),
        (0.10, 4),
        (0.5, 4),
    ],
)
def test_trend_bands(change, band):
    assert trend_band(change) == band


def test_percentiles_lowest_zero_highest_one_ties_averaged():
    p = percentiles(pd.Series({"a": 10.0, "b": 20.0, "c": 20.0, "d": 40.0, "e": 50.0}))
    # average ranks 1, 2.5, 2.5, 4, 5 -> (r-1)/4
    assert p.to_dict() == pytest.approx({"a": 0.0, "b": 0.375, "c": 0.375, "d": 0.75, "e": 1.0})


QUARTERS = [f"2024-25 Q{q}" for q in range(1, 5)] + [f"2025-26 Q{q}" for q in range(1, 5)]
PERIODS = pd.DataFrame(
    [
        {"label": q, "start_date": start.date(), "end_date": start.date(), "frequency": "quarterly"}
        for q, start in zip(
            QUARTERS, pd.date_range("2024-04-01", periods=8, freq="3MS"), strict=True
        )
    ]
    + [
        {
            "label": "YE Jun 2025",
            "start_date": date(2024, 7, 1),
            "end_date": date(2025, 6, 30),
            "frequency": "annual",
        }
    ]
)
INDICATORS = pd.DataFrame(
    [
        {
            "code": "CNT",
            "unit": "count",
            "multiplier": 1,
            "polarity": "low_is_good",
            "frequency": "quarterly",
            "public": True,
            "data_kind": "demo",
        },
        {
            "code": "GOOD",
            "unit": "percentage",
            "multiplier": 100,
            "polarity": "high_is_good",
            "frequency": "quarterly",
            "public": True,
            "data_kind": "demo",
        },
        {
            "code": "REC-X",
            "unit": "rate",
            "multiplier": 1000,
            "polarity": "low_is_good",
            "frequency": "annual",
            "public": True,
            "data_kind": "real",
        },
        {
            "code": "SECRET",
            "unit": "count",
            "multiplier": 1,
            "polarity": "high_is_good",
            "frequency": "quarterly",
            "public": False,
            "data_kind": "demo",
        },
    ]
)
CRITERIA = pd.DataFrame(
    {"code": ["VOLUME", "TREND", "HARM"], "scale_min": [1, 1, 1], "scale_max": [5, 5, 5]}
)
AREAS = ["A", "B", "C"]
POPS = pd.Series({"A": 1000.0, "B": 2000.0, "C": 4000.0})


def obs_rows():
    rows = []
    # counts per quarter: A 10 then 12 (+20%), B 10 then 10, C 20 then 18 (-10%)
    for area, before, after in (("A", 10, 12), ("B", 10, 10), ("C", 20, 18)):
        for i, q in enumerate(QUARTERS):
            rows.append(
                {
                    "indicator_code": "CNT",
                    "area_code": area,
                    "period_label": q,
                    "numerator": before if i < 4 else after,
                    "denominator": None,
                }
            )
            rows.append(
                {
                    "indicator_code": "SECRET",
                    "area_code": area,
                    "period_label": q,
                    "numerator": 1,
                    "denominator": None,
                }
            )
    # annual recorded crime: A 5/1000, B 20/2000, C 100/4000 per 1,000 -> 5, 10, 25
    for area, n in (("A", 5), ("B", 20), ("C", 100)):
        rows.append(
            {
                "indicator_code": "REC-X",
                "area_code": area,
                "period_label": "YE Jun 2025",
                "numerator": n,
                "denominator": None,
            }
        )
    return pd.DataFrame(rows)


def run(indicator_codes, as_of="2025-26 Q4"):
    issues = pd.DataFrame({"code": ["I"], "indicator_codes": [indicator_codes]})
    return suggest(issues, CRITERIA, obs_rows(), INDICATORS, PERIODS, POPS, AREAS, as_of)


def test_volume_from_recorded_crime_rate_per_1000():
    out = run("REC-X")
    vol = out[out["criterion_code"] == "VOLUME"].set_index("area_code")["score"].to_dict()
    assert vol == {"A": 1, "B": 3, "C": 5}  # rates 5, 10, 25 -> percentiles 0, .5, 1
    assert set(out["data_kind"]) == {"real"}
    assert (out["criterion_code"] == "TREND").sum() == 0  # annual: no trend


def test_volume_of_counts_is_per_1000_residents_over_four_quarters():
    out = run("CNT")
    vol = out[out["criterion_code"] == "VOLUME"].set_index("area_code")["score"].to_dict()
    # last 4 quarters: A 48/1000 = 48, B 40/2000 = 20, C 72/4000 = 18 per 1,000
    assert vol == {"A": 5, "B": 3, "C": 1}


def test_trend_from_the_last_four_quarters_against_the_four_before():
    out = run("CNT")
    trend = out[out["criterion_code"] == "TREND"].set_index("area_code")["score"].to_dict()
    # A +20% -> band 4 -> 5; B 0% -> 3; C -10% -> band 0 -> 1
    assert trend == {"A": 5, "B": 3, "C": 1}
    assert (
        "+20.0%"
        in out[(out["area_code"] == "A") & (out["criterion_code"] == "TREND")]["basis"].iloc[0]
    )


def test_mean_over_indicators_and_demo_label():
    out = run("REC-X,CNT")
    vol = out[out["criterion_code"] == "VOLUME"].set_index("area_code")["score"].to_dict()
    # percentiles REC-X (0, .5, 1) and CNT (1, .5, 0) -> mean .5 each -> 3
    assert vol == {"A": 3, "B": 3, "C": 3}
    assert set(out["data_kind"]) == {"demo"}


def test_restricted_indicators_are_never_used():
    assert run("SECRET").empty


def test_only_data_driven_criteria_get_suggestions():
    assert set(run("REC-X,CNT")["criterion_code"]) == {"VOLUME", "TREND"}


def test_without_eight_quarters_there_is_no_trend():
    out = run("CNT", as_of="2025-26 Q2")  # only six quarters up to it
    assert (out["criterion_code"] == "TREND").sum() == 0


def test_unknown_reference_quarter_is_an_error():
    with pytest.raises(ValueError, match="not a quarterly period"):
        run("CNT", as_of="2030-31 Q1")
