"""Long lists in pages of a fixed size: which rows a page holds and how it is named.

The overview and the area profile list every indicator a viewer may see. With a few dozen
that is one screen; with hundreds it is a page nobody reads and a rerun that grows with every
indicator added. Both show ``rows_per_page`` at a time (a setting), chosen in the address bar
(``?page=2``), with the summary above still counting every indicator.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """Page ``number`` (from 1) of ``total`` rows, ``size`` to a page."""

    number: int
    size: int
    total: int

    def __post_init__(self):
        if self.size < 1:
            raise ValueError(f"rows per page must be 1 or more, not {self.size}")
        if not 1 <= self.number <= max(1, count(self.total, self.size)):
            raise ValueError(
                f"page {self.number} does not exist: {self.total} rows make "
                f"{count(self.total, self.size)} pages of {self.size}"
            )

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return min(self.total, self.number * self.size)

    @property
    def rows(self) -> slice:
        return slice(self.start, self.stop)

    @property
    def pages(self) -> int:
        return count(self.total, self.size)

    def words(self, what: str = "indicators") -> str:
        """This page in words: "Indicators 51 to 100 of 360" ("All 36 indicators" alone)."""
        return words(self.number, self.size, self.total, what)


def count(total: int, size: int) -> int:
    """How many pages ``total`` rows make, ``size`` to a page (none when there are none)."""
    return -(-max(0, total) // size)


def words(number: int, size: int, total: int, what: str = "indicators") -> str:
    """Page ``number`` in words: "Indicators 51 to 100 of 360"."""
    if total <= size:
        return f"All {total} {what}"
    first, last = (number - 1) * size + 1, min(total, number * size)
    return f"{what[:1].upper()}{what[1:]} {first:,} to {last:,} of {total:,}"
