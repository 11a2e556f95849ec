"""Reading the money: a claim's ledger, a patient's account by visit, balances by payer, imported remittances, and
the work queues (unmatched, denials, underpayments, held advices) with closing an item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from medbill.domain.audit import AuditAction
from medbill.domain.errors import ValidationError
from medbill.domain.ledger import Balance, EntryKind, LedgerEntry, balance
from medbill.domain.remittance import ProviderAdjustment
from medbill.domain.remittance_records import RemittanceRecord
from medbill.domain.users import Actor, Permission
from medbill.domain.work_items import Queue, WorkItem, WorkQuery, WorkStatus
from medbill.services.base import Deps, record_audit
from medbill.services.follow_up import find_work


@dataclass(frozen=True, slots=True, kw_only=True)
class LineAccount:
    line_number: int
    procedure_code: str
    balance: Balance
    entries: tuple[LedgerEntry, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class VisitAccount:
    """One visit (encounter) of a patient: its lines, their entries and balances, and why the patient owes."""

    encounter_id: str
    date_of_service: date
    lines: tuple[LineAccount, ...]
    balance: Balance
    owed_by_share: dict[str, int]  # deductible, coinsurance, copay, other → cents the payers put on the patient
    responsible_on: date | None  # when the patient first came to owe on this visit (for aging)


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientAccount:
    patient_id: str
    visits: tuple[VisitAccount, ...]
    balance: Balance


def _owed_by_share(entries: Sequence[LedgerEntry]) -> dict[str, int]:
    owed: dict[str, int] = defaultdict(int)
    for entry in entries:
        if entry.kind is EntryKind.TRANSFER_TO_PATIENT and entry.patient_share is not None:
            owed[entry.patient_share.value] += entry.amount_cents
    return {k: v for k, v in owed.items() if v}


def visit_accounts(
    entries: Sequence[LedgerEntry], codes: dict[tuple[str, int], str], dates: dict[str, date]
) -> list[VisitAccount]:
    """Entries grouped by visit and line, each with its derived balance (oldest visit first)."""
    by_visit: dict[str, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        by_visit[entry.encounter_id].append(entry)
    visits: list[VisitAccount] = []
    for encounter_id, visit_entries in by_visit.items():
        by_line: dict[int, list[LedgerEntry]] = defaultdict(list)
        for entry in visit_entries:
            by_line[entry.line_number].append(entry)
        lines = tuple(
            LineAccount(
                line_number=number,
                procedure_code=codes.get((encounter_id, number), ""),
                balance=balance(line_entries),
                entries=tuple(line_entries),
            )
            for number, line_entries in sorted(by_line.items())
        )
        transfers = [e.at.date() for e in visit_entries if e.kind is EntryKind.TRANSFER_TO_PATIENT]
        visits.append(
            VisitAccount(
                encounter_id=encounter_id,
                date_of_service=dates.get(encounter_id, visit_entries[0].at.date()),
                lines=lines,
                balance=balance(visit_entries),
                owed_by_share=_owed_by_share(visit_entries),
                responsible_on=min(transfers) if transfers else None,
            )
        )
    visits.sort(key=lambda v: (v.date_of_service, v.encounter_id))
    return visits


def patient_account(deps: Deps, actor: Actor, patient_id: str, *, audit: bool = True) -> PatientAccount:
    """Every visit of the patient with what was charged, paid, adjusted, and what insurance and the patient owe.
    ``audit=False`` when the caller has just written this read's audit row (the patient page)."""
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)  # NotFound for another practice's patient
        entries = uow.ledger.for_patient(actor.practice_id, patient_id)
        encounters = uow.encounters.for_patient(actor.practice_id, patient_id)
        if audit:
            record_audit(uow, deps, actor, AuditAction.READ, "patient", patient_id, "account")
            uow.commit()
    codes = {(e.id, line.line_number): line.procedure_code for e in encounters for line in e.lines}
    dates = {e.id: e.date_of_service for e in encounters}
    visits = visit_accounts(entries, codes, dates)
    return PatientAccount(patient_id=patient_id, visits=tuple(visits), balance=balance(entries))


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimLedger:
    claim_id: str
    encounter_id: str
    visit: VisitAccount | None
    claim_entries: tuple[LedgerEntry, ...]  # what this claim's payer did
    work_items: tuple[WorkItem, ...]


