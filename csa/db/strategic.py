"""The strategic assessment tables (``sa_*``): rounds, criteria, issues, scores, priorities.

Reads return DataFrames. Writes run inside the caller's transaction and are called only by
:mod:`csa.strategic.rounds`, which checks the acting user's permission and validates the
input first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from csa.db.core import frame
from csa.models import (
    AssessmentCriterion,
    AssessmentIssue,
    AssessmentPriority,
    AssessmentRound,
    AssessmentScore,
    Theme,
    UnitCost,
)

ROUND_COLUMNS = ["id", "name", "year", "status", "data_kind", "created_by", "created_at"]
CRITERION_COLUMNS = [
    "id",
    "round_id",
    "code",
    "name",
    "description",
    "weight",
    "scale_min",
    "scale_max",
    "data_driven",
]
ISSUE_COLUMNS = ["id", "round_id", "code", "name", "theme_code", "theme_name", "indicator_codes"]
SCORE_COLUMNS = [
    "round_id",
    "area_code",
    "issue_code",
    "criterion_code",
    "score",
    "source",
    "entered_by",
    "entered_at",
]
PRIORITY_COLUMNS = ["round_id", "area_code", "issue_code", "rank", "agreed_by", "agreed_at"]
UNIT_COST_COLUMNS = [
    "category",
    "unit_cost_gbp",
    "price_year",
    "precision",
    "source",
    "entered_by",
    "entered_at",
]


class StrategicGateway:
    # -- reads ------------------------------------------------------------------------
    def unit_costs(self, conn: Connection | None = None) -> pd.DataFrame:
        """The unit costs of crime held (bundled and analyst-entered), by category."""
        stmt = select(UnitCost).order_by(UnitCost.unit_cost_gbp.desc(), UnitCost.category)
        df = frame(conn, stmt) if conn is not None else self.read(stmt)
        return df.reindex(columns=UNIT_COST_COLUMNS)

    def assessment_rounds(self) -> pd.DataFrame:
        """Every round, oldest year first."""
        stmt = select(*[AssessmentRound.__table__.c[c] for c in ROUND_COLUMNS]).order_by(
            AssessmentRound.year, AssessmentRound.id
        )
        return self.read(stmt)

    def assessment_round(self, name: str, conn: Connection | None = None) -> dict[str, Any] | None:
        stmt = select(*AssessmentRound.__table__.c).where(AssessmentRound.name == name)
        if conn is not None:
            row = conn.execute(stmt).mappings().first()
        else:
            with self.reading() as c:
                row = c.execute(stmt).mappings().first()
        return dict(row) if row else None

    def assessment_criteria(self, round_id: int) -> pd.DataFrame:
        stmt = (
            select(*[AssessmentCriterion.__table__.c[c] for c in CRITERION_COLUMNS])
            .where(AssessmentCriterion.round_id == round_id)
            .order_by(AssessmentCriterion.id)
        )
        df = self.read(stmt)
        df["data_driven"] = df["data_driven"].astype(bool)
        return df

    def assessment_issues(self, round_id: int) -> pd.DataFrame:
        stmt = (
            select(
                AssessmentIssue.id,
                AssessmentIssue.round_id,
                AssessmentIssue.code,
                AssessmentIssue.name,
                AssessmentIssue.theme_code,
                Theme.name.label("theme_name"),
                AssessmentIssue.indicator_codes,
            )
            .outerjoin(Theme, Theme.code == AssessmentIssue.theme_code)
            .where(AssessmentIssue.round_id == round_id)
            .order_by(AssessmentIssue.id)
        )
        return self.read(stmt)[ISSUE_COLUMNS]

    def assessment_scores(self, round_id: int) -> pd.DataFrame:
        stmt = (
            select(*[AssessmentScore.__table__.c[c] for c in SCORE_COLUMNS])
            .where(AssessmentScore.round_id == round_id)
            .order_by(
                AssessmentScore.area_code,
                AssessmentScore.issue_code,
                AssessmentScore.criterion_code,
            )
        )
        return self.read(stmt)

    def assessment_priorities(self, round_id: int) -> pd.DataFrame:
        stmt = (
            select(*[AssessmentPriority.__table__.c[c] for c in PRIORITY_COLUMNS])
            .where(AssessmentPriority.round_id == round_id)
            .order_by(AssessmentPriority.area_code, AssessmentPriority.rank)
        )
        return self.read(stmt)

    # -- writes (inside the caller's transaction) --------------------------------------
    @staticmethod
    def upsert_unit_cost(conn: Connection, row: dict[str, Any]) -> None:
        """Insert the category's unit cost, or replace the one held."""
        held = conn.execute(
            select(UnitCost.category).where(UnitCost.category == row["category"])
        ).first()
        if held is None:
            conn.execute(insert(UnitCost).values(**row))
        else:
            conn.execute(
                update(UnitCost)
                .where(UnitCost.category == row["category"])
                .values(**{k: v for k, v in row.items() if k != "category"})
            )

    @staticmethod
    def insert_round(
        conn: Connection,
        *,
        name: str,
        year: int,
        status: str,
        data_kind: str,
        created_by: str,
        created_at: datetime,
    ) -> int:
        return int(
            conn.execute(
                insert(AssessmentRound)
                .values(
                    name=name,
                    year=year,
                    status=status,
                    data_kind=data_kind,
                    created_by=created_by,
                    created_at=created_at,
                )
                .returning(AssessmentRound.id)
            ).scalar_one()
        )

    @staticmethod
    def set_round_status_row(conn: Connection, round_id: int, status: str) -> None:
        conn.execute(
            update(AssessmentRound).where(AssessmentRound.id == round_id).values(status=status)
        )

    @staticmethod
    def replace_criteria(conn: Connection, round_id: int, criteria: pd.DataFrame) -> None:
        """Replace the round's criteria. Scores for a criterion that is removed stay stored
        (and are ignored), so putting the criterion back restores them."""
        conn.execute(delete(AssessmentCriterion).where(AssessmentCriterion.round_id == round_id))
        conn.execute(
            insert(AssessmentCriterion),
            [
                {
                    "round_id": round_id,
                    "code": str(r["code"]),
                    "name": str(r["name"]),
                    "description": _text_or_none(r.get("description")) or "",
                    "weight": float(r["weight"]),
                    "scale_min": int(r["scale_min"]),
                    "scale_max": int(r["scale_max"]),
                    "data_driven": _text_or_none(r.get("data_driven")) in ("True", "1", "true"),
                }
                for r in criteria.to_dict("records")
            ],
        )

    @staticmethod
    def upsert_issues(conn: Connection, round_id: int, issues: pd.DataFrame) -> dict[str, int]:
        """Add new issues and update the name, theme and indicators of existing ones."""
        existing = frame(
            conn, select(AssessmentIssue.code).where(AssessmentIssue.round_id == round_id)
        )
        have = set(existing["code"])
        added = changed = 0
        for r in issues.to_dict("records"):
            values = {
                "name": str(r["name"]),
                "theme_code": _text_or_none(r.get("theme_code")),
                "indicator_codes": _text_or_none(r.get("indicator_codes")) or "",
            }
            if r["code"] in have:
                conn.execute(
                    update(AssessmentIssue)
                    .where(AssessmentIssue.round_id == round_id, AssessmentIssue.code == r["code"])
                    .values(**values)
                )
                changed += 1
            else:
                conn.execute(
                    insert(AssessmentIssue).values(round_id=round_id, code=str(r["code"]), **values)
                )
                added += 1
        return {"added": added, "updated": changed}

    @staticmethod
    def upsert_scores(
        conn: Connection,
        round_id: int,
        scores: pd.DataFrame,
        *,
        source: str,
        user_email: str,
        at: datetime,
    ) -> dict[str, int]:
        """Write scores (area_code, issue_code, criterion_code, score); returns counts of
        new, changed and unchanged cells. Unchanged cells are left as they were."""
        current = frame(
            conn,
            select(
                AssessmentScore.area_code,
                AssessmentScore.issue_code,
                AssessmentScore.criterion_code,
                AssessmentScore.score,
            ).where(AssessmentScore.round_id == round_id),
        )
        have = {(a, i, c): s for a, i, c, s in current.itertuples(index=False)}
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        new_rows = []
        for r in scores.to_dict("records"):
            key = (str(r["area_code"]), str(r["issue_code"]), str(r["criterion_code"]))
            value = float(r["score"])
            if key not in have:
                new_rows.append(
                    {
                        "round_id": round_id,
                        "area_code": key[0],
                        "issue_code": key[1],
                        "criterion_code": key[2],
                        "score": value,
                        "source": source,
                        "entered_by": user_email,
                        "entered_at": at,
                    }
                )
                counts["new"] += 1
            elif float(have[key]) != value:
                conn.execute(
                    update(AssessmentScore)
                    .where(
                        AssessmentScore.round_id == round_id,
                        AssessmentScore.area_code == key[0],
                        AssessmentScore.issue_code == key[1],
                        AssessmentScore.criterion_code == key[2],
                    )
                    .values(score=value, source=source, entered_by=user_email, entered_at=at)
                )
                counts["changed"] += 1
            else:
                counts["unchanged"] += 1
        if new_rows:
            conn.execute(insert(AssessmentScore), new_rows)
        return counts

    @staticmethod
    def replace_priorities(
        conn: Connection,
        round_id: int,
        area_code: str,
        issue_codes: list[str],
        *,
        user_email: str,
        at: datetime,
    ) -> None:
        """The area's agreed priorities become ``issue_codes`` in that order (rank 1 first)."""
        conn.execute(
            delete(AssessmentPriority).where(
                AssessmentPriority.round_id == round_id, AssessmentPriority.area_code == area_code
            )
        )
        if issue_codes:
            conn.execute(
                insert(AssessmentPriority),
                [
                    {
                        "round_id": round_id,
                        "area_code": area_code,
                        "issue_code": code,
                        "rank": i,
                        "agreed_by": user_email,
                        "agreed_at": at,
                    }
                    for i, code in enumerate(issue_codes, start=1)
                ],
            )


def _text_or_none(value) -> str | None:
    """Text, or None for None, NaN/NA (pandas' missing values) and blank strings."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None
