"""The pre-filled draft for the known off-track case in the bundled (demo) data: violence with
injury (VIO-01) in Burnley, 2026-27 Q2, which the demo story makes rise in East Lancashire
from 2025. Figures are checked against the observations themselves, not the assessment."""

from __future__ import annotations

import shutil

import pytest

from csa import config as csa_config
from csa import formatting, publish
from csa.assess import Inputs
from csa.db import Database
from csa.plans.evidence import evidence_for, groupings_for, year_earlier

PERIOD = "2026-27 Q2"
EAST = ["E06000008", "E07000117", "E07000120", "E07000122", "E07000124", "E07000125"]


@pytest.fixture(scope="module")
def published_db(sqlite_template, tmp_path_factory):
    """A seeded database with its figures published once for the module."""
    path = tmp_path_factory.mktemp("evidence") / "csa.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    publish.ensure(db, csa_config.load())
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def inputs(published_db):
    return Inputs.from_db(published_db)


@pytest.fixture(scope="module")
def build(published_db, inputs):
    """Evidence for a plan, drawn from the module's published figures."""

    def evidence(code, area, period):
        return evidence_for(published_db, csa_config.load(), code, area, period, inputs=inputs)

    return evidence


def published(db, code, area, period):
    key = publish.ensure(db, csa_config.load())
    return publish.read(db, key, "signed_in", indicators=[code], areas=[area], periods=[period])


def rate(obs, code, areas, period) -> float:
    """Sum of numerators over sum of denominators x 1,000, straight from the observations."""
    rows = obs[
        (obs["indicator_code"] == code)
        & obs["area_code"].isin(areas)
        & (obs["period_label"] == period)
    ]
    assert len(rows) == len(areas)
    return rows["numerator"].sum() / rows["denominator"].sum() * 1000


def test_burnley_violence_draft_says_what_the_data_says(inputs, build):
    ev = build("VIO-01", "E07000117", PERIOD)
    obs = inputs.observations
    burnley = obs[(obs["indicator_code"] == "VIO-01") & (obs["area_code"] == "E07000117")]
    latest = burnley[burnley["period_label"] == PERIOD].iloc[0]

    assert (ev["indicator_title"], ev["area_name"], ev["lead_org_code"]) == (
        "Violence with injury",
        "Burnley",
        "LVRN",
    )
    assert ev["data_kind"] == "demo"
    f = ev["figures"]
    assert f["value"] == pytest.approx(latest["numerator"] / latest["denominator"] * 1000)
    assert f["lower"] < f["value"] < f["upper"]
    # target: 5% below Burnley's own 2022-23 rate (sum n / sum d over its four quarters)
    base = burnley[burnley["period_label"].str.startswith("2022-23")]
    assert len(base) == 4
    expected_target = base["numerator"].sum() / base["denominator"].sum() * 1000 * 0.95
    assert f["target"] == pytest.approx(expected_target)
    assert f["value"] > f["target"]
    assert f["target_status"] == "off track"
    # benchmark: pan-Lancashire, the 14 areas added up
    all14 = sorted(set(obs.loc[obs["indicator_code"] == "VIO-01", "area_code"]))
    assert f["benchmark_code"] == "E23000003"
    assert f["benchmark_value"] == pytest.approx(rate(obs, "VIO-01", all14, PERIOD))
    assert f["comparison"] == "worse"
    assert f["year_earlier_period"] == "2025-26 Q2"
    assert f["year_earlier_value"] == pytest.approx(
        rate(obs, "VIO-01", ["E07000117"], "2025-26 Q2")
    )

    v = ev["verdict"]
    assert (v["rag"], v["critical"]) == ("red", True)
    assert v["periods_off_track"] >= 2
    assert v["reasons"][0].startswith("Off track:")
    assert v["reasons"][-1] == (
        f"Critical: off track for {v['periods_off_track']} quarters "
        "running (the rule is 2); a recovery plan is required."
    )
    assert ev["trend"] == {"direction": "increasing", "judgement": "getting worse"}
    assert ev["spc"]["message"].startswith("XmR chart of ")

    assert ev["series"][-1]["period_label"] == PERIOD
    assert ev["series"][-1]["value"] == pytest.approx(f["value"])
    assert len(ev["series"]) == 13

    # one rule for numbers: a rate of 10 or more has one decimal place (csa.formatting)
    assert ev["summary"][0] == (
        f"Violence with injury in Burnley was {f['value']:.1f} per 1,000 in {PERIOD} against a "
        f"target of {f['target']:.1f} (off track for {v['periods_off_track']} quarters "
        "running)."
    )
    change = (f["value"] - f["year_earlier_value"]) / f["year_earlier_value"] * 100
    assert ev["summary"][1] == (
        f"A year earlier (2025-26 Q2) it was {f['year_earlier_value']:.1f} per 1,000: it rose "
        f"(worse) by {change:.1f}%."
    )
    assert not any("% %" in line or "%%" in line for line in ev["summary"])


