"""Open an uploaded workbook safely, whatever bytes arrive.

Before openpyxl sees a file, :func:`check_container` looks at the raw bytes and the zip
directory, and refuses with one clear problem:

* an empty file, or one larger than ``upload_max_mb``;
* something that is not a zip at all: a CSV or text file, a PDF, an image, or an OLE2
  compound file, which is either a password-protected (encrypted) workbook or an old
  Excel 97-2003 ``.xls``;
* a damaged zip, an encrypted zip, or one using compression other than deflate;
* a zip bomb: total uncompressed size above ``upload_max_uncompressed_mb``, or a ratio of
  uncompressed to compressed size above ``upload_max_compression_ratio``. Python's
  ``zipfile`` stops reading each member at its declared size (and fails on the checksum),
  so the declared sizes checked here bound what openpyxl can inflate;
* a zip that is another kind of document (Word, PowerPoint, OpenDocument, ``.xlsb``);
* a workbook with macros (``vbaProject.bin``, macro sheets, ActiveX, a macro-enabled
  content type);
* an XML part declaring a DOCTYPE or entities (no workbook needs them; entity expansion is
  the "billion laughs" attack). openpyxl also parses through ``defusedxml``.

:func:`open_workbook` then loads it with ``read_only=True`` (streamed) and, by default,
``data_only=True`` (cached values, never formulas evaluated by us).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import openpyxl

from csa.returns.problems import Problem

MAX_MEMBERS = 2000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")
EXPECTED = "an .xlsx workbook made from the return template"


@dataclass(frozen=True)
class Limits:
    """Size limits for uploads, from the settings of the same names."""

    max_bytes: int
    max_uncompressed_bytes: int
    max_ratio: float

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Limits:
        mb = 1024 * 1024
        return cls(
            max_bytes=int(float(settings["upload_max_mb"]) * mb),
            max_uncompressed_bytes=int(float(settings["upload_max_uncompressed_mb"]) * mb),
            max_ratio=float(settings["upload_max_compression_ratio"]),
        )


def _file_problem(what: str, expected: str = EXPECTED) -> Problem:
    return Problem("file", what, expected)


def sniff(content: bytes) -> str:
    """A short description of what non-zip bytes look like, for the error message."""
    head = content[:2048]
    if head.startswith(OLE2_MAGIC):
        # an encrypted .xlsx is an OLE2 file with EncryptionInfo and EncryptedPackage streams;
        # the directory can sit anywhere, so search all of it (the size limit applies first)
        if ENCRYPTION_MARK in content or "EncryptedPackage".encode("utf-16-le") in content:
            return "a password-protected (encrypted) workbook"
        return "an old Excel 97-2003 .xls file (or another OLE2 document)"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    if head.lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "a web page (HTML) renamed to .xlsx"
    if head.lstrip().startswith(b"<?xml"):
        return "an XML file (perhaps an Excel 2003 XML spreadsheet) renamed to .xlsx"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = head.decode("utf-16")
        except UnicodeDecodeError:
            return "not a workbook (unrecognised binary data)"
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    if text and printable / len(text) > 0.95:
        if any(sep in text for sep in (",", ";", "\t")) and "\n" in text:
            return "a CSV or text file renamed to .xlsx"
        return "a text file renamed to .xlsx"
    return "not a workbook (unrecognised binary data)"


def check_container(content: bytes, limits: Limits) -> list[Problem]:
    """Problems with the file as a container (empty list when it is safe to open).

    Only the first problem found is reported: the rest cannot be trusted until it is fixed.
    """
    size = len(content)
    if size == 0:
        return [_file_problem("the file is empty (0 bytes)")]
    if size > limits.max_bytes:
        return [
            _file_problem(
                f"the file is {size / 1048576:.1f} MB", f"at most {limits.max_bytes / 1048576:g} MB"
            )
        ]
    if not content.startswith(b"PK\x03\x04"):
        kind = sniff(content)
        if "password" in kind:
            return [
                _file_problem(
                    f"this is {kind}",
                    "an unprotected .xlsx (remove the password "
                    "in Excel: File > Info > Protect Workbook)",
                )
            ]
        return [_file_problem(f"this is {kind}", EXPECTED + " (save it as .xlsx)")]
    try:
        zf = zipfile.ZipFile(io.BytesIO(content))
        infos = zf.infolist()
    except Exception:  # untrusted bytes: any failure to read the zip directory is damage
        return [
            _file_problem(
                "the file is damaged (not a complete .xlsx/zip file)",
                EXPECTED + " that opens in Excel",
            )
        ]
    with zf:
        try:
            return _check_members(zf, infos, size, limits)
        except Exception:  # e.g. zlib.error, bad CRC, truncated member
            return [
                _file_problem(
                    "the file is damaged (a part of it cannot be read)",
                    EXPECTED + " that opens in Excel",
                )
            ]


def _check_members(
    zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], size: int, limits: Limits
) -> list[Problem]:
    if len(infos) > MAX_MEMBERS:
        return [
            _file_problem(
                f"the file holds {len(infos)} parts", f"a workbook of at most {MAX_MEMBERS} parts"
            )
        ]
    if any(i.flag_bits & 0x1 for i in infos):
        return [_file_problem("the file is password-protected (encrypted)", "an unprotected .xlsx")]
    odd = sorted({i.compress_type for i in infos} - {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
    if odd:
        return [
            _file_problem(
                f"the file uses an unusual compression method ({odd[0]})",
                "an .xlsx saved by Excel (deflate compression)",
            )
        ]
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        return [
            _file_problem(
                f"the file would expand to {total / 1048576:.1f} MB (a possible zip bomb)",
                f"at most {limits.max_uncompressed_bytes / 1048576:g} MB uncompressed",
            )
        ]
    ratio = total / max(size, 1)
    if ratio > limits.max_ratio:
        return [
            _file_problem(
                f"the file expands {ratio:.0f} times its size (a possible zip bomb)",
                f"a compression ratio of at most {limits.max_ratio:g}",
            )
        ]
    names = {i.filename for i in infos}
    lower = {n.lower() for n in names}
    kind = _other_document(lower)
    if kind:
        return [_file_problem(f"this is {kind}", EXPECTED)]
    if "[content_types].xml" not in lower or "xl/workbook.xml" not in lower:
        return [_file_problem("this is a zip archive but not an Excel workbook", EXPECTED)]
    if any(
        n.endswith("vbaproject.bin") or n.startswith(("xl/macrosheets/", "xl/activex/"))
        for n in lower
    ):
        return [
            _file_problem(
                "the workbook contains macros",
                "an .xlsx without macros (save it as 'Excel Workbook')",
            )
        ]
    try:
        types = _read_member(zf, "[Content_Types].xml", limit=1_000_000)
        if b"macroenabled" in types.lower():
            return [
                _file_problem(
                    "the workbook is macro-enabled (.xlsm)",
                    "an .xlsx without macros (save it as 'Excel Workbook')",
                )
            ]
        for info in infos:
            if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                head = _read_member(zf, info.filename, limit=4096)
                if _declares_dtd(head):
                    return [
                        _file_problem(
                            f"part {info.filename} declares a DOCTYPE or entities",
                            EXPECTED + " (no workbook needs them)",
                        )
                    ]
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, KeyError):
        return [
            _file_problem(
                "the file is damaged (a part of it cannot be read)",
                EXPECTED + " that opens in Excel",
            )
        ]
    return []


def _other_document(lower_names: set[str]) -> str | None:
    if "xl/workbook.bin" in lower_names:
        return "an Excel binary workbook (.xlsb)"
    if "word/document.xml" in lower_names:
        return "a Word document"
    if "ppt/presentation.xml" in lower_names:
        return "a PowerPoint presentation"
    if "mimetype" in lower_names and "content.xml" in lower_names:
        return "an OpenDocument file (.ods)"
    return None


def _read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    real = next(i for i in zf.infolist() if i.filename.lower() == name.lower())
    with zf.open(real) as fh:
        return fh.read(limit)


def _declares_dtd(head: bytes) -> bool:
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        for mark in ("<!DOCTYPE", "<!ENTITY"):
            if mark.encode(encoding) in head:
                return True
    return False


@contextmanager
def open_workbook(content: bytes, data_only: bool = True) -> Iterator[Any]:
    """The workbook, streamed (``read_only=True``); closed when the block ends.

    Call :func:`check_container` first. Raises whatever openpyxl raises for a workbook it
    cannot read; :func:`csa.returns.parse.parse_workbook` turns that into a problem.
    """
    wb = openpyxl.load_workbook(
        io.BytesIO(content), read_only=True, data_only=data_only, keep_links=False, keep_vba=False
    )
    try:
        yield wb
    finally:
        wb.close()


def sheet_part(wb: Any, sheet_name: str) -> str | None:
    """The zip path of a worksheet in a read-only workbook (for the merged-cell scan)."""
    ws = wb[sheet_name]
    return getattr(ws, "_worksheet_path", None)


def merged_ranges(content: bytes, part: str) -> list[str]:
    """The ``ref`` of every ``<mergeCell>`` in one worksheet part, parsed with defusedxml."""
    from defusedxml.ElementTree import iterparse

    refs = []
    with zipfile.ZipFile(io.BytesIO(content)) as zf, zf.open(part.lstrip("/")) as fh:
        for _event, elem in iterparse(fh, events=("end",)):
            if elem.tag.endswith("}mergeCell") or elem.tag == "mergeCell":
                refs.append(elem.get("ref", ""))
            elem.clear()
    return refs


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*ref="([^"]*)"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_LAST_ROW = re.compile(r"(\d+)$")


def worksheet_parts(content: bytes) -> dict[str, str]:
    """Sheet name -> zip path of each worksheet, from workbook.xml and its relationships
    (both small; parsed with defusedxml)."""
    from defusedxml.ElementTree import fromstring

    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        names = {n.lower(): n for n in zf.namelist()}
        book = fromstring(zf.read(names["xl/workbook.xml"]))
        rels_name = names.get("xl/_rels/workbook.xml.rels")
        rels = fromstring(zf.read(rels_name)) if rels_name else None
    targets = {}
    for rel in rels.iter() if rels is not None else ():
        if rel.get("Id") and rel.get("Target"):
            target = rel.get("Target").lstrip("/")
            targets[rel.get("Id")] = target if target.startswith("xl/") else "xl/" + target
    parts = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                parts[sheet.get("name", "")] = targets[rid]
    return parts


def check_sheet_size(content: bytes, sheet: str, max_rows: int, expected: str) -> list[Problem]:
    """Refuse a worksheet with more than ``max_rows`` rows before any cell is parsed: from
    its declared ``<dimension ref=...>``, then by counting ``<row`` tags while streaming the
    part (no XML parsing), so a tiny file claiming a million rows is refused at once."""
    part = worksheet_parts(content).get(sheet)
    if part is None:
        return []  # a missing sheet is reported by the structure checks
    count, tail = 0, b""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        real = next((n for n in zf.namelist() if n.lower() == part.lower()), None)
        if real is None:
            return []
        with zf.open(real) as fh:
            head = fh.read(4096)
            found = _DIMENSION.search(head)
            if found:
                ref = found.group(1).decode("ascii", "replace")
                last = _LAST_ROW.search(ref.split(":")[-1])
                if last and int(last.group(1)) > max_rows:
                    return [
                        Problem(
                            sheet,
                            f"the sheet reaches row {int(last.group(1)):,} (dimension {ref})",
                            expected,
                        )
                    ]
            chunk = head
            while chunk:
                data = tail + chunk
                count += len(_ROW_TAG.findall(data)) - len(_ROW_TAG.findall(tail))
                tail = data[-16:]
                chunk = fh.read(1 << 20)
    if count > max_rows:
        return [Problem(sheet, f"the sheet holds {count:,} rows", expected)]
    return []
