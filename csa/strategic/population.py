"""Populations for the strategic assessment: the 14 partnerships and their groupings."""

from __future__ import annotations

import pandas as pd

from csa.areas import population_for_year

#: Year whose population (or the latest before it) the assessment uses; the bundled
#: estimates stop at mid-2022, the same figures the recorded-crime rates use.
POPULATION_YEAR = 2025


def area_populations(
    populations: pd.DataFrame, members: pd.DataFrame | None = None, year: int = POPULATION_YEAR
) -> pd.Series:
    """Population by area code: the base areas, plus every grouping in ``members`` as the
    sum of its members (Unassigned has no population and adds nothing)."""
    base = population_for_year(populations, year).set_index("area_code")["population"]
    base = base.astype(float)
    if members is None or members.empty:
        return base
    groups = {}
    for group, grp in members.groupby("group_code"):
        have = [base[m] for m in grp["member_code"] if m in base.index]
        if have:
            groups[group] = float(sum(have))
    return pd.concat([base, pd.Series(groups, dtype=float)])


def population_year_used(populations: pd.DataFrame, year: int = POPULATION_YEAR) -> int:
    """The mid-year estimate actually used for ``year`` (the latest bundled before it)."""
    picked = population_for_year(populations, year)
    return int(picked["population_year"].max()) if not picked.empty else year
