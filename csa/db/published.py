"""Published figures: claimed, stored and read by bound SQL (:mod:`csa.publish` makes them)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from csa.db.core import ReadOnlyDatabase, utcnow
from csa.db.core import records as to_records
from csa.models import Publication, PublishedFigure

#: Rows written per INSERT: large enough to be quick, small enough for PostgreSQL's limit of
#: 65,535 bound parameters (about 40 columns a row).
_CHUNK = 1000


def _stored_under(publication):
    """The key a publication's figures are stored under (its own unless ``stored_as``)."""
    return func.coalesce(publication.stored_as, publication.key)


def _stored_key(key: str, *, ready: bool = False):
    """SELECT the key publication ``key``'s figures are stored under (only when ready, if
    ``ready``): as a scalar subquery, readers resolve it in the statement that reads."""
    stmt = select(_stored_under(Publication)).where(Publication.key == key)
    return stmt.where(Publication.ready.is_(True)) if ready else stmt


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
        ``copy_indicators`` are those of the ready publication ``copy_from``, taken over
        where they are stored rather than copied: ``copy_from`` is removed, its other rows
        replaced by ``figures``, and this publication records that its figures are stored
        under the same key (``stored_as``; readers resolve it in the same statement,
        :meth:`published_figures`). Exactly ``copy_rows`` rows must be kept, and
        ``copy_from`` must still be there to take over, else :class:`StaleBase` is raised
        and nothing is written (the earlier publication went away meanwhile, or another
        publication took it over: the caller builds in full).
        """
        table = PublishedFigure.__table__
        columns = [c.name for c in table.columns]
        copy_indicators = list(copy_indicators)
        base = None  # the key the earlier publication's rows are stored under
        if copy_from is not None and copy_indicators:
            base = self.scalar(_stored_key(copy_from, ready=True))
            if base is None:
                raise StaleBase(f"publication {copy_from} is no longer there to copy from")
        rows_key = key if base is None else base
        records = []
        if figures is not None and len(figures):
            rows = figures.assign(publication_key=rows_key)[columns]
            records = to_records(rows)
        with self.transaction() as conn:
            kept = 0
            if base is not None:
                # take the earlier publication over: removing it first (a write, so a second
                # publication taking it over at the same time waits here, then finds it gone)
                taken = conn.execute(
                    delete(Publication).where(
                        Publication.key == copy_from,
                        Publication.ready.is_(True),
                        _stored_under(Publication) == base,
                    )
                ).rowcount
                if taken != 1:
                    raise StaleBase(f"publication {copy_from} went away or was taken over")
                ours = table.c.publication_key == base
                kept = conn.execute(
                    select(func.count())
                    .select_from(table)
                    .where(ours, table.c.indicator_code.in_(copy_indicators))
                ).scalar()
                if kept != copy_rows:
                    raise StaleBase(
                        f"{kept} rows kept from publication {copy_from}, {copy_rows} expected"
                    )
                conn.execute(
                    delete(table).where(ours, table.c.indicator_code.not_in(copy_indicators))
                )
            conn.execute(delete(table).where(table.c.publication_key != rows_key))
            conn.execute(delete(Publication).where(Publication.key != key, Publication.ready))
            for start in range(0, len(records), _CHUNK):
                conn.execute(insert(table), records[start : start + _CHUNK])
            conn.execute(
                update(Publication)
                .where(Publication.key == key)
                .values(
                    ready=True,
                    seconds=seconds,
                    figures=len(records) + kept,
                    fingerprints=fingerprints,
                    rebuilt=rebuilt,
                    stored_as=None if rows_key == key else rows_key,
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
        cols = [
            literal(key).label(c) if c == "publication_key" else table.c[c]
            for c in (columns or [c.name for c in table.columns])
        ]  # the key asked for, whichever key the rows are stored under
        stmt = select(*cols).where(
            table.c.publication_key == _stored_key(key).scalar_subquery(),
            table.c.audience == audience,
        )
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
            .where(
                table.c.publication_key == _stored_key(key).scalar_subquery(),
                table.c.audience == audience,
            )
            .distinct()
            .order_by(table.c.period_label)
        )
        return [str(v) for v in self.read(stmt)["period_label"]]

    def publication(self, key: str) -> dict | None:
        """The publication row (data version, ready, seconds, figures) or None."""
        df = self.read(select(Publication).where(Publication.key == key))
        return None if df.empty else df.iloc[0].to_dict()
