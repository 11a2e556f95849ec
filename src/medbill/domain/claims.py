"""Claims as the payer receives them (837P/837I): the claim, its parties, diagnoses and service lines.

Values are kept as sent (codes are strings, money integer cents). A later layer adds the claim's state
machine on top of these; nothing here knows about storage or files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class ClaimKind(StrEnum):
    """Which claim form: professional (CMS-1500, 837P) or institutional (UB-04, 837I)."""

    PROFESSIONAL = "837P"
    INSTITUTIONAL = "837I"


class ClaimFrequency(StrEnum):
    """2300 CLM05-3 claim frequency type code (UB-04 type of bill, third digit)."""

    NON_PAYMENT = "0"
    ORIGINAL = "1"
    INTERIM_FIRST = "2"
    INTERIM_CONTINUING = "3"
    INTERIM_LAST = "4"
    LATE_CHARGE = "5"
    REPLACEMENT = "7"
    VOID = "8"
    FINAL_HOME_HEALTH = "9"


class EntityType(StrEnum):
    """NM102 entity type qualifier."""

    PERSON = "1"
    ORGANIZATION = "2"


@dataclass(frozen=True, slots=True, kw_only=True)
class PostalAddress:
    """N3/N4 as sent: street lines, city, state, postal code and country when outside the US."""

    line1: str
    line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """A REF: qualifier (e.g. ``6R`` line item control number, ``F8`` original claim) and value."""

    qualifier: str
    value: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Contact:
    """PER: a contact's name and numbers as (qualifier, number) pairs, e.g. ``("TE", "8005551212")``."""

    function: str
    name: str | None = None
    numbers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedEntity:
    """NM1 with what follows it: a person or organisation in a role (``85`` billing provider, ``QC`` patient …)."""

    role: str  # NM101 entity identifier code
    entity_type: EntityType
    name: str  # last name or organisation name
    first_name: str | None = None
    middle_name: str | None = None
    suffix: str | None = None
    id_qualifier: str | None = None  # NM108: XX NPI, MI member id, PI payer id, FI tax id …
    identifier: str | None = None
    address: PostalAddress | None = None
    taxonomy: str | None = None  # PRV03 where the loop carries a PRV
    references: tuple[Reference, ...] = ()
    contacts: tuple[Contact, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcedureCode:
    """A composite procedure identifier: qualifier (HC HCPCS/CPT, NU revenue, N4 NDC …), code and modifiers."""

    qualifier: str
    code: str
    modifiers: tuple[str, ...] = ()
    description: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnosis:
    """An HI code with its qualifier: ABK principal ICD-10-CM, ABF other, ABJ admitting, APR reason for visit …"""

    qualifier: str
    code: str
    present_on_admission: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeEntry:
    """Any other HI entry of an institutional claim (condition BG, occurrence BH, value BE, procedure BBR/BBQ …)."""

    qualifier: str
    code: str
    date_format: str | None = None
    date_value: str | None = None
    amount_cents: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedEvent:
    """A DTP: qualifier (431 onset, 434 statement, 435 admission, 472 service …) with a date or a range."""

    qualifier: str
    start: date
    end: date | None = None
    time: str | None = None  # HHMM when sent as DT (admission, discharge hour)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimAdjustment:
    """A CAS on an other payer loop (2320/2430): what an earlier payer adjusted, by group and CARC."""

    group: str
    carc: str
    amount_cents: int
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class LineAdjudication:
    """2430 SVD: how another payer paid this line, for a secondary claim."""

    payer_identifier: str
    paid_cents: int
    procedure: ProcedureCode
    paid_units: Decimal
    adjustments: tuple[ClaimAdjustment, ...] = ()
    adjudication_date: date | None = None
    bundled_line_number: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """PWK: report type, how it is transmitted, and the control number that ties the paperwork to the claim."""

    report_type: str
    transmission: str
    control_number: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceLine:
    """2400: one line of a claim (SV1 professional or SV2 institutional) with its line item control number."""

    number: int  # LX01
    procedure: ProcedureCode | None  # SV101 / SV202 (an institutional line may carry a revenue code only)
    charge_cents: int
    units: Decimal
    unit_basis: str = "UN"  # UN unit, MJ minutes, DA days
    revenue_code: str | None = None  # SV201, institutional
    place_of_service: str | None = None  # SV105 when it differs from the claim's
    diagnosis_pointers: tuple[int, ...] = ()  # SV107
    emergency: bool = False  # SV109
    non_covered_cents: int | None = None  # SV207
    service_date: date | None = None
    service_date_end: date | None = None
    line_control_number: str | None = None  # REF*6R: ours, what the 835 matches on
    references: tuple[Reference, ...] = ()
    notes: tuple[str, ...] = ()
    drug_code: str | None = None  # LIN*N4 NDC
    drug_quantity: Decimal | None = None
    drug_unit: str | None = None
    dates: tuple[DatedEvent, ...] = ()  # DTP other than 472
    providers: tuple[NamedEntity, ...] = ()  # 2420 rendering, referring … when they differ from the claim
    other_payer_adjudications: tuple[LineAdjudication, ...] = ()
    extra: tuple[tuple[str, ...], ...] = ()  # situational segments kept as sent: PWK, CR1, CRC, K3, PS1, HCP …


@dataclass(frozen=True, slots=True, kw_only=True)
class Insured:
    """A subscriber loop: who holds the coverage, with which payer (2000B/2010BA/2010BB or 2320/2330)."""

    responsibility: str  # SBR01 P, S, T …
    relationship: str | None = None  # SBR02 (18 self) or 2320 SBR02
    group_number: str | None = None
    group_name: str | None = None
    filing_indicator: str | None = None  # SBR09
    subscriber: NamedEntity
    payer: NamedEntity
    birth_date: date | None = None
    sex: str | None = None
    paid_cents: int | None = None  # 2320 AMT*D payer paid amount
    remaining_cents: int | None = None  # 2320 AMT*EAF
    adjustments: tuple[ClaimAdjustment, ...] = ()  # 2320 CAS
    adjudication_date: date | None = None  # 2330B DTP*573 carried on the claim level
    benefits_assigned: str | None = None  # 2320 OI03
    release_of_information: str | None = None  # 2320 OI06
    providers: tuple[NamedEntity, ...] = ()  # 2330C-I other payer providers, when sent
    extra: tuple[tuple[str, ...], ...] = ()  # 2320 segments kept as sent (MOA, MIA, AMT other than D/EAF)


@dataclass(frozen=True, slots=True, kw_only=True)
class Patient:
    """2000C/2010CA: the patient when not the subscriber."""

    relationship: str  # PAT01
    person: NamedEntity
    birth_date: date | None = None
    sex: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """2300: one claim with everything the payer needs to adjudicate it."""

    kind: ClaimKind
    patient_control_number: str  # CLM01: ours, unique, what acknowledgements and remittances match on
    total_charge_cents: int
    facility_code: str  # CLM05-1: place of service (837P) or facility type (837I)
    frequency: ClaimFrequency = ClaimFrequency.ORIGINAL
    provider_signature: bool | None = True  # CLM06 (837P); None when not sent (837I)
    assignment: str = "A"  # CLM07
    benefits_assigned: str = "Y"  # CLM08
    release_of_information: str = "Y"  # CLM09
    patient_signature_source: str | None = None  # CLM10
    related_causes: tuple[str, ...] = ()  # CLM11
    billing_provider: NamedEntity
    pay_to_provider: NamedEntity | None = None
    subscriber: Insured
    patient: Patient | None = None  # None when the patient is the subscriber
    diagnoses: tuple[Diagnosis, ...] = ()
    codes: tuple[CodeEntry, ...] = ()  # other HI entries (institutional)
    dates: tuple[DatedEvent, ...] = ()
    original_claim_number: str | None = None  # REF*F8 for frequency 7 and 8
    prior_authorization: str | None = None  # REF*G1
    references: tuple[Reference, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()  # NTE (qualifier, text)
    attachments: tuple[Attachment, ...] = ()
    admission: tuple[str, str, str] | None = None  # CL1 admission type, source, patient status (837I)
    providers: tuple[NamedEntity, ...] = ()  # 2310 loops: referring, rendering, attending, facility …
    other_insurance: tuple[Insured, ...] = ()  # 2320/2330 for a secondary claim
    extra: tuple[tuple[str, ...], ...] = ()  # situational segments kept as sent: CN1, K3, CR1, CR2, CRC, HCP, AMT …
    lines: tuple[ServiceLine, ...] = ()

    def lines_total_cents(self) -> int:
        return sum(line.charge_cents for line in self.lines)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimBatch:
    """An 837 transaction set: who submits, to whom, and the claims."""

    kind: ClaimKind
    reference: str  # BHT03: originator application transaction identifier
    created: date  # BHT04
    created_time: str  # BHT05 HHMM as sent
    purpose: str = "00"  # BHT02: 00 original, 18 reissue
    claim_or_encounter: str = "CH"  # BHT06: CH chargeable, RP reporting (encounter)
    submitter: NamedEntity
    receiver: NamedEntity
    claims: tuple[Claim, ...] = ()
