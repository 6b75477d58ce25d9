"""The one number formatter: every page, the board pack (Word and Excel), CSV downloads, plan
text and the reasons use these functions, so a figure reads the same everywhere.

Rules
-----
* **Counts** are whole numbers with thousands separators (``1,234``). A figure *derived*
  from counts that is not whole (a target of 12.5, an average of 7.25) keeps one decimal
  place (``12.5``, ``7.3``), never two, never rounded to a misleading whole number.
* **Percentages** have one decimal place and a ``%`` sign (``36.2%``).
* **Rates** (per 1,000 or per 100,000) have one decimal place from 10 upwards and two
  significant figures below it (``81.8``, ``4.3``, ``0.012``), with thousands separators.
* **Differences**: a change or gap between two percentages is in **percentage points**
  (``2.8 percentage points``); a change or gap between counts or rates is a **relative %**
  of the reference (``25.9%``). :func:`difference` chooses.
* Missing: ``–`` (an en dash) where a figure is absent.

Excel number formats (:data:`EXCEL_FORMATS`) follow the same rules, so a spreadsheet shows
what the page shows while keeping the number itself.
"""

from __future__ import annotations

import math

MISSING = "–"

#: openpyxl number formats by unit, matching :func:`figure`.
EXCEL_FORMATS = {"count": "#,##0", "percentage": '0.0"%"', "rate": "#,##0.0##"}


def _finite(x) -> float | None:
    if x is None or isinstance(x, bool):
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _rate(value: float) -> str:
    if abs(value) >= 10 or value == 0:
        return f"{value:,.1f}"
    digits = max(1, 1 - math.floor(math.log10(abs(value))))  # two significant figures
    return f"{value:,.{digits}f}"


def figure(x, unit: str = "count") -> str:
    """A figure as people read it, by the indicator's unit (see the module rules)."""
    value = _finite(x)
    if value is None:
        return MISSING
    if unit == "percentage":
        return f"{value:,.1f}%"
    if unit == "rate":
        return _rate(value)
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def count(x) -> str:
    """A whole count (a numerator, a number of records): ``1,234``."""
    value = _finite(x)
    return MISSING if value is None else f"{round(value):,d}"


def or_why(why, show, *columns) -> list[str]:
    """Each row as ``show(*its values in columns)`` shows it, or, where ``why`` has words (why
    the figure is hidden from this viewer, e.g. "fewer than 5"), those words instead: a
    hidden figure is never worked out, so nothing of it can leak into its cell."""
    return [w or show(*values) for w, *values in zip(why, *columns, strict=True)]


def counts_or_why(why, values) -> list[str]:
    """Each count as :func:`count` shows it, or, where ``why`` has words, those words."""
    return or_why(why, count, values)


def unit_label(unit: str, multiplier) -> str:
    """What the figures of an indicator are: ``count``, ``%`` or ``per 1,000``."""
    if unit == "percentage":
        return "%"
    if unit == "rate":
        return f"per {int(multiplier):,}"
    return "count"


def interval(lower, upper, unit: str = "count") -> str:
    """A confidence interval, ``12.1 to 15.3``; ``–`` when either limit is missing."""
    lo, hi = _finite(lower), _finite(upper)
    if lo is None or hi is None:
        return MISSING
    return f"{figure(lo, unit)} to {figure(hi, unit)}"


def difference(value, reference, unit: str = "count") -> str:
    """The size of ``value - reference`` without its sign: percentage points between
    percentages, a relative % of ``reference`` otherwise (its absolute size when the
    reference is 0). ``–`` when either is missing."""
    v, r = _finite(value), _finite(reference)
    if v is None or r is None:
        return MISSING
    gap = abs(v - r)
    if unit == "percentage":
        return f"{gap:,.1f} percentage point" + ("" if round(gap, 1) == 1 else "s")
    if r == 0:
        return figure(gap, unit)
    return f"{gap / abs(r) * 100:,.1f}%"


def share(part: float, whole: float) -> str:
    """``part`` as a % of ``whole`` (one decimal), for shares that add up to 100%."""
    p, w = _finite(part), _finite(whole)
    if p is None or w is None or w == 0:
        return MISSING
    return f"{p / w * 100:,.1f}%"
