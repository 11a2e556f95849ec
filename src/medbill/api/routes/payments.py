"""The patient's money and the bank: take a payment, apply credit, refund, write off small balances, payment plans,
upload the bank's deposits and reconcile them against 835 payments. Amounts are decimal strings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Query, UploadFile
from pydantic import BaseModel, Field

from medbill.api.deps import ActorDep, DepsDep
from medbill.api.schemas import Amount, Strict
from medbill.domain.errors import ValidationError
from medbill.domain.money import cents_to_str, parse_cents
from medbill.domain.payment_plans import Installment
from medbill.domain.payments import PatientPaymentDraft, PaymentMethod
from medbill.domain.reconciliation import Deposit, RemittancePayment
from medbill.services import patient_payments, payment_plans, reconciliation
from medbill.services.documents import MAX_UPLOAD_BYTES
from medbill.services.payment_plans import PlanDraft, PlanView
from medbill.services.ports import PatientPaymentRecord

router = APIRouter(tags=["payments"])

Method = Literal["cash", "check", "card", "ach", "other"]


@contextmanager
def _fields(**renames: str) -> Iterator[None]:
    """A refusal names the body's field (``amount``), not the service's (``amount_cents``)."""
    try:
        yield
    except ValidationError as exc:
        if exc.field in renames:
            raise ValidationError(exc.message, field=renames[exc.field]) from exc
        raise


class AppliedOut(BaseModel):
    encounter_id: str
    amount: str


class PaymentIn(Strict):
    amount: Amount
    method: Method
    reference: str | None = Field(
        None, description="check number, or a card's last 4 / authorization; never a card number"
    )
    received_on: date | None = Field(None, description="default: today")
    encounter_ids: list[str] | None = Field(
        None, description="pay only these visits, in this order; default: oldest first"
    )


class PaymentOut(BaseModel):
    id: str
    kind: Literal["payment", "refund"]
    received_on: date
    amount: str
    method: Method
    reference: str | None
    unapplied: str = Field(description="what no visit has received: the payment's part of the account's credit")
    created_at: datetime
    created_by: str

    @classmethod
    def of(cls, p: PatientPaymentRecord) -> PaymentOut:
        return cls(
            id=p.id,
            kind=p.kind.value,
            received_on=p.received_on,
            amount=cents_to_str(p.amount_cents),
            method=p.method.value,
            reference=p.reference,
            unapplied=cents_to_str(p.unapplied_cents),
            created_at=p.created_at,
            created_by=p.created_by,
        )


class TakenOut(PaymentOut):
    applied: list[AppliedOut]


class PaymentsOut(BaseModel):
    credit: str
    payments: list[PaymentOut]


class CreditOut(BaseModel):
    applied: list[AppliedOut]
    applied_total: str
    credit: str


class RefundIn(Strict):
    amount: Amount
    method: Method = "check"
    reference: str | None = None


class WriteOffIn(Strict):
    threshold: Amount = Field(description="write off visits owing more than zero and at most this")
    reason: str = Field("small balance", max_length=20)


class VisitWriteOffIn(WriteOffIn):
    encounter_id: str


class WrittenOffOut(BaseModel):
    patient_id: str
    encounter_id: str
    amount: str


class WriteOffOut(BaseModel):
    visits: list[WrittenOffOut]
    total: str


class InstallmentOut(BaseModel):
    due: date
    amount: str

    @classmethod
    def of(cls, i: Installment) -> InstallmentOut:
        return cls(due=i.due, amount=cents_to_str(i.amount_cents))


class PlanIn(Strict):
    total: Amount
    installment: Amount
    first_due: date
    frequency: Literal["weekly", "biweekly", "monthly"] = "monthly"
    terms: str = ""


class PlanOut(BaseModel):
    id: str
    patient_id: str
    state: Literal["active", "completed", "cancelled"]
    behind: bool = Field(description="active with a missed installment: the account is flagged")
    total: str
    installment: str
    frequency: str
    first_due: date
    created_on: date
    paid: str
    remaining: str
    next_due: InstallmentOut | None
    missed: list[InstallmentOut]
    schedule: list[InstallmentOut]

    @classmethod
    def of(cls, v: PlanView) -> PlanOut:
        plan, status = v.record.plan, v.status
        return cls(
            id=v.record.id,
            patient_id=v.record.patient_id,
            state=v.state.value,
            behind=v.behind,
            total=cents_to_str(plan.total_cents),
            installment=cents_to_str(plan.installment_cents),
            frequency=plan.frequency.value,
            first_due=plan.first_due,
            created_on=plan.created_on,
            paid=cents_to_str(status.paid_cents),
            remaining=cents_to_str(status.remaining_cents),
            next_due=InstallmentOut.of(status.next_due) if status.next_due else None,
            missed=[InstallmentOut.of(i) for i in status.missed],
            schedule=[InstallmentOut.of(i) for i in v.installments],
        )


class DepositOut(BaseModel):
    id: str
    posted_on: date
    amount: str
    reference: str
    description: str

    @classmethod
    def of(cls, d: Deposit) -> DepositOut:
        return cls(
            id=d.id,
            posted_on=d.posted_on,
            amount=cents_to_str(d.amount_cents),
            reference=d.reference,
            description=d.description,
        )


class DepositImportOut(BaseModel):
    source: str
    read: int
    added: int
    already_imported: int
    message: str
    deposits: list[DepositOut]


class PayerPaymentOut(BaseModel):
    remittance_id: str
    payer: str
    trace_number: str
    method: str
    amount: str
    paid_on: date

    @classmethod
    def of(cls, p: RemittancePayment) -> PayerPaymentOut:
        return cls(
            remittance_id=p.id,
            payer=p.payer_name,
            trace_number=p.trace_number,
            method=p.method,
            amount=cents_to_str(p.amount_cents),
            paid_on=p.paid_on,
        )


class MatchOut(BaseModel):
    basis: Literal["trace", "amount"]
    deposit: DepositOut
    payment: PayerPaymentOut
    difference: str


class DayOut(BaseModel):
    day: date
    deposits: str
    payer_payments: str
    patient_payments: str = Field(description="patient cash and checks received that day")
    difference: str


class ReconciliationOut(BaseModel):
    start: date
    end: date
    window_days: int
    matched: list[MatchOut]
    unmatched_deposits: list[DepositOut]
    unmatched_payments: list[PayerPaymentOut]
    days: list[DayOut]


def _applied(applied: tuple[tuple[str, int], ...]) -> list[AppliedOut]:
    return [AppliedOut(encounter_id=e, amount=cents_to_str(c)) for e, c in applied]


@router.post("/patients/{patient_id}/payments", response_model=TakenOut, status_code=201)
def take_payment(patient_id: str, body: PaymentIn, deps: DepsDep, actor: ActorDep) -> TakenOut:
    """Apply a payment to the visits the patient owes on, oldest first (or `encounter_ids` only, in that order),
    spread over each visit's lines; what is left is credit (`unapplied`)."""
    with _fields(amount_cents="amount", chosen="encounter_ids"):
        draft = PatientPaymentDraft(
            amount_cents=parse_cents(body.amount, field="amount"),
            method=PaymentMethod(body.method),
            received_on=body.received_on or deps.clock.today(),
            reference=body.reference,
            chosen=tuple(body.encounter_ids) if body.encounter_ids is not None else None,
        )
        result = patient_payments.take_payment(deps, actor, patient_id, draft)
    return TakenOut(**PaymentOut.of(result.payment).model_dump(), applied=_applied(result.applied))


