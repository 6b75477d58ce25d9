"""The publication step: computed once per data version, disclosure control that nothing can
undo, one SPC result, and the texts every surface shows."""

import json
import threading

import pandas as pd
import pytest

from csa import config as csa_config
from csa import disclosure, publish
from csa.areas import PAN_LANCASHIRE

SETTINGS = csa_config.load()
THRESHOLD = int(SETTINGS["suppression_threshold"])
EAST = ["E06000008", "E07000117", "E07000120", "E07000122", "E07000124", "E07000125"]
RIBBLE_VALLEY, ROSSENDALE = "E07000124", "E07000125"


@pytest.fixture(scope="module")
def published(sqlite_template_module):
    db = sqlite_template_module
    key = publish.ensure(db, SETTINGS)
    return {a: publish.read(db, key, a) for a in publish.AUDIENCES} | {"db": db, "key": key}


@pytest.fixture(scope="module")
def sqlite_template_module(sqlite_template, tmp_path_factory):
    import shutil

    from csa.db import Database

    path = tmp_path_factory.mktemp("publish") / "csa.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}")
    yield db
    db.dispose()


def test_east_violence_example_hides_the_small_count_and_what_reveals_it(published):
    """The issue's example: VIO-02, 2026-27 Q1, East: 143 = 45 + 38 + 18 + 26 + 14 + 2."""
    signed, public = published["signed_in"], published["public"]
    pick = dict(indicator_code="VIO-02", period_label="2026-27 Q1")

    def rows(frame):
        f = frame[(frame["indicator_code"] == "VIO-02") & (frame["period_label"] == "2026-27 Q1")]
        return f.set_index("area_code")

    s, p = rows(signed), rows(public)
    assert s.loc["PA-EAST", "numerator"] == 143
    assert s.loc[EAST, "numerator"].sum() == 143
    assert s.loc[RIBBLE_VALLEY, "numerator"] == 2
    assert p.loc[RIBBLE_VALLEY, "hidden"] == "primary"
    assert p.loc[RIBBLE_VALLEY, "value_text"] == "fewer than 5"
    # Rossendale (14) is hidden only to protect Ribble Valley: it must not claim to be small
    assert p.loc[ROSSENDALE, "hidden"] == "complementary"
    assert p.loc[ROSSENDALE, "value_text"] == "hidden to protect a small number"
    for area in (RIBBLE_VALLEY, ROSSENDALE):
        row = p.loc[area]
        assert all(pd.isna(row[c]) for c in ("value", "lower", "upper", "numerator",
                                             "denominator", "target"))  # fmt: skip
        assert row["rag"] == "grey" and not row["critical"] and row["spc"] == ""
        assert "target" not in " ".join(row["reasons"])
    assert len(pick) == 2


def _hidden_frame(signed, public):
    keys = ["indicator_code", "area_code", "period_label"]
    merged = signed[[*keys, "numerator"]].merge(public[[*keys, "hidden"]], on=keys)
    return merged


def test_nothing_hidden_can_be_recovered_by_subtraction_in_any_grouping(published, db):
    """Every public figure of the bundled data: the shown figures of a period do not
    determine any hidden one (rank audit over district -> policing area -> Lancashire-12 ->
    pan-Lancashire)."""
    merged = _hidden_frame(published["signed_in"], published["public"])
    assert (merged["hidden"] != "").sum() > 0
    members = db.area_members()
    leaks = []
    for code, part in merged.groupby("indicator_code"):
        part = part.reset_index(drop=True)
        leaks += [(code, *c) for c in disclosure.recoverable_cells(
            part, members, part["hidden"] != "")]  # fmt: skip
    assert leaks == []


def test_fewer_than_five_only_where_true_and_every_small_count_hidden(published):
    merged = _hidden_frame(published["signed_in"], published["public"])
    n = merged["numerator"]
    # records with no location (UNASSIGNED) are not a place, so never a small cell
    small = n.notna() & (n > 0) & (n < THRESHOLD) & (merged["area_code"] != "UNASSIGNED")
    assert (merged.loc[small, "hidden"] == "primary").all()
    assert (merged.loc[merged["hidden"] == "primary", "numerator"] < THRESHOLD).all()
    public = published["public"]
    labels = public.loc[public["hidden"] == "complementary", "value_text"]
    assert set(labels) == {"hidden to protect a small number"}


