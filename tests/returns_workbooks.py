"""Helpers that build and mangle return workbooks for the returns tests."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date

import openpyxl

from csa import config as csa_config
from csa.access import Actor

TODAY = date(2026, 11, 21)  # open periods: 2026-27 Q1 and Q2
NEXT_QUARTER_DAY = date(2027, 1, 15)  # open periods: 2026-27 Q2 and Q3 (Q3 has no figures)
OFFICER = Actor("officer@lancashire.police.uk", "officer", "LANCS-POLICE")
LVRN_OFFICER = Actor("officer@lvrn.org.uk", "officer", "LVRN")
ANALYST = Actor("analyst@lancashire.gov.uk", "analyst", None)
ADMIN = Actor("admin@lancashire.gov.uk", "admin", None)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def settings(**overrides) -> dict:
    return csa_config.load() | overrides


def template(
    db, org: str = "LANCS-POLICE", period: str = "2026-27 Q2", today: date = TODAY
) -> bytes:
    from csa.returns import build_template

    return build_template(db, org, period, today=today, settings=settings())


def prefilled(
    db, org: str = "LANCS-POLICE", period: str = "2026-27 Q2", today: date = TODAY
) -> bytes:
    """The template with the figures held now for its period typed into the input cells.

    The template's input cells start empty (csa-return-2); this is an officer sending back
    the figures already held, e.g. as the start of a return that corrects a few of them.
    """
    return fill_in(db, template(db, org, period, today), period)


def fill_in(db, content: bytes, period: str = "2026-27 Q2") -> bytes:
    """Type the figures held now for ``period`` into the input cells of a template's rows
    (numerator, denominator, status), e.g. of a template the ``template`` command wrote."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["Return"]
    held = db.observations(period_labels=[period]).set_index(["indicator_code", "area_code"])
    for r in range(2, ws.max_row + 1):
        key = (ws[f"A{r}"].value, ws[f"D{r}"].value)
        if key[0] is None or key not in held.index:
            continue
        fig = held.loc[key]
        ws[f"I{r}"] = _whole(fig["numerator"])
        ws[f"J{r}"] = _whole(fig["denominator"])
        ws[f"K{r}"] = fig["status"]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _whole(v):
    if v is None or v != v:  # None or NaN
        return None
    f = float(v)
    return int(f) if f.is_integer() else f


def edit(
    content: bytes, changes: dict[str, object] | None = None, fn: Callable | None = None
) -> bytes:
    """Open with openpyxl (full mode), set ``{"I2": 5, ...}`` on Return, or run ``fn(wb)``."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb["Return"]
    for ref, value in (changes or {}).items():
        ws[ref] = value
    if fn is not None:
        fn(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cell(content: bytes, ref: str, sheet: str = "Return"):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    return wb[sheet][ref].value


def rows_of(content: bytes) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return list(wb["Return"].iter_rows(values_only=True))
    finally:
        wb.close()


def rezip(
    content: bytes,
    replace: dict[str, bytes] | None = None,
    add: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> bytes:
    """Copy the zip, replacing, adding or dropping members."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename in drop:
                continue
            data = replace.get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, data)
        for name, data in add.items():
            dst.writestr(name, data)
    return out.getvalue()


def sheet_xml(content: bytes, part: str = "xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return zf.read(part).decode("utf-8")


def set_formula(content: bytes, ref: str, formula: str, cached: str | None) -> bytes:
    """Make cell ``ref`` of the Return sheet a formula, with or without a cached value."""
    xml = sheet_xml(content)
    pattern = re.compile(rf'<c r="{ref}"([^>]*?)(/>|>.*?</c>)', re.S)
    attrs = re.sub(r'\s*t="[^"]*"', "", pattern.search(xml).group(1))
    value = f"<v>{cached}</v>" if cached is not None else ""
    xml = pattern.sub(f'<c r="{ref}"{attrs}><f>{formula}</f>{value}</c>', xml, count=1)
    return rezip(content, replace={"xl/worksheets/sheet1.xml": xml.encode("utf-8")})


def zip_flag_encrypted(content: bytes) -> bytes:
    """Set the 'encrypted' flag bit on every member (local and central headers)."""
    data = bytearray(content)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (i := data.find(sig, start)) != -1:
            data[i + offset] |= 0x1
            start = i + 4
    return bytes(data)
