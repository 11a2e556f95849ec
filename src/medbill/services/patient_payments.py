"""The patient's side of getting paid: payments applied to visits (oldest first or as chosen) as typed ledger
entries, unapplied credit and its later application, refunds of credit, small-balance write-offs (plans: payment_plans).

Money applied to a visit is a PATIENT_PAYMENT entry per line, naming its payment; money no visit owes stays on the
payment row as ``unapplied_cents`` (a credit, outside the ledger until it is applied). Each verb is one unit of work
with its audit row; a refused act raises before anything is written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from medbill.domain.audit import AuditAction
from medbill.domain.errors import ValidationError
from medbill.domain.fields import new_id, parse_enum, require_text
from medbill.domain.ledger import EntryKind, LedgerEntry, balance
from medbill.domain.money import cents_to_str
from medbill.domain.payments import (
    Allocation,
    OpenItem,
    PatientPaymentDraft,
    PaymentMethod,
    apply_payment,
    refund_allowed,
    small_balance_write_off,
    spread,
    validate_reference,
)
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit
from medbill.services.ports import PatientPaymentRecord, PaymentKind, UnitOfWork

__all__ = [
    "CreditResult",
    "PatientPaymentDraft",
    "PaymentResult",
    "PaymentsView",
    "WriteOffResult",
    "apply_credit",
    "list_payments",
    "refund",
    "take_payment",
    "write_off_small_balances",
    "write_off_visit",
]


class _Account:
    """A patient's balances per visit and line (patient bucket only), kept current as entries are written."""

    def __init__(self, entries: Sequence[LedgerEntry], dates: dict[str, date]) -> None:
        by_line: dict[tuple[str, int], list[LedgerEntry]] = defaultdict(list)
        responsible: dict[str, date] = {}
        for entry in entries:
            by_line[entry.line_key].append(entry)
            if entry.kind is EntryKind.TRANSFER_TO_PATIENT:
                day = entry.at.date()
                responsible[entry.encounter_id] = min(day, responsible.get(entry.encounter_id, day))
        self.lines: dict[str, dict[int, int]] = defaultdict(dict)
        for (encounter_id, number), line_entries in by_line.items():
            self.lines[encounter_id][number] = balance(line_entries).patient_cents
        self.dates = dates
        self.responsible = responsible

    def owed(self, encounter_id: str) -> int:
        return sum(self.lines.get(encounter_id, {}).values())

    def key(self, encounter_id: str) -> str:
        # oldest first means: the day the patient came to owe, then the date of service, then the visit
        when = self.dates.get(encounter_id, date.min)
        return f"{when.isoformat()} {encounter_id}"

    def open_items(self) -> list[OpenItem]:
        return [
            OpenItem(
                key=self.key(encounter_id),
                responsible_on=self.responsible.get(encounter_id, self.dates.get(encounter_id, date.min)),
                balance_cents=self.owed(encounter_id),
            )
            for encounter_id in self.lines
            if self.owed(encounter_id) > 0
        ]

    def chosen_keys(self, encounter_ids: Sequence[str]) -> tuple[str, ...]:
        for position, encounter_id in enumerate(encounter_ids):
            if encounter_id in encounter_ids[:position]:
                raise ValidationError(
                    "this visit is chosen twice; choose each visit once", field=f"encounter_ids[{position}]"
                )
            if self.owed(encounter_id) <= 0:
                raise ValidationError(
                    "the patient owes nothing on this visit; choose a visit with a patient balance",
                    field=f"encounter_ids[{position}]",
                )
        return tuple(self.key(e) for e in encounter_ids)

    def take(self, encounter_id: str, cents: int, make: _Maker) -> list[LedgerEntry]:
        """Entries that apply ``cents`` to the visit's lines, first line first; the balances follow."""
        lines = self.lines[encounter_id]
        parts = spread(cents, [(str(n), owed) for n, owed in sorted(lines.items())])
        entries = []
        for line_key, part in parts:
            number = int(line_key)
            lines[number] -= part
            entries.append(make(encounter_id, number, part))
        return entries

    def encounter_of(self, key: str) -> str:
        return key.split(" ", 1)[1]


