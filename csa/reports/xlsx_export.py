"""The board pack's figures as an Excel workbook (one sheet per section).

Written through :func:`csa.exports.excel_bytes`, which turns any text cell starting with
``=``, ``+``, ``-`` or ``@`` into plain text, so nothing typed into a plan (an action, an
owner's name) can run as a formula when the workbook is opened. Figures keep their full
value, shown with the number format of their unit (:data:`csa.formatting.EXCEL_FORMATS`),
so a cell reads as the page does; each row's formatted figure is there as text too (the
published ``value_text``).
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook

from csa.exports import excel_bytes
from csa.formatting import EXCEL_FORMATS
from csa.reports.board_pack import BoardPack, plan_summary

#: Columns holding a figure in the row's unit (column "Unit"), and columns of whole counts.
UNIT_COLUMNS = (
    "Value",
    "95% CI lower",
    "95% CI upper",
    "Target",
    "Lancashire",
    "Rate per 1,000",
    "England and Wales",
    "England",
    "North West",
)
COUNT_COLUMNS = ("Numerator", "Denominator", "Recorded crimes", "Population")


def board_pack_sheets(pack: BoardPack) -> dict[str, pd.DataFrame]:
    """The workbook's sheets, in order."""
    items = pd.DataFrame(
        [
            {
                "Indicator code": i.indicator_code,
                "Indicator": i.indicator_title,
                "Key issue": i.theme_name,
                "Area code": i.area_code,
                "Area": i.area_name,
                "Unit": i.unit,
                "Figure": i.value_text,
                "Value": i.value,
                "Target": i.target,
                "Lancashire": i.benchmark_value,
                "Status": i.status_text,
                "Critical": "yes" if i.critical else "no",
                "Periods off track": i.periods_off_track,
                "Recovery plan": i.plan_state,
                "Data": i.data_kind,
                "Reasons": " ".join(i.reasons),
            }
            for i in pack.items
        ],
        columns=[
            "Indicator code",
            "Indicator",
            "Key issue",
            "Area code",
            "Area",
            "Unit",
            "Figure",
            "Value",
            "Target",
            "Lancashire",
            "Status",
            "Critical",
            "Periods off track",
            "Recovery plan",
            "Data",
            "Reasons",
        ],
    )
    plans = pack.plans
    plan_sheet = pd.DataFrame(
        {
            "Plan": plans["plan_id"],
            "Indicator code": plans["indicator_code"],
            "Indicator": plans["indicator_title"],
            "Area": plans["area_name"],
            "Critical now": plans["critical"].map(lambda b: "yes" if b else "no"),
            "Plan state": plans["state_words"],
            "Review date": plans["review_date"],
            "Overdue actions": plans["overdue_actions"],
            "Periods below trajectory": plans["missed_trajectory"],
            "Flags": plans["flags"].map("; ".join),
        }
    )
    sheets = {
        "Summary": pack.summary,
        "Off track and critical": items,
        "Plans by indicator": plan_summary(plans),
        "Recovery plans": plan_sheet,
    }
    if pack.audience == "board":
        sheets["Overdue actions"] = pack.overdue_actions
    sheets["Changes since last quarter"] = pack.changes
    sheets["Figures"] = pack.figures
    if not pack.force_position.empty:
        sheets["Relative position (force)"] = pack.force_position
        sheets["Relative position (CSPs)"] = pack.partnership_position
    sheets["About"] = pd.DataFrame({"Note": pack.notes})
    return sheets


def board_pack_xlsx(pack: BoardPack) -> bytes:
    """The workbook as bytes."""
    heading = (
        f"{pack.title}. {pack.organisation}. Prepared {pack.prepared_on:%-d %B %Y} "
        f"for {'the board' if pack.audience == 'board' else 'publication'}."
        + (" DEMO DATA: some figures are synthetic." if pack.demo_data else "")
    )
    sheets = board_pack_sheets(pack)
    return number_formats(excel_bytes(sheets, notes={name: heading for name in sheets}))


def number_formats(workbook: bytes, header_row: int = 3) -> bytes:
    """Give every figure cell the number format of its row's unit (column "Unit") and every
    count column a whole-number format."""
    wb = load_workbook(io.BytesIO(workbook))
    for ws in wb:
        header = {c.value: c.column for c in ws[header_row] if c.value}
        unit_col = header.get("Unit")
        for row in ws.iter_rows(min_row=header_row + 1):
            unit = row[unit_col - 1].value if unit_col else None
            for name in UNIT_COLUMNS:
                if name in header and unit in EXCEL_FORMATS:
                    row[header[name] - 1].number_format = EXCEL_FORMATS[unit]
            for name in COUNT_COLUMNS:
                if name in header:
                    row[header[name] - 1].number_format = EXCEL_FORMATS["count"]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
