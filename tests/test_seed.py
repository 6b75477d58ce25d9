"""The bundled dataset: real figures from data/, a labelled demo series, idempotent loading."""

import pandas as pd
import pytest

from csa.db import Database
from csa.seed import BundleError, build_crime_observations, seed


def test_init_twice_changes_nothing(db, data_dir):
    before = (db.data_version(), db.scalar_count_revisions())
    result = seed(db, data_dir)
    assert result["changed"] is False
    # 345 recorded crime (23 groups x 15) + 6,720 police.uk (14 types x 32 months x 15)
    # + 3,696 demo (11 indicators x 14 areas x 24 quarters)
    assert result["observations"] == {"new": 0, "changed": 0, "unchanged": 10761}
    assert (db.data_version(), db.scalar_count_revisions()) == before


def test_areas_and_policing_areas(db):
    areas = db.areas().set_index("code")
    base = areas[areas["kind"].isin(["district", "unitary"])]
    assert len(base) == 14
    assert set(base.loc[base["kind"] == "unitary"].index) == {"E06000008", "E06000009"}
    expect = {
        "PA-WEST": {"Blackpool", "Fylde", "Lancaster", "Wyre"},
        "PA-SOUTH": {"Chorley", "Preston", "South Ribble", "West Lancashire"},
        "PA-EAST": {
            "Blackburn with Darwen",
            "Burnley",
            "Hyndburn",
            "Pendle",
            "Ribble Valley",
            "Rossendale",
        },
    }
    members = db.area_members()
    for group, names in expect.items():
        codes = members.loc[members["group_code"] == group, "member_code"]
        assert set(areas.loc[codes, "name"]) == names
    assert len(members[members["group_code"] == "E10000017"]) == 12
    assert len(members[members["group_code"] == "E23000003"]) == 15  # 14 + Unassigned


def test_every_real_file_is_loaded(db):
    assert len(db.populations()) == 42
    assert len(db.deprivation()) == 280
    assert set(db.deprivation()["edition"]) == {2019, 2025}
    assert "Crime" in set(db.deprivation()["domain"])
    assert len(db.context_indicators()) == 406
    real = db.observations()
    real = real[real["data_kind"] == "real"]
    rec = real[real["indicator_code"].str.startswith("REC-")]
    assert len(rec) == 23 * 15
    # police.uk: 14 crime types x 32 months x (14 CSPs + Unassigned)
    assert len(real) - len(rec) == 14 * 32 * 15


def test_burnley_violence_with_injury_matches_the_published_table(db):
    expected = 1_216  # Home Office Table C2, Burnley CSP, violence with injury, YE June 2025
    got = db.observations(indicator_codes=["REC-VWI"], area_codes=["E07000117"])
    assert int(got["numerator"].iloc[0]) == expected
    # rate per 1,000 with ONS mid-2022 population 95,553: 1,216 / 95,553 * 1,000 = 12.726
    assert got["value"].iloc[0] == pytest.approx(12.7259, abs=1e-4)


def test_demo_series_is_labelled_and_long_enough_for_spc(db):
    inds = db.indicators()
    demo = inds[inds["data_kind"] == "demo"]
    assert len(demo) >= 11  # ASB-01 is real (police.uk) since the monthly series came
    assert {"key_issue", "contributory_factor"} <= set(demo["theme_kind"])
    assert set(inds.loc[inds["theme_kind"] == "key_issue", "theme_code"]) == {
        "DA",
        "VIO",
        "EXP",
        "SOC",
        "ROAD",
        "ASB",
    }
    assert all("DEMO" in n for n in demo["notes"])
    obs = db.observations(indicator_codes=list(demo["code"]))
    assert set(obs["data_kind"]) == {"demo"}
    per_series = obs.groupby(["indicator_code", "area_code"]).size()
    assert per_series.min() >= 20  # 5 years of quarters, so SPC has 13 or more points
    assert len(per_series) == len(demo) * 14


def test_unreconciled_crime_table_is_refused(data_dir):
    crime = pd.read_csv(data_dir / "lancashire_recorded_crime_csp_ye_jun2025.csv")
    crime.loc[crime["row_type"] == "unassigned", "homicide"] += 1
    pops = pd.read_csv(data_dir / "lancashire_population_mye.csv").rename(
        columns={"lad_code": "area_code"}
    )
    with pytest.raises(BundleError, match="homicide .* not the force total 13"):
        build_crime_observations(crime, pops)


def test_missing_bundled_file_is_a_clear_error(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    with pytest.raises(
        BundleError, match="lancashire_areas_lookup.csv: bundled data file is missing"
    ):
        seed(db, tmp_path)


def test_period_labels_with_figures_are_those_of_the_current_figures(db):
    """One DISTINCT query (series_kinds, from which ui.data works out the periods held)
    answers what reading the whole table would."""
    labels = set(db.series_kinds()["period_label"])
    assert labels == set(db.observations()["period_label"])
    assert {"2026-27 Q1", "2022-10"} <= labels
