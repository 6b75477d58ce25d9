"""Users, sign-in counters and reading the audit log: the accounts part of the gateway.

Password hashes never leave this module except through :meth:`UserGateway.user_record`,
which :mod:`csa.accounts` uses to verify a password; :meth:`UserGateway.users` (the list
shown to administrators) leaves them out and says only whether a password is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, case, delete, func, insert, null, select, update
from sqlalchemy.dialects import postgresql, sqlite

from csa.models import AuditEntry, Organisation, SignInThrottle, User

#: Columns of :meth:`UserGateway.users`, in display order (no password hash).
USER_COLUMNS = [
    "email",
    "name",
    "role",
    "org_code",
    "organisation",
    "disabled",
    "has_password",
    "failed_logins",
    "locked_until",
    "created_at",
    "last_login_at",
]


class UserGateway:
    """Reads and writes of the ``users`` table, and filtered reads of ``audit_log``."""

    # -- reads ------------------------------------------------------------------------
    def users(self) -> pd.DataFrame:
        """Every user, without password hashes, ordered by role then email."""
        stmt = (
            select(
                User.email,
                User.name,
                User.role,
                User.org_code,
                Organisation.name.label("organisation"),
                User.disabled,
                User.password_hash.is_not(None).label("has_password"),
                User.failed_logins,
                User.locked_until,
                User.created_at,
                User.last_login_at,
            )
            .outerjoin(Organisation, Organisation.code == User.org_code)
            .order_by(User.role, User.email)
        )
        df = self.read(stmt)
        for col in ("disabled", "has_password"):
            df[col] = df[col].astype(bool)
        for col in ("name", "org_code", "organisation"):
            df[col] = df[col].astype(object).where(df[col].notna(), None)
        return df[USER_COLUMNS]

    def user_record(self, email: str, conn: Connection | None = None) -> dict[str, Any] | None:
        """One user's full row (including the password hash) as a dict, or None."""
        stmt = select(*User.__table__.c).where(User.email == email)
        if conn is not None:
            row = conn.execute(stmt).mappings().first()
        else:
            with self.reading() as c:
                row = c.execute(stmt).mappings().first()
        if row is None:
            return None
        return dict(row)

    def count_enabled_admins(self, conn: Connection | None = None) -> int:
        stmt = (
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.disabled.is_(False))
        )
        if conn is not None:
            return int(conn.execute(stmt).scalar() or 0)
        return int(self.scalar(stmt) or 0)

    def organisation_codes(self) -> list[str]:
        return list(self.read(select(Organisation.code).order_by(Organisation.code))["code"])

    # -- writes (inside the caller's transaction) --------------------------------------
    @staticmethod
    def insert_user(
        conn: Connection,
        *,
        email: str,
        name: str,
        role: str,
        org_code: str | None,
        password_hash: str | None,
        created_at: datetime,
    ) -> None:
        conn.execute(
            insert(User).values(
                email=email,
                name=name,
                role=role,
                org_code=org_code,
                password_hash=password_hash,
                disabled=False,
                failed_logins=0,
                locked_until=None,
                created_at=created_at,
                last_login_at=None,
            )
        )

    @staticmethod
    def update_user(conn: Connection, email: str, **values: Any) -> int:
        """Set columns of one user; returns the number of rows changed (0 or 1)."""
        allowed = {
            "name",
            "role",
            "org_code",
            "password_hash",
            "disabled",
            "failed_logins",
            "locked_until",
            "last_login_at",
        }
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"cannot update user column(s) {', '.join(sorted(unknown))}")
        return conn.execute(update(User).where(User.email == email).values(**values)).rowcount

    def reserve_sign_in(
        self,
        email: str,
        *,
        known: bool,
        max_failures: int,
        now: datetime,
        until: datetime,
    ) -> tuple[bool, int, datetime | None]:
        """Reserve one password check for ``email`` before the password is verified.

        The count of failed sign-ins goes up by one in a conditional UPDATE, which the
        database serialises: only while it is below ``max_failures`` and the account is not
        locked, so however many attempts arrive at once, no more than ``max_failures``
        passwords are ever checked per lock-out window. The reservation that reaches the
        limit locks the account until ``until``; a right password then clears both (see
        :meth:`update_user`). An expired lock is lifted first (counting afresh).

        ``known`` is False for an email that is not a user: it is counted the same way in
        ``sign_in_throttle``, so an unknown email answers exactly like a known one.

        Returns ``(reserved, failures counted, locked_until)``.
        """
        table = User if known else SignInThrottle
        with self.transaction() as conn:
            if known:
                conn.execute(
                    update(User)
                    .where(User.email == email, User.locked_until <= now)
                    .values(failed_logins=0, locked_until=None)
                )
            else:
                conn.execute(delete(SignInThrottle).where(SignInThrottle.locked_until <= now))
                dialect = postgresql if self.dialect == "postgresql" else sqlite
                conn.execute(
                    dialect.insert(SignInThrottle)
                    .values(email=email, failed_logins=0, locked_until=None)
                    .on_conflict_do_nothing()
                )
            stmt = update(table).where(table.email == email)
            if max_failures > 0:
                stmt = stmt.where(
                    table.failed_logins < max_failures, table.locked_until.is_(None)
                ).values(
                    failed_logins=table.failed_logins + 1,
                    locked_until=case(
                        (table.failed_logins + 1 >= max_failures, until), else_=null()
                    ),
                )
            else:  # lock-out switched off: count only
                stmt = stmt.values(failed_logins=table.failed_logins + 1)
            reserved = conn.execute(stmt).rowcount == 1
            row = conn.execute(
                select(table.failed_logins, table.locked_until).where(table.email == email)
            ).first()
        if row is None:
            return False, 0, None
        return reserved, int(row.failed_logins or 0), row.locked_until

    # -- the audit log, filtered -------------------------------------------------------
    def audit_entries(
        self,
        *,
        actions: Sequence[str] | None = None,
        user_email: str | None = None,
        outcomes: Sequence[str] | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        text: str | None = None,
        limit: int = 1000,
    ) -> pd.DataFrame:
        """Audit entries, newest first, filtered by action, user (substring, any case),
        outcome, time (``since`` inclusive, ``until`` exclusive) and free text (in the
        target or the detail)."""
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(int(limit))
        if actions:
            stmt = stmt.where(AuditEntry.action.in_(list(actions)))
        if user_email:
            stmt = stmt.where(
                func.lower(AuditEntry.user_email).contains(
                    user_email.strip().lower(), autoescape=True
                )
            )
        if outcomes:
            stmt = stmt.where(AuditEntry.outcome.in_(list(outcomes)))
        if since is not None:
            stmt = stmt.where(AuditEntry.at >= since)
        if until is not None:
            stmt = stmt.where(AuditEntry.at < until)
        if text:
            needle = text.strip().lower()
            stmt = stmt.where(
                func.lower(AuditEntry.target).contains(needle, autoescape=True)
                | func.lower(AuditEntry.detail).contains(needle, autoescape=True)
            )
        return self.read(stmt)

    def audit_actions(self) -> list[str]:
        """Every action name that appears in the audit log, sorted."""
        stmt = select(AuditEntry.action).distinct().order_by(AuditEntry.action)
        return [str(a) for a in self.read(stmt).iloc[:, 0]]