def test_no_shown_public_figure_narrows_a_hidden_one(published):
    """A shown figure whose series so far holds a hidden one carries no SPC (its mean would
    give the hidden value away), and no "Nth quarter running" that reaches back over one."""
    public = published["public"].sort_values("period_start")
    checked = 0
    for (_code, _area), part in public.groupby(["indicator_code", "area_code"]):
        seen_hidden = False
        for row in part.to_dict("records"):
            if row["hidden"]:
                seen_hidden = True
                continue
            if seen_hidden and pd.notna(row["value"]):
                checked += 1
                assert row["spc"] == "" and pd.isna(row["variation"])
                assert publish.HIDDEN_SPC in row["reasons"]
                assert not any("special-cause" in r.lower() for r in row["reasons"][:-1])
    assert checked > 0


def test_restricted_indicators_are_never_published_to_the_public(published, db):
    restricted = set(db.indicators().query("not public")["code"])
    assert restricted
    assert restricted.isdisjoint(set(published["public"]["indicator_code"]))
    assert restricted <= set(published["signed_in"]["indicator_code"])


_CLASS_OF = {"common_cause": "common"}


def test_every_spc_chart_ends_on_the_verdict(published):
    """The chart a surface draws (the published SPC) ends on the point whose class is the
    verdict's variation: they cannot disagree."""
    signed = published["signed_in"]
    with_chart = signed[signed["spc"] != ""]
    assert len(with_chart) > 1000
    for row in with_chart.to_dict("records"):
        chart = publish.spc_chart(row, signed)
        assert chart["period_label"].iloc[-1] == row["period_label"]
        if "point_class" not in chart:
            assert pd.isna(row["variation"])
            continue
        cls, variation = chart["point_class"].iloc[-1], row["variation"]
        if pd.isna(variation):  # a constant series: no sigma
            continue
        expected = "common" if variation == "common_cause" else variation.split("_")[2]
        assert cls == expected, (row["indicator_code"], row["area_code"], row["period_label"])


def test_rephasing_and_minimum_points_come_from_one_options_object(published, db):
    """DA-01 is re-phased at 2023-24 Q1: the published chart has two phases from there."""
    signed = published["signed_in"]
    row = signed[(signed["indicator_code"] == "DA-01") & (signed["area_code"] == PAN_LANCASHIRE)]
    latest = row.sort_values("period_start").iloc[-1]
    chart = publish.spc_chart(latest.to_dict(), row)
    start = list(chart["period_label"]).index("2023-24 Q1")
    assert chart["phase"][start - 1] == 0 and chart["phase"][start] == 1


def test_spc_min_points_setting_is_read(sqlite_template_module):
    db = sqlite_template_module
    more = SETTINGS | {"spc_min_points": 40}
    key = publish.ensure(db, more)
    fig = publish.read(db, key, "signed_in", indicators=["DA-01"], areas=[PAN_LANCASHIRE])
    assert fig["variation"].isna().all()
    assert all("at least 40 points" in json.loads(s)["message"] for s in fig["spc"] if s)
    publish.ensure(db, SETTINGS)  # back to the bundled settings for the other tests


def test_published_once_per_data_version_and_shared_between_servers(sqlite_db):
    """Two 'servers' asking at once: one computes, the other waits and reads the same."""
    keys, errors = [], []

    def ask():
        try:
            keys.append(publish.ensure(sqlite_db, SETTINGS))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    version = sqlite_db.figures_version()
    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(keys)) == 1
    assert keys[0] == publish.publication_key(version, SETTINGS)
    row = sqlite_db.publication(keys[0])
    assert row["ready"] and row["figures"] > 10_000


def test_the_versions_move_with_data_not_with_sign_ins_and_figures_only_with_figures(
    sqlite_db,
):
    before = sqlite_db.data_version()
    sqlite_db.record_audit("someone@example.org", "sign_in", outcome="refused")
    sqlite_db.record_audit("someone@example.org", "export_csv")
    assert sqlite_db.data_version() == before
    figures = sqlite_db.figures_version()
    sqlite_db.record_audit("admin@example.org", "user_add", "someone@example.org")
    assert sqlite_db.data_version() == before + 1
    assert sqlite_db.figures_version() == figures  # nothing published changed
    assert sqlite_db.versions() == (before + 1, figures)  # both in one read, as a page runs
    sqlite_db.record_audit("analyst@example.org", "upload_return", "f.xlsx")
    assert sqlite_db.data_version() == before + 2
    assert sqlite_db.figures_version() == figures + 1
    assert sqlite_db.versions() == (before + 2, figures + 1)


