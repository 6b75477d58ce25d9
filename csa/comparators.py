"""Comparator groups: named sets of forces or partnerships to rank Lancashire against.

A group is data, not code: ``data/comparator_groups.csv`` has one row per member with
columns group, level ("force" or "csp"), member_code, source and vintage. A member code of
``*`` means every area of that level in the national tables (e.g. all CSPs in England and
Wales). Members with no population are listed but not ranked, so ranks say "of N".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from csa import national

GROUPS_FILE = "comparator_groups.csv"
LEVELS = ("force", "csp")


@dataclass(frozen=True)
class ComparatorGroup:
    name: str
    level: str
    members: tuple[str, ...]  # ("*",) = every area of the level
    source: str
    vintage: str

    @property
    def everyone(self) -> bool:
        return self.members == ("*",)


def load_groups(path: Path) -> list[ComparatorGroup]:
    """Read comparator groups from a CSV (see the module doc); ValueError when malformed."""
    df = pd.read_csv(path, dtype=str).fillna("")
    need = {"group", "level", "member_code", "source", "vintage"}
    if not need <= set(df.columns):
        raise ValueError(f"{path}: columns {sorted(need - set(df.columns))} are missing")
    groups = []
    for name, grp in df.groupby("group", sort=False):
        levels, sources, vintages = set(grp["level"]), set(grp["source"]), set(grp["vintage"])
        if len(levels) != 1 or next(iter(levels)) not in LEVELS:
            raise ValueError(f"{path}: group {name!r} must have one level out of {LEVELS}")
        if len(sources) != 1 or len(vintages) != 1 or "" in sources | vintages:
            raise ValueError(f"{path}: group {name!r} needs one source and one vintage")
        members = tuple(grp["member_code"])
        if "*" in members and len(members) > 1:
            raise ValueError(f"{path}: group {name!r} mixes '*' with named members")
        groups.append(ComparatorGroup(name, levels.pop(), members, sources.pop(), vintages.pop()))
    return groups


def bundled_groups(data_dir: Path) -> list[ComparatorGroup]:
    return load_groups(Path(data_dir) / GROUPS_FILE)


def group_table(
    group: ComparatorGroup, data_dir: Path, offence: str = national.TOTAL
) -> pd.DataFrame:
    """The group's members with count, population, rate, 95% CI and rank within the group
    (1 = lowest rate, among members with a population; ``of`` says how many)."""
    table = (
        national.force_rates(data_dir, offence)
        if group.level == "force"
        else national.csp_rates(data_dir, offence)
    )
    if not group.everyone:
        unknown = set(group.members) - set(table["area_code"])
        if unknown:
            raise ValueError(f"group {group.name!r}: unknown {group.level} codes {sorted(unknown)}")
        table = table[table["area_code"].isin(group.members)]
    table = table.drop(columns=["rank", "of"])
    ranked = table["rate"].notna()
    table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table.loc[ranked, "rank"] = table.loc[ranked, "rate"].rank(method="min").astype("Int64")
    table["of"] = int(ranked.sum())
    table["group"] = group.name
    return table.sort_values(["rank", "area_name"], na_position="last").reset_index(drop=True)
