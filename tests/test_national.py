"""Lancashire's place in England and Wales (Home Office Tables C2 and P1, ONS mid-2023):
the tables reconcile, the worked example holds, ranks say "of N", comparator groups load."""

from __future__ import annotations

import pandas as pd
import pytest

from csa import comparators, national


def test_c2_csps_plus_unassigned_equal_each_force_total(data_dir):
    c2 = national.table_c2(data_dir)
    check = national.c2_reconciliation(c2)
    assert check["pfa_code"].nunique() == 42  # City of London has no force-total row
    assert check["reconciles"].all(), check[~check["reconciles"]].head()


@pytest.mark.parametrize(
    "name, corrected, published",
    [  # miscoded in the publication (see the national README); corrected in the file
        ("Unassigned Gwent", "W15000002", "W15000003"),
        ("unassigned Surrey", "E23000031", "E23000032"),
    ],
)
def test_miscoded_unassigned_rows_carry_the_right_force(data_dir, name, corrected, published):
    c2 = national.table_c2(data_dir)
    row = c2[c2["csp_name"] == name].iloc[0]
    assert row["pfa_code"] == corrected and published in row["note"]


def test_with_the_published_codes_gwent_and_south_wales_do_not_balance(data_dir):
    c2 = national.table_c2(data_dir)
    c2.loc[c2["csp_name"] == "Unassigned Gwent", "pfa_code"] = "W15000003"
    check = national.c2_reconciliation(c2).set_index(["pfa_code", "offence"])
    assert not check.loc[("W15000002", national.TOTAL), "reconciles"]
    assert not check.loc[("W15000003", national.TOTAL), "reconciles"]


def test_p1_forces_equal_c2_force_totals(data_dir):
    c2 = national.table_c2(data_dir)
    p1 = national.table_p1(data_dir)
    totals = c2[c2["row_type"] == "force_total"].set_index("pfa_code")[national.TOTAL]
    forces = p1[p1["area_type"] == "force"].set_index("area_code")[national.TOTAL]
    shared = totals.index.intersection(forces.index)
    assert len(shared) == 42
    assert (totals[shared] == forces[shared]).all()


def test_worked_example_lancashire_total_recorded_crime(data_dir):
    # 128,435 / 1,570,373 x 1,000 = 81.8 per 1,000 (year ending June 2025, mid-2023)
    pos = national.lancashire_position(data_dir)
    force = pos[pos["level"] == "force"].iloc[0]
    assert (force["count"], force["population"]) == (128_435, 1_570_373)
    assert round(force["rate"], 1) == 81.8
    assert force["lower"] < force["rate"] < force["upper"]
    assert force["of"] == 34  # forces with an exact population, of 43
    assert len(pos[pos["level"] == "partnership"]) == 14


def test_byars_interval_for_the_force_rate(data_dir):
    from csa.stats import byars_ci

    pos = national.lancashire_position(data_dir)
    force = pos[pos["level"] == "force"].iloc[0]
    lo, hi = byars_ci(128_435)
    assert force["lower"] == pytest.approx(lo / 1_570_373 * 1000)
    assert force["upper"] == pytest.approx(hi / 1_570_373 * 1000)


@pytest.mark.parametrize(
    "code, count, population",
    [  # Table P1 and ONS mid-2023 as published
        ("K04000001", 5_287_312, 60_854_727),
        ("E92000001", 4_947_379, 57_690_323),
        ("E12000002", 694_546, 7_600_126),
    ],
)
def test_benchmarks(data_dir, code, count, population):
    b = national.benchmark_rates(data_dir).set_index("area_code").loc[code]
    assert (b["count"], b["population"]) == (count, population)
    assert b["rate"] == pytest.approx(count / population * 1000)


def test_significance_follows_the_fingertips_method(data_dir):
    pos = national.lancashire_position(data_dir).set_index("area_name")
    # Lancashire 81.8 (81.3 to 82.2) against England and Wales 86.9: significantly lower
    assert pos.loc["Lancashire", "vs_K04000001"] == "better"
    # Blackpool 153.0 per 1,000
    assert pos.loc["Blackpool", "vs_K04000001"] == "worse"


