"""Exports never carry formulas from text, and open back with the same figures."""

import io
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from csa.exports import csv_bytes, excel_bytes, neutralise

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1234", "'+44 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Burnley", "Burnley"),
        (-3.5, -3.5),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_excel_round_trip_keeps_numbers_and_defuses_text():
    df = pd.DataFrame({"area": ["Burnley", "=cmd|' /C calc'!A0"], "value": [12.5, -3.0]})
    wb = load_workbook(io.BytesIO(excel_bytes({"Figures": df}, notes={"Figures": "DEMO DATA"})))
    ws = wb["Figures"]
    assert ws["A1"].value == "DEMO DATA"
    assert [c.value for c in ws[3]] == ["area", "value"]
    assert [c.value for c in ws[4]] == ["Burnley", 12.5]
    assert ws["A5"].value == "'=cmd|' /C calc'!A0"
    assert ws["A5"].data_type == "s"
    assert ws["B5"].value == -3.0


def test_csv_defuses_text():
    text = csv_bytes(pd.DataFrame({"note": ["=1+1", "ok"]})).decode("utf-8-sig")
    assert text.splitlines() == ["note", "'=1+1", "ok"]


# -- tables shown with st.dataframe (its toolbar downloads them as CSV) ------------------------
PARTNER_TEXT_PAGES = sorted(
    [
        *(ROOT / "pages" / "returns").glob("*.py"),
        *(ROOT / "pages" / "admin").glob("*.py"),
        *(ROOT / "pages" / "plans").glob("*.py"),
        ROOT / "ui" / "plan_views.py",
    ]
)


def _unsafe_dataframe_calls(path):
    import ast

    calls = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "dataframe"
        ):
            first = node.args[0] if node.args else None
            safe = (
                isinstance(first, ast.Call)
                and getattr(first.func, "id", getattr(first.func, "attr", "")) == "safe_frame"
            )
            if not safe:
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return calls


@pytest.mark.parametrize("path", PARTNER_TEXT_PAGES, ids=lambda p: p.name)
def test_tables_showing_partner_text_are_neutralised_before_st_dataframe(path):
    assert _unsafe_dataframe_calls(path) == []
