"""The SQL side of the patient's money and the bank: patient payments and refunds, payment plans, bank deposits, and
the payers' payments (835 BPR/TRN) that deposits are reconciled against."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from medbill.adapters.db import tables as t
from medbill.adapters.db.ledger import _entry_of
from medbill.domain.errors import NotFound
from medbill.domain.ledger import EntryKind, LedgerEntry
from medbill.domain.payment_plans import PaymentPlan, PlanFrequency
from medbill.domain.payments import PaymentMethod
from medbill.domain.reconciliation import Deposit, RemittancePayment
from medbill.services.ports import PatientPaymentRecord, PaymentKind, PaymentPlanRecord, PlanState

_P = t.patient_payments.c
_PL = t.payment_plans.c
_D = t.bank_deposits.c
_R = t.remittances.c
_L = t.ledger_entries.c
_CHUNK = 500

# the entry kinds that move what a patient owes (the others leave the patient's bucket as it is)
_PATIENT_SIDE = (
    EntryKind.TRANSFER_TO_PATIENT,
    EntryKind.TRANSFER_TO_INSURANCE,
    EntryKind.PATIENT_PAYMENT,
    EntryKind.PATIENT_WRITE_OFF,
    EntryKind.REFUND,
)


def _payment_of(r: Row[Any]) -> PatientPaymentRecord:
    return PatientPaymentRecord(
        id=r.id,
        practice_id=r.practice_id,
        patient_id=r.patient_id,
        kind=PaymentKind(r.kind),
        received_on=r.received_on,
        amount_cents=int(r.amount_cents),
        method=PaymentMethod(r.method),
        reference=r.reference,
        unapplied_cents=int(r.unapplied_cents),
        note=r.note,
        created_at=r.created_at,
        created_by=r.created_by,
    )


class SqlPatientPaymentRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, payment: PatientPaymentRecord) -> None:
        self._conn.execute(
            insert(t.patient_payments).values(
                id=payment.id,
                practice_id=payment.practice_id,
                patient_id=payment.patient_id,
                kind=payment.kind.value,
                received_on=payment.received_on,
                amount_cents=payment.amount_cents,
                method=payment.method.value,
                reference=payment.reference,
                unapplied_cents=payment.unapplied_cents,
                note=payment.note,
                created_at=payment.created_at,
                created_by=payment.created_by[:60],
            )
        )

    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[PatientPaymentRecord]:
        rows = self._conn.execute(
            select(t.patient_payments)
            .where(_P.practice_id == practice_id, _P.patient_id == patient_id)
            .order_by(_P.received_on, _P.created_at, _P.kind, _P.id)  # payments before refunds
        ).all()
        return [_payment_of(r) for r in rows]

    def set_unapplied(self, practice_id: str, payment_id: str, cents: int) -> None:
        done = self._conn.execute(
            update(t.patient_payments)
            .where(_P.practice_id == practice_id, _P.id == payment_id)
            .values(unapplied_cents=cents)
        )
        if done.rowcount != 1:
            raise NotFound("no patient payment with that id in this practice")

    def received_between(self, practice_id: str, start: date, end: date) -> Sequence[PatientPaymentRecord]:
        rows = self._conn.execute(
            select(t.patient_payments)
            .where(_P.practice_id == practice_id, _P.received_on >= start, _P.received_on <= end)
            .order_by(_P.received_on, _P.created_at, _P.kind, _P.id)  # payments before refunds
        ).all()
        return [_payment_of(r) for r in rows]

    def patient_side_entries(self, practice_id: str) -> Sequence[LedgerEntry]:
        rows = self._conn.execute(
            select(t.ledger_entries)
            .where(_L.practice_id == practice_id, _L.kind.in_([k.value for k in _PATIENT_SIDE]))
            .order_by(_L.patient_id, _L.at, _L.id)
        ).all()
        return [_entry_of(r) for r in rows]


def _plan_of(r: Row[Any]) -> PaymentPlanRecord:
    return PaymentPlanRecord(
        id=r.id,
        practice_id=r.practice_id,
        patient_id=r.patient_id,
        state=PlanState(r.status),
        plan=PaymentPlan(
            total_cents=int(r.total_cents),
            installment_cents=int(r.installment_cents),
            first_due=r.first_due,
            frequency=PlanFrequency(r.frequency),
            created_on=r.created_on,
            terms=r.terms,
        ),
        created_by=r.created_by,
    )


class SqlPaymentPlanRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, plan: PaymentPlanRecord) -> None:
        p = plan.plan
        self._conn.execute(
            insert(t.payment_plans).values(
                id=plan.id,
                practice_id=plan.practice_id,
                patient_id=plan.patient_id,
                status=plan.state.value,
                total_cents=p.total_cents,
                installment_cents=p.installment_cents,
                first_due=p.first_due,
                frequency=p.frequency.value,
                created_on=p.created_on,
                terms=p.terms,
                created_by=plan.created_by[:60],
            )
        )

    def get(self, practice_id: str, plan_id: str) -> PaymentPlanRecord:
        row = self._conn.execute(
            select(t.payment_plans).where(_PL.practice_id == practice_id, _PL.id == plan_id)
        ).first()
        if row is None:
            raise NotFound("no payment plan with that id in this practice", field="plan_id")
        return _plan_of(row)

    def for_patient(self, practice_id: str, patient_id: str) -> Sequence[PaymentPlanRecord]:
        rows = self._conn.execute(
            select(t.payment_plans)
            .where(_PL.practice_id == practice_id, _PL.patient_id == patient_id)
            .order_by(_PL.created_on, _PL.id)
        ).all()
        return [_plan_of(r) for r in rows]

    def set_state(self, practice_id: str, plan_id: str, state: PlanState) -> None:
        done = self._conn.execute(
            update(t.payment_plans).where(_PL.practice_id == practice_id, _PL.id == plan_id).values(status=state.value)
        )
        if done.rowcount != 1:
            raise NotFound("no payment plan with that id in this practice", field="plan_id")


class SqlDepositRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, practice_id: str, deposits: Sequence[Deposit], *, source: str, at: datetime) -> None:
        if not deposits:
            return
        self._conn.execute(
            insert(t.bank_deposits),
            [
                {
                    "id": d.id,
                    "practice_id": practice_id,
                    "posted_on": d.posted_on,
                    "amount_cents": d.amount_cents,
                    "reference": d.reference[:80],
                    "description": d.description,
                    "source": source[:255],
                    "imported_at": at,
                }
                for d in deposits
            ],
        )

    def existing(self, practice_id: str, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        keys = list(dict.fromkeys(ids))
        for start in range(0, len(keys), _CHUNK):
            rows = self._conn.execute(
                select(_D.id).where(_D.practice_id == practice_id, _D.id.in_(keys[start : start + _CHUNK]))
            )
            found.update(r.id for r in rows)
        return found

    def between(self, practice_id: str, start: date, end: date) -> Sequence[Deposit]:
        rows = self._conn.execute(
            select(t.bank_deposits)
            .where(_D.practice_id == practice_id, _D.posted_on >= start, _D.posted_on <= end)
            .order_by(_D.posted_on, _D.id)
        ).all()
        return [
            Deposit(
                id=r.id,
                posted_on=r.posted_on,
                amount_cents=int(r.amount_cents),
                reference=r.reference,
                description=r.description,
            )
            for r in rows
        ]

    def payer_payments(self, practice_id: str, start: date, end: date) -> Sequence[RemittancePayment]:
        rows = self._conn.execute(
            select(_R.id, _R.trace_number, _R.amount_cents, _R.paid_on, _R.payer_name, _R.method)
            .where(_R.practice_id == practice_id, _R.paid_on >= start, _R.paid_on <= end, _R.amount_cents >= 0)
            .order_by(_R.paid_on, _R.id)
        ).all()
        return [
            RemittancePayment(
                id=r.id,
                trace_number=r.trace_number,
                amount_cents=int(r.amount_cents),
                paid_on=r.paid_on,
                payer_name=r.payer_name,
                method=r.method,
            )
            for r in rows
        ]
