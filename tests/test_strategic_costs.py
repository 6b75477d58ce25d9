"""Cost of crime: the unit-cost table, the mapping, uprating, and one area by hand."""

import numpy as np
import pandas as pd
import pytest

from csa.catalogue import RECORDED_CRIME_GROUPS
from csa.strategic import costs

#: Blackburn with Darwen (E06000008), year ending June 2025, from the bundled CSV.
BWD = {
    "REC-HOM": 3,
    "REC-VWI": 1717,
    "REC-SEX": 544,
    "REC-ROB": 154,
    "REC-VEH": 1126,
    "REC-CDA": 1346,
    "REC-TOTAL": 13780,
}
BWD_POP_2022 = 155_762


@pytest.fixture(scope="module")
def unit_costs(data_dir):
    return costs.load_unit_costs(data_dir)


def test_unit_cost_table_is_as_published(unit_costs):
    by = unit_costs.set_index("ho_category")["unit_cost_gbp"]
    # Heeks et al. (2018) Table 1, 2015/16 prices, as reported (see data/PROVENANCE.md)
    assert by.to_dict() == {
        "Homicide": 3_200_000,
        "Rape": 39_360,
        "Violence with injury": 14_050,
        "Robbery": 11_320,
        "Theft of vehicle": 10_290,
        "Criminal damage - arson": 8_420,
        "Other sexual offences": 6_520,
        "Criminal damage - other": 1_350,
        "Theft from vehicle": 870,
        "Cyber crime": 550,
    }
    assert set(unit_costs["price_year"]) == {"2015/16"}


def test_uprating_factor_by_hand(data_dir):
    up = costs.uprating(data_dir)
    # 2015/16 = 0.75 x 75.1536 + 0.25 x 76.4554 = 75.47905; 2024 = 100
    assert up.base_index == pytest.approx(75.47905)
    assert up.factor == pytest.approx(100 / 75.47905)
    assert up.factor == pytest.approx(1.324871, abs=1e-6)


def test_every_recorded_crime_group_is_mapped_and_parents_add_up(data_dir, unit_costs):
    table = costs.mapping_table(unit_costs)
    assert list(table["indicator_code"]) == [code for _c, code, _t in RECORDED_CRIME_GROUPS]
    assert set(table["basis"]) <= {"sum", "unit cost", "lower bound", "approximation", "not costed"}
    assert table.loc[table["basis"] == "not costed", "unit_cost_2015_16"].isna().all()
    crime = pd.read_csv(data_dir / "lancashire_recorded_crime_csp_ye_jun2025.csv")
    col = {code: c for c, code, _t in RECORDED_CRIME_GROUPS}
    for parent, parts in costs.PARENTS.items():
        assert (crime[col[parent]] == sum(crime[col[p]] for p in parts)).all(), parent


def test_cost_for_blackburn_with_darwen_checked_by_hand(unit_costs, data_dir):
    up = costs.uprating(data_dir)
    counts = pd.DataFrame(
        [{"area_code": "E06000008", "indicator_code": c, "count": n} for c, n in BWD.items()]
    )
    out = costs.cost_of_crime(counts, pd.Series({"E06000008": BWD_POP_2022}), unit_costs, up)
    by = out.set_index("indicator_code")
    # 2015/16 prices:
    #   homicide 3 x 3,200,000 = 9,600,000; violence with injury 1,717 x 14,050 = 24,123,850
    #   sexual offences 544 x 6,520 = 3,546,880 (lower bound); robbery 154 x 11,320 = 1,743,280
    #   vehicle offences 1,126 x 870 = 979,620; criminal damage 1,346 x 1,350 = 1,817,100
    #   total 41,810,730
    hand = {
        "REC-HOM": 9_600_000,
        "REC-VWI": 24_123_850,
        "REC-SEX": 3_546_880,
        "REC-ROB": 1_743_280,
        "REC-VEH": 979_620,
        "REC-CDA": 1_817_100,
    }
    for code, value in hand.items():
        assert by.loc[code, "cost_2024"] == pytest.approx(value * up.factor)
    total = 41_810_730 * up.factor  # = £55,393,8xx in 2024 prices
    assert by.loc["REC-TOTAL", "cost_2024"] == pytest.approx(total)
    assert by.loc["REC-TOTAL", "cost_2024"] == pytest.approx(55_393_821, abs=1)
    assert by.loc["REC-TOTAL", "cost_per_1000"] == pytest.approx(total / BWD_POP_2022 * 1000)
    assert by.loc["REC-TOTAL", "costed_count"] == 3 + 1717 + 544 + 154 + 1126 + 1346
    assert by.loc["REC-VAP", "cost_2024"] == pytest.approx((9_600_000 + 24_123_850) * up.factor)


