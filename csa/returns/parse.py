"""Read a return workbook into raw rows, checking its structure as it goes.

The workbook is read twice, both times streamed (``read_only=True``): once with
``data_only=False`` to see which cells hold formulas, once with ``data_only=True`` for the
values Excel cached. A formula whose cached value is missing (a file saved by a program that
does not calculate) cannot be trusted and is an error; a formula with a cached value gives
that value. Structural problems found here: extra, renamed or missing sheets, a missing or
unknown template version, renamed or moved column headings, merged cells over the data,
values outside the template's columns, and too many rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from csa.returns import layout
from csa.returns.problems import Problem, cell_ref
from csa.returns.safe_open import check_sheet_size, merged_ranges, open_workbook, sheet_part

#: How far right of the last template column we look for stray values.
SCAN_EXTRA_COLUMNS = 40
NUM_COLUMNS = len(layout.COLUMNS)
READ_INDEX = {key: i for i, key in enumerate(c.key for c in layout.COLUMNS)}
#: A reference to another workbook in a formula: ``[1]Sheet1!A1`` (Excel's stored form) or
#: ``[Budget.xlsx]Q2!B4``.
EXTERNAL_LINK = re.compile(r"\[\d+\]|\[[^\]]+\.(?:xl\w*|csv|ods)\]", re.I)


@dataclass
class RawRow:
    """One non-empty row of the Return sheet: its Excel row number and cell values."""

    row: int
    values: dict[str, Any]


@dataclass
class ParsedReturn:
    rows: list[RawRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    #: Cells worth a second look (formulas): shown in the preview, to acknowledge.
    warnings: list[Problem] = field(default_factory=list)
    #: True when the layout could not be trusted, so the rows were not read.
    fatal: bool = False


def ref(column_key: str, row: int) -> str:
    """``ref("numerator", 7) -> "Return!I7"``."""
    return cell_ref(layout.DATA_SHEET, layout.BY_KEY[column_key].letter, row)


def parse_workbook(content: bytes) -> ParsedReturn:
    """Parse a return whose container already passed :func:`safe_open.check_container`.

    Never raises for a bad workbook: whatever openpyxl cannot read becomes a problem.
    """
    out = ParsedReturn()
    try:
        # Far beyond the limit (a hostile or broken file): refused before any cell is read.
        # Nearer it, the rows are read and the first row too far is named.
        too_big = check_sheet_size(
            content,
            layout.DATA_SHEET,
            2 * (layout.FIRST_DATA_ROW + layout.MAX_DATA_ROWS),
            f"at most {layout.MAX_DATA_ROWS:,} rows of figures in one return",
        )
        if too_big:
            out.problems += too_big
            out.fatal = True
            return out
        with open_workbook(content, data_only=True) as wb:
            _check_sheets(wb, out)
            if out.fatal:
                return out
            _read_meta(wb, out)
            if out.fatal:
                return out
            part = sheet_part(wb, layout.DATA_SHEET)
            values = _read_cells(wb[layout.DATA_SHEET])
        with open_workbook(content, data_only=False) as wb:
            formulas = _read_formulas(wb[layout.DATA_SHEET])
        merges = merged_ranges(content, part) if part else []
    except Exception as exc:  # untrusted input: whatever openpyxl raises is a bad file
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        out.problems.append(
            Problem(
                "workbook",
                f"the workbook could not be read ({detail})",
                "an .xlsx that opens in Excel, saved from the template",
            )
        )
        out.fatal = True
        return out
    for rng in merges:
        out.problems.append(
            Problem(
                f"{layout.DATA_SHEET}!{rng}",
                "cells are merged over the data",
                "one value per cell (unmerge these cells)",
            )
        )
    _build_rows(values, formulas, out)
    return out


def _check_sheets(wb, out: ParsedReturn) -> None:
    names = list(wb.sheetnames)
    allowed = ", ".join(s for s in layout.SHEETS if s != layout.META_SHEET)
    for name in names:
        if name not in layout.SHEETS:
            out.problems.append(
                Problem(
                    "workbook",
                    f"sheet '{name}' is not part of the template",
                    f"only the sheets {allowed} (do not add or rename sheets)",
                )
            )
    if layout.DATA_SHEET not in names:
        out.problems.append(
            Problem(
                "workbook",
                f"the sheet '{layout.DATA_SHEET}' is missing (renamed or deleted?)",
                f"the template's sheet named '{layout.DATA_SHEET}' holding the figures",
            )
        )
        out.fatal = True
    elif wb[layout.DATA_SHEET].__class__.__name__ != "ReadOnlyWorksheet":
        out.problems.append(
            Problem(
                "workbook",
                f"'{layout.DATA_SHEET}' is a chart sheet, not a worksheet",
                "the template's worksheet of figures",
            )
        )
        out.fatal = True
    if layout.META_SHEET not in names:
        out.problems.append(
            Problem(
                "workbook",
                "the template version is missing, so this file was not made from the "
                "return template (or its hidden sheet was removed)",
                f"a workbook downloaded from the Returns page (template version "
                f"{layout.TEMPLATE_VERSION})",
            )
        )
        out.fatal = True


def _read_meta(wb, out: ParsedReturn) -> None:
    ws = wb[layout.META_SHEET]
    meta: dict[str, Any] = {}
    for row in ws.iter_rows(
        min_row=1, max_row=len(layout.META_KEYS), min_col=1, max_col=2, values_only=True
    ):
        if row and row[0] is not None:
            meta[str(row[0]).strip()] = row[1]
    out.meta = meta
    version = meta.get("template_version")
    where = cell_ref(layout.META_SHEET, "B", 1)
    if version is None or str(version).strip() == "":
        out.problems.append(
            Problem(
                where,
                "the template version is missing",
                f"template version {layout.TEMPLATE_VERSION} (download a fresh template)",
            )
        )
        out.fatal = True
    elif str(version).strip() != layout.TEMPLATE_VERSION:
        out.problems.append(
            Problem(
                where,
                f"template version '{version}' is not supported",
                f"template version {layout.TEMPLATE_VERSION} (download a "
                f"fresh template from the Returns page)",
            )
        )
        out.fatal = True


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def _read_cells(ws) -> dict[int, tuple]:
    """Non-empty rows of the sheet by row number (values, up to the scan width).

    Dimensions declared in the file are ignored (they may be wrong), so no row is missed;
    reading stops once more rows than :data:`layout.MAX_DATA_ROWS` hold values.
    """
    ws.reset_dimensions()
    width = NUM_COLUMNS + SCAN_EXTRA_COLUMNS
    rows: dict[int, tuple] = {}
    limit = layout.FIRST_DATA_ROW + layout.MAX_DATA_ROWS
    for r, row in enumerate(
        ws.iter_rows(min_row=1, min_col=1, max_col=width, values_only=True), start=1
    ):
        if row and not all(_blank(v) for v in row):
            rows[r] = row
            if r > limit:
                break
    return rows


def _read_formulas(ws) -> dict[tuple[int, int], str]:
    """Cells holding formulas: (row, column) -> formula text."""
    ws.reset_dimensions()
    found: dict[tuple[int, int], str] = {}
    limit = layout.FIRST_DATA_ROW + layout.MAX_DATA_ROWS + 1
    for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1, max_col=NUM_COLUMNS), start=1):
        if r > limit:
            break
        for c, cell in enumerate(row, start=1):
            if getattr(cell, "data_type", None) == "f":
                found[(r, c)] = str(cell.value)
    return found


def _build_rows(
    values: dict[int, tuple], formulas: dict[tuple[int, int], str], out: ParsedReturn
) -> None:
    if not values:
        out.problems.append(
            Problem(
                cell_ref(layout.DATA_SHEET, "A", layout.HEADER_ROW),
                "the sheet is empty",
                "the template's headings in row 1 and a row of figures per indicator and area",
            )
        )
        out.fatal = True
        return
    header = values.get(layout.HEADER_ROW, ())
    bad_header = False
    for i, col in enumerate(layout.COLUMNS):
        found = header[i] if i < len(header) else None
        if _blank(found) or str(found).strip().lower() != col.heading.lower():
            shown = "an empty cell" if _blank(found) else f"'{found}'"
            out.problems.append(
                Problem(
                    cell_ref(layout.DATA_SHEET, col.letter, layout.HEADER_ROW),
                    f"the column heading is {shown}",
                    f"'{col.heading}' (do not rename, move or delete the template's columns)",
                )
            )
            bad_header = True
    if bad_header:
        out.fatal = True
        return
    last_allowed = layout.FIRST_DATA_ROW + layout.MAX_DATA_ROWS - 1
    for r in sorted(set(values) | {r for (r, _c) in formulas}):
        row = values.get(r, ())
        for c in range(NUM_COLUMNS, len(row)):
            if not _blank(row[c]):
                out.problems.append(
                    Problem(
                        cell_ref(layout.DATA_SHEET, get_column_letter(c + 1), r),
                        f"there is a value ({_show(row[c])}) outside the template's columns",
                        f"nothing to the right of column {layout.LAST_LETTER} (use the Note column)",
                    )
                )
        if r <= layout.HEADER_ROW:
            continue
        if r > last_allowed:
            out.problems.append(
                Problem(
                    cell_ref(layout.DATA_SHEET, "A", r),
                    f"the sheet has figures beyond row {last_allowed}",
                    f"at most {layout.MAX_DATA_ROWS} rows of figures in one return",
                )
            )
            out.fatal = True
            return
        cells: dict[str, Any] = {}
        uncalculated = False
        for key in layout.READ_COLUMNS:
            i = READ_INDEX[key]
            value = row[i] if i < len(row) else None
            formula = formulas.get((r, i + 1))
            if formula is not None and EXTERNAL_LINK.search(formula):
                out.problems.append(
                    Problem(
                        ref(key, r),
                        f"the formula {_formula(formula)} refers to another workbook "
                        "(an external link)",
                        "a typed value (links to other files are not followed: copy the value in)",
                    )
                )
                uncalculated = True
            elif formula is not None and _blank(value):
                out.problems.append(
                    Problem(
                        ref(key, r),
                        f"the formula {_formula(formula)} has no calculated value (the file "
                        "was saved by a program that did not calculate it)",
                        "a typed value, or the file opened and saved in Excel",
                    )
                )
                uncalculated = True
            elif formula is not None:
                out.warnings.append(
                    Problem(
                        ref(key, r),
                        f"the cell holds the formula {_formula(formula)} (its value as Excel "
                        f"last calculated it, {value}, is what would be imported)",
                        "a typed value (check the figure is right)",
                        severity="warning",
                    )
                )
            cells[key] = None if _blank(value) else value
        if uncalculated or all(cells[k] is None for k in layout.READ_COLUMNS):
            continue  # a row with an uncalculated formula is not checked further
        out.rows.append(RawRow(row=r, values=cells))


def _formula(text: str) -> str:
    text = text if text.startswith("=") else "=" + text
    return text[:60] + ("…" if len(text) > 60 else "")


def _show(value: Any) -> str:
    text = str(value)
    return repr(text[:40] + ("…" if len(text) > 40 else ""))
