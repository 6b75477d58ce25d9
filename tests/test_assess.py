"""The verdict (csa.assess): RAG, reasons in plain words and the critical flag, on small
hand-made series whose expected outcome is worked out in the comments, plus the
``python -m csa assess`` command on the bundled data.
"""

import argparse
import json
import sys
from datetime import date

import pandas as pd
import pytest

from csa import assess
from csa import config as csa_config
from csa.areas import PAN_LANCASHIRE
from csa.cli import CommandError
from csa.commands import assess as assess_command

SETTINGS = csa_config.load()
#: 16 quarters, 2022-23 Q1 to 2025-26 Q4.
QUARTERS = [
    (
        f"{y}-{str(y + 1)[2:]} Q{q}",
        date(y + (q == 4), (3 * q + 1) % 12 or 12, 1),
        f"{y}-{str(y + 1)[2:]}",
    )
    for y in (2022, 2023, 2024, 2025)
    for q in (1, 2, 3, 4)
]
LAST = QUARTERS[-1][0]
#: A see-saw 86, 96, 86, ... : mean 91, average moving range 10, so the XmR process limits
#: are 91 +/- 2.66 x 10 = 64.4 to 117.6 and no special-cause rule fires on it.
SEESAW = [86.0, 96.0] * 8


def periods() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "label": label,
                "start_date": start,
                "end_date": start,
                "frequency": "quarterly",
                "financial_year": fy,
            }
            for label, start, fy in QUARTERS
        ]
    )


def inputs(
    series: dict[str, list],
    *,
    unit="count",
    multiplier=1,
    polarity="low_is_good",
    target=None,
    denominators: dict[str, list] | None = None,
    kinds: dict[str, list] | None = None,
) -> assess.Inputs:
    """One indicator T-01 for areas A and B (pan-Lancashire = A + B) over QUARTERS."""
    indicator = pd.DataFrame(
        [
            {
                "code": "T-01",
                "unit": unit,
                "multiplier": multiplier,
                "polarity": polarity,
                "frequency": "quarterly",
                "data_kind": "demo",
            }
        ]
    )
    rows = []
    for area, values in series.items():
        dens = (denominators or {}).get(area, [None] * len(values))
        for k, ((label, _s, _fy), num, den) in enumerate(zip(QUARTERS, values, dens, strict=True)):
            if num is None:
                continue
            value = num if unit == "count" else num / den * multiplier
            rows.append(
                {
                    "indicator_code": "T-01",
                    "area_code": area,
                    "period_label": label,
                    "numerator": float(num),
                    "denominator": den,
                    "value": value,
                    "status": "final",
                    "data_kind": (kinds or {}).get(area, ["demo"] * 16)[k],
                }
            )
    targets = pd.DataFrame(
        [
            {
                "indicator_code": "T-01",
                "area_code": None,
                "tolerance_pct": None,
                "baseline_period": None,
                **target,
            }
        ]
        if target
        else [],
        columns=[
            "indicator_code",
            "area_code",
            "target_type",
            "target_value",
            "baseline_period",
            "tolerance_pct",
        ],
    )
    members = pd.DataFrame({"group_code": [PAN_LANCASHIRE] * 2, "member_code": ["A", "B"]})
    areas = pd.DataFrame({"code": ["A", "B", PAN_LANCASHIRE], "name": ["A", "B", "Pan"]})
    return assess.Inputs(indicator, targets, pd.DataFrame(rows), members, areas, periods())


def verdict(inp, area="A", period=LAST, settings=None) -> assess.Verdict:
    found = assess.assess(inp, settings or SETTINGS, period_labels=[period], area_codes=[area])
    assert len(found) == 1
    return found[0]


FIXED_100 = {"target_type": "fixed", "target_value": 100.0}


@pytest.mark.parametrize(
    ("last_two", "rag", "label", "reason"),
    [
        # 99 meets a target of at most 100
        ([96, 99], "green", "On track", "On track: 1.0% below the target of 100."),
        # 103 is 3% above 100: within the 5% amber tolerance
        (
            [96, 103],
            "amber",
            "At risk",
            "At risk: 3.0% above the target of 100, within the amber tolerance.",
        ),
        # 110 is 10% above: off track, the previous quarter (96) was not
        ([96, 110], "red", "Off track", "Off track: 10.0% above the target of 100."),
    ],
)
def test_rag_from_a_fixed_target(last_two, rag, label, reason):
    v = verdict(inputs({"A": SEESAW[:14] + last_two, "B": SEESAW}, target=FIXED_100))
    assert (v.rag, v.label, v.target, v.critical) == (rag, label, 100.0, False)
    assert v.reasons[0] == reason
    # the target (100) is inside the process limits (64.4 to 117.6): hit or miss
    assert (v.variation, v.assurance) == ("common_cause", "hit_or_miss")