def test_groups_without_a_unit_cost_are_not_costed(unit_costs, data_dir):
    counts = pd.DataFrame(
        [
            {"area_code": "A", "indicator_code": "REC-RBURG", "count": 10},
            {"area_code": "A", "indicator_code": "REC-DRUG", "count": 5},
        ]
    )
    out = costs.cost_of_crime(
        counts, pd.Series({"A": 1000}), unit_costs, costs.uprating(data_dir)
    ).set_index("indicator_code")
    assert np.isnan(out.loc["REC-RBURG", "cost_2024"])
    assert out.loc["REC-RBURG", "basis"] == "not costed"
    assert np.isnan(out.loc["REC-BURG", "cost_2024"])  # nothing in it costed
    assert "crime against society" in out.loc["REC-DRUG", "note"]


def test_cost_table_from_the_database_reconciles_to_the_force(db, data_dir):
    table = costs.cost_table(db, data_dir)
    total = table[table["indicator_code"] == "REC-TOTAL"].set_index("area_code")
    assert total.loc["E23000003", "count"] == 128_435
    bwd = total.loc["E06000008"]
    assert bwd["cost_2024"] == pytest.approx(41_810_730 * costs.uprating(data_dir).factor)
    assert bwd["cost_per_1000"] == pytest.approx(bwd["cost_2024"] / BWD_POP_2022 * 1000)
    # pan-Lancashire = the 14 partnerships + Unassigned
    parts = total.loc[
        [c for c in total.index if c.startswith("E0")] + ["UNASSIGNED"], "cost_2024"
    ].sum()
    assert total.loc["E23000003", "cost_2024"] == pytest.approx(parts)


def test_labels_say_estimate_and_source():
    assert costs.ESTIMATE_LABEL.startswith("Estimate")
    assert "Heeks" in costs.SOURCE and "GDP deflator" in costs.SOURCE


# Blackburn with Darwen for the public: homicide (3) hidden. A parent adds up its shown
# costed parts only, in 2015/16 prices (x the uprating factor for 2024 prices):
#   total 41,810,730 - homicide 9,600,000 = 32,210,730; costed crimes 4,890 - 3 = 4,887
#   violence against the person 33,723,850 - 9,600,000 = 24,123,850 (violence with injury)
#   with robbery hidden too: total 32,210,730 - 1,743,280 = 30,467,450; costed 4,887 - 154
EXCLUDING = [
    (
        {"REC-HOM": "primary"},
        {"REC-TOTAL": 32_210_730, "REC-VAP": 24_123_850, "REC-THEFT": 979_620},
        {"REC-TOTAL": 4_887, "REC-VAP": 1_717},
        {
            "REC-TOTAL": "excluding homicide: hidden to protect a small number",
            "REC-VAP": "excluding homicide: hidden to protect a small number",
            "REC-THEFT": "",
        },
    ),
    (
        {"REC-HOM": "primary", "REC-ROB": "complementary"},
        {"REC-TOTAL": 30_467_450, "REC-VAP": 24_123_850},
        {"REC-TOTAL": 4_733},
        {"REC-TOTAL": "excluding homicide and robbery: hidden to protect a small number"},
    ),
    ({}, {"REC-TOTAL": 41_810_730, "REC-VAP": 33_723_850}, {"REC-TOTAL": 4_890}, {"REC-TOTAL": ""}),
]


