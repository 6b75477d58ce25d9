"""The source register: where every bundled data file, and so every figure, comes from.

``data/sources.csv`` holds one row per source (publisher, title, licence, link, how and when
it was extracted, the files in ``data/`` built from it). :func:`read_sources` reads and checks
it; :func:`sources_for` says which sources an indicator's figures come from, so a page can link
each figure to its source on the About page (anchor ``source-<id>``).

Pure: no Streamlit.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

SOURCES_FILE = "sources.csv"
COLUMNS = ["id", "name", "publisher", "title", "licence", "url", "extracted", "files", "notes"]
#: Columns that may not be blank (a field nobody knows says "not stated in the source").
REQUIRED = ["id", "name", "publisher", "title", "licence", "url", "extracted", "files"]
NOT_STATED = "not stated in the source"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

#: Files in data/ that are not figures from a source: the register and the provenance notes
#: themselves, and the area lookup, a helper derived from Table C2's CSP-to-LA columns and the
#: ONS boundaries (both registered) with policing areas from the project brief.
NOT_SOURCED = {
    "sources.csv": "the source register itself",
    "PROVENANCE.md": "the provenance notes",
    "lancashire_areas_lookup.csv": "helper derived from Table C2 and the ONS boundaries "
    "(both registered); policing areas from the project brief",
}

#: Which sources an indicator's figures come from, by code (exact, or a prefix ending "-"):
#: the count, then the population its rate is divided by. First match wins.
INDICATOR_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("ASB-01", ("police-uk", "ons-mye-lancashire")),
    ("PUK-", ("police-uk", "ons-mye-lancashire")),
    ("REC-", ("ho-prc-c2", "ons-mye-lancashire")),
]
#: An indicator no rule names and whose figures are demo: the synthetic values.
SYNTHETIC = "synthetic"


class SourcesError(ValueError):
    """The source register is malformed; the message names the file, row and column."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    publisher: str
    title: str
    licence: str
    url: str
    extracted: str
    files: tuple[str, ...]
    notes: str

    @property
    def anchor(self) -> str:
        return anchor(self.id)

    @property
    def has_link(self) -> bool:
        return self.url.startswith(("https://", "http://"))


def anchor(source_id: str) -> str:
    """The About page's anchor for a source."""
    return f"source-{source_id}"


def about_href(source_id: str) -> str:
    """A link to a source on the About page, relative to the current page (so it works
    under any base path). Streamlit opens it in a new tab and scrolls to the heading."""
    return f"about#{anchor(source_id)}"


def read_sources(data_dir: Path) -> list[Source]:
    """Every source in ``data_dir/sources.csv``, in file order, checked."""
    path = Path(data_dir) / SOURCES_FILE
    where = path.name
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in COLUMNS if c not in header]
            if missing:
                raise SourcesError(f"{where}: missing column(s) {', '.join(missing)}")
            extra = [c for c in header if c not in COLUMNS]
            if extra:
                raise SourcesError(f"{where}: unknown column(s) {', '.join(extra)}")
            rows = list(reader)
    except FileNotFoundError as e:
        raise SourcesError(f"{where}: not found in {path.parent}") from e
    sources, seen = [], {}
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        if None in row:
            raise SourcesError(f"{where}, row {line}: more fields than columns")
        values = {c: (row.get(c) or "").strip() for c in COLUMNS}
        for column in REQUIRED:
            if not values[column]:
                raise SourcesError(
                    f"{where}, row {line}, column {column}: blank (write "
                    f"'{NOT_STATED}' if the source does not say)"
                )
        if not _ID.match(values["id"]):
            raise SourcesError(
                f"{where}, row {line}, column id: {values['id']!r} is not a lower-case "
                "id of letters, digits and hyphens"
            )
        if values["id"] in seen:
            raise SourcesError(
                f"{where}, row {line}, column id: {values['id']!r} repeats row {seen[values['id']]}"
            )
        seen[values["id"]] = line
        url = values["url"]
        if url != NOT_STATED and not url.startswith(("https://", "http://")):
            raise SourcesError(
                f"{where}, row {line}, column url: {url!r} is neither a web address nor "
                f"'{NOT_STATED}'"
            )
        files = tuple(f.strip() for f in values["files"].split(";") if f.strip())
        if not files:
            raise SourcesError(f"{where}, row {line}, column files: no file named")
        sources.append(Source(**(values | {"files": files})))
    return sources


def by_id(sources: list[Source]) -> dict[str, Source]:
    return {s.id: s for s in sources}


def sources_for(code: str, data_kind: str) -> list[str]:
    """The ids of the sources an indicator's figures come from ([] when none is known: an
    indicator an analyst added whose figures come from partners' returns)."""
    for pattern, ids in INDICATOR_RULES:
        if code == pattern or (pattern.endswith("-") and code.startswith(pattern)):
            return list(ids)
    return [SYNTHETIC] if data_kind == "demo" else []


def unregistered_files(data_dir: Path, sources: list[Source]) -> list[str]:
    """Files in ``data_dir`` that no source lists and that are not in :data:`NOT_SOURCED`."""
    listed = {f for s in sources for f in s.files}
    return sorted(
        p.name
        for p in Path(data_dir).iterdir()
        if p.is_file()
        and not p.name.startswith(".")
        and not _is_database(p.name)
        and p.name not in listed
        and p.name not in NOT_SOURCED
    )


def _is_database(name: str) -> bool:
    """The app's own SQLite database and its journals (kept in data/ by default)."""
    return name.endswith((".db", ".sqlite")) or ".db-" in name


def missing_files(data_dir: Path, sources: list[Source]) -> list[tuple[str, str]]:
    """(source id, file) for every file a source lists that is not in ``data_dir``."""
    return [(s.id, f) for s in sources for f in s.files if not (Path(data_dir) / f).is_file()]
