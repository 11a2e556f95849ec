"""Sending built 837 batches to a clearinghouse, and letting its answers (999, 277CA, 835) move claims by themselves."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from medbill.codesets import reference
from medbill.domain.acknowledgements import ClaimAcknowledgement, FunctionalAcknowledgement
from medbill.domain.claim_records import BatchStatus, ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimStatus, allowed_events
from medbill.domain.errors import FormatError, MedbillError
from medbill.domain.remittance import Remittance
from medbill.domain.users import Actor, Permission
from medbill.formats import x12
from medbill.services import clearinghouse as mailbox
from medbill.services.base import Deps
from medbill.services.claims import store_transition
from medbill.services.ports import ClaimQuery, Clearinghouse, UnitOfWork
from medbill.services.posting import DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS, ImportReport, import_remittance


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


def ingest_answers(
    deps: Deps,
    actor: Actor,
    clearinghouse: Clearinghouse,
    *,
    tolerance_cents: int = DEFAULT_UNDERPAYMENT_TOLERANCE_CENTS,
) -> Ingested:
    """Poll the mailbox; every new 999 and 277CA moves the claims it names (matched on CLM01), every 835 is posted."""
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
            document = transaction.document
            if isinstance(document, FunctionalAcknowledgement | ClaimAcknowledgement):
                with deps.uow() as uow:
                    if isinstance(document, FunctionalAcknowledgement):
                        _apply_999(uow, deps, actor, document, report)
                    else:
                        _apply_277ca(uow, deps, actor, document, report)
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
