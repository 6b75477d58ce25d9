"""Sign-in sessions: the server-side half of the session cookie (see :mod:`csa.sessions`).

Only the SHA-256 of a session id is stored. A session counts while it is neither expired
nor revoked; revoking is an UPDATE, so the row stays as a record of when and why it ended.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from csa.models import SignInSession, User


class SessionGateway:
    """Reads and writes of the ``sessions`` table."""

    @staticmethod
    def insert_session(
        conn: Connection, *, id_hash: str, email: str, created_at: datetime, expires_at: datetime
    ) -> None:
        conn.execute(
            insert(SignInSession).values(
                id_hash=id_hash,
                user_email=email,
                created_at=created_at,
                expires_at=expires_at,
                revoked_at=None,
                revoked_reason="",
            )
        )

    def live_session(self, id_hash: str, now: datetime) -> dict[str, Any] | None:
        """The session with this id hash and its user (email, role, org_code, name,
        disabled), when it is neither expired nor revoked and the user is enabled."""
        stmt = (
            select(
                SignInSession.id_hash,
                SignInSession.expires_at,
                User.email,
                User.role,
                User.org_code,
                User.name,
                User.disabled,
            )
            .join(User, User.email == SignInSession.user_email)
            .where(
                SignInSession.id_hash == id_hash,
                SignInSession.revoked_at.is_(None),
                SignInSession.expires_at > now,
                User.disabled.is_(False),
            )
        )
        with self.reading() as conn:
            row = conn.execute(stmt).mappings().first()
        return dict(row) if row is not None else None

    @staticmethod
    def revoke_session(conn: Connection, id_hash: str, reason: str, now: datetime) -> str | None:
        """Revoke one live session; returns its user's email (None when there was none)."""
        email = conn.execute(
            select(SignInSession.user_email).where(
                SignInSession.id_hash == id_hash, SignInSession.revoked_at.is_(None)
            )
        ).scalar()
        if email is None:
            return None
        conn.execute(
            update(SignInSession)
            .where(SignInSession.id_hash == id_hash, SignInSession.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason[:40])
        )
        return str(email)

    @staticmethod
    def revoke_user_sessions(conn: Connection, email: str, reason: str, now: datetime) -> int:
        """Revoke every live session of ``email`` (disabled, role changed, password reset);
        returns how many were revoked."""
        return conn.execute(
            update(SignInSession)
            .where(SignInSession.user_email == email, SignInSession.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason[:40])
        ).rowcount

    @staticmethod
    def purge_sessions(conn: Connection, before: datetime) -> int:
        """Delete sessions that expired before ``before`` (kept a while as a record)."""
        return conn.execute(delete(SignInSession).where(SignInSession.expires_at < before)).rowcount

    def sessions_of(self, email: str) -> list[dict[str, Any]]:
        """Every stored session of ``email``, newest first (for tests and administrators)."""
        stmt = (
            select(SignInSession)
            .where(SignInSession.user_email == email)
            .order_by(SignInSession.created_at.desc())
        )
        return self.read(stmt).to_dict("records")