class _Maker:
    """Builds one kind of patient-side entry for one act (same time, source, payment, reason)."""

    def __init__(
        self,
        actor: Actor,
        patient_id: str,
        kind: EntryKind,
        at: datetime,
        source: str,
        *,
        payment_id: str | None = None,
        reason: str | None = None,
    ) -> None:
        self.actor, self.patient_id, self.kind, self.at, self.source = actor, patient_id, kind, at, source
        self.payment_id, self.reason = payment_id, reason

    def __call__(self, encounter_id: str, line_number: int, cents: int) -> LedgerEntry:
        return LedgerEntry(
            practice_id=self.actor.practice_id,
            patient_id=self.patient_id,
            encounter_id=encounter_id,
            line_number=line_number,
            kind=self.kind,
            amount_cents=cents,
            at=self.at,
            reason_code=self.reason,
            source=self.source[:200],
            payment_id=self.payment_id,
        )


def account_of(uow: UnitOfWork, actor: Actor, patient_id: str) -> _Account:
    uow.patients.get(actor.practice_id, patient_id)  # NotFound for another practice's patient
    entries = uow.ledger.for_patient(actor.practice_id, patient_id)
    dates = {e.id: e.date_of_service for e in uow.encounters.for_patient(actor.practice_id, patient_id)}
    return _Account(entries, dates)


def _apply(account: _Account, allocation: Allocation, make: _Maker) -> tuple[list[LedgerEntry], list[tuple[str, int]]]:
    entries: list[LedgerEntry] = []
    applied: list[tuple[str, int]] = []
    for key, cents in allocation.applied:
        encounter_id = account.encounter_of(key)
        entries.extend(account.take(encounter_id, cents, make))
        applied.append((encounter_id, cents))
    return entries, applied


# --- payments, credit, refunds ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentResult:
    payment: PatientPaymentRecord
    applied: tuple[tuple[str, int], ...]  # (encounter id, cents), in the order applied
    entries: int


def take_payment(deps: Deps, actor: Actor, patient_id: str, draft: PatientPaymentDraft) -> PaymentResult:
    """Store the payment and apply it to the visits the patient owes on, oldest first (or only to the chosen visits,
    in the order chosen), spread over each visit's lines; what no visit owes stays on the payment as credit."""
    actor.require(Permission.PATIENT_PAYMENT)
    now = deps.clock.now()
    payment_id = new_id()
    with deps.uow() as uow:
        account = account_of(uow, actor, patient_id)
        chosen = account.chosen_keys(draft.chosen) if draft.chosen is not None else None
        allocation = apply_payment(draft.amount_cents, account.open_items(), chosen=chosen)
        make = _Maker(actor, patient_id, EntryKind.PATIENT_PAYMENT, now, f"payment {payment_id}", payment_id=payment_id)
        entries, applied = _apply(account, allocation, make)
        payment = PatientPaymentRecord(
            id=payment_id,
            practice_id=actor.practice_id,
            patient_id=patient_id,
            kind=PaymentKind.PAYMENT,
            received_on=draft.received_on,
            amount_cents=draft.amount_cents,
            method=draft.method,
            reference=draft.reference,
            unapplied_cents=allocation.credit_cents,
            created_at=now,
            created_by=actor.username,
        )
        uow.patient_payments.add(payment)
        uow.ledger.add(entries)
        detail = f"{draft.method.value}; applied to {len(applied)} visit(s); credit {'yes' if allocation.credit_cents else 'no'}"
        record_audit(uow, deps, actor, AuditAction.CREATE, "patient_payment", payment_id, detail)
        uow.commit()
    return PaymentResult(payment=payment, applied=tuple(applied), entries=len(entries))


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditResult:
    applied: tuple[tuple[str, int], ...]  # (encounter id, cents)
    applied_cents: int
    credit_cents: int  # unapplied credit left on the account