def test_csp_ranks_are_among_csps_with_a_population(data_dir):
    csps = national.csp_rates(data_dir)
    assert len(csps) == 314
    assert csps["population"].notna().sum() == 283
    assert set(csps["of"]) == {283}
    assert csps.loc[csps["population"].isna(), "rank"].isna().all()
    assert csps["rank"].min() == 1 and csps["rank"].max() <= 283


def test_unknown_offence_is_refused(data_dir):
    with pytest.raises(ValueError, match="Table C2 column"):
        national.lancashire_position(data_dir, "burglaries")


def test_every_offence_group_has_a_position(data_dir):
    allpos = national.all_offences_position(data_dir)
    assert len(allpos) == 23 * 15


def test_bundled_comparator_groups(data_dir):
    groups = {g.name: g for g in comparators.bundled_groups(data_dir)}
    assert set(groups) == {"North West forces", "All CSPs in England and Wales"}
    nw = comparators.group_table(groups["North West forces"], data_dir)
    assert len(nw) == 5
    lancs = nw[nw["area_code"] == "E23000003"].iloc[0]
    assert (lancs["rank"], lancs["of"]) == (2, 4)  # Cumbria has no complete population
    every = comparators.group_table(groups["All CSPs in England and Wales"], data_dir)
    assert (len(every), every["of"].iloc[0]) == (314, 283)


@pytest.mark.parametrize(
    "rows, message",
    [
        ([("G", "region", "X", "s", "v")], "one level"),
        ([("G", "force", "E23000003", "", "v")], "column source is blank"),
        (
            [("G", "force", "E23000003", "s", "v"), ("G", "force", "E23000004", "t", "v")],
            "one source and one vintage",
        ),
        ([("G", "csp", "*", "s", "v"), ("G", "csp", "E22000150", "s", "v")], "mixes"),
    ],
)
def test_malformed_comparator_groups_are_refused(tmp_path, rows, message):
    path = tmp_path / "groups.csv"
    pd.DataFrame(rows, columns=["group", "level", "member_code", "source", "vintage"]).to_csv(
        path, index=False
    )
    with pytest.raises(ValueError, match=message):
        comparators.load_groups(path)


# -- any of our areas: a partnership, the force, or partnerships added up ----------------
WEST = ["E22000151", "E22000154", "E22000156", "E22000163"]  # Blackpool, Fylde, Lancaster, Wyre


@pytest.fixture(scope="module")
def rates(data_dir):
    return national.offence_rates(data_dir)


@pytest.mark.parametrize(
    "codes, level, count, population, rate, rank, of",
    [
        # the force: 128,435 / 1,570,373 x 1,000 = 81.8, ranked among forces with a population
        (["E23000003"], "force", 128_435, 1_570_373, 81.8, 21, 34),
        # Preston's own CSP row: 15,943 / 156,411 x 1,000 = 101.9
        (["E22000158"], "partnership", 15_943, 156_411, 101.9, 232, 283),
        # West policing area, added up (never averaged): 21,832 + 4,642 + 10,762 + 7,018 =
        # 44,254 crimes; 142,708 + 83,846 + 145,559 + 116,994 = 489,107 residents;
        # 44,254 / 489,107 x 1,000 = 90.5 (the mean of the four rates would be 85.6)
        (WEST, "aggregate", 44_254, 489_107, 90.5, None, None),
    ],
)
def test_area_position_total_recorded_crime(rates, codes, level, count, population, rate, rank, of):
    pos = national.area_position(rates, codes, level).set_index("offence")
    row = pos.loc[national.TOTAL]
    assert (row["count"], row["population"]) == (count, population)
    assert round(row["rate"], 1) == rate
    assert row["lower"] < row["rate"] < row["upper"]
    if rank is None:
        assert pd.isna(row["rank"]) and pd.isna(row["of"])
    else:
        assert (row["rank"], row["of"]) == (rank, of)
    assert list(pos.index) == list(national.OFFENCE_GROUPS)


