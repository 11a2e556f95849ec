"""What a payer's adjudication means for the claim: paid, partly paid, denied or reversed as a biller means it, the
claim's state moves that follow, and the denial's reasons in words (CARC and RARC descriptions)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from medbill.codesets import reference
from medbill.domain.claim_states import ClaimEvent, ClaimStatus, ClaimTransition, allowed_events, next_status
from medbill.domain.posting import PostingTarget, line_denied
from medbill.domain.remittance import AdjustmentGroup, ClaimPayment, ServicePayment
from medbill.domain.remittance import ClaimStatus as RemitStatus


def _words(group: str, carc: str, remarks: Iterable[str] = ()) -> str:
    found = reference.carc().get(carc)
    text = f"{group}-{carc}" + (f": {found.description}" if found else "")
    for code in remarks:
        remark = reference.rarc().get(code)
        text += f"; {code}" + (f": {remark.description}" if remark else "")
    return text


def denial_reason(payment: ClaimPayment, lines: Sequence[ServicePayment] = ()) -> str:
    """Why the payer refused, in words: each CARC (and RARC) once, claim level first."""
    seen: dict[str, str] = {}
    for adjustment in payment.adjustments:
        key = f"{adjustment.group.value}-{adjustment.carc}"
        seen.setdefault(key, _words(adjustment.group.value, adjustment.carc))
    for line in lines or payment.lines:
        for adjustment in line.adjustments:
            if adjustment.group is AdjustmentGroup.PATIENT_RESPONSIBILITY:
                continue
            key = f"{adjustment.group.value}-{adjustment.carc}"
            seen.setdefault(key, _words(adjustment.group.value, adjustment.carc, (r.code for r in line.remarks)))
    return " | ".join(seen.values()) or "denied with no reason code"


def adjudication_event(payment: ClaimPayment) -> ClaimEvent:
    """Paid, partly paid or denied, as a biller means it: a claim whose allowed amount went to the deductible is
    paid (the patient owes it), not denied; a claim with some lines refused is partly paid."""
    if payment.status is RemitStatus.REVERSAL:
        return ClaimEvent.REVERSE
    if payment.status is RemitStatus.DENIED:
        return ClaimEvent.DENY
    lines = payment.lines
    if lines and all(line_denied(line) for line in lines):
        return ClaimEvent.DENY
    if not lines and payment.paid_cents == 0 and not payment.patient_responsibility_cents:
        return ClaimEvent.DENY
    if any(line_denied(line) for line in lines):
        return ClaimEvent.PAY_PARTIALLY
    return ClaimEvent.PAY


def claim_moves(
    target: PostingTarget, payment: ClaimPayment, *, at: datetime, actor: str, trace: str
) -> list[ClaimTransition]:
    """The claim's status moves for this adjudication (accepted first when the 277CA never came)."""
    event = adjudication_event(payment)
    status = target.status
    if event not in allowed_events(status):
        return []
    moves: list[ClaimTransition] = []
    if status is ClaimStatus.SUBMITTED and event is not ClaimEvent.REVERSE:
        moves.append(
            ClaimTransition(
                claim_id=target.claim_id,
                event=ClaimEvent.ACCEPT,
                from_status=status,
                to_status=ClaimStatus.ACCEPTED,
                at=at,
                actor=actor,
                reason="835 received: adjudicated",
            )
        )
        status = ClaimStatus.ACCEPTED
    moves.append(
        ClaimTransition(
            claim_id=target.claim_id,
            event=event,
            from_status=status,
            to_status=next_status(status, event),
            at=at,
            actor=actor,
            reason=f"835 trace {trace}: paid {payment.paid_cents} of {payment.charge_cents} cents",
        )
    )
    return moves
