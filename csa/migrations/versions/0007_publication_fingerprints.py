"""publications: per-indicator fingerprints (incremental publication) and how many
indicators were rebuilt

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00

``fingerprints`` is JSON ``{indicator_code: [digest, rows]}``: a digest of everything that
indicator's published figures depend on and how many rows (both audiences) it has. A later
publication with the same settings and method rebuilds only the indicators (and their
offence families) whose digest changed and copies the others' rows. ``rebuilt`` is how many
indicators it computed (NULL: a full build before this revision).
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publications") as batch:
        batch.add_column(sa.Column("fingerprints", sa.Text(), nullable=True))
        batch.add_column(sa.Column("rebuilt", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("publications") as batch:
        batch.drop_column("rebuilt")
        batch.drop_column("fingerprints")