def test_evidence_is_the_published_signed_in_figure(published_db, inputs, build):
    """The plan's figures are the published ones, texts included (nothing assessed again)."""
    ev = build("VIO-01", "E07000117", PERIOD)
    row = published(published_db, "VIO-01", "E07000117", PERIOD).iloc[0]
    f = ev["figures"]
    assert (f["value"], f["target"], f["value_text"], f["target_text"]) == (
        row["value"],
        row["target"],
        row["value_text"],
        row["target_text"],
    )
    assert ev["verdict"]["reasons"] == row["reasons"]
    assert (ev["verdict"]["rag"], ev["verdict"]["critical"]) == (row["rag"], row["critical"])
    assert ev["series"][-1]["value_text"] == row["value_text"]


def test_percentage_differences_are_in_percentage_points(inputs, build):
    """DA-02 (a percentage): the change since a year earlier is in percentage points."""
    ev = build("DA-02", "E23000003", PERIOD)
    f = ev["figures"]
    points = formatting.difference(f["value"], f["year_earlier_value"], "percentage")
    assert points.endswith(("percentage points", "percentage point"))
    assert ev["summary"][1].endswith(f"by {points}.")
    assert not any("% %" in line for line in ev["summary"])


def test_burnley_drives_the_east_and_the_county_rise(inputs, build):
    ev = build("VIO-01", "E07000117", PERIOD)
    obs = inputs.observations
    blocks = {b["group_code"]: b for b in ev["contributions"]}
    assert list(blocks) == ["PA-EAST", "E23000003"]
    east = blocks["PA-EAST"]
    assert east["focus"] == "E07000117"
    change = east["change"]
    assert change["method"] == "rate_change"
    assert change["from_value"] == pytest.approx(rate(obs, "VIO-01", EAST, "2025-26 Q2"))
    assert change["to_value"] == pytest.approx(rate(obs, "VIO-01", EAST, PERIOD))
    contributions = [r["contribution"] for r in change["rows"]]
    assert sum(contributions) == pytest.approx(change["to_value"] - change["from_value"], rel=1e-12)
    assert sorted(r["area_code"] for r in change["rows"]) == sorted(EAST)
    # Burnley's rise is the largest part of the East's: the story the demo data tells
    assert change["rows"][0]["area_code"] == "E07000117"
    burnley = change["rows"][0]
    d0 = obs[(obs["indicator_code"] == "VIO-01") & obs["area_code"].isin(EAST)]
    n_t = d0[(d0["area_code"] == "E07000117") & (d0["period_label"] == PERIOD)]["numerator"]
    n_0 = d0[(d0["area_code"] == "E07000117") & (d0["period_label"] == "2025-26 Q2")]["numerator"]
    big_d_t = d0[d0["period_label"] == PERIOD]["denominator"].sum()
    big_d_0 = d0[d0["period_label"] == "2025-26 Q2"]["denominator"].sum()
    assert burnley["contribution"] == pytest.approx(
        1000 * (n_t.iloc[0] / big_d_t - n_0.iloc[0] / big_d_0)
    )

    short = east["shortfall"]
    assert short["method"] == "rate_shortfall"
    assert short["total"] == pytest.approx(short["to_value"] - short["from_value"])
    assert sum(r["contribution"] for r in short["rows"]) == pytest.approx(short["total"])

    county = blocks["E23000003"]["change"]
    assert len(county["rows"]) == 14
    assert sum(r["contribution"] for r in county["rows"]) == pytest.approx(
        county["to_value"] - county["from_value"], rel=1e-12
    )


def test_a_plan_for_a_grouping_splits_that_grouping(inputs, build):
    ev = build("VIO-02", "PA-SOUTH", PERIOD)
    assert [b["group_code"] for b in ev["contributions"]] == ["PA-SOUTH"]
    block = ev["contributions"][0]
    assert block["focus"] is None
    change = block["change"]
    assert change["method"] == "count_change"
    obs = inputs.observations
    south = obs[
        (obs["indicator_code"] == "VIO-02")
        & obs["area_code"].isin(["E07000118", "E07000123", "E07000126", "E07000127"])
    ]
    by_period = south.groupby("period_label")["numerator"].sum()
    assert change["total"] == by_period[PERIOD] - by_period["2025-26 Q2"]
    assert sum(r["contribution"] for r in change["rows"]) == change["total"]


@pytest.mark.parametrize(
    "label,expected", [("2026-27 Q2", "2025-26 Q2"), ("2021-22 Q4", None), ("YE Jun 2025", None)]
)
def test_year_earlier(inputs, label, expected):
    assert year_earlier(inputs.periods, label) == expected


@pytest.mark.parametrize(
    "area,expected",
    [
        ("E07000117", ["PA-EAST", "E23000003"]),
        ("PA-WEST", ["PA-WEST"]),
        ("E23000003", ["E23000003"]),
    ],
)
def test_groupings_for(inputs, area, expected):
    assert groupings_for(inputs.areas, inputs.area_members, area) == expected


def test_no_figure_is_a_clear_error(inputs, build):
    with pytest.raises(ValueError, match="no figure for VIO-01 in Burnley in 2026-27 Q3"):
        build("VIO-01", "E07000117", "2026-27 Q3")
