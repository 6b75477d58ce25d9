"""publications: the key their figures are stored under (incremental publication in place)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 09:00:00

An incremental publication no longer copies the unchanged indicators' rows from the earlier
publication: it takes the earlier one's rows over where they are, replaces only the rebuilt
indicators' rows, and records in ``stored_as`` the ``published_figures.publication_key``
its figures are stored under. NULL: under its own key (every publication before this
revision, and every full build).
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publications") as batch:
        batch.add_column(sa.Column("stored_as", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("publications") as batch:
        batch.drop_column("stored_as")
