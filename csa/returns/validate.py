"""Check every row of a return against the reference data, reporting every problem at once.

Each row must name a known indicator, one of the 14 partnership areas (or Unassigned), and
an open period of the indicator's frequency; its numerator must be a whole number of 0 or
more; a rate or percentage needs a denominator above 0 (a count takes none); a percentage's
numerator cannot exceed its denominator; status is provisional or final; and each
indicator, area and period appears once. A row whose numerator and denominator are both
empty is skipped (no figure yet), never read as zero.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd

from csa.areas import UNASSIGNED, value_from_parts
from csa.periods import parse_quarter
from csa.returns import layout
from csa.returns.parse import ParsedReturn, ref
from csa.returns.problems import WARNING, Problem
from csa.returns.reference import Reference

#: Stored values are rounded to this many decimal places (as the bundled series are).
VALUE_DECIMALS = 6
#: Longest note kept with a figure (the rest is cut, and the preview says so).
NOTE_LIMIT = 1000
MAX_MAGNITUDE = 1e12
EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)

ROW_COLUMNS = [
    "row",
    "indicator_code",
    "area_code",
    "period_label",
    "numerator",
    "denominator",
    "value",
    "status",
    "note",
    "indicator_title",
    "area_name",
    "unit",
    "multiplier",
    "lead_org_code",
]


@dataclass
class Validated:
    """The rows that passed, every problem found, and what the file touches."""

    rows: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    org_codes: set[str] = field(default_factory=set)
    #: Values that were kept but changed (a note cut to :data:`NOTE_LIMIT` characters).
    warnings: list[Problem] = field(default_factory=list)


class _Bad(ValueError):
    """A cell value is unusable: args = (what, expected)."""


def parse_number(value: Any) -> float:
    """A finite number from a cell value, or :class:`_Bad` saying why not.

    Numbers typed as text ("12", " 12.5 ") are accepted; thousands separators, units,
    dates, booleans and Excel error values are not.
    """
    if isinstance(value, bool):
        raise _Bad(f"{value!s} is TRUE/FALSE, not a number", "a number")
    if isinstance(value, datetime | date | time | timedelta):
        raise _Bad(
            f"{value} is a date or time, not a number", "a number (format the cell as Number)"
        )
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if text.upper() in EXCEL_ERRORS:
            raise _Bad(f"the cell shows the Excel error {text}", "a number")
        try:
            number = float(text)
        except ValueError:
            raise _Bad(
                f"'{text[:40]}' is not a number", "a number with no letters, commas or symbols"
            ) from None
    if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
        raise _Bad(f"{value!s} is not a usable number", f"a number below {MAX_MAGNITUDE:g}")
    return number


def _code(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _is_quarter(label: str) -> bool:
    try:
        parse_quarter(label)
    except ValueError:
        return False
    return True


def _suggest(code: str, known, names: dict | None = None) -> str:
    """`` (did you mean DA-01?)``; an area is named too: `` (did you mean Burnley (E07000117)?)``."""
    close = difflib.get_close_matches(code.upper(), [str(k) for k in known], n=1, cutoff=0.6)
    if not close:
        return ""
    name = (names or {}).get(close[0])
    return f" (did you mean {name} ({close[0]})?)" if name else f" (did you mean {close[0]}?)"


def validate(parsed: ParsedReturn, ref_data: Reference) -> Validated:
    """Check the parsed rows; problems are errors (warnings come later, from the preview)."""
    out = Validated(rows=pd.DataFrame(columns=ROW_COLUMNS))
    inds = ref_data.indicators.to_dict("index")
    area_names = ref_data.areas["name"].to_dict()
    frequency = ref_data.periods["frequency"].to_dict()
    allowed_areas = ref_data.reportable_area_codes
    open_list = ", ".join(ref_data.open_periods) or "(none are open)"
    seen: dict[tuple[str, str, str], int] = {}
    records = []
    for raw in parsed.rows:
        v, r = raw.values, raw.row
        problems: list[Problem] = []

        def bad(key: str, what: str, expected: str, _r=r, _p=problems) -> None:
            _p.append(Problem(ref(key, _r), what, expected))

        ind_code, area_code, period = (
            _code(v["indicator_code"]),
            _code(v["area_code"]),
            _code(v["period_label"]),
        )
        ind = None
        if ind_code is None:
            bad(
                "indicator_code",
                "the indicator code is missing",
                "an indicator code from the template, e.g. DA-01",
            )
        elif ind_code not in inds:
            bad(
                "indicator_code",
                f"'{ind_code}' is not a known indicator code{_suggest(ind_code, inds)}",
                "an indicator code from the template",
            )
        else:
            ind = inds[ind_code]
            out.org_codes.add(str(ind["lead_org_code"]))
        if area_code is None:
            bad(
                "area_code",
                "the area code is missing",
                "an area code from the template, e.g. Burnley (E07000117)",
            )
        elif area_code not in area_names:
            bad(
                "area_code",
                f"'{area_code}' is not a known area code{_suggest(area_code, allowed_areas, area_names)}",
                "one of the 14 partnership areas' codes (E06/E07...) or UNASSIGNED",
            )
        elif area_code not in allowed_areas:
            bad(
                "area_code",
                f"{area_names[area_code]} ({area_code}) is a grouping whose "
                "figure is calculated from its member areas",
                "one of the 14 partnership areas or UNASSIGNED",
            )
        if period is None:
            bad("period_label", "the period is missing", f"one of the open periods {open_list}")
        elif period not in frequency and not _is_quarter(period):
            bad(
                "period_label",
                f"'{period}' is not a known period",
                f"a period like 2026-27 Q2; open now: {open_list}",
            )
        elif period not in ref_data.open_periods:
            bad(
                "period_label",
                f"the period {period} is closed for returns",
                f"one of the open periods {open_list}",
            )
        elif ind is not None and frequency[period] != ind["frequency"]:
            bad(
                "period_label",
                f"{ind_code} is reported {ind['frequency']} but {period} is a "
                f"{frequency[period]} period",
                f"a {ind['frequency']} period for this indicator",
            )

        num_raw, den_raw = v["numerator"], v["denominator"]
        if num_raw is None and den_raw is None:
            if not problems:
                out.skipped_rows.append(r)
            out.problems.extend(problems)
            continue
        numerator = denominator = None
        if num_raw is None:
            bad("numerator", "the numerator is missing", "a whole number of 0 or more")
        else:
            try:
                numerator = parse_number(num_raw)
                if numerator < 0:
                    bad("numerator", f"{numerator:g} is negative", "a whole number of 0 or more")
                    numerator = None
                elif not numerator.is_integer():
                    bad(
                        "numerator",
                        f"{numerator:g} is not a whole number",
                        "a whole number of 0 or more (a count of events or people)",
                    )
                    numerator = None
            except _Bad as exc:
                bad("numerator", *exc.args)
        unit = None if ind is None else str(ind["unit"])
        if den_raw is not None:
            try:
                denominator = parse_number(den_raw)
                if unit == "count":
                    bad(
                        "denominator",
                        f"{ind_code} is a count, so it takes no denominator "
                        f"(found {denominator:g})",
                        "this cell left empty",
                    )
                    denominator = None
                elif denominator <= 0:
                    bad(
                        "denominator",
                        f"{denominator:g} is not above 0",
                        "the number in the population or group, above 0",
                    )
                    denominator = None
            except _Bad as exc:
                bad("denominator", *exc.args)
        elif unit == "rate" and area_code != UNASSIGNED:
            bad(
                "denominator",
                f"the denominator is missing, and {ind_code} is a rate",
                "the population the rate is per (e.g. residents), above 0",
            )
        elif unit == "percentage":
            bad(
                "denominator",
                f"the denominator is missing, and {ind_code} is a percentage",
                "the number in the group, above 0",
            )
        if (
            unit == "percentage"
            and numerator is not None
            and denominator is not None
            and numerator > denominator
        ):
            bad(
                "numerator",
                f"the numerator {numerator:g} is above the denominator "
                f"{denominator:g} for a percentage",
                "a numerator no larger than the denominator",
            )

        status = v["status"]
        status = layout.DEFAULT_STATUS if status is None else str(status).strip().lower()
        if status not in layout.STATUSES:
            bad("status", f"'{v['status']}' is not a status", "provisional or final")

        if ind_code and area_code and period and not problems:
            key = (ind_code, area_code, period)
            if key in seen:
                bad(
                    "indicator_code",
                    f"this row repeats row {seen[key]} ({ind_code}, "
                    f"{area_names[area_code]} ({area_code}), {period})",
                    "each indicator, area and period once",
                )
            else:
                seen[key] = r
        out.problems.extend(problems)
        if problems:
            continue
        multiplier = float(ind["multiplier"])
        value = (
            value_from_parts(numerator, denominator, unit, multiplier)
            if (unit == "count" or denominator is not None)
            else None
        )
        value = None if value is None or math.isnan(value) else round(float(value), VALUE_DECIMALS)
        note = "" if v["note"] is None else str(v["note"]).strip()
        if len(note) > NOTE_LIMIT:
            out.warnings.append(
                Problem(
                    ref("note", r),
                    f"the note is {len(note):,} characters long and only its first "
                    f"{NOTE_LIMIT:,} would be kept",
                    f"a note of at most {NOTE_LIMIT:,} characters",
                    severity=WARNING,
                )
            )
        records.append(
            {
                "row": r,
                "indicator_code": ind_code,
                "area_code": area_code,
                "period_label": period,
                "numerator": numerator,
                "denominator": denominator,
                "value": value,
                "status": status,
                "note": note[:NOTE_LIMIT],
                "indicator_title": ind["title"],
                "area_name": area_names[area_code],
                "unit": layout.unit_label(unit, multiplier),
                "multiplier": multiplier,
                "lead_org_code": ind["lead_org_code"],
            }
        )
    if records:
        out.rows = pd.DataFrame(records, columns=ROW_COLUMNS)
    if not records and not out.problems and not parsed.problems:
        where = ref("numerator", layout.FIRST_DATA_ROW)
        out.problems.append(
            Problem(
                where,
                "the return holds no figures (every numerator is empty)",
                "at least one row with a numerator",
            )
        )
    return out
