"""Uploads: the archive of imported files, revision bases for commits, and rollbacks.

An upload row keeps the original bytes and their SHA-256, who sent the file and when, and
how many figures were new, changed or unchanged. Observations written by an upload carry
its id, so the history of every figure shows the file each revision came from. A rollback
appends revisions (it never deletes or edits a figure) and marks the upload rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, func, insert, select, tuple_, update

from csa.db.core import frame
from csa.models import Observation, Upload, User

#: Columns of an upload without the (possibly large) file content.
UPLOAD_COLUMNS = [c for c in Upload.__table__.c if c.name != "content"]


def key_string(indicator_code: str, area_code: str, period_label: str) -> str:
    """One string per figure, ``"DA-01|E07000117|2026-27 Q2"`` (used as a dict key)."""
    return f"{indicator_code}|{area_code}|{period_label}"


class UploadGateway:
    # -- reads ------------------------------------------------------------------------
    def uploads(self, kinds: Iterable[str] | None = None, limit: int = 500) -> pd.DataFrame:
        """Uploads newest first, without their file content."""
        stmt = select(*UPLOAD_COLUMNS).order_by(Upload.id.desc()).limit(int(limit))
        if kinds is not None:
            stmt = stmt.where(Upload.kind.in_(list(kinds)))
        return self.read(stmt)

    def upload(self, upload_id: int) -> dict | None:
        """One upload (without content) as a dict, or None."""
        df = self.read(select(*UPLOAD_COLUMNS).where(Upload.id == int(upload_id)))
        return None if df.empty else df.iloc[0].to_dict()

    def upload_content(self, upload_id: int) -> bytes | None:
        """The archived original bytes of an upload."""
        return self.scalar(select(Upload.content).where(Upload.id == int(upload_id)))

    def committed_upload_with_sha(self, sha256: str, kind: str = "return") -> dict | None:
        """The committed (not rolled back) upload of a file with these bytes, if any."""
        df = self.read(
            select(*UPLOAD_COLUMNS)
            .where(Upload.sha256 == sha256, Upload.kind == kind, Upload.outcome == "committed")
            .order_by(Upload.id)
            .limit(1)
        )
        return None if df.empty else df.iloc[0].to_dict()

    def upload_observations(self, upload_id: int) -> pd.DataFrame:
        """The revisions an upload wrote."""
        return self.read(
            select(Observation)
            .where(Observation.upload_id == int(upload_id))
            .order_by(Observation.indicator_code, Observation.area_code, Observation.period_label)
        )

    def revisions_of_upload_figures(self, upload_id: int) -> pd.DataFrame:
        """Every revision of every figure an upload touched, newest first, with the upload
        each came from (file name, kind, outcome)."""
        with self.reading() as conn:
            keys = self.keys_of_upload(conn, upload_id)
            if not keys:
                return pd.DataFrame(
                    columns=[c.name for c in Observation.__table__.c]
                    + ["file_name", "upload_kind", "upload_outcome"]
                )
            stmt = (
                select(
                    Observation,
                    Upload.file_name,
                    Upload.kind.label("upload_kind"),
                    Upload.outcome.label("upload_outcome"),
                )
                .outerjoin(Upload, Upload.id == Observation.upload_id)
                .where(_key_filter(keys))
                .order_by(
                    Observation.indicator_code,
                    Observation.area_code,
                    Observation.period_label,
                    Observation.revision.desc(),
                )
            )
            return frame(conn, stmt)

    def user_by_email(self, email: str) -> dict | None:
        """The users-table row for an e-mail address (case-insensitive), or None."""
        df = self.read(
            select(User.email, User.name, User.role, User.org_code, User.disabled).where(
                func.lower(User.email) == email.strip().lower()
            )
        )
        return None if df.empty else df.iloc[0].to_dict()

    # -- writes inside the caller's transaction ----------------------------------------
    def revision_basis(self, conn: Connection, keys: pd.DataFrame) -> dict[str, int]:
        """For each figure key, its current revision number (0 when there is none yet),
        withdrawn revisions included: what a commit checks has not moved since the preview."""
        current = self.current_for_keys(conn, keys)
        have = {
            key_string(r.indicator_code, r.area_code, r.period_label): int(r.revision)
            for r in current.itertuples(index=False)
        }
        return {
            key_string(r.indicator_code, r.area_code, r.period_label): have.get(
                key_string(r.indicator_code, r.area_code, r.period_label), 0
            )
            for r in keys.itertuples(index=False)
        }

    @staticmethod
    def insert_upload(
        conn: Connection,
        *,
        kind: str,
        file_name: str,
        sha256: str,
        content: bytes | None,
        user_email: str,
        created_at: datetime,
        outcome: str = "committed",
        message: str = "",
        dedupe_key: str | None = None,
        reverts_upload_id: int | None = None,
    ) -> int:
        """Archive an upload. ``dedupe_key`` (``"return:<sha256>"`` for a return) is unique
        among stored uploads: a second committed copy of the same file raises
        ``IntegrityError`` inside the caller's transaction, however the commits interleave."""
        return int(
            conn.execute(
                insert(Upload)
                .values(
                    kind=kind,
                    file_name=file_name[:255],
                    sha256=sha256,
                    content=content,
                    user_email=user_email,
                    created_at=created_at,
                    outcome=outcome,
                    message=message,
                    dedupe_key=dedupe_key,
                    reverts_upload_id=reverts_upload_id,
                )
                .returning(Upload.id)
            ).scalar_one()
        )

    @staticmethod
    def finish_upload(conn: Connection, upload_id: int, counts: dict[str, int]) -> None:
        conn.execute(
            update(Upload)
            .where(Upload.id == int(upload_id))
            .values(
                rows_total=sum(counts.get(k, 0) for k in ("new", "changed", "unchanged")),
                rows_new=counts.get("new", 0),
                rows_changed=counts.get("changed", 0),
                rows_unchanged=counts.get("unchanged", 0),
            )
        )

    @staticmethod
    def lock_upload(conn: Connection, upload_id: int) -> dict | None:
        """Read an upload inside a transaction (row-locked on PostgreSQL)."""
        stmt = select(*UPLOAD_COLUMNS).where(Upload.id == int(upload_id))
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        df = frame(conn, stmt)
        return None if df.empty else df.iloc[0].to_dict()

    @staticmethod
    def keys_of_upload(conn: Connection, upload_id: int) -> list[tuple[str, str, str]]:
        """The (indicator, area, period) keys of the figures an upload wrote."""
        rows = conn.execute(
            select(Observation.indicator_code, Observation.area_code, Observation.period_label)
            .where(Observation.upload_id == int(upload_id))
            .distinct()
        ).all()
        return sorted(tuple(r) for r in rows)

    @staticmethod
    def revisions_for_keys(conn: Connection, keys: list[tuple[str, str, str]]) -> pd.DataFrame:
        """Every revision of the given figure keys (for rolling back)."""
        if not keys:
            return pd.DataFrame(columns=[c.name for c in Observation.__table__.c])
        return frame(
            conn,
            select(Observation)
            .where(_key_filter(keys))
            .order_by(
                Observation.indicator_code,
                Observation.area_code,
                Observation.period_label,
                Observation.revision,
            ),
        )

    @staticmethod
    def append_revisions(conn: Connection, records: list[dict]) -> None:
        """Insert revisions as given (revision numbers included): the rollback's writer."""
        if records:
            conn.execute(insert(Observation), records)

    @staticmethod
    def mark_rolled_back(
        conn: Connection, upload_id: int, by: str, at: datetime, message: str
    ) -> None:
        conn.execute(
            update(Upload)
            .where(Upload.id == int(upload_id))
            .values(
                outcome="rolled_back",
                rolled_back_by=by,
                rolled_back_at=at,
                message=message,
                dedupe_key=None,  # the same file may be imported again
            )
        )

    @staticmethod
    def upload_links(conn: Connection) -> dict[int, tuple[str, int | None]]:
        """``{upload id: (kind, id of the upload it reverts)}`` for every upload (small: no
        content), to tell what each rollback did."""
        rows = conn.execute(select(Upload.id, Upload.kind, Upload.reverts_upload_id)).all()
        return {int(i): (str(k), None if r is None else int(r)) for i, k, r in rows}

    @staticmethod
    def rollback_of(conn: Connection, upload_id: int) -> int | None:
        """The (latest) rollback upload that undid ``upload_id``, if any."""
        return conn.execute(
            select(func.max(Upload.id)).where(
                Upload.kind == "rollback", Upload.reverts_upload_id == int(upload_id)
            )
        ).scalar()


def _key_filter(keys: list[tuple[str, str, str]]):
    """A WHERE clause matching any of the (indicator, area, period) keys, bound parameters."""
    return tuple_(Observation.indicator_code, Observation.area_code, Observation.period_label).in_(
        keys
    )
