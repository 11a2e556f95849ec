"""Acknowledgements: TA1 (the interchange arrived), 999 (the syntax was accepted) and 277CA (claims accepted or not)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from medbill.domain.claims import NamedEntity, ProcedureCode, Reference


class AckCode(StrEnum):
    """IK501 / AK901 acknowledgement code."""

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    REJECTED_MAC = "M"
    PARTIALLY_ACCEPTED = "P"
    REJECTED = "R"
    REJECTED_ASSURANCE = "W"
    REJECTED_CONTENT = "X"

    @property
    def accepted(self) -> bool:
        return self in (AckCode.ACCEPTED, AckCode.ACCEPTED_WITH_ERRORS, AckCode.PARTIALLY_ACCEPTED)


class InterchangeAckCode(StrEnum):
    """TA104 interchange acknowledgement code."""

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    REJECTED = "R"


@dataclass(frozen=True, slots=True, kw_only=True)
class InterchangeAcknowledgement:
    """TA1: the receiver's verdict on one interchange's envelope."""

    control_number: str  # TA101: the acknowledged ISA13
    date: date  # TA102
    time: time  # TA103
    code: InterchangeAckCode  # TA104
    note_code: str  # TA105: 000 no error, 001 … interchange note codes


@dataclass(frozen=True, slots=True, kw_only=True)
class ElementNote:
    """IK4: an element in error, by position (and component and repetition), with its code and the bad value."""

    position: int
    component: int | None = None
    repetition: int | None = None
    reference_number: str | None = None  # IK402 data element reference number
    error_code: str  # IK403
    bad_value: str | None = None  # IK404


@dataclass(frozen=True, slots=True, kw_only=True)
class SegmentNote:
    """IK3 with its IK4s: a segment in error, by id, position in the set, and loop."""

    segment_id: str
    position: int
    loop_id: str | None = None
    error_code: str | None = None  # IK304
    context: tuple[tuple[str, ...], ...] = ()  # CTX as sent
    elements: tuple[ElementNote, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TransactionSetResponse:
    """AK2 … IK5: the verdict on one transaction set."""

    set_id: str  # AK201
    control_number: str  # AK202: the acknowledged ST02
    implementation: str | None = None  # AK203
    code: AckCode  # IK501
    error_codes: tuple[str, ...] = ()  # IK502 … IK506
    segments: tuple[SegmentNote, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class FunctionalAcknowledgement:
    """999: the verdict on one functional group and each of its transaction sets."""

    functional_id: str  # AK101
    group_control_number: str  # AK102: the acknowledged GS06
    version: str | None = None  # AK103
    code: AckCode  # AK901
    sets_included: int  # AK902
    sets_received: int  # AK903
    sets_accepted: int  # AK904
    error_codes: tuple[str, ...] = ()  # AK905 … AK909
    responses: tuple[TransactionSetResponse, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class StatusInfo:
    """STC: a health care claim status (category code, status code, entity), its date, action and amount."""

    category: str  # STC01-1: A1 acknowledged/receipt, A2 accepted, A3 rejected, A4 not found …
    code: str  # STC01-2: claim status code
    entity: str | None = None  # STC01-3
    effective_date: date | None = None  # STC02
    action: str | None = None  # STC03: WQ accepted, U rejected
    amount_cents: int | None = None  # STC04: total charge
    paid_cents: int | None = None  # STC05: claim payment (277)
    payment: tuple[str, ...] = ()  # STC06…STC09 as sent: adjudication date, method, check date, check number
    more: tuple[tuple[str, str, str | None], ...] = ()  # STC10 and STC11 (category, code, entity)
    message: str | None = None  # STC12 free-form message

    @property
    def rejected(self) -> bool:
        return self.category in ("A3", "A6", "A7", "A8")


@dataclass(frozen=True, slots=True, kw_only=True)
class LineStatus:
    """2220D: one service line's status (SVC, STC, REF*FJ line item control number, DTP*472)."""

    procedure: ProcedureCode | None
    charge_cents: int
    revenue_code: str | None = None
    units: str | None = None
    statuses: tuple[StatusInfo, ...] = ()
    line_control_number: str | None = None
    service_date: date | None = None
    service_date_end: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimStatusReport:
    """2200D: one claim's acknowledgement, matched on CLM01 (TRN02)."""

    claim_id: str  # TRN02: CLM01 in a 277CA, the inquirer's trace in a 277
    billing_provider: NamedEntity | None
    patient: NamedEntity  # the patient (NM1*QC), or the subscriber when the subscriber is the patient
    subscriber: NamedEntity | None = None  # 277: NM1*IL when the patient is a dependent
    patient_account_number: str | None = None  # REF*EJ (CLM01 in a 277)
    statuses: tuple[StatusInfo, ...] = ()
    payer_claim_number: str | None = None  # REF*1K
    clearinghouse_trace: str | None = None  # REF*D9
    references: tuple[Reference, ...] = ()  # other REFs (XZ prescription, VV voucher …)
    bill_type: str | None = None  # REF*BLT
    service_date: date | None = None
    service_date_end: date | None = None
    lines: tuple[LineStatus, ...] = ()

    @property
    def accepted(self) -> bool:
        return bool(self.statuses) and not any(s.rejected for s in self.statuses)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProviderStatus:
    """2000C/2200C: a billing provider loop, its trace number and provider-level statuses."""

    provider: NamedEntity
    trace: str | None = None
    statuses: tuple[StatusInfo, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimAcknowledgement:
    """277CA (and 277 claim status response, same shape): the payer's verdict on each claim it was asked about."""

    source: NamedEntity  # 2100A information source
    receiver: NamedEntity  # 2100B information receiver
    reference: str = ""  # BHT03
    created: date | None = None  # BHT04
    created_time: str = ""  # BHT05 as sent (HHMM[SS])
    source_trace: str | None = None  # 2200A TRN02
    received: date | None = None  # DTP*050
    processed: date | None = None  # DTP*009
    receiver_trace: str | None = None  # 2200B TRN02
    receiver_statuses: tuple[StatusInfo, ...] = ()
    providers: tuple[ProviderStatus, ...] = ()  # 2000C/2200C: each provider loop with its trace and statuses
    claims: tuple[ClaimStatusReport, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimStatusQuery:
    """276 2200D/E: one claim whose status is asked for, with what identifies it to the payer."""

    trace: str  # TRN02: the inquirer's trace, echoed in the 277
    provider: NamedEntity  # 2100C NM1*1P
    subscriber: NamedEntity  # 2100D NM1*IL
    subscriber_birth_date: date | None = None
    subscriber_sex: str | None = None
    patient: NamedEntity | None = None  # 2100E NM1*QC when a dependent
    patient_birth_date: date | None = None
    patient_sex: str | None = None
    payer_claim_number: str | None = None  # REF*1K
    bill_type: str | None = None  # REF*BLT
    patient_account_number: str | None = None  # REF*EJ: our CLM01
    references: tuple[Reference, ...] = ()  # other REFs (XZ prescription, VV voucher, D9 …)
    charge_cents: int | None = None  # AMT*T3
    service_date: date | None = None
    service_date_end: date | None = None
    lines: tuple[LineStatus, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimStatusRequest:
    """276: a provider's questions to a payer about the status of claims."""

    reference: str  # BHT03
    created: date  # BHT04
    created_time: str = ""  # BHT05
    payer: NamedEntity  # 2100A
    receiver: NamedEntity  # 2100B information receiver (the provider's agent)
    queries: tuple[ClaimStatusQuery, ...] = ()