def test_off_track_two_quarters_running_is_critical_with_the_reason():
    inp = inputs({"A": SEESAW[:14] + [112, 115], "B": SEESAW}, target=FIXED_100)
    v = verdict(inp)
    assert (v.rag, v.periods_off_track, v.critical) == ("red", 2, True)
    assert (
        v.reasons[0] == "Off track: 15.0% above the target of 100 for the second quarter running."
    )
    assert v.reasons[-1] == (
        "Critical: off track for 2 quarters running (the rule is 2); a recovery plan is required."
    )
    # the rule is a setting: with 3 quarters needed, the same figures are not yet critical
    v3 = verdict(inp, settings={**SETTINGS, "critical_consecutive_off_track": 3})
    assert (v3.rag, v3.critical) == ("red", False)


def test_spc_concern_with_failing_assurance_is_red_and_critical_by_its_own_rule():
    # A sits around 91 (limits 64.4 to 117.6) against a target of at most 50: the target is
    # below the lower limit, so it will consistently be missed (assurance "fail"); the last
    # point, 130, is above the upper limit: special-cause concern.
    inp = inputs(
        {"A": SEESAW[:15] + [130], "B": SEESAW},
        target={"target_type": "fixed", "target_value": 50.0},
    )
    settings = {**SETTINGS, "critical_consecutive_off_track": 99}  # isolate the SPC rule
    v = verdict(inp, settings=settings)
    assert v.assurance == "fail" and "concern" in v.variation
    assert (v.rag, v.critical) == ("red", True)
    assert any(
        r.startswith("Special-cause concern: above the upper process limit") for r in v.reasons
    )
    assert v.reasons[-1] == (
        "Critical: special-cause concern with failing assurance; a recovery plan is required."
    )
    off = verdict(
        inp, settings={**settings, "critical_on_spc_concern_with_failing_assurance": False}
    )
    assert (off.rag, off.critical) == ("red", False)


def test_change_against_the_areas_own_baseline_year():
    # Baseline 2022-23: A's four quarters average (100 + 100 + 104 + 96) / 4 = 100, so a 10%
    # reduction is a target of 90 for A; B's baseline is 200, so its target is 180.
    a = [100, 100, 104, 96] + SEESAW[:11] + [93]
    b = [200, 200, 200, 200] + [180.0] * 12
    inp = inputs(
        {"A": a, "B": b},
        target={
            "target_type": "change_vs_baseline",
            "target_value": -10.0,
            "baseline_period": "2022-23",
        },
    )
    v = verdict(inp)
    assert v.target == pytest.approx(90.0)
    assert (v.rag, v.label) == ("amber", "At risk")  # 93 is 3.3% above 90
    assert verdict(inp, "B").target == pytest.approx(180.0)


def test_a_grouping_missing_a_member_is_grey_and_names_who_is_missing():
    # pan-Lancashire cannot be added up without A's figure: no figure, not B's alone
    pan = verdict(
        inputs({"A": SEESAW[:15] + [None], "B": SEESAW}, target=FIXED_100), PAN_LANCASHIRE
    )
    assert (pan.rag, pan.label, pan.value, pan.target_status) == (
        "grey",
        "No data",
        None,
        "no data",
    )
    assert pan.reasons == (f"No figure for {LAST}: waiting for A.",)
    assert pan.critical is False


def test_no_direction_better_is_not_judged():
    v = verdict(inputs({"A": SEESAW, "B": SEESAW}, polarity="no_judgement", target=FIXED_100))
    assert (v.rag, v.label, v.critical) == ("grey", "Not judged", False)


def test_with_no_target_the_benchmark_decides_from_aggregated_numerators():
    # last quarter, per 1,000: A 305/10,000 = 30.5 (Byar 95% CI about 27.2 to 34.1),
    # B 105/10,000 = 10.5; pan-Lancashire = (305 + 105) / 20,000 x 1,000 = 20.5
    a = [295, 305] * 8
    b = [95, 105] * 8
    inp = inputs(
        {"A": a, "B": b},
        unit="rate",
        multiplier=1000,
        denominators={"A": [10_000] * 16, "B": [10_000] * 16},
    )
    va, vb, pan = (verdict(inp, area) for area in ("A", "B", PAN_LANCASHIRE))
    assert pan.value == pytest.approx(20.5) and pan.comparison == "not compared"
    assert va.value == pytest.approx(30.5) and va.benchmark_value == pytest.approx(20.5)
    assert va.lower > 20.5 and (va.rag, va.label) == ("red", "Worse than Lancashire")
    assert vb.upper < 20.5 and (vb.rag, vb.label) == ("green", "Better than Lancashire")
    assert any("Lancashire as a whole" in r and "95% confidence intervals" in r for r in va.reasons)


