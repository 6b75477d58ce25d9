"""From uploaded bytes to a preview: what would change, and what needs a second look.

:func:`analyse_file` runs the safe container checks, parses and validates, and never raises
for a bad file. :func:`build_preview` compares every valid row with the current figures
(new, changed with old and new values, unchanged; a real figure over a demo one with the
same numbers is changed, demo -> real), adds plausibility warnings, records the revision
each figure is at (the *basis* the commit will check has not moved), and notices a file
already imported. A file with errors is rejected there, with every error and every warning
in the one report. Neither writes anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from csa.returns.parse import parse_workbook
from csa.returns.plausibility import implausible
from csa.returns.problems import Problem, ReturnRejected
from csa.returns.reference import Reference
from csa.returns.safe_open import Limits, check_container
from csa.returns.validate import ROW_COLUMNS, validate

KEY = ["indicator_code", "area_code", "period_label"]
#: The kind of every figure a return brings (a partner's own figures, never demo).
REAL = "real"


@dataclass
class Analysis:
    """A file after the container, structure and row checks."""

    file_name: str
    sha256: str
    size: int
    rows: pd.DataFrame
    errors: list[Problem] = field(default_factory=list)
    org_codes: set[str] = field(default_factory=set)
    skipped_rows: list[int] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    #: Cells to look at again though valid (formulas, cut notes), shown with the preview.
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Preview:
    """What confirming this file would do. ``basis`` maps each figure key
    (``"DA-01|E07000117|2026-27 Q2"``) to the revision it is at now (0: none yet)."""

    file_name: str
    sha256: str
    size: int
    rows: pd.DataFrame
    warnings: list[Problem]
    basis: dict[str, int]
    org_codes: list[str]
    skipped_rows: list[int]
    duplicate_of: dict | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        c = self.rows["change"].value_counts().to_dict() if not self.rows.empty else {}
        return {k: int(c.get(k, 0)) for k in ("new", "changed", "unchanged")}

    @property
    def demo_to_real(self) -> int:
        """How many changed figures replace a demo figure (demo -> real)."""
        if self.rows.empty or "old_data_kind" not in self.rows:
            return 0
        changed = self.rows[self.rows["change"] == "changed"]
        return int((changed["old_data_kind"] == "demo").sum())

    @property
    def changes(self) -> pd.DataFrame:
        """The rows that would be written (new or changed)."""
        return self.rows[self.rows["change"] != "unchanged"]

    @property
    def periods(self) -> list[str]:
        return sorted(self.rows["period_label"].unique()) if not self.rows.empty else []


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def analyse_file(content: bytes, file_name: str, ref: Reference, limits: Limits) -> Analysis:
    """Check a file completely; every error is collected, nothing is raised or written."""
    content = bytes(content or b"")
    out = Analysis(
        file_name=file_name,
        sha256=sha256_of(content),
        size=len(content),
        rows=pd.DataFrame(columns=ROW_COLUMNS),
    )
    container = check_container(content, limits)
    if container:
        out.errors = container
        return out
    parsed = parse_workbook(content)
    out.meta = parsed.meta
    out.errors = list(parsed.problems)
    if parsed.fatal:
        return out
    checked = validate(parsed, ref)
    out.errors += checked.problems
    out.warnings = sorted(
        parsed.warnings + checked.warnings, key=lambda p: (_row_of(p.where), p.where)
    )
    out.rows = checked.rows
    out.org_codes = checked.org_codes
    out.skipped_rows = checked.skipped_rows
    return out


def _row_of(where: str) -> int:
    digits = "".join(ch for ch in where.rsplit("!", 1)[-1] if ch.isdigit())
    return int(digits) if digits else 0


def build_preview(db, analysis: Analysis, ref: Reference) -> Preview:
    """Compare a file's rows against the current figures (reads only).

    Every figure sent is real from the moment it arrives: a figure equal to a *demo* figure
    held now is ``changed`` (demo -> real), not unchanged.

    Raises
    ------
    ReturnRejected
        When the file has errors. Its ``warnings`` hold the warnings for the rows that
        passed (formulas, cut notes, implausible values), so errors and warnings are
        reported together.
    """
    if analysis.rows.empty:
        if analysis.errors:
            raise ReturnRejected(analysis.file_name, analysis.errors, analysis.warnings)
    rows = analysis.rows.copy()
    rows["data_kind"] = REAL
    with db.reading() as conn:
        diff = db.diff_against_current(conn, rows[[*ROW_COLUMNS, "data_kind"]])
        basis = db.revision_basis(conn, rows[KEY]) if not analysis.errors else {}
    diff = diff.sort_values("row").reset_index(drop=True)
    to_write = diff[diff["change"] != "unchanged"]
    warnings: list[Problem] = list(analysis.warnings)
    if not to_write.empty:
        history = db.observations(
            indicator_codes=sorted(to_write["indicator_code"].unique()),
            area_codes=sorted(to_write["area_code"].unique()),
        )
        starts = pd.Series(
            pd.to_datetime(ref.periods["start_date"]).to_numpy(), index=ref.periods.index
        )
        warnings += implausible(to_write, history, starts)
    warnings.sort(key=lambda p: (_row_of(p.where), p.where))
    if analysis.errors:
        raise ReturnRejected(analysis.file_name, analysis.errors, warnings)
    return Preview(
        file_name=analysis.file_name,
        sha256=analysis.sha256,
        size=analysis.size,
        rows=diff,
        warnings=warnings,
        basis=basis,
        org_codes=sorted(analysis.org_codes),
        skipped_rows=analysis.skipped_rows,
        duplicate_of=db.committed_upload_with_sha(analysis.sha256),
        meta=analysis.meta,
    )
