"""The printable estimate of an appointment: a good-faith estimate for an uninsured or self-pay patient (No Surprises
Act), or the insured patient's cost estimate, as a PDF built from the same estimate the screens show."""

from __future__ import annotations

from dataclasses import dataclass

from medbill.domain.appointments import VisitType
from medbill.domain.audit import AuditAction
from medbill.domain.errors import ValidationError
from medbill.domain.good_faith import EstimateItem, EstimateParty, GoodFaithEstimate
from medbill.domain.parties import Address
from medbill.domain.users import Actor, Permission
from medbill.formats.pdf.good_faith_estimate import render_good_faith_estimate
from medbill.services.base import Deps, record_audit
from medbill.services.estimates import AppointmentEstimate, estimate_appointment

# Plain-language descriptions of our own (CPT descriptors are AMA-licensed and not shipped), by code or range.
_WORDS: tuple[tuple[str, str, str], ...] = (
    ("99202", "99205", "Office visit, new patient"),
    ("99211", "99215", "Office visit, established patient"),
    ("99381", "99387", "Preventive medicine visit, new patient"),
    ("99391", "99397", "Preventive medicine visit, established patient"),
    ("G0438", "G0439", "Annual wellness visit"),
    ("36415", "36415", "Blood draw from a vein"),
    ("93000", "93000", "Electrocardiogram (ECG) with report"),
    ("83036", "83036", "Hemoglobin A1c blood test"),
    ("80053", "80053", "Comprehensive metabolic panel (blood test)"),
    ("85025", "85025", "Complete blood count (blood test)"),
    ("81002", "81002", "Urine test (urinalysis)"),
    ("94010", "94010", "Breathing test (spirometry)"),
    ("97110", "97110", "Therapeutic exercise, each 15 minutes"),
    ("90471", "90472", "Vaccine administration"),
)
_VISITS = {
    VisitType.NEW_PATIENT: "Office visit for a new patient",
    VisitType.ESTABLISHED: "Office visit",
    VisitType.ANNUAL_WELLNESS: "Annual wellness visit",
    VisitType.PREVENTIVE: "Preventive medicine visit",
    VisitType.PROCEDURE: "Procedure visit",
    VisitType.TELEHEALTH: "Telehealth visit",
    VisitType.FOLLOW_UP: "Follow-up visit",
}


def describe(code: str) -> str:
    for low, high, words in _WORDS:
        if len(code) == len(low) and low <= code <= high:
            return words
    return f"Service {code}"


def _lines(address: Address | None) -> tuple[str, ...]:
    if address is None:
        return ()
    zip_code = address.zip[:5] + (f"-{address.zip[5:]}" if len(address.zip) == 9 else "")
    street = ", ".join(x for x in (address.line1, address.line2) if x)
    return (street, f"{address.city}, {address.state} {zip_code}")


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintableEstimate:
    estimate: AppointmentEstimate
    document: GoodFaithEstimate
    pdf: bytes


def printable_estimate(
    deps: Deps, actor: Actor, appointment_id: str, *, self_pay_only: bool = False
) -> PrintableEstimate:
    """The appointment's estimate as a PDF: the good-faith estimate when the patient is self-pay, else the insured
    cost estimate (``self_pay_only`` refuses an insured patient's)."""
    result = estimate_appointment(deps, actor, appointment_id)
    est = result.estimate
    if self_pay_only and not est.self_pay:
        raise ValidationError(
            "the patient has coverage in force: a good-faith estimate is for uninsured or self-pay patients",
            field="appointment_id",
        )
    actor.require(Permission.SETUP_READ)
    pid = actor.practice_id
    appointment = result.appointment
    with deps.uow() as uow:
        practice = uow.practices.get(pid)
        provider = uow.providers.get(pid, appointment.provider_id)
        facility = uow.facilities.get(pid, appointment.facility_id) if appointment.facility_id else None
        record_audit(uow, deps, actor, AuditAction.READ, "appointment", appointment.id, "estimate pdf")
        uow.commit()
    provider_name = provider.display_name()
    parties = [
        EstimateParty(
            role="Rendering provider",
            name=provider_name,
            npi=provider.npi,
            tin=provider.tin or practice.tin,
            address_lines=_lines(facility.address if facility else practice.address),
        ),
        EstimateParty(
            role="Billing practice",
            name=practice.name,
            npi=practice.npi,
            tin=practice.tin,
            address_lines=_lines(practice.address),
        ),
    ]
    if facility is not None:
        parties.append(
            EstimateParty(role="Facility", name=facility.name, npi=facility.npi, address_lines=_lines(facility.address))
        )
    patient = result.patient
    document = GoodFaithEstimate(
        number=appointment.id[:12].upper(),
        issued=deps.clock.today(),
        patient_name=patient.name.display(),
        patient_birth_date=patient.birth_date,
        patient_address_lines=_lines(patient.address),
        primary_service=_VISITS.get(appointment.visit_type, "Visit") + f" with {provider_name}",
        scheduled=result.date_of_service,
        parties=tuple(parties),
        items=tuple(
            EstimateItem(
                code=x.line.procedure_code,
                modifiers=x.line.modifiers,
                units=x.line.units,
                description=describe(x.line.procedure_code),
                provider=provider_name,
                charge_cents=x.line.charge_cents,
                insurance_cents=None if est.self_pay else x.insurance_cents,
                patient_cents=x.patient_cents,
            )
            for x in est.lines
        ),
        self_pay=est.self_pay,
        payer_name=result.primary_payer.name if result.primary_payer else None,
        prior_balance_cents=est.prior_balance_cents,
        credits_cents=est.credits_cents,
    )
    return PrintableEstimate(estimate=result, document=document, pdf=render_good_faith_estimate(document))
