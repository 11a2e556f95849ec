"""Eligibility and benefits (X12 270/271, 005010X279A1): the question to the payer, its answer, and the answer normalized."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from medbill.domain.claims import NamedEntity, ProcedureCode, Reference


class BenefitKind(StrEnum):
    """EB01 eligibility or benefit information code."""

    ACTIVE = "1"
    ACTIVE_FULL_RISK_CAPITATION = "2"
    ACTIVE_SERVICES_CAPITATED = "3"
    ACTIVE_CAPITATED_TO_PCP = "4"
    ACTIVE_PENDING_INVESTIGATION = "5"
    INACTIVE = "6"
    INACTIVE_PENDING_ELIGIBILITY_UPDATE = "7"
    INACTIVE_PENDING_INVESTIGATION = "8"
    COINSURANCE = "A"
    COPAY = "B"
    DEDUCTIBLE = "C"
    COVERAGE_BASIS = "CB"
    BENEFIT_DESCRIPTION = "D"
    EXCLUSIONS = "E"
    LIMITATIONS = "F"
    OUT_OF_POCKET = "G"  # out of pocket (stop loss)
    UNLIMITED = "H"
    NON_COVERED = "I"
    COST_CONTAINMENT = "J"
    RESERVE = "K"
    PRIMARY_CARE_PROVIDER = "L"
    PRE_EXISTING_CONDITION = "M"
    MANAGED_CARE_COORDINATOR = "MC"
    SERVICES_RESTRICTED_TO_PROVIDER = "N"
    NOT_MEDICALLY_NECESSARY = "O"
    BENEFIT_DISCLAIMER = "P"
    SECOND_SURGICAL_OPINION_REQUIRED = "Q"
    OTHER_PAYER = "R"  # other or additional payer: possible coordination of benefits
    PRIOR_YEARS_HISTORY = "S"
    CARDS_REPORTED_LOST = "T"
    CONTACT_ENTITY = "U"
    CANNOT_PROCESS = "V"
    OTHER_SOURCE_OF_DATA = "W"
    HEALTH_CARE_FACILITY = "X"
    SPEND_DOWN = "Y"

    @property
    def active(self) -> bool:
        return self.value in ("1", "2", "3", "4", "5")

    @property
    def inactive(self) -> bool:
        return self.value in ("6", "7", "8")


class CoverageLevel(StrEnum):
    """EB02 coverage level code."""

    CHILDREN = "CHD"
    DEPENDENTS = "DEP"
    EMPLOYEE_AND_CHILDREN = "ECH"
    EMPLOYEE = "EMP"
    EMPLOYEE_AND_SPOUSE = "ESP"
    FAMILY = "FAM"
    INDIVIDUAL = "IND"
    SPOUSE_AND_CHILDREN = "SPC"
    SPOUSE = "SPO"


class TimePeriod(StrEnum):
    """EB06 time period qualifier: 23 calendar year (the plan's amount) against 29 remaining, and so on."""

    HOUR = "6"
    DAY = "7"
    HOURS_24 = "13"
    YEARS = "21"
    SERVICE_YEAR = "22"
    CALENDAR_YEAR = "23"
    YEAR_TO_DATE = "24"
    CONTRACT = "25"
    EPISODE = "26"
    VISIT = "27"
    OUTLIER = "28"
    REMAINING = "29"
    EXCEEDED = "30"
    NOT_EXCEEDED = "31"
    LIFETIME = "32"
    LIFETIME_REMAINING = "33"
    MONTH = "34"
    WEEK = "35"
    ADMISSION = "36"


class Network(StrEnum):
    """EB12 in plan network indicator: Y in network, N out of network, W both (not applicable)."""

    IN = "Y"
    OUT = "N"
    BOTH = "W"


class Authorization(StrEnum):
    """EB11 authorization or certification indicator."""

    REQUIRED = "Y"
    NOT_REQUIRED = "N"
    UNKNOWN = "U"


class CoverageStatus(StrEnum):
    """What the 271 says of the member's coverage as a whole."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    REJECTED = "rejected"  # the payer could not answer (AAA)
    UNKNOWN = "unknown"


def _table(text: str) -> dict[str, str]:
    """Code and words from "code words; code words" lines."""
    pairs = (item.strip().split(" ", 1) for line in text.strip().splitlines() for item in line.split("; "))
    return {code: words for code, words in pairs}


# AAA03 reject reason codes and AAA04 follow-up action codes (005010X279A1, AAA segment).
REJECT_REASONS = _table("""
    04 Authorized quantity exceeded; 15 Required application data missing; 33 Input errors; 35 Out of network
    41 Authorization/access restrictions; 42 Unable to respond at current time
    43 Invalid or missing provider identification; 44 Invalid or missing provider name
    45 Invalid or missing provider specialty; 46 Invalid or missing provider phone number
    47 Invalid or missing provider state; 48 Invalid or missing referring provider identification number
    49 Provider is not primary care physician; 50 Provider ineligible for inquiries; 51 Provider not on file
    52 Service dates not within provider plan enrollment; 53 Inquired benefit inconsistent with provider type
    54 Inappropriate product/service ID qualifier; 55 Inappropriate product/service ID; 56 Inappropriate date
    57 Invalid or missing date(s) of service; 58 Invalid or missing date of birth
    60 Date of birth follows date(s) of service; 61 Date of death precedes date(s) of service
    62 Date of service not within allowable inquiry period; 63 Date of service in future
    64 Invalid or missing patient ID; 65 Invalid or missing patient name; 66 Invalid or missing patient gender code
    67 Patient not found; 68 Duplicate patient ID number; 69 Inconsistent with patient's age
    70 Inconsistent with patient's gender; 71 Patient birth date does not match that for the patient on the database
    72 Invalid or missing subscriber/insured ID; 73 Invalid or missing subscriber/insured name
    74 Invalid or missing subscriber/insured gender code; 75 Subscriber/insured not found
    76 Duplicate subscriber/insured ID number; 77 Subscriber found, patient not found
    78 Subscriber/insured not in group/plan identified; 79 Invalid participant identification
    80 No response received, transaction terminated; 97 Invalid or missing provider address
    98 Experimental service or procedure; AA Authorization number not found
    AE Requires primary care physician authorization; AF Invalid or missing diagnosis code(s)
    AG Invalid or missing procedure code(s); AO Additional patient condition information required
    CI Certification information does not match patient; E8 Requires medical review
    IA Invalid authorization number format; MA Missing authorization number; T4 Payer name or identifier missing
""")
FOLLOW_UP_ACTIONS = _table("""
    C Please correct and resubmit; N Resubmission not allowed; P Please resubmit original transaction
    R Resubmission allowed; S Do not resubmit, inquiry initiated to a third party
    W Please wait 30 days and resubmit; X Please wait 10 days and resubmit
    Y Do not resubmit, we will hand deliver or send the information
""")


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejection:
    """AAA: why the payer could not answer, at the loop where it said so (2000A, 2100A … 2110C, 2110D)."""

    loop: str
    valid: bool  # AAA01: Y the request was valid but could not be answered, N it was not valid
    reason_code: str  # AAA03
    follow_up_code: str  # AAA04

    @property
    def reason(self) -> str:
        return REJECT_REASONS.get(self.reason_code, f"reject reason {self.reason_code}")

    @property
    def follow_up(self) -> str:
        return FOLLOW_UP_ACTIONS.get(self.follow_up_code, f"follow-up action {self.follow_up_code}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Trace:
    """TRN: a trace number, 1 current (ours, in a 270) or 2 referenced (echoed in a 271), and who assigned it."""

    type_code: str = "1"
    number: str
    originator: str | None = None  # TRN03: "1" + EIN, or another id of the assigning organisation
    reference: str | None = None  # TRN04: a division or group of the originator


@dataclass(frozen=True, slots=True, kw_only=True)
class DatedEntry:
    """DTP: a date or a range with its qualifier (291 plan, 346 plan begin, 347 plan end, 307 eligibility …)."""

    qualifier: str
    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EligibilityInquiry:
    """One member's question in a 270: who (subscriber, dependent), for which services and date, traced by TRN."""

    provider: NamedEntity  # 2100B information receiver: NM1*1P or *FA with XX NPI
    subscriber: NamedEntity  # 2100C NM1*IL with MI member id
    subscriber_birth_date: date | None = None
    subscriber_sex: str | None = None  # DMG03 F, M, U
    dependent: NamedEntity | None = None  # 2100D NM1*03 when the patient is not the subscriber
    dependent_birth_date: date | None = None
    dependent_sex: str | None = None
    relationship: str | None = None  # INS02 of the patient's loop (18 self, 01 spouse, 19 child …)
    traces: tuple[Trace, ...]
    service_types: tuple[str, ...] = ("30",)  # EQ01: 30 health benefit plan coverage
    procedures: tuple[ProcedureCode, ...] = ()  # EQ02 when asking about a procedure instead
    dates: tuple[DatedEntry, ...] = ()  # DTP*291 date of service (or a range)

    @property
    def service_date(self) -> date | None:
        return next((d.start for d in self.dates if d.qualifier == "291"), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class EligibilityRequest:
    """A 270: the information source (payer) asked about one or more members."""

    reference: str  # BHT03
    created: date  # BHT04
    created_time: str = ""  # BHT05
    payer: NamedEntity  # 2100A NM1*PR
    inquiries: tuple[EligibilityInquiry, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Benefit:
    """One 2110C/D loop of a 271: an EB segment with what qualifies it (HSD, REF, DTP, AAA, MSG, 2120 entities)."""

    kind: BenefitKind  # EB01
    coverage_level: CoverageLevel | None = None  # EB02
    service_types: tuple[str, ...] = ()  # EB03 (repeats)
    insurance_type: str | None = None  # EB04
    plan_description: str | None = None  # EB05
    time_period: TimePeriod | None = None  # EB06
    amount_cents: int | None = None  # EB07
    percent: Decimal | None = None  # EB08 as a percent: .2 in the file is 20 here
    quantity_qualifier: str | None = None  # EB09
    quantity: Decimal | None = None  # EB10
    authorization: Authorization | None = None  # EB11
    network: Network | None = None  # EB12
    procedure: ProcedureCode | None = None  # EB13
    diagnosis_pointers: tuple[str, ...] = ()  # EB14
    delivery: tuple[tuple[str, ...], ...] = ()  # HSD elements as sent (visits per period and the like)
    references: tuple[Reference, ...] = ()
    dates: tuple[DatedEntry, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    messages: tuple[str, ...] = ()  # MSG01
    entities: tuple[NamedEntity, ...] = ()  # 2120: the other payer, primary care provider …


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberEligibility:
    """The payer's answer for one member (2000C subscriber, or 2000D dependent with its subscriber)."""

    provider: NamedEntity  # 2100B
    subscriber: NamedEntity
    subscriber_birth_date: date | None = None
    subscriber_sex: str | None = None
    dependent: NamedEntity | None = None
    dependent_birth_date: date | None = None
    dependent_sex: str | None = None
    relationship: str | None = None  # INS02
    traces: tuple[Trace, ...] = ()
    rejections: tuple[Rejection, ...] = ()  # AAA in 2100C / 2100D
    dates: tuple[DatedEntry, ...] = ()  # DTP in 2100C / 2100D (346 plan begin, 347 plan end …)
    benefits: tuple[Benefit, ...] = ()

    @property
    def patient(self) -> NamedEntity:
        return self.dependent or self.subscriber


@dataclass(frozen=True, slots=True, kw_only=True)
class ReceiverEligibility:
    """A 2000B information receiver (the provider) with its own AAA and the members answered for it."""

    receiver: NamedEntity
    rejections: tuple[Rejection, ...] = ()
    members: tuple[MemberEligibility, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EligibilityResponse:
    """A 271: the payer (2000A/2100A, with its AAA), and for each receiver the members' benefits."""

    reference: str
    created: date
    created_time: str = ""
    payer: NamedEntity
    rejections: tuple[Rejection, ...] = ()  # 2000A and 2100A
    receivers: tuple[ReceiverEligibility, ...] = ()

    def members(self) -> Iterator[MemberEligibility]:
        for r in self.receivers:
            yield from r.members


@dataclass(frozen=True, slots=True, kw_only=True)
class BenefitsRecord:
    """A member's 271 normalized: coverage status and dates, plan and group, and the cost shares per service type."""

    status: CoverageStatus
    plan_name: str | None
    group_number: str | None  # REF*6P of the member's loop
    plan_begin: date | None
    plan_end: date | None
    lines: tuple[tuple[str, Benefit], ...]  # each EB once per service type (EB03), "30" when it names none
    other_payers: tuple[NamedEntity, ...]  # 2120 of EB*R: possible coordination of benefits
    messages: tuple[str, ...]
    rejections: tuple[Rejection, ...]  # every level: payer, receiver, member, benefit

    def find(
        self,
        kind: BenefitKind,
        service_type: str = "30",
        network: Network = Network.IN,
        level: CoverageLevel = CoverageLevel.INDIVIDUAL,
        *,
        remaining: bool = False,
    ) -> Benefit | None:
        """The best EB: exact network and level first, then W (both) or unstated; remaining (EB06 29) or not."""
        best: tuple[int, Benefit] | None = None
        for code, b in self.lines:
            if b.kind is not kind or code != service_type or (b.time_period in _REMAINING) != remaining:
                continue
            if b.network not in (network, Network.BOTH, None) or b.coverage_level not in (level, None):
                continue
            score = (b.network is network) * 2 + (b.coverage_level is level)
            if best is None or score > best[0]:
                best = (score, b)
        return None if best is None else best[1]

    def copay_cents(self, service_type: str = "30", network: Network = Network.IN) -> int | None:
        return getattr(self.find(BenefitKind.COPAY, service_type, network), "amount_cents", None)

    def coinsurance_percent(self, service_type: str = "30", network: Network = Network.IN) -> Decimal | None:
        return getattr(self.find(BenefitKind.COINSURANCE, service_type, network), "percent", None)

    def deductible_cents(
        self, level: CoverageLevel = CoverageLevel.INDIVIDUAL, *, remaining: bool = False
    ) -> int | None:
        """The plan's deductible for its period (EB06 23 calendar year …), or what remains of it (EB06 29)."""
        found = self.find(BenefitKind.DEDUCTIBLE, "30", Network.IN, level, remaining=remaining)
        return None if found is None else found.amount_cents

    def out_of_pocket_cents(
        self, level: CoverageLevel = CoverageLevel.INDIVIDUAL, *, remaining: bool = False
    ) -> int | None:
        found = self.find(BenefitKind.OUT_OF_POCKET, "30", Network.IN, level, remaining=remaining)
        return None if found is None else found.amount_cents

    def authorization_required(self, service_type: str = "30") -> bool:
        return any(b.authorization is Authorization.REQUIRED for code, b in self.lines if code == service_type)


_REMAINING = (TimePeriod.REMAINING, TimePeriod.LIFETIME_REMAINING)


def benefits_record(member: MemberEligibility, response: EligibilityResponse | None = None) -> BenefitsRecord:
    """Normalize one member's answer; with the response, the payer's and receiver's AAA reasons are included."""
    rejections = list(response.rejections) if response else []
    if response:
        rejections += [x for r in response.receivers if member in r.members for x in r.rejections]
    rejections += [*member.rejections, *(x for b in member.benefits for x in b.rejections)]
    if any(b.kind.active for b in member.benefits):
        status = CoverageStatus.ACTIVE
    elif any(b.kind.inactive for b in member.benefits):
        status = CoverageStatus.INACTIVE
    else:
        status = CoverageStatus.REJECTED if rejections else CoverageStatus.UNKNOWN
    named = [b.plan_description for b in member.benefits if (b.kind.active or b.kind.inactive) and b.plan_description]
    plan_name = named[0] if named else None
    group = next((r for r in member.patient.references + member.subscriber.references if r.qualifier == "6P"), None)
    dates = {d.qualifier: d for d in member.dates}
    plan = dates.get("291") or dates.get("307")
    begin = dates.get("346") or dates.get("356") or plan
    end = dates.get("347") or dates.get("357")
    return BenefitsRecord(
        status=status,
        plan_name=plan_name,
        group_number=group.value if group else None,
        plan_begin=begin.start if begin else None,
        plan_end=end.start if end else (plan.end if plan else None),
        lines=tuple((code, b) for b in member.benefits for code in (b.service_types or ("30",))),
        other_payers=tuple(e for b in member.benefits if b.kind is BenefitKind.OTHER_PAYER for e in b.entities),
        messages=tuple(m for b in member.benefits for m in b.messages),
        rejections=tuple(rejections),
    )
