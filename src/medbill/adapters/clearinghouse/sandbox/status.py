"""The sandbox payer's claim status answers: what it remembers of each claim, and a 277 for each 276 asked.

The payer remembers every claim it took into adjudication (``SandboxState.claims``, keyed ``payer|CLM01``): pended
for review, or finalized (paid, paid nothing, denied) with its amounts, the adjudication date and the check trace of
its 835. A 276 query is matched on the payer and the claim's CLM01 (REF*EJ, else its TRN02) and answered (STC):

- ``P2:46`` pending/payer review (internal review/audit): accepted, held back from the 835;
- ``F1:65`` finalized/payment, with the charge, the payment, the adjudication date, method, check date and number;
- ``F0:104`` finalized with no payment (processed according to plan provisions: the deductible took it all);
- ``F2:1`` finalized/denial (see the remittance advice);
- ``A4:35`` not found: a claim the payer never took in (rejected by the 277CA, or never sent).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from medbill.adapters.clearinghouse.sandbox.adjudicator import SandboxState
from medbill.domain.acknowledgements import (
    ClaimAcknowledgement,
    ClaimStatusQuery,
    ClaimStatusReport,
    ClaimStatusRequest,
    StatusInfo,
)
from medbill.domain.claims import Claim, NamedEntity
from medbill.domain.remittance import ClaimPayment
from medbill.domain.remittance import ClaimStatus as Clp

PENDED = "pended"
PAID = "paid"
FINALIZED = "finalized"  # adjudicated, nothing paid, not denied
DENIED = "denied"


@dataclass(frozen=True, slots=True, kw_only=True)
class KnownClaim:
    """One claim as the sandbox payer remembers it."""

    outcome: str  # pended, paid, finalized, denied
    charge_cents: int
    paid_cents: int
    payer_claim_number: str
    on: date  # received (pended) or adjudicated
    check: str = ""  # the 835's TRN02 (BPR/TRN check or EFT trace) that paid it

    def dump(self) -> list[str | int]:
        return [
            self.outcome,
            self.charge_cents,
            self.paid_cents,
            self.payer_claim_number,
            self.on.isoformat(),
            self.check,
        ]

    @classmethod
    def load(cls, row: list[str | int]) -> KnownClaim:
        outcome, charge, paid, number, on, check = row
        return cls(
            outcome=str(outcome),
            charge_cents=int(charge),
            paid_cents=int(paid),
            payer_claim_number=str(number),
            on=date.fromisoformat(str(on)),
            check=str(check),
        )


def _key(payer_id: str, claim_id: str) -> str:
    return f"{payer_id}|{claim_id}"


def remember_pended(state: SandboxState, payer_id: str, claim: Claim, number: str, on: date) -> None:
    known = KnownClaim(
        outcome=PENDED, charge_cents=claim.total_charge_cents, paid_cents=0, payer_claim_number=number, on=on
    )
    state.claims[_key(payer_id, claim.patient_control_number)] = known.dump()


def remember_adjudicated(state: SandboxState, payer_id: str, payment: ClaimPayment, on: date, check: str) -> None:
    outcome = DENIED if payment.status is Clp.DENIED else PAID if payment.paid_cents else FINALIZED
    known = KnownClaim(
        outcome=outcome,
        charge_cents=payment.charge_cents,
        paid_cents=payment.paid_cents,
        payer_claim_number=payment.payer_claim_number or "",
        on=on,
        check=check if payment.paid_cents else "",
    )
    state.claims[_key(payer_id, payment.claim_id)] = known.dump()


def known_claim(state: SandboxState, payer_id: str, claim_id: str) -> KnownClaim | None:
    row = state.claims.get(_key(payer_id, claim_id))
    return KnownClaim.load(row) if row is not None else None


def claim_status(known: KnownClaim | None, asked_charge_cents: int | None) -> StatusInfo:
    """The STC for one claim as the payer knows it (None: not found)."""
    if known is None:
        return StatusInfo(category="A4", code="35", amount_cents=asked_charge_cents or 0)
    if known.outcome == PENDED:
        return StatusInfo(category="P2", code="46", effective_date=known.on, amount_cents=known.charge_cents)
    day = known.on.strftime("%Y%m%d")
    if known.outcome == PAID:
        return StatusInfo(
            category="F1",
            code="65",
            effective_date=known.on,
            amount_cents=known.charge_cents,
            paid_cents=known.paid_cents,
            payment=(day, "CHK", day, known.check),
        )
    if known.outcome == DENIED:
        return StatusInfo(
            category="F2", code="1", effective_date=known.on, amount_cents=known.charge_cents, paid_cents=0
        )
    return StatusInfo(category="F0", code="104", effective_date=known.on, amount_cents=known.charge_cents, paid_cents=0)


def _report(query: ClaimStatusQuery, status: StatusInfo, known: KnownClaim | None) -> ClaimStatusReport:
    dependent = query.patient is not None
    subscriber = replace(query.subscriber, role="IL")
    return ClaimStatusReport(
        claim_id=query.trace,
        billing_provider=query.provider,
        patient=replace(query.patient, role="QC") if query.patient is not None else subscriber,
        subscriber=subscriber if dependent else None,
        patient_account_number=query.patient_account_number,
        statuses=(status,),
        payer_claim_number=known.payer_claim_number if known is not None else query.payer_claim_number,
        bill_type=query.bill_type,
        service_date=query.service_date,
        service_date_end=query.service_date_end,
    )


def answer_request(
    request: ClaimStatusRequest,
    state: SandboxState,
    now: datetime,
    *,
    source: NamedEntity,
    reference: str,
) -> ClaimAcknowledgement:
    """The 277 for one 276: every query answered from what the payer remembers (``source`` is the payer)."""
    payer_id = request.payer.identifier or ""
    claims: list[ClaimStatusReport] = []
    for query in request.queries:
        claim_id = query.patient_account_number or query.trace
        known = known_claim(state, payer_id, claim_id)
        claims.append(_report(query, claim_status(known, query.charge_cents), known))
    return ClaimAcknowledgement(
        source=source,
        receiver=request.receiver,
        reference=reference,
        created=now.date(),
        created_time=now.strftime("%H%M"),
        claims=tuple(claims),
    )
