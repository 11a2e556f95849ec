"""A stored claim on paper: the 837P-shaped ``Claim`` mapped box by box onto the CMS-1500 (02/12), and its PDF."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from medbill.domain.audit import AuditAction
from medbill.domain.claims import Claim, ClaimFrequency, NamedEntity, PostalAddress
from medbill.domain.errors import ValidationError
from medbill.domain.parties import Address, PersonName, Sex
from medbill.domain.users import Actor
from medbill.formats.pdf import (
    Cms1500Data,
    Cms1500Line,
    FormProvider,
    InsuranceType,
    ReferringProvider,
    Relationship,
    RenderMode,
    render_cms1500,
)
from medbill.services.base import Deps, record_audit
from medbill.services.claims import ENTITY, READ

POINTERS = "ABCDEFGHIJKL"

# SBR09 claim filing indicator → CMS-1500 box 1
_INSURANCE_TYPE = {
    "MA": InsuranceType.MEDICARE,
    "MB": InsuranceType.MEDICARE,
    "16": InsuranceType.MEDICARE,
    "MC": InsuranceType.MEDICAID,
    "CH": InsuranceType.TRICARE,
    "VA": InsuranceType.CHAMPVA,
    "FI": InsuranceType.FECA_BLACK_LUNG,
    **{code: InsuranceType.GROUP_HEALTH_PLAN for code in ("12", "13", "14", "15", "BL", "CI", "HM")},
}
_RELATIONSHIP = {"18": Relationship.SELF, "01": Relationship.SPOUSE, "19": Relationship.CHILD}


def _address(a: PostalAddress | None) -> Address | None:
    if a is None or not (a.city and a.state and a.postal_code):
        return None
    return Address(line1=a.line1, line2=a.line2, city=a.city, state=a.state, zip=a.postal_code)


def _name(e: NamedEntity) -> PersonName:
    return PersonName(last=e.name, first=e.first_name or "-", middle=e.middle_name, suffix=e.suffix)


def _sex(value: str | None) -> Sex:
    return Sex(value) if value in ("F", "M", "U") else Sex.UNKNOWN


def _role(claim: Claim, role: str) -> NamedEntity | None:
    return next((p for p in claim.providers if p.role == role), None)


def _units(units: Decimal) -> Decimal | int:
    return int(units) if units == units.to_integral_value() else units


def cms1500_from_claim(claim: Claim, *, billing_phone: str = "", signed: date | None = None) -> Cms1500Data:
    """The CMS-1500 boxes for a professional claim (pure: everything comes from the claim and the arguments)."""
    sub = claim.subscriber
    insured = sub.subscriber
    patient = claim.patient.person if claim.patient is not None else insured
    born = claim.patient.birth_date if claim.patient is not None else sub.birth_date
    if born is None:
        raise ValidationError("the patient's date of birth is missing (box 3)", field="patient.birth_date")
    billing = claim.billing_provider
    billing_address = _address(billing.address)
    if billing_address is None:
        raise ValidationError("the billing provider's address is missing (box 33)", field="billing_provider.address")
    tin = next((r for r in billing.references if r.qualifier in ("EI", "SY")), None)
    if tin is None:
        raise ValidationError("the billing provider's tax ID is missing (box 25)", field="billing_provider.tin")
    rendering = _role(claim, "82")
    referring = _role(claim, "DN") or _role(claim, "DK")
    facility = _role(claim, "77")
    facility_address = _address(facility.address) if facility is not None else None
    corrected = claim.frequency in (ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID)
    return Cms1500Data(
        carrier_name=sub.payer.name,
        carrier_address=_address(sub.payer.address),
        insurance_type=_INSURANCE_TYPE.get(sub.filing_indicator or "", InsuranceType.OTHER),  # 1
        insured_id=insured.identifier or "",  # 1a
        patient_name=_name(patient),  # 2
        patient_birth_date=born,  # 3
        patient_sex=_sex(claim.patient.sex if claim.patient is not None else sub.sex),  # 3
        insured_name=_name(insured),  # 4
        patient_address=_address(patient.address),  # 5
        relationship=_RELATIONSHIP.get(claim.patient.relationship, Relationship.OTHER)  # 6
        if claim.patient is not None
        else Relationship.SELF,
        insured_address=_address(insured.address),  # 7
        insured_group=sub.group_number or "",  # 11
        insured_birth_date=sub.birth_date,  # 11a
        insured_sex=_sex(sub.sex) if sub.sex else None,  # 11a
        another_plan=bool(claim.other_insurance) or None,  # 11d
        referring=ReferringProvider(qualifier=referring.role, name=_name(referring), npi=referring.identifier)
        if referring is not None
        else None,  # 17
        diagnoses=tuple(d.code for d in claim.diagnoses),  # 21
        resubmission_code=claim.frequency.value if corrected else "",  # 22
        original_reference=claim.original_claim_number or "" if corrected else "",  # 22
        prior_authorization=claim.prior_authorization or "",  # 23
        lines=tuple(
            Cms1500Line(
                from_date=line.service_date or born,  # 24A
                place_of_service=line.place_of_service or claim.facility_code,  # 24B
                emergency=line.emergency,  # 24C
                procedure_code=line.procedure.code if line.procedure else "",  # 24D
                modifiers=line.procedure.modifiers if line.procedure else (),  # 24D
                diagnosis_pointers="".join(POINTERS[p - 1] for p in line.diagnosis_pointers),  # 24E
                charge_cents=line.charge_cents,  # 24F
                units=_units(line.units),  # 24G
                rendering_npi=(rendering or billing).identifier,  # 24J
            )
            for line in claim.lines
        ),
        federal_tax_id=tin.value,  # 25
        tax_id_is_ssn=tin.qualifier == "SY",  # 25
        patient_account=claim.patient_control_number,  # 26
        accept_assignment=claim.assignment == "A",  # 27
        total_charge_cents=claim.total_charge_cents,  # 28
        physician_signed=signed,  # 31
        service_facility=FormProvider(name=facility.name, address=facility_address, npi=facility.identifier)
        if facility is not None and facility_address is not None
        else None,  # 32
        billing_provider=FormProvider(
            name=billing.name if billing.first_name is None else f"{billing.name}, {billing.first_name}",
            address=billing_address,
            npi=billing.identifier,
            phone=billing_phone,
        ),  # 33
    )


def get_claim_pdf(deps: Deps, actor: Actor, claim_id: str, *, mode: str = RenderMode.FULL) -> bytes:
    """The claim as a CMS-1500 PDF: the full form, or ``data_only`` for the red pre-printed form; audited as a read."""
    actor.require(READ)
    wanted = RenderMode(mode) if mode in {m.value for m in RenderMode} else None
    if wanted is None:
        raise ValidationError("is full or data_only", field="mode")
    with deps.uow() as uow:
        record = uow.claims.get(actor.practice_id, claim_id)
        practice = uow.practices.get(actor.practice_id)
        data = cms1500_from_claim(record.document, billing_phone=practice.phone or "", signed=record.created_at.date())
        record_audit(uow, deps, actor, AuditAction.READ, ENTITY, record.id, f"cms1500 {wanted.value}")
        uow.commit()
    return render_cms1500(data, mode=wanted)
