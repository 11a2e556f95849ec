"""Adjudication math: how an allowed amount splits into payer payment, deductible, copay, coinsurance and write-off.

One function serves the sandbox payer (to compute the 835 it answers with) and the patient estimate before a
visit, so what we promise a patient is what a payer following these benefits would pay. Rate math is Decimal,
rounded once to the cent, half up; the identity ``charge = paid + contractual + deductible + coinsurance + copay``
holds for every line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from medbill.domain.money import Money


@dataclass(frozen=True, slots=True, kw_only=True)
class BenefitState:
    """What remains of the member's benefits before a claim: the running totals adjudication consumes."""

    deductible_remaining_cents: int = 0
    coinsurance_percent: Decimal = Decimal(0)  # the member's share after the deductible, 20 → 20 %
    copay_cents: int = 0  # per visit, taken on the line the payer applies it to
    out_of_pocket_remaining_cents: int | None = None  # None: no out-of-pocket maximum


@dataclass(frozen=True, slots=True, kw_only=True)
class LineAdjudication:
    charge_cents: int
    allowed_cents: int
    contractual_cents: int  # CO-45: charge above the allowed amount, written off
    deductible_cents: int  # PR-1
    coinsurance_cents: int  # PR-2
    copay_cents: int  # PR-3
    paid_cents: int

    @property
    def patient_responsibility_cents(self) -> int:
        return self.deductible_cents + self.coinsurance_cents + self.copay_cents


def adjudicate_line(
    charge_cents: int, fee_cents: int, state: BenefitState, *, apply_copay: bool
) -> tuple[LineAdjudication, BenefitState]:
    """Adjudicate one covered line; returns the split and the benefits that remain for the next line.

    The allowed amount is the lesser of the charge and the fee schedule amount. The copay comes first (on the
    line it applies to), then the deductible, then coinsurance on what is left; the member's total is capped by
    the out-of-pocket maximum remaining.
    """
    if charge_cents < 0 or fee_cents < 0:
        raise ValueError("charges and fees are not negative")
    allowed = min(charge_cents, fee_cents)
    left = allowed
    copay = min(state.copay_cents, left) if apply_copay else 0
    left -= copay
    deductible = min(state.deductible_remaining_cents, left)
    left -= deductible
    coinsurance = Money(left).percent(state.coinsurance_percent).cents
    copay, deductible, coinsurance = _cap(copay, deductible, coinsurance, state.out_of_pocket_remaining_cents)
    patient = copay + deductible + coinsurance
    line = LineAdjudication(
        charge_cents=charge_cents,
        allowed_cents=allowed,
        contractual_cents=charge_cents - allowed,
        deductible_cents=deductible,
        coinsurance_cents=coinsurance,
        copay_cents=copay,
        paid_cents=allowed - patient,
    )
    oop = state.out_of_pocket_remaining_cents
    after = replace(
        state,
        deductible_remaining_cents=state.deductible_remaining_cents - deductible,
        copay_cents=0 if apply_copay else state.copay_cents,
        out_of_pocket_remaining_cents=None if oop is None else oop - patient,
    )
    return line, after


def _cap(copay: int, deductible: int, coinsurance: int, limit: int | None) -> tuple[int, int, int]:
    """Trim the member's shares to the out-of-pocket remaining, coinsurance first, then deductible, then copay."""
    if limit is None or copay + deductible + coinsurance <= limit:
        return copay, deductible, coinsurance
    over = copay + deductible + coinsurance - max(limit, 0)
    trimmed = []
    for share in (coinsurance, deductible, copay):
        cut = min(share, over)
        trimmed.append(share - cut)
        over -= cut
    return trimmed[2], trimmed[1], trimmed[0]


def adjudicate_claim(
    lines: Sequence[tuple[int, int]], state: BenefitState, *, copay_line: int | None = 0
) -> tuple[list[LineAdjudication], BenefitState]:
    """Adjudicate (charge, fee) lines in order, threading the benefits through; the copay goes on ``copay_line``."""
    results: list[LineAdjudication] = []
    for index, (charge, fee) in enumerate(lines):
        line, state = adjudicate_line(charge, fee, state, apply_copay=index == copay_line)
        results.append(line)
    return results, state


def adjudicate_line_with_copay(
    charge_cents: int, fee_cents: int, state: BenefitState, copay_cents: int | None
) -> tuple[LineAdjudication, BenefitState]:
    """Adjudicate one covered line whose copay is its own (by visit type or code family), not the state's.

    ``copay_cents`` None: no copay on this line. The state's own ``copay_cents`` is left as it was, so a payer (or an
    estimate) can charge one copay per visit type and thread the deductible and out-of-pocket through every line.
    """
    if copay_cents is None:
        return adjudicate_line(charge_cents, fee_cents, state, apply_copay=False)
    line, after = adjudicate_line(charge_cents, fee_cents, replace(state, copay_cents=copay_cents), apply_copay=True)
    return line, replace(after, copay_cents=state.copay_cents)
