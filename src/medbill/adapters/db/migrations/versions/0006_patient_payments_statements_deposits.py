"""Patient payments and refunds, payment plans, bank deposits, statement runs, statements and holds; ledger entries name their payment.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 23:34:51.481435
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_deposits",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_bank_deposits_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_deposits")),
    )
    with op.batch_alter_table("bank_deposits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bank_deposits_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index("ix_bank_deposits_practice_posted_on", ["practice_id", "posted_on"], unique=False)

    op.create_table(
        "statement_runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("run_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.Column("sent_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("total_due_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_statement_runs_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement_runs")),
    )
    with op.batch_alter_table("statement_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_runs_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "patient_payments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=True),
        sa.Column("unapplied_cents", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_patient_payments_patient_id_patients")),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_patient_payments_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_payments")),
    )
    with op.batch_alter_table("patient_payments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patient_payments_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_patient_payments_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "payment_plans",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("installment_cents", sa.BigInteger(), nullable=False),
        sa.Column("first_due", sa.Date(), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_payment_plans_patient_id_patients")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_payment_plans_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_plans")),
    )
    with op.batch_alter_table("payment_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_plans_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_plans_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "statement_holds",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_statement_holds_patient_id_patients")),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_statement_holds_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_statement_holds")),
    )
    with op.batch_alter_table("statement_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_holds_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "statements",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("guarantor_key", sa.String(length=64), nullable=False),
        sa.Column("patient_ids", sa.Text(), nullable=False),
        sa.Column("statement_number", sa.String(length=20), nullable=False),
        sa.Column("statement_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount_due_cents", sa.BigInteger(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_statements_practice_id_practices")),
        sa.ForeignKeyConstraint(["run_id"], ["statement_runs.id"], name=op.f("fk_statements_run_id_statement_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statements")),
        sa.UniqueConstraint("practice_id", "statement_number", name="uq_statements_practice_number"),
    )
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_statements_practice_guarantor", ["practice_id", "guarantor_key", "statement_date"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_statements_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_statements_run_id"), ["run_id"], unique=False)

    op.create_table(
        "statement_documents",
        sa.Column("statement_id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_statement_documents_practice_id_practices")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["statements.id"],
            name=op.f("fk_statement_documents_statement_id_statements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statement_id", name=op.f("pk_statement_documents")),
    )
    with op.batch_alter_table("statement_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_documents_practice_id"), ["practice_id"], unique=False)

    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_id", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_column("payment_id")

    with op.batch_alter_table("statement_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_documents_practice_id"))

    op.drop_table("statement_documents")
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statements_run_id"))
        batch_op.drop_index(batch_op.f("ix_statements_practice_id"))
        batch_op.drop_index("ix_statements_practice_guarantor")

    op.drop_table("statements")
    with op.batch_alter_table("statement_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_holds_practice_id"))

    op.drop_table("statement_holds")
    with op.batch_alter_table("payment_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_plans_practice_id"))
        batch_op.drop_index(batch_op.f("ix_payment_plans_patient_id"))

    op.drop_table("payment_plans")
    with op.batch_alter_table("patient_payments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_payments_practice_id"))
        batch_op.drop_index(batch_op.f("ix_patient_payments_patient_id"))

    op.drop_table("patient_payments")
    with op.batch_alter_table("statement_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_runs_practice_id"))

    op.drop_table("statement_runs")
    with op.batch_alter_table("bank_deposits", schema=None) as batch_op:
        batch_op.drop_index("ix_bank_deposits_practice_posted_on")
        batch_op.drop_index(batch_op.f("ix_bank_deposits_practice_id"))

    op.drop_table("bank_deposits")
