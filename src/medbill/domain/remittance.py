"""Remittance advice (835): the payment, the payer and payee, claim and service payments, and their balancing.

Amounts are integer cents; codes are kept as sent (CARC, RARC, group codes). The balancing functions state
the 835 guide's rules so a poster can refuse an advice that does not add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from medbill.domain.claims import NamedEntity, ProcedureCode, Reference


class ClaimStatus(StrEnum):
    """CLP02 claim status code."""

    PRIMARY = "1"
    SECONDARY = "2"
    TERTIARY = "3"
    DENIED = "4"
    PRIMARY_FORWARDED = "19"
    SECONDARY_FORWARDED = "20"
    TERTIARY_FORWARDED = "21"
    REVERSAL = "22"
    NOT_OUR_CLAIM_FORWARDED = "23"
    PREDETERMINATION_ONLY = "25"


class AdjustmentGroup(StrEnum):
    """CAS01 claim adjustment group code (5010)."""

    CONTRACTUAL = "CO"
    OTHER = "OA"
    PAYER_INITIATED = "PI"
    PATIENT_RESPONSIBILITY = "PR"


@dataclass(frozen=True, slots=True, kw_only=True)
class Adjustment:
    """One CAS reason: group, claim adjustment reason code (CARC), amount, and quantity when sent."""

    group: AdjustmentGroup
    carc: str
    amount_cents: int
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Remark:
    """LQ: a remark code with its list qualifier (HE remittance advice remark code, RX NCPDP reject reason)."""

    qualifier: str
    code: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Amount:
    """AMT: a qualified amount (B6 allowed, AU coverage amount, KH late filing reduction …)."""

    qualifier: str
    amount_cents: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """QTY: a qualified quantity (CA covered days, ZK federal Medicare/Medicaid visits …)."""

    qualifier: str
    quantity: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class DateEntry:
    """DTM: a qualified date (472 service, 150/151 period, 050 received, 232/233 statement …)."""

    qualifier: str
    date: date


@dataclass(frozen=True, slots=True, kw_only=True)
class ServicePayment:
    """2110 SVC: how one service line was paid, with the code as submitted when the payer changed it."""

    procedure: ProcedureCode  # SVC01 as adjudicated
    charge_cents: int  # SVC02
    paid_cents: int  # SVC03
    revenue_code: str | None = None  # SVC04
    units_paid: Decimal | None = None  # SVC05
    original_procedure: ProcedureCode | None = None  # SVC06 when it differs from SVC01
    original_units: Decimal | None = None  # SVC07
    dates: tuple[DateEntry, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    line_control_number: str | None = None  # REF*6R: our line item control number
    references: tuple[Reference, ...] = ()
    amounts: tuple[Amount, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    remarks: tuple[Remark, ...] = ()

    @property
    def units(self) -> Decimal:
        return self.units_paid if self.units_paid is not None else Decimal(1)

    @property
    def allowed_cents(self) -> int | None:
        """AMT*B6 allowed amount when the payer sent one."""
        for amount in self.amounts:
            if amount.qualifier == "B6":
                return amount.amount_cents
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimPayment:
    """2100 CLP: how one claim was adjudicated and paid."""

    claim_id: str  # CLP01: our patient control number (CLM01)
    status: ClaimStatus
    charge_cents: int  # CLP03
    paid_cents: int  # CLP04
    patient_responsibility_cents: int | None = None  # CLP05
    filing_indicator: str  # CLP06
    payer_claim_number: str | None = None  # CLP07
    facility_type: str | None = None  # CLP08
    frequency: str | None = None  # CLP09
    drg_code: str | None = None  # CLP11
    drg_weight: Decimal | None = None  # CLP12
    discharge_fraction: Decimal | None = None  # CLP13
    header_number: str | None = None  # LX01 of the 2000 loop the claim sits in
    adjustments: tuple[Adjustment, ...] = ()
    entities: tuple[NamedEntity, ...] = ()  # QC patient, IL insured, 74 corrected, 82 rendering, TT, PR, GB
    inpatient: tuple[str, ...] = ()  # MIA01…MIA24 as sent
    outpatient: tuple[str, ...] = ()  # MOA01…MOA09 as sent
    references: tuple[Reference, ...] = ()
    dates: tuple[DateEntry, ...] = ()
    amounts: tuple[Amount, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    contacts: tuple[tuple[str, ...], ...] = ()  # PER as sent
    lines: tuple[ServicePayment, ...] = ()

    def entity(self, role: str) -> NamedEntity | None:
        for e in self.entities:
            if e.role == role:
                return e
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderAdjustment:
    """PLB: an adjustment to the provider's payment not tied to one claim (WO overpayment recovery, L6 interest …)."""

    provider_id: str  # PLB01
    fiscal_period_end: date  # PLB02
    reason: str  # PLB03-1 adjustment reason code
    reference: str | None = None  # PLB03-2
    amount_cents: int  # positive reduces the payment


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """BPR and TRN: how much, how (ACH, check, none) and the trace number that ties it to the deposit."""

    handling: str  # BPR01: I remittance with payment, H advice only …
    amount_cents: int  # BPR02
    credit_debit: str  # BPR03 C or D
    method: str  # BPR04: ACH, CHK, NON, FWT, BOP
    date: date  # BPR16
    trace_number: str  # TRN02
    originator_id: str  # TRN03
    originator_supplemental: str | None = None  # TRN04
    format: str | None = None  # BPR05: CCP, CTX
    banking: tuple[str, ...] = ()  # BPR06…BPR15 as sent (routing and account numbers)