@pytest.mark.parametrize(("hidden", "cost_2015_16", "costed", "excluding"), EXCLUDING)
def test_public_cost_adds_up_the_shown_parts_only(
    unit_costs, data_dir, hidden, cost_2015_16, costed, excluding
):
    up = costs.uprating(data_dir)
    counts = pd.DataFrame(
        [{"area_code": "E06000008", "indicator_code": c, "count": n} for c, n in BWD.items()]
    )
    table = costs.cost_of_crime(counts, pd.Series({"E06000008": BWD_POP_2022}), unit_costs, up)
    why = pd.Series([hidden.get(c, "") for c in table["indicator_code"]], index=table.index)
    by = costs.shown_costs(table, why).set_index("indicator_code")
    for code, value in cost_2015_16.items():
        assert by.loc[code, "cost_2024"] == pytest.approx(value * up.factor), code
        assert by.loc[code, "cost_per_1000"] == pytest.approx(
            value * up.factor / BWD_POP_2022 * 1000
        )
    for code, n in costed.items():
        assert by.loc[code, "costed_count"] == n, code
    for code, text in excluding.items():
        assert by.loc[code, "excluding"] == text, code
    for code in hidden:  # a hidden group's own cost would give its count away
        assert by.loc[code, ["cost_2024", "cost_per_1000", "costed_count"]].isna().all()
    assert (by["hidden"] != "").sum() == len(hidden)


def test_a_hidden_parent_keeps_its_cost_hidden(unit_costs, data_dir):
    counts = pd.DataFrame(
        [{"area_code": "E06000008", "indicator_code": c, "count": n} for c, n in BWD.items()]
    )
    table = costs.cost_of_crime(
        counts, pd.Series({"E06000008": BWD_POP_2022}), unit_costs, costs.uprating(data_dir)
    )
    why = table["indicator_code"].map({"REC-HOM": "primary", "REC-VAP": "complementary"})
    by = costs.shown_costs(table, why.fillna("")).set_index("indicator_code")
    assert np.isnan(by.loc["REC-VAP", "cost_2024"]) and by.loc["REC-VAP", "excluding"] == ""
    assert by.loc["REC-TOTAL", "excluding"].startswith("excluding homicide:")


def test_partnerships_are_compared_on_one_basis(unit_costs, data_dir):
    """Two partnerships with Blackburn with Darwen's counts; homicide hidden for the first,
    robbery for the second. Compared, both leave out both: 41,810,730 - 9,600,000 (3
    homicides) - 1,743,280 (154 robberies) = 30,467,450 in 2015/16 prices each, 4,890 - 3 -
    154 = 4,733 crimes costed; the groups named in the order of the offence groups."""
    up = costs.uprating(data_dir)
    rows = [
        {"area_code": area, "indicator_code": c, "count": n}
        for area in ("A", "B")
        for c, n in BWD.items()
    ]
    table = costs.cost_of_crime(
        pd.DataFrame(rows), pd.Series({"A": BWD_POP_2022, "B": BWD_POP_2022}), unit_costs, up
    )
    hidden = {("A", "REC-HOM"): "primary", ("B", "REC-ROB"): "complementary"}
    why = pd.Series(
        [
            hidden.get((a, c), "")
            for a, c in zip(table["area_code"], table["indicator_code"], strict=True)
        ],
        index=table.index,
    )
    compared, left_out = costs.common_basis(costs.shown_costs(table, why), ["A", "B"])
    assert left_out == ["Homicide", "Robbery"]
    compared = compared.set_index("area_code")
    for area in ("A", "B"):
        assert compared.loc[area, "cost_2024"] == pytest.approx(30_467_450 * up.factor)
        assert compared.loc[area, "costed_count"] == 4_733
        assert compared.loc[area, "cost_per_1000"] == pytest.approx(
            30_467_450 * up.factor / BWD_POP_2022 * 1000
        )
