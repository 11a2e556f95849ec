"""The Protocols the services need from the outside world: storage (unit of work and repositories), clock, hashing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from types import TracebackType
from typing import Protocol, Self, TypeVar

from medbill.domain.appeals import Appeal, AppealStatus
from medbill.domain.appointments import Appointment
from medbill.domain.audit import AuditAction, AuditEvent
from medbill.domain.claim_records import ClaimBatchRecord, ClaimRecord, ClaimSnapshot
from medbill.domain.claim_states import ClaimStatus, ClaimTransition
from medbill.domain.claims import Claim
from medbill.domain.collections import AccountCollections, CollectionStatus
from medbill.domain.coverage import Coverage
from medbill.domain.eligibility_checks import CheckStatus, EligibilityCheck
from medbill.domain.encounters import Encounter
from medbill.domain.fees import FeeSchedule
from medbill.domain.ledger import LedgerEntry
from medbill.domain.parties import Facility, Patient, Payer, Practice, Provider
from medbill.domain.payment_plans import PaymentPlan
from medbill.domain.payments import PaymentMethod
from medbill.domain.posting import PostingTarget
from medbill.domain.reconciliation import Deposit, RemittancePayment
from medbill.domain.remittance import ProviderAdjustment
from medbill.domain.remittance_records import RemittanceRecord
from medbill.domain.report_facts import ClaimFacts, VisitMoney
from medbill.domain.users import ApiToken, User
from medbill.domain.work_items import Queue, WorkItem, WorkNote, WorkQuery, WorkStatus
from medbill.services.job_ports import JobRepository


class Clock(Protocol):
    def now(self) -> datetime: ...  # timezone-aware UTC

    def today(self) -> date: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


class PracticeRepository(Protocol):
    def add(self, practice: Practice) -> None: ...
    def get(self, practice_id: str) -> Practice: ...
    def list(self) -> Sequence[Practice]: ...


T = TypeVar("T")


class PartyRepository(Protocol[T]):
    """Providers, facilities and payers: rows of one practice, found by id."""

    def add(self, item: T) -> None: ...
    def update(self, item: T) -> None: ...
    def get(self, practice_id: str, item_id: str) -> T: ...
    def list(self, practice_id: str) -> Sequence[T]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientQuery:
    name: str | None = None  # "last" or "last, first" prefixes, case-insensitive
    birth_date: date | None = None
    account_number: str | None = None
    limit: int = 50
    offset: int = 0


class PatientRepository(Protocol):
    def add(self, patient: Patient) -> None: ...
    def add_many(self, patients: Sequence[Patient]) -> None: ...
    def update(self, patient: Patient) -> None: ...
    def get(self, practice_id: str, patient_id: str) -> Patient: ...
    def get_many(self, practice_id: str, patient_ids: Sequence[str]) -> dict[str, Patient]: ...  # the ones found
    def by_account(self, practice_id: str, account_number: str) -> Patient | None: ...
    def search(self, practice_id: str, query: PatientQuery) -> Sequence[Patient]: ...
    def count(self, practice_id: str) -> int: ...
    def accounts_in_use(self, practice_id: str, account_numbers: Sequence[str]) -> set[str]: ...  # those taken


class CoverageRepository(Protocol):
    def add(self, coverage: Coverage) -> None: ...
    def add_many(self, coverages: Sequence[Coverage]) -> None: ...
    def update(self, coverage: Coverage) -> None: ...
    def get(self, practice_id: str, coverage_id: str) -> Coverage: ...
    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[Coverage]: ...
    def for_patients(self, practice_id: str, patient_ids: Sequence[str]) -> dict[str, list[Coverage]]: ...


class EncounterRepository(Protocol):
    def add(self, encounter: Encounter) -> None: ...
    def add_many(self, encounters: Sequence[Encounter]) -> None: ...  # with their diagnoses and lines
    def get(self, practice_id: str, encounter_id: str) -> Encounter: ...
    def get_many(self, practice_id: str, encounter_ids: Sequence[str]) -> dict[str, Encounter]: ...  # those found
    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[Encounter]: ...
    def for_patients(self, practice_id: str, patient_ids: Sequence[str]) -> dict[str, list[Encounter]]: ...
    def recent(self, practice_id: str, limit: int) -> Sequence[Encounter]: ...
    def totals_since(self, practice_id: str, since: datetime) -> tuple[int, int]: ...  # (count, cents)
    def count(self, practice_id: str) -> int: ...


class FeeScheduleRepository(Protocol):
    def add(self, schedule: FeeSchedule) -> None: ...
    def get(self, practice_id: str, schedule_id: str) -> FeeSchedule: ...
    def list(self, practice_id: str) -> Sequence[FeeSchedule]: ...


class UserRepository(Protocol):
    def add(self, user: User) -> None: ...
    def update(self, user: User) -> None: ...
    def get(self, user_id: str) -> User: ...
    def by_username(self, username: str) -> User | None: ...
    def list(self, practice_id: str) -> Sequence[User]: ...


class TokenRepository(Protocol):
    def add(self, token: ApiToken) -> None: ...
    def by_hash(self, token_hash: str) -> ApiToken | None: ...
    def get(self, practice_id: str, token_id: str) -> ApiToken: ...
    def for_user(self, user_id: str) -> Sequence[ApiToken]: ...
    def revoke(self, token_id: str, at: datetime) -> None: ...


class AuditLog(Protocol):
    """Append-only: there is no update and no delete."""

    def append(self, event: AuditEvent) -> None: ...
    def append_many(self, events: Sequence[AuditEvent]) -> None: ...
    def list(
        self, practice_id: str, *, entity_type: str | None = None, entity_id: str | None = None, limit: int = 100
    ) -> Sequence[AuditEvent]: ...
    def count(
        self, practice_id: str, *, entity_type: str, entity_id: str, action: AuditAction, since: datetime
    ) -> int: ...


class AppointmentRepository(Protocol):
    def add(self, appointment: Appointment) -> None: ...
    def update(self, appointment: Appointment) -> None: ...
    def get(self, practice_id: str, appointment_id: str) -> Appointment: ...
    def on_day(self, practice_id: str, day: date) -> Sequence[Appointment]: ...


class LedgerRepository(Protocol):
    """Typed entries, append-only; balances are sums over them."""

    def add(self, entries: Sequence[LedgerEntry]) -> None: ...
    def for_claims(self, practice_id: str, claim_ids: Iterable[str]) -> Sequence[LedgerEntry]: ...
    def for_encounters(self, practice_id: str, encounter_ids: Iterable[str]) -> Sequence[LedgerEntry]: ...
    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[LedgerEntry]: ...
    def for_patients(self, practice_id: str, patient_ids: Iterable[str]) -> dict[str, list[LedgerEntry]]: ...
    def for_remittance(self, practice_id: str, remittance_id: str) -> Sequence[LedgerEntry]: ...
    def totals_by_kind(self, practice_id: str, *, payer_id: str | None = None) -> dict[str, int]: ...
    def patient_balances(self, practice_id: str) -> list[tuple[str, int, datetime]]: ...


class RemittanceRepository(Protocol):
    """Imported 835 transactions, unique by import key, with their bytes and PLB rows."""

    def add(self, record: RemittanceRecord, content: bytes, adjustments: Sequence[ProviderAdjustment]) -> None: ...
    def update(self, record: RemittanceRecord) -> None: ...
    def by_key(self, practice_id: str, key: str) -> RemittanceRecord | None: ...
    def get(self, practice_id: str, remittance_id: str) -> RemittanceRecord: ...
    def content(self, practice_id: str, remittance_id: str) -> bytes: ...
    def list(self, practice_id: str, *, limit: int = 100, offset: int = 0) -> Sequence[RemittanceRecord]: ...
    def provider_adjustments(self, practice_id: str, remittance_id: str) -> Sequence[ProviderAdjustment]: ...


class WorkQueueRepository(Protocol):
    def add(self, items: Sequence[WorkItem]) -> None: ...
    def get(self, practice_id: str, item_id: str) -> WorkItem: ...
    def list(
        self,
        practice_id: str,
        *,
        queue: Queue | None = None,
        status: WorkStatus | None = WorkStatus.OPEN,
        claim_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> Sequence[WorkItem]: ...
    def counts(self, practice_id: str) -> dict[str, int]: ...
    def close(self, practice_id: str, item_id: str, *, at: datetime, by: str, resolution: str) -> None: ...
    def find(self, practice_id: str, query: WorkQuery) -> Sequence[WorkItem]: ...
    def assign(self, practice_id: str, item_ids: Sequence[str], owner: str | None) -> int: ...
    def add_note(self, practice_id: str, item_id: str, *, at: datetime, author: str, text: str) -> None: ...
    def notes(self, practice_id: str, item_id: str) -> Sequence[WorkNote]: ...
    def open_references(self, practice_id: str, queue: Queue) -> set[str]: ...


class PostingLookups(Protocol):
    """Claims read and moved in bulk for posting (without decoding their 837 documents)."""

    def targets(self, practice_id: str, control_numbers: Iterable[str]) -> dict[str, PostingTarget]: ...
    def move(self, practice_id: str, transitions: Sequence[tuple[ClaimTransition, str | None]]) -> None: ...


class EligibilityCheckRepository(Protocol):
    """Eligibility checks with their raw 270 (when sent) and 271 (when answered); newest first in every list."""

    def add(self, check: EligibilityCheck, request: bytes | None) -> None: ...
    def answer(self, check: EligibilityCheck, response: bytes | None) -> None: ...  # status, answer, problems
    def get(self, practice_id: str, check_id: str) -> EligibilityCheck: ...
    def raw(self, practice_id: str, check_id: str) -> tuple[bytes | None, bytes | None]: ...  # (270, 271)
    def for_patient(self, practice_id: str, patient_id: str, *, limit: int = 50) -> Sequence[EligibilityCheck]: ...
    def by_status(self, practice_id: str, status: CheckStatus) -> Sequence[EligibilityCheck]: ...
    def latest(
        self, practice_id: str, coverage_ids: Sequence[str], *, answered_before: datetime | None = None
    ) -> dict[str, EligibilityCheck]: ...  # the newest answered check of each coverage
    def for_appointments(self, practice_id: str, appointment_ids: Sequence[str]) -> Sequence[EligibilityCheck]: ...


class ReportQueries(Protocol):
    """The aggregations behind the reports (A/R aging, KPIs): one row per claim and per visit, computed in SQL."""

    def claim_facts(self, practice_id: str, until: datetime) -> Sequence[ClaimFacts]: ...
    def visit_money(
        self, practice_id: str, *, since: datetime, until: datetime, window_since: datetime
    ) -> Sequence[VisitMoney]: ...
    def entered_visits(
        self, practice_id: str, *, since: datetime, until: datetime
    ) -> Sequence[tuple[str, date, datetime]]: ...  # (encounter id, date of service, entered at)
    def denial_adjustments(
        self, practice_id: str, claim_ids: Iterable[str]
    ) -> Sequence[tuple[str, str, str, int, datetime]]: ...  # (claim id, group, CARC, cents, at)
    def patient_labels(self, practice_id: str, patient_ids: Iterable[str]) -> dict[str, tuple[str, str]]: ...


class AppealRepository(Protocol):
    """Appeals of denials, with each one's letter (PDF bytes kept apart from the listing); newest first in lists."""

    def add(self, appeal: Appeal, letter: bytes) -> None: ...
    def update(self, appeal: Appeal, letter: bytes | None = None) -> None: ...  # status, dates, text; a new letter
    def get(self, practice_id: str, appeal_id: str) -> Appeal: ...
    def letter(self, practice_id: str, appeal_id: str) -> bytes: ...
    def list(
        self,
        practice_id: str,
        *,
        status: AppealStatus | None = None,
        claim_id: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> Sequence[Appeal]: ...


class CollectionsRepository(Protocol):
    """One collections status per patient account (absent: the account is in no collections step)."""

    def put(self, record: AccountCollections) -> None: ...  # insert or replace
    def get(self, practice_id: str, patient_id: str) -> AccountCollections | None: ...
    def list(self, practice_id: str, *, status: CollectionStatus | None = None) -> Sequence[AccountCollections]: ...


class UnitOfWork(Protocol):
    """One transaction: everything done through its repositories commits together or not at all."""

    practices: PracticeRepository
    providers: PartyRepository[Provider]
    facilities: PartyRepository[Facility]
    payers: PartyRepository[Payer]
    patients: PatientRepository
    coverages: CoverageRepository
    encounters: EncounterRepository
    fee_schedules: FeeScheduleRepository
    users: UserRepository
    tokens: TokenRepository
    audit: AuditLog
    clearinghouse_files: ClearinghouseFileRepository
    appointments: AppointmentRepository
    claims: ClaimRepository
    claim_batches: ClaimBatchRepository
    counters: ControlCounters
    ledger: LedgerRepository
    remittances: RemittanceRepository
    work_items: WorkQueueRepository
    posting: PostingLookups
    statements: StatementRepository
    patient_payments: PatientPaymentRepository
    payment_plans: PaymentPlanRepository
    deposits: DepositRepository
    eligibility_checks: EligibilityCheckRepository
    reports: ReportQueries
    appeals: AppealRepository
    collections: CollectionsRepository
    jobs: JobRepository

    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


# --- Clearinghouse: the transport port and the archive of every file sent or received -------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class RemoteFile:
    """One file waiting on a clearinghouse's inbound side, as its listing shows it."""

    name: str
    size: int | None = None
    modified_at: datetime | None = None  # the server's clock, UTC


class Clearinghouse(Protocol):
    """A mailbox at a clearinghouse, whatever the wire (SFTP, a local folder, an HTTP API, the sandbox payer).

    Use it as a context manager to hold one connection for several calls; a call made outside a ``with`` block
    opens and closes its own. Every failure of the wire is a ``ClearinghouseError``.
    """

    @property
    def name(self) -> str: ...  # the connection's name, e.g. "acme-sftp": the archive's mailbox

    @property
    def transport(self) -> str: ...  # "sftp", "directory", "http", "sandbox"

    def outbound_name(self, name: str) -> str: ...  # the remote name the mailbox's naming pattern gives ``name``
    def send(self, remote_name: str, data: bytes) -> None: ...  # never overwrites; appears whole or not at all
    def list_inbound(self) -> Sequence[RemoteFile]: ...
    def fetch(self, remote_name: str) -> bytes: ...
    def confirm_fetched(self, remote_name: str) -> None: ...  # after archiving: removes it only if so configured
    def __enter__(self) -> Self: ...
    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class FileDirection(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class FileStatus(StrEnum):
    SENDING = "sending"  # archived before the upload; stays so only if the outcome is unknown
    SENT = "sent"
    RECEIVED = "received"  # archived, not yet taken in
    PROCESSED = "processed"  # taken in: its acknowledgements applied, its 835 posted (a crash before this is redone)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClearinghouseFile:
    """A file sent to or received from a clearinghouse, as archived (the bytes are kept beside it)."""

    id: str
    practice_id: str
    mailbox: str
    transport: str
    direction: FileDirection
    status: FileStatus
    remote_name: str
    x12_kind: str | None  # "837P", "999", "277CA", "835" … when recognised
    sha256: str
    size_bytes: int
    created_at: datetime
    remote_size: int | None = None
    remote_modified_at: datetime | None = None


class ClearinghouseFileRepository(Protocol):
    """The archive. (practice, mailbox, direction, remote name, sha256) is unique: each file is kept once."""

    def add(self, file: ClearinghouseFile, content: bytes) -> None: ...
    def set_status(self, practice_id: str, file_id: str, status: FileStatus) -> None: ...
    def remove(self, practice_id: str, file_id: str) -> None: ...  # only an outbound file whose send failed
    def get(self, practice_id: str, file_id: str) -> ClearinghouseFile: ...
    def content(self, practice_id: str, file_id: str) -> bytes: ...
    def find(
        self, practice_id: str, mailbox: str, direction: FileDirection, remote_name: str, sha256: str
    ) -> ClearinghouseFile | None: ...
    def received(self, practice_id: str, mailbox: str, remote_names: Sequence[str]) -> Sequence[ClearinghouseFile]: ...
    def unprocessed(self, practice_id: str, mailbox: str) -> Sequence[ClearinghouseFile]: ...  # oldest first
    def list(
        self, practice_id: str, *, direction: FileDirection | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[ClearinghouseFile]: ...


# --- Claims: the stored claim records, their history and snapshots, the 837 batches, and control numbers ------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimQuery:
    statuses: tuple[ClaimStatus, ...] = ()  # empty: any status
    payer_id: str | None = None
    encounter_id: str | None = None
    batch_id: str | None = None
    limit: int = 500
    offset: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimState:
    """A claim as a status move needs it, read without its 837 document (moved with ``PostingLookups.move``)."""

    claim_id: str
    patient_control_number: str
    status: ClaimStatus
    payer_claim_number: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimCount:
    """How many claims of one payer are in one status, and what they charge."""

    status: ClaimStatus
    payer_id: str
    count: int
    total_charge_cents: int


class ClaimRepository(Protocol):
    """Claim records of one practice; (practice, CLM01), (practice, REF*6R) and (practice, build key) are unique."""

    def add(self, claim: ClaimRecord, build_key: str) -> None: ...
    def add_many(self, claims: Sequence[tuple[ClaimRecord, str]]) -> None: ...  # (claim, build key) each
    def update(self, claim: ClaimRecord) -> None: ...  # status, findings, batch, payer claim number, updated_at
    def update_many(self, claims: Sequence[ClaimRecord], *, findings: bool = True) -> None: ...  # False: kept as is
    def get_many(
        self, practice_id: str, claim_ids: Sequence[str]
    ) -> list[ClaimRecord]: ...  # in order; all or NotFound
    def by_build_keys(self, practice_id: str, build_keys: Sequence[str]) -> dict[str, ClaimRecord]: ...
    def by_control_numbers(self, practice_id: str, numbers: Sequence[str]) -> dict[str, ClaimRecord]: ...
    def add_transitions(self, practice_id: str, transitions: Sequence[ClaimTransition]) -> None: ...
    def snapshot_as_sent(self, snapshots: Sequence[ClaimSnapshot]) -> None: ...  # each with the claim's stored document
    def replace_document(self, claim: ClaimRecord) -> None: ...  # a draft rebuilt: its document, total and lines
    def get(self, practice_id: str, claim_id: str) -> ClaimRecord: ...
    def by_build_key(self, practice_id: str, build_key: str) -> ClaimRecord | None: ...
    def by_control_number(self, practice_id: str, patient_control_number: str) -> ClaimRecord | None: ...
    def find(self, practice_id: str, query: ClaimQuery) -> Sequence[ClaimRecord]: ...
    def states(self, practice_id: str, query: ClaimQuery) -> Sequence[ClaimState]: ...  # ``find`` without documents
    def states_by_control_numbers(self, practice_id: str, numbers: Sequence[str]) -> dict[str, ClaimState]: ...
    def counts(self, practice_id: str) -> Sequence[ClaimCount]: ...  # by status and payer, for work queues
    def unbilled_encounter_ids(self, practice_id: str) -> Sequence[str]: ...  # encounters with no claim yet
    def sent_documents(self, practice_id: str, patient_ids: Sequence[str]) -> Sequence[Claim]: ...
    def add_transition(self, practice_id: str, transition: ClaimTransition) -> None: ...
    def history(self, practice_id: str, claim_id: str) -> Sequence[ClaimTransition]: ...
    def add_snapshot(self, snapshot: ClaimSnapshot) -> None: ...
    def snapshots(self, practice_id: str, claim_id: str) -> Sequence[ClaimSnapshot]: ...


class ClaimBatchRepository(Protocol):
    """837 files as built, with their bytes kept apart from the listing."""

    def add(self, batch: ClaimBatchRecord, content: bytes) -> None: ...
    def get(self, practice_id: str, batch_id: str) -> ClaimBatchRecord: ...
    def content(self, practice_id: str, batch_id: str) -> bytes: ...
    def list(self, practice_id: str, *, limit: int = 100, offset: int = 0) -> Sequence[ClaimBatchRecord]: ...
    def mark_sent(self, practice_id: str, batch_id: str, file_id: str) -> None: ...


class ControlCounters(Protocol):
    """Persistent sequences per practice: claim numbers, and ISA13/GS06 per trading partner (never reused)."""

    def next(self, practice_id: str, name: str, *, apart: bool = False) -> int: ...
    # ``count`` numbers: the first of them. ``apart``: taken in a transaction of their own where the database runs
    # writers side by side (PostgreSQL), so concurrent runs do not wait on each other; a rollback leaves a gap
    def take(self, practice_id: str, name: str, count: int, *, apart: bool = False) -> int: ...


# --- Patient payments and refunds (with their unapplied credit), payment plans, bank deposits ------------------------


class PaymentKind(StrEnum):
    PAYMENT = "payment"
    REFUND = "refund"


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientPaymentRecord:
    """Money a patient paid (or was refunded); ``unapplied_cents`` is what no visit has received yet: a credit."""

    id: str
    practice_id: str
    patient_id: str
    kind: PaymentKind
    received_on: date
    amount_cents: int
    method: PaymentMethod
    reference: str | None
    unapplied_cents: int
    created_at: datetime
    created_by: str
    note: str | None = None


class PlanState(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentPlanRecord:
    id: str
    practice_id: str
    patient_id: str
    state: PlanState
    plan: PaymentPlan
    created_by: str


class PatientPaymentRepository(Protocol):
    def add(self, payment: PatientPaymentRecord) -> None: ...
    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[PatientPaymentRecord]: ...  # oldest first
    def set_unapplied(self, practice_id: str, payment_id: str, cents: int) -> None: ...
    def received_between(self, practice_id: str, start: date, end: date) -> Sequence[PatientPaymentRecord]: ...
    def patient_side_entries(
        self, practice_id: str
    ) -> Sequence[LedgerEntry]: ...  # every entry that moves a patient balance


class PaymentPlanRepository(Protocol):
    def add(self, plan: PaymentPlanRecord) -> None: ...
    def get(self, practice_id: str, plan_id: str) -> PaymentPlanRecord: ...
    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[PaymentPlanRecord]: ...
    def set_state(self, practice_id: str, plan_id: str, state: PlanState) -> None: ...


class DepositRepository(Protocol):
    """Bank deposits, unique by id (an import's row id is deterministic, so a second import adds nothing)."""

    def add(self, practice_id: str, deposits: Sequence[Deposit], *, source: str, at: datetime) -> None: ...
    def existing(self, practice_id: str, ids: Sequence[str]) -> set[str]: ...
    def between(self, practice_id: str, start: date, end: date) -> Sequence[Deposit]: ...
    def payer_payments(
        self, practice_id: str, start: date, end: date
    ) -> Sequence[RemittancePayment]: ...  # 835 BPR/TRN


# --- Patient statements: runs, the statements they produced (PDF bytes apart), holds ---------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementRunRecord:
    id: str
    practice_id: str
    run_on: date
    created_at: datetime
    created_by: str
    sent_count: int
    skipped_count: int
    total_due_cents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementRecord:
    """A statement as sent: to whom (a guarantor key and the patients it answers for), its number and amount due."""

    id: str
    practice_id: str
    run_id: str
    guarantor_key: str
    patient_ids: tuple[str, ...]
    statement_number: str
    statement_date: date
    due_date: date
    amount_due_cents: int
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StatementHold:
    practice_id: str
    patient_id: str
    reason: str
    created_at: datetime
    created_by: str


class StatementRepository(Protocol):
    def add_run(self, run: StatementRunRecord) -> None: ...
    def finish_run(self, run: StatementRunRecord) -> None: ...  # the counts, once the run is done
    def get_run(self, practice_id: str, run_id: str) -> StatementRunRecord: ...
    def add(self, statement: StatementRecord, pdf: bytes | None) -> None: ...  # None: rendered on first read
    def add_many(self, statements: Sequence[tuple[StatementRecord, bytes | None]]) -> None: ...  # a run's
    def runs(self, practice_id: str, *, limit: int = 50) -> Sequence[StatementRunRecord]: ...
    def get(self, practice_id: str, statement_id: str) -> StatementRecord: ...
    def pdf(self, practice_id: str, statement_id: str) -> bytes | None: ...  # None: not rendered yet
    def keep_pdf(self, practice_id: str, statement_id: str, pdf: bytes) -> bytes: ...  # the first kept wins
    def list(
        self, practice_id: str, *, patient_id: str | None = None, run_id: str | None = None, limit: int = 200
    ) -> Sequence[StatementRecord]: ...
    def last_dates(self, practice_id: str) -> dict[str, date]: ...  # guarantor key → last statement date
    def billable_patient_ids(self, practice_id: str) -> Sequence[str]: ...  # with ledger entries or credits
    def credits(self, practice_id: str, patient_ids: Sequence[str]) -> int: ...  # unapplied patient payments
    def credits_by_patient(self, practice_id: str, patient_ids: Sequence[str]) -> dict[str, int]: ...
    def holds(self, practice_id: str) -> dict[str, StatementHold]: ...
    def put_hold(self, hold: StatementHold) -> None: ...
    def remove_hold(self, practice_id: str, patient_id: str) -> bool: ...
