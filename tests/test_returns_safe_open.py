"""Whatever bytes arrive, the container checks refuse unsafe or wrong files before parsing."""

import io
import zipfile

import pytest

from csa.returns.safe_open import Limits, check_container, sniff
from tests.returns_workbooks import rezip, template, zip_flag_encrypted

LIMITS = Limits(max_bytes=10 * 1048576, max_uncompressed_bytes=50 * 1048576, max_ratio=100)


def plain_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def only_problem(content: bytes, limits: Limits = LIMITS) -> str:
    problems = check_container(content, limits)
    assert len(problems) == 1, problems
    return str(problems[0])


@pytest.fixture(scope="module")
def good(sqlite_template):
    """A real template, from the seeded template database (read only)."""
    from csa.db import Database

    db = Database(f"sqlite:///{sqlite_template}")
    try:
        return template(db)
    finally:
        db.dispose()


def test_a_real_template_passes(good):
    assert check_container(good, LIMITS) == []


BYTES_CASES = [
    ("empty", b"", "file: the file is empty (0 bytes)"),
    (
        "csv",
        b"code,area,value\nDA-01,E07000117,5\n",
        "file: this is a CSV or text file renamed to .xlsx, expected an .xlsx workbook made from "
        "the return template (save it as .xlsx)",
    ),
    ("text", b"hello there", "file: this is a text file renamed to .xlsx"),
    ("utf16 csv", "a,b\n1,2\n".encode("utf-16"), "file: this is a CSV or text file"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3", "file: this is a PDF document"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00", "file: this is an image"),
    ("html", b"<!DOCTYPE html><html><body>x</body></html>", "file: this is a web page (HTML)"),
    ("xml 2003", b'<?xml version="1.0"?><Workbook/>', "file: this is an XML file"),
    (
        "old xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "file: this is an old Excel 97-2003 .xls file",
    ),
    (
        "encrypted",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600 + "EncryptionInfo".encode("utf-16-le"),
        "file: this is a password-protected (encrypted) workbook, expected an unprotected .xlsx",
    ),
    ("binary", bytes(range(256)) * 4, "file: this is not a workbook (unrecognised binary data)"),
    (
        "zip header only",
        b"PK\x03\x04" + b"\x00" * 100,
        "file: the file is damaged (not a complete .xlsx/zip file)",
    ),
]


@pytest.mark.parametrize("name, content, expected", BYTES_CASES, ids=[c[0] for c in BYTES_CASES])
def test_bytes_that_are_not_a_workbook(name, content, expected):
    assert only_problem(content).startswith(expected)


ZIP_CASES = [
    ("truncated", lambda g: g[: len(g) // 2], "file: the file is damaged"),
    (
        "macros",
        lambda g: rezip(g, add={"xl/vbaProject.bin": b"vba"}),
        "file: the workbook contains macros, expected an .xlsx without macros (save it as 'Excel "
        "Workbook')",
    ),
    (
        "macro sheet",
        lambda g: rezip(g, add={"xl/macrosheets/sheet1.xml": b"<x/>"}),
        "file: the workbook contains macros",
    ),
    (
        "activex",
        lambda g: rezip(g, add={"xl/activeX/activeX1.xml": b"<x/>"}),
        "file: the workbook contains macros",
    ),
    (
        "xlsm content type",
        lambda g: rezip(
            g,
            replace={
                "[Content_Types].xml": zipfile.ZipFile(io.BytesIO(g))
                .read("[Content_Types].xml")
                .replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
            },
        ),
        "file: the workbook is macro-enabled (.xlsm)",
    ),
    ("encrypted zip", zip_flag_encrypted, "file: the file is password-protected (encrypted)"),
    (
        "word",
        lambda g: plain_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
        "file: this is a Word document",
    ),
    (
        "powerpoint",
        lambda g: plain_zip({"ppt/presentation.xml": b"<p/>"}),
        "file: this is a PowerPoint presentation",
    ),
    (
        "ods",
        lambda g: plain_zip(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<c/>"}
        ),
        "file: this is an OpenDocument file",
    ),
    (
        "xlsb",
        lambda g: plain_zip({"[Content_Types].xml": b"<T/>", "xl/workbook.bin": b"\x00"}),
        "file: this is an Excel binary workbook (.xlsb)",
    ),
    (
        "plain zip",
        lambda g: plain_zip({"notes.txt": b"hello"}),
        "file: this is a zip archive but not an Excel workbook",
    ),
    (
        "doctype",
        lambda g: rezip(
            g,
            replace={
                "xl/workbook.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><workbook/>'
            },
        ),
        "file: part xl/workbook.xml declares a DOCTYPE or entities",
    ),
    ("bzip2 member", lambda g: _bzip2(g), "file: the file uses an unusual compression method"),
    (
        "zip bomb ratio",
        lambda g: rezip(g, add={"xl/media/zeros.bin": b"\x00" * 8_000_000}),
        "file: the file expands",
    ),
]


def _bzip2(good: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(good)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_BZIP2) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    return out.getvalue()


@pytest.mark.parametrize("name, make, expected", ZIP_CASES, ids=[c[0] for c in ZIP_CASES])
def test_zips_that_are_unsafe_or_not_a_return(good, name, make, expected):
    assert only_problem(make(good)).startswith(expected)


def test_size_limits_come_from_the_settings(good):
    small = Limits(max_bytes=len(good) - 1, max_uncompressed_bytes=50 * 1048576, max_ratio=100)
    assert only_problem(good, small) == (
        f"file: the file is {len(good) / 1048576:.1f} MB, expected at most "
        f"{small.max_bytes / 1048576:g} MB"
    )
    total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(good)).infolist())
    tight = Limits(max_bytes=10 * 1048576, max_uncompressed_bytes=total - 1, max_ratio=100)
    assert "would expand to" in only_problem(good, tight)
    ratio = Limits(max_bytes=10 * 1048576, max_uncompressed_bytes=50 * 1048576, max_ratio=1.5)
    assert only_problem(good, ratio).startswith("file: the file expands")


def test_declared_sizes_bound_what_zipfile_inflates(good):
    """A member that lies about its size cannot inflate past it: zipfile stops and fails."""
    lying = bytearray(plain_zip({"a.bin": b"\x00" * 100_000}))
    # set the declared uncompressed size (local header offset 22, central header 24) to 10
    for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = lying.find(sig)
        lying[i + off : i + off + 4] = (10).to_bytes(4, "little")
    with zipfile.ZipFile(io.BytesIO(bytes(lying))) as zf, zf.open("a.bin") as fh:
        with pytest.raises(zipfile.BadZipFile):
            fh.read()


def test_sniff_never_raises_on_any_prefix():
    for n in range(0, 40):
        assert isinstance(sniff(bytes(range(n))), str)
