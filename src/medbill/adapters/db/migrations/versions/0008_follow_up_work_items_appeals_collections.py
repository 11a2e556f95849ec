"""Follow-up: work items get an owner, a due date, a category and a next action, with notes; appeals with their letters; collections status per account; payers have an appeal window.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 00:07:54.801972
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_collections",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_account_collections_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_account_collections_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_account_collections")),
    )
    with op.batch_alter_table("account_collections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_collections_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "appeals",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("claim_id", sa.String(length=32), nullable=False),
        sa.Column("work_item_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("argument", sa.Text(), nullable=False),
        sa.Column("attachments", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("letter", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_appeals_claim_id_claims")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_appeals_practice_id_practices")),
        sa.ForeignKeyConstraint(["work_item_id"], ["work_items.id"], name=op.f("fk_appeals_work_item_id_work_items")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeals")),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeals_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appeals_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "work_item_notes",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("work_item_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_work_item_notes_practice_id_practices")
        ),
        sa.ForeignKeyConstraint(
            ["work_item_id"],
            ["work_items.id"],
            name=op.f("fk_work_item_notes_work_item_id_work_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("work_item_id", "position", name=op.f("pk_work_item_notes")),
    )
    with op.batch_alter_table("work_item_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_item_notes_practice_id"), ["practice_id"], unique=False)

    with op.batch_alter_table("payers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("appeal_window_days", sa.Integer(), server_default="180", nullable=False))

    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("category", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("next_action", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("payer_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("patient_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_column("patient_id")
        batch_op.drop_column("payer_id")
        batch_op.drop_column("next_action")
        batch_op.drop_column("category")
        batch_op.drop_column("due_on")
        batch_op.drop_column("owner")

    with op.batch_alter_table("payers", schema=None) as batch_op:
        batch_op.drop_column("appeal_window_days")

    with op.batch_alter_table("work_item_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_item_notes_practice_id"))

    op.drop_table("work_item_notes")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeals_practice_id"))
        batch_op.drop_index(batch_op.f("ix_appeals_claim_id"))

    op.drop_table("appeals")
    with op.batch_alter_table("account_collections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_collections_practice_id"))

    op.drop_table("account_collections")