@dataclass(frozen=True, slots=True, kw_only=True)
class Remittance:
    """An 835 transaction set: one payment (or advice) from a payer to a payee for many claims."""

    payment: Payment
    payer: NamedEntity  # 1000A (name, id, address, contacts)
    payee: NamedEntity  # 1000B
    production_date: date | None = None  # DTM*405
    receiver_id: str | None = None  # REF*EV
    version_id: str | None = None  # REF*F2
    currency: tuple[str, ...] = ()  # CUR as sent
    summaries: tuple[tuple[str, tuple[str, ...]], ...] = ()  # TS3/TS2 per header number, as sent
    claims: tuple[ClaimPayment, ...] = ()
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()


# --- balancing (835 guide section 1.10.2) ------------------------------------------------------------------


def line_balance_cents(line: ServicePayment) -> int:
    """SVC02 − ΣCAS − SVC03: zero when the line balances."""
    return line.charge_cents - sum(a.amount_cents for a in line.adjustments) - line.paid_cents


def claim_balance_cents(claim: ClaimPayment) -> int:
    """CLP03 − ΣCAS (claim and lines) − CLP04: zero when the claim balances."""
    adjusted = sum(a.amount_cents for a in claim.adjustments)
    adjusted += sum(a.amount_cents for line in claim.lines for a in line.adjustments)
    return claim.charge_cents - adjusted - claim.paid_cents


def lines_charge_difference_cents(claim: ClaimPayment) -> int:
    """CLP03 − ΣSVC02 when lines are present: zero when the lines account for the whole charge."""
    if not claim.lines:
        return 0
    return claim.charge_cents - sum(line.charge_cents for line in claim.lines)


def payment_balance_cents(remittance: Remittance) -> int:
    """ΣCLP04 − ΣPLB − BPR02: zero when the payment equals the claims paid less provider adjustments."""
    paid = sum(c.paid_cents for c in remittance.claims)
    plb = sum(p.amount_cents for p in remittance.provider_adjustments)
    return paid - plb - remittance.payment.amount_cents


def balancing_errors(remittance: Remittance) -> list[str]:
    """Every balancing rule the advice breaks, in words; empty when it balances to the cent."""
    errors: list[str] = []
    for ci, claim in enumerate(remittance.claims):
        diff = claim_balance_cents(claim)
        if diff:
            errors.append(f"claims[{ci}] {claim.claim_id}: CLP03 − ΣCAS − CLP04 is {diff} cents, not 0")
        for li, line in enumerate(claim.lines):
            ldiff = line_balance_cents(line)
            if ldiff:
                errors.append(f"claims[{ci}].lines[{li}]: SVC02 − ΣCAS − SVC03 is {ldiff} cents, not 0")
    pdiff = payment_balance_cents(remittance)
    if pdiff:
        errors.append(f"ΣCLP04 − ΣPLB − BPR02 is {pdiff} cents, not 0")
    return errors