def test_both_versions_in_one_read_on_every_backend(db):
    assert db.versions() == (db.data_version(), db.figures_version())
    db.record_audit("analyst@example.org", "upload_return", "f.xlsx")
    assert db.versions() == (db.data_version(), db.figures_version())


def test_unknown_audience_is_refused(published):
    with pytest.raises(ValueError, match="audience must be one of"):
        publish.read(published["db"], published["key"], "everyone")


def test_a_read_only_entry_waits_for_a_writer_with_a_clear_message(monkeypatch, sqlite_db):
    sqlite_db.record_audit("analyst@example.org", "upload_return", "f.xlsx")  # new version
    monkeypatch.setattr(sqlite_db, "claim_publication", lambda key, version: None)
    # a read-only SQLite file: nobody else can publish into it, so say so at once
    with pytest.raises(PermissionError, match="not published in this read-only database"):
        publish.ensure(sqlite_db, SETTINGS)
    # another server has claimed it (a shared database): wait for it, within bounds
    monkeypatch.setattr(sqlite_db, "publication_claimed", lambda key: True)
    with pytest.raises(TimeoutError, match="waiting for the officer entry"):
        publish.ensure(sqlite_db, SETTINGS, wait_seconds=0.3)


@pytest.mark.parametrize(
    "code, area",
    [
        ("DA-01", PAN_LANCASHIRE),  # quarterly, re-phased
        ("VIO-01", "E07000117"),  # quarterly, one district
        ("ASB-01", "E06000009"),  # monthly police.uk series with gap months
        ("ASB-01", PAN_LANCASHIRE),
    ],
)
def test_stored_chart_expands_to_the_xmr_of_the_published_points(published, code, area):
    """The compact stored chart (phases and class letters) expands to exactly the XmR chart
    of the series' published points up to each period: every point's mean, limits and class."""
    from csa import spc

    db, signed = published["db"], published["signed_in"]
    ind = db.indicators().set_index("code").loc[code].to_dict()
    options = spc.SpcOptions.for_indicator(ind, SETTINGS)
    series = signed[(signed["indicator_code"] == code) & (signed["area_code"] == area)]
    series = series.sort_values("period_start")
    checked = 0
    for row in series[series["spc"] != ""].to_dict("records"):
        chart = publish.spc_chart(row, series)
        upto = series[(series["period_start"] <= row["period_start"]) & series["value"].notna()]
        assert list(chart["period_label"]) == list(upto["period_label"])
        if "mean" not in chart:
            continue
        target = None if pd.isna(row["target"]) else row["target"]
        direct = options.run(list(upto["period_label"]), list(upto["value"]), target=target)
        assert chart["mean"].tolist() == pytest.approx(list(direct.mean), rel=1e-5)
        assert chart["upl"].tolist() == pytest.approx(list(direct.upper_process_limit), rel=1e-5)
        assert chart["lpl"].tolist() == pytest.approx(list(direct.lower_process_limit), rel=1e-5)
        assert chart["u2"].tolist() == pytest.approx(list(direct.upper_two_sigma), rel=1e-5)
        assert list(chart["point_class"]) == list(direct.point_classes)
        assert list(chart["phase"]) == list(direct.phases)
        checked += 1
    assert checked >= 5


def test_a_chart_given_the_wrong_series_says_so(published):
    signed = published["signed_in"]
    row = signed[(signed["spc"] != "") & (signed["indicator_code"] == "DA-01")].iloc[-1]
    other = signed[signed["indicator_code"] == "VIO-01"]
    with pytest.raises(ValueError, match="does not hold the .* published points"):
        publish.spc_chart(row.to_dict(), other.drop(columns=["indicator_code"]))


def test_stored_charts_grow_by_letters_not_numbers(published):
    """A chart as at each of n periods stores its phases and one letter per point: the
    longest stored chart (a monthly series as at its last month) stays small."""
    signed = published["signed_in"]
    charts = signed.loc[signed["spc"] != "", "spc"]
    points = charts.map(lambda s: json.loads(s)["n"])
    assert points.max() >= 30  # the monthly police.uk series
    overhead = charts.str.len() - points
    assert overhead.max() < 400, charts[overhead.idxmax()]


