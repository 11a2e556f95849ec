"""Registering patients and their insurance, finding them again, and reading them with an audit row each time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from medbill.domain.audit import AuditAction
from medbill.domain.coverage import Coverage, CoverageOrder, Relationship, Subscriber
from medbill.domain.errors import Conflict, MedbillError, ValidationError
from medbill.domain.fields import parse_enum
from medbill.domain.parties import Guarantor, GuarantorRelationship, Patient, Payer, PersonName, Sex
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, audit_event, record_audit
from medbill.services.lookups import must_exist, preloaded
from medbill.services.ports import PatientQuery
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


def _next_account_number(count: int, taken: Callable[[str], bool]) -> str:
    """The first free ``A000123`` from the practice's patient count + 1 on."""
    number = count + 1
    while taken(f"A{number:06d}"):
        number += 1
    return f"A{number:06d}"


def _new_patient(
    draft: PatientDraft,
    *,
    practice_id: str,
    today: date,
    taken: Callable[[str], bool],
    next_account: Callable[[], str],
) -> Patient:
    """A new patient checked as ``register_patient`` and ``register_patients`` both check one: the account number
    given is free (``taken`` says whether one is in use), else the next free one is assigned."""
    if draft.account_number and draft.account_number.strip():
        account = draft.account_number
        if taken(account.strip().upper()):
            raise Conflict("another patient already has this account number", field="account_number")
    else:
        account = next_account()
    return _patient_from(draft, practice_id=practice_id, account_number=account, patient_id=None, today=today)


def register_patient(deps: Deps, actor: Actor, draft: PatientDraft) -> Patient:
    actor.require(Permission.PATIENT_WRITE)
    with deps.uow() as uow:
        pid = actor.practice_id

        def taken(account: str) -> bool:
            return uow.patients.by_account(pid, account) is not None

        patient = _new_patient(
            draft,
            practice_id=pid,
            today=deps.clock.today(),
            taken=taken,
            next_account=lambda: _next_account_number(uow.patients.count(pid), taken),
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


def _new_coverage(
    draft: CoverageDraft,
    *,
    practice_id: str,
    patient_id: str,
    payers: Callable[[str, str], Payer],
    existing: Sequence[Coverage],
) -> Coverage:
    """A new coverage checked as ``add_coverage`` and ``register_patients`` both check one: its payer is one of the
    practice's (``payers`` fetches it), its fields are valid, and its order is free on its dates among ``existing``."""
    must_exist(payers, practice_id, draft.payer_id, "payer_id", "payer")
    coverage = _coverage_from(draft, practice_id=practice_id, patient_id=patient_id, coverage_id=None)
    _check_order_free(existing, coverage)
    return coverage


def add_coverage(deps: Deps, actor: Actor, patient_id: str, draft: CoverageDraft) -> Coverage:
    actor.require(Permission.COVERAGE_WRITE)
    with deps.uow() as uow:
        uow.patients.get(actor.practice_id, patient_id)
        coverage = _new_coverage(
            draft,
            practice_id=actor.practice_id,
            patient_id=patient_id,
            payers=uow.payers.get,
            existing=uow.coverages.for_patient(actor.practice_id, patient_id),
        )
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


@dataclass(frozen=True, slots=True)
class Registered:
    """One patient ``register_patients`` registered, with the coverages added with it (in the order given)."""

    patient: Patient
    coverages: tuple[Coverage, ...]


def register_patients(
    deps: Deps, actor: Actor, drafts: Sequence[tuple[PatientDraft, Sequence[CoverageDraft]]]
) -> list[Registered]:
    """Many new patients with their coverages (a practice-management export): each checked exactly as
    ``register_patient`` and then ``add_coverage`` check one, written together in bulk, all or none.

    A refusal names the item by its index in ``drafts`` (0-based): ``patients[3].coverages[0].member_id``. The
    practice's payers are read once for the whole call, and account numbers in use once for those given; the audit
    trail is the single services' (a ``create`` row per patient, then one per coverage)."""
    actor.require(Permission.PATIENT_WRITE)
    if any(coverages for _, coverages in drafts):
        actor.require(Permission.COVERAGE_WRITE)
    today = deps.clock.today()
    with deps.uow() as uow:
        pid = actor.practice_id
        payers = preloaded({p.id: p for p in uow.payers.list(pid)})
        given = [d.account_number.strip().upper() for d, _ in drafts if d.account_number and d.account_number.strip()]
        given_set = set(given)
        in_use = uow.patients.accounts_in_use(pid, given) if given else set()
        count: list[int] = []  # the practice's patient count, read when the first number is to be assigned

        def taken(account: str) -> bool:
            return account in in_use or (account not in given_set and uow.patients.by_account(pid, account) is not None)

        def next_account() -> str:
            if not count:
                count.append(uow.patients.count(pid))
            return _next_account_number(count[0] + len(registered), taken)

        registered: list[Registered] = []
        for i, (draft, coverage_drafts) in enumerate(drafts):
            try:
                patient = _new_patient(draft, practice_id=pid, today=today, taken=taken, next_account=next_account)
                coverages: list[Coverage] = []
                for j, coverage_draft in enumerate(coverage_drafts):
                    try:
                        coverages.append(
                            _new_coverage(
                                coverage_draft,
                                practice_id=pid,
                                patient_id=patient.id,
                                payers=payers,
                                existing=coverages,
                            )
                        )
                    except MedbillError as exc:
                        raise exc.prefixed(f"coverages[{j}]") from None
            except MedbillError as exc:
                raise exc.prefixed(f"patients[{i}]") from None
            in_use.add(patient.account_number)
            registered.append(Registered(patient, tuple(coverages)))
        uow.patients.add_many([r.patient for r in registered])
        uow.coverages.add_many([c for r in registered for c in r.coverages])
        uow.audit.append_many(
            [
                event
                for r in registered
                for event in (
                    audit_event(deps, actor, AuditAction.CREATE, "patient", r.patient.id),
                    *(
                        audit_event(deps, actor, AuditAction.CREATE, "coverage", c.id, f"patient={r.patient.id}")
                        for c in r.coverages
                    ),
                )
            ]
        )
        uow.commit()
    return registered
