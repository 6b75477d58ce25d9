"""The Excel return template for one organisation and period.

One ``Return`` sheet with a row per indicator x area that the organisation leads (the 14
Community Safety Partnership areas, and Unassigned where police figures have it), with the
codes, names and unit filled in. The input cells (numerator, denominator, status, note) start
empty, so every figure sent is the partner's own; beside them, locked and headed "for
reference, not imported", is the previous figure: the one held now for the period if there
is one, otherwise the latest earlier period's. Only the input cells are unlocked; the
sheet and the workbook structure are protected (without a password: protection prevents
slips, the import checks everything anyway). Excel data validation checks what it can as
the officer types. An ``Instructions`` sheet explains each column, and a very hidden
``_template`` sheet records the template version.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from csa import config as csa_config
from csa.areas import UNASSIGNED
from csa.db.core import utcnow
from csa.returns import layout
from csa.returns.reference import Reference, load_reference
from csa.returns.window import due_date

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FILL = PatternFill("solid", fgColor="00539F")
HEADER_FONT = Font(bold=True, color="FFFFFF")


class TemplateError(ValueError):
    """A template cannot be made (unknown organisation, closed period, nothing to return)."""


def template_rows(db, org_code: str, period_label: str, ref: Reference) -> pd.DataFrame:
    """The rows of the template: one per indicator x area, with the previous figure beside
    empty input cells.

    Raises
    ------
    TemplateError
        For an unknown organisation or period, a closed period, or an organisation that
        leads no indicator reported at the period's frequency.
    """
    orgs = set(db.organisations()["code"])
    if org_code not in orgs:
        raise TemplateError(
            f"organisation {org_code!r} is not known; expected one of {', '.join(sorted(orgs))}"
        )
    if period_label not in ref.periods.index:
        raise TemplateError(
            f"period {period_label!r} is not known; expected one of the open "
            f"periods {', '.join(ref.open_periods) or '(none)'}"
        )
    if period_label not in ref.open_periods:
        raise TemplateError(
            f"period {period_label} is closed for returns; expected one of the "
            f"open periods {', '.join(ref.open_periods) or '(none)'}"
        )
    freq = ref.periods.at[period_label, "frequency"]
    inds = ref.indicators
    inds = inds[(inds["lead_org_code"] == org_code) & (inds["frequency"] == freq)]
    if inds.empty:
        raise TemplateError(
            f"{org_code} leads no {freq} indicators, so it has nothing to return for {period_label}"
        )
    codes = list(inds["code"])
    held = _previous_figures(db, codes, period_label, ref)
    unassigned = set(
        db.observations(indicator_codes=codes, area_codes=[UNASSIGNED])["indicator_code"]
    )
    areas = ref.areas[ref.areas["kind"].isin(["district", "unitary"])].sort_values("name")
    rows = []
    for ind in inds.itertuples(index=False):
        area_codes = list(areas["code"]) + ([UNASSIGNED] if ind.code in unassigned else [])
        for area in area_codes:
            old = held.get((ind.code, area))
            rows.append(
                {
                    "indicator_code": ind.code,
                    "indicator_title": ind.title,
                    "unit": layout.unit_label(ind.unit, ind.multiplier),
                    "unit_kind": ind.unit,
                    "area_code": area,
                    "area_name": ref.areas.at[area, "name"],
                    "period_label": period_label,
                    "previous_period": "" if old is None else old["period_label"],
                    "previous_value": None if old is None else _clean(old["value"]),
                    # the input cells start empty: a figure sent is the partner's own
                    "numerator": None,
                    "denominator": None,
                    "status": None,
                    "note": "",
                }
            )
    return pd.DataFrame(rows)


def _previous_figures(db, codes: list[str], period_label: str, ref: Reference) -> dict:
    """The figure to show beside each indicator x area's input cells, for reference.

    The figure held now for ``period_label`` when there is one, otherwise the latest
    earlier figure of the same frequency. Returns ``{(indicator, area): row}`` with at
    least ``period_label`` and ``value``.
    """
    freq = ref.periods.at[period_label, "frequency"]
    start = pd.Timestamp(ref.periods.at[period_label, "start_date"])
    obs = db.observations(indicator_codes=codes)
    if obs.empty:
        return {}
    obs = obs[
        (obs["period_frequency"] == freq)
        & (pd.to_datetime(obs["period_start"]) <= start)
        & obs["value"].notna()
    ]
    latest = obs.sort_values("period_start").groupby(["indicator_code", "area_code"]).tail(1)
    return {(r["indicator_code"], r["area_code"]): r for r in latest.to_dict("records")}


def _clean(v):
    if v is None or pd.isna(v):
        return None
    f = float(v)
    return int(f) if f.is_integer() else round(f, 6)


def _put(ws, ref: str, value) -> None:
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # never let text become a formula (formula injection)


def build_template(
    db,
    org_code: str,
    period_label: str,
    *,
    today: date | None = None,
    settings: dict[str, Any] | None = None,
    generated_by: str = "",
) -> bytes:
    """The template workbook as .xlsx bytes.

    Parameters
    ----------
    db : csa.db.Database
    org_code : str
        The lead organisation, e.g. ``"LANCS-POLICE"``.
    period_label : str
        An open period, e.g. ``"2026-27 Q2"``.
    today : date, optional
        The day that decides which periods are open (today when omitted).
    settings : dict, optional
        The app settings (``csa.config.load()`` when omitted).
    generated_by : str
        Who asked for it (recorded on the hidden sheet).
    """
    settings = settings or csa_config.load()
    ref = load_reference(db, settings, today)
    rows = template_rows(db, org_code, period_label, ref)
    org_name = db.organisations().set_index("code").at[org_code, "name"]
    end = pd.Timestamp(ref.periods.at[period_label, "end_date"]).date()
    due = due_date(end, ref.due_days)

    wb = Workbook()
    ws = wb.active
    ws.title = layout.DATA_SHEET
    _write_data_sheet(ws, rows)
    _write_instructions(
        wb.create_sheet(layout.INSTRUCTIONS_SHEET), org_code, org_name, period_label, due, rows
    )
    meta = wb.create_sheet(layout.META_SHEET)
    for i, (key, value) in enumerate(
        zip(
            layout.META_KEYS,
            (
                layout.TEMPLATE_VERSION,
                org_code,
                period_label,
                utcnow().isoformat(timespec="seconds"),
                generated_by,
            ),
            strict=True,
        ),
        start=1,
    ):
        _put(meta, f"A{i}", key)
        _put(meta, f"B{i}", value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write_data_sheet(ws, rows: pd.DataFrame) -> None:
    for col in layout.COLUMNS:
        ref = f"{col.letter}{layout.HEADER_ROW}"
        _put(ws, ref, col.heading)
        ws[ref].font = HEADER_FONT
        ws[ref].fill = HEADER_FILL
        ws[ref].alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[col.letter].width = col.width
    first = layout.FIRST_DATA_ROW
    for i, rec in enumerate(rows.to_dict("records")):
        r = first + i
        for col in layout.COLUMNS:
            _put(ws, f"{col.letter}{r}", rec.get(col.key))
            cell = ws[f"{col.letter}{r}"]
            usable = col.is_input and not (col.key == "denominator" and rec["unit_kind"] == "count")
            cell.protection = Protection(locked=not usable)
            cell.fill = INPUT_FILL if usable else LOCKED_FILL
        ws[f"H{r}"].number_format = "0.0##"
    last = first + len(rows) - 1
    _add_validations(ws, rows, first, last)
    ws.freeze_panes = f"A{first}"
    ws.auto_filter.ref = f"A{layout.HEADER_ROW}:{layout.LAST_LETTER}{last}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False


def _add_validations(ws, rows: pd.DataFrame, first: int, last: int) -> None:
    whole = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Numerator",
        error="Enter a whole number of 0 or more.",
    )
    positive = DataValidation(
        type="decimal",
        operator="greaterThan",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Denominator",
        error="Enter a number greater than 0.",
    )
    status = DataValidation(
        type="list",
        formula1=f'"{",".join(layout.STATUSES)}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Status",
        error="Choose provisional or final.",
    )
    status.add(f"K{first}:K{last}")
    for dv in (whole, positive, status):
        ws.add_data_validation(dv)
    # rows of one indicator are contiguous: one validation per block
    units = list(rows["unit_kind"])
    start = 0
    for i in range(1, len(units) + 1):
        if i < len(units) and rows["indicator_code"].iat[i] == rows["indicator_code"].iat[start]:
            continue
        top, bottom = first + start, first + i - 1
        unit = units[start]
        if unit == "percentage":
            pct = DataValidation(
                type="custom",
                formula1=f"AND(ISNUMBER(I{top}),I{top}>=0,I{top}=INT(I{top}),"
                f"OR(ISBLANK(J{top}),I{top}<=J{top}))",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Numerator",
                error="Enter a whole number of 0 or more, no larger than the denominator.",
            )
            pct.add(f"I{top}:I{bottom}")
            ws.add_data_validation(pct)
        else:
            whole.add(f"I{top}:I{bottom}")
        if unit != "count":
            positive.add(f"J{top}:J{bottom}")
        start = i


def _write_instructions(
    ws, org_code: str, org_name: str, period: str, due: date, rows: pd.DataFrame
) -> None:
    units = rows.drop_duplicates("indicator_code")[["indicator_code", "indicator_title", "unit"]]
    lines = [
        (f"Community Safety Agreement return: {org_name} ({org_code}), {period}", True),
        (f"Due by {due:%d %B %Y}. Template version {layout.TEMPLATE_VERSION}.", False),
        ("", False),
        ("How to fill it in", True),
        (
            "1. On the Return sheet, fill the yellow cells only: Numerator, Denominator (rates "
            "and percentages), Status and, if you wish, a Note.",
            False,
        ),
        (
            "2. The yellow cells start empty: type your own figures. The grey 'Previous "
            "figure' column (the figure held now for this period, or else the latest earlier "
            "one, from the period named beside it) is for reference only and is never "
            "imported.",
            False,
        ),
        ("3. Count indicators: put the count in Numerator and leave Denominator empty.", False),
        (
            "4. Rates: Numerator is the number of events, Denominator the population; the rate is "
            "calculated for you (e.g. per 1,000 residents).",
            False,
        ),
        (
            "5. Percentages: Numerator is the number meeting the measure, Denominator the number "
            "in the group; Numerator cannot be above Denominator.",
            False,
        ),
        (
            "6. Status: 'provisional' (the default when left empty) until the figure is "
            "signed off, then 'final'.",
            False,
        ),
        ("7. Leave a row empty if you have no figure yet: it is skipped, not zeroed.", False),
        (
            "8. Do not add, rename or delete sheets, columns or codes, merge cells or use "
            "formulas that link to other files; save as .xlsx (not .xlsm, .xls or .csv).",
            False,
        ),
        (
            "9. Upload the file on the Returns page. You will see every change before you "
            "confirm, and every problem and warning at once with its cell.",
            False,
        ),
        ("", False),
        ("Checks made on upload", True),
        (
            "Codes and periods must match the template; values must be numbers of 0 or more; "
            "rates need a denominator; a percentage's numerator cannot exceed its denominator; "
            "each indicator, area and period once. Figures far outside a series' usual range "
            "are flagged for you to confirm.",
            False,
        ),
        ("", False),
        ("Indicators in this return", True),
    ]
    lines += [
        (f"{r.indicator_code}: {r.indicator_title} ({r.unit})", False)
        for r in units.itertuples(index=False)
    ]
    for i, (text, bold) in enumerate(lines, start=1):
        _put(ws, f"A{i}", text)
        ws[f"A{i}"].font = Font(bold=bold, size=13 if i == 1 else 11)
        ws[f"A{i}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 110
    ws.protection.sheet = True
