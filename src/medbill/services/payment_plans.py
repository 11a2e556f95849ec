"""Patient payment plans as agreed and kept: create (at most what the patient owes, one active plan at a time), list,
where a plan stands today (payments received on or after the day it was made count toward it), cancel. An active plan
with a missed installment flags the account (``PlanView.behind``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from medbill.domain.audit import AuditAction
from medbill.domain.errors import Conflict, ValidationError
from medbill.domain.fields import new_id, parse_enum
from medbill.domain.money import cents_to_str
from medbill.domain.payment_plans import Installment, PaymentPlan, PlanFrequency, PlanStatus, schedule
from medbill.domain.payment_plans import plan_status as domain_plan_status
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit
from medbill.services.patient_payments import account_of
from medbill.services.ports import PatientPaymentRecord, PaymentKind, PaymentPlanRecord, PlanState


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanDraft:
    total_cents: int
    installment_cents: int
    first_due: date
    frequency: str
    terms: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanView:
    record: PaymentPlanRecord
    state: PlanState  # cancelled as stored; otherwise completed once paid in full, else active
    status: PlanStatus
    installments: tuple[Installment, ...]

    @property
    def behind(self) -> bool:
        """An active plan with a missed installment: the account is flagged."""
        return self.state is PlanState.ACTIVE and bool(self.status.missed)


def _view(record: PaymentPlanRecord, payments: Sequence[PatientPaymentRecord], today: date) -> PlanView:
    counted = [
        (p.received_on, p.amount_cents)
        for p in payments
        if p.kind is PaymentKind.PAYMENT and p.received_on >= record.plan.created_on
    ]
    status = domain_plan_status(record.plan, counted, today)
    state = record.state
    if state is PlanState.ACTIVE and status.complete:
        state = PlanState.COMPLETED
    return PlanView(record=record, state=state, status=status, installments=schedule(record.plan))


def create_plan(deps: Deps, actor: Actor, patient_id: str, draft: PlanDraft) -> PlanView:
    """Agree a plan for (at most) what the patient owes; one active plan per patient."""
    actor.require(Permission.PATIENT_PAYMENT)
    today = deps.clock.today()
    plan = PaymentPlan(
        total_cents=draft.total_cents,
        installment_cents=draft.installment_cents,
        first_due=draft.first_due,
        frequency=parse_enum(PlanFrequency, draft.frequency, "frequency"),
        created_on=today,
        terms=" ".join(draft.terms.split())[:2000],
    )
    with deps.uow() as uow:
        account = account_of(uow, actor, patient_id)
        owed = sum(account.owed(e) for e in account.lines)
        if plan.total_cents > owed:
            raise ValidationError(
                f"a plan of {cents_to_str(plan.total_cents)} is more than the {cents_to_str(max(owed, 0))} the "
                "patient owes; plan at most what is owed",
                field="total_cents",
            )
        payments = uow.patient_payments.for_patient(actor.practice_id, patient_id)
        for existing in uow.payment_plans.for_patient(actor.practice_id, patient_id):
            if _view(existing, payments, today).state is PlanState.ACTIVE:
                raise Conflict("the patient already has an active payment plan; cancel it first", field="plan")
        record = PaymentPlanRecord(
            id=new_id(),
            practice_id=actor.practice_id,
            patient_id=patient_id,
            state=PlanState.ACTIVE,
            plan=plan,
            created_by=actor.username,
        )
        uow.payment_plans.add(record)
        detail = f"{plan.frequency.value}, {plan.installment_count} installment(s)"
        record_audit(uow, deps, actor, AuditAction.CREATE, "payment_plan", record.id, detail)
        uow.commit()
    return _view(record, payments, today)


def list_plans(deps: Deps, actor: Actor, patient_id: str) -> list[PlanView]:
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)
        plans = uow.payment_plans.for_patient(actor.practice_id, patient_id)
        payments = uow.patient_payments.for_patient(actor.practice_id, patient_id)
    today = deps.clock.today()
    return [_view(p, payments, today) for p in plans]


def plan_status(deps: Deps, actor: Actor, plan_id: str) -> PlanView:
    """Where the plan stands today: paid, remaining, next due, missed installments (payments received on or after
    the day the plan was made count toward it)."""
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        record = uow.payment_plans.get(actor.practice_id, plan_id)
        payments = uow.patient_payments.for_patient(actor.practice_id, record.patient_id)
    return _view(record, payments, deps.clock.today())


def cancel_plan(deps: Deps, actor: Actor, plan_id: str) -> PlanView:
    actor.require(Permission.PATIENT_PAYMENT)
    with deps.uow() as uow:
        record = uow.payment_plans.get(actor.practice_id, plan_id)
        if record.state is PlanState.CANCELLED:
            raise Conflict("the plan is cancelled already", field="plan_id")
        uow.payment_plans.set_state(actor.practice_id, plan_id, PlanState.CANCELLED)
        record_audit(uow, deps, actor, AuditAction.UPDATE, "payment_plan", plan_id, "cancelled")
        payments = uow.patient_payments.for_patient(actor.practice_id, record.patient_id)
        uow.commit()
    cancelled = PaymentPlanRecord(
        id=record.id,
        practice_id=record.practice_id,
        patient_id=record.patient_id,
        state=PlanState.CANCELLED,
        plan=record.plan,
        created_by=record.created_by,
    )
    return _view(cancelled, payments, deps.clock.today())
