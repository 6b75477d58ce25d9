"""The real police.uk monthly series: it reconciles with the force files, its missing months
stay gaps, and no indicator with a real series gets demo figures."""

from __future__ import annotations

import pandas as pd
import pytest

from csa.areas import PAN_LANCASHIRE, UNASSIGNED, aggregate
from csa.catalogue import POLICE_UK_CATEGORIES, POLICE_UK_MISSING_MONTHS
from csa.demo import SPECS, real_series_codes
from csa.periods import parse_month, quarter_sum
from csa.seed import FILES, reconcile_police_uk


@pytest.fixture(scope="module")
def street(data_dir):
    return pd.read_csv(data_dir / FILES["police_uk"], dtype={"month": str})


@pytest.fixture(scope="module")
def force(data_dir):
    return pd.read_csv(data_dir / FILES["police_uk_force"], dtype={"month": str})


def test_csp_sums_reconcile_with_the_force_file_for_every_month_and_category(street, force):
    check = reconcile_police_uk(street, force)
    assert len(check) == 32 * 14 == len(force)
    assert check["reconciles"].all()
    # the README's grand total over the 32 files
    assert int(force["force_file_rows"].sum()) == 564_082


@pytest.mark.parametrize(
    "month, crime_type, no_location, force_total",
    [  # as quoted in the source README
        ("2021-06", "Violence and sexual offences", 1_222, 6_227),
    ],
)
def test_no_location_records_as_published(force, month, crime_type, no_location, force_total):
    row = force[(force["month"] == month) & (force["crime_type"] == crime_type)].iloc[0]
    assert (row["rows_no_lsoa"], row["force_file_rows"]) == (no_location, force_total)


def test_a_broken_reconciliation_is_refused(street, force):
    from csa.seed import BundleError, build_police_uk_observations

    pops = pd.DataFrame(
        {"area_code": sorted(street["csp_code"].unique()), "year": 2020, "population": 100000}
    )
    bad = street.copy()
    bad.loc[0, "count"] += 1
    with pytest.raises(BundleError, match="does not reconcile"):
        build_police_uk_observations(bad, force, pops)


def test_missing_months_are_absent_from_the_source(street):
    assert not set(POLICE_UK_MISSING_MONTHS) & set(street["month"])
    assert street["month"].nunique() == 32


def test_a_gap_month_never_becomes_a_zero(db):
    obs = db.observations(indicator_codes=["ASB-01"])
    assert set(obs["data_kind"]) == {"real"}
    assert obs[obs["period_label"] == "2020-06"].empty
    assert obs[obs["period_label"].isin(POLICE_UK_MISSING_MONTHS)].empty
    # the periods table still has the month: it is a gap, shown as one
    per = db.periods()
    assert "2020-06" in set(per["label"])
    # and the grouping has no figure for it either
    agg = aggregate(obs, db.area_members(), "rate", 1000)
    assert agg[agg["period_label"] == "2020-06"].empty


def test_seeded_series_is_monthly_real_and_pan_lancashire_is_the_force_total(db, force):
    inds = db.indicators().set_index("code")
    codes = [c for _t, c, _ in POLICE_UK_CATEGORIES]
    assert set(inds.loc[codes, "frequency"]) == {"monthly"}
    assert set(inds.loc[codes, "data_kind"]) == {"real"}
    obs = db.observations(indicator_codes=["ASB-01"])
    agg = aggregate(obs, db.area_members(), "rate", 1000)
    pan = agg[agg["area_code"] == PAN_LANCASHIRE].set_index("period_label")["numerator"]
    asb = force[force["crime_type"] == "Anti-social behaviour"].set_index("month")
    assert pan.sort_index().tolist() == asb["force_file_rows"].sort_index().astype(float).tolist()
    un = obs[obs["area_code"] == UNASSIGNED].set_index("period_label")["numerator"]
    assert (un == (asb["rows_no_lsoa"] + asb["rows_lsoa_outside_lancashire14"])).all()


def test_rates_use_the_nearest_mid_year_population(db, data_dir):
    pops = pd.read_csv(data_dir / FILES["population"]).set_index(["lad_code", "year"])
    obs = db.observations(indicator_codes=["ASB-01"]).set_index(["area_code", "period_label"])
    burnley = "E07000117"
    for month, year in [("2019-12", 2019), ("2021-06", 2020), ("2021-07", 2022)]:
        assert obs.loc[(burnley, month), "denominator"] == pops.loc[(burnley, year), "population"]


def test_a_quarter_with_a_gap_month_has_no_total(db):
    obs = db.observations(indicator_codes=["ASB-01"])
    burnley = obs[obs["area_code"] == "E07000117"].set_index("period_label")["numerator"]
    monthly = burnley.to_dict()
    assert quarter_sum(monthly, 2020, 1) is None  # 2020-06 missing
    assert quarter_sum(monthly, 2020, 2) is None  # 2020-08 and 2020-09 missing
    q3 = quarter_sum(monthly, 2020, 3)
    assert q3 == sum(monthly[m] for m in ("2020-10", "2020-11", "2020-12"))


def test_no_demo_rows_for_an_indicator_with_a_real_series(db, data_dir):
    real = real_series_codes()
    assert "ASB-01" in real
    assert not set(SPECS) & real
    demo = pd.read_csv(data_dir / FILES["demo"])
    assert not set(demo["indicator_code"]) & real
    obs = db.observations(indicator_codes=sorted(real))
    assert set(obs["data_kind"]) == {"real"}


def test_month_labels_are_all_months(db):
    per = db.periods()
    for label in per.loc[per["frequency"] == "monthly", "label"]:
        parse_month(label)


@pytest.mark.parametrize(
    "month, include_asb, no_location, force_total",
    [  # hand-worked from the source README: all records, 2019-12 and 2021-07
        ("2019-12", True, 276, 14_748),
        ("2021-07", True, 2_889, 19_907),
    ],
)
def test_no_location_share_per_month(force, month, include_asb, no_location, force_total):
    from csa.police_uk import no_location_share

    share = no_location_share(force, include_asb=include_asb).set_index("month")
    row = share.loc[month]
    assert (row["rows_no_lsoa"], row["force_file_rows"]) == (no_location, force_total)
    assert row["no_location_share"] == pytest.approx(no_location / force_total)
    assert len(share) == 32  # gap months have no row, not a zero share


def test_crimes_only_share_leaves_out_anti_social_behaviour(force):
    from csa.police_uk import no_location_share

    crimes = no_location_share(force).set_index("month").loc["2019-12"]
    asb = force[(force["month"] == "2019-12") & (force["crime_type"] == "Anti-social behaviour")]
    assert crimes["force_file_rows"] == 14_748 - int(asb["force_file_rows"].iloc[0])
