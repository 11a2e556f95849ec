"""The tables. Every one carries ``practice_id`` (the tenant, and the natural shard key); amounts are BIGINT cents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, on SQLite (which stores naive text) as on PostgreSQL (timestamptz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps are timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _id() -> Column[Any]:
    return Column("id", String(32), primary_key=True)


def _practice() -> Column[Any]:
    return Column("practice_id", String(32), ForeignKey("practices.id"), nullable=False, index=True)


def _address(prefix: str = "", *, required: bool = False) -> list[Column[Any]]:
    n = not required
    return [
        Column(f"{prefix}address_line1", String(55), nullable=n),
        Column(f"{prefix}address_line2", String(55), nullable=True),
        Column(f"{prefix}city", String(30), nullable=n),
        Column(f"{prefix}state", String(2), nullable=n),
        Column(f"{prefix}zip", String(9), nullable=n),
    ]


practices = Table(
    "practices",
    metadata,
    _id(),
    Column("practice_id", String(32), nullable=False),  # equal to id: every table carries practice_id
    Column("name", String(60), nullable=False),
    Column("npi", String(10)),
    Column("tin", String(9)),
    *_address(),
    Column("phone", String(10)),
    Column("taxonomy", String(10)),
)

providers = Table(
    "providers",
    metadata,
    _id(),
    _practice(),
    Column("kind", String(12), nullable=False),
    Column("last_name", String(60), nullable=False),
    Column("first_name", String(35)),
    Column("npi", String(10), nullable=False),
    Column("taxonomy", String(10)),
    Column("tin", String(9)),
    Column("tin_kind", String(3), nullable=False),
    Column("roles", String(60), nullable=False),  # comma-separated ProviderRole values
    *_address(),
    UniqueConstraint("practice_id", "npi", name="uq_providers_practice_npi"),
)

facilities = Table(
    "facilities",
    metadata,
    _id(),
    _practice(),
    Column("name", String(60), nullable=False),
    Column("npi", String(10)),
    Column("place_of_service", String(2), nullable=False),
    *_address(required=True),
)

payers = Table(
    "payers",
    metadata,
    _id(),
    _practice(),
    Column("name", String(60), nullable=False),
    Column("payer_code", String(80), nullable=False),  # the clearinghouse payer ID (NM1*PR09)
    Column("claim_filing_indicator", String(2), nullable=False),
    Column("timely_filing_days", Integer, nullable=False),
    Column("appeal_window_days", Integer, nullable=False, server_default="180"),  # days to appeal a denial
    *_address(),
    Column("phone", String(10)),
)

patients = Table(
    "patients",
    metadata,
    _id(),
    _practice(),
    Column("account_number", String(20), nullable=False),
    Column("last_name", String(60), nullable=False),
    Column("first_name", String(35), nullable=False),
    Column("middle_name", String(25)),
    Column("name_suffix", String(10)),
    Column("search_name", String(100), nullable=False),  # "last,first" lower-cased, for prefix search
    Column("birth_date", Date, nullable=False),
    Column("sex", String(1), nullable=False),
    *_address(required=True),
    Column("phone", String(10)),
    Column("email", String(120)),
    Column("guarantor_last_name", String(60)),
    Column("guarantor_first_name", String(35)),
    Column("guarantor_relationship", String(10)),
    *_address("guarantor_"),
    Column("guarantor_phone", String(10)),
    UniqueConstraint("practice_id", "account_number", name="uq_patients_practice_account"),
    Index("ix_patients_practice_search_name", "practice_id", "search_name"),
    Index("ix_patients_practice_birth_date", "practice_id", "birth_date"),
)

coverages = Table(
    "coverages",
    metadata,
    _id(),
    _practice(),
    Column("patient_id", String(32), ForeignKey("patients.id"), nullable=False, index=True),
    Column("payer_id", String(32), ForeignKey("payers.id"), nullable=False),
    Column("coverage_order", String(10), nullable=False),
    Column("member_id", String(80), nullable=False),
    Column("relationship", String(2), nullable=False),
    Column("subscriber_last_name", String(60)),
    Column("subscriber_first_name", String(35)),
    Column("subscriber_birth_date", Date),
    Column("subscriber_sex", String(1)),
    *_address("subscriber_"),
    Column("group_number", String(50)),
    Column("plan_name", String(60)),
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date),
    Column("copay_cents", BigInteger, nullable=False),
    Column("deductible_cents", BigInteger, nullable=False),
    Column("coinsurance_basis_points", Integer, nullable=False),  # 20.5 % is 2050
    # a patient's coverages (migration 0011): SQLite's planner prefers the practice_id index to patient_id alone
    Index("ix_coverages_practice_patient", "practice_id", "patient_id"),
)

encounters = Table(
    "encounters",
    metadata,
    _id(),
    _practice(),
    Column("patient_id", String(32), ForeignKey("patients.id"), nullable=False, index=True),
    Column("date_of_service", Date, nullable=False),
    Column("place_of_service", String(2), nullable=False),
    Column("rendering_provider_id", String(32), ForeignKey("providers.id"), nullable=False),
    Column("referring_provider_id", String(32), ForeignKey("providers.id")),
    Column("facility_id", String(32), ForeignKey("facilities.id")),
    Column("total_charge_cents", BigInteger, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("kind", String(1), nullable=False, server_default="P"),  # P professional (837P), I institutional (837I)
    Column("institutional", Text),  # JSON: type of bill, admission/discharge, occurrence/condition/value codes …
    Index("ix_encounters_practice_created_at", "practice_id", "created_at"),
    Index("ix_encounters_practice_patient", "practice_id", "patient_id"),  # migration 0011
)

encounter_diagnoses = Table(
    "encounter_diagnoses",
    metadata,
    _practice(),
    Column("encounter_id", String(32), ForeignKey("encounters.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),  # 1 = A (primary) … 12 = L
    Column("code", String(7), nullable=False),  # undotted ICD-10-CM
)

encounter_lines = Table(
    "encounter_lines",
    metadata,
    _practice(),
    Column("encounter_id", String(32), ForeignKey("encounters.id", ondelete="CASCADE"), primary_key=True),
    Column("line_number", Integer, primary_key=True),
    Column("procedure_code", String(5), nullable=False),
    Column("modifiers", String(11), nullable=False),  # "25,59"
    Column("units", Integer, nullable=False),
    Column("charge_cents", BigInteger, nullable=False),
    Column("diagnosis_pointers", String(7), nullable=False),  # "1,2"
    Column("note", String(80)),
    Column("revenue_code", String(4)),  # UB-04 FL 42, institutional lines
)

fee_schedules = Table(
    "fee_schedules",
    metadata,
    _id(),
    _practice(),
    Column("name", String(60), nullable=False),
    Column("payer_id", String(32), ForeignKey("payers.id")),
    Column("kind", String(10), nullable=False, server_default="charge"),  # charge, contract
    Column("effective_from", Date, nullable=False),
    Column("effective_to", Date),
)

fee_schedule_entries = Table(
    "fee_schedule_entries",
    metadata,
    _practice(),
    Column("fee_schedule_id", String(32), primary_key=True),
    Column("procedure_code", String(5), primary_key=True),
    Column("modifier", String(2), primary_key=True),
    Column("charge_cents", BigInteger, nullable=False),
    ForeignKeyConstraint(["fee_schedule_id"], ["fee_schedules.id"], ondelete="CASCADE"),
)

users = Table(
    "users",
    metadata,
    _id(),
    _practice(),
    Column("username", String(40), nullable=False, unique=True),
    Column("display_name", String(80), nullable=False),
    Column("role", String(12), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("sessions_valid_after", UtcDateTime),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    _id(),
    _practice(),
    Column("user_id", String(32), ForeignKey("users.id"), nullable=False, index=True),
    Column("name", String(60), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(10), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

audit_events = Table(
    "audit_events",
    metadata,
    # seq orders the log exactly as written, even for events in the same microsecond
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(32), nullable=False, unique=True),
    _practice(),
    Column("at", UtcDateTime, nullable=False),
    Column("user_id", String(32)),
    Column("username", String(40), nullable=False),
    Column("action", String(20), nullable=False),
    Column("entity_type", String(30), nullable=False),
    Column("entity_id", String(32)),
    Column("source", String(80), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_audit_events_entity", "practice_id", "entity_type", "entity_id"),
    Index("ix_audit_events_practice_at", "practice_id", "at"),
)

# Every file sent to or received from a clearinghouse, kept once: the unique key is what "fetched already" means.
clearinghouse_files = Table(
    "clearinghouse_files",
    metadata,
    _id(),
    _practice(),
    Column("mailbox", String(60), nullable=False),  # the clearinghouse connection's name
    Column("transport", String(20), nullable=False),  # sftp, directory, http, sandbox
    Column("direction", String(8), nullable=False),  # outbound, inbound
    Column("status", String(10), nullable=False),  # sending, sent, received, processed
    Column("remote_name", String(255), nullable=False),
    Column("x12_kind", String(8)),  # 837P, 999, 277CA, 835 … when recognised
    Column("sha256", String(64), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("remote_size", BigInteger),
    Column("remote_modified_at", UtcDateTime),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint(
        "practice_id", "mailbox", "direction", "remote_name", "sha256", name="uq_clearinghouse_files_once"
    ),
    Index("ix_clearinghouse_files_practice_created_at", "practice_id", "created_at"),
)

# The bytes, apart from the listing columns so that lists never drag them along (and they can move to object storage).
clearinghouse_file_contents = Table(
    "clearinghouse_file_contents",
    metadata,
    Column("file_id", String(32), ForeignKey("clearinghouse_files.id", ondelete="CASCADE"), primary_key=True),
    _practice(),
    Column("content", LargeBinary, nullable=False),
)

appointments = Table(
    "appointments",
    metadata,
    _id(),
    _practice(),
    Column("patient_id", String(32), ForeignKey("patients.id"), nullable=False, index=True),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("provider_id", String(32), ForeignKey("providers.id"), nullable=False),
    Column("facility_id", String(32), ForeignKey("facilities.id")),
    Column("visit_type", String(20), nullable=False),
    Column("status", String(12), nullable=False),
    Column("note", String(200)),
    Index("ix_appointments_practice_starts_at", "practice_id", "starts_at"),
)

appointment_services = Table(
    "appointment_services",
    metadata,
    _practice(),
    Column("appointment_id", String(32), ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("procedure_code", String(5), nullable=False),
    Column("units", Integer, nullable=False),
    Column("modifiers", String(11), nullable=False),
)

# --- claims (issue 5): the claim record, its lines, findings, history, snapshots, batches and control numbers -------

# Sequences per practice and per trading partner: claim numbers (CLM01) and ISA13/GS06 control numbers.
control_counters = Table(
    "control_counters",
    metadata,
    Column("practice_id", String(32), ForeignKey("practices.id"), primary_key=True),
    Column("name", String(80), primary_key=True),  # "claim", "isa:<receiver id>", "gs:<receiver id>"
    Column("value", BigInteger, nullable=False),
)

# One 837 file: to whom, with which control numbers, how many claims and what they total; its bytes apart.
claim_batches = Table(
    "claim_batches",
    metadata,
    _id(),
    _practice(),
    Column("kind", String(4), nullable=False),  # 837P, 837I
    Column("payer_id", String(32), ForeignKey("payers.id"), nullable=False),
    Column("sender_id", String(15), nullable=False),  # ISA06
    Column("receiver_id", String(15), nullable=False),  # ISA08: the trading partner
    Column("receiver_name", String(60), nullable=False),  # 1000B NM103
    Column("file_name", String(255), nullable=False),
    Column("interchange_control_number", BigInteger, nullable=False),  # ISA13
    Column("group_control_number", BigInteger, nullable=False),  # GS06
    Column("claim_count", Integer, nullable=False),
    Column("total_charge_cents", BigInteger, nullable=False),
    Column("status", String(12), nullable=False),  # built, sent
    Column("sha256", String(64), nullable=False),
    Column("size_bytes", BigInteger, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(40), nullable=False),
    Column("clearinghouse_file_id", String(32), ForeignKey("clearinghouse_files.id")),  # once sent
    UniqueConstraint("practice_id", "receiver_id", "interchange_control_number", name="uq_claim_batches_partner_isa13"),
    Index("ix_claim_batches_practice_created_at", "practice_id", "created_at"),
)

claim_batch_contents = Table(
    "claim_batch_contents",
    metadata,
    Column("batch_id", String(32), ForeignKey("claim_batches.id", ondelete="CASCADE"), primary_key=True),
    _practice(),
    Column("content", LargeBinary, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    _id(),
    _practice(),
    Column("encounter_id", String(32), ForeignKey("encounters.id"), nullable=False, index=True),
    Column("patient_id", String(32), ForeignKey("patients.id"), nullable=False, index=True),
    Column("coverage_id", String(32), ForeignKey("coverages.id"), nullable=False),
    Column("payer_id", String(32), ForeignKey("payers.id"), nullable=False),
    Column("coverage_order", String(10), nullable=False),
    Column("kind", String(4), nullable=False),
    Column("status", String(20), nullable=False),
    Column("patient_control_number", String(20), nullable=False),  # CLM01
    Column("frequency", String(1), nullable=False),  # CLM05-3
    # what makes building idempotent: "encounter:<id>:<payer id>" for an original, "<frequency>:<claim id>" else
    Column("build_key", String(80), nullable=False),
    Column("original_claim_id", String(32), ForeignKey("claims.id")),
    Column("payer_claim_number", String(50)),  # REF*F8
    Column("next_coverage_id", String(32), ForeignKey("coverages.id")),
    Column("batch_id", String(32), ForeignKey("claim_batches.id")),
    Column("date_of_service", Date, nullable=False),
    Column("total_charge_cents", BigInteger, nullable=False),
    Column("error_count", Integer, nullable=False),
    Column("warning_count", Integer, nullable=False),
    Column("scrubbed_at", UtcDateTime),
    Column("document", Text, nullable=False),  # the 837-shaped claim as JSON
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("practice_id", "patient_control_number", name="uq_claims_practice_pcn"),
    UniqueConstraint("practice_id", "build_key", name="uq_claims_practice_build_key"),
    Index("ix_claims_practice_status", "practice_id", "status"),
    # a patient's, an encounter's and a batch's claims (migration 0011)
    Index("ix_claims_practice_patient", "practice_id", "patient_id"),
    Index("ix_claims_practice_encounter", "practice_id", "encounter_id"),
    Index("ix_claims_practice_batch", "practice_id", "batch_id", "status"),
)

claim_lines = Table(
    "claim_lines",
    metadata,
    _practice(),
    Column("claim_id", String(32), ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("line_number", Integer, primary_key=True),
    Column("line_control_number", String(50), nullable=False),  # REF*6R
    Column("procedure_code", String(5), nullable=False),
    Column("modifiers", String(11), nullable=False),
    Column("units", Integer, nullable=False),
    Column("charge_cents", BigInteger, nullable=False),
    Column("service_date", Date, nullable=False),
    UniqueConstraint("practice_id", "line_control_number", name="uq_claim_lines_practice_lcn"),
)

claim_findings = Table(
    "claim_findings",
    metadata,
    _practice(),
    Column("claim_id", String(32), ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("rule", String(60), nullable=False),
    Column("family", String(20), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("message", Text, nullable=False),
    Column("line_number", Integer),
    Column("field", String(80)),
    Column("location", String(120)),
)

# Every transition of every claim, in order: the history KPIs are queries over.
claim_events = Table(
    "claim_events",
    metadata,
    Column("seq", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True),
    _practice(),
    Column("claim_id", String(32), ForeignKey("claims.id"), nullable=False),
    Column("event", String(20), nullable=False),
    Column("from_status", String(20), nullable=False),
    Column("to_status", String(20), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(60), nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_claim_events_claim", "practice_id", "claim_id"),
)

# What was sent, each time it was sent: never updated.
claim_snapshots = Table(
    "claim_snapshots",
    metadata,
    _id(),
    _practice(),
    Column("claim_id", String(32), ForeignKey("claims.id"), nullable=False, index=True),
    Column("batch_id", String(32), ForeignKey("claim_batches.id"), nullable=False),
    Column("patient_control_number", String(20), nullable=False),
    Column("total_charge_cents", BigInteger, nullable=False),
    Column("taken_at", UtcDateTime, nullable=False),
    Column("document", Text, nullable=False),
)

# Every 835 transaction set imported, once: ``import_key`` (payer, TRN02 and the claim payments inside) makes a second
# import of the same advice a no-op. A held advice (it does not balance) keeps its bytes until a person decides.
remittances = Table(
    "remittances",
    metadata,
    _id(),
    _practice(),
    Column("import_key", String(64), nullable=False),
    Column("status", String(10), nullable=False),  # posted, held
    Column("file_name", String(255), nullable=False),
    Column("transaction_index", Integer, nullable=False),  # which ST…SE of the file
    Column("control_number", String(9), nullable=False),  # ST02
    Column("payer_name", String(60), nullable=False),
    Column("payer_identifier", String(80), nullable=False),  # TRN03 (or N1*PR id)
    Column("trace_number", String(50), nullable=False),  # TRN02: check or EFT trace
    Column("method", String(3), nullable=False),  # BPR04
    Column("amount_cents", BigInteger, nullable=False),  # BPR02
    Column("paid_on", Date, nullable=False),  # BPR16
    Column("claim_count", Integer, nullable=False),
    Column("posted_count", Integer, nullable=False),
    Column("unmatched_count", Integer, nullable=False),
    Column("denied_count", Integer, nullable=False),
    Column("provider_adjustment_cents", BigInteger, nullable=False),  # ΣPLB
    Column("difference_cents", BigInteger, nullable=False),  # ΣCLP04 − ΣPLB − BPR02 (0 when it balances)
    Column("problems", Text, nullable=False),  # the balancing rules it breaks, one per line
    Column("sha256", String(64), nullable=False),  # of the file
    Column("imported_at", UtcDateTime, nullable=False),
    Column("imported_by", String(60), nullable=False),
    Column("posted_at", UtcDateTime),
    UniqueConstraint("practice_id", "import_key", name="uq_remittances_practice_key"),
    Index("ix_remittances_practice_imported_at", "practice_id", "imported_at"),
)

remittance_contents = Table(
    "remittance_contents",
    metadata,
    Column("remittance_id", String(32), ForeignKey("remittances.id", ondelete="CASCADE"), primary_key=True),
    _practice(),
    Column("content", LargeBinary, nullable=False),  # the whole file the transaction came in
)

# PLB: adjustments to the provider's payment, not to a claim (L6 interest, FB forward balance, WO recovery …).
provider_adjustments = Table(
    "provider_adjustments",
    metadata,
    _practice(),
    Column("remittance_id", String(32), ForeignKey("remittances.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("provider_identifier", String(50), nullable=False),  # PLB01
    Column("fiscal_period_end", Date, nullable=False),  # PLB02
    Column("reason", String(2), nullable=False),  # PLB03-1
    Column("reference", String(50)),  # PLB03-2 (the claim an overpayment recovery is for …)
    Column("amount_cents", BigInteger, nullable=False),  # positive reduces the payment
)

# The ledger: typed entries, never updated or deleted (append-only through triggers, like the audit log).
ledger_entries = Table(
    "ledger_entries",
    metadata,
    _id(),
    Column("practice_id", String(32), ForeignKey("practices.id"), nullable=False),  # the composite indexes lead with it
    # patient, claim and payer repeat what the encounter and the remittance already tie down: they are kept for
    # the per-account, per-claim and per-payer sums without the per-row foreign-key checks that would slow posting
    Column("patient_id", String(32), nullable=False),
    Column("encounter_id", String(32), ForeignKey("encounters.id"), nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("claim_id", String(32)),
    Column("payer_id", String(32)),
    Column("remittance_id", String(32), ForeignKey("remittances.id")),
    Column("kind", String(24), nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("group_code", String(2)),
    Column("reason_code", String(20)),
    Column("remark_codes", String(120), nullable=False),  # "N130,M15"
    Column("patient_share", String(12)),
    Column("source", String(200), nullable=False),
    Column("reverses", String(32)),
    Column("payment_id", String(32)),  # the patient payment (or refund) an entry applies, when one did
    Index("ix_ledger_entries_encounter", "practice_id", "encounter_id"),
    Index("ix_ledger_entries_patient", "practice_id", "patient_id"),
    Index("ix_ledger_entries_claim", "practice_id", "claim_id"),
    Index("ix_ledger_entries_remittance", "practice_id", "remittance_id"),
)

# What needs a person: unmatched remittance, denials, underpayments, held advices. Closed, never deleted.
work_items = Table(
    "work_items",
    metadata,
    _id(),
    _practice(),
    Column("queue", String(16), nullable=False),  # unmatched, denial, underpayment, held_remittance
    Column("status", String(8), nullable=False),  # open, closed
    Column("claim_id", String(32), ForeignKey("claims.id")),
    Column("remittance_id", String(32), ForeignKey("remittances.id")),
    Column("reference", String(50), nullable=False),  # CLP01 as sent, or the trace number
    Column("amount_cents", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),  # in words, with the codes
    Column("detail", Text, nullable=False),  # JSON: what was sent, so nothing is lost
    Column("created_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("closed_by", String(60)),
    Column("resolution", Text),
    # follow-up (migration 0008): who works it, by when, what kind of problem and what to do next
    Column("owner", String(60)),  # a username; None: unassigned
    Column("due_on", Date),  # the appeal window or timely-filing deadline, when one applies
    Column("category", String(24)),  # denial category: eligibility, authorization, coding, medical_necessity …
    Column("next_action", String(24)),  # correct_and_resubmit, appeal, bill_patient, bill_secondary, write_off …
    Column("payer_id", String(32)),
    Column("patient_id", String(32)),
    # the queues as they are worked, oldest first: by queue, by owner ("mine", unassigned), by payer (migration 0010)
    Index("ix_work_items_status", "practice_id", "status", "created_at"),
    Index("ix_work_items_queue", "practice_id", "queue", "status", "created_at"),
    Index("ix_work_items_owner", "practice_id", "owner", "status", "created_at"),
    Index("ix_work_items_payer", "practice_id", "payer_id", "status", "created_at"),
    Index("ix_work_items_claim", "practice_id", "claim_id"),
)

# What people wrote on a work item while working it, in order; never edited.
work_item_notes = Table(
    "work_item_notes",
    metadata,
    _practice(),
    Column("work_item_id", String(32), ForeignKey("work_items.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("author", String(60), nullable=False),
    Column("text", Text, nullable=False),
)

# An appeal of a denial: the letter sent, and the payer's answer when it comes.
appeals = Table(
    "appeals",
    metadata,
    _id(),
    _practice(),
    Column("claim_id", String(32), ForeignKey("claims.id"), nullable=False, index=True),
    Column("work_item_id", String(32), ForeignKey("work_items.id")),
    Column("status", String(10), nullable=False),  # drafted, sent, won, partly_won, lost, withdrawn
    Column("level", Integer, nullable=False),  # 1 first-level appeal (redetermination), 2 second …
    Column("reason", Text, nullable=False),  # the denial in words, as the letter states it
    Column("argument", Text, nullable=False),
    Column("attachments", Text, nullable=False),  # one per line
    Column("due_on", Date),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(60), nullable=False),
    Column("sent_on", Date),
    Column("answered_on", Date),
    Column("outcome", Text),
    Column("letter", LargeBinary),  # the PDF as generated
)

# Where a patient account stands in collections (absent: nothing special).
account_collections = Table(
    "account_collections",
    metadata,
    _practice(),
    Column("patient_id", String(32), ForeignKey("patients.id"), primary_key=True),
    Column("status", String(20), nullable=False),  # reminder, final_notice, collections, agency, settled
    Column("since", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("updated_by", String(60), nullable=False),
)

# --- the patient's side and reconciliation (migration 0006) -----------------------------------------------------------

# Money a patient (guarantor) paid, or a refund given back. What is not applied to a visit is a credit
# (``unapplied_cents``); the applications themselves are ledger entries that name the payment.
patient_payments = Table(
    "patient_payments",
    metadata,
    _id(),
    _practice(),
    Column("patient_id", String(32), ForeignKey("patients.id"), nullable=False, index=True),
    Column("kind", String(8), nullable=False),  # payment, refund
    Column("received_on", Date, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("method", String(10), nullable=False),  # cash, check, card, ach, other
    Column("reference", String(40)),  # check number, card last four / authorization; never a card number
    Column("unapplied_cents", BigInteger, nullable=False),
    Column("note", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(60), nullable=False),
)

payment_plans = Table(
    "payment_plans",
    metadata,
    _id(),
    _practice(),
    Column("patient_id", String(32), ForeignKey("patients.id"), nullable=False, index=True),
    Column("status", String(10), nullable=False),  # active, completed, cancelled
    Column("total_cents", BigInteger, nullable=False),
    Column("installment_cents", BigInteger, nullable=False),
    Column("first_due", Date, nullable=False),
    Column("frequency", String(10), nullable=False),  # weekly, biweekly, monthly
    Column("created_on", Date, nullable=False),
    Column("terms", Text, nullable=False),
    Column("created_by", String(60), nullable=False),
)

# Bank deposits as entered or imported from the bank's CSV; ``id`` is the import's deterministic row id, so the same
# export imported twice adds nothing.
bank_deposits = Table(
    "bank_deposits",
    metadata,
    Column("id", String(64), primary_key=True),
    _practice(),
    Column("posted_on", Date, nullable=False),
    Column("amount_cents", BigInteger, nullable=False),
    Column("reference", String(80), nullable=False),
    Column("description", Text, nullable=False),
    Column("source", String(255), nullable=False),
    Column("imported_at", UtcDateTime, nullable=False),
    Index("ix_bank_deposits_practice_posted_on", "practice_id", "posted_on"),
)

# Statement runs and the statements they produced, one per guarantor; the PDF kept apart from the listing.
statement_runs = Table(
    "statement_runs",
    metadata,
    _id(),
    _practice(),
    Column("run_on", Date, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(60), nullable=False),
    Column("sent_count", Integer, nullable=False),
    Column("skipped_count", Integer, nullable=False),
    Column("total_due_cents", BigInteger, nullable=False),
)

statements = Table(
    "statements",
    metadata,
    _id(),
    _practice(),
    Column("run_id", String(32), ForeignKey("statement_runs.id"), nullable=False, index=True),
    Column("guarantor_key", String(64), nullable=False),  # the same person at the same address, hashed
    Column("patient_ids", Text, nullable=False),  # "id1,id2": the patients this guarantor answers for
    Column("statement_number", String(20), nullable=False),
    Column("statement_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("amount_due_cents", BigInteger, nullable=False),
    Column("message", Text, nullable=False),
    Index("ix_statements_practice_guarantor", "practice_id", "guarantor_key", "statement_date"),
    UniqueConstraint("practice_id", "statement_number", name="uq_statements_practice_number"),
)

statement_documents = Table(
    "statement_documents",
    metadata,
    Column("statement_id", String(32), ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True),
    _practice(),
    Column("pdf", LargeBinary, nullable=False),
)

# Accounts a person put on hold: no statement goes out until the hold is lifted.
statement_holds = Table(
    "statement_holds",
    metadata,
    _practice(),
    Column("patient_id", String(32), ForeignKey("patients.id"), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(60), nullable=False),
)

# --- eligibility (migration 0007) --------------------------------------------------------------------------------------

# Every eligibility check: the 270 sent, the 271 that came back (raw, kept), and the benefits read from it.
eligibility_checks = Table(
    "eligibility_checks",
    metadata,
    _id(),
    _practice(),
    Column("patient_id", String(32), ForeignKey("patients.id"), nullable=False),
    Column("coverage_id", String(32), ForeignKey("coverages.id"), nullable=False),
    Column("payer_id", String(32), ForeignKey("payers.id"), nullable=False),
    Column("appointment_id", String(32), ForeignKey("appointments.id")),
    Column("status", String(12), nullable=False),  # pending, active, inactive, rejected, error
    Column("service_types", String(60), nullable=False),  # EQ01 codes asked, "30" or "30,98"
    Column("member_id", String(80), nullable=False),  # as sent
    Column("trace_number", String(50), nullable=False),  # TRN02 of the 270, matched by the 271
    Column("requested_at", UtcDateTime, nullable=False),
    Column("answered_at", UtcDateTime),
    Column("request", LargeBinary),  # the 270 as sent
    Column("response", LargeBinary),  # the 271 as received
    Column("benefits", Text, nullable=False),  # JSON: the normalized benefits record
    Column("problems", Text, nullable=False),  # AAA rejections and changes found (member id, other payer), in words
    Column("created_by", String(60), nullable=False),
    Index("ix_eligibility_checks_coverage", "practice_id", "coverage_id", "requested_at"),
    Index("ix_eligibility_checks_trace", "practice_id", "trace_number"),
)

# --- background jobs (migration 0009) ----------------------------------------------------------------------------------

# A long piece of work asked for by a user, split into chunks that workers take; progress is the chunk counts.
jobs = Table(
    "jobs",
    metadata,
    _id(),
    _practice(),
    Column("kind", String(30), nullable=False),
    Column("status", String(10), nullable=False),  # queued, running, succeeded, failed
    Column("params", Text, nullable=False),  # JSON, ids and settings only
    Column("chunks_total", Integer, nullable=False),
    Column("chunks_done", Integer, nullable=False),
    Column("chunks_failed", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(60), nullable=False),
    Column("user_id", String(32)),
    Column("role", String(20), nullable=False),
    Column("finished_at", UtcDateTime),
    Index("ix_jobs_practice_created", "practice_id", "created_at"),
)

# One chunk of a job: what it covers, how often it was taken, and what it did or why it failed.
job_chunks = Table(
    "job_chunks",
    metadata,
    _practice(),
    Column("job_id", String(32), ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", String(10), nullable=False),  # pending, running, done, failed
    Column("payload", Text, nullable=False),  # JSON
    Column("size", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("result", Text, nullable=False),  # JSON
    Column("error", Text, nullable=False),
    Column("started_at", UtcDateTime),
    Column("finished_at", UtcDateTime),
)
