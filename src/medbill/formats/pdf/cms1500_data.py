"""Fully resolved, box-by-box input of a CMS-1500 (02/12) professional claim form, checked as it is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from medbill.domain.parties import Address, PersonName, Sex
from medbill.formats.pdf.values import check, check_amount, check_codes, check_fits, check_npi

MAX_LINES_PER_PAGE = 6  # CMS-1500 box 24: six service lines a page
MAX_DIAGNOSES = 12  # CMS-1500 box 21: A–L
POINTER_LETTERS = "ABCDEFGHIJKL"


class InsuranceType(StrEnum):
    """CMS-1500 box 1: the kind of health insurance coverage the claim goes to."""

    MEDICARE = "medicare"
    MEDICAID = "medicaid"
    TRICARE = "tricare"
    CHAMPVA = "champva"
    GROUP_HEALTH_PLAN = "group_health_plan"
    FECA_BLACK_LUNG = "feca_black_lung"
    OTHER = "other"


class Relationship(StrEnum):
    """CMS-1500 box 6: the patient's relationship to the insured."""

    SELF = "self"
    SPOUSE = "spouse"
    CHILD = "child"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class QualifiedDate:
    """A date with its NUCC qualifier (box 14: 431 onset, 484 last menstrual period; box 15: 454, 304…)."""

    qualifier: str
    value: date


@dataclass(frozen=True, slots=True, kw_only=True)
class DateRange:
    """From and to dates (boxes 16 and 18)."""

    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReferringProvider:
    """Box 17 (qualifier DN referring, DK ordering, DQ supervising, and the name), 17a other ID, 17b NPI."""

    qualifier: str
    name: PersonName
    npi: str | None = None
    other_id_qualifier: str = ""
    other_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FormProvider:
    """A provider or facility as boxes 32 and 33 print it: name, address, phone, NPI (a) and other ID (b)."""

    name: str
    address: Address
    npi: str | None = None
    other_id: str = ""  # qualifier and number run together, e.g. "ZZ207Q00000X"
    phone: str = ""  # ten digits, box 33 only


@dataclass(frozen=True, slots=True, kw_only=True)
class Cms1500Line:
    """Box 24, one service line: the unshaded line and its shaded supplemental line above it."""

    from_date: date  # 24A
    to_date: date | None = None  # 24A, the same as from_date when empty
    place_of_service: str  # 24B
    emergency: bool = False  # 24C
    procedure_code: str  # 24D CPT/HCPCS
    modifiers: tuple[str, ...] = ()  # 24D, up to four
    diagnosis_pointers: str  # 24E letters A–L, up to four, primary first
    charge_cents: int  # 24F
    units: Decimal | int = 1  # 24G days or units
    epsdt: str = ""  # 24H
    rendering_npi: str | None = None  # 24J unshaded
    rendering_other_qualifier: str = ""  # 24I shaded
    rendering_other_id: str = ""  # 24J shaded
    supplemental: str = ""  # shaded 24A–24G: NDC (N4…), anesthesia times, narrative

    def __post_init__(self) -> None:
        check(self.to_date is None or self.to_date >= self.from_date, "box 24A", "box 24A: 'to' precedes 'from'")
        check(len(self.place_of_service) == 2, "box 24B", "box 24B: place of service is two digits")
        check(0 < len(self.procedure_code) <= 6, "box 24D", "box 24D: give a CPT/HCPCS code")
        check(len(self.modifiers) <= 4, "box 24D", "box 24D: at most four modifiers fit")
        check(all(len(m) == 2 for m in self.modifiers), "box 24D", "box 24D: a modifier is two characters")
        pointers = self.diagnosis_pointers
        check(0 < len(pointers) <= 4, "box 24E", "box 24E: give one to four diagnosis pointers (A–L)")
        check(all(p in POINTER_LETTERS for p in pointers), "box 24E", "box 24E: pointers are the letters A–L")
        check_amount(self.charge_cents, "box 24F", what="line charge", digits=6)
        check(Decimal(self.units) > 0, "box 24G", "box 24G: units must be more than zero")
        check(len(str(self.units)) <= 3, "box 24G", "box 24G: at most three characters of units fit")
        check_npi(self.rendering_npi, "box 24J")
        check_fits(self.rendering_other_id, "box 24J", 11)
        check_fits(self.supplemental, "box 24 shaded", 58)


