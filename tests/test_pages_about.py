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
