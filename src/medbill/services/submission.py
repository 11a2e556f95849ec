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
from medbill.domain.claim_states import ClaimEvent, ClaimStatus, ClaimTransition, allowed_events, next_status
from medbill.domain.errors import ClearinghouseError, FormatError, MedbillError
from medbill.domain.money import cents_to_str
from medbill.domain.remittance import Remittance
from medbill.domain.users import Actor, Permission
from medbill.formats import x12
from medbill.services import clearinghouse as mailbox
from medbill.services.base import Deps, audit_event, record_audit
from medbill.services.batches import ENTITY as BATCH  # a batch's TA1 and 999 verdicts are audit rows on it
from medbill.services.claims import ENTITY as CLAIM
from medbill.services.claims import store_transition
from medbill.services.ports import ClaimQuery, ClaimState, Clearinghouse, ClearinghouseFile, FileStatus, UnitOfWork
from medbill.services.posting import DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS, ImportReport, import_remittance
from medbill.services.rejections import close_resubmitted, queue_rejection
from medbill.services.retry import SEND_RETRY, RetryPolicy


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
    remittance_files: list[str] = field(default_factory=list)  # archived 835s left for their own posting


@dataclass(frozen=True, slots=True)
class UnsentBatch:
    """A built batch that did not go: it stays queued (built) for the next send. ``code`` is the last error's."""

    batch_id: str
    file_name: str
    code: str
    reason: str
    attempts: int  # 0: not tried, because the mailbox had failed for an earlier batch


class BatchesNotSent(ClearinghouseError):
    """Some built batches could not be sent (after the retries their errors allow); they stay queued for a later
    send. ``sent`` are those that went in the same call. The code is that of the first batch's error."""

    def __init__(self, sent: list[SentBatch], unsent: list[UnsentBatch]) -> None:
        first = unsent[0]
        names = ", ".join(u.file_name for u in unsent[:5]) + (" …" if len(unsent) > 5 else "")
        super().__init__(
            f"{len(unsent)} of {len(sent) + len(unsent)} batches were not sent and stay queued ({names}): "
            f"{first.reason}",
            code=first.code,
        )
        self.sent = sent
        self.unsent = unsent


# A failure that says nothing about the mailbox itself (this file's name or bytes): the next batches are still tried.
_FILE_ONLY_CODES = frozenset({"clearinghouse_conflict", "conflict", "invalid_input", "invalid_transition"})


def send_batches(
    deps: Deps, actor: Actor, clearinghouse: Clearinghouse, *, retry: RetryPolicy = SEND_RETRY
) -> list[SentBatch]:
    """Send every built batch not yet sent; its claims move queued → submitted once the file is delivered.

    A transient failure (unreachable, refused, dropped, timed out) is retried as ``retry`` says; a permanent one
    (host key, credentials, a conflicting file) is not. Every failed attempt is an audit row on the batch, and a
    batch not sent stays built, its claims queued. Once a batch fails for a reason other than its own file, the
    batches after it are not tried. Raises ``BatchesNotSent`` (with what was sent) when any batch did not go.
    """
    actor.require(Permission.CLAIMS_SUBMIT)
    with deps.uow() as uow:
        waiting = [b for b in uow.claim_batches.list(actor.practice_id, limit=10_000) if b.status is BatchStatus.BUILT]
        contents = {b.id: uow.claim_batches.content(actor.practice_id, b.id) for b in waiting}
    sent: list[SentBatch] = []
    unsent: list[UnsentBatch] = []
    mailbox_failed: UnsentBatch | None = None
    for batch in sorted(waiting, key=lambda b: b.created_at):
        if mailbox_failed is not None:
            why = f"not tried after {mailbox_failed.file_name} failed: {mailbox_failed.reason}"
            unsent.append(UnsentBatch(batch.id, batch.file_name, mailbox_failed.code, why[:500], 0))
            continue
        attempts: list[int] = []
        try:
            sent.append(_send_batch(deps, actor, clearinghouse, batch, contents[batch.id], retry, attempts))
        except MedbillError as exc:
            failed = UnsentBatch(batch.id, batch.file_name, exc.code, exc.message, len(attempts))
            unsent.append(failed)
            if exc.code not in _FILE_ONLY_CODES:
                mailbox_failed = failed
    if unsent:
        raise BatchesNotSent(sent, unsent)
    return sent


