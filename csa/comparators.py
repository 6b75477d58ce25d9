"""Comparator groups: named sets of forces or partnerships to rank Lancashire against.

A group is data, not code: ``data/comparator_groups.csv`` has one row per member with
columns group, level ("force" or "csp"), member_code, source and vintage. A member code of
``*`` means every area of that level in the national tables (e.g. all CSPs in England and
Wales). Members with no population are listed but not ranked, so ranks say "of N".

Analysts (``manage_indicators``) may upload more groups in the same CSV layout, since the
Home Office most similar groups are not public (:func:`save_uploaded`, audited; stored in
the ``comparator_groups`` table). An upload is checked whole before anything is written
(:func:`parse_upload`): every problem names the file, the row (the header is row 1, as in a
spreadsheet), the column, the value and why. A group uploaded again is replaced wholly; a
bundled group cannot be replaced or deleted. :func:`all_groups` gives bundled then
uploaded groups.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from csa import national
from csa.access import require
from csa.db.core import utcnow

GROUPS_FILE = "comparator_groups.csv"
LEVELS = ("force", "csp")
COLUMNS = ("group", "level", "member_code", "source", "vintage")
#: How the national tables are named in messages about unknown codes.
LEVEL_TABLES = {"force": "Home Office Table P1", "csp": "Home Office Table C2"}
MAX_NAME = 120
#: Unknown codes listed in a message before "... and N more".
SHOW_UNKNOWN = 5


@dataclass(frozen=True)
class ComparatorGroup:
    name: str
    level: str
    members: tuple[str, ...]  # ("*",) = every area of the level
    source: str
    vintage: str
    uploaded_by: str | None = None  # None for a bundled group
    uploaded_at: datetime | None = None

    @property
    def everyone(self) -> bool:
        return self.members == ("*",)

    @property
    def uploaded(self) -> bool:
        return self.uploaded_by is not None


class GroupFileError(ValueError):
    """A comparator-group file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, summary: str, problems: list[str] | None = None):
        self.summary = summary
        self.problems = list(problems or [])
        super().__init__("\n".join([summary, *(f"  {p}" for p in self.problems)]))


def _problems(df: pd.DataFrame, file_name: str) -> tuple[list[str], list[ComparatorGroup]]:
    """Check the layout of a groups table (strings, header already checked); returns the
    problems found and the groups (meaningful only when there are no problems)."""
    problems: list[str] = []
    groups: list[ComparatorGroup] = []
    rows = {name: [] for name in dict.fromkeys(df["group"]) if name}
    for i, r in enumerate(df.to_dict("records")):
        row = i + 2  # the header is row 1
        where = f"{file_name} row {row}"
        if not r["group"]:
            problems.append(f"{where}: column group is blank; every row names its group")
            continue
        if len(r["group"]) > MAX_NAME:
            problems.append(
                f"{where}: column group is {len(r['group'])} characters long; at most {MAX_NAME}"
            )
        if r["level"] not in LEVELS:
            problems.append(
                f"{where}: column level is {r['level']!r}; it must be one of "
                f"{', '.join(LEVELS)} (one level per group)"
            )
        for column in ("member_code", "source", "vintage"):
            if not r[column]:
                why = {
                    "member_code": "give a force or CSP code, or * for every area of the level",
                    "source": "say where the group comes from",
                    "vintage": "say which year or edition the group is",
                }[column]
                problems.append(f"{where}: column {column} is blank; {why}")
        rows[r["group"]].append((row, r))
    for name, members in rows.items():
        first_row, first = members[0]
        for row, r in members[1:]:
            for column in ("level", "source", "vintage"):
                if r[column] != first[column]:
                    problems.append(
                        f"{file_name} row {row}: column {column} is {r[column]!r} but group "
                        f"{name!r} has {first[column]!r} in row {first_row}; a group has one "
                        f"{'level' if column == 'level' else 'source and one vintage'}"
                    )
        codes = [r["member_code"] for _row, r in members]
        if "*" in codes and len(codes) > 1:
            star = next(row for row, r in members if r["member_code"] == "*")
            problems.append(
                f"{file_name} row {star}: group {name!r} mixes '*' (every "
                f"{first['level']}) with named members; use one or the other"
            )
        seen: dict[str, int] = {}
        for row, r in members:
            code = r["member_code"]
            if code and code in seen:
                problems.append(
                    f"{file_name} row {row}: member_code {code!r} is listed twice in group "
                    f"{name!r} (rows {seen[code]} and {row})"
                )
            seen.setdefault(code, row)
        groups.append(
            ComparatorGroup(
                name,
                first["level"],
                tuple(dict.fromkeys(codes)),
                first["source"],
                first["vintage"],
            )
        )
    return problems, groups


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    df = df.rename(columns=lambda c: str(c).strip().lower())
    df = df.fillna("").astype(str).apply(lambda col: col.str.strip())
    df["level"] = df["level"].str.lower()
    return df


