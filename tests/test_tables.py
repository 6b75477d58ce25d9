"""Tables made ready to draw once (ui.tables.arrow) are sent exactly as Streamlit would have
sent the pandas frame: same bytes, index and all."""

import pandas as pd
import pytest
from streamlit import dataframe_util

from ui import tables


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"Area": ["Burnley", "Pendle"], "Value": ["12.3", "[c]"]}),  # range index
        pd.DataFrame({"Indicator": ["A", "B"], "Figure": [1.5, None]}).set_index("Indicator"),
        pd.DataFrame({"Period": ["2026-27 Q1"], "Numerator": pd.Series([None], dtype=object)}),
    ],
    ids=["range index", "named index", "object column of blanks"],
)
def test_a_table_made_once_is_sent_as_the_frame_would_be(frame):
    once = dataframe_util.convert_arrow_table_to_arrow_bytes(tables.arrow(frame))
    assert once == dataframe_util.convert_pandas_df_to_arrow_bytes(frame)
    back = dataframe_util.convert_arrow_bytes_to_pandas_df(once)
    assert list(back.columns) == list(frame.columns)
    assert list(back.index) == list(frame.index)
