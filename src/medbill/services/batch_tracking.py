"""Where each 837 batch stands: the TA1/999 verdicts on the file, and each claim's acknowledgement (277CA, 277).

A batch's verdicts are the audit rows ingesting left on it (``submission.BATCH``); a claim's acknowledgement is the
latest of its history's events that a TA1, 999, 277CA or 277 caused. The claims of a batch are the CLM01s of its
837 file as built, so a claim sent again in a later batch still shows in the first one with its state today.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from medbill.domain.audit import AuditAction
from medbill.domain.claim_records import ClaimBatchRecord, ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimTransition
from medbill.domain.claims import ClaimBatch
from medbill.domain.errors import FormatError
from medbill.domain.users import Actor
from medbill.domain.work_items import Queue
from medbill.formats import x12
from medbill.services.base import Deps, record_audit
from medbill.services.batches import ENTITY as BATCH
from medbill.services.claims import READ
from medbill.services.ports import ClaimQuery

_ANSWERS = ("TA1", "999", "277CA", "277")
_ACK_EVENTS = (ClaimEvent.ACCEPT, ClaimEvent.REJECT, ClaimEvent.PEND, ClaimEvent.STATUS)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileVerdict:
    """A TA1 or 999 about the whole file: which, its code (A, R, P …), in words, and when it was taken in."""

    kind: str
    code: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimAck:
    """One claim of a batch: its state now and the latest acknowledgement that moved or noted it."""

    claim: ClaimRecord
    source: str | None  # TA1, 999, 277CA, 277; None when nothing has answered yet
    event: ClaimEvent | None
    reason: str
    at: datetime | None
    rejection_open: bool  # an open item on the rejection queue


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchDetail:
    batch: ClaimBatchRecord
    verdicts: tuple[FileVerdict, ...]
    claims: tuple[ClaimAck, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchRow:
    """A batch in the list, with how many of the claims it holds now are in each state."""

    batch: ClaimBatchRecord
    states: dict[str, int]


def _verdict(detail: str, at: datetime) -> FileVerdict | None:
    kind, _, rest = detail.partition(" ")
    if kind not in ("TA1", "999"):
        return None
    code, _, _ = rest.partition(" ")
    return FileVerdict(kind=kind, code=code[:1], text=detail, at=at)


def _latest_ack(history: Sequence[ClaimTransition]) -> ClaimTransition | None:
    for step in reversed(history):
        if step.event in _ACK_EVENTS and step.reason.split(" ", 1)[0] in _ANSWERS:
            return step
    return None


def _claim_numbers(content: bytes) -> list[str]:
    try:
        return [
            c.patient_control_number
            for t in x12.read(content)
            if isinstance(t.document, ClaimBatch)
            for c in t.document.claims
        ]
    except FormatError:
        return []


def batch_detail(deps: Deps, actor: Actor, batch_id: str) -> BatchDetail:
    """A batch with its file verdicts and each of its claims' acknowledgement state (the read is audited)."""
    actor.require(READ)
    pid = actor.practice_id
    with deps.uow() as uow:
        batch = uow.claim_batches.get(pid, batch_id)
        numbers = _claim_numbers(uow.claim_batches.content(pid, batch_id))
        events = uow.audit.list(pid, entity_type=BATCH, entity_id=batch_id, limit=1000)
        verdicts = [v for e in events if e.action is AuditAction.UPDATE and (v := _verdict(e.detail, e.at))]
        open_rejections = {
            w.claim_id for w in uow.work_items.list(pid, queue=Queue.REJECTION, limit=1_000_000) if w.claim_id
        }
        rows: list[ClaimAck] = []
        for number in numbers:
            claim = uow.claims.by_control_number(pid, number)
            if claim is None:
                continue
            ack = _latest_ack(uow.claims.history(pid, claim.id))
            rows.append(
                ClaimAck(
                    claim=claim,
                    source=ack.reason.split(" ", 1)[0] if ack else None,
                    event=ack.event if ack else None,
                    reason=ack.reason if ack else "",
                    at=ack.at if ack else None,
                    rejection_open=claim.id in open_rejections,
                )
            )
        record_audit(uow, deps, actor, AuditAction.READ, BATCH, batch_id, f"claims={len(rows)}")
        uow.commit()
    return BatchDetail(batch=batch, verdicts=tuple(sorted(verdicts, key=lambda v: v.at)), claims=tuple(rows))


def batch_rows(deps: Deps, actor: Actor, *, limit: int = 100, offset: int = 0) -> list[BatchRow]:
    """The batches, newest first, each with the count of the claims it holds now by state."""
    actor.require(READ)
    pid = actor.practice_id
    with deps.uow() as uow:
        listed = uow.claim_batches.list(pid, limit=limit, offset=offset)
        wanted = {b.id for b in listed}
        states: dict[str, Counter[str]] = {b.id: Counter() for b in listed}
        for claim in uow.claims.find(pid, ClaimQuery(limit=1_000_000)):
            if claim.batch_id in wanted:
                states[claim.batch_id][claim.status.value] += 1
    return [BatchRow(batch=b, states=dict(sorted(states[b.id].items()))) for b in listed]
