"""Bank deposits and their reconciliation: deposits imported from the bank's CSV (idempotent) or entered by hand,
matched to the payers' payments (835 BPR02 amount, TRN02 trace, BPR16 date), with deposits against payments by day.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from medbill.domain.audit import AuditAction
from medbill.domain.errors import ValidationError
from medbill.domain.fields import new_id
from medbill.domain.payments import PaymentMethod
from medbill.domain.reconciliation import Deposit, MatchedPair, RemittancePayment
from medbill.domain.reconciliation import reconcile as match_deposits
from medbill.domain.users import Actor, Permission
from medbill.formats.bank_csv import read_deposits
from medbill.services.base import Deps, record_audit
from medbill.services.ports import PaymentKind

MAX_DAYS = 366  # a year at a time: longer ranges are a typing mistake, and a slow page
DEPOSITED_METHODS = frozenset({PaymentMethod.CASH, PaymentMethod.CHECK})  # patient money the practice takes to the bank


def _stored_id(practice_id: str, row_id: str) -> str:
    """The deposit's id within the practice: the CSV row id (deterministic) scoped by the practice."""
    return hashlib.sha256(f"{practice_id}:{row_id}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True, kw_only=True)
class DepositImport:
    source: str
    read: int  # credits found in the file
    added: int
    already: int  # imported before: added nothing
    deposits: tuple[Deposit, ...]  # the ones added

    @property
    def message(self) -> str:
        if self.read and not self.added:
            return f"{self.source}: all {self.read} deposit(s) were imported before; nothing added"
        return f"{self.source}: {self.added} deposit(s) added, {self.already} already imported"


def import_deposits(deps: Deps, actor: Actor, data: bytes | str, source: str) -> DepositImport:
    """The credits of a bank statement CSV as deposits; a row imported before (same file, or an overlapping export)
    is recognised by its row id and not added again."""
    actor.require(Permission.REMITTANCE_POST)
    name = source.strip() or "deposits.csv"
    rows = [replace(d, id=_stored_id(actor.practice_id, d.id)) for d in read_deposits(data, source=name)]
    with deps.uow() as uow:
        existing = uow.deposits.existing(actor.practice_id, [d.id for d in rows])
        new = [d for d in rows if d.id not in existing]
        if new:
            uow.deposits.add(actor.practice_id, new, source=name, at=deps.clock.now())
            detail = f"bank CSV: {len(new)} added, {len(rows) - len(new)} already imported"
            record_audit(uow, deps, actor, AuditAction.CREATE, "bank_deposit", None, detail)
            uow.commit()
    return DepositImport(source=name, read=len(rows), added=len(new), already=len(rows) - len(new), deposits=tuple(new))


def add_deposit(
    deps: Deps, actor: Actor, *, posted_on: date, amount_cents: int, reference: str = "", description: str = ""
) -> Deposit:
    """A deposit entered by hand (a check deposited at the branch, a statement line the CSV missed)."""
    actor.require(Permission.REMITTANCE_POST)
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int):
        raise TypeError("amount_cents is integer cents")
    if amount_cents <= 0:
        raise ValidationError("a deposit is more than zero", field="amount_cents")
    ref = " ".join(reference.split())
    if len(ref) > 80:
        raise ValidationError("is longer than 80 characters", field="reference")
    deposit = Deposit(
        id=new_id(),
        posted_on=posted_on,
        amount_cents=amount_cents,
        reference=ref,
        description=" ".join(description.split()),
    )
    with deps.uow() as uow:
        uow.deposits.add(actor.practice_id, [deposit], source="entered by hand", at=deps.clock.now())
        record_audit(uow, deps, actor, AuditAction.CREATE, "bank_deposit", deposit.id, "entered by hand")
        uow.commit()
    return deposit


@dataclass(frozen=True, slots=True, kw_only=True)
class DailyRow:
    day: date
    deposits_cents: int
    payer_payments_cents: int  # what the 835s paid that day (BPR16)
    patient_payments_cents: int  # patient cash and checks received that day

    @property
    def difference_cents(self) -> int:
        """Deposits minus what was expected in the bank: zero on a day that reconciles."""
        return self.deposits_cents - self.payer_payments_cents - self.patient_payments_cents


@dataclass(frozen=True, slots=True, kw_only=True)
class ReconciliationReport:
    start: date
    end: date
    window_days: int
    matched: tuple[MatchedPair, ...]
    unmatched_deposits: tuple[Deposit, ...]
    unmatched_payments: tuple[RemittancePayment, ...]
    days: tuple[DailyRow, ...]

    @property
    def deposits_cents(self) -> int:
        return sum(d.deposits_cents for d in self.days)

    @property
    def payer_payments_cents(self) -> int:
        return sum(d.payer_payments_cents for d in self.days)

    @property
    def patient_payments_cents(self) -> int:
        return sum(d.patient_payments_cents for d in self.days)


def reconcile(deps: Deps, actor: Actor, start: date, end: date, window_days: int = 5) -> ReconciliationReport:
    """Match the payers' payments to deposits (by trace number, then by a unique amount within ``window_days``) for
    the days from ``start`` to ``end``; a payment near either end may match a deposit just outside the range."""
    actor.require(Permission.REMITTANCE_POST)
    if end < start:
        raise ValidationError("the end date is on or after the start date", field="end")
    if (end - start).days >= MAX_DAYS:
        raise ValidationError(f"reconcile at most {MAX_DAYS} days at a time", field="end")
    if window_days < 0 or window_days > 60:
        raise ValidationError("the date window is 0 to 60 days", field="window_days")
    low, high = start - timedelta(days=window_days), end + timedelta(days=window_days)
    with deps.uow() as uow:
        deposits = uow.deposits.between(actor.practice_id, low, high)
        payments = uow.deposits.payer_payments(actor.practice_id, low, high)
        patient = uow.patient_payments.received_between(actor.practice_id, start, end)
    result = match_deposits(deposits, payments, window_days=window_days)

    def inside(day: date) -> bool:
        return start <= day <= end

    totals: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in result.by_day:
        if inside(row.day):
            totals[row.day][0] += row.deposits_cents
            totals[row.day][1] += row.payments_cents
    for p in patient:
        if p.kind is PaymentKind.PAYMENT and p.method in DEPOSITED_METHODS:
            totals[p.received_on][2] += p.amount_cents
    return ReconciliationReport(
        start=start,
        end=end,
        window_days=window_days,
        matched=tuple(m for m in result.matched if inside(m.deposit.posted_on) or inside(m.payment.paid_on)),
        unmatched_deposits=tuple(d for d in result.unmatched_deposits if inside(d.posted_on)),
        unmatched_payments=tuple(p for p in result.unmatched_payments if inside(p.paid_on)),
        days=tuple(
            DailyRow(day=day, deposits_cents=d, payer_payments_cents=pp, patient_payments_cents=pt)
            for day, (d, pp, pt) in sorted(totals.items())
        ),
    )
