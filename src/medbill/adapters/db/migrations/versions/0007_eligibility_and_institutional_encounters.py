"""Eligibility checks (270 sent, 271 kept, benefits normalized); encounters can be institutional (837I), lines carry revenue codes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 23:58:59.364816
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eligibility_checks",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("coverage_id", sa.String(length=32), nullable=False),
        sa.Column("payer_id", sa.String(length=32), nullable=False),
        sa.Column("appointment_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("service_types", sa.String(length=60), nullable=False),
        sa.Column("member_id", sa.String(length=80), nullable=False),
        sa.Column("trace_number", sa.String(length=50), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request", sa.LargeBinary(), nullable=True),
        sa.Column("response", sa.LargeBinary(), nullable=True),
        sa.Column("benefits", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"], ["appointments.id"], name=op.f("fk_eligibility_checks_appointment_id_appointments")
        ),
        sa.ForeignKeyConstraint(
            ["coverage_id"], ["coverages.id"], name=op.f("fk_eligibility_checks_coverage_id_coverages")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_eligibility_checks_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(["payer_id"], ["payers.id"], name=op.f("fk_eligibility_checks_payer_id_payers")),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_eligibility_checks_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_eligibility_checks")),
    )
    with op.batch_alter_table("eligibility_checks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_eligibility_checks_coverage", ["practice_id", "coverage_id", "requested_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_eligibility_checks_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index("ix_eligibility_checks_trace", ["practice_id", "trace_number"], unique=False)

    with op.batch_alter_table("encounter_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revenue_code", sa.String(length=4), nullable=True))

    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=1), server_default="P", nullable=False))
        batch_op.add_column(sa.Column("institutional", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.drop_column("institutional")
        batch_op.drop_column("kind")

    with op.batch_alter_table("encounter_lines", schema=None) as batch_op:
        batch_op.drop_column("revenue_code")

    with op.batch_alter_table("eligibility_checks", schema=None) as batch_op:
        batch_op.drop_index("ix_eligibility_checks_trace")
        batch_op.drop_index(batch_op.f("ix_eligibility_checks_practice_id"))
        batch_op.drop_index("ix_eligibility_checks_coverage")

    op.drop_table("eligibility_checks")
