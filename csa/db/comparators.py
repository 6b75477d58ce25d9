"""Comparator groups uploaded by analysts (table ``comparator_groups``).

Writes run inside the caller's transaction and are called only by
:mod:`csa.comparators`, which checks the acting user's permission and validates the file
first.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from csa.db.core import frame
from csa.models import ComparatorGroupMember

COMPARATOR_COLUMNS = [
    "group_name",
    "level",
    "member_code",
    "source",
    "vintage",
    "uploaded_by",
    "uploaded_at",
]


class ComparatorGateway:
    def comparator_groups(self, conn: Connection | None = None) -> pd.DataFrame:
        """Every uploaded group's members, by group name then in upload order of codes."""
        stmt = select(*[ComparatorGroupMember.__table__.c[c] for c in COMPARATOR_COLUMNS])
        stmt = stmt.order_by(ComparatorGroupMember.group_name, ComparatorGroupMember.member_code)
        df = frame(conn, stmt) if conn is not None else self.read(stmt)
        return df.reindex(columns=COMPARATOR_COLUMNS)

    @staticmethod
    def replace_comparator_group(
        conn: Connection,
        *,
        name: str,
        level: str,
        members: list[str],
        source: str,
        vintage: str,
        uploaded_by: str,
        uploaded_at: datetime,
    ) -> int:
        """The group ``name`` becomes exactly these members (any held before are removed);
        returns how many members it had before (0 for a new group)."""
        before = _delete(conn, name)
        conn.execute(
            insert(ComparatorGroupMember),
            [
                {
                    "group_name": name,
                    "level": level,
                    "member_code": code,
                    "source": source,
                    "vintage": vintage,
                    "uploaded_by": uploaded_by,
                    "uploaded_at": uploaded_at,
                }
                for code in members
            ],
        )
        return before

    @staticmethod
    def delete_comparator_group(conn: Connection, name: str) -> int:
        """Remove the uploaded group ``name``; returns how many member rows it had."""
        return _delete(conn, name)


def _delete(conn: Connection, name: str) -> int:
    result = conn.execute(
        delete(ComparatorGroupMember).where(ComparatorGroupMember.group_name == name)
    )
    return int(result.rowcount or 0)
