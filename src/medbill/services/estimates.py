"""The patient's estimate for an appointment: fees, the payer's expected allowed amounts, and the benefits: the latest
271 of each coverage when there is one (deductible and out-of-pocket remaining, coinsurance, the copay of the visit's
service type; a 271 saying the coverage is inactive drops it), else the benefits recorded at registration; plus the
patient's unpaid balance from earlier visits and unapplied credits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

from medbill.codesets.pfs import fee_schedule as medicare_fee_schedule
from medbill.domain.adjudication import BenefitState
from medbill.domain.appointments import Appointment
from medbill.domain.audit import AuditAction
from medbill.domain.benefits import MemberBenefits
from medbill.domain.coverage import Coverage
from medbill.domain.eligibility_checks import CheckStatus, EligibilityCheck
from medbill.domain.errors import CodeSetError, MedbillError, NotFound
from medbill.domain.estimates import Estimate, PlannedLine, estimate_visit
from medbill.domain.fees import FeeSchedule, price_line
from medbill.domain.ledger import balance
from medbill.domain.parties import Patient, Payer
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit
from medbill.services.ports import PaymentKind

# Office/outpatient and preventive E/M codes: the visit copay is collected on these lines.
_EM_PREFIXES = ("9920", "9921", "9938", "9939", "G0438", "G0439")
# The 271 service types whose copay is the visit's: office visits (98), well visits and wellness exams (BY).
_OFFICE_PREFIXES = ("9920", "9921")


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentEstimate:
    appointment: Appointment
    patient: Patient
    date_of_service: date
    primary_payer: Payer | None
    secondary_payer: Payer | None
    estimate: Estimate
    notes: tuple[str, ...]
    benefits_source: str = "coverage"  # "271" when the primary's benefits came from its latest eligibility check
    eligibility_check_id: str | None = None  # that check


def _benefits(coverage: Coverage, answer: MemberBenefits | None = None) -> BenefitState:
    """The benefits to adjudicate with: the 271's remaining amounts when there is an active answer, else the
    coverage record's (a deductible not met at all, no out-of-pocket maximum)."""
    if answer is None:
        return BenefitState(
            deductible_remaining_cents=coverage.deductible_cents, coinsurance_percent=coverage.coinsurance_percent
        )
    deductible = answer.deductible_remaining_cents()
    percent = answer.coinsurance_percent()
    return BenefitState(
        deductible_remaining_cents=coverage.deductible_cents if deductible is None else deductible,
        coinsurance_percent=coverage.coinsurance_percent if percent is None else percent,
        out_of_pocket_remaining_cents=answer.out_of_pocket_remaining_cents(),
    )


def visit_copay(code: str, coverage: Coverage, answer: MemberBenefits | None) -> int:
    """The copay of the visit whose E/M code is ``code``: the 271's for its service type (98 office visit, BY well
    visit, else the plan's 30), or the one recorded on the coverage when there is no 271."""
    if answer is None:
        return coverage.copay_cents
    types = ("98", "30") if code.startswith(_OFFICE_PREFIXES) else ("BY",) if code.startswith(_EM_PREFIXES) else ()
    return next((c for t in types if (c := answer.copay_cents(t)) is not None), 0)


def _allowed(
    code: str,
    modifiers: tuple[str, ...],
    units: int,
    charge: int,
    *,
    payer: Payer | None,
    schedules: list[FeeSchedule],
    day: date,
    zip_code: str,
    place: str,
) -> tuple[int, str]:
    """The primary payer's expected allowed amount: its contract schedule, else the Medicare PFS for the locality."""
    if payer is None:
        return charge, "the practice's charge (self-pay)"
    contract = [s for s in schedules if s.payer_id == payer.id and s.is_effective_on(day)]
    for schedule in contract:
        fee = schedule.unit_fee(code, modifiers)
        if fee is not None:
            return fee * units, f"{schedule.name} (contract)"
    pfs = medicare_fee_schedule()
    locality = pfs.locality_for_zip(zip_code)
    if locality is None:
        return charge, "the charge: the patient's ZIP has no Medicare locality"
    try:
        price = pfs.price(code, modifiers, locality, place, units=Decimal(units))
    except CodeSetError:
        return charge, "the charge: no Medicare fee schedule amount for this code"
    return price.amount_cents, f"Medicare PFS 2026, locality {price.locality}"


