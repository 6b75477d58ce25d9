"""The reference data a return is checked against, read once per preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from csa.areas import BASE_KINDS
from csa.returns import window


@dataclass(frozen=True)
class Reference:
    """Indicators, areas and periods, and which periods are open on ``today``."""

    indicators: pd.DataFrame  # indexed by code
    areas: pd.DataFrame  # indexed by code
    periods: pd.DataFrame  # indexed by label
    open_periods: tuple[str, ...]
    today: date
    due_days: int

    @property
    def reportable_area_codes(self) -> set[str]:
        """Areas a return may give figures for: the 14 base areas and Unassigned."""
        kinds = self.areas["kind"]
        return set(self.areas.index[kinds.isin([*BASE_KINDS, "unassigned"])])

    def previous_period(self, label: str) -> str | None:
        """The period of the same frequency just before ``label`` (None for the first)."""
        if label not in self.periods.index:
            return None
        freq = self.periods.at[label, "frequency"]
        same = self.periods[self.periods["frequency"] == freq].sort_values("start_date")
        labels = list(same.index)
        i = labels.index(label)
        return labels[i - 1] if i > 0 else None


def load_reference(db, settings: dict[str, Any], today: date | None = None) -> Reference:
    """Read the reference tables through the gateway."""
    today = today or window.today()
    periods = db.periods()
    return Reference(
        indicators=db.indicators().set_index("code", drop=False),
        areas=db.areas().set_index("code", drop=False),
        periods=periods.set_index("label", drop=False),
        open_periods=tuple(
            window.open_periods(periods, int(settings["returns_open_periods"]), today)
        ),
        today=today,
        due_days=int(settings["return_due_days"]),
    )
