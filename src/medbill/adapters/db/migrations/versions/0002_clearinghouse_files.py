"""The clearinghouse file archive: every file sent or received, once, with its bytes in a table of their own.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 21:30:23.163005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clearinghouse_files",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("mailbox", sa.String(length=60), nullable=False),
        sa.Column("transport", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("remote_name", sa.String(length=255), nullable=False),
        sa.Column("x12_kind", sa.String(length=8), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("remote_size", sa.BigInteger(), nullable=True),
        sa.Column("remote_modified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_clearinghouse_files_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearinghouse_files")),
        sa.UniqueConstraint(
            "practice_id", "mailbox", "direction", "remote_name", "sha256", name="uq_clearinghouse_files_once"
        ),
    )
    with op.batch_alter_table("clearinghouse_files", schema=None) as batch_op:
        batch_op.create_index("ix_clearinghouse_files_practice_created_at", ["practice_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_clearinghouse_files_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "clearinghouse_file_contents",
        sa.Column("file_id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["clearinghouse_files.id"],
            name=op.f("fk_clearinghouse_file_contents_file_id_clearinghouse_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_clearinghouse_file_contents_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_clearinghouse_file_contents")),
    )
    with op.batch_alter_table("clearinghouse_file_contents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clearinghouse_file_contents_practice_id"), ["practice_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("clearinghouse_file_contents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clearinghouse_file_contents_practice_id"))
    op.drop_table("clearinghouse_file_contents")
    with op.batch_alter_table("clearinghouse_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clearinghouse_files_practice_id"))
        batch_op.drop_index("ix_clearinghouse_files_practice_created_at")
    op.drop_table("clearinghouse_files")
