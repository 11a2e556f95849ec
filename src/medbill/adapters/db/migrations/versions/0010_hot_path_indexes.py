"""Indexes for the hot read paths at 100,000 claims (bench/hot_paths.py): the work queues by queue, owner and payer
in the order they are worked (oldest first), every open item, and a claim's work items.

The queue index replaces ``ix_work_items_practice_queue`` (practice, queue, status), which it extends with
``created_at`` so that "the oldest 50 open denials" is read off the index in order instead of sorted.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 03:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_WORK_ITEMS = (
    ("ix_work_items_status", ["practice_id", "status", "created_at"]),
    ("ix_work_items_queue", ["practice_id", "queue", "status", "created_at"]),
    ("ix_work_items_owner", ["practice_id", "owner", "status", "created_at"]),
    ("ix_work_items_payer", ["practice_id", "payer_id", "status", "created_at"]),
    ("ix_work_items_claim", ["practice_id", "claim_id"]),
)


def upgrade() -> None:
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_index("ix_work_items_practice_queue")
        for name, columns in _WORK_ITEMS:
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        for name, _ in reversed(_WORK_ITEMS):
            batch_op.drop_index(name)
        batch_op.create_index("ix_work_items_practice_queue", ["practice_id", "queue", "status"], unique=False)
