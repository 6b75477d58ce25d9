"""The board pack's figures as an Excel workbook (one sheet per section).

Written through :func:`csa.exports.excel_bytes`, which turns any text cell starting with
``=``, ``+``, ``-`` or ``@`` into plain text, so nothing typed into a plan (an action, an
owner's name) can run as a formula when the workbook is opened.
"""

from __future__ import annotations

import pandas as pd

from csa.exports import excel_bytes
from csa.reports.board_pack import BoardPack


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
                "Value": i.value,
                "Target": i.target,
                "Lancashire": i.benchmark_value,
                "Status": i.label,
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
        "Recovery plans": plan_sheet,
    }
    if pack.audience == "board":
        sheets["Overdue actions"] = pack.overdue_actions
    sheets["Changes since last quarter"] = pack.changes
    sheets["Figures"] = pack.figures
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
    return excel_bytes(sheets, notes={name: heading for name in sheets})
