"""Appointments and their planned services (what billing needs to know before a visit).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 21:45:34.286134
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "appointments",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.String(length=32), nullable=False),
        sa.Column("facility_id", sa.String(length=32), nullable=True),
        sa.Column("visit_type", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facilities.id"], name=op.f("fk_appointments_facility_id_facilities")
        ),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_appointments_patient_id_patients")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_appointments_practice_id_practices")),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], name=op.f("fk_appointments_provider_id_providers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointments")),
    )
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointments_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appointments_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index("ix_appointments_practice_starts_at", ["practice_id", "starts_at"], unique=False)

    op.create_table(
        "appointment_services",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("appointment_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=5), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("modifiers", sa.String(length=11), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_appointment_services_appointment_id_appointments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_appointment_services_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("appointment_id", "position", name=op.f("pk_appointment_services")),
    )
    with op.batch_alter_table("appointment_services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_services_practice_id"), ["practice_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("appointment_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_services_practice_id"))

    op.drop_table("appointment_services")
    with op.batch_alter_table("appointments", schema=None) as batch_op:
        batch_op.drop_index("ix_appointments_practice_starts_at")
        batch_op.drop_index(batch_op.f("ix_appointments_practice_id"))
        batch_op.drop_index(batch_op.f("ix_appointments_patient_id"))

    op.drop_table("appointments")