@pytest.mark.parametrize(
    "codes, level, benchmark, verdict",
    [
        (["E23000003"], "force", "K04000001", "better"),  # 81.8 (81.3-82.2) vs 86.9
        (["E22000158"], "partnership", "K04000001", "worse"),  # 101.9 vs 86.9
        (WEST, "aggregate", "E12000002", "better"),  # 90.5 (89.6-91.3) vs North West 91.4
        (WEST, "aggregate", "K04000001", "worse"),  # 90.5 vs 86.9
    ],
)
def test_area_position_significance(rates, codes, level, benchmark, verdict):
    pos = national.area_position(rates, codes, level).set_index("offence")
    assert pos.loc[national.TOTAL, f"vs_{benchmark}"] == verdict


def test_the_14_partnerships_added_up_are_the_force_less_unassigned(rates, data_dir):
    lookup = pd.read_csv(data_dir / "lancashire_areas_lookup.csv")
    pos = national.area_position(rates, list(lookup["csp_code"]), "aggregate")
    total = pos.set_index("offence").loc[national.TOTAL]
    c2 = national.table_c2(data_dir)
    unassigned = c2[(c2["pfa_code"] == "E23000003") & (c2["row_type"] == "unassigned")]
    assert total["count"] + unassigned[national.TOTAL].sum() == 128_435
    assert total["population"] == 1_570_373


@pytest.mark.parametrize(
    "area, level, codes",
    [
        ("E23000003", "force", ["E23000003"]),
        ("E07000123", "partnership", ["E22000158"]),
        ("PA-WEST", "aggregate", WEST),
        ("E10000017", "aggregate", [f"E22000{n}" for n in range(152, 164)]),
        ("UNASSIGNED", None, []),
    ],
)
def test_members_for_our_areas(data_dir, area, level, codes):
    from csa.db import Database
    from csa.seed import seed

    db = Database("sqlite://")
    seed(db, data_dir)
    assert national.members_for(area, db.areas(), db.area_members()) == (level, sorted(codes))


def test_our_csp_codes_are_in_table_c2(rates, data_dir):
    lookup = pd.read_csv(data_dir / "lancashire_areas_lookup.csv")
    csps = rates[(rates["level"] == "partnership") & (rates["pfa_code"] == "E23000003")]
    assert set(csps["area_code"]) == set(lookup["csp_code"])


def test_area_position_refuses_unknown_codes(rates):
    with pytest.raises(ValueError, match="not in the national tables"):
        national.area_position(rates, ["E22999999"])


def test_withheld_follows_the_published_flags():
    """Our published REC-* figures' flags name the national counts a viewer may not see:
    a partnership's by its CSP code, pan-Lancashire's by the force's; a policing area has no
    national row, and a shown figure withholds nothing."""
    areas = pd.DataFrame(
        {
            "code": ["E07000119", "E23000003", "PA-WEST"],
            "kind": ["district", "pan", "policing_area"],
            "csp_code": ["E22000154", None, None],
        }
    )
    members = pd.DataFrame({"group_code": ["PA-WEST"], "member_code": ["E07000119"]})
    published = pd.DataFrame(
        {
            "indicator_code": ["REC-HOM", "REC-VWI", "REC-HOM", "REC-HOM", "REC-TOTAL"],
            "area_code": ["E07000119", "E07000119", "E23000003", "PA-WEST", "E07000119"],
            "hidden": ["primary", "complementary", "complementary", "primary", ""],
            "value_text": [
                "fewer than 5",
                "hidden to protect a small number",
                "hidden to protect a small number",
                "fewer than 5",
                "13,780",
            ],
        }
    )
    assert national.withheld(published, areas, members) == {
        "homicide": {
            "E22000154": "fewer than 5",
            national.LANCASHIRE_FORCE: "hidden to protect a small number",
        },
        "violence_with_injury": {"E22000154": "hidden to protect a small number"},
    }