@dataclass(frozen=True, slots=True, kw_only=True)
class Cms1500Data:
    """Every box of the CMS-1500 (02/12) for one claim; more than six lines continue on further pages."""

    carrier_name: str = ""  # carrier block, top right
    carrier_address: Address | None = None
    insurance_type: InsuranceType  # 1
    insured_id: str  # 1a
    patient_name: PersonName  # 2
    patient_birth_date: date  # 3
    patient_sex: Sex  # 3
    insured_name: PersonName | None = None  # 4
    patient_address: Address | None = None  # 5
    patient_phone: str = ""  # 5, ten digits
    relationship: Relationship = Relationship.SELF  # 6
    insured_address: Address | None = None  # 7
    insured_phone: str = ""  # 7
    reserved_8: str = ""  # 8, reserved for NUCC use
    other_insured_name: PersonName | None = None  # 9
    other_insured_policy: str = ""  # 9a
    other_insured_plan: str = ""  # 9d
    employment_related: bool = False  # 10a
    auto_accident: bool = False  # 10b
    auto_accident_state: str = ""  # 10b
    other_accident: bool = False  # 10c
    claim_codes: str = ""  # 10d
    insured_group: str = ""  # 11
    insured_birth_date: date | None = None  # 11a
    insured_sex: Sex | None = None  # 11a
    other_claim_id: str = ""  # 11b, qualifier and ID
    insured_plan_name: str = ""  # 11c
    another_plan: bool | None = None  # 11d, None leaves both boxes empty
    patient_signature: str = "SIGNATURE ON FILE"  # 12
    patient_signed: date | None = None  # 12
    insured_signature: str = "SIGNATURE ON FILE"  # 13
    current_illness: QualifiedDate | None = None  # 14
    other_date: QualifiedDate | None = None  # 15
    unable_to_work: DateRange | None = None  # 16
    referring: ReferringProvider | None = None  # 17, 17a, 17b
    hospitalization: DateRange | None = None  # 18
    additional_info: str = ""  # 19
    outside_lab: bool = False  # 20
    outside_lab_cents: int | None = None  # 20
    icd_indicator: str = "0"  # 21, 0 = ICD-10-CM
    diagnoses: tuple[str, ...]  # 21 A–L, without the decimal point
    resubmission_code: str = ""  # 22, claim frequency 7 or 8
    original_reference: str = ""  # 22, the payer's claim control number
    prior_authorization: str = ""  # 23
    lines: tuple[Cms1500Line, ...]  # 24
    federal_tax_id: str  # 25
    tax_id_is_ssn: bool = False  # 25
    patient_account: str = ""  # 26
    accept_assignment: bool = True  # 27
    total_charge_cents: int  # 28
    amount_paid_cents: int | None = None  # 29
    physician_signature: str = "SIGNATURE ON FILE"  # 31
    physician_signed: date | None = None  # 31
    service_facility: FormProvider | None = None  # 32, 32a, 32b
    billing_provider: FormProvider  # 33, 33a, 33b

    def __post_init__(self) -> None:
        check(0 < len(self.insured_id) <= 29, "box 1a", "box 1a: the insured's ID is 1 to 29 characters")
        check(self.icd_indicator in ("0", "9"), "box 21", "box 21: the ICD indicator is 0 (ICD-10) or 9 (ICD-9)")
        check(len(self.diagnoses) > 0, "box 21", "box 21: give at least one diagnosis")
        check_codes(self.diagnoses, "box 21", most=MAX_DIAGNOSES, what="diagnoses (A–L)")
        check(
            all(0 < len(d.replace(".", "")) <= 7 for d in self.diagnoses), "box 21", "box 21: a code is 3–7 characters"
        )
        check(len(self.lines) > 0, "box 24", "box 24: a claim needs at least one service line")
        for number, line in enumerate(self.lines, start=1):
            last = POINTER_LETTERS[len(self.diagnoses) - 1]
            for pointer in line.diagnosis_pointers:
                check(
                    POINTER_LETTERS.index(pointer) < len(self.diagnoses),
                    "box 24E",
                    f"box 24E: line {number} points at {pointer} but box 21 ends at {last}",
                )
        check_amount(self.total_charge_cents, "box 28", what="total charge", digits=7)
        total = sum(line.charge_cents for line in self.lines)
        check(self.total_charge_cents == total, "box 28", "box 28: the total charge must equal the sum of box 24F")
        check_amount(self.amount_paid_cents, "box 29", what="amount paid", digits=6)
        check_amount(self.outside_lab_cents, "box 20", what="outside lab charge", digits=6)
        check(len(self.federal_tax_id) == 9 and self.federal_tax_id.isdigit(), "box 25", "box 25: nine digits, no dash")
        check_fits(self.patient_account, "box 26", 14)
        check_fits(self.prior_authorization, "box 23", 29)
        check_fits(self.original_reference, "box 22", 18)
        check_npi(self.billing_provider.npi, "box 33a")
        check_fits(self.billing_provider.other_id, "box 33b", 17)
        if self.service_facility is not None:
            check_npi(self.service_facility.npi, "box 32a")
            check_fits(self.service_facility.other_id, "box 32b", 14)
        if self.referring is not None:
            check_npi(self.referring.npi, "box 17b")
