"""The shape of a return workbook: sheets, columns and the template version.

A return has exactly three sheets: ``Return`` (one row per indicator, area and period),
``Instructions``, and a very hidden ``_template`` sheet holding the template version, so a
file made from an older or unknown template is recognised and refused with a clear message.
Change :data:`TEMPLATE_VERSION` whenever the columns change.
"""

from __future__ import annotations

from dataclasses import dataclass

#: csa-return-2: the input cells start empty and the previous figure sits beside them for
#: reference (csa-return-1 prefilled the figures held, so a file could pass them off as the
#: partner's own).
TEMPLATE_VERSION = "csa-return-2"
DATA_SHEET = "Return"
INSTRUCTIONS_SHEET = "Instructions"
META_SHEET = "_template"
SHEETS = (DATA_SHEET, INSTRUCTIONS_SHEET, META_SHEET)

HEADER_ROW = 1
FIRST_DATA_ROW = 2
MAX_DATA_ROWS = 5000
STATUSES = ("provisional", "final")
DEFAULT_STATUS = "provisional"
#: Meta sheet: label in column A, value in column B.
META_KEYS = ("template_version", "organisation", "period", "generated_at", "generated_by")


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    letter: str
    width: int
    is_input: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("indicator_code", "Indicator code", "A", 14),
    Column("indicator_title", "Indicator", "B", 46),
    Column("unit", "Unit", "C", 18),
    Column("area_code", "Area code", "D", 12),
    Column("area_name", "Area", "E", 24),
    Column("period_label", "Period", "F", 12),
    Column("previous_period", "Previous figure's period", "G", 15),
    Column("previous_value", "Previous figure (for reference, not imported)", "H", 20),
    Column("numerator", "Numerator", "I", 13, is_input=True),
    Column("denominator", "Denominator", "J", 14, is_input=True),
    Column("status", "Status", "K", 13, is_input=True),
    Column("note", "Note", "L", 40, is_input=True),
)
BY_KEY = {c.key: c for c in COLUMNS}
#: Columns whose values are read on import: the keys and the input cells. The rest (titles,
#: names and the previous figure) are for the reader's information and never imported.
READ_COLUMNS = (
    "indicator_code",
    "area_code",
    "period_label",
    "numerator",
    "denominator",
    "status",
    "note",
)
LAST_LETTER = COLUMNS[-1].letter


def unit_label(unit: str, multiplier: int | float) -> str:
    """``("rate", 1000) -> "rate per 1,000"``; a percentage and a count say so."""
    if unit == "rate":
        return f"rate per {int(multiplier):,}"
    return str(unit)
