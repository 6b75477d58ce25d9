"""police.uk street-level crime: how the CSP counts reconcile with the force's files.

police.uk publishes each crime (and anti-social behaviour incident) with an approximate
location. Records published with no location, or placed outside the 14 Lancashire areas,
cannot be given to a Community Safety Partnership, so **the 14 CSP counts add up to less
than the force total**, by a share that varies from month to month (mostly violence and
sexual offences, whose locations are often withheld). The dashboard counts those records
toward pan-Lancashire only ("Unassigned"), so the pan-Lancashire figure is the force file
total. Nobody should take the sum of the CSPs for the force total.

police.uk counts are also not Home Office police recorded crime (the PRC tables): they are
the records published on the street-level map, extracted at a point in time, and are not
revised as recorded crime is.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

RECONCILIATION_FILE = "policeuk_street_lancashire_force_month_crimetype_reconciliation.csv"

SHARE_COLUMNS = [
    "month",
    "force_file_rows",
    "rows_in_14_csps",
    "rows_no_lsoa",
    "rows_lsoa_outside_lancashire14",
    "no_location_share",
    "not_in_csps_share",
]


def read_reconciliation(data_dir: Path) -> pd.DataFrame:
    """The bundled reconciliation file (month, crime_type and the four row counts)."""
    return pd.read_csv(Path(data_dir) / RECONCILIATION_FILE, dtype={"month": str})


def no_location_share(reconciliation: pd.DataFrame, include_asb: bool = False) -> pd.DataFrame:
    """Per month, the share of the force's police.uk records published with no location.

    Parameters
    ----------
    reconciliation : DataFrame
        month, crime_type, force_file_rows, rows_in_14_csps, rows_no_lsoa,
        rows_lsoa_outside_lancashire14 (one row per month and crime type).
    include_asb : bool
        Whether anti-social behaviour incidents count (False: crimes only).

    Returns
    -------
    DataFrame
        One row per month held (gap months have no row): the summed counts,
        ``no_location_share`` = no-location rows / force rows, and ``not_in_csps_share`` =
        (no-location + outside) / force rows, the share the 14 CSPs miss.
    """
    rec = reconciliation
    if not include_asb:
        rec = rec[rec["crime_type"] != "Anti-social behaviour"]
    if rec.empty:
        return pd.DataFrame(columns=SHARE_COLUMNS)
    cols = SHARE_COLUMNS[1:5]
    out = rec.groupby("month", sort=True)[cols].sum().reset_index()
    out["no_location_share"] = out["rows_no_lsoa"] / out["force_file_rows"]
    out["not_in_csps_share"] = (out["rows_no_lsoa"] + out["rows_lsoa_outside_lancashire14"]) / out[
        "force_file_rows"
    ]
    return out[SHARE_COLUMNS]
