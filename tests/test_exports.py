"""Exports never carry formulas from text, and open back with the same figures."""

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from csa.exports import csv_bytes, excel_bytes, neutralise


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
