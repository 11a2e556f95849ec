"""Claims: records, lines, findings, history, snapshots, 837 batches with their bytes, and control counters.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 22:04:21.662340
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "control_counters",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_control_counters_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("practice_id", "name", name=op.f("pk_control_counters")),
    )
    op.create_table(
        "claim_batches",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("payer_id", sa.String(length=32), nullable=False),
        sa.Column("sender_id", sa.String(length=15), nullable=False),
        sa.Column("receiver_id", sa.String(length=15), nullable=False),
        sa.Column("receiver_name", sa.String(length=60), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("interchange_control_number", sa.BigInteger(), nullable=False),
        sa.Column("group_control_number", sa.BigInteger(), nullable=False),
        sa.Column("claim_count", sa.Integer(), nullable=False),
        sa.Column("total_charge_cents", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("clearinghouse_file_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["clearinghouse_file_id"],
            ["clearinghouse_files.id"],
            name=op.f("fk_claim_batches_clearinghouse_file_id_clearinghouse_files"),
        ),
        sa.ForeignKeyConstraint(["payer_id"], ["payers.id"], name=op.f("fk_claim_batches_payer_id_payers")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_claim_batches_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_batches")),
        sa.UniqueConstraint(
            "practice_id", "receiver_id", "interchange_control_number", name="uq_claim_batches_partner_isa13"
        ),
    )
    with op.batch_alter_table("claim_batches", schema=None) as batch_op:
        batch_op.create_index("ix_claim_batches_practice_created_at", ["practice_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_batches_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "claim_batch_contents",
        sa.Column("batch_id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["claim_batches.id"],
            name=op.f("fk_claim_batch_contents_batch_id_claim_batches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_claim_batch_contents_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_claim_batch_contents")),
    )
    with op.batch_alter_table("claim_batch_contents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_batch_contents_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "claims",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("encounter_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("coverage_id", sa.String(length=32), nullable=False),
        sa.Column("payer_id", sa.String(length=32), nullable=False),
        sa.Column("coverage_order", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("patient_control_number", sa.String(length=20), nullable=False),
        sa.Column("frequency", sa.String(length=1), nullable=False),
        sa.Column("build_key", sa.String(length=80), nullable=False),
        sa.Column("original_claim_id", sa.String(length=32), nullable=True),
        sa.Column("payer_claim_number", sa.String(length=50), nullable=True),
        sa.Column("next_coverage_id", sa.String(length=32), nullable=True),
        sa.Column("batch_id", sa.String(length=32), nullable=True),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("total_charge_cents", sa.BigInteger(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("warning_count", sa.Integer(), nullable=False),
        sa.Column("scrubbed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["claim_batches.id"], name=op.f("fk_claims_batch_id_claim_batches")),
        sa.ForeignKeyConstraint(["coverage_id"], ["coverages.id"], name=op.f("fk_claims_coverage_id_coverages")),
        sa.ForeignKeyConstraint(["encounter_id"], ["encounters.id"], name=op.f("fk_claims_encounter_id_encounters")),
        sa.ForeignKeyConstraint(
            ["next_coverage_id"], ["coverages.id"], name=op.f("fk_claims_next_coverage_id_coverages")
        ),
        sa.ForeignKeyConstraint(["original_claim_id"], ["claims.id"], name=op.f("fk_claims_original_claim_id_claims")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_claims_patient_id_patients")),
        sa.ForeignKeyConstraint(["payer_id"], ["payers.id"], name=op.f("fk_claims_payer_id_payers")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_claims_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("practice_id", "build_key", name="uq_claims_practice_build_key"),
        sa.UniqueConstraint("practice_id", "patient_control_number", name="uq_claims_practice_pcn"),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_encounter_id"), ["encounter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index("ix_claims_practice_status", ["practice_id", "status"], unique=False)

    op.create_table(
        "claim_events",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("claim_id", sa.String(length=32), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_events_claim_id_claims")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_claim_events_practice_id_practices")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_claim_events")),
    )
    with op.batch_alter_table("claim_events", schema=None) as batch_op:
        batch_op.create_index("ix_claim_events_claim", ["practice_id", "claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_events_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "claim_findings",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("claim_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("family", sa.String(length=20), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=80), nullable=True),
        sa.Column("location", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_findings_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_claim_findings_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("claim_id", "position", name=op.f("pk_claim_findings")),
    )
    with op.batch_alter_table("claim_findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_findings_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "claim_lines",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("claim_id", sa.String(length=32), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("line_control_number", sa.String(length=50), nullable=False),
        sa.Column("procedure_code", sa.String(length=5), nullable=False),
        sa.Column("modifiers", sa.String(length=11), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("charge_cents", sa.BigInteger(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name=op.f("fk_claim_lines_claim_id_claims"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_claim_lines_practice_id_practices")),
        sa.PrimaryKeyConstraint("claim_id", "line_number", name=op.f("pk_claim_lines")),
        sa.UniqueConstraint("practice_id", "line_control_number", name="uq_claim_lines_practice_lcn"),
    )
    with op.batch_alter_table("claim_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_lines_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "claim_snapshots",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("claim_id", sa.String(length=32), nullable=False),
        sa.Column("batch_id", sa.String(length=32), nullable=False),
        sa.Column("patient_control_number", sa.String(length=20), nullable=False),
        sa.Column("total_charge_cents", sa.BigInteger(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["claim_batches.id"], name=op.f("fk_claim_snapshots_batch_id_claim_batches")
        ),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], name=op.f("fk_claim_snapshots_claim_id_claims")),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_claim_snapshots_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_snapshots")),
    )
    with op.batch_alter_table("claim_snapshots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_snapshots_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_snapshots_practice_id"), ["practice_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("claim_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_snapshots_practice_id"))
        batch_op.drop_index(batch_op.f("ix_claim_snapshots_claim_id"))

    op.drop_table("claim_snapshots")
    with op.batch_alter_table("claim_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_lines_practice_id"))

    op.drop_table("claim_lines")
    with op.batch_alter_table("claim_findings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_findings_practice_id"))

    op.drop_table("claim_findings")
    with op.batch_alter_table("claim_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_events_practice_id"))
        batch_op.drop_index("ix_claim_events_claim")

    op.drop_table("claim_events")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index("ix_claims_practice_status")
        batch_op.drop_index(batch_op.f("ix_claims_practice_id"))
        batch_op.drop_index(batch_op.f("ix_claims_patient_id"))
        batch_op.drop_index(batch_op.f("ix_claims_encounter_id"))

    op.drop_table("claims")
    with op.batch_alter_table("claim_batch_contents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_batch_contents_practice_id"))

    op.drop_table("claim_batch_contents")
    with op.batch_alter_table("claim_batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_batches_practice_id"))
        batch_op.drop_index("ix_claim_batches_practice_created_at")

    op.drop_table("claim_batches")
    op.drop_table("control_counters")
