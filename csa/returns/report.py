"""Plain-text and tabular reports of a preview or a rejection (for the CLI and the page)."""

from __future__ import annotations

import pandas as pd

from csa.returns.preview import Preview
from csa.returns.problems import Problem

CHANGE_ORDER = {"changed": 0, "new": 1, "unchanged": 2}


def problem_lines(problems: list[Problem]) -> list[str]:
    """``sheet!cell: what is wrong, expected what`` one per problem, in sheet/row order."""
    return [str(p) for p in problems]


def _fmt(v) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    f = float(v)
    return f"{int(f):,}" if f.is_integer() else f"{f:,.2f}"


def changes_table(preview: Preview, include_unchanged: bool = False) -> pd.DataFrame:
    """One row per figure: change, indicator, area, period, old -> new values and the cell."""
    rows = preview.rows if include_unchanged else preview.changes
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "Change",
                "Indicator",
                "Area",
                "Period",
                "Old value",
                "New value",
                "Numerator",
                "Denominator",
                "Status",
                "Data",
                "Row",
            ]
        )
    out = pd.DataFrame(
        {
            "Change": rows["change"],
            "Indicator": rows["indicator_code"] + " " + rows["indicator_title"].astype(str),
            "Area": [
                area_label(n, c) for n, c in zip(rows["area_name"], rows["area_code"], strict=True)
            ],
            "Period": rows["period_label"],
            "Old value": [_old(r) for r in rows.itertuples(index=False)],
            "New value": [_fmt(v) for v in rows["value"]],
            "Numerator": [
                _arrow(o, n) for o, n in zip(rows["old_numerator"], rows["numerator"], strict=True)
            ],
            "Denominator": [
                _arrow(o, n)
                for o, n in zip(rows["old_denominator"], rows["denominator"], strict=True)
            ],
            "Status": [
                _arrow(o, n, text=True)
                for o, n in zip(rows["old_status"], rows["status"], strict=True)
            ],
            "Data": [_kind(r) for r in rows.itertuples(index=False)],
            "Row": rows["row"].astype(int),
        }
    )
    out["_order"] = out["Change"].map(CHANGE_ORDER)
    return out.sort_values(["_order", "Row"]).drop(columns="_order").reset_index(drop=True)


def area_label(name, code) -> str:
    """``"Ribble Valley (E07000124)"``: every message names an area by name and code."""
    name = "" if name is None or (not isinstance(name, str) and pd.isna(name)) else str(name)
    return f"{name} ({code})" if name and name != code else str(code)


def _kind(rec) -> str:
    """``"demo → real"`` when a real figure replaces a demo one, else the kind written."""
    new = getattr(rec, "data_kind", "real")
    old = getattr(rec, "old_data_kind", None)
    if rec.change != "new" and isinstance(old, str) and old and old != new:
        return f"{old} → {new}"
    return str(new)


def _old(rec) -> str:
    if rec.change == "new":
        return "(none)"
    return _fmt(rec.old_value)


def _arrow(old, new, text: bool = False) -> str:
    show = (
        (lambda v: "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v))
        if text
        else _fmt
    )
    a, b = show(old), show(new)
    return b if a == b or a == "" else f"{a} → {b}"


def preview_lines(preview: Preview, verbose: bool = False) -> list[str]:
    """The preview as lines of text (the CLI prints these)."""
    c = preview.counts
    lines = [
        f"{preview.file_name} (sha256 {preview.sha256[:12]}…, {preview.size:,} bytes)",
        f"Periods: {', '.join(preview.periods)}; organisations: {', '.join(preview.org_codes)}",
        f"{c['new']} new, {c['changed']} changed"
        + (f" ({preview.demo_to_real} demo -> real)" if preview.demo_to_real else "")
        + f", {c['unchanged']} unchanged"
        + (f"; {len(preview.skipped_rows)} empty row(s) skipped" if preview.skipped_rows else ""),
    ]
    if preview.duplicate_of is not None:
        d = preview.duplicate_of
        lines.append(
            f"This file was already imported as upload #{d['id']} by "
            f"{d['user_email']} on {pd.Timestamp(d['created_at']):%d %b %Y %H:%M}; "
            "importing it again changes nothing."
        )
    table = changes_table(preview, include_unchanged=verbose)
    for r in table.to_dict("records"):
        lines.append(
            f"  {r['Change']:<9} row {r['Row']:<5} {r['Indicator'][:40]:<40} "
            f"{r['Area'][:34]:<34} {r['Period']}  {r['Old value'] or '-'} -> "
            f"{r['New value'] or '-'}" + (f"  ({r['Data']})" if "→" in r["Data"] else "")
        )
    if preview.warnings:
        lines.append(f"{len(preview.warnings)} warning(s) to check:")
        lines += [f"  {w}" for w in preview.warnings]
    return lines