def _send_batch(
    deps: Deps,
    actor: Actor,
    clearinghouse: Clearinghouse,
    batch: ClaimBatchRecord,
    content: bytes,
    retry: RetryPolicy,
    attempts: list[int],
) -> SentBatch:
    """One batch, tried as ``retry`` allows; marked sent and its claims submitted in the transaction that archives
    the file as sent (a resumed send of a batch delivered before is not uploaded again)."""
    moved: list[int] = []

    def deliver(uow: UnitOfWork, file: ClearinghouseFile) -> None:
        uow.claim_batches.mark_sent(actor.practice_id, batch.id, file.id)
        # the batch's queued claims, read without their documents and moved in bulk
        claims = uow.claims.states(
            actor.practice_id, ClaimQuery(statuses=(ClaimStatus.QUEUED,), batch_id=batch.id, limit=1_000_000)
        )
        reason = f"sent in {batch.file_name} to {clearinghouse.name}"
        _move_states(uow, deps, actor, [(claim, ClaimEvent.SUBMIT, reason, None) for claim in claims])
        close_resubmitted(uow, deps, actor, [c.claim_id for c in claims])  # a rejected claim fixed and sent again
        moved.append(len(claims))

    def attempt() -> SentBatch:
        attempts.append(len(attempts) + 1)
        mailbox.send_file(
            deps, actor, clearinghouse, batch.file_name, content, kind=batch.kind.value, resume=True, then=deliver
        )
        return SentBatch(batch.id, batch.file_name, moved[-1])

    def failed(number: int, exc: MedbillError, wait: float | None) -> None:
        after = f"retrying in {wait:g} s" if wait is not None else "stays queued"
        detail = f"send attempt {number} of {retry.attempts} to {clearinghouse.name} failed ({exc.code}); {after}"
        with deps.uow() as uow:
            record_audit(uow, deps, actor, AuditAction.UPDATE, BATCH, batch.id, detail)
            uow.commit()

    return retry.run(attempt, on_failure=failed)


def _move_states(
    uow: UnitOfWork,
    deps: Deps,
    actor: Actor,
    moves: Sequence[tuple[ClaimState, ClaimEvent, str, str | None]],
) -> list[ClaimTransition]:
    """Many claims moved at once, read without their documents: each (claim, event, reason, payer claim number or
    None to keep it) as ``_move`` would move it (status, claim event, audit row), written in bulk."""
    at = deps.clock.now()
    transitions = [
        (
            ClaimTransition(
                claim_id=claim.claim_id,
                event=event,
                from_status=claim.status,
                to_status=next_status(claim.status, event),
                at=at,
                actor=actor.username,
                reason=reason[:200],
            ),
            number or claim.payer_claim_number,
        )
        for claim, event, reason, number in moves
    ]
    if not transitions:
        return []
    uow.posting.move(actor.practice_id, transitions)
    uow.audit.append_many(
        [
            audit_event(
                deps,
                actor,
                AuditAction.UPDATE,
                CLAIM,
                tr.claim_id,
                f"{tr.event.value}: {tr.from_status.value} -> {tr.to_status.value}",
            )
            for tr, _ in transitions
        ]
    )
    return [tr for tr, _ in transitions]


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
    post_835s: bool = True,
) -> Ingested:
    """Poll the mailbox, then take in every archived file not taken in yet (those just fetched, and any a crashed
    run fetched but did not finish): every TA1, 999, 277CA and 277 moves the claims it names, every 835 is posted.
    Without ``post_835s`` the 835 files are left waiting, listed in ``remittance_files`` for their own posting (a
    job posts each file in a chunk of its own, on any worker).

    A file's acknowledgements are applied in one transaction that also marks the file processed, so a retry never
    applies them twice; an 835 is posted by ``import_remittance`` (idempotent by its key) before the file is marked."""
    report = Ingested()
    mailbox.poll(deps, actor, clearinghouse)
    with deps.uow() as uow:
        waiting = uow.clearinghouse_files.unprocessed(actor.practice_id, clearinghouse.name)
    for file in waiting:
        if not post_835s and file.x12_kind == "835":
            report.remittance_files.append(file.id)
            continue
        with deps.uow() as uow:
            content = uow.clearinghouse_files.content(actor.practice_id, file.id)
        _ingest_file(deps, actor, file, content, report, tolerance_cents)
    return report