def estimate_appointment(
    deps: Deps, actor: Actor, appointment_id: str, *, as_of: datetime | None = None
) -> AppointmentEstimate:
    """What insurance is expected to pay and what the patient is expected to pay, today and in all.

    ``as_of``: the estimate as it would have been given then (the 271s answered by then; no earlier balances or
    credits, which have moved since), for comparing estimates with what the payers did.
    """
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        pid = actor.practice_id
        appointment = uow.appointments.get(pid, appointment_id)
        patient = uow.patients.get(pid, appointment.patient_id)
        day = appointment.starts_at.date()
        on_file = sorted(
            (c for c in uow.coverages.for_patient(pid, patient.id) if c.is_active_on(day)), key=lambda c: c.order.rank
        )
        checks = uow.eligibility_checks.latest(pid, [c.id for c in on_file], answered_before=as_of)
        payers = {c.payer_id: uow.payers.get(pid, c.payer_id) for c in on_file}
        schedules = list(uow.fee_schedules.list(pid))
        place = "11"
        if appointment.facility_id:
            place = uow.facilities.get(pid, appointment.facility_id).place_of_service
        prior = credits = 0
        if as_of is None:
            prior = max(0, balance(uow.ledger.for_patient(pid, patient.id)).patient_cents)
            credits = sum(
                p.unapplied_cents
                for p in uow.patient_payments.for_patient(pid, patient.id)
                if p.kind is PaymentKind.PAYMENT and p.unapplied_cents > 0
            )
        record_audit(uow, deps, actor, AuditAction.READ, "appointment", appointment.id, "estimate")
        uow.commit()
    if not appointment.services:
        raise NotFound("the appointment has no planned services to estimate", field="services")
    notes: list[str] = []
    answers: dict[str, MemberBenefits] = {}
    active: list[Coverage] = []
    for coverage in on_file:
        check = checks.get(coverage.id)
        name = payers[coverage.payer_id].name
        if check is not None and check.status is CheckStatus.INACTIVE:
            notes.append(f"{name}: the payer's 271 of {_when(check)} says the coverage is inactive; it is left out.")
            continue
        active.append(coverage)
        if check is not None and check.status is CheckStatus.ACTIVE and check.benefits is not None:
            answers[coverage.id] = check.benefits
            notes.append(f"{name}: benefits from the payer's 271 of {_when(check)} (what remains of them then).")
        elif check is not None:
            notes.append(f"{name}: the payer could not answer the check of {_when(check)}; benefits are those on file.")
    primary = active[0] if active else None
    secondary = active[1] if len(active) > 1 else None
    primary_payer = payers[primary.payer_id] if primary else None
    lines: list[PlannedLine] = []
    copay_placed = False
    copay = 0
    for i, service in enumerate(appointment.services, 1):
        try:
            charge = price_line(
                schedules,
                procedure_code=service.procedure_code,
                modifiers=service.modifiers,
                units=service.units,
                date_of_service=day,
                payer_id=None,
            )
        except MedbillError as exc:
            raise type(exc)(exc.message, field=f"services[{i}].charge", code=exc.code) from None
        allowed, source = _allowed(
            service.procedure_code,
            service.modifiers,
            service.units,
            charge,
            payer=primary_payer,
            schedules=schedules,
            day=day,
            zip_code=patient.address.zip,
            place=place,
        )
        takes_copay = not copay_placed and service.procedure_code.startswith(_EM_PREFIXES)
        if takes_copay and primary is not None:
            copay = visit_copay(service.procedure_code, primary, answers.get(primary.id))
        copay_placed = copay_placed or takes_copay
        lines.append(
            PlannedLine(
                procedure_code=service.procedure_code,
                modifiers=service.modifiers,
                units=service.units,
                charge_cents=charge,
                allowed_cents=allowed,
                allowed_source=source,
                takes_copay=takes_copay,
            )
        )
    if primary is not None and not copay_placed and primary.id not in answers and primary.copay_cents:
        lines[0] = replace(lines[0], takes_copay=True)  # no visit code: the copay goes on the first line
        copay = primary.copay_cents
    estimate, _ = estimate_visit(
        lines,
        _benefits(primary, answers.get(primary.id)) if primary else None,
        visit_copay_cents=copay if primary and (copay_placed or lines[0].takes_copay) else 0,
        secondary=_benefits(secondary, answers.get(secondary.id)) if secondary else None,
        prior_balance_cents=prior,
        credits_cents=credits,
    )
    if primary is not None and primary.id not in answers:
        notes.append(
            "Benefits are those recorded at registration; an eligibility check replaces them with the payer's "
            "remaining amounts."
        )
    if not active:
        notes.append("No coverage is active on the date of service: the patient is self-pay (good-faith estimate).")
    if prior or credits:
        notes.append("The total includes the unpaid balance of earlier visits, less unapplied credits.")
    primary_check = checks.get(primary.id) if primary else None
    return AppointmentEstimate(
        appointment=appointment,
        patient=patient,
        date_of_service=day,
        primary_payer=primary_payer,
        secondary_payer=payers[secondary.payer_id] if secondary else None,
        estimate=estimate,
        notes=tuple(notes),
        benefits_source="271" if primary is not None and primary.id in answers else "coverage",
        eligibility_check_id=primary_check.id if primary_check and primary and primary.id in answers else None,
    )


def _when(check: EligibilityCheck) -> str:
    at = check.answered_at or check.requested_at
    return at.date().isoformat()
