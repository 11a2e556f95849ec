"""Background jobs: a job per long piece of work and its chunks, with their status, attempts and results; inbound
clearinghouse files get the status ``processed`` once taken in (a crash between fetching and taking in is redone).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 03:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("chunks_total", sa.Integer(), nullable=False),
        sa.Column("chunks_done", sa.Integer(), nullable=False),
        sa.Column("chunks_failed", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_jobs_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index("ix_jobs_practice_created", ["practice_id", "created_at"], unique=False)

    op.create_table(
        "job_chunks",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_job_chunks_job_id_jobs"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_job_chunks_practice_id_practices")),
        sa.PrimaryKeyConstraint("job_id", "seq", name=op.f("pk_job_chunks")),
    )
    with op.batch_alter_table("job_chunks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_chunks_practice_id"), ["practice_id"], unique=False)

    # inbound files are now "processed" once taken in; every one archived before this revision was taken in then
    op.execute(
        "UPDATE clearinghouse_files SET status = 'processed' WHERE direction = 'inbound' AND status = 'received'"
    )


def downgrade() -> None:
    op.execute("UPDATE clearinghouse_files SET status = 'received' WHERE status = 'processed'")
    op.drop_table("job_chunks")
    op.drop_table("jobs")
