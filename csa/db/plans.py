"""Recovery plans and their versions: the plans part of the gateway.

A plan is one row of ``recovery_plans`` (its current state, title, lead organisation, review
date and outcome) plus an append-only history in ``plan_versions``: every save, submission,
approval, return, progress update and closure adds a version holding the whole plan content
as JSON. Nothing is overwritten except the plan row's summary columns, which always match
the latest version. The workflow rules (who may do what, in which state) live in
:mod:`csa.plans.workflow`; this module only reads and writes.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, insert, select, update

from csa.db.core import utcnow
from csa.models import Area, Indicator, PlanVersion, RecoveryPlan

#: Columns of :meth:`PlanGateway.plans`.
PLAN_COLUMNS = [
    "id",
    "indicator_code",
    "indicator_title",
    "area_code",
    "area_name",
    "period_label",
    "state",
    "title",
    "lead_org_code",
    "review_date",
    "outcome",
    "created_by",
    "created_at",
    "updated_at",
    "version",
]

#: Plan states that are still live (not closed): a trajectory from one of these is drawn.
OPEN_STATES = ("draft", "submitted", "approved", "returned", "monitoring")


def _json_default(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__} in a plan")


def dump_content(content: dict) -> str:
    """Plan content as JSON text (dates as ISO strings), stable key order."""
    return json.dumps(content, default=_json_default, sort_keys=True, ensure_ascii=False)


class PlanGateway:
    """Reads and writes of ``recovery_plans`` and ``plan_versions``."""

    # -- reads --------------------------------------------------------------------------
    def plans(
        self,
        indicator_code: str | None = None,
        area_code: str | None = None,
        states: tuple[str, ...] | None = None,
    ) -> pd.DataFrame:
        """Plans (newest first) with the indicator title, area name and latest version."""
        latest = (
            select(PlanVersion.plan_id, func.max(PlanVersion.version).label("version"))
            .group_by(PlanVersion.plan_id)
            .subquery()
        )
        stmt = (
            select(
                RecoveryPlan.id,
                RecoveryPlan.indicator_code,
                Indicator.title.label("indicator_title"),
                RecoveryPlan.area_code,
                Area.name.label("area_name"),
                RecoveryPlan.period_label,
                RecoveryPlan.state,
                RecoveryPlan.title,
                RecoveryPlan.lead_org_code,
                RecoveryPlan.review_date,
                RecoveryPlan.outcome,
                RecoveryPlan.created_by,
                RecoveryPlan.created_at,
                RecoveryPlan.updated_at,
                latest.c.version,
            )
            .join(Indicator, Indicator.code == RecoveryPlan.indicator_code)
            .join(Area, Area.code == RecoveryPlan.area_code)
            .outerjoin(latest, latest.c.plan_id == RecoveryPlan.id)
            .order_by(RecoveryPlan.id.desc())
        )
        if indicator_code is not None:
            stmt = stmt.where(RecoveryPlan.indicator_code == indicator_code)
        if area_code is not None:
            stmt = stmt.where(RecoveryPlan.area_code == area_code)
        if states is not None:
            stmt = stmt.where(RecoveryPlan.state.in_(list(states)))
        return self.read(stmt)[PLAN_COLUMNS]

    def plan(self, plan_id: int, conn: Connection | None = None) -> dict | None:
        """One plan's row as a dict, with ``content`` (the latest version, parsed) and
        ``version`` (its number); None when there is no such plan."""
        stmt = select(*RecoveryPlan.__table__.c).where(RecoveryPlan.id == int(plan_id))
        vstmt = (
            select(PlanVersion.version, PlanVersion.content)
            .where(PlanVersion.plan_id == int(plan_id))
            .order_by(PlanVersion.version.desc())
            .limit(1)
        )
        if conn is None:
            with self.reading() as c:
                return self.plan(plan_id, c)
        row = conn.execute(stmt).mappings().first()
        if row is None:
            return None
        out = dict(row)
        latest = conn.execute(vstmt).first()
        out["version"] = int(latest.version) if latest else 0
        out["content"] = json.loads(latest.content) if latest else {}
        return out

    def plan_versions(self, plan_id: int) -> pd.DataFrame:
        """Every version of a plan, oldest first (content left as JSON text)."""
        return self.read(
            select(PlanVersion)
            .where(PlanVersion.plan_id == int(plan_id))
            .order_by(PlanVersion.version)
        )

    def plan_version(self, plan_id: int, version: int) -> dict | None:
        """One version with its content parsed, or None."""
        with self.reading() as conn:
            row = (
                conn.execute(
                    select(*PlanVersion.__table__.c).where(
                        PlanVersion.plan_id == int(plan_id), PlanVersion.version == int(version)
                    )
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        out = dict(row)
        out["content"] = json.loads(out["content"])
        return out

    def latest_plan_contents(self, plan_ids) -> dict[int, dict]:
        """plan id -> content of its latest version, for many plans in one read."""
        ids = [int(i) for i in plan_ids]
        if not ids:
            return {}
        latest = (
            select(PlanVersion.plan_id, func.max(PlanVersion.version).label("version"))
            .where(PlanVersion.plan_id.in_(ids))
            .group_by(PlanVersion.plan_id)
            .subquery()
        )
        stmt = select(PlanVersion.plan_id, PlanVersion.content).join(
            latest,
            (latest.c.plan_id == PlanVersion.plan_id) & (latest.c.version == PlanVersion.version),
        )
        with self.reading() as conn:
            return {int(r.plan_id): json.loads(r.content) for r in conn.execute(stmt)}

    def current_plan(self, indicator_code: str, area_code: str) -> dict | None:
        """The latest plan for this indicator and area that is not closed, or None."""
        stmt = (
            select(RecoveryPlan.id)
            .where(
                RecoveryPlan.indicator_code == indicator_code,
                RecoveryPlan.area_code == area_code,
                RecoveryPlan.state.in_(OPEN_STATES),
            )
            .order_by(RecoveryPlan.id.desc())
            .limit(1)
        )
        with self.reading() as conn:
            plan_id = conn.execute(stmt).scalar()
            return None if plan_id is None else self.plan(plan_id, conn)

    def current_trajectory(self, indicator_code: str, area_code: str) -> dict[str, float] | None:
        """The expected recovery trajectory ({period label: value}) of the latest plan for
        this indicator and area that is not closed; None when there is none or it is empty."""
        plan = self.current_plan(indicator_code, area_code)
        if plan is None:
            return None
        trajectory = plan["content"].get("trajectory") or {}
        return {str(k): float(v) for k, v in trajectory.items()} or None

    # -- writes (inside the caller's transaction) ------------------------------------------
    @staticmethod
    def insert_plan(
        conn: Connection,
        *,
        indicator_code: str,
        area_code: str,
        period_label: str,
        title: str,
        lead_org_code: str | None,
        created_by: str,
        review_date: date | None = None,
    ) -> int:
        """Add a plan row in state ``draft``; returns its id."""
        now = utcnow()
        result = conn.execute(
            insert(RecoveryPlan).values(
                indicator_code=indicator_code,
                area_code=area_code,
                period_label=period_label,
                state="draft",
                title=title,
                lead_org_code=lead_org_code,
                review_date=review_date,
                outcome="",
                created_by=created_by,
                created_at=now,
                updated_at=now,
            )
        )
        return int(result.inserted_primary_key[0])

    @staticmethod
    def update_plan(conn: Connection, plan_id: int, **fields) -> None:
        """Change the plan row's summary columns (state, title, review_date, outcome)."""
        allowed = {"state", "title", "review_date", "outcome"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot change {', '.join(sorted(unknown))} of a plan")
        conn.execute(
            update(RecoveryPlan)
            .where(RecoveryPlan.id == int(plan_id))
            .values(**fields, updated_at=utcnow())
        )

    @staticmethod
    def append_version(
        conn: Connection, plan_id: int, *, state: str, content: dict, comment: str, saved_by: str
    ) -> int:
        """Add the next version of a plan; returns its number."""
        current = conn.execute(
            select(func.coalesce(func.max(PlanVersion.version), 0)).where(
                PlanVersion.plan_id == int(plan_id)
            )
        ).scalar()
        number = int(current) + 1
        conn.execute(
            insert(PlanVersion).values(
                plan_id=int(plan_id),
                version=number,
                state=state,
                content=dump_content(content),
                comment=comment or "",
                saved_by=saved_by,
                saved_at=utcnow(),
            )
        )
        return number

    @staticmethod
    def lock_plan(conn: Connection, plan_id: int) -> dict | None:
        """The plan row, locked for update where the database supports it (PostgreSQL), so
        two people saving at once are applied one after the other."""
        stmt = select(*RecoveryPlan.__table__.c).where(RecoveryPlan.id == int(plan_id))
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        row = conn.execute(stmt).mappings().first()
        return None if row is None else dict(row)
