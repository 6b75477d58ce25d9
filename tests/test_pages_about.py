"""About the data: it explains police.uk counts against recorded crime and shows, per month,
the share of the force's records with no location."""

from tests.conftest import app_test, open_page


def test_about_page_shows_the_no_location_share(app_env):
    at = open_page(app_test(None, timeout=180), "pages/scorecard/about.py")
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "**police recorded crime**" in text and "**police.uk**" in text
    assert "Do not add up the partnerships" in text
    tables = [df.value for df in at.dataframe]
    share = next(t for t in tables if "Share with no location (%)" in t.columns)
    assert len(share) == 32  # one row per month held; gap months have none
    row = share[share["Month"] == "2021-06"].iloc[0]
    assert row["Share with no location (%)"] > 0


def test_about_page_shows_alcohol_rates_as_fingertips_publishes_them(app_env):
    """The latest Fingertips admissions (2017/18): Blackpool's standardised rate and
    England's, as published, with Fingertips' own significance."""
    import pandas as pd

    from csa import alcohol
    from csa import config as csa_config

    raw = alcohol.read(csa_config.data_dir(), "admissions")
    latest = raw[raw["period"] == raw["period"].max()].set_index("area_name")
    at = open_page(app_test(None, timeout=180), "pages/scorecard/about.py")
    table = next(t.value for t in at.table if "Rate per 100,000" in t.value.columns)
    assert isinstance(table, pd.DataFrame) and len(table) == 14
    assert table.loc["Blackpool", "Rate per 100,000"] == f"{latest.loc['Blackpool', 'value']:,.1f}"
    assert table.loc["Blackpool", "England"] == f"{latest.loc['England', 'value']:,.1f}"
    assert table.loc["Blackpool", "Fingertips: compared with England"] == str(
        latest.loc["Blackpool", "significance"]
    )
