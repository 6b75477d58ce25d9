"""unit costs of crime held in the database, editable by analysts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unit_costs",
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("unit_cost_gbp", sa.Float(), nullable=False),
        sa.Column("price_year", sa.String(length=8), nullable=False),
        sa.Column("precision", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.String(length=254), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("category"),
    )


def downgrade() -> None:
    op.drop_table("unit_costs")
