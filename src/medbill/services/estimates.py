"""The patient's estimate for an appointment: fees, the payer's expected allowed amounts, and the benefits on file."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from medbill.codesets.pfs import fee_schedule as medicare_fee_schedule
from medbill.domain.adjudication import BenefitState
from medbill.domain.appointments import Appointment
from medbill.domain.audit import AuditAction
from medbill.domain.coverage import Coverage
from medbill.domain.errors import CodeSetError, MedbillError, NotFound
from medbill.domain.estimates import Estimate, PlannedLine, estimate_visit
from medbill.domain.fees import FeeSchedule, price_line
from medbill.domain.parties import Patient, Payer
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit

# Office/outpatient and preventive E/M codes: the visit copay is collected on these lines.
_EM_PREFIXES = ("9920", "9921", "9938", "9939", "G0438", "G0439")


@dataclass(frozen=True, slots=True, kw_only=True)
class AppointmentEstimate:
    appointment: Appointment
    patient: Patient
    date_of_service: date
    primary_payer: Payer | None
    secondary_payer: Payer | None
    estimate: Estimate
    notes: tuple[str, ...]


def _benefits(coverage: Coverage) -> BenefitState:
    return BenefitState(
        deductible_remaining_cents=coverage.deductible_cents, coinsurance_percent=coverage.coinsurance_percent
    )


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


def estimate_appointment(deps: Deps, actor: Actor, appointment_id: str) -> AppointmentEstimate:
    """What insurance is expected to pay and what the patient is expected to pay, today and in all."""
    actor.require(Permission.PATIENT_READ)
    with deps.uow() as uow:
        pid = actor.practice_id
        appointment = uow.appointments.get(pid, appointment_id)
        patient = uow.patients.get(pid, appointment.patient_id)
        day = appointment.starts_at.date()
        active = sorted(
            (c for c in uow.coverages.for_patient(pid, patient.id) if c.is_active_on(day)), key=lambda c: c.order.rank
        )
        payers = {c.payer_id: uow.payers.get(pid, c.payer_id) for c in active}
        schedules = list(uow.fee_schedules.list(pid))
        place = "11"
        if appointment.facility_id:
            place = uow.facilities.get(pid, appointment.facility_id).place_of_service
        record_audit(uow, deps, actor, AuditAction.READ, "appointment", appointment.id, "estimate")
        uow.commit()
    if not appointment.services:
        raise NotFound("the appointment has no planned services to estimate", field="services")
    primary = active[0] if active else None
    secondary = active[1] if len(active) > 1 else None
    primary_payer = payers[primary.payer_id] if primary else None
    lines: list[PlannedLine] = []
    copay_placed = False
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
    if primary is not None and not copay_placed and primary.copay_cents:
        lines[0] = replace(lines[0], takes_copay=True)  # no visit code: the copay goes on the first line
    estimate, _ = estimate_visit(
        lines,
        _benefits(primary) if primary else None,
        visit_copay_cents=primary.copay_cents if primary else 0,
        secondary=_benefits(secondary) if secondary else None,
    )
    notes = [
        "Benefits are those recorded at registration; an eligibility check replaces them with the payer's "
        "remaining amounts."
    ]
    if not active:
        notes.append("No coverage is active on the date of service: the patient is self-pay (good-faith estimate).")
    notes.append("Earlier unpaid balances and credits are not included yet.")
    return AppointmentEstimate(
        appointment=appointment,
        patient=patient,
        date_of_service=day,
        primary_payer=primary_payer,
        secondary_payer=payers[secondary.payer_id] if secondary else None,
        estimate=estimate,
        notes=tuple(notes),
    )