@router.get("/patients/{patient_id}/payments", response_model=PaymentsOut)
def list_payments(patient_id: str, deps: DepsDep, actor: ActorDep) -> PaymentsOut:
    view = patient_payments.list_payments(deps, actor, patient_id)
    return PaymentsOut(credit=cents_to_str(view.credit_cents), payments=[PaymentOut.of(p) for p in view.payments])


@router.post("/patients/{patient_id}/credits/apply", response_model=CreditOut)
def apply_credit(patient_id: str, deps: DepsDep, actor: ActorDep) -> CreditOut:
    """Apply unapplied credit to balances that appeared since (after a new 835, say), oldest payment first."""
    result = patient_payments.apply_credit(deps, actor, patient_id)
    return CreditOut(
        applied=_applied(result.applied),
        applied_total=cents_to_str(result.applied_cents),
        credit=cents_to_str(result.credit_cents),
    )


@router.post("/patients/{patient_id}/refunds", response_model=PaymentOut, status_code=201)
def refund(patient_id: str, body: RefundIn, deps: DepsDep, actor: ActorDep) -> PaymentOut:
    """Give back unapplied credit, never more than the credit."""
    with _fields(amount_cents="amount"):
        amount = parse_cents(body.amount, field="amount")
        record = patient_payments.refund(deps, actor, patient_id, amount, body.method, body.reference)
    return PaymentOut.of(record)


def _write_off(result: patient_payments.WriteOffResult) -> WriteOffOut:
    return WriteOffOut(
        visits=[WrittenOffOut(patient_id=p, encounter_id=e, amount=cents_to_str(c)) for p, e, c in result.visits],
        total=cents_to_str(result.total_cents),
    )


