"""Tables made ready to draw once, not on every rerun.

``st.dataframe`` and ``st.table`` convert a pandas frame to Arrow each time they are called:
on a warm rerun of the indicator page that was a sixth of its time (py-spy, ``bench/``).
Given a ``pyarrow.Table`` they send it as it is. :func:`arrow` makes that table with the
very conversion Streamlit would have applied (the index kept as pandas metadata), so what
the viewer sees does not change; pages keep the result with the rest of a shared result
(:func:`ui.data.shared`) and draw it on every rerun.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
from streamlit import dataframe_util


def arrow(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as Streamlit would send it (``st.table`` of the result needs its
    ``hide_index`` given: left to guess, it converts the table back to pandas)."""
    return dataframe_util.convert_pandas_df_to_arrow_table(frame)
