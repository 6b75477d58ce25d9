"""comparator groups uploaded by analysts (the bundled ones stay in data/)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 15:30:00

One row per member of a group: a group is replaced wholly (delete and insert in one
transaction) when an analyst uploads it again, so its name, level, source and vintage are
the same on every row.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comparator_groups",
        sa.Column("group_name", sa.String(length=120), nullable=False),
        sa.Column("level", sa.String(length=8), nullable=False),
        sa.Column("member_code", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("vintage", sa.String(length=120), nullable=False),
        sa.Column("uploaded_by", sa.String(length=254), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_name", "member_code"),
    )


def downgrade() -> None:
    op.drop_table("comparator_groups")
