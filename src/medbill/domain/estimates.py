"""A patient's estimate before the visit: each planned service priced, adjudicated by the primary plan and then
the secondary, with what the patient is expected to pay today and in all, line by line with the reason.

The same `adjudication` math the sandbox payer uses does the work, so an estimate and an adjudication that
follow the same benefits agree to the cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from medbill.domain.adjudication import BenefitState, adjudicate_line_with_copay


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedLine:
    procedure_code: str
    modifiers: tuple[str, ...]
    units: int
    charge_cents: int  # the practice's charge for the line
    allowed_cents: int  # what the primary plan is expected to allow
    allowed_source: str  # "Acme contract", "Medicare PFS 2026, locality 13202-01", "charge (self-pay)"
    takes_copay: bool = False  # the visit's copay is collected on this line


@dataclass(frozen=True, slots=True, kw_only=True)
class EstimatedLine:
    line: PlannedLine
    primary_paid_cents: int
    secondary_paid_cents: int
    contractual_cents: int
    deductible_cents: int
    coinsurance_cents: int
    copay_cents: int
    patient_cents: int
    reason: str

    @property
    def insurance_cents(self) -> int:
        return self.primary_paid_cents + self.secondary_paid_cents


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    lines: tuple[EstimatedLine, ...]
    self_pay: bool
    prior_balance_cents: int
    credits_cents: int

    @property
    def charges_cents(self) -> int:
        return sum(x.line.charge_cents for x in self.lines)

    @property
    def insurance_cents(self) -> int:
        return sum(x.insurance_cents for x in self.lines)

    @property
    def patient_visit_cents(self) -> int:
        return sum(x.patient_cents for x in self.lines)

    @property
    def due_today_cents(self) -> int:
        """Collected at check-in: the copays, plus the prior balance net of credits."""
        return max(0, sum(x.copay_cents for x in self.lines) + self.prior_balance_cents - self.credits_cents)

    @property
    def patient_total_cents(self) -> int:
        return max(0, self.patient_visit_cents + self.prior_balance_cents - self.credits_cents)


def _why(contractual: int, deductible: int, coinsurance: int, copay: int, secondary: int, percent: str) -> str:
    parts = []
    if copay:
        parts.append("copay")
    if deductible:
        parts.append("deductible not yet met")
    if coinsurance:
        parts.append(f"{percent}% coinsurance after the deductible")
    if secondary:
        parts.append("secondary plan expected to pick up part of the patient's share")
    if not (copay or deductible or coinsurance):
        parts.append("covered in full after the plan's allowed amount")
    if contractual:
        parts.append("the difference between charge and allowed amount is written off")
    return "; ".join(parts)


def estimate_visit(
    lines: Sequence[PlannedLine],
    primary: BenefitState | None,
    *,
    visit_copay_cents: int = 0,
    secondary: BenefitState | None = None,
    prior_balance_cents: int = 0,
    credits_cents: int = 0,
) -> tuple[Estimate, BenefitState | None]:
    """Adjudicate the planned lines: primary first, then the secondary on the patient's share of each line.

    ``primary`` None means no active coverage: the patient pays the charges (a good-faith estimate).
    """
    out: list[EstimatedLine] = []
    if primary is None:
        for line in lines:
            out.append(
                EstimatedLine(
                    line=line,
                    primary_paid_cents=0,
                    secondary_paid_cents=0,
                    contractual_cents=0,
                    deductible_cents=0,
                    coinsurance_cents=0,
                    copay_cents=0,
                    patient_cents=line.charge_cents,
                    reason="no active coverage: self-pay",
                )
            )
        return Estimate(
            lines=tuple(out), self_pay=True, prior_balance_cents=prior_balance_cents, credits_cents=credits_cents
        ), None
    state = primary
    second = secondary
    for line in lines:
        first, state = adjudicate_line_with_copay(
            line.charge_cents, line.allowed_cents, state, visit_copay_cents if line.takes_copay else None
        )
        patient_share = first.patient_responsibility_cents
        secondary_paid = 0
        deductible, coinsurance, copay = first.deductible_cents, first.coinsurance_cents, first.copay_cents
        if second is not None and patient_share:
            # The secondary allows what the primary left to the patient and applies its own benefits to it.
            picked, second = adjudicate_line_with_copay(patient_share, patient_share, second, None)
            secondary_paid = picked.paid_cents
            remaining = picked.patient_responsibility_cents
            deductible, coinsurance, copay = _shrink((deductible, coinsurance, copay), remaining)
        out.append(
            EstimatedLine(
                line=line,
                primary_paid_cents=first.paid_cents,
                secondary_paid_cents=secondary_paid,
                contractual_cents=first.contractual_cents,
                deductible_cents=deductible,
                coinsurance_cents=coinsurance,
                copay_cents=copay,
                patient_cents=deductible + coinsurance + copay,
                reason=_why(
                    first.contractual_cents,
                    deductible,
                    coinsurance,
                    copay,
                    secondary_paid,
                    f"{primary.coinsurance_percent.normalize():f}",
                ),
            )
        )
    return Estimate(
        lines=tuple(out), self_pay=False, prior_balance_cents=prior_balance_cents, credits_cents=credits_cents
    ), state


def _shrink(shares: tuple[int, int, int], total: int) -> tuple[int, int, int]:
    """Keep ``total`` of the (deductible, coinsurance, copay) shares, taking the secondary's payment off the
    deductible and coinsurance first: a copay usually stays with the patient."""
    deductible, coinsurance, copay = shares
    paid = deductible + coinsurance + copay - total
    for_deductible = min(paid, deductible)
    deductible -= for_deductible
    paid -= for_deductible
    for_coinsurance = min(paid, coinsurance)
    coinsurance -= for_coinsurance
    paid -= for_coinsurance
    return deductible, coinsurance, copay - paid


def with_remaining(
    state: BenefitState,
    *,
    deductible_remaining_cents: int | None = None,
    out_of_pocket_remaining_cents: int | None = None,
) -> BenefitState:
    """Benefits as the latest eligibility answer reports them (remaining amounts replace the recorded ones)."""
    if deductible_remaining_cents is not None:
        state = replace(state, deductible_remaining_cents=deductible_remaining_cents)
    if out_of_pocket_remaining_cents is not None:
        state = replace(state, out_of_pocket_remaining_cents=out_of_pocket_remaining_cents)
    return state
