"""The SQL unit of work: one connection and one transaction; repositories share it; nothing commits unless asked."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from medbill.adapters.db import mapping as m
from medbill.adapters.db import tables as t
from medbill.adapters.db.appeals import SqlAppealRepository, SqlCollectionsRepository
from medbill.adapters.db.appointments import SqlAppointmentRepository
from medbill.adapters.db.batches import SqlClaimBatchRepository, SqlControlCounters
from medbill.adapters.db.claims import SqlClaimRepository
from medbill.adapters.db.eligibility import SqlEligibilityCheckRepository
from medbill.adapters.db.files import SqlClearinghouseFileRepository
from medbill.adapters.db.jobs import SqlJobRepository
from medbill.adapters.db.ledger import SqlLedger, SqlPostingLookups, SqlRemittanceRepository, SqlWorkQueue
from medbill.adapters.db.payments import SqlDepositRepository, SqlPatientPaymentRepository, SqlPaymentPlanRepository
from medbill.adapters.db.reports import SqlReportQueries
from medbill.adapters.db.repositories import (
    SqlAuditLog,
    SqlCoverageRepository,
    SqlEncounterRepository,
    SqlFeeScheduleRepository,
    SqlPatientRepository,
    SqlPracticeRepository,
    SqlTokenRepository,
    SqlUserRepository,
    _Rows,
)
from medbill.adapters.db.statements import SqlStatementRepository
from medbill.domain.errors import Conflict
from medbill.domain.parties import Facility, Payer, Provider
from medbill.services.job_ports import JobRepository
from medbill.services.ports import (
    AppealRepository,
    AppointmentRepository,
    AuditLog,
    ClaimBatchRepository,
    ClaimRepository,
    ClearinghouseFileRepository,
    CollectionsRepository,
    ControlCounters,
    CoverageRepository,
    DepositRepository,
    EligibilityCheckRepository,
    EncounterRepository,
    FeeScheduleRepository,
    LedgerRepository,
    PartyRepository,
    PatientPaymentRepository,
    PatientRepository,
    PaymentPlanRepository,
    PostingLookups,
    PracticeRepository,
    RemittanceRepository,
    ReportQueries,
    StatementRepository,
    TokenRepository,
    UserRepository,
    WorkQueueRepository,
)


class SqlUnitOfWork:
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
    patient_payments: PatientPaymentRepository
    payment_plans: PaymentPlanRepository
    deposits: DepositRepository
    statements: StatementRepository
    eligibility_checks: EligibilityCheckRepository
    reports: ReportQueries
    appeals: AppealRepository
    collections: CollectionsRepository
    jobs: JobRepository

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    def __enter__(self) -> Self:
        conn = self._engine.connect()
        conn.begin()
        self._conn = conn
        self.practices = SqlPracticeRepository(conn)
        self.providers = _Rows[Provider](conn, t.providers, m.provider_values, m.provider_of, "provider")
        self.facilities = _Rows[Facility](conn, t.facilities, m.facility_values, m.facility_of, "facility")
        self.payers = _Rows[Payer](conn, t.payers, m.payer_values, m.payer_of, "payer")
        self.patients = SqlPatientRepository(conn)
        self.coverages = SqlCoverageRepository(conn)
        self.encounters = SqlEncounterRepository(conn)
        self.fee_schedules = SqlFeeScheduleRepository(conn)
        self.users = SqlUserRepository(conn)
        self.tokens = SqlTokenRepository(conn)
        self.audit = SqlAuditLog(conn)
        self.clearinghouse_files = SqlClearinghouseFileRepository(conn)
        self.appointments = SqlAppointmentRepository(conn)
        self.claims = SqlClaimRepository(conn)
        self.claim_batches = SqlClaimBatchRepository(conn)
        self.counters = SqlControlCounters(conn)
        self.ledger = SqlLedger(conn)
        self.remittances = SqlRemittanceRepository(conn)
        self.work_items = SqlWorkQueue(conn)
        self.posting = SqlPostingLookups(conn)
        self.patient_payments = SqlPatientPaymentRepository(conn)
        self.payment_plans = SqlPaymentPlanRepository(conn)
        self.deposits = SqlDepositRepository(conn)
        self.statements = SqlStatementRepository(conn)
        self.eligibility_checks = SqlEligibilityCheckRepository(conn)
        self.reports = SqlReportQueries(conn)
        self.appeals = SqlAppealRepository(conn)
        self.collections = SqlCollectionsRepository(conn)
        self.jobs = SqlJobRepository(conn)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            if conn.in_transaction():
                conn.rollback()
        finally:
            conn.close()
        if isinstance(exc, IntegrityError):
            raise Conflict("that would duplicate or orphan a record; nothing was saved") from exc

    def commit(self) -> None:
        """Commit; work after it runs in a new transaction, begun by its first statement (SQLAlchemy's autobegin,
        so on SQLite a ``BEGIN IMMEDIATE`` then): a unit of work that ends with its commit starts no second one."""
        assert self._conn is not None, "commit outside the unit of work"
        try:
            self._conn.commit()
        except IntegrityError as exc:
            raise Conflict("that would duplicate or orphan a record; nothing was saved") from exc

    def rollback(self) -> None:
        assert self._conn is not None, "rollback outside the unit of work"
        self._conn.rollback()


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)
