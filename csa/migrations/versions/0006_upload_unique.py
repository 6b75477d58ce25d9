"""uploads: idempotency key (unique) and the upload a rollback undid

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 09:00:00

``dedupe_key`` is ``"return:<sha256>"`` for a committed return (NULL otherwise, and cleared
when the return is rolled back); its unique index makes the database refuse a second
committed copy of the same file, however the two commits interleave. Existing databases
may already hold such copies (the race this closes): only the earliest committed copy of
each file gets the key. ``reverts_upload_id`` names the upload a rollback undid, read back
from the rollback's file name for rollbacks made before this revision.
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

uploads = sa.table(
    "uploads",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("sha256", sa.String),
    sa.column("outcome", sa.String),
    sa.column("file_name", sa.String),
    sa.column("dedupe_key", sa.String),
    sa.column("reverts_upload_id", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("uploads") as batch:
        batch.add_column(sa.Column("dedupe_key", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("reverts_upload_id", sa.Integer(), nullable=True))
    conn = op.get_bind()
    first = conn.execute(
        sa.select(uploads.c.sha256, sa.func.min(uploads.c.id))
        .where(uploads.c.kind == "return", uploads.c.outcome == "committed")
        .group_by(uploads.c.sha256)
    ).all()
    for sha, upload_id in first:
        conn.execute(
            sa.update(uploads).where(uploads.c.id == upload_id).values(dedupe_key=f"return:{sha}")
        )
    rollbacks = conn.execute(
        sa.select(uploads.c.id, uploads.c.file_name).where(uploads.c.kind == "rollback")
    ).all()
    for upload_id, file_name in rollbacks:
        found = re.match(r"rollback of upload #(\d+)", file_name or "")
        if found:
            conn.execute(
                sa.update(uploads)
                .where(uploads.c.id == upload_id)
                .values(reverts_upload_id=int(found.group(1)))
            )
    op.create_index("uq_uploads_dedupe_key", "uploads", ["dedupe_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_uploads_dedupe_key", table_name="uploads")
    with op.batch_alter_table("uploads") as batch:
        batch.drop_column("reverts_upload_id")
        batch.drop_column("dedupe_key")