def apply_credit(deps: Deps, actor: Actor, patient_id: str) -> CreditResult:
    """Apply the account's unapplied credit to what the patient owes now (balances that appeared after the payment,
    a new 835 say): the oldest payment's credit first, each to the oldest visit first."""
    actor.require(Permission.PATIENT_PAYMENT)
    now = deps.clock.now()
    with deps.uow() as uow:
        account = account_of(uow, actor, patient_id)
        payments = [
            p
            for p in uow.patient_payments.for_patient(actor.practice_id, patient_id)
            if p.kind is PaymentKind.PAYMENT and p.unapplied_cents > 0
        ]
        entries: list[LedgerEntry] = []
        applied: list[tuple[str, int]] = []
        left = 0
        for payment in payments:
            items = account.open_items()
            if not items:
                left += payment.unapplied_cents
                continue
            allocation = apply_payment(payment.unapplied_cents, items)
            source = f"credit of payment {payment.id}"
            make = _Maker(actor, patient_id, EntryKind.PATIENT_PAYMENT, now, source, payment_id=payment.id)
            new_entries, new_applied = _apply(account, allocation, make)
            entries.extend(new_entries)
            applied.extend(new_applied)
            left += allocation.credit_cents
            if allocation.credit_cents != payment.unapplied_cents:
                uow.patient_payments.set_unapplied(actor.practice_id, payment.id, allocation.credit_cents)
        if entries:
            uow.ledger.add(entries)
            record_audit(
                uow,
                deps,
                actor,
                AuditAction.UPDATE,
                "patient",
                patient_id,
                f"credit applied to {len(applied)} visit(s)",
            )
            uow.commit()
    return CreditResult(applied=tuple(applied), applied_cents=sum(c for _, c in applied), credit_cents=left)


def refund(
    deps: Deps,
    actor: Actor,
    patient_id: str,
    amount_cents: int,
    method: PaymentMethod | str,
    reference: str | None = None,
) -> PatientPaymentRecord:
    """Give back unapplied credit (never more than the credit): a refund row; the newest credit is used first."""
    actor.require(Permission.BALANCE_WRITE_OFF)
    how = parse_enum(PaymentMethod, method, "method")
    cleaned = validate_reference(how, reference)
    now = deps.clock.now()
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)
        credits = [
            p
            for p in uow.patient_payments.for_patient(actor.practice_id, patient_id)
            if p.kind is PaymentKind.PAYMENT and p.unapplied_cents > 0
        ]
        refund_allowed(sum(p.unapplied_cents for p in credits), amount_cents)
        left = amount_cents
        for payment in reversed(credits):
            if left == 0:
                break
            used = min(left, payment.unapplied_cents)
            uow.patient_payments.set_unapplied(actor.practice_id, payment.id, payment.unapplied_cents - used)
            left -= used
        record = PatientPaymentRecord(
            id=new_id(),
            practice_id=actor.practice_id,
            patient_id=patient_id,
            kind=PaymentKind.REFUND,
            received_on=deps.clock.today(),
            amount_cents=amount_cents,
            method=how,
            reference=cleaned,
            unapplied_cents=0,
            created_at=now,
            created_by=actor.username,
        )
        uow.patient_payments.add(record)
        record_audit(uow, deps, actor, AuditAction.CREATE, "patient_refund", record.id, f"{how.value}; from credit")
        uow.commit()
    return record


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentsView:
    payments: tuple[PatientPaymentRecord, ...]  # payments and refunds, oldest first
    credit_cents: int


def list_payments(deps: Deps, actor: Actor, patient_id: str, *, audit: bool = True) -> PaymentsView:
    """The patient's payments and refunds and the credit; ``audit=False`` when the caller wrote this read's row."""
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)
        rows = tuple(uow.patient_payments.for_patient(actor.practice_id, patient_id))
        if audit:
            record_audit(uow, deps, actor, AuditAction.READ, "patient", patient_id, "payments")
            uow.commit()
    credit = sum(p.unapplied_cents for p in rows if p.kind is PaymentKind.PAYMENT)
    return PaymentsView(payments=rows, credit_cents=credit)


