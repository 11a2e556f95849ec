"""Sending built 837 batches to a clearinghouse, and letting its answers move claims by themselves.

TA1 (the interchange) and 999 (the functional group) are matched to the batch by its control numbers and the
partner that answered; a rejection rejects every claim of the batch still with the payer. 277CA and 277 name claims
by CLM01: a 277CA accepts or rejects each, a 277 (the answer to our 276) pends it or notes its finalized status
(the money comes with the 835, which is posted as an imported one). Every rejection puts the claim on the rejection
queue with the reason in words; sending the fixed claim again closes that item.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from medbill.codesets import reference
from medbill.domain.ack_codes import functional_ack_words, interchange_note_words
from medbill.domain.acknowledgements import (
    ClaimAcknowledgement,
    FunctionalAcknowledgement,
    InterchangeAckCode,
    InterchangeAcknowledgement,
    StatusInfo,
)
from medbill.domain.audit import AuditAction
from medbill.domain.claim_records import BatchStatus, ClaimBatchRecord, ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimStatus, allowed_events
from medbill.domain.errors import FormatError, MedbillError
from medbill.domain.money import cents_to_str
from medbill.domain.remittance import Remittance
from medbill.domain.users import Actor, Permission
from medbill.formats import x12
from medbill.services import clearinghouse as mailbox
from medbill.services.base import Deps, record_audit
from medbill.services.batches import ENTITY as BATCH  # a batch's TA1 and 999 verdicts are audit rows on it
from medbill.services.claims import store_transition
from medbill.services.ports import ClaimQuery, Clearinghouse, UnitOfWork
from medbill.services.posting import DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS, ImportReport, import_remittance
from medbill.services.rejections import close_resubmitted, queue_rejection


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
    remittances: list[ImportReport] = field(default_factory=list)  # what each 835 file posted
    rejections_queued: int = 0  # claims put on the rejection queue


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
            close_resubmitted(uow, deps, actor, [c.id for c in claims])  # a rejected claim fixed and sent again
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


def ingest_answers(
    deps: Deps,
    actor: Actor,
    clearinghouse: Clearinghouse,
    *,
    tolerance_cents: int = DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS,
) -> Ingested:
    """Poll the mailbox; every new TA1, 999, 277CA and 277 moves the claims it names, every 835 is posted."""
    report = Ingested()
    for archived in mailbox.poll(deps, actor, clearinghouse):
        try:
            transactions = x12.read(archived.content)
        except FormatError as exc:
            report.problems.append(f"{archived.file.remote_name}: {exc.message}")
            continue
        name = archived.file.remote_name
        for transaction in transactions:
            kind = transaction.type.value
            report.files[kind] = report.files.get(kind, 0) + 1
            document = transaction.document
            if isinstance(document, FunctionalAcknowledgement | ClaimAcknowledgement | InterchangeAcknowledgement):
                with deps.uow() as uow:
                    answer = _Answer(uow, deps, actor, report, name, transaction)
                    if isinstance(document, InterchangeAcknowledgement):
                        _apply_ta1(answer, document)
                    elif isinstance(document, FunctionalAcknowledgement):
                        _apply_999(answer, document)
                    elif transaction.type is x12.TransactionType.CLAIM_STATUS_RESPONSE:
                        _apply_277(answer, document)
                    else:
                        _apply_277ca(answer, document)
                    uow.commit()
        if any(isinstance(tr.document, Remittance) for tr in transactions):
            _post_835(deps, actor, archived.content, archived.file.remote_name, report, tolerance_cents)
    return report


def _post_835(deps: Deps, actor: Actor, content: bytes, name: str, report: Ingested, tolerance_cents: int) -> None:
    """An 835 from the mailbox is posted like one imported by hand (the same key makes a second import a no-op)."""
    try:
        posted = import_remittance(deps, actor, content, file_name=name, tolerance_cents=tolerance_cents)
    except MedbillError as exc:
        report.problems.append(f"{name}: {exc.message}")
        return
    report.remittances.append(posted)
    for tr in posted.transactions:
        for outcome in tr.claims:
            if outcome.event:
                report.moves[outcome.event] = report.moves.get(outcome.event, 0) + 1
            if outcome.action == "unmatched":
                report.unmatched.append(outcome.claim_id)


def _count(report: Ingested, event: ClaimEvent) -> None:
    report.moves[event.value] = report.moves.get(event.value, 0) + 1


@dataclass(slots=True)
class _Answer:
    """One answer being applied: the unit of work, who applies it, the report, and the file and partner it came in."""

    uow: UnitOfWork
    deps: Deps
    actor: Actor
    report: Ingested
    file_name: str
    partner: x12.Transaction

    def move(self, claim: ClaimRecord, event: ClaimEvent, reason: str, **changes: object) -> ClaimRecord:
        moved = _move(self.uow, self.deps, self.actor, claim, event, reason, **changes)
        _count(self.report, event)
        return moved

    def reject(self, claim: ClaimRecord, source: str, reason: str) -> None:
        """REJECT the claim (when it is still with the payer) and put it on the rejection queue."""
        if ClaimEvent.REJECT not in allowed_events(claim.status):
            return
        self.move(claim, ClaimEvent.REJECT, f"{source} {reason}")
        queue_rejection(self.uow, self.deps, self.actor, claim, source=source, reason=reason, file_name=self.file_name)
        self.report.rejections_queued += 1

    def note_batch(self, batch: ClaimBatchRecord, detail: str) -> None:
        record_audit(self.uow, self.deps, self.actor, AuditAction.UPDATE, BATCH, batch.id, detail[:500])


def _sent_batches(answer: _Answer, matches: Callable[[ClaimBatchRecord], bool]) -> list[ClaimBatchRecord]:
    """Sent batches that ``matches`` picks; when control numbers repeat across partners, the one that answered."""
    found = [
        b
        for b in answer.uow.claim_batches.list(answer.actor.practice_id, limit=10_000)
        if b.status is BatchStatus.SENT and matches(b)
    ]
    if len(found) > 1:
        sender = answer.partner.interchange.sender_id
        found = [b for b in found if b.receiver_id == sender] or found
    return found


def _batch_claims(answer: _Answer, batch: ClaimBatchRecord) -> list[ClaimRecord]:
    statuses = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED)
    return [c for c in _claims(answer.uow, answer.actor, statuses) if c.batch_id == batch.id]


def _same_number(text: str, number: int) -> bool:
    return text.strip().isdigit() and int(text) == number


def _apply_ta1(answer: _Answer, ack: InterchangeAcknowledgement) -> None:
    """A rejected interchange rejects every claim of the batch it carried, with the TA105 note in words."""
    why = interchange_note_words(ack)
    for batch in _sent_batches(answer, lambda b: _same_number(ack.control_number, b.interchange_control_number)):
        answer.note_batch(batch, f"{why} ({answer.file_name})")
        if ack.code is InterchangeAckCode.REJECTED:
            for claim in _batch_claims(answer, batch):
                answer.reject(claim, "TA1", f"the interchange was rejected: {why}")


def _apply_999(answer: _Answer, ack: FunctionalAcknowledgement) -> None:
    """A rejected transaction set rejects every claim of the batch whose group control number it names."""
    if ack.functional_id not in ("HC", ""):
        return  # the 999 of a 276 or 270 group: no claim batch to move
    batches = _sent_batches(answer, lambda b: _same_number(ack.group_control_number, b.group_control_number))
    rejected = not ack.code.accepted or any(not r.code.accepted for r in ack.responses)
    why = functional_ack_words(ack)
    for batch in batches:
        answer.note_batch(batch, f"{why} ({answer.file_name})" if rejected else f"999 {ack.code.value} accepted")
        if rejected:
            for claim in _batch_claims(answer, batch):
                if claim.status is ClaimStatus.SUBMITTED:
                    answer.reject(claim, "999", f"the file was rejected: {why}")


def _words(category: str, code: str) -> str:
    found_category = reference.claim_status_categories().get(category)
    found_code = reference.claim_statuses().get(code)
    parts = [f"{category}:{code}"]
    if found_category:
        parts.append(found_category.description)
    if found_code:
        parts.append(found_code.description)
    return " — ".join(parts)


def _status_words(statuses: Sequence[StatusInfo]) -> str:
    return "; ".join(_words(s.category, s.code) for s in statuses) or "no status given"


def _apply_277ca(answer: _Answer, ack: ClaimAcknowledgement) -> None:
    for status in ack.claims:
        claim = answer.uow.claims.by_control_number(answer.actor.practice_id, status.claim_id)
        if claim is None:
            answer.report.unmatched.append(status.claim_id)
            continue
        reason = _status_words(status.statuses[:1])
        if not status.accepted:
            answer.reject(claim, "277CA", _status_words(status.statuses))
        elif ClaimEvent.ACCEPT in allowed_events(claim.status):
            number = status.payer_claim_number or claim.payer_claim_number
            answer.move(claim, ClaimEvent.ACCEPT, f"277CA {reason}", payer_claim_number=number)


def _apply_277(answer: _Answer, response: ClaimAcknowledgement) -> None:
    """The answer to our 276: a pended claim moves to pending; any other status is noted in the claim's history."""
    for status in response.claims:
        wanted = status.patient_account_number or status.claim_id
        claim = answer.uow.claims.by_control_number(answer.actor.practice_id, wanted)
        if claim is None:
            answer.report.unmatched.append(wanted)
            continue
        first = status.statuses[0] if status.statuses else None
        reason = f"277 {_status_words(status.statuses)}"
        if first is not None and first.paid_cents and first.category.startswith("F"):
            reason += f" (paid {cents_to_str(first.paid_cents)}; posted when the 835 arrives)"
        pended = first is not None and first.category.startswith("P")
        event = ClaimEvent.PEND if pended and ClaimEvent.PEND in allowed_events(claim.status) else ClaimEvent.STATUS
        if event in allowed_events(claim.status):
            number = status.payer_claim_number or claim.payer_claim_number
            answer.move(claim, event, reason, payer_claim_number=number)
