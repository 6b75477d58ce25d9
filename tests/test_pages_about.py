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


def test_about_page_lists_every_source_with_a_stable_anchor(app_env):
    """The Sources section: one heading per source of data/sources.csv, anchored
    source-<id> (the indicator and map pages link there), with publisher, title, licence,
    link and extraction."""
    from csa import config as csa_config
    from csa import provenance
    from ui.format import md

    register = provenance.read_sources(csa_config.data_dir())
    at = open_page(app_test(None, timeout=180), "pages/scorecard/about.py")
    assert not at.exception
    anchors = {h.proto.anchor: h.value for h in at.subheader}
    assert {f"source-{s.id}": s.name for s in register}.items() <= anchors.items()
    text = "\n".join(m.value for m in at.markdown)
    for source in register:
        for field in ("publisher", "title", "licence", "extracted"):
            assert md(getattr(source, field)) in text or getattr(source, field) in text, (
                source.id,
                field,
            )
    assert "[https://data\\.police\\.uk/](https://data.police.uk/)" in text
    assert "- **Link:** *not stated in the source*" in text  # the synthetic values