# --- write-offs -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOffResult:
    visits: tuple[tuple[str, str, int], ...]  # (patient id, encounter id, cents written off)
    entries: int

    @property
    def total_cents(self) -> int:
        return sum(c for _, _, c in self.visits)


def _reason(reason: str) -> str:
    return require_text(reason, "reason", max_length=20)


def _threshold(threshold_cents: int) -> int:
    if isinstance(threshold_cents, bool) or not isinstance(threshold_cents, int):
        raise TypeError("threshold_cents is integer cents")
    if threshold_cents <= 0:
        raise ValidationError("the small-balance threshold is more than zero", field="threshold_cents")
    return threshold_cents


def write_off_visit(
    deps: Deps, actor: Actor, patient_id: str, encounter_id: str, *, threshold_cents: int, reason: str
) -> WriteOffResult:
    """Write off what the patient owes on one visit, when it is at most the small-balance threshold."""
    actor.require(Permission.BALANCE_WRITE_OFF)
    why = _reason(reason)
    limit = _threshold(threshold_cents)
    with deps.uow() as uow:
        account = account_of(uow, actor, patient_id)
        owed = account.owed(encounter_id)
        if owed <= 0:
            raise ValidationError(
                "the patient owes nothing on this visit; there is nothing to write off", field="encounter_id"
            )
        if not small_balance_write_off(owed, limit):
            raise ValidationError(
                f"the patient owes {cents_to_str(owed)} on this visit, more than the small-balance threshold of "
                f"{cents_to_str(limit)}; take a payment or set up a plan instead",
                field="encounter_id",
            )
        make = _Maker(
            actor,
            patient_id,
            EntryKind.PATIENT_WRITE_OFF,
            deps.clock.now(),
            f"write-off by {actor.username}",
            reason=why,
        )
        entries = account.take(encounter_id, owed, make)
        uow.ledger.add(entries)
        record_audit(
            uow, deps, actor, AuditAction.UPDATE, "encounter", encounter_id, f"small balance written off ({why})"
        )
        uow.commit()
    return WriteOffResult(visits=((patient_id, encounter_id, owed),), entries=len(entries))


def write_off_small_balances(deps: Deps, actor: Actor, *, threshold_cents: int, reason: str) -> WriteOffResult:
    """Write off every visit in the practice on which a patient owes more than zero and at most the threshold."""
    actor.require(Permission.BALANCE_WRITE_OFF)
    why = _reason(reason)
    limit = _threshold(threshold_cents)
    now = deps.clock.now()
    with deps.uow() as uow:
        by_patient: dict[str, list[LedgerEntry]] = defaultdict(list)
        for entry in uow.patient_payments.patient_side_entries(actor.practice_id):
            by_patient[entry.patient_id].append(entry)
        entries: list[LedgerEntry] = []
        visits: list[tuple[str, str, int]] = []
        for patient_id, patient_entries in sorted(by_patient.items()):
            account = _Account(patient_entries, {})
            make = _Maker(
                actor, patient_id, EntryKind.PATIENT_WRITE_OFF, now, f"write-off by {actor.username}", reason=why
            )
            for encounter_id in sorted(account.lines):
                owed = account.owed(encounter_id)
                if small_balance_write_off(owed, limit):
                    entries.extend(account.take(encounter_id, owed, make))
                    visits.append((patient_id, encounter_id, owed))
        if entries:
            uow.ledger.add(entries)
            detail = f"small balances written off ({why}): {len(visits)} visit(s)"
            record_audit(uow, deps, actor, AuditAction.UPDATE, "ledger", None, detail)
            uow.commit()
    return WriteOffResult(visits=tuple(visits), entries=len(entries))
