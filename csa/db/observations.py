"""Observations: current figures, revision history and append-only writes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sqlalchemy import Connection, and_, func, insert, select

from csa.db.core import frame, utcnow
from csa.models import Observation, Period, Upload

KEY = ["indicator_code", "area_code", "period_label"]
FIGURE_COLUMNS = ["numerator", "denominator", "value", "status"]


def _latest_revisions():
    return (
        select(
            Observation.indicator_code,
            Observation.area_code,
            Observation.period_label,
            func.max(Observation.revision).label("revision"),
        )
        .group_by(Observation.indicator_code, Observation.area_code, Observation.period_label)
        .subquery("latest")
    )


def _current_statement(
    indicator_codes=None, area_codes=None, period_labels=None, include_withdrawn=False
):
    latest = _latest_revisions()
    stmt = (
        select(
            Observation,
            Period.start_date.label("period_start"),
            Period.end_date.label("period_end"),
            Period.frequency.label("period_frequency"),
        )
        .join(
            latest,
            and_(
                Observation.indicator_code == latest.c.indicator_code,
                Observation.area_code == latest.c.area_code,
                Observation.period_label == latest.c.period_label,
                Observation.revision == latest.c.revision,
            ),
        )
        .join(Period, Period.label == Observation.period_label)
        .order_by(Observation.indicator_code, Observation.area_code, Period.start_date)
    )
    if indicator_codes is not None:
        stmt = stmt.where(Observation.indicator_code.in_(list(indicator_codes)))
    if area_codes is not None:
        stmt = stmt.where(Observation.area_code.in_(list(area_codes)))
    if period_labels is not None:
        stmt = stmt.where(Observation.period_label.in_(list(period_labels)))
    if not include_withdrawn:
        stmt = stmt.where(Observation.withdrawn.is_(False))
    return stmt


class ObservationGateway:
    def observations(
        self,
        indicator_codes: Sequence[str] | None = None,
        area_codes: Sequence[str] | None = None,
        period_labels: Sequence[str] | None = None,
        include_withdrawn: bool = False,
    ) -> pd.DataFrame:
        """The current (latest, not withdrawn) revision of each figure."""
        return self.read(
            _current_statement(indicator_codes, area_codes, period_labels, include_withdrawn)
        )

    def series_kinds(self) -> pd.DataFrame:
        """Each (indicator_code, period_label, data_kind) holding a current figure, once:
        all :func:`csa.inventory.series_periods` needs. One DISTINCT query, not a read of
        the whole table (a million rows at 100 times the indicators)."""
        current = _current_statement().order_by(None).subquery()
        return self.read(
            select(current.c.indicator_code, current.c.period_label, current.c.data_kind)
            .distinct()
            .order_by(current.c.indicator_code, current.c.period_label, current.c.data_kind)
        )

    def scalar_count_revisions(self) -> int:
        """Every stored revision, current or not."""
        return int(self.scalar(select(func.count(Observation.id))))

    def history(
        self, indicator_code: str, area_code: str | None = None, period_label: str | None = None
    ) -> pd.DataFrame:
        """Every revision of the figures, newest first, with the file each came from."""
        stmt = (
            select(Observation, Upload.file_name, Upload.kind.label("upload_kind"))
            .outerjoin(Upload, Upload.id == Observation.upload_id)
            .where(Observation.indicator_code == indicator_code)
            .order_by(Observation.area_code, Observation.period_label, Observation.revision.desc())
        )
        if area_code is not None:
            stmt = stmt.where(Observation.area_code == area_code)
        if period_label is not None:
            stmt = stmt.where(Observation.period_label == period_label)
        return self.read(stmt)

    @staticmethod
    def current_for_keys(conn: Connection, keys: pd.DataFrame) -> pd.DataFrame:
        """Current revisions (withdrawn included) for the given indicator/area/period keys."""
        if keys.empty:
            return pd.DataFrame(columns=[*KEY, *FIGURE_COLUMNS, "revision", "withdrawn", "id"])
        stmt = _current_statement(
            indicator_codes=sorted(keys["indicator_code"].unique()),
            area_codes=sorted(keys["area_code"].unique()),
            period_labels=sorted(keys["period_label"].unique()),
            include_withdrawn=True,
        )
        current = frame(conn, stmt)
        return current.merge(keys[KEY].drop_duplicates(), on=KEY, how="inner")

    @classmethod
    def diff_against_current(cls, conn: Connection, rows: pd.DataFrame) -> pd.DataFrame:
        """Classify each incoming row as new, changed or unchanged against the current figure.

        Adds columns ``change`` and ``old_numerator``, ``old_denominator``, ``old_value``,
        ``old_status``, ``old_revision``, ``old_data_kind``. When ``rows`` carries a
        ``data_kind``, a real figure arriving over a demo one with the same numbers is
        ``changed`` (its kind changes: a submitted figure is real from the moment it arrives).
        """
        current = cls.current_for_keys(conn, rows)
        if "data_kind" not in current:
            current = current.assign(data_kind=pd.Series(dtype=object))
        old = [*FIGURE_COLUMNS, "revision", "withdrawn", "data_kind"]
        cur = current[[*KEY, *old]].rename(columns={c: f"old_{c}" for c in old})
        merged = rows.merge(cur, on=KEY, how="left")
        is_new = merged["old_revision"].isna() | merged["old_withdrawn"].fillna(False).astype(bool)
        same = np.ones(len(merged), dtype=bool)
        for col in ("numerator", "denominator", "value"):
            a = pd.to_numeric(merged[col], errors="coerce").to_numpy(dtype=float)
            b = pd.to_numeric(merged[f"old_{col}"], errors="coerce").to_numpy(dtype=float)
            same &= (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-12, atol=1e-12)
        same &= (
            merged["status"].astype(str).to_numpy() == merged["old_status"].astype(str).to_numpy()
        )
        if "data_kind" in merged:
            same &= ~(
                (merged["data_kind"].astype(str).to_numpy() == "real")
                & (merged["old_data_kind"].astype(str).to_numpy() == "demo")
            )
        merged["change"] = np.where(is_new, "new", np.where(same, "unchanged", "changed"))
        return merged

    @classmethod
    def write_revisions(
        cls,
        conn: Connection,
        rows: pd.DataFrame,
        *,
        upload_id: int | None,
        user_email: str,
        data_kind: str = "real",
    ) -> dict[str, int]:
        """Append a revision for every new or changed figure; unchanged figures are skipped.

        ``rows`` has columns indicator_code, area_code, period_label, numerator, denominator,
        value and optionally status, data_kind and note. Returns counts by change type.
        """
        rows = rows.copy()
        if "status" not in rows:
            rows["status"] = "final"
        if "data_kind" not in rows:
            rows["data_kind"] = data_kind
        if "note" not in rows:
            rows["note"] = ""
        diff = cls.diff_against_current(conn, rows)
        to_write = diff[diff["change"] != "unchanged"]
        now = utcnow()
        records = []
        for rec in to_write.to_dict("records"):
            records.append(
                {
                    "indicator_code": rec["indicator_code"],
                    "area_code": rec["area_code"],
                    "period_label": rec["period_label"],
                    "numerator": _num(rec["numerator"]),
                    "denominator": _num(rec["denominator"]),
                    "value": _num(rec["value"]),
                    "status": rec["status"],
                    "data_kind": rec["data_kind"],
                    "revision": 1 if pd.isna(rec["old_revision"]) else int(rec["old_revision"]) + 1,
                    "withdrawn": False,
                    "upload_id": upload_id,
                    "created_by": user_email,
                    "created_at": now,
                    "note": rec.get("note") or "",
                }
            )
        if records:
            conn.execute(insert(Observation), records)
        counts = diff["change"].value_counts().to_dict()
        return {k: int(counts.get(k, 0)) for k in ("new", "changed", "unchanged")}


def _num(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f