def test_a_real_figure_in_a_demo_series_is_labelled_real():
    kinds = {"A": ["demo"] * 15 + ["real"], "B": ["demo"] * 16}
    inp = inputs({"A": SEESAW, "B": SEESAW}, target=FIXED_100, kinds=kinds)
    assert verdict(inp).data_kind == "real"
    assert verdict(inp, period=QUARTERS[-2][0]).data_kind == "demo"
    assert verdict(inp, PAN_LANCASHIRE).data_kind == "demo"  # B's figure is still demo


def test_filters_return_only_what_was_asked_for():
    inp = inputs({"A": SEESAW, "B": SEESAW}, target=FIXED_100)
    everything = assess.assess(inp, SETTINGS)
    assert len(everything) == 3 * 16  # A, B and pan-Lancashire, every quarter
    some = assess.assess(inp, SETTINGS, period_labels=[LAST, QUARTERS[0][0]], area_codes=["B"])
    assert sorted((v.area_code, v.period_label) for v in some) == [
        ("B", QUARTERS[0][0]),
        ("B", LAST),
    ]
    assert assess.assess(inp, SETTINGS, indicator_codes=["NOPE"]) == []
    assert assess.latest_period(inp) == LAST


# -- the command line ----------------------------------------------------------------------
def run(db, *argv, capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    assess_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--database-url", db.url, "assess", *argv])
    try:
        code = args.func(args)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_says_why_each_off_track_indicator_is_off_track(sqlite_db, capsys):
    code, out, _ = run(sqlite_db, "--only", "off-track", capsys=capsys)
    assert code == 0
    head, *blocks = out.strip().split("\n\n")
    assert head.startswith("Assessment for 2026-27 Q2: ")
    assert blocks, "the bundled demo series has off-track verdicts"
    for block in blocks:
        title, *reasons = block.splitlines()
        assert "OFF TRACK" in title or "WORSE THAN LANCASHIRE" in title
        assert reasons and all(r.startswith("  - ") for r in reasons)


def test_cli_json_matches_the_library(sqlite_db, capsys):
    code, out, _ = run(
        sqlite_db, "--period", "2026-27 Q2", "--area", "PA-EAST", "--format", "json", capsys=capsys
    )
    assert code == 0
    data = json.loads(out)
    expected = assess.assess(
        assess.Inputs.from_db(sqlite_db),
        SETTINGS,
        period_labels=["2026-27 Q2"],
        area_codes=["PA-EAST"],
    )
    assert [(v["indicator_code"], v["rag"], v["critical"]) for v in data["verdicts"]] == [
        (v.indicator_code, v.rag, v.critical) for v in expected
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--period", "2099-00 Q1"], "unknown period '2099-00 Q1'"),
        (["--area", "E99999999"], "unknown area code 'E99999999'"),
        (["--indicator", "XX-99"], "unknown indicator code 'XX-99'"),
    ],
)
def test_cli_rejects_unknown_codes_in_one_line(sqlite_db, capsys, argv, message):
    code, out, err = run(sqlite_db, *argv, capsys=capsys)
    assert code == 2 and message in err and out == ""


def test_a_missing_month_is_a_gap_and_the_reasons_say_so(sqlite_db):
    """ASB-01 (police.uk, monthly) has no figure for 2020-06, 2020-08 and 2020-09: the
    verdict for October 2022 says they are left out of SPC, not counted as zero."""
    from csa import config as csa_config
    from csa.assess import Inputs, assess

    inputs = Inputs.from_db(sqlite_db)
    [v] = assess(inputs, csa_config.load(), period_labels=["2022-10"], area_codes=["E07000117"],
                 indicator_codes=["ASB-01"])  # fmt: skip
    gap = [r for r in v.reasons if "left out of the SPC chart" in r]
    assert gap == [
        "3 months with no figure (2020-06, 2020-08, 2020-09) are left out of the SPC chart, "
        "not counted as zero."
    ]
    assert "2020-06" not in v.spc_labels and len(v.spc_labels) == len(v.spc_result.values)
    assert 0.0 not in v.spc_result.values[:8]