FYLDE = "E07000119"
# The example, public, year ending June 2025: before the parts audit, REC-VAP 2072
# shown with REC-DSIUD 0, REC-VWI 586, REC-VWOI 791 and REC-STALK 694 gave the hidden
# homicide: 2072 - 0 - 586 - 791 - 694 = 1. Now complements are hidden with it, and never the
# zero (homicide 1 + unlawful driving 0 = 1 would still give homicide = 1, a "hidden to
# protect" label saying the 0 is not 1-4): parts of at least 2 x 5 - 1, so the hidden total
# (2072 - the shown parts) is large and homicide can be anything from 1 to 4.
FYLDE_VAP = {
    "REC-VAP": 2072,
    "REC-HOM": 1,
    "REC-DSIUD": 0,
    "REC-VWI": 586,
    "REC-VWOI": 791,
    "REC-STALK": 694,
}


def test_fylde_homicide_is_no_longer_the_one_unknown_in_violence(published):
    merged = _hidden_frame(published["signed_in"], published["public"])
    rows = merged[
        (merged["area_code"] == FYLDE) & (merged["period_label"] == "YE Jun 2025")
    ].set_index("indicator_code")
    assert {c: rows.loc[c, "numerator"] for c in FYLDE_VAP} == FYLDE_VAP
    assert rows.loc["REC-HOM", "hidden"] == "primary"
    assert rows.loc["REC-VAP", "hidden"] == ""
    complements = [c for c in FYLDE_VAP if rows.loc[c, "hidden"] == "complementary"]
    assert complements and "REC-DSIUD" not in complements  # never the zero
    assert all(FYLDE_VAP[c] >= 2 * THRESHOLD - 1 for c in complements)
    shown_parts = sum(
        FYLDE_VAP[c] for c in FYLDE_VAP if c != "REC-VAP" and rows.loc[c, "hidden"] == ""
    )
    assert 2072 - shown_parts >= 2 * THRESHOLD  # what the public can work out: a large total


def test_no_hidden_recorded_crime_count_is_recoverable_from_its_offence_group(published):
    """For every area and period and every parent offence group whose parts all have a
    numerator, parent - shown parts never pins a single hidden part: each equation holds 0
    or at least 2 hidden cells (the parent counted); and the exact rank audit over the whole
    offence hierarchy finds nothing recoverable."""
    from csa.catalogue import INDICATOR_PARTS

    merged = _hidden_frame(published["signed_in"], published["public"])
    rec = merged[merged["indicator_code"].isin(
        set(INDICATOR_PARTS) | {c for p in INDICATOR_PARTS.values() for c in p})]  # fmt: skip
    assert (rec["hidden"] == "primary").any()
    part_members = pd.DataFrame(
        [(p, c) for p, cs in INDICATOR_PARTS.items() for c in cs],
        columns=["group_code", "member_code"],
    )
    equations, leaks = 0, []
    for (area, period), cells in rec.groupby(["area_code", "period_label"]):
        by = cells.set_index("indicator_code")
        for parent, parts in INDICATOR_PARTS.items():
            codes = [parent, *parts]
            if not set(codes) <= set(by.index) or by.loc[codes, "numerator"].isna().any():
                continue
            assert by.loc[parent, "numerator"] == by.loc[list(parts), "numerator"].sum()
            equations += 1
            n_hidden = int((by.loc[codes, "hidden"] != "").sum())
            assert n_hidden != 1, (area, period, parent)
        frame = pd.DataFrame(
            {"area_code": cells["indicator_code"], "period_label": period,
             "numerator": cells["numerator"]}
        ).reset_index(drop=True)  # fmt: skip
        flags = (cells["hidden"] != "").reset_index(drop=True)
        leaks += [(area, *c) for c in disclosure.recoverable_cells(frame, part_members, flags)]
    assert equations >= 4 * 19  # 4 parents x 19 places with the whole hierarchy
    assert leaks == []


def test_no_known_total_of_hidden_parts_is_below_the_threshold(published):
    """Where a shown parent's hidden parts add up to fewer than the threshold, counts being
    whole and not negative narrow each hidden part (to exactly the total when the others are
    labelled as not small)."""
    from csa.catalogue import INDICATOR_PARTS

    merged = _hidden_frame(published["signed_in"], published["public"])
    small_totals = []
    for (area, period), cells in merged.groupby(["area_code", "period_label"]):
        by = cells.set_index("indicator_code")
        for parent, parts in INDICATOR_PARTS.items():
            codes = [parent, *parts]
            if not set(codes) <= set(by.index) or by.loc[parent, "hidden"]:
                continue
            hidden = [c for c in parts if by.loc[c, "hidden"]]
            if hidden and by.loc[hidden, "numerator"].sum() < THRESHOLD:
                small_totals.append((area, period, parent))
    assert small_totals == []
