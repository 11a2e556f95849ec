"""Indexes for reading a patient's coverages, encounters and claims, an encounter's claims and a batch's claims
(bench/cycle.py at 10,000 encounters): each table's single-column ``practice_id`` index otherwise wins SQLite's plan
over the single-column ``patient_id`` one (no statistics), and every such read scanned the practice's rows.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 04:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_INDEXES = (
    ("coverages", "ix_coverages_practice_patient", ["practice_id", "patient_id"]),
    ("encounters", "ix_encounters_practice_patient", ["practice_id", "patient_id"]),
    ("claims", "ix_claims_practice_patient", ["practice_id", "patient_id"]),
    ("claims", "ix_claims_practice_encounter", ["practice_id", "encounter_id"]),
    ("claims", "ix_claims_practice_batch", ["practice_id", "batch_id", "status"]),
)


def upgrade() -> None:
    for table, name, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
