"""Reads and idempotent loads of the reference tables (areas, indicators, periods, ...)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, insert, select

from csa.db.core import frame
from csa.models import (
    Area,
    AreaMember,
    ContextIndicator,
    Deprivation,
    Edition,
    Indicator,
    Organisation,
    Period,
    Population,
    Target,
    Theme,
    UnitCost,
)

#: Load order respects foreign keys.
REFERENCE_TABLES = {
    "organisations": Organisation,
    "areas": Area,
    "area_members": AreaMember,
    "populations": Population,
    "editions": Edition,
    "themes": Theme,
    "indicators": Indicator,
    "targets": Target,
    "periods": Period,
    "deprivation": Deprivation,
    "context_indicators": ContextIndicator,
    "unit_costs": UnitCost,
}


class ReferenceGateway:
    def areas(self) -> pd.DataFrame:
        return self.read(select(Area).order_by(Area.sort_order, Area.name))

    def area_members(self) -> pd.DataFrame:
        return self.read(select(AreaMember))

    def populations(self) -> pd.DataFrame:
        return self.read(select(Population).order_by(Population.area_code, Population.year))

    def organisations(self) -> pd.DataFrame:
        return self.read(select(Organisation).order_by(Organisation.name))

    def themes(self) -> pd.DataFrame:
        return self.read(select(Theme).order_by(Theme.sort_order))

    def indicators(self, public_only: bool = False) -> pd.DataFrame:
        stmt = (
            select(
                Indicator,
                Theme.name.label("theme_name"),
                Theme.kind.label("theme_kind"),
                Theme.sort_order.label("theme_order"),
                Organisation.name.label("lead_organisation"),
            )
            .join(Theme, Theme.code == Indicator.theme_code)
            .join(Organisation, Organisation.code == Indicator.lead_org_code)
            .order_by(Theme.sort_order, Indicator.sort_order, Indicator.code)
        )
        if public_only:
            stmt = stmt.where(Indicator.public.is_(True))
        return self.read(stmt)

    def targets(self) -> pd.DataFrame:
        return self.read(select(Target).order_by(Target.indicator_code, Target.id))

    def periods(self) -> pd.DataFrame:
        return self.read(select(Period).order_by(Period.start_date, Period.end_date))

    def deprivation(self) -> pd.DataFrame:
        return self.read(select(Deprivation))

    def context_indicators(self) -> pd.DataFrame:
        return self.read(select(ContextIndicator).order_by(ContextIndicator.id))

    def editions(self) -> pd.DataFrame:
        return self.read(select(Edition).order_by(Edition.start_date))

    @staticmethod
    def load_reference(conn: Connection, tables: dict[str, pd.DataFrame]) -> dict[str, int]:
        """Insert reference rows whose primary key is not there yet; return counts added.

        Existing rows are left as they are, so loading twice changes nothing.
        """
        added: dict[str, int] = {}
        for name, model in REFERENCE_TABLES.items():
            df = tables.get(name)
            if df is None or df.empty:
                continue
            pk_cols = [c.name for c in model.__table__.primary_key.columns]
            existing = frame(conn, select(*[model.__table__.c[c] for c in pk_cols]))
            have = set(map(tuple, existing[pk_cols].astype(str).itertuples(index=False)))
            records = [
                {k: (None if _isna(v) else v) for k, v in rec.items()}
                for rec in df.to_dict("records")
                if tuple(str(rec[c]) for c in pk_cols) not in have
            ]
            if records:
                conn.execute(insert(model), records)
            added[name] = len(records)
        return added


def _isna(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
