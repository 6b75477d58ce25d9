"""published figures (computed once per data version) and a data-version counter

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 11:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NON_DATA_ACTIONS = ("sign_in", "sign_out", "view_audit")


def upgrade() -> None:
    op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # start from the version the audit log gave before, so caches keyed on it stay valid
    bind = op.get_bind()
    start = bind.execute(
        sa.text(
            "SELECT COALESCE(MAX(id), 0) FROM audit_log WHERE outcome = 'ok' "
            "AND action NOT IN ('sign_in', 'sign_out', 'view_audit') "
            "AND action NOT LIKE '%export%'"
        )
    ).scalar()
    op.bulk_insert(
        sa.table("data_version", sa.column("id", sa.Integer), sa.column("version", sa.Integer)),
        [{"id": 1, "version": int(start or 0)}, {"id": 2, "version": int(start or 0)}],
    )
    op.create_table(
        "publications",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("figures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    text_cols = (
        "reasons",
        "spc",
    )
    str_cols = {
        "unit": 16, "data_kind": 8, "figure_status": 16, "hidden": 16, "target_status": 20,
        "comparison": 20, "trend_direction": 24, "trend_judgement": 24, "rag": 8,
        "label": 40, "value_text": 40, "interval_text": 60, "target_text": 40,
        "numerator_text": 40, "denominator_text": 40, "status_text": 60,
        "variation_text": 80, "assurance_text": 120, "comparison_text": 60,
    }  # fmt: skip
    op.create_table(
        "published_figures",
        sa.Column("publication_key", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("indicator_code", sa.String(length=24), nullable=False),
        sa.Column("area_code", sa.String(length=16), nullable=False),
        sa.Column("period_label", sa.String(length=24), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        *[
            sa.Column(c, sa.Float(), nullable=True)
            for c in ("value", "lower", "upper", "numerator", "denominator", "target",
                      "benchmark_value")  # fmt: skip
        ],
        *[sa.Column(c, sa.String(length=n), nullable=False) for c, n in str_cols.items()],
        sa.Column("variation", sa.String(length=40), nullable=True),
        sa.Column("assurance", sa.String(length=20), nullable=True),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.Column("periods_off_track", sa.Integer(), nullable=False),
        *[sa.Column(c, sa.Text(), nullable=False) for c in text_cols],
        sa.PrimaryKeyConstraint(
            "publication_key", "audience", "indicator_code", "area_code", "period_label"
        ),
    )
    op.create_index(
        "ix_published_period",
        "published_figures",
        ["publication_key", "audience", "period_label", "area_code"],
    )


def downgrade() -> None:
    op.drop_index("ix_published_period", table_name="published_figures")
    op.drop_table("published_figures")
    op.drop_table("publications")
    op.drop_table("data_version")