@router.post("/patients/{patient_id}/write-offs", response_model=WriteOffOut)
def write_off_visit(patient_id: str, body: VisitWriteOffIn, deps: DepsDep, actor: ActorDep) -> WriteOffOut:
    """Write off one visit's patient balance, refused when it is over the threshold."""
    with _fields(threshold_cents="threshold"):
        threshold = parse_cents(body.threshold, field="threshold")
        result = patient_payments.write_off_visit(
            deps, actor, patient_id, body.encounter_id, threshold_cents=threshold, reason=body.reason
        )
    return _write_off(result)


@router.post("/write-offs/small-balances", response_model=WriteOffOut)
def write_off_small_balances(body: WriteOffIn, deps: DepsDep, actor: ActorDep) -> WriteOffOut:
    """Write off every visit in the practice whose patient balance is more than zero and at most the threshold."""
    with _fields(threshold_cents="threshold"):
        threshold = parse_cents(body.threshold, field="threshold")
        result = patient_payments.write_off_small_balances(deps, actor, threshold_cents=threshold, reason=body.reason)
    return _write_off(result)


_PLAN_FIELDS = {"total_cents": "total", "installment_cents": "installment"}


@router.post("/patients/{patient_id}/plans", response_model=PlanOut, status_code=201)
def create_plan(patient_id: str, body: PlanIn, deps: DepsDep, actor: ActorDep) -> PlanOut:
    with _fields(**_PLAN_FIELDS):
        draft = PlanDraft(
            total_cents=parse_cents(body.total, field="total"),
            installment_cents=parse_cents(body.installment, field="installment"),
            first_due=body.first_due,
            frequency=body.frequency,
            terms=body.terms,
        )
        view = payment_plans.create_plan(deps, actor, patient_id, draft)
    return PlanOut.of(view)


@router.get("/patients/{patient_id}/plans", response_model=list[PlanOut])
def list_plans(patient_id: str, deps: DepsDep, actor: ActorDep) -> list[PlanOut]:
    """The patient's plans with where each stands today (`behind`: an active plan with a missed installment)."""
    return [PlanOut.of(v) for v in payment_plans.list_plans(deps, actor, patient_id)]


@router.get("/plans/{plan_id}", response_model=PlanOut)
def get_plan(plan_id: str, deps: DepsDep, actor: ActorDep) -> PlanOut:
    return PlanOut.of(payment_plans.plan_status(deps, actor, plan_id))


@router.post("/plans/{plan_id}/cancel", response_model=PlanOut)
def cancel_plan(plan_id: str, deps: DepsDep, actor: ActorDep) -> PlanOut:
    return PlanOut.of(payment_plans.cancel_plan(deps, actor, plan_id))


@router.post("/deposits", response_model=DepositImportOut)
async def import_deposits(file: UploadFile, deps: DepsDep, actor: ActorDep) -> DepositImportOut:
    """Upload the bank statement as CSV: its credits become deposits; rows imported before are not added again."""
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB", field="file")
    result = reconciliation.import_deposits(deps, actor, data, file.filename or "deposits.csv")
    return DepositImportOut(
        source=result.source,
        read=result.read,
        added=result.added,
        already_imported=result.already,
        message=result.message,
        deposits=[DepositOut.of(d) for d in result.deposits],
    )


@router.get("/reconciliation", response_model=ReconciliationOut)
def reconcile(
    deps: DepsDep,
    actor: ActorDep,
    start: date,
    end: date,
    window_days: int = Query(5, ge=0, le=60, description="days a deposit may be from its payment, matched by amount"),
) -> ReconciliationOut:
    """Each 835 payment of the period matched to a deposit (by trace number, then by a unique amount), what is left
    unmatched on either side, and deposits against payer payments and patient cash/checks by day."""
    report = reconciliation.reconcile(deps, actor, start, end, window_days=window_days)
    return ReconciliationOut(
        start=report.start,
        end=report.end,
        window_days=report.window_days,
        matched=[
            MatchOut(
                basis=m.basis.value,
                deposit=DepositOut.of(m.deposit),
                payment=PayerPaymentOut.of(m.payment),
                difference=cents_to_str(m.difference_cents),
            )
            for m in report.matched
        ],
        unmatched_deposits=[DepositOut.of(d) for d in report.unmatched_deposits],
        unmatched_payments=[PayerPaymentOut.of(p) for p in report.unmatched_payments],
        days=[
            DayOut(
                day=d.day,
                deposits=cents_to_str(d.deposits_cents),
                payer_payments=cents_to_str(d.payer_payments_cents),
                patient_payments=cents_to_str(d.patient_payments_cents),
                difference=cents_to_str(d.difference_cents),
            )
            for d in report.days
        ],
    )