def _missing_columns(df: pd.DataFrame, file_name: str) -> str | None:
    missing = [c for c in COLUMNS if c not in df.columns]
    if not missing:
        return None
    return (
        f"{file_name}: column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
        f"{'are' if len(missing) > 1 else 'is'} missing; the header must be "
        f"{', '.join(COLUMNS)}"
    )


def load_groups(path: Path) -> list[ComparatorGroup]:
    """Read comparator groups from a CSV (see the module doc); :class:`GroupFileError`
    (a ValueError) listing every problem when malformed."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = _missing_columns(df.rename(columns=lambda c: str(c).strip().lower()), str(path))
    if missing:
        raise GroupFileError(f"{path}: the comparator groups cannot be read.", [missing])
    problems, groups = _problems(_clean(df), str(path))
    if problems:
        raise GroupFileError(f"{path}: the comparator groups cannot be read.", problems)
    return groups


def known_codes(data_dir: Path) -> dict[str, set[str]]:
    """The force codes of Table P1 and the CSP codes of Table C2."""
    p1, c2 = national.table_p1(data_dir), national.table_c2(data_dir)
    return {
        "force": set(p1.loc[p1["area_type"] == "force", "area_code"]),
        "csp": set(c2.loc[c2["row_type"] == "csp", "csp_code"]),
    }


def parse_upload(content: bytes, file_name: str, data_dir: Path) -> list[ComparatorGroup]:
    """The groups of an uploaded CSV, or :class:`GroupFileError` listing every problem:
    an empty or unreadable file, missing columns, blank cells, an unknown level, a group
    with more than one level, source or vintage, '*' mixed with members, a member twice,
    member codes not in the national tables (the first few, with their rows) and a group
    named like a bundled one (bundled groups cannot be replaced)."""
    summary = f"{file_name}: nothing was saved."
    try:
        df = pd.read_csv(
            io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except pd.errors.EmptyDataError:
        raise GroupFileError(
            summary,
            [
                f"{file_name}: the file is empty; it needs the header "
                f"{', '.join(COLUMNS)} and one row per member"
            ],
        ) from None
    except UnicodeDecodeError:
        raise GroupFileError(
            summary, [f"{file_name}: the file is not UTF-8 text; save it as CSV UTF-8"]
        ) from None
    except pd.errors.ParserError as exc:
        raise GroupFileError(
            summary, [f"{file_name}: not a readable CSV ({str(exc).strip()})"]
        ) from None
    missing = _missing_columns(df.rename(columns=lambda c: str(c).strip().lower()), file_name)
    if missing:
        raise GroupFileError(summary, [missing])
    if df.empty:
        raise GroupFileError(
            summary, [f"{file_name}: the file has a header but no rows; list one row per member"]
        )
    df = _clean(df)
    problems, groups = _problems(df, file_name)
    bundled = {g.name for g in bundled_groups(data_dir)}
    for g in groups:
        if g.name in bundled:
            row = int(df.index[df["group"] == g.name][0]) + 2
            problems.append(
                f"{file_name} row {row}: column group is {g.name!r}, a bundled group; "
                "bundled groups cannot be replaced, so choose another name"
            )
    if not problems:
        known = known_codes(data_dir)
        for g in groups:
            if g.everyone:
                continue
            unknown = [c for c in g.members if c not in known[g.level]]
            if unknown:
                listed = ", ".join(
                    f"{c!r} (row {int(df.index[(df['group'] == g.name) & (df['member_code'] == c)][0]) + 2})"
                    for c in unknown[:SHOW_UNKNOWN]
                )
                more = (
                    f" and {len(unknown) - SHOW_UNKNOWN} more"
                    if len(unknown) > SHOW_UNKNOWN
                    else ""
                )
                problems.append(
                    f"{file_name}: column member_code: group {g.name!r} has {len(unknown)} "
                    f"{g.level} code{'s' if len(unknown) > 1 else ''} not in "
                    f"{LEVEL_TABLES[g.level]}: {listed}{more}"
                )
    if problems:
        raise GroupFileError(summary, problems)
    return groups


def bundled_groups(data_dir: Path) -> list[ComparatorGroup]:
    return load_groups(Path(data_dir) / GROUPS_FILE)


def uploaded_groups(db) -> list[ComparatorGroup]:
    """The groups analysts uploaded, by name, each marked with who uploaded it and when."""
    df = db.comparator_groups()
    return [
        ComparatorGroup(
            str(name),
            str(g["level"].iloc[0]),
            tuple(g["member_code"]),
            str(g["source"].iloc[0]),
            str(g["vintage"].iloc[0]),
            str(g["uploaded_by"].iloc[0]),
            pd.Timestamp(g["uploaded_at"].iloc[0]).to_pydatetime(),
        )
        for name, g in df.groupby("group_name", sort=True)
    ]


def all_groups(db, data_dir: Path) -> list[ComparatorGroup]:
    """The bundled groups, then the uploaded ones."""
    return bundled_groups(data_dir) + uploaded_groups(db)


def save_uploaded(db, actor, content: bytes, file_name: str, data_dir: Path) -> dict[str, str]:
    """Add or replace the groups of an uploaded CSV: ``{group name: "added" | "replaced"}``.

    Analysts and admins only (``manage_indicators``; a refusal is audited). The whole file
    is checked first (:func:`parse_upload`); then, in one transaction, each group replaces
    any uploaded group of the same name wholly, with an audit entry per group. Nothing is
    written when anything is wrong.
    """
    require(actor, "manage_indicators", db=db, target=f"comparator groups {file_name}"[:255])
    groups = parse_upload(content, file_name, data_dir)
    at = utcnow()
    outcome = {}
    with db.transaction() as conn:
        for g in groups:
            before = db.replace_comparator_group(
                conn,
                name=g.name,
                level=g.level,
                members=list(g.members),
                source=g.source,
                vintage=g.vintage,
                uploaded_by=actor.email,
                uploaded_at=at,
            )
            outcome[g.name] = "replaced" if before else "added"
            db.audit(
                conn,
                actor.email,
                "comparator_group_set",
                f"comparator group {g.name}",
                detail={
                    "file": file_name,
                    "level": g.level,
                    "members": list(g.members),
                    "source": g.source,
                    "vintage": g.vintage,
                    "members_before": before,
                },
            )
    return outcome


def delete_uploaded(db, actor, name: str, data_dir: Path) -> None:
    """Delete an uploaded group (``manage_indicators``; audited). A bundled group, or a name
    no uploaded group has, is refused with :class:`GroupFileError`."""
    require(actor, "manage_indicators", db=db, target=f"comparator group {name}"[:255])
    if name in {g.name for g in bundled_groups(data_dir)}:
        raise GroupFileError(
            f"{name!r} was not deleted.", [f"{name!r} is a bundled group; it cannot be deleted"]
        )
    with db.transaction() as conn:
        removed = db.delete_comparator_group(conn, name)
        if not removed:
            raise GroupFileError(
                f"{name!r} was not deleted.", [f"there is no uploaded group called {name!r}"]
            )
        db.audit(
            conn,
            actor.email,
            "comparator_group_delete",
            f"comparator group {name}",
            detail={"members": removed},
        )


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
