"""Sending built 837 batches to a clearinghouse, and letting its answers (999, 277CA, 835) move claims by themselves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from medbill.codesets import reference
from medbill.domain.acknowledgements import ClaimAcknowledgement, FunctionalAcknowledgement
from medbill.domain.claim_records import BatchStatus, ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimStatus, allowed_events
from medbill.domain.errors import FormatError
from medbill.domain.remittance import AdjustmentGroup, ClaimPayment, Remittance, ServicePayment
from medbill.domain.remittance import ClaimStatus as RemitStatus
from medbill.domain.users import Actor, Permission
from medbill.formats import x12
from medbill.services import clearinghouse as mailbox
from medbill.services.base import Deps
from medbill.services.claims import store_transition
from medbill.services.ports import ClaimQuery, Clearinghouse, UnitOfWork


@dataclass(frozen=True, slots=True)
class SentBatch:
    batch_id: str
    file_name: str
    claims: int


@dataclass(slots=True)
class Ingested:
    """What one poll brought in and did: files by kind, and claim moves by event."""

    files: dict[str, int] = field(default_factory=dict)
    moves: dict[str, int] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)  # CLM01s an answer named that we do not know
    problems: list[str] = field(default_factory=list)  # files that could not be read, with the reason


def send_batches(deps: Deps, actor: Actor, clearinghouse: Clearinghouse) -> list[SentBatch]:
    """Send every built batch not yet sent; its claims move queued → submitted once the file is delivered."""
    actor.require(Permission.CLAIMS_SUBMIT)
    with deps.uow() as uow:
        waiting = [b for b in uow.claim_batches.list(actor.practice_id, limit=10_000) if b.status is BatchStatus.BUILT]
        contents = {b.id: uow.claim_batches.content(actor.practice_id, b.id) for b in waiting}
    sent: list[SentBatch] = []
    for batch in sorted(waiting, key=lambda b: b.created_at):
        file = mailbox.send_file(deps, actor, clearinghouse, batch.file_name, contents[batch.id], kind=batch.kind.value)
        with deps.uow() as uow:
            uow.claim_batches.mark_sent(actor.practice_id, batch.id, file.id)
            claims = [c for c in _claims(uow, actor, (ClaimStatus.QUEUED,)) if c.batch_id == batch.id]
            for claim in claims:
                _move(uow, deps, actor, claim, ClaimEvent.SUBMIT, f"sent in {batch.file_name} to {clearinghouse.name}")
            uow.commit()
        sent.append(SentBatch(batch.id, batch.file_name, len(claims)))
    return sent


def _claims(uow: UnitOfWork, actor: Actor, statuses: tuple[ClaimStatus, ...]) -> Sequence[ClaimRecord]:
    return uow.claims.find(actor.practice_id, ClaimQuery(statuses=statuses, limit=100_000))


def _move(
    uow: UnitOfWork, deps: Deps, actor: Actor, claim: ClaimRecord, event: ClaimEvent, reason: str, **changes: object
) -> ClaimRecord:
    moved, transition = claim.moved(event, at=deps.clock.now(), actor=actor.username, reason=reason[:200])
    if changes:
        moved = replace(moved, **changes)  # type: ignore[arg-type]
    store_transition(uow, deps, actor, moved, transition)
    return moved


def _words(category: str, code: str) -> str:
    found_category = reference.claim_status_categories().get(category)
    found_code = reference.claim_statuses().get(code)
    parts = [f"{category}:{code}"]
    if found_category:
        parts.append(found_category.description)
    if found_code:
        parts.append(found_code.description)
    return " — ".join(parts)


def ingest_answers(deps: Deps, actor: Actor, clearinghouse: Clearinghouse) -> Ingested:
    """Poll the mailbox; every new 999, 277CA and 835 moves the claims it names (matched on CLM01)."""
    report = Ingested()
    for archived in mailbox.poll(deps, actor, clearinghouse):
        try:
            transactions = x12.read(archived.content)
        except FormatError as exc:
            report.problems.append(f"{archived.file.remote_name}: {exc.message}")
            continue
        for transaction in transactions:
            kind = transaction.type.value
            report.files[kind] = report.files.get(kind, 0) + 1
            with deps.uow() as uow:
                document = transaction.document
                if isinstance(document, FunctionalAcknowledgement):
                    _apply_999(uow, deps, actor, document, report)
                elif isinstance(document, ClaimAcknowledgement):
                    _apply_277ca(uow, deps, actor, document, report)
                elif isinstance(document, Remittance):
                    _apply_835(uow, deps, actor, document, report)
                uow.commit()
    return report


def _count(report: Ingested, event: ClaimEvent) -> None:
    report.moves[event.value] = report.moves.get(event.value, 0) + 1


def _apply_999(uow: UnitOfWork, deps: Deps, actor: Actor, ack: FunctionalAcknowledgement, report: Ingested) -> None:
    """A rejected transaction set rejects every claim of the batch whose group control number it names."""
    rejected = [r for r in ack.responses if r.code.value in ("R", "M", "W", "X")]
    if not rejected and ack.code.value not in ("R", "M", "W", "X"):
        return
    batches = [
        b
        for b in uow.claim_batches.list(actor.practice_id, limit=10_000)
        if str(b.group_control_number) == ack.group_control_number.lstrip("0")
        or str(b.group_control_number) == ack.group_control_number
    ]
    why = "; ".join(
        f"segment {s.segment_id} at {s.position} error {s.error_code}" for r in rejected for s in r.segments
    )
    for batch in batches:
        for claim in _claims(uow, actor, (ClaimStatus.SUBMITTED,)):
            if claim.batch_id == batch.id:
                _move(uow, deps, actor, claim, ClaimEvent.REJECT, f"999 rejected the file: {why or 'syntax errors'}")
                _count(report, ClaimEvent.REJECT)


def _apply_277ca(uow: UnitOfWork, deps: Deps, actor: Actor, ack: ClaimAcknowledgement, report: Ingested) -> None:
    for status in ack.claims:
        claim = uow.claims.by_control_number(actor.practice_id, status.claim_id)
        if claim is None:
            report.unmatched.append(status.claim_id)
            continue
        first = status.statuses[0] if status.statuses else None
        reason = _words(first.category, first.code) if first else "no status given"
        event = ClaimEvent.REJECT if not status.accepted else ClaimEvent.ACCEPT
        if event in allowed_events(claim.status):
            number = status.payer_claim_number or claim.payer_claim_number
            _move(uow, deps, actor, claim, event, f"277CA {reason}", payer_claim_number=number)
            _count(report, event)


def _line_denied(line: ServicePayment) -> bool:
    """Nothing paid and nothing left to the patient: the payer refused the line (CO/OA/PI reasons only)."""
    patient = sum(a.amount_cents for a in line.adjustments if a.group is AdjustmentGroup.PATIENT_RESPONSIBILITY)
    return line.paid_cents == 0 and patient == 0


def adjudication_event(payment: ClaimPayment) -> ClaimEvent:
    """Paid, partly paid or denied, as a biller means it: a claim whose allowed amount went to the deductible is
    paid (the patient owes it), not denied; a claim with some lines refused is partly paid."""
    if payment.status is RemitStatus.REVERSAL:
        return ClaimEvent.REVERSE
    if payment.status is RemitStatus.DENIED:
        return ClaimEvent.DENY
    lines = payment.lines
    if lines and all(_line_denied(line) for line in lines):
        return ClaimEvent.DENY
    if not lines and payment.paid_cents == 0 and not payment.patient_responsibility_cents:
        return ClaimEvent.DENY
    if any(_line_denied(line) for line in lines):
        return ClaimEvent.PAY_PARTIALLY
    return ClaimEvent.PAY


def _apply_835(uow: UnitOfWork, deps: Deps, actor: Actor, remit: Remittance, report: Ingested) -> None:
    """The payer's adjudication moves each claim to paid, partly paid or denied (posting the money is separate)."""
    for payment in remit.claims:
        claim = uow.claims.by_control_number(actor.practice_id, payment.claim_id)
        if claim is None:
            report.unmatched.append(payment.claim_id)
            continue
        event = adjudication_event(payment)
        if event not in allowed_events(claim.status):
            continue
        if claim.status is ClaimStatus.SUBMITTED and event is not ClaimEvent.REVERSE:
            claim = _move(uow, deps, actor, claim, ClaimEvent.ACCEPT, "835 received: adjudicated")
        number = payment.payer_claim_number or claim.payer_claim_number
        _move(
            uow,
            deps,
            actor,
            claim,
            event,
            f"835 trace {remit.payment.trace_number}: paid {payment.paid_cents} of {payment.charge_cents} cents",
            payer_claim_number=number,
        )
        _count(report, event)
