"""Synthetic claims (invented people, valid-looking identifiers) for the paper-form tests; no PHI."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from medbill.domain.parties import Address, PersonName, Sex
from medbill.formats.pdf.cms1500_data import (
    Cms1500Data,
    Cms1500Line,
    FormProvider,
    InsuranceType,
    QualifiedDate,
    ReferringProvider,
    Relationship,
)
from medbill.formats.pdf.ub04_data import (
    CodeCode,
    Diagnosis,
    OccurrenceCode,
    OccurrenceSpan,
    Procedure,
    Ub04Data,
    UbLine,
    UbPayer,
    UbPhysician,
    ValueCode,
)

BILLING_NPI = "1234567893"
RENDERING_NPI = "1444555662"
FACILITY_NPI = "1112223338"
REFERRING_NPI = "1987654328"


def cms1500_line(n: int, **changes: object) -> Cms1500Line:
    """Service line ``n`` (1-based): a different day, code and charge each."""
    line = Cms1500Line(
        from_date=date(2026, 3, n),
        place_of_service="11",
        procedure_code=f"9921{n % 6}",
        modifiers=("25", "59") if n == 1 else (),
        diagnosis_pointers="AB" if n % 2 else "B",
        charge_cents=10_000 * n + 50,
        units=n,
        rendering_npi=RENDERING_NPI,
        supplemental="N412345678901 UN1" if n == 2 else "",
    )
    return replace(line, **changes)  # type: ignore[arg-type]


def cms1500_claim(lines: int = 3, **changes: object) -> Cms1500Data:
    built = tuple(cms1500_line(n) for n in range(1, lines + 1))
    claim = Cms1500Data(
        carrier_name="Sample Health Plan",
        carrier_address=Address(line1="PO Box 1000", city="Springfield", state="IL", zip="627010000"),
        insurance_type=InsuranceType.GROUP_HEALTH_PLAN,
        insured_id="XYZ123456789",
        patient_name=PersonName(last="Testperson", first="Alex", middle="Quinn"),
        patient_birth_date=date(1980, 7, 4),
        patient_sex=Sex.FEMALE,
        insured_name=PersonName(last="Testperson", first="Alex", middle="Quinn"),
        patient_address=Address(line1="12 Example Street", city="Springfield", state="IL", zip="62704"),
        patient_phone="2175550100",
        relationship=Relationship.SELF,
        insured_address=Address(line1="12 Example Street", city="Springfield", state="IL", zip="62704"),
        insured_group="GRP-001",
        insured_birth_date=date(1980, 7, 4),
        insured_sex=Sex.FEMALE,
        insured_plan_name="Sample PPO",
        another_plan=False,
        patient_signed=date(2026, 3, 1),
        current_illness=QualifiedDate(qualifier="431", value=date(2026, 2, 27)),
        referring=ReferringProvider(qualifier="DN", name=PersonName(last="Referrer", first="Robin"), npi=REFERRING_NPI),
        diagnoses=("E11.65", "I10", "Z79.4"),
        lines=built,
        federal_tax_id="123456789",
        patient_account="PCN-0001",
        total_charge_cents=sum(line.charge_cents for line in built),
        amount_paid_cents=0,
        physician_signed=date(2026, 3, 10),
        service_facility=FormProvider(
            name="Example Clinic",
            address=Address(line1="500 Sample Ave", city="Springfield", state="IL", zip="627040001"),
            npi=FACILITY_NPI,
        ),
        billing_provider=FormProvider(
            name="Example Medical Group",
            address=Address(line1="500 Sample Ave", city="Springfield", state="IL", zip="627040001"),
            npi=BILLING_NPI,
            phone="2175550199",
        ),
    )
    return replace(claim, **changes)  # type: ignore[arg-type]


def ub04_line(n: int, **changes: object) -> UbLine:
    """Outpatient line ``n`` (1-based) with a different revenue code, day and charge each."""
    codes = ("0450", "0300", "0320", "0250", "0636", "0730")
    line = UbLine(
        revenue_code=codes[(n - 1) % len(codes)],
        description=f"Service item {n}",
        hcpcs=f"9928{n % 6}" if n % 2 else "",
        service_date=date(2026, 3, 1 + (n - 1) % 28),
        units=n,
        total_cents=12_345 * n,
        non_covered_cents=500 if n == 3 else 0,
    )
    return replace(line, **changes)  # type: ignore[arg-type]


def ub04_claim(lines: int = 4, **changes: object) -> Ub04Data:
    built = tuple(ub04_line(n) for n in range(1, lines + 1))
    insured = PersonName(last="Testperson", first="Jordan", middle="Lee")
    claim = Ub04Data(
        provider_name="Example Community Hospital",
        provider_address=Address(line1="1 Hospital Way", city="Springfield", state="IL", zip="627010001"),
        provider_phone="2175550123",
        patient_control_number="PCN-UB-0001",
        medical_record_number="MR12345",
        type_of_bill="0131",
        federal_tax_number="987654321",
        statement_from=date(2026, 3, 1),
        statement_through=date(2026, 3, 1 + (min(lines, 28) - 1)),
        patient_id="PID-42",
        patient_name=insured,
        patient_address=Address(line1="34 Sample Road", city="Springfield", state="IL", zip="62702"),
        birth_date=date(1975, 11, 23),
        sex=Sex.MALE,
        admission_date=date(2026, 3, 1),
        admission_hour="08",
        admission_type="3",
        admission_source="1",
        discharge_hour="14",
        patient_status="01",
        condition_codes=("39",),
        occurrences=(OccurrenceCode(code="11", on=date(2026, 2, 27)),),
        occurrence_spans=(OccurrenceSpan(code="74", start=date(2026, 2, 1), end=date(2026, 2, 3)),),
        value_codes=(ValueCode(code="A1", amount_cents=25_000),),
        lines=built,
        creation_date=date(2026, 3, 12),
        total_charges_cents=sum(line.total_cents for line in built),
        non_covered_total_cents=sum(line.non_covered_cents for line in built),
        payers=(
            UbPayer(
                name="Sample Health Plan",
                health_plan_id="SHP01",
                estimated_due_cents=10_000,
                insured_name=insured,
                insured_id="XYZ987654321",
                group_name="Sample Employer",
                group_number="GRP-77",
            ),
        ),
        billing_npi=FACILITY_NPI,
        principal_diagnosis=Diagnosis(code="R07.9", poa="Y"),
        other_diagnoses=(Diagnosis(code="I10", poa="Y"), Diagnosis(code="E78.5", poa="N")),
        reason_for_visit=("R07.9",),
        principal_procedure=Procedure(code="4A02X4Z", on=date(2026, 3, 1)),
        attending=UbPhysician(npi=RENDERING_NPI, name=PersonName(last="Doctor", first="Casey")),
        remarks=("Synthetic test claim",),
        code_codes=(CodeCode(qualifier="B3", code="282N00000X"),),
    )
    return replace(claim, **changes)  # type: ignore[arg-type]
