"""Rows for an insert (csa.db.core.records): plain Python values, every kind of blank as
None, the same as the frame-wide conversion it replaced."""

import numpy as np
import pandas as pd

from csa.db.core import records


def test_rows_hold_plain_values_and_every_blank_is_none():
    df = pd.DataFrame(
        {
            "count": [12, 3],
            "rate": [1.5, np.nan],
            "text": pd.array(["Burnley", None], dtype="string[pyarrow]"),
            "flag": [True, False],
            "start": pd.to_datetime(["2026-04-01", None]),
            "whole": pd.array([7, None], dtype="Int64"),
            "any": [None, "x"],
        }
    )
    got = records(df)
    assert got == [
        {"count": 12, "rate": 1.5, "text": "Burnley", "flag": True,
         "start": pd.Timestamp("2026-04-01"), "whole": 7, "any": None},
        {"count": 3, "rate": None, "text": None, "flag": False, "start": None, "whole": None,
         "any": "x"},
    ]  # fmt: skip
    assert [type(v) for v in got[0].values()] == [int, float, str, bool, pd.Timestamp, int,
                                                  type(None)]  # fmt: skip
    assert got == df.astype(object).where(df.notna(), None).to_dict("records")
    assert records(df.iloc[:0]) == []