def _ingest_file(
    deps: Deps, actor: Actor, file: ClearinghouseFile, content: bytes, report: Ingested, tolerance_cents: int
) -> None:
    name = file.remote_name
    try:
        transactions = x12.read(content)
    except FormatError as exc:
        report.problems.append(f"{name}: {exc.message}")
        transactions = []
    with deps.uow() as uow:
        for transaction in transactions:
            kind = transaction.type.value
            report.files[kind] = report.files.get(kind, 0) + 1
            document = transaction.document
            if isinstance(document, FunctionalAcknowledgement | ClaimAcknowledgement | InterchangeAcknowledgement):
                answer = _Answer(uow, deps, actor, report, name, transaction)
                if isinstance(document, InterchangeAcknowledgement):
                    _apply_ta1(answer, document)
                elif isinstance(document, FunctionalAcknowledgement):
                    _apply_999(answer, document)
                elif transaction.type is x12.TransactionType.CLAIM_STATUS_RESPONSE:
                    _apply_277(answer, document)
                else:
                    _apply_277ca(answer, document)
        if not any(isinstance(tr.document, Remittance) for tr in transactions):
            uow.clearinghouse_files.set_status(actor.practice_id, file.id, FileStatus.PROCESSED)
        uow.commit()
    if any(isinstance(tr.document, Remittance) for tr in transactions):
        _post_835(deps, actor, content, name, report, tolerance_cents)
        with deps.uow() as uow:
            uow.clearinghouse_files.set_status(actor.practice_id, file.id, FileStatus.PROCESSED)
            uow.commit()


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


def _batch_claims(answer: _Answer, batch: ClaimBatchRecord) -> Sequence[ClaimRecord]:
    statuses = (ClaimStatus.SUBMITTED, ClaimStatus.ACCEPTED)
    query = ClaimQuery(statuses=statuses, batch_id=batch.id, limit=1_000_000)
    return answer.uow.claims.find(answer.actor.practice_id, query)


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
    """The claims it names are read in one go without their documents; acceptances are written in bulk, in order
    with the rejections (the acceptances so far are written before each rejection, which reads its claim whole and
    writes at once with its work item)."""
    pid = answer.actor.practice_id
    known = answer.uow.claims.states_by_control_numbers(pid, [status.claim_id for status in ack.claims])
    accepted: list[tuple[ClaimState, ClaimEvent, str, str | None]] = []

    def write_accepted() -> None:
        _move_states(answer.uow, answer.deps, answer.actor, accepted)
        for _ in accepted:
            _count(answer.report, ClaimEvent.ACCEPT)
        accepted.clear()

    for status in ack.claims:
        claim = known.get(status.claim_id)
        if claim is None:
            answer.report.unmatched.append(status.claim_id)
            continue
        reason = _status_words(status.statuses[:1])
        if not status.accepted:
            write_accepted()
            answer.reject(answer.uow.claims.get(pid, claim.claim_id), "277CA", _status_words(status.statuses))
            known[status.claim_id] = answer.uow.claims.states_by_control_numbers(pid, [status.claim_id])[
                status.claim_id
            ]
        elif ClaimEvent.ACCEPT in allowed_events(claim.status):
            number = status.payer_claim_number or claim.payer_claim_number
            accepted.append((claim, ClaimEvent.ACCEPT, f"277CA {reason}", number))
            known[status.claim_id] = replace(
                claim, status=next_status(claim.status, ClaimEvent.ACCEPT), payer_claim_number=number
            )
    write_accepted()


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
