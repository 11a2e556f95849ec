"""Registering patients and their insurance, finding them again, and reading them with an audit row each time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from medbill.domain.audit import AuditAction
from medbill.domain.coverage import Coverage, CoverageOrder, Relationship, Subscriber
from medbill.domain.errors import Conflict, MedbillError, ValidationError
from medbill.domain.fields import parse_enum
from medbill.domain.parties import Guarantor, GuarantorRelationship, Patient, PersonName, Sex
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit
from medbill.services.lookups import must_exist
from medbill.services.ports import PatientQuery, UnitOfWork
from medbill.services.setup import AddressDraft


@dataclass(frozen=True, slots=True, kw_only=True)
class GuarantorDraft:
    last_name: str
    first_name: str
    relationship: str
    address: AddressDraft
    phone: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientDraft:
    last_name: str
    first_name: str
    birth_date: date
    sex: str
    address: AddressDraft
    middle_name: str | None = None
    name_suffix: str | None = None
    phone: str | None = None
    email: str | None = None
    account_number: str | None = None  # assigned when empty
    guarantor: GuarantorDraft | None = None


def _build_guarantor(draft: GuarantorDraft) -> Guarantor:
    try:
        name = PersonName(last=draft.last_name, first=draft.first_name)
    except MedbillError as exc:
        raise exc.prefixed("guarantor") from None
    return Guarantor(
        name=name,
        relationship=parse_enum(GuarantorRelationship, draft.relationship, "guarantor.relationship"),
        address=draft.address.build("guarantor.address"),
        phone=draft.phone,
    )


def _patient_from(
    draft: PatientDraft, *, practice_id: str, account_number: str, patient_id: str | None, today: date
) -> Patient:
    values: dict[str, object] = {}
    if patient_id is not None:
        values["id"] = patient_id
    patient = Patient(
        practice_id=practice_id,
        account_number=account_number,
        name=PersonName(
            last=draft.last_name, first=draft.first_name, middle=draft.middle_name, suffix=draft.name_suffix
        ),
        birth_date=draft.birth_date,
        sex=parse_enum(Sex, draft.sex, "sex"),
        address=draft.address.build(),
        phone=draft.phone,
        email=draft.email,
        guarantor=_build_guarantor(draft.guarantor) if draft.guarantor else None,
        **values,  # type: ignore[arg-type]
    )
    patient.check_birth_date(today)
    return patient


def _next_account_number(uow: UnitOfWork, practice_id: str) -> str:
    number = uow.patients.count(practice_id) + 1
    while uow.patients.by_account(practice_id, f"A{number:06d}") is not None:
        number += 1
    return f"A{number:06d}"


def register_patient(deps: Deps, actor: Actor, draft: PatientDraft) -> Patient:
    actor.require(Permission.PATIENT_WRITE)
    with deps.uow() as uow:
        if draft.account_number and draft.account_number.strip():
            account = draft.account_number
            if uow.patients.by_account(actor.practice_id, account.strip().upper()) is not None:
                raise Conflict("another patient already has this account number", field="account_number")
        else:
            account = _next_account_number(uow, actor.practice_id)
        patient = _patient_from(
            draft, practice_id=actor.practice_id, account_number=account, patient_id=None, today=deps.clock.today()
        )
        uow.patients.add(patient)
        record_audit(uow, deps, actor, AuditAction.CREATE, "patient", patient.id)
        uow.commit()
    return patient


def update_patient(deps: Deps, actor: Actor, patient_id: str, draft: PatientDraft) -> Patient:
    actor.require(Permission.PATIENT_WRITE)
    with deps.uow() as uow:
        current = uow.patients.get(actor.practice_id, patient_id)
        account = (draft.account_number or current.account_number).strip().upper()
        other = uow.patients.by_account(actor.practice_id, account)
        if other is not None and other.id != patient_id:
            raise Conflict("another patient already has this account number", field="account_number")
        patient = _patient_from(
            draft,
            practice_id=actor.practice_id,
            account_number=account,
            patient_id=patient_id,
            today=deps.clock.today(),
        )
        uow.patients.update(patient)
        record_audit(uow, deps, actor, AuditAction.UPDATE, "patient", patient.id)
        uow.commit()
    return patient


def get_patient(deps: Deps, actor: Actor, patient_id: str) -> Patient:
    """Read one patient; the read itself is audited (who looked at whom, when, from where)."""
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        patient = uow.patients.get(actor.practice_id, patient_id)
        record_audit(uow, deps, actor, AuditAction.READ, "patient", patient.id)
        uow.commit()
    return patient


def search_patients(deps: Deps, actor: Actor, query: PatientQuery) -> Sequence[Patient]:
    """Find patients by name prefix ("smi" or "smith, jo"), date of birth and/or account number."""
    actor.require(Permission.PATIENT_READ)
    if not 1 <= query.limit <= 500:
        raise ValidationError("limit is between 1 and 500", field="limit")
    with deps.uow() as uow:
        found = uow.patients.search(actor.practice_id, query)
        criteria = ",".join(k for k in ("name", "birth_date", "account_number") if getattr(query, k))
        record_audit(
            uow, deps, actor, AuditAction.SEARCH, "patient", None, f"criteria={criteria or 'none'} results={len(found)}"
        )
        uow.commit()
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class SubscriberDraft:
    last_name: str
    first_name: str
    birth_date: date
    sex: str
    address: AddressDraft | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CoverageDraft:
    payer_id: str
    order: str
    member_id: str
    effective_from: date
    effective_to: date | None = None
    relationship: str = "18"
    subscriber: SubscriberDraft | None = None
    group_number: str | None = None
    plan_name: str | None = None
    copay_cents: int = 0
    deductible_cents: int = 0
    coinsurance_percent: str = "0"


def _coverage_from(draft: CoverageDraft, *, practice_id: str, patient_id: str, coverage_id: str | None) -> Coverage:
    subscriber = None
    if draft.subscriber is not None:
        s = draft.subscriber
        try:
            subscriber = Subscriber(
                name=PersonName(last=s.last_name, first=s.first_name),
                birth_date=s.birth_date,
                sex=parse_enum(Sex, s.sex, "sex"),
                address=s.address.build("subscriber.address") if s.address else None,
            )
        except MedbillError as exc:
            if exc.field and exc.field.startswith("subscriber."):
                raise
            raise exc.prefixed("subscriber") from None
    try:
        coinsurance = Decimal(str(draft.coinsurance_percent).strip().rstrip("%") or "0")
    except InvalidOperation:
        raise ValidationError("is not a percent", field="coinsurance_percent") from None
    values: dict[str, object] = {"id": coverage_id} if coverage_id else {}
    return Coverage(
        practice_id=practice_id,
        patient_id=patient_id,
        payer_id=draft.payer_id,
        order=parse_enum(CoverageOrder, draft.order, "order"),
        member_id=draft.member_id,
        relationship=parse_enum(Relationship, draft.relationship, "relationship"),
        subscriber=subscriber,
        group_number=draft.group_number,
        plan_name=draft.plan_name,
        effective_from=draft.effective_from,
        effective_to=draft.effective_to,
        copay_cents=draft.copay_cents,
        deductible_cents=draft.deductible_cents,
        coinsurance_percent=coinsurance,
        **values,  # type: ignore[arg-type]
    )


def _check_order_free(existing: Sequence[Coverage], coverage: Coverage) -> None:
    for other in existing:
        if other.id != coverage.id and other.order is coverage.order and other.overlaps(coverage):
            raise Conflict(
                f"the patient already has {coverage.order.value} coverage for overlapping dates; end it first "
                "or choose another order",
                field="order",
            )


def add_coverage(deps: Deps, actor: Actor, patient_id: str, draft: CoverageDraft) -> Coverage:
    actor.require(Permission.COVERAGE_WRITE)
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)
        must_exist(uow.payers.get, actor.practice_id, draft.payer_id, "payer_id", "payer")
        coverage = _coverage_from(draft, practice_id=actor.practice_id, patient_id=patient_id, coverage_id=None)
        _check_order_free(uow.coverages.for_patient(actor.practice_id, patient_id), coverage)
        uow.coverages.add(coverage)
        record_audit(uow, deps, actor, AuditAction.CREATE, "coverage", coverage.id, f"patient={patient_id}")
        uow.commit()
    return coverage


def end_coverage(deps: Deps, actor: Actor, coverage_id: str, last_day: date) -> Coverage:
    actor.require(Permission.COVERAGE_WRITE)
    with deps.uow() as uow:
        current = uow.coverages.get(actor.practice_id, coverage_id)
        if last_day < current.effective_from:
            raise ValidationError(
                "coverage ends before it starts: termination date is before effective date", field="effective_to"
            )
        ended = replace(current, effective_to=last_day)
        uow.coverages.update(ended)
        record_audit(uow, deps, actor, AuditAction.UPDATE, "coverage", coverage_id, "ended")
        uow.commit()
    return ended


def list_coverages(deps: Deps, actor: Actor, patient_id: str) -> Sequence[Coverage]:
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)
        coverages = uow.coverages.for_patient(actor.practice_id, patient_id)
        record_audit(uow, deps, actor, AuditAction.READ, "coverage", None, f"patient={patient_id}")
        uow.commit()
    return sorted(coverages, key=lambda c: (c.order.rank, c.effective_from))