def claim_ledger(deps: Deps, actor: Actor, claim_id: str) -> ClaimLedger:
    """The claim's service lines with every entry on them (the charge, each payer, the patient) and their balances."""
    actor.require(Permission.ENCOUNTER_READ)
    with deps.uow() as uow:
        claim = uow.claims.get(actor.practice_id, claim_id)
        entries = uow.ledger.for_encounters(actor.practice_id, [claim.encounter_id])
        items = uow.work_items.list(actor.practice_id, claim_id=claim.id, status=None)
    codes = {(claim.encounter_id, line.line_number): line.procedure_code for line in claim.lines}
    visits = visit_accounts(entries, codes, {claim.encounter_id: claim.date_of_service})
    return ClaimLedger(
        claim_id=claim.id,
        encounter_id=claim.encounter_id,
        visit=visits[0] if visits else None,
        claim_entries=tuple(e for e in entries if e.claim_id == claim.id),
        work_items=tuple(items),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class PayerTotals:
    payer_id: str | None
    payments_cents: int
    adjustments_cents: int
    to_patient_cents: int
    interest_cents: int


def totals_by_payer(deps: Deps, actor: Actor, payer_id: str) -> PayerTotals:
    """What one payer has paid, adjusted and put on patients, over every remittance posted."""
    actor.require(Permission.SETUP_READ)
    with deps.uow() as uow:
        totals = uow.ledger.totals_by_kind(actor.practice_id, payer_id=payer_id)
    return PayerTotals(
        payer_id=payer_id,
        payments_cents=totals.get(EntryKind.PAYER_PAYMENT.value, 0),
        adjustments_cents=totals.get(EntryKind.CONTRACTUAL_ADJUSTMENT.value, 0)
        + totals.get(EntryKind.OTHER_ADJUSTMENT.value, 0),
        to_patient_cents=totals.get(EntryKind.TRANSFER_TO_PATIENT.value, 0),
        interest_cents=totals.get(EntryKind.INTEREST.value, 0),
    )


# --- remittances and work queues ------------------------------------------------------------------------------------


def list_remittances(deps: Deps, actor: Actor, *, limit: int = 50, offset: int = 0) -> Sequence[RemittanceRecord]:
    actor.require(Permission.REMITTANCE_POST)
    with deps.uow() as uow:
        return uow.remittances.list(actor.practice_id, limit=limit, offset=offset)


@dataclass(frozen=True, slots=True, kw_only=True)
class RemittanceDetail:
    record: RemittanceRecord
    provider_adjustments: tuple[ProviderAdjustment, ...]
    entries: tuple[LedgerEntry, ...]
    work_items: tuple[WorkItem, ...]


def get_remittance(deps: Deps, actor: Actor, remittance_id: str) -> RemittanceDetail:
    actor.require(Permission.REMITTANCE_POST)
    with deps.uow() as uow:
        record = uow.remittances.get(actor.practice_id, remittance_id)
        items = [
            w
            for w in uow.work_items.list(actor.practice_id, status=None, limit=100_000)
            if w.remittance_id == remittance_id
        ]
        return RemittanceDetail(
            record=record,
            provider_adjustments=tuple(uow.remittances.provider_adjustments(actor.practice_id, remittance_id)),
            entries=tuple(uow.ledger.for_remittance(actor.practice_id, remittance_id)),
            work_items=tuple(items),
        )


def work_queue(
    deps: Deps,
    actor: Actor,
    queue: Queue | None = None,
    *,
    status: WorkStatus | None = WorkStatus.OPEN,
    limit: int = 100,
    offset: int = 0,
) -> Sequence[WorkItem]:
    """One queue's items, oldest first (``follow_up.find_work`` takes every filter)."""
    return find_work(deps, actor, WorkQuery(queue=queue, status=status, limit=limit, offset=offset))


def queue_counts(deps: Deps, actor: Actor) -> dict[str, int]:
    actor.require(Permission.REMITTANCE_POST)
    with deps.uow() as uow:
        counts = uow.work_items.counts(actor.practice_id)
    return {q.value: counts.get(q.value, 0) for q in Queue}


def close_work_item(deps: Deps, actor: Actor, item_id: str, resolution: str) -> WorkItem:
    """A person worked the item: it closes with what they did, and stays on record."""
    actor.require(Permission.REMITTANCE_POST)
    text = resolution.strip()
    if not text:
        raise ValidationError(
            "say what was done (appealed, corrected, posted by hand, written off …)", field="resolution"
        )
    with deps.uow() as uow:
        uow.work_items.close(actor.practice_id, item_id, at=deps.clock.now(), by=actor.username, resolution=text[:500])
        record_audit(uow, deps, actor, AuditAction.UPDATE, "work_item", item_id, "closed")
        item = uow.work_items.get(actor.practice_id, item_id)
        uow.commit()
    return item
