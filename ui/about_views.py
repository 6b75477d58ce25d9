"""What the About page shows from the bundled files and reference tables, read once per data
directory or data version and shared by every session (``st.cache_resource``: not copied or
unpickled on a hit; callers get shallow copies, safe under pandas' copy-on-write)."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from csa import alcohol
from csa import config as csa_config
from csa.police_uk import no_location_share, read_reconciliation
from ui import chart_specs, data

#: The police.uk reconciliation's columns as the page names them.
SHARE_COLUMNS = {
    "month": "Month",
    "force_file_rows": "Crimes in the force files",
    "rows_no_lsoa": "With no location",
    "rows_lsoa_outside_lancashire14": "Located outside the 14 areas",
}
NO_LOCATION = "Share with no location (%)"
NOT_IN_CSPS = "Share not in any partnership (%)"


def data_dir() -> str:
    return str(csa_config.data_dir(data.settings()))


def no_location_table() -> pd.DataFrame:
    """Per month, the force's crimes and the shares with no location or in no partnership."""
    return _no_location_table(data_dir()).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=4)
def _no_location_table(directory: str) -> pd.DataFrame:
    share = no_location_share(read_reconciliation(Path(directory)))
    table = share[list(SHARE_COLUMNS)].rename(columns=SHARE_COLUMNS)
    table[NO_LOCATION] = (share["no_location_share"] * 100).round(1)
    table[NOT_IN_CSPS] = (share["not_in_csps_share"] * 100).round(1)
    return table


def share_chart(table: pd.DataFrame) -> alt.Chart:
    """The monthly share with no location, as bars (a missing month has no bar)."""
    return (
        alt.Chart(table[["Month", NO_LOCATION]])
        .mark_bar()
        .encode(
            x=alt.X("Month:N", sort=None, title="Month"),
            y=alt.Y(f"{NO_LOCATION}:Q", title=NO_LOCATION),
            tooltip=["Month", NO_LOCATION],
        )
        .properties(height=220)
    )


def share_chart_spec() -> dict:
    """:func:`share_chart`'s spec, built once per data directory."""
    return _share_chart_spec(data_dir())


@st.cache_resource(show_spinner=False, max_entries=4)
def _share_chart_spec(directory: str) -> dict:
    return chart_specs.vega_lite_spec(share_chart(_no_location_table(directory)))


def provenance_notes() -> str:
    """data/PROVENANCE.md, as Markdown."""
    return _provenance_notes(data_dir())


@st.cache_resource(show_spinner=False, max_entries=4)
def _provenance_notes(directory: str) -> str:
    return (Path(directory) / "PROVENANCE.md").read_text(encoding="utf-8")


def alcohol_table(which: str) -> pd.DataFrame:
    """Fingertips' alcohol measure ``which`` with England and the significance, each area
    and period (:func:`csa.alcohol.significance_table`)."""
    return _alcohol_table(data_dir(), which).copy(deep=False)


@st.cache_resource(show_spinner=False, max_entries=8)
def _alcohol_table(directory: str, which: str) -> pd.DataFrame:
    return alcohol.significance_table(alcohol.read(Path(directory), which))


def deprivation() -> pd.DataFrame:
    return data.reference_table("deprivation")


def context_indicators() -> pd.DataFrame:
    return data.reference_table("context_indicators")
