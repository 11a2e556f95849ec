"""Fully resolved, form-locator-by-form-locator input of a UB-04 (CMS-1450) institutional claim, checked as built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from medbill.domain.institutional import OccurrenceCode as OccurrenceCode  # FL 31–34
from medbill.domain.institutional import OccurrenceSpan as OccurrenceSpan  # FL 35–36
from medbill.domain.institutional import ValueCode as ValueCode  # FL 39–41
from medbill.domain.parties import Address, PersonName, Sex
from medbill.formats.pdf.values import check, check_amount, check_codes, check_fits, check_npi

MAX_LINES_PER_PAGE = 22  # FL 42–49: 22 service lines a page, line 23 holds page numbers and totals
TOTAL_REVENUE_CODE = "0001"  # FL 42 line 23 on the last page: total charges


@dataclass(frozen=True, slots=True, kw_only=True)
class UbLine:
    """FL 42–49, one service line."""

    revenue_code: str  # 42, four digits with the leading zero
    description: str = ""  # 43
    hcpcs: str = ""  # 44 HCPCS / accommodation rate / HIPPS code, modifiers run together after it
    service_date: date | None = None  # 45, MMDDYY (outpatient)
    units: Decimal | int = 1  # 46
    total_cents: int  # 47
    non_covered_cents: int = 0  # 48

    def __post_init__(self) -> None:
        ok = len(self.revenue_code) == 4 and self.revenue_code.isdigit()
        check(ok, "FL 42", "FL 42: a revenue code is four digits, leading zero included")
        check_fits(self.hcpcs, "FL 44", 14)
        check(Decimal(self.units) >= 0, "FL 46", "FL 46: units cannot be negative")
        check_amount(self.total_cents, "FL 47", what="line total charge", digits=8)
        check_amount(self.non_covered_cents, "FL 48", what="non-covered charge", digits=7)
        check(self.non_covered_cents <= self.total_cents, "FL 48", "FL 48: non-covered exceeds the line's charge")


@dataclass(frozen=True, slots=True, kw_only=True)
class UbPayer:
    """One payer row A, B or C: FL 50–55 and 57 for the payer, 58–62 for the insured, 63–65 for the authorisation."""

    name: str  # 50
    health_plan_id: str = ""  # 51
    release_of_information: str = "Y"  # 52
    assignment_of_benefits: str = "Y"  # 53
    prior_payments_cents: int | None = None  # 54
    estimated_due_cents: int | None = None  # 55
    other_provider_id: str = ""  # 57
    insured_name: PersonName  # 58
    patient_relationship: str = "18"  # 59, 18 = self
    insured_id: str  # 60
    group_name: str = ""  # 61
    group_number: str = ""  # 62
    treatment_authorization: str = ""  # 63
    document_control_number: str = ""  # 64, the original claim's number on a replacement or void
    employer_name: str = ""  # 65


@dataclass(frozen=True, slots=True, kw_only=True)
class UbPhysician:
    """FL 76–79: NPI, other ID with its qualifier, last and first name."""

    npi: str | None = None
    qualifier: str = ""
    other_id: str = ""
    name: PersonName


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnosis:
    """FL 67 and 67A–Q: an ICD-10-CM code (without the decimal point) and its present-on-admission indicator."""

    code: str
    poa: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Procedure:
    """FL 74 and 74a–e: an ICD-10-PCS code and its date."""

    code: str
    on: date


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeCode:
    """FL 81 a–d: a qualifier (B3 = taxonomy), a code and an optional value."""

    qualifier: str
    code: str
    value: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Ub04Data:
    """Every form locator of the UB-04 a hospital outpatient or facility claim uses; lines past 22 continue."""

    provider_name: str  # 1
    provider_address: Address  # 1
    provider_phone: str = ""  # 1
    pay_to_name: str = ""  # 2
    pay_to_address: Address | None = None  # 2
    patient_control_number: str  # 3a
    medical_record_number: str = ""  # 3b
    type_of_bill: str  # 4, four digits with the leading zero
    federal_tax_number: str  # 5
    statement_from: date  # 6
    statement_through: date  # 6
    patient_id: str = ""  # 8a
    patient_name: PersonName  # 8b
    patient_address: Address  # 9a–e
    patient_country: str = ""  # 9e, only outside the United States
    birth_date: date  # 10, MMDDCCYY
    sex: Sex  # 11
    admission_date: date | None = None  # 12
    admission_hour: str = ""  # 13
    admission_type: str = ""  # 14
    admission_source: str = ""  # 15
    discharge_hour: str = ""  # 16
    patient_status: str = ""  # 17
    condition_codes: tuple[str, ...] = ()  # 18–28
    accident_state: str = ""  # 29
    occurrences: tuple[OccurrenceCode, ...] = ()  # 31–34, rows a then b
    occurrence_spans: tuple[OccurrenceSpan, ...] = ()  # 35–36, rows a then b
    responsible_party: tuple[str, ...] = ()  # 38, up to five lines
    value_codes: tuple[ValueCode, ...] = ()  # 39–41, rows a–d
    lines: tuple[UbLine, ...]  # 42–49
    creation_date: date  # 45 line 23
    total_charges_cents: int  # 47 line 23
    non_covered_total_cents: int = 0  # 48 line 23
    payers: tuple[UbPayer, ...]  # 50–65, rows A (primary), B, C
    billing_npi: str  # 56
    dx_version: str = "0"  # 66, 0 = ICD-10
    principal_diagnosis: Diagnosis  # 67
    other_diagnoses: tuple[Diagnosis, ...] = ()  # 67A–Q
    admitting_diagnosis: str = ""  # 69
    reason_for_visit: tuple[str, ...] = ()  # 70a–c
    pps_code: str = ""  # 71
    external_causes: tuple[Diagnosis, ...] = ()  # 72a–c
    principal_procedure: Procedure | None = None  # 74
    other_procedures: tuple[Procedure, ...] = ()  # 74a–e
    attending: UbPhysician | None = None  # 76
    operating: UbPhysician | None = None  # 77
    other_physicians: tuple[UbPhysician, ...] = ()  # 78, 79
    remarks: tuple[str, ...] = ()  # 80, up to four lines
    code_codes: tuple[CodeCode, ...] = ()  # 81 a–d

    def __post_init__(self) -> None:
        check(len(self.type_of_bill) == 4 and self.type_of_bill.isdigit(), "FL 4", "FL 4: type of bill is 4 digits")
        check(0 < len(self.patient_control_number) <= 20, "FL 3a", "FL 3a: 1 to 20 characters")
        check(len(self.federal_tax_number) == 9 and self.federal_tax_number.isdigit(), "FL 5", "FL 5: nine digits")
        check(self.statement_from <= self.statement_through, "FL 6", "FL 6: 'from' is after 'through'")
        check_codes(self.condition_codes, "FL 18-28", most=11, what="condition codes")
        check_codes(self.occurrences, "FL 31-34", most=8, what="occurrence codes")
        check_codes(self.occurrence_spans, "FL 35-36", most=4, what="occurrence spans")
        check_codes(self.responsible_party, "FL 38", most=5, what="lines")
        check_codes(self.value_codes, "FL 39-41", most=12, what="value codes")
        for value in self.value_codes:
            check_amount(value.amount_cents, "FL 39-41", what="value code amount", digits=7)
        check(len(self.lines) > 0, "FL 42", "FL 42: a claim needs at least one service line")
        check_amount(self.total_charges_cents, "FL 47", what="total charges", digits=8)
        total = sum(line.total_cents for line in self.lines)
        check(self.total_charges_cents == total, "FL 47", "FL 47: line 23 total must equal the sum of the lines")
        non_covered = sum(line.non_covered_cents for line in self.lines)
        ok = self.non_covered_total_cents == non_covered
        check(ok, "FL 48", "FL 48: line 23 total must equal the sum of the lines' non-covered charges")
        check(0 < len(self.payers) <= 3, "FL 50", "FL 50: one to three payers (A, B, C)")
        for payer in self.payers:
            check_amount(payer.prior_payments_cents, "FL 54", what="prior payment", digits=7)
            check_amount(payer.estimated_due_cents, "FL 55", what="estimated amount due", digits=6)
        check_npi(self.billing_npi, "FL 56")
        check(self.dx_version in ("0", "9"), "FL 66", "FL 66: 0 (ICD-10) or 9 (ICD-9)")
        check_codes(self.other_diagnoses, "FL 67A-Q", most=17, what="other diagnoses")
        check_codes(self.reason_for_visit, "FL 70", most=3, what="reasons for visit")
        check_codes(self.external_causes, "FL 72", most=3, what="external cause codes")
        check_codes(self.other_procedures, "FL 74a-e", most=5, what="other procedures")
        check_codes(self.other_physicians, "FL 78-79", most=2, what="other physicians")
        check_codes(self.remarks, "FL 80", most=4, what="lines of remarks")
        check_codes(self.code_codes, "FL 81", most=4, what="code-code entries")
        for box, doctor in (("FL 76", self.attending), ("FL 77", self.operating)):
            check_npi(doctor.npi if doctor else None, box)
        for number, doctor in enumerate(self.other_physicians, start=78):
            check_npi(doctor.npi, f"FL {number}")
