"""The scrubber's rule registry: every rule's stable id, family, default severity and what it checks."""

from __future__ import annotations

from dataclasses import dataclass

from medbill.domain.scrub import Finding, RuleFamily, Severity
from medbill.formats.x12.construct import fast_constructor

_Finding = fast_constructor(Finding)  # the same frozen Finding, built without object.__setattr__ per field

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One named edit: what the biller sees in the rule column, how bad a hit is and what it checks."""

    id: str
    family: RuleFamily
    severity: Severity
    description: str

    def finding(
        self,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        location: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return _Finding(
            rule=self.id,
            family=self.family,
            severity=severity or self.severity,
            message=message,
            line=line,
            field=field,
            location=location,
        )


def _r(rule_id: str, family: RuleFamily, severity: Severity, description: str) -> Rule:
    return Rule(id=rule_id, family=family, severity=severity, description=description)


C, ID, K, V, N, A, G, P = (
    RuleFamily.COMPLETENESS,
    RuleFamily.IDENTIFIERS,
    RuleFamily.CODES,
    RuleFamily.CONVENTIONS,
    RuleFamily.NCCI,
    RuleFamily.ARITHMETIC,
    RuleFamily.COVERAGE,
    RuleFamily.PAYER,
)

_ALL = (
    # completeness: what the 837P/837I and the CMS-1500/UB-04 need
    _r("completeness.subscriber_id", C, E, "subscriber member ID (2010BA NM109, CMS-1500 box 1a) is present"),
    _r("completeness.subscriber_name", C, E, "subscriber last and first name (2010BA NM103/NM104, box 4)"),
    _r("completeness.patient_name", C, E, "patient last and first name (2010CA NM103/NM104, box 2)"),
    _r("completeness.patient_address", C, E, "patient street, city, state and ZIP (2010BA/2010CA N3/N4, box 5)"),
    _r("completeness.patient_birth_date", C, E, "patient date of birth (DMG02, box 3)"),
    _r("completeness.patient_sex", C, E, "patient sex F or M (DMG03, box 3)"),
    _r("completeness.payer_id", C, E, "payer identifier (2010BB NM109)"),
    _r("completeness.billing_npi", C, E, "billing provider NPI (2010AA NM109, box 33a / UB-04 FL56)"),
    _r("completeness.billing_tin", C, E, "billing provider EIN or SSN (2010AA REF*EI/SY, box 25 / FL5)"),
    _r("completeness.billing_address", C, E, "billing provider street address, city, state, ZIP (box 33 / FL1)"),
    _r("completeness.billing_zip4", C, E, "billing provider ZIP+4, nine digits (2010AA N403)"),
    _r("completeness.billing_po_box", C, E, "billing provider address is a street address, not a P.O. box"),
    _r(
        "completeness.rendering_provider",
        C,
        W,
        "an organization billing a professional claim names the rendering provider",
    ),
    _r("completeness.referring_provider", C, E, "lab, imaging and DME services name their referring/ordering provider"),
    _r("completeness.attending_provider", C, E, "an institutional claim names its attending provider (2310A, FL76)"),
    _r("completeness.place_of_service", C, E, "place of service (CLM05-1, box 24B) is present"),
    _r("completeness.type_of_bill", C, E, "type of bill: facility type and frequency (CLM05, UB-04 FL4)"),
    _r("completeness.statement_dates", C, E, "statement covers period (DTP*434, UB-04 FL6)"),
    _r("completeness.admission", C, E, "inpatient claims carry admission date and type (DTP*435, CL101, FL12/FL14)"),
    _r("completeness.patient_status", C, E, "patient discharge status (CL103, UB-04 FL17)"),
    _r("completeness.service_date", C, E, "every line has its date of service (2400 DTP*472, box 24A)"),
    _r("completeness.service_date_future", C, E, "no date of service after the day of the scrub"),
    _r("completeness.procedure", C, E, "every professional line has a procedure code (SV101, box 24D)"),
    _r("completeness.revenue_code", C, E, "every institutional line has a revenue code (SV201, FL42)"),
    _r("completeness.diagnosis", C, E, "the claim has a principal diagnosis (HI*ABK, box 21A / FL67)"),
    _r("completeness.diagnosis_pointer", C, E, "every professional line points at a diagnosis (SV107, box 24E)"),
    _r("completeness.too_many_diagnoses", C, E, "a professional claim has at most 12 diagnoses (box 21 A–L)"),
    # identifiers
    _r("identifiers.npi_check_digit", ID, E, "every NPI is 10 digits with a valid Luhn check digit (prefix 80840)"),
    _r(
        "identifiers.npi_entity_type",
        ID,
        E,
        "rendering/referring/attending are persons, service facility an organization",
    ),
    _r("identifiers.tin_shape", ID, E, "the billing provider's EIN/SSN has a valid shape"),
    _r("identifiers.taxonomy_shape", ID, E, "a provider taxonomy code is 10 characters ending in X (PRV03)"),
    _r("identifiers.taxonomy_unknown", ID, W, "a provider taxonomy code is in the NUCC list (v25.1)"),
    _r("identifiers.member_id_shape", ID, E, "the member ID is 2–80 letters, digits or hyphens"),
    _r("identifiers.duplicate_claim_id", ID, E, "every claim in a file has its own patient control number (CLM01)"),
    # codes valid for the date of service
    _r("codes.icd9_qualifier", K, E, "ICD-9 qualifiers (BK/BF) only before 2015-10-01, ICD-10 (ABK/ABF) from then on"),
    _r("codes.icd10_no_edition", K, W, "an ICD-10-CM edition is loaded for the date of service"),
    _r("codes.icd10_malformed", K, E, "a diagnosis has the shape of an ICD-10-CM code"),
    _r("codes.icd10_unknown", K, E, "a diagnosis is an ICD-10-CM code in some loaded edition"),
    _r("codes.icd10_header", K, E, "a diagnosis is a billable code, not a category or subcategory header"),
    _r("codes.icd10_seventh_missing", K, E, "a code that needs a 7th character has it"),
    _r("codes.icd10_seventh_invalid", K, E, "a 7th character is one the category allows"),
    _r("codes.icd10_deleted", K, E, "a diagnosis was not deleted before the date of service"),
    _r("codes.icd10_not_yet_valid", K, E, "a diagnosis is not newer than the date of service"),
    _r(
        "codes.procedure_qualifier",
        K,
        E,
        "a procedure code qualifier is one the 837 allows (HC, ER, IV, WK; HP on 837I)",
    ),
    _r("codes.procedure_malformed", K, E, "a procedure code has the shape of a CPT or HCPCS code"),
    _r("codes.hcpcs_unknown", K, E, "a HCPCS Level II code is in the CMS list"),
    _r("codes.hcpcs_not_valid_on_date", K, E, "a HCPCS Level II code is in effect on the date of service"),
    _r("codes.cpt_unknown", K, W, "a CPT code number is known (CMS lists, or the practice's licensed CPT file)"),
    _r("codes.modifier_malformed", K, E, "a modifier is two letters or digits"),
    _r("codes.modifier_unknown", K, W, "a modifier is in medbill's modifier list"),
    _r("codes.pos_unknown", K, E, "a place of service is an assigned CMS POS code"),
    _r("codes.revenue_code_malformed", K, E, "a revenue code is four digits, leading zero included (SV201, FL42)"),
    # ICD-10-CM conventions
    _r("conventions.excludes1", V, E, "no two diagnoses on the claim form an Excludes1 pair"),
    _r(
        "conventions.manifestation_first", V, E, "a manifestation code is never the first-listed diagnosis (MCE edit 6)"
    ),
    _r("conventions.code_first_order", V, W, "a code with a 'code first' note comes after its underlying condition"),
    _r("conventions.code_first_missing", V, W, "a manifestation code is accompanied by an underlying condition"),
    _r("conventions.use_additional_order", V, W, "a 'use additional code' comes after the code that asks for it"),
    _r("conventions.age", V, E, "a diagnosis fits the patient's age on the date of service (MCE age edits)"),
    _r(
        "conventions.sex",
        V,
        W,
        "a diagnosis fits the patient's sex (tabular titles; MCE sex edit is off since 2024-10)",
    ),
    # NCCI
    _r("ncci.ptp_pair", N, E, "an NCCI PTP pair on one date carries a bypass modifier (indicator 1)"),
    _r("ncci.ptp_pair_no_bypass", N, E, "an NCCI PTP pair that no modifier bypasses (indicator 0)"),
    _r("ncci.mue_line", N, E, "units on a line within the practitioner MUE (adjudication indicator 1)"),
    _r("ncci.mue_date", N, E, "units of a code on one date within the practitioner MUE (indicators 2 and 3)"),
    # arithmetic
    _r("arithmetic.total_mismatch", A, E, "claim total charge (CLM02, box 28 / FL47) is the sum of the lines"),
    _r("arithmetic.units_positive", A, E, "units on every line are more than zero (SV104/SV205, box 24G)"),
    _r("arithmetic.line_charge_negative", A, E, "no line charge is negative (SV102/SV203, box 24F)"),
    _r("arithmetic.pointer_invalid", A, E, "diagnosis pointers point at diagnoses on the claim (SV107, box 24E)"),
    # coverage
    _r("coverage.inactive", G, E, "the payer's coverage is active on every date of service"),
    _r("coverage.timely_filing", G, E, "the claim is within the payer's timely-filing window"),
    _r("coverage.duplicate", G, E, "a line is not a duplicate of one already sent (patient, date, code, modifiers)"),
    # payer-specific, configured in payer_rules.json
    _r("payer.member_id_pattern", P, E, "the member ID matches the payer's pattern"),
    _r("payer.max_diagnoses", P, E, "no more diagnoses than the payer accepts"),
    _r("payer.referring_required", P, E, "the payer's codes that need a referring provider have one"),
    _r("payer.modifier_required", P, E, "the payer's codes that need a modifier carry it"),
    _r("payer.prior_authorization", P, E, "the payer's codes that need prior authorization have REF*G1"),
    _r("payer.rendering_required", P, E, "the payer wants the rendering provider named on every claim"),
)

RULES: dict[str, Rule] = {r.id: r for r in _ALL}
