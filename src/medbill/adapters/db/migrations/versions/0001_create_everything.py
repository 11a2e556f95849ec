"""Create every table of the foundation: practices, parties, patients, coverage, encounters, fees, users, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 21:09:57.394812
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "practices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.Column("tin", sa.String(length=9), nullable=True),
        sa.Column("address_line1", sa.String(length=55), nullable=True),
        sa.Column("address_line2", sa.String(length=55), nullable=True),
        sa.Column("city", sa.String(length=30), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("zip", sa.String(length=9), nullable=True),
        sa.Column("phone", sa.String(length=10), nullable=True),
        sa.Column("taxonomy", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practices")),
    )
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=True),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity_type", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_audit_events_practice_id_practices")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("id", name=op.f("uq_audit_events_id")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_entity", ["practice_id", "entity_type", "entity_id"], unique=False)
        batch_op.create_index("ix_audit_events_practice_at", ["practice_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_events_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "facilities",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.Column("place_of_service", sa.String(length=2), nullable=False),
        sa.Column("address_line1", sa.String(length=55), nullable=False),
        sa.Column("address_line2", sa.String(length=55), nullable=True),
        sa.Column("city", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=9), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_facilities_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilities")),
    )
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facilities_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "patients",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("account_number", sa.String(length=20), nullable=False),
        sa.Column("last_name", sa.String(length=60), nullable=False),
        sa.Column("first_name", sa.String(length=35), nullable=False),
        sa.Column("middle_name", sa.String(length=25), nullable=True),
        sa.Column("name_suffix", sa.String(length=10), nullable=True),
        sa.Column("search_name", sa.String(length=100), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("address_line1", sa.String(length=55), nullable=False),
        sa.Column("address_line2", sa.String(length=55), nullable=True),
        sa.Column("city", sa.String(length=30), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=9), nullable=False),
        sa.Column("phone", sa.String(length=10), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("guarantor_last_name", sa.String(length=60), nullable=True),
        sa.Column("guarantor_first_name", sa.String(length=35), nullable=True),
        sa.Column("guarantor_relationship", sa.String(length=10), nullable=True),
        sa.Column("guarantor_address_line1", sa.String(length=55), nullable=True),
        sa.Column("guarantor_address_line2", sa.String(length=55), nullable=True),
        sa.Column("guarantor_city", sa.String(length=30), nullable=True),
        sa.Column("guarantor_state", sa.String(length=2), nullable=True),
        sa.Column("guarantor_zip", sa.String(length=9), nullable=True),
        sa.Column("guarantor_phone", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_patients_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("practice_id", "account_number", name="uq_patients_practice_account"),
    )
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index("ix_patients_practice_birth_date", ["practice_id", "birth_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_patients_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index("ix_patients_practice_search_name", ["practice_id", "search_name"], unique=False)

    op.create_table(
        "payers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("payer_code", sa.String(length=80), nullable=False),
        sa.Column("claim_filing_indicator", sa.String(length=2), nullable=False),
        sa.Column("timely_filing_days", sa.Integer(), nullable=False),
        sa.Column("address_line1", sa.String(length=55), nullable=True),
        sa.Column("address_line2", sa.String(length=55), nullable=True),
        sa.Column("city", sa.String(length=30), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("zip", sa.String(length=9), nullable=True),
        sa.Column("phone", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_payers_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payers")),
    )
    with op.batch_alter_table("payers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payers_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "providers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("last_name", sa.String(length=60), nullable=False),
        sa.Column("first_name", sa.String(length=35), nullable=True),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("taxonomy", sa.String(length=10), nullable=True),
        sa.Column("tin", sa.String(length=9), nullable=True),
        sa.Column("tin_kind", sa.String(length=3), nullable=False),
        sa.Column("roles", sa.String(length=60), nullable=False),
        sa.Column("address_line1", sa.String(length=55), nullable=True),
        sa.Column("address_line2", sa.String(length=55), nullable=True),
        sa.Column("city", sa.String(length=30), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("zip", sa.String(length=9), nullable=True),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_providers_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
        sa.UniqueConstraint("practice_id", "npi", name="uq_providers_practice_npi"),
    )
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_providers_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sessions_valid_after", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_users_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_api_tokens_practice_id_practices")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_practice_id"), ["practice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "coverages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("payer_id", sa.String(length=32), nullable=False),
        sa.Column("coverage_order", sa.String(length=10), nullable=False),
        sa.Column("member_id", sa.String(length=80), nullable=False),
        sa.Column("relationship", sa.String(length=2), nullable=False),
        sa.Column("subscriber_last_name", sa.String(length=60), nullable=True),
        sa.Column("subscriber_first_name", sa.String(length=35), nullable=True),
        sa.Column("subscriber_birth_date", sa.Date(), nullable=True),
        sa.Column("subscriber_sex", sa.String(length=1), nullable=True),
        sa.Column("subscriber_address_line1", sa.String(length=55), nullable=True),
        sa.Column("subscriber_address_line2", sa.String(length=55), nullable=True),
        sa.Column("subscriber_city", sa.String(length=30), nullable=True),
        sa.Column("subscriber_state", sa.String(length=2), nullable=True),
        sa.Column("subscriber_zip", sa.String(length=9), nullable=True),
        sa.Column("group_number", sa.String(length=50), nullable=True),
        sa.Column("plan_name", sa.String(length=60), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("copay_cents", sa.BigInteger(), nullable=False),
        sa.Column("deductible_cents", sa.BigInteger(), nullable=False),
        sa.Column("coinsurance_basis_points", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_coverages_patient_id_patients")),
        sa.ForeignKeyConstraint(["payer_id"], ["payers.id"], name=op.f("fk_coverages_payer_id_payers")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_coverages_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverages")),
    )
    with op.batch_alter_table("coverages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverages_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverages_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "encounters",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("patient_id", sa.String(length=32), nullable=False),
        sa.Column("date_of_service", sa.Date(), nullable=False),
        sa.Column("place_of_service", sa.String(length=2), nullable=False),
        sa.Column("rendering_provider_id", sa.String(length=32), nullable=False),
        sa.Column("referring_provider_id", sa.String(length=32), nullable=True),
        sa.Column("facility_id", sa.String(length=32), nullable=True),
        sa.Column("total_charge_cents", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["facility_id"], ["facilities.id"], name=op.f("fk_encounters_facility_id_facilities")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name=op.f("fk_encounters_patient_id_patients")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_encounters_practice_id_practices")),
        sa.ForeignKeyConstraint(
            ["referring_provider_id"], ["providers.id"], name=op.f("fk_encounters_referring_provider_id_providers")
        ),
        sa.ForeignKeyConstraint(
            ["rendering_provider_id"], ["providers.id"], name=op.f("fk_encounters_rendering_provider_id_providers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounters")),
    )
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_encounters_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index("ix_encounters_practice_created_at", ["practice_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_encounters_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "fee_schedules",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("payer_id", sa.String(length=32), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["payer_id"], ["payers.id"], name=op.f("fk_fee_schedules_payer_id_payers")),
        sa.ForeignKeyConstraint(["practice_id"], ["practices.id"], name=op.f("fk_fee_schedules_practice_id_practices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_schedules")),
    )
    with op.batch_alter_table("fee_schedules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_schedules_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "encounter_diagnoses",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("encounter_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=7), nullable=False),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounters.id"],
            name=op.f("fk_encounter_diagnoses_encounter_id_encounters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_encounter_diagnoses_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("encounter_id", "position", name=op.f("pk_encounter_diagnoses")),
    )
    with op.batch_alter_table("encounter_diagnoses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_encounter_diagnoses_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "encounter_lines",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("encounter_id", sa.String(length=32), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=5), nullable=False),
        sa.Column("modifiers", sa.String(length=11), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("charge_cents", sa.BigInteger(), nullable=False),
        sa.Column("diagnosis_pointers", sa.String(length=7), nullable=False),
        sa.Column("note", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounters.id"],
            name=op.f("fk_encounter_lines_encounter_id_encounters"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_encounter_lines_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("encounter_id", "line_number", name=op.f("pk_encounter_lines")),
    )
    with op.batch_alter_table("encounter_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_encounter_lines_practice_id"), ["practice_id"], unique=False)

    op.create_table(
        "fee_schedule_entries",
        sa.Column("practice_id", sa.String(length=32), nullable=False),
        sa.Column("fee_schedule_id", sa.String(length=32), nullable=False),
        sa.Column("procedure_code", sa.String(length=5), nullable=False),
        sa.Column("modifier", sa.String(length=2), nullable=False),
        sa.Column("charge_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fee_schedule_id"],
            ["fee_schedules.id"],
            name=op.f("fk_fee_schedule_entries_fee_schedule_id_fee_schedules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["practice_id"], ["practices.id"], name=op.f("fk_fee_schedule_entries_practice_id_practices")
        ),
        sa.PrimaryKeyConstraint("fee_schedule_id", "procedure_code", "modifier", name=op.f("pk_fee_schedule_entries")),
    )
    with op.batch_alter_table("fee_schedule_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_schedule_entries_practice_id"), ["practice_id"], unique=False)
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    """The audit log is append-only in the database itself, not only in code."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION medbill_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION medbill_audit_append_only()"
        )
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS medbill_audit_append_only()")

    with op.batch_alter_table("fee_schedule_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_schedule_entries_practice_id"))

    op.drop_table("fee_schedule_entries")
    with op.batch_alter_table("encounter_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_encounter_lines_practice_id"))

    op.drop_table("encounter_lines")
    with op.batch_alter_table("encounter_diagnoses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_encounter_diagnoses_practice_id"))

    op.drop_table("encounter_diagnoses")
    with op.batch_alter_table("fee_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_schedules_practice_id"))

    op.drop_table("fee_schedules")
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_encounters_practice_id"))
        batch_op.drop_index("ix_encounters_practice_created_at")
        batch_op.drop_index(batch_op.f("ix_encounters_patient_id"))

    op.drop_table("encounters")
    with op.batch_alter_table("coverages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverages_practice_id"))
        batch_op.drop_index(batch_op.f("ix_coverages_patient_id"))

    op.drop_table("coverages")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))
        batch_op.drop_index(batch_op.f("ix_api_tokens_practice_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_practice_id"))

    op.drop_table("users")
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_providers_practice_id"))

    op.drop_table("providers")
    with op.batch_alter_table("payers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payers_practice_id"))

    op.drop_table("payers")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index("ix_patients_practice_search_name")
        batch_op.drop_index(batch_op.f("ix_patients_practice_id"))
        batch_op.drop_index("ix_patients_practice_birth_date")

    op.drop_table("patients")
    with op.batch_alter_table("facilities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facilities_practice_id"))

    op.drop_table("facilities")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_events_practice_id"))
        batch_op.drop_index("ix_audit_events_practice_at")
        batch_op.drop_index("ix_audit_events_entity")

    op.drop_table("audit_events")
    op.drop_table("practices")
