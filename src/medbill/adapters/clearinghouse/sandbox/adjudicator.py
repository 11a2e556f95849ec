"""One claim through the sandbox payer: denial rules, pricing, then ``domain.adjudication`` into an 835 claim payment."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from medbill.adapters.clearinghouse.sandbox.config import MemberPlan, SandboxPayer
from medbill.adapters.clearinghouse.sandbox.rules import (
    DUPLICATE,
    Denial,
    duplicate_key,
    eligibility_denial,
    line_fee,
    ncci_denials,
    service_date,
    timely_filing_denial,
)
from medbill.domain.adjudication import BenefitState, LineAdjudication, adjudicate_line_with_copay
from medbill.domain.claims import Claim, ClaimFrequency, EntityType, NamedEntity, ProcedureCode
from medbill.domain.claims import LineAdjudication as OtherPayerLine
from medbill.domain.remittance import (
    Adjustment,
    AdjustmentGroup,
    Amount,
    ClaimPayment,
    ClaimStatus,
    DateEntry,
    Remark,
    ServicePayment,
)

_CLAIM_STATUS = {"P": ClaimStatus.PRIMARY, "S": ClaimStatus.SECONDARY, "T": ClaimStatus.TERTIARY}


@dataclass(slots=True)
class SandboxState:
    """What the sandbox payer remembers between files: each member's benefits used so far, and lines already seen."""

    benefits: dict[str, list[int | None]] = field(default_factory=dict)  # payer|member → [deductible, oop] remaining
    seen: set[str] = field(default_factory=set)  # duplicate keys of lines adjudicated before
    interchanges: int = 0  # answers written so far: the next control numbers
    claims: dict[str, list[str | int]] = field(default_factory=dict)  # payer|CLM01 → what a 276 is told (status.py)

    def benefit_state(self, payer: SandboxPayer, member_id: str, plan: MemberPlan) -> BenefitState:
        used = self.benefits.get(f"{payer.payer_id}|{member_id}")
        deductible, oop = (
            (plan.deductible_remaining_cents, plan.out_of_pocket_remaining_cents) if used is None else used
        )
        return BenefitState(
            deductible_remaining_cents=int(deductible or 0),
            coinsurance_percent=plan.coinsurance_percent,
            out_of_pocket_remaining_cents=oop,
        )

    def keep(self, payer: SandboxPayer, member_id: str, state: BenefitState) -> None:
        key = f"{payer.payer_id}|{member_id}"
        self.benefits[key] = [state.deductible_remaining_cents, state.out_of_pocket_remaining_cents]

    def dumps(self) -> str:
        body = {"benefits": self.benefits, "seen": sorted(self.seen), "interchanges": self.interchanges}
        if self.claims:
            body["claims"] = self.claims
        return json.dumps(body, indent=1, sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> SandboxState:
        raw = json.loads(text)
        return cls(
            benefits=dict(raw["benefits"]),
            seen=set(raw["seen"]),
            interchanges=int(raw["interchanges"]),
            claims=dict(raw.get("claims", {})),
        )


def _procedure(line_proc: ProcedureCode | None, revenue_code: str | None) -> ProcedureCode:
    if line_proc is not None:
        return ProcedureCode(qualifier=line_proc.qualifier, code=line_proc.code, modifiers=line_proc.modifiers)
    return ProcedureCode(qualifier="NU", code=revenue_code or "0001")


def _paid_line(base: ServicePayment, result: LineAdjudication) -> ServicePayment:
    cas: list[Adjustment] = []
    if result.contractual_cents:
        cas.append(Adjustment(group=AdjustmentGroup.CONTRACTUAL, carc="45", amount_cents=result.contractual_cents))
    for carc, amount in (("1", result.deductible_cents), ("2", result.coinsurance_cents), ("3", result.copay_cents)):
        if amount:
            cas.append(Adjustment(group=AdjustmentGroup.PATIENT_RESPONSIBILITY, carc=carc, amount_cents=amount))
    return ServicePayment(
        procedure=base.procedure,
        charge_cents=base.charge_cents,
        paid_cents=result.paid_cents,
        revenue_code=base.revenue_code,
        units_paid=base.units_paid,
        dates=base.dates,
        adjustments=tuple(cas),
        line_control_number=base.line_control_number,
        amounts=(Amount(qualifier="B6", amount_cents=result.allowed_cents),),
    )


def _secondary_line(
    base: ServicePayment, result: LineAdjudication, prior: tuple[OtherPayerLine, ...]
) -> ServicePayment:
    """Coordination of benefits as a secondary payer (non-duplication): of what the earlier payers left to the patient,
    pay at most what this plan would have paid as primary; the patient keeps the rest as coinsurance; everything
    the earlier payers paid or adjusted is CARC 23 (the impact of prior payer adjudication)."""
    left_to_patient = sum(
        a.amount_cents for adj in prior for a in adj.adjustments if a.group == AdjustmentGroup.PATIENT_RESPONSIBILITY
    )
    paid = min(result.paid_cents, left_to_patient)
    still_owed = left_to_patient - paid
    cas = [Adjustment(group=AdjustmentGroup.OTHER, carc="23", amount_cents=base.charge_cents - left_to_patient)]
    if still_owed:
        cas.append(Adjustment(group=AdjustmentGroup.PATIENT_RESPONSIBILITY, carc="2", amount_cents=still_owed))
    return ServicePayment(
        procedure=base.procedure,
        charge_cents=base.charge_cents,
        paid_cents=paid,
        revenue_code=base.revenue_code,
        units_paid=base.units_paid,
        dates=base.dates,
        adjustments=tuple(a for a in cas if a.amount_cents),
        line_control_number=base.line_control_number,
    )


def _denied_line(base: ServicePayment, denial: Denial) -> ServicePayment:
    return ServicePayment(
        procedure=base.procedure,
        charge_cents=base.charge_cents,
        paid_cents=0,
        revenue_code=base.revenue_code,
        units_paid=base.units_paid,
        dates=base.dates,
        adjustments=(Adjustment(group=denial.group, carc=denial.carc, amount_cents=base.charge_cents),),
        line_control_number=base.line_control_number,
        remarks=(Remark(qualifier="HE", code=denial.rarc),) if denial.rarc else (),
    )


def adjudicate(
    claim: Claim,
    payer: SandboxPayer,
    plan: MemberPlan,
    state: SandboxState,
    *,
    received: date,
    payer_claim_number: str,
) -> ClaimPayment:
    """The 835 claim payment for one accepted claim; ``state`` is updated with the benefits it used."""
    member_id = claim.subscriber.subscriber.identifier or ""
    denials: dict[int, Denial] = {}
    fees: dict[int, int] = {}
    keys: dict[int, str] = {}
    for i, line in enumerate(claim.lines):
        dos = service_date(claim, line)
        keys[i] = duplicate_key(payer, member_id, claim, line)
        found = eligibility_denial(plan, dos) or timely_filing_denial(payer, dos, received)
        if found is None and claim.frequency is ClaimFrequency.ORIGINAL and keys[i] in state.seen:
            found = DUPLICATE
        fee = line_fee(payer, claim, line) if found is None else found
        if isinstance(fee, Denial):
            denials[i] = fee
        else:
            fees[i] = fee
    denials.update(ncci_denials(claim, sorted(fees)))
    benefits = state.benefit_state(payer, member_id, plan)
    charged_families: set[str] = set()
    lines: list[ServicePayment] = []
    for i, line in enumerate(claim.lines):
        dos = service_date(claim, line)
        base = ServicePayment(
            procedure=_procedure(line.procedure, line.revenue_code),
            charge_cents=line.charge_cents,
            paid_cents=0,
            revenue_code=line.revenue_code if line.procedure is not None else None,
            units_paid=Decimal(line.units),
            dates=(DateEntry(qualifier="472", date=dos),) if dos else (),
            line_control_number=line.line_control_number,
        )
        if i in denials:
            lines.append(_denied_line(base, denials[i]))
            continue
        copay: int | None = None
        family = payer.copay_family(line.procedure.code) if line.procedure and plan.copays else None
        if family is not None and family.family not in charged_families:
            charged_families.add(family.family)
            copay = family.copay_cents
        result, benefits = adjudicate_line_with_copay(line.charge_cents, fees[i], benefits, copay)
        prior = line.other_payer_adjudications
        lines.append(_paid_line(base, result) if not prior else _secondary_line(base, result, prior))
        state.seen.add(keys[i])
    state.keep(payer, member_id, benefits)
    return _claim_payment(claim, payer_claim_number, received, lines, denials, payer.filing_indicator)


def _claim_payment(
    claim: Claim,
    number: str,
    received: date,
    lines: list[ServicePayment],
    denials: dict[int, Denial],
    filing_indicator: str,
) -> ClaimPayment:
    paid = sum(x.paid_cents for x in lines)
    patient = sum(
        a.amount_cents for x in lines for a in x.adjustments if a.group is AdjustmentGroup.PATIENT_RESPONSIBILITY
    )
    all_denied = len(denials) == len(lines)
    remarks = sorted({d.claim_remark for d in denials.values() if d.claim_remark})
    sub = claim.subscriber.subscriber
    person = claim.patient.person if claim.patient is not None else sub
    patient_entity = NamedEntity(
        role="QC",
        entity_type=EntityType.PERSON,
        name=person.name,
        first_name=person.first_name,
        middle_name=person.middle_name,
        id_qualifier="MI" if sub.identifier else None,
        identifier=sub.identifier,
    )
    return ClaimPayment(
        claim_id=claim.patient_control_number,
        status=ClaimStatus.DENIED
        if all_denied
        else _CLAIM_STATUS.get(claim.subscriber.responsibility, ClaimStatus.PRIMARY),
        charge_cents=sum(x.charge_cents for x in lines),
        paid_cents=paid,
        patient_responsibility_cents=patient,
        filing_indicator=filing_indicator,
        payer_claim_number=number,
        facility_type=claim.facility_code,
        frequency=claim.frequency.value,
        entities=(patient_entity,),
        outpatient=("", "", *remarks[:5]) if remarks else (),
        dates=(DateEntry(qualifier="050", date=received),),
        lines=tuple(lines),
    )
