"""Engine, transactions, audit and the data version: the base of the database gateway."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, create_engine, event, insert, select, update
from sqlalchemy.sql import Executable

from csa.models import AuditEntry, DataVersion

#: Audited actions that change no data (they do not move the data version).
NON_DATA_ACTIONS = ("sign_in", "sign_out", "view_audit")


def is_data_change(action: str, outcome: str) -> bool:
    """Whether an audited action changed data (and so raises the data version)."""
    return outcome == "ok" and action not in NON_DATA_ACTIONS and "export" not in action


def utcnow() -> datetime:
    """Naive UTC timestamp (stored the same way on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("sqlite:///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, pool_pre_ping=True)


def frame(conn: Connection, stmt: Executable, columns: list[str] | None = None) -> pd.DataFrame:
    """Run a statement and return its rows as a DataFrame (empty frames keep their columns)."""
    result = conn.execute(stmt)
    keys = list(result.keys())
    rows = result.fetchall()
    df = pd.DataFrame(rows, columns=keys)
    if columns is not None:
        df = df[columns]
    return df


class CoreGateway:
    """Connection handling shared by every part of the gateway."""

    #: Who runs this process when it is not the app, e.g. ``"cli:deploy"`` for the command
    #: line: audit entries by a named user then read ``"cli:deploy as jo@example.org"``.
    acting_via: str | None = None

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: everything inside commits together or not at all."""
        with self.engine.begin() as conn:
            yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def read(self, stmt: Executable) -> pd.DataFrame:
        with self.reading() as conn:
            return frame(conn, stmt)

    def scalar(self, stmt: Executable) -> Any:
        with self.reading() as conn:
            return conn.execute(stmt).scalar()

    # -- audit and data version -------------------------------------------------------
    def audit(
        self,
        conn: Connection,
        user_email: str,
        action: str,
        target: str = "",
        outcome: str = "ok",
        detail: dict | str | None = None,
    ) -> None:
        """Append an audit entry inside the caller's transaction (long fields are clipped to
        their columns, so a typed-in value can never make the audit write fail)."""
        text = detail if isinstance(detail, str) else json.dumps(detail or {}, default=str)
        if is_data_change(action, outcome):
            conn.execute(
                update(DataVersion)
                .where(DataVersion.id == 1)
                .values(version=DataVersion.version + 1)
            )
        user_email = user_email or "anonymous"
        if self.acting_via and not user_email.startswith(self.acting_via):
            user_email = f"{self.acting_via} as {user_email}"
        conn.execute(
            insert(AuditEntry).values(
                at=utcnow(),
                user_email=user_email[:254],
                action=action[:40],
                target=(target or "")[:255],
                outcome=outcome[:12],
                detail=text,
            )
        )

    def record_audit(
        self,
        user_email: str,
        action: str,
        target: str = "",
        outcome: str = "ok",
        detail: dict | str | None = None,
    ) -> None:
        """Append an audit entry in its own transaction (e.g. for a refused action)."""
        with self.transaction() as conn:
            self.audit(conn, user_email, action, target, outcome, detail)

    def audit_log(self, limit: int = 500, action: str | None = None) -> pd.DataFrame:
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        return self.read(stmt)

    def data_version(self) -> int:
        """A number that grows with every write of data: a cheap cache key, one primary-key
        read of the counter that :meth:`audit` raises in the writing transaction.

        Sign-ins, refusals and exports are audited too but change no data, so they leave it
        alone: a stream of failed sign-ins must not empty every cache or slow any page.
        """
        return int(self.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0)
