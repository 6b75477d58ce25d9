"""Published figures: claimed, stored and read by bound SQL (:mod:`csa.publish` makes them)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import delete, insert, literal, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from csa.db.core import ReadOnlyDatabase, utcnow
from csa.models import Publication, PublishedFigure

#: Rows written per INSERT: large enough to be quick, small enough for PostgreSQL's limit of
#: 65,535 bound parameters (about 40 columns a row).
_CHUNK = 1000


class StaleBase(RuntimeError):
    """The publication an incremental one copies from changed while it was built."""


class PublishedGateway:
    """Mixin of :class:`csa.db.Database`."""

    def publication_ready(self, key: str) -> bool:
        stmt = select(Publication.ready).where(Publication.key == key)
        return bool(self.scalar(stmt))

    def publication_claimed(self, key: str) -> bool:
        return self.scalar(select(Publication.key).where(Publication.key == key)) is not None

    def claim_publication(self, key: str, data_version: int) -> bool | None:
        """Claim the computation of ``key``: True for the one caller that inserts the row,
        False for every other (another process is computing it, or has), None where this
        connection may not write (the public entry's read-only role)."""
        try:
            with self.transaction() as conn:
                conn.execute(
                    insert(Publication).values(
                        key=key,
                        data_version=data_version,
                        ready=False,
                        started_at=utcnow(),
                        figures=0,
                    )  # fmt: skip
                )
        except IntegrityError:
            return False
        except ReadOnlyDatabase:
            return None
        except DBAPIError as exc:
            if "read-only" in str(exc) or "permission denied" in str(exc) or "readonly" in str(exc):
                return None
            raise
        return True

    def release_publication(self, key: str) -> None:
        """Give up a claim that failed, so the next reader computes it again."""
        with self.transaction() as conn:
            conn.execute(
                delete(Publication).where(Publication.key == key, Publication.ready.is_(False))
            )

    def store_publication(
        self,
        key: str,
        figures: pd.DataFrame | None,
        seconds: float,
        *,
        fingerprints: str | None = None,
        rebuilt: int | None = None,
        copy_from: str | None = None,
        copy_indicators: Iterable[str] = (),
        copy_rows: int = 0,
    ) -> None:
        """Write a claimed publication's figures and mark it ready, in one transaction;
        figures of older publications are removed in the same transaction.

        Incremental: ``figures`` holds only the rebuilt indicators, and the rows of
        ``copy_indicators`` are copied from the ready publication ``copy_from`` (first, in
        the same transaction). Exactly ``copy_rows`` rows must be copied, else
        :class:`StaleBase` is raised and nothing is written (the earlier publication went
        away meanwhile: the caller builds in full).
        """
        table = PublishedFigure.__table__
        columns = [c.name for c in table.columns]
        records = []
        if figures is not None and len(figures):
            rows = figures.assign(publication_key=key)[columns]
            records = rows.astype(object).where(rows.notna(), None).to_dict("records")
        copy_indicators = list(copy_indicators)
        with self.transaction() as conn:
            copied = 0
            if copy_from is not None and copy_indicators:
                source = select(
                    *[literal(key) if c == "publication_key" else table.c[c] for c in columns]
                ).where(
                    table.c.publication_key == copy_from,
                    table.c.indicator_code.in_(copy_indicators),
                )
                copied = conn.execute(insert(table).from_select(columns, source)).rowcount
            if copy_from is not None and copied != copy_rows:
                raise StaleBase(
                    f"{copied} rows copied from publication {copy_from}, {copy_rows} expected"
                )
            conn.execute(delete(PublishedFigure).where(PublishedFigure.publication_key != key))
            conn.execute(delete(Publication).where(Publication.key != key, Publication.ready))
            for start in range(0, len(records), _CHUNK):
                conn.execute(insert(PublishedFigure), records[start : start + _CHUNK])
            conn.execute(
                update(Publication)
                .where(Publication.key == key)
                .values(
                    ready=True,
                    seconds=seconds,
                    figures=len(records) + copied,
                    fingerprints=fingerprints,
                    rebuilt=rebuilt,
                )
            )

    def latest_publication(self, suffix: str, before: str) -> dict | None:
        """The newest ready publication (other than ``before``) whose key ends with
        ``suffix`` (same settings and method) and that stored fingerprints: key and
        fingerprints, or None."""
        stmt = (
            select(Publication.key, Publication.fingerprints)
            .where(
                Publication.ready.is_(True),
                Publication.key != before,
                Publication.key.endswith(suffix),
                Publication.fingerprints.is_not(None),
            )
            .order_by(Publication.data_version.desc())
            .limit(1)
        )
        df = self.read(stmt)
        return None if df.empty else df.iloc[0].to_dict()

    def published_figures(
        self,
        key: str,
        audience: str,
        *,
        indicators: Iterable[str] | None = None,
        areas: Iterable[str] | None = None,
        periods: Iterable[str] | None = None,
        columns: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """The published figures of one audience, the slice asked for, oldest period first."""
        table = PublishedFigure.__table__
        cols = [table.c[c] for c in columns] if columns else list(table.c)
        stmt = select(*cols).where(table.c.publication_key == key, table.c.audience == audience)
        for col, wanted in (
            (table.c.indicator_code, indicators),
            (table.c.area_code, areas),
            (table.c.period_label, periods),
        ):
            if wanted is not None:
                stmt = stmt.where(col.in_(list(wanted)))
        stmt = stmt.order_by(table.c.indicator_code, table.c.area_code, table.c.period_start)
        return self.read(stmt)

    def published_periods(self, key: str, audience: str) -> list[str]:
        """The distinct period labels published for ``audience``, sorted."""
        table = PublishedFigure.__table__
        stmt = (
            select(table.c.period_label)
            .where(table.c.publication_key == key, table.c.audience == audience)
            .distinct()
            .order_by(table.c.period_label)
        )
        return [str(v) for v in self.read(stmt)["period_label"]]

    def publication(self, key: str) -> dict | None:
        """The publication row (data version, ready, seconds, figures) or None."""
        df = self.read(select(Publication).where(Publication.key == key))
        return None if df.empty else df.iloc[0].to_dict()
