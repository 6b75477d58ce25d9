"""Problems found in a return, and the errors that stop one.

Every problem names where it is (``sheet!cell``, or the file or workbook when it is not
in a cell), what is wrong, and what was expected, so that an officer can fix the file
without help: ``Return!I7: 'twelve' is not a number, expected a whole number of 0 or more``.
Errors reject the whole file (nothing is written); warnings are values that are valid but
look implausible, and must be acknowledged before the return is imported. A rejected file's
report lists its warnings too, so the officer sees everything in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a return.

    Parameters
    ----------
    where : str
        ``"Return!I7"`` for a cell, ``"Return"`` for a sheet, ``"workbook"`` or ``"file"``.
    what : str
        What is wrong, in plain words, quoting the value found.
    expected : str
        What was expected instead (without the word "expected").
    severity : {"error", "warning"}
    """

    where: str
    what: str
    expected: str
    severity: str = ERROR

    def __str__(self) -> str:
        return f"{self.where}: {self.what}, expected {self.expected}"

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def cell_ref(sheet: str, column: str, row: int) -> str:
    """``cell_ref("Return", "I", 7) -> "Return!I7"``; sheet names with spaces are quoted."""
    name = f"'{sheet}'" if any(c in sheet for c in " !-'") else sheet
    return f"{name}!{column}{row}"


class ReturnError(ValueError):
    """A return could not be previewed, imported or rolled back; ``problems`` says why."""

    def __init__(self, summary: str, problems: Iterable[Problem] = ()):
        self.problems = list(problems)
        self.summary = summary
        super().__init__(self.message)

    @property
    def message(self) -> str:
        lines = [self.summary, *(f"  {p}" for p in self.problems)]
        return "\n".join(lines)

    @property
    def lines(self) -> list[str]:
        """The problems one per line (the summary when there are none)."""
        return [str(p) for p in self.problems] or [self.summary]


class ReturnRejected(ReturnError):
    """The file has errors: nothing was (or will be) written.

    ``problems`` are the errors; ``warnings`` the doubtful values among the rows that
    passed, reported with them so that one report lists everything to look at (they need
    no acknowledging until the errors are fixed).
    """

    def __init__(
        self, file_name: str, problems: Iterable[Problem], warnings: Iterable[Problem] = ()
    ):
        problems = list(problems)
        self.warnings = list(warnings)
        n, w = len(problems), len(self.warnings)
        also = f" Also {w} warning{'s' if w != 1 else ''} to check." if w else ""
        super().__init__(
            f"{file_name} was rejected: {n} problem{'s' if n != 1 else ''} to fix; nothing "
            f"was written.{also}",
            problems,
        )
        self.file_name = file_name

    @property
    def message(self) -> str:
        lines = [self.summary, *(f"  {p}" for p in self.problems)]
        if self.warnings:
            lines += ["Warnings to check:", *(f"  {w}" for w in self.warnings)]
        return "\n".join(lines)

    @property
    def lines(self) -> list[str]:
        """Every error, then every warning (marked), one per line."""
        return [str(p) for p in self.problems] + [f"warning: {w}" for w in self.warnings]


class WarningsNotAcknowledged(ReturnError):
    """The file is valid but has warnings that the uploader has not acknowledged."""


class StaleReturn(ReturnError):
    """The figures changed between the preview and the confirmation (another upload).

    ``preview`` holds a fresh preview against the figures as they are now.
    """

    def __init__(self, summary: str, problems: Iterable[Problem] = (), preview=None):
        super().__init__(summary, problems)
        self.preview = preview


class RollbackRefused(ReturnError):
    """An upload cannot be rolled back (not found, not a return, or changed since)."""
