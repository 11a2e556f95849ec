"""Remittances (835) with their PLB adjustments, the ledger (append-only), and work queues; charges backfilled.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 23:20:42.918044
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "remittances",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("import_key", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("transaction_index", sa.Integer(), nullable=False),
        sa.Column("control_number", sa.String(length=9), nullable=False),
        sa.Column("payer_name", sa.String(length=60), nullable=False),
        sa.Column("payer_identifier", sa.String(length=80), nullable=False),
        sa.Column("trace_number", sa.String(length=50), nullable=False),
        sa.Column("method", sa.String(length=3), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("claim_count", sa.Integer(), nullable=False),
        sa.Column("posted_count", sa.Integer(), nullable=False),
        sa.Column("unmatched_count", sa.Integer(), nullable=False),
        sa.Column("denied_count", sa.Integer(), nullable=False),
        sa.Column("provider_adjustment_cents", sa.BigInteger(), nullable=False),
        sa.Column("difference_cents", sa.BigInteger(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=60), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_remittances_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittances")),
        sa.UniqueConstraint("practice_id", "import_key", name="uq_remittances_practice_key"),
    )
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remittances_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index("ix_remittances_practice_imported_at", ["practice_id", "imported_at"], unique=False)

    op.create_table(
        "provider_adjustments",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("remittance_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("provider_identifier", sa.String(length=50), nullable=False),
        sa.Column("fiscal_period_end", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=2), nullable=False),
        sa.Column("reference", sa.String(length=50), nullable=True),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_provider_adjustments_practice_id_practices")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittances.id"],
            name=op.f("fk_provider_adjustments_remittance_id_remittances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("remittance_id", "position", name=op.f("pk_provider_adjustments")),
    )
    with op.batch_alter_table("provider_adjustments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provider_adjustments_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "remittance_contents",
        sa.Column("remittance_id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_remittance_contents_practice_id_practices")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"],
            ["remittances.id"],
            name=op.f("fk_remittance_contents_remittance_id_remittances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("remittance_id", name=op.f("pk_remittance_contents")),
    )
    with op.batch_alter_table("remittance_contents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remittance_contents_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("encounter_id", sa.String(length=32), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.String(length=32), nullable=True),
        sa.Column("payer_id", sa.String(length=32), nullable=True),
        sa.Column("remittance_id", sa.String(length=32), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("group_code", sa.String(length=2), nullable=True),
        sa.Column("reason_code", sa.String(length=20), nullable=True),
        sa.Column("remark_codes", sa.String(length=120), nullable=False),
        sa.Column("patient_share", sa.String(length=12), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("reverses", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounters.id"], name=op.f("fk_ledger_entries_encounter_id_encounters")
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_ledger_entries_practice_id_practices")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], name=op.f("fk_ledger_entries_remittance_id_remittances")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.create_index("ix_ledger_entries_claim", ["practice_id", "claim_id"], unique=False)
        batch_op.create_index("ix_ledger_entries_encounter", ["practice_id", "encounter_id"], unique=False)
        batch_op.create_index("ix_ledger_entries_patient", ["practice_id", "patient_id"], unique=False)
        batch_op.create_index("ix_ledger_entries_remittance", ["practice_id", "remittance_id"], unique=False)

    op.create_table(
        "work_items",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("queue", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("claim_id", sa.String(length=32), nullable=True),
        sa.Column("remittance_id", sa.String(length=32), nullable=True),
        sa.Column("reference", sa.String(length=50), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=60), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_work_items_claim_id_claims")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_work_items_practice_id_practices")),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], name=op.f("fk_work_items_remittance_id_remittances")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_items")),
    )
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_items_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index("ix_work_items_practice_queue", ["practice_id", "queue", "status"], unique=False)

    with op.batch_alter_table("fee_schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=10), server_default="charge", nullable=False))
    _make_ledger_append_only()
    _post_existing_charges()


def _make_ledger_append_only() -> None:
    """Ledger entries are corrected by new entries, never edited: the database refuses UPDATE and DELETE."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION medbill_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'ledger_entries is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries "
            "FOR EACH ROW EXECUTE FUNCTION medbill_ledger_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER ledger_entries_no_{verb.lower()} BEFORE {verb} ON ledger_entries "
                "BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END"
            )


def _post_existing_charges() -> None:
    """Every encounter line recorded before the ledger existed gets its charge entry."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT l.practice_id, e.patient_id, l.encounter_id, l.line_number, l.charge_cents, e.created_at "
            "FROM encounter_lines l JOIN encounters e ON e.id = l.encounter_id"
        )
    ).all()
    entries = sa.table(
        "ledger_entries",
        *(
            sa.column(name)
            for name in [
                "id",
                "practice_id",
                "patient_id",
                "encounter_id",
                "line_number",
                "kind",
                "amount_cents",
                "at",
                "remark_codes",
                "source",
            ]
        ),
    )
    values = [
        {
            "id": uuid.uuid4().hex,
            "practice_id": r.practice_id,
            "patient_id": r.patient_id,
            "encounter_id": r.encounter_id,
            "line_number": r.line_number,
            "kind": "charge",
            "amount_cents": r.charge_cents,
            "at": r.created_at,
            "remark_codes": "",
            "source": "charge entry",
        }
        for r in rows
    ]
    if values:
        op.bulk_insert(entries, values)


def downgrade() -> None:
    with op.batch_alter_table("fee_schedules", schema=None) as batch_op:
        batch_op.drop_column("kind")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS ledger_entries_append_only ON ledger_entries")
        op.execute("DROP FUNCTION IF EXISTS medbill_ledger_append_only()")
    with op.batch_alter_table("work_items", schema=None) as batch_op:
        batch_op.drop_index("ix_work_items_practice_queue")
        batch_op.drop_index(batch_op.f("ix_work_items_practice_id"))

    op.drop_table("work_items")
    with op.batch_alter_table("ledger_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_ledger_entries_remittance")
        batch_op.drop_index("ix_ledger_entries_patient")
        batch_op.drop_index("ix_ledger_entries_encounter")
        batch_op.drop_index("ix_ledger_entries_claim")

    op.drop_table("ledger_entries")
    with op.batch_alter_table("remittance_contents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remittance_contents_practice_id"))

    op.drop_table("remittance_contents")
    with op.batch_alter_table("provider_adjustments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provider_adjustments_practice_id"))

    op.drop_table("provider_adjustments")
    with op.batch_alter_table("remittances", schema=None) as batch_op:
        batch_op.drop_index("ix_remittances_practice_imported_at")
        batch_op.drop_index(batch_op.f("ix_remittances_practice_id"))

    op.drop_table("remittances")
