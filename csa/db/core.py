"""Engine, transactions, audit and the data version: the base of the database gateway."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd
from sqlalchemy import Connection, Engine, create_engine, event, insert, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql import Executable

from csa.models import AuditEntry, DataVersion

#: Audited actions that change no data (they do not move the data version).
NON_DATA_ACTIONS = ("sign_in", "sign_out", "view_audit")
#: The rows of the data_version table: every change of data; changes of published figures.
DATA, FIGURES = 1, 2
#: Both counters in one statement (:meth:`CoreGateway.versions`), built once.
_VERSIONS = select(DataVersion.id, DataVersion.version).where(DataVersion.id.in_((DATA, FIGURES)))


#: Audited actions that change what is published (figures, indicators, targets): they also
#: raise the figures version, on which the publication is keyed. Accounts, plans and the
#: strategic assessment change data but no published figure.
FIGURE_ACTIONS = ("seed", "upload_return", "rollback_upload", "bench_scale")


def is_figure_change(action: str, outcome: str) -> bool:
    """Whether an audited action changed the figures that :mod:`csa.publish` publishes."""
    return outcome == "ok" and (action in FIGURE_ACTIONS or action.startswith("manage_"))


def is_data_change(action: str, outcome: str) -> bool:
    """Whether an audited action changed data (and so raises the data version)."""
    return outcome == "ok" and action not in NON_DATA_ACTIONS and "export" not in action


def utcnow() -> datetime:
    """Naive UTC timestamp (stored the same way on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


#: Set to 1 (true, yes, on) to open a SQLite database read-only even where the file could
#: be written (e.g. a mount the operating system reports writable to root).
READ_ONLY_VARIABLE = "CSA_DATABASE_READ_ONLY"


class ReadOnlyDatabase(PermissionError):
    """A write to a database opened read-only: ``the database at PATH is read-only: why``."""


def sqlite_file(url: str) -> str | None:
    """The file of a ``sqlite:///PATH`` URL (None for memory, URI forms or other engines)."""
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///") :].split("?", 1)[0]
    return None if not path or path == ":memory:" or path.startswith("file:") else path


def read_only_reason(url: str, read_only: bool | None = None) -> str | None:
    """Why a SQLite database must be opened read-only, or None when it can be written.

    ``read_only`` forces the answer; when None, ``CSA_DATABASE_READ_ONLY`` is read, then the
    file's and its folder's permissions (a read-only mount, or files of another user).
    """
    path = sqlite_file(url)
    if path is None or read_only is False:
        return None
    if read_only is None:
        flag = os.environ.get(READ_ONLY_VARIABLE, "").strip().lower()
        read_only = flag in ("1", "true", "yes", "on")
    if read_only:
        return f"it was opened read-only ({READ_ONLY_VARIABLE} or read_only=True)"
    if not Path(path).is_file():
        return None  # a new database: created in the usual way
    if not os.access(path, os.W_OK):
        return "the file is not writable"
    if not os.access(Path(path).parent, os.W_OK):
        return "its folder is not writable"
    return None


def make_engine(url: str, read_only: bool | None = None) -> Engine:
    """An engine for ``url``. A SQLite file that cannot (or must not) be written is opened
    read-only, without the WAL pragma (which writes): ``mode=ro``, plus ``immutable=1``
    when its folder is not writable, so SQLite needs no -wal or -shm side file there."""
    if url.startswith("sqlite"):
        path = sqlite_file(url)
        reason = read_only_reason(url, read_only)
        if reason is not None:
            folder = Path(path).parent
            options = "mode=ro" + ("" if os.access(folder, os.W_OK) else "&immutable=1")
            url = f"sqlite:///file:{quote(path)}?{options}&uri=true"
        elif path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if reason is None:
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url, pool_pre_ping=True)


def records(df: pd.DataFrame) -> list[dict]:
    """``df``'s rows as dicts of plain Python values for an insert, a blank (NaN, NA, None)
    as None. Column by column: ``df.astype(object).where(df.notna(), None)`` built a new
    object block for every column and ``to_dict`` boxed each value again (half the time of
    storing a publication)."""
    columns = [_plain(df[c]) for c in df.columns]
    names = [str(c) for c in df.columns]
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _plain(column: pd.Series):
    if column.dtype.kind in "mM":  # to_numpy's na_value leaves NaT as it is
        return column.astype(object).where(column.notna(), None).to_numpy()
    return column.to_numpy(dtype=object, na_value=None)


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

    def __init__(self, url: str, read_only: bool | None = None):
        self.url = url
        #: Why this database is open read-only (None when it can be written).
        self.read_only_reason = read_only_reason(url, read_only)
        self.engine = make_engine(url, read_only)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: everything inside commits together or not at all."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except OperationalError as exc:
            if "readonly" not in str(exc).lower() and "read-only" not in str(exc).lower():
                raise
            path = sqlite_file(self.url) or "this address"
            why = self.read_only_reason or "the file or its folder is not writable"
            raise ReadOnlyDatabase(
                f"the database at {path} is read-only: {why}; nothing was written"
            ) from None

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
            raised = [DATA, FIGURES] if is_figure_change(action, outcome) else [DATA]
            conn.execute(
                update(DataVersion)
                .where(DataVersion.id.in_(raised))
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
        return int(self.scalar(select(DataVersion.version).where(DataVersion.id == DATA)) or 0)

    def figures_version(self) -> int:
        """A number that grows with every change of what is published (:data:`FIGURE_ACTIONS`):
        the publication is keyed on it, so a new user or a plan edit publishes nothing."""
        return int(self.scalar(select(DataVersion.version).where(DataVersion.id == FIGURES)) or 0)

    def versions(self) -> tuple[int, int]:
        """:meth:`data_version` and :meth:`figures_version` in one read (what every page run
        needs): one round trip and one statement, built once."""
        with self.reading() as conn:
            held = dict(conn.execute(_VERSIONS).all())
        return int(held.get(DATA) or 0), int(held.get(FIGURES) or 0)
