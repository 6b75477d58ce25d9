"""Safe exports: CSV and Excel that never carry formulas from user or source text.

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and tab or
carriage return) as a formula: a classic injection route (OWASP "CSV injection"). Text cells
that start with one of them are prefixed with an apostrophe-like single quote so they are
shown as text; numbers are written as numbers and are unaffected.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text cell safe for spreadsheets; leave numbers and other values alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def _cell(value):
    if value is None:
        return None
    if isinstance(value, (float, np.floating)) and np.isnan(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    return neutralise(value)


def excel_bytes(
    sheets: Mapping[str, pd.DataFrame], notes: Mapping[str, str] | None = None
) -> bytes:
    """An .xlsx with one sheet per frame (bold header, frozen top row, sized columns).

    ``notes`` maps sheet name to a line written above the table (e.g. "DEMO DATA").
    """
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(title=str(name)[:31])
        start = 1
        if notes and notes.get(name):
            ws.cell(row=1, column=1, value=neutralise(notes[name])).font = Font(bold=True)
            start = 3
        for j, col in enumerate(df.columns, start=1):
            ws.cell(row=start, column=j, value=neutralise(str(col))).font = Font(bold=True)
            width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
            ws.column_dimensions[get_column_letter(j)].width = min(width, 60)
        for i, row in enumerate(df.itertuples(index=False), start=start + 1):
            for j, value in enumerate(row, start=1):
                ws.cell(row=i, column=j, value=_cell(value))
        ws.freeze_panes = ws.cell(row=start + 1, column=1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
