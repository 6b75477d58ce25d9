"""Unit costs held in the database: the seed loads the bundled ones, analysts complete them.

The figures an analyst enters here are test figures (named as such in their source), not the
report's: what is checked is the arithmetic and the workflow, by hand.
"""

import math

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from csa.access import Actor, PermissionDenied
from csa.models import Base
from csa.seed import seed
from csa.strategic import costs
from csa.strategic.scoring import AssessmentError

ANALYST = Actor("ana@example.org", "analyst")
TEST_SOURCE = "test figure for the arithmetic, not from the report"
BWD = "E06000008"
BWD_RESIDENTIAL_BURGLARY = 386  # bundled CSP table, year ending June 2025 (checked below)


def test_migrations_build_exactly_the_models_schema(db):
    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_seed_loads_the_bundled_unit_costs_with_their_provenance(db):
    held = costs.held_unit_costs(db).set_index("ho_category")
    assert held["unit_cost_gbp"].to_dict() == {
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
    assert held["source"].str.contains("Heeks et al. \\(2018\\), Table 1").all()
    assert held["source"].str.contains("data/PROVENANCE.md").all()
    assert set(held["price_year"]) == {"2015/16"}
    assert held.loc["Homicide", "precision"].startswith("rounded")


def _cost(db, data_dir, area, code):
    table = costs.cost_table(db, data_dir)
    return table[(table["area_code"] == area) & (table["indicator_code"] == code)].iloc[0]


def test_an_analysts_figure_costs_the_group_and_the_totals_by_hand(db, data_dir):
    before = _cost(db, data_dir, BWD, "REC-TOTAL")
    rburg = _cost(db, data_dir, BWD, "REC-RBURG")
    assert rburg["count"] == BWD_RESIDENTIAL_BURGLARY
    assert rburg["basis"] == "not costed" and math.isnan(rburg["cost_2024"])
    assert "analyst can enter it" in rburg["note"]

    assert costs.set_unit_cost(db, ANALYST, "Domestic burglary", 1000, TEST_SOURCE) == "added"

    factor = costs.uprating(data_dir).factor
    rburg = _cost(db, data_dir, BWD, "REC-RBURG")
    assert rburg["basis"] == "unit cost" and rburg["note"] == ""
    assert rburg["cost_2024"] == pytest.approx(386 * 1000 * factor)  # 386,000 x 1.32487
    assert _cost(db, data_dir, BWD, "REC-BURG")["cost_2024"] == pytest.approx(386_000 * factor)
    after = _cost(db, data_dir, BWD, "REC-TOTAL")
    assert after["cost_2024"] - before["cost_2024"] == pytest.approx(386_000 * factor)
    assert after["costed_count"] - before["costed_count"] == 386
    entry = db.audit_entries(actions=["unit_cost_set"]).iloc[0]
    assert entry["user_email"] == ANALYST.email and '"old": null' in entry["detail"]


def test_a_correction_is_audited_with_old_and_new_and_a_repeat_changes_nothing(db):
    assert costs.set_unit_cost(db, ANALYST, "Theft from the person", 100, TEST_SOURCE) == "added"
    assert (
        costs.set_unit_cost(
            db, ANALYST, "Theft from the person", 120, TEST_SOURCE, "rounded to £10"
        )
        == "changed"
    )
    version = db.data_version()
    assert (
        costs.set_unit_cost(
            db, ANALYST, "Theft from the person", 120, TEST_SOURCE, "rounded to £10"
        )
        == "unchanged"
    )
    assert db.data_version() == version
    entries = db.audit_entries(actions=["unit_cost_set"])
    assert len(entries) == 2
    assert (
        '"old": 100.0' in entries.iloc[0]["detail"] and '"new": 120.0' in entries.iloc[0]["detail"]
    )
    held = costs.held_unit_costs(db).set_index("ho_category")
    assert held.loc["Theft from the person", "precision"] == "rounded to £10"


def test_the_seed_never_overwrites_an_analysts_figure(db, data_dir):
    costs.set_unit_cost(db, ANALYST, "Robbery", 11_321, TEST_SOURCE)
    assert seed(db, data_dir)["changed"] is False
    held = costs.held_unit_costs(db).set_index("ho_category")
    assert held.loc["Robbery", "unit_cost_gbp"] == 11_321
    assert held.loc["Robbery", "entered_by"] == ANALYST.email


@pytest.mark.parametrize(
    ("category", "amount", "source", "expected"),
    [
        ("Shoplifting", 100, TEST_SOURCE, "is not one of the report's categories"),
        ("", 100, TEST_SOURCE, "is not one of the report's categories"),
        ("Domestic burglary", -5, TEST_SOURCE, "above 0"),
        ("Domestic burglary", 0, TEST_SOURCE, "above 0"),
        ("Domestic burglary", "abc", TEST_SOURCE, "'abc' must be a number"),
        ("Domestic burglary", None, TEST_SOURCE, "must be a number"),
        ("Domestic burglary", float("nan"), TEST_SOURCE, "must be a number"),
        ("Domestic burglary", float("inf"), TEST_SOURCE, "must be a number"),
        ("Domestic burglary", 10_000_001, TEST_SOURCE, "at most £10,000,000"),
        ("Domestic burglary", 100, "   ", "source must say where"),
        ("Domestic burglary", 100, "a book", "source must say where"),
    ],
)
def test_bad_unit_costs_are_rejected_with_the_reason_and_nothing_written(
    db, category, amount, source, expected
):
    version = db.data_version()
    with pytest.raises(AssessmentError) as err:
        costs.set_unit_cost(db, ANALYST, category, amount, source)
    assert expected in str(err.value)
    assert "was not saved" in err.value.summary
    assert db.data_version() == version
    assert len(costs.held_unit_costs(db)) == 10


def test_every_problem_is_listed_at_once(db):
    with pytest.raises(AssessmentError) as err:
        costs.set_unit_cost(db, ANALYST, "Burglary", -1, "", "x" * 201)
    assert len(err.value.problems) == 4


@pytest.mark.parametrize(
    "actor",
    [
        Actor("p@example.org", "public"),
        Actor("b@example.org", "board"),
        Actor("o@example.org", "officer", "LANCS-POLICE"),
        Actor("a@example.org", "analyst", disabled=True),
    ],
)
def test_only_analysts_and_admins_may_enter_unit_costs(db, actor):
    with pytest.raises(PermissionDenied):
        costs.set_unit_cost(db, actor, "Domestic burglary", 100, TEST_SOURCE)
    refused = db.audit_entries(actions=["edit_assessment"])
    assert list(refused["outcome"]) == ["refused"]
    assert refused.iloc[0]["target"] == "unit cost Domestic burglary"
    assert "Domestic burglary" not in set(costs.held_unit_costs(db)["ho_category"])


def test_notes_quote_the_unit_costs_held(db):
    table = costs.mapping_table(costs.held_unit_costs(db)).set_index("indicator_code")
    assert "£39,360" in table.loc["REC-SEX", "note"] and "£6,520" in table.loc["REC-SEX", "note"]
    assert "£8,420" in table.loc["REC-CDA", "note"]
    without_rape = costs.held_unit_costs(db).query("ho_category != 'Rape'")
    table = costs.mapping_table(without_rape).set_index("indicator_code")
    assert "rape (unit cost not held)" in table.loc["REC-SEX", "note"]
    assert table.loc["REC-SEX", "basis"] == "lower bound"


def test_bundled_file_with_an_unknown_category_is_refused(tmp_path, data_dir):
    text = (data_dir / costs.UNIT_COST_FILE).read_text(encoding="utf-8")
    (tmp_path / costs.UNIT_COST_FILE).write_text(
        text.replace("Cyber crime,", "Cybercrime,"), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="unknown unit-cost categories Cybercrime"):
        costs.load_unit_costs(tmp_path)
