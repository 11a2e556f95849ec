"""A stored claim on paper: an 837P claim mapped box by box onto the CMS-1500 (02/12), an 837I claim form locator by
form locator onto the UB-04, and their PDFs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from medbill.domain.audit import AuditAction
from medbill.domain.claims import Claim, ClaimFrequency, ClaimKind, CodeEntry, NamedEntity, PostalAddress
from medbill.domain.errors import ValidationError
from medbill.domain.parties import Address, PersonName, Sex
from medbill.domain.users import Actor
from medbill.formats.pdf import (
    Cms1500Data,
    Cms1500Line,
    FormProvider,
    InsuranceType,
    OccurrenceCode,
    OccurrenceSpan,
    ReferringProvider,
    Relationship,
    RenderMode,
    Ub04Data,
    UbLine,
    UbPayer,
    UbPhysician,
    ValueCode,
    render_cms1500,
    render_ub04,
)
from medbill.formats.pdf import Diagnosis as UbDiagnosis
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


def _day(text: str | None) -> date:
    value = text or ""
    return date(int(value[:4]), int(value[4:6]), int(value[6:8]))


def _codes(claim: Claim, qualifier: str) -> list[CodeEntry]:
    return [e for e in claim.codes if e.qualifier == qualifier]


def _physician(e: NamedEntity | None) -> UbPhysician | None:
    if e is None:
        return None
    return UbPhysician(npi=e.identifier, qualifier=e.role if e.role not in ("71", "72") else "", name=_name(e))


def ub04_from_claim(claim: Claim, *, provider_phone: str = "", created: date) -> Ub04Data:
    """The UB-04 form locators for an institutional claim (pure: everything comes from the claim and the arguments)."""
    sub = claim.subscriber
    insured = sub.subscriber
    patient = claim.patient.person if claim.patient is not None else insured
    born = claim.patient.birth_date if claim.patient is not None else sub.birth_date
    if born is None:
        raise ValidationError("the patient's date of birth is missing (FL 10)", field="patient.birth_date")
    patient_address = _address(patient.address)
    if patient_address is None:
        raise ValidationError("the patient's address is missing (FL 9)", field="patient.address")
    billing = claim.billing_provider
    billing_address = _address(billing.address)
    if billing_address is None:
        raise ValidationError("the billing provider's address is missing (FL 1)", field="billing_provider.address")
    tin = next((r for r in billing.references if r.qualifier in ("EI", "SY")), None)
    if tin is None or not billing.identifier:
        raise ValidationError(
            "the billing provider's NPI and tax ID are needed (FL 56, FL 5)", field="billing_provider"
        )
    statement = next((d for d in claim.dates if d.qualifier == "434"), None)
    if statement is None:
        raise ValidationError("the statement period is missing (FL 6)", field="statement_dates")
    admission = next((d for d in claim.dates if d.qualifier == "435"), None)
    discharge = next((d for d in claim.dates if d.qualifier == "096"), None)
    admission_type, admission_source, patient_status = claim.admission or ("", "", "")
    principal = next((d for d in claim.diagnoses if d.qualifier in ("ABK", "BK")), None)
    if principal is None:
        raise ValidationError("the principal diagnosis is missing (FL 67)", field="diagnoses[1]")
    admitting = next((d.code for d in claim.diagnoses if d.qualifier in ("ABJ", "BJ")), "")
    others = [d for d in claim.diagnoses if d.qualifier in ("ABF", "BF")]
    corrected = claim.frequency in (ClaimFrequency.REPLACEMENT, ClaimFrequency.VOID)
    lines = tuple(
        UbLine(
            revenue_code=line.revenue_code or "",  # 42
            hcpcs=(line.procedure.code + "".join(line.procedure.modifiers)) if line.procedure else "",  # 44
            service_date=line.service_date,  # 45
            units=_units(line.units),  # 46
            total_cents=line.charge_cents,  # 47
            non_covered_cents=line.non_covered_cents or 0,  # 48
        )
        for line in claim.lines
    )
    others_md = [p for p in claim.providers if p.role in ("82", "DN", "ZZ")][:2]
    return Ub04Data(
        provider_name=billing.name if billing.first_name is None else f"{billing.name}, {billing.first_name}",  # 1
        provider_address=billing_address,  # 1
        provider_phone=provider_phone,  # 1
        patient_control_number=claim.patient_control_number,  # 3a
        type_of_bill=f"0{claim.facility_code}{claim.frequency.value}",  # 4
        federal_tax_number=tin.value,  # 5
        statement_from=statement.start,  # 6
        statement_through=statement.end or statement.start,  # 6
        patient_name=_name(patient),  # 8b
        patient_address=patient_address,  # 9
        birth_date=born,  # 10
        sex=_sex(claim.patient.sex if claim.patient is not None else sub.sex),  # 11
        admission_date=admission.start if admission is not None else None,  # 12
        admission_hour=(admission.time or "")[:2] if admission is not None else "",  # 13
        admission_type=admission_type,  # 14
        admission_source=admission_source,  # 15
        discharge_hour=(discharge.time or "")[:2] if discharge is not None else "",  # 16
        patient_status=patient_status,  # 17
        condition_codes=tuple(e.code for e in _codes(claim, "BG")),  # 18–28
        occurrences=tuple(OccurrenceCode(code=e.code, on=_day(e.date_value)) for e in _codes(claim, "BH")),  # 31–34
        occurrence_spans=tuple(
            OccurrenceSpan(code=e.code, start=_day(e.date_value), end=_day((e.date_value or "")[9:]))
            for e in _codes(claim, "BI")
        ),  # 35–36
        value_codes=tuple(ValueCode(code=e.code, amount_cents=e.amount_cents or 0) for e in _codes(claim, "BE")),  # 39
        lines=lines,  # 42–49
        creation_date=created,  # 45 line 23
        total_charges_cents=claim.total_charge_cents,  # 47 line 23
        non_covered_total_cents=sum(line.non_covered_cents for line in lines),  # 48 line 23
        payers=(
            UbPayer(
                name=sub.payer.name,  # 50
                health_plan_id=sub.payer.identifier or "",  # 51
                release_of_information=claim.release_of_information,  # 52
                assignment_of_benefits=claim.benefits_assigned,  # 53
                insured_name=_name(insured),  # 58
                patient_relationship=claim.patient.relationship if claim.patient is not None else "18",  # 59
                insured_id=insured.identifier or "",  # 60
                group_number=sub.group_number or "",  # 62
                treatment_authorization=claim.prior_authorization or "",  # 63
                document_control_number=(claim.original_claim_number or "") if corrected else "",  # 64
            ),
        ),
        billing_npi=billing.identifier,  # 56
        principal_diagnosis=UbDiagnosis(code=principal.code, poa=principal.present_on_admission or ""),  # 67
        other_diagnoses=tuple(UbDiagnosis(code=d.code, poa=d.present_on_admission or "") for d in others),  # 67A–Q
        admitting_diagnosis=admitting,  # 69
        attending=_physician(_role(claim, "71")),  # 76
        operating=_physician(_role(claim, "72")),  # 77
        other_physicians=tuple(p for p in map(_physician, others_md) if p is not None),  # 78–79
    )


def get_claim_pdf(deps: Deps, actor: Actor, claim_id: str, *, mode: str = RenderMode.FULL) -> bytes:
    """The claim on paper: a CMS-1500 (professional) or a UB-04 (institutional) PDF, the full form or ``data_only``
    for the red pre-printed form; audited as a read."""
    actor.require(READ)
    wanted = RenderMode(mode) if mode in {m.value for m in RenderMode} else None
    if wanted is None:
        raise ValidationError("is full or data_only", field="mode")
    with deps.uow() as uow:
        record = uow.claims.get(actor.practice_id, claim_id)
        practice = uow.practices.get(actor.practice_id)
        document, created = record.document, record.created_at.date()
        if document.kind is ClaimKind.INSTITUTIONAL:
            ub04 = ub04_from_claim(document, provider_phone=practice.phone or "", created=created)
            record_audit(uow, deps, actor, AuditAction.READ, ENTITY, record.id, f"ub04 {wanted.value}")
            uow.commit()
            return render_ub04(ub04, mode=wanted)
        data = cms1500_from_claim(document, billing_phone=practice.phone or "", signed=created)
        record_audit(uow, deps, actor, AuditAction.READ, ENTITY, record.id, f"cms1500 {wanted.value}")
        uow.commit()
    return render_cms1500(data, mode=wanted)
