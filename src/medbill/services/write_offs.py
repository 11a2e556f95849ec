"""Writing off what insurance still owes on a claim, for a reason kept as data on each entry (timely filing,
uncollectible, small balance, courtesy, appeal lost …), with the write-off permission and an audit row; the claim's
open denial and underpayment items close with the write-off as their resolution. One unit of work; a refused
write-off writes nothing. (The patient's side: ``patient_payments.write_off_visit``.)
"""

from __future__ import annotations

from dataclasses import dataclass

from medbill.domain.audit import AuditAction
from medbill.domain.errors import ValidationError
from medbill.domain.fields import parse_enum
from medbill.domain.users import Actor, Permission
from medbill.domain.work_items import Queue, WorkStatus
from medbill.domain.write_offs import REASON_TEXT, WriteOffReason, insurance_owed_by_line, write_off_entries
from medbill.services.base import Deps, record_audit
from medbill.services.ports import UnitOfWork

__all__ = ["ClaimWriteOff", "WriteOffReason", "parse_reason", "write_off_claim", "write_off_in"]

MAX_NOTE = 200
_CLOSES = (Queue.DENIAL, Queue.UNDERPAYMENT)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimWriteOff:
    claim_id: str
    reason: WriteOffReason
    lines: tuple[tuple[int, int], ...]  # (line number, cents written off)
    closed_items: tuple[str, ...]  # the work items the write-off resolved

    @property
    def total_cents(self) -> int:
        return sum(cents for _, cents in self.lines)


def _note(note: str) -> str:
    text = " ".join(str(note).split())
    if not text:
        raise ValidationError("say why in a few words (what the payer said, who approved it)", field="note")
    if len(text) > MAX_NOTE:
        raise ValidationError(f"is at most {MAX_NOTE} characters", field="note")
    return text


def parse_reason(reason: str | WriteOffReason, note: str) -> tuple[WriteOffReason, str]:
    """The reason and the note as a write-off keeps them, refused naming the field."""
    return parse_enum(WriteOffReason, reason, "reason"), _note(note)


def write_off_claim(
    deps: Deps, actor: Actor, claim_id: str, reason: str | WriteOffReason, *, note: str
) -> ClaimWriteOff:
    """Write off the insurance balance left on each of the claim's lines, refused when insurance owes nothing."""
    actor.require(Permission.BALANCE_WRITE_OFF)
    why, text = parse_reason(reason, note)
    with deps.uow() as uow:
        done = write_off_in(uow, deps, actor, claim_id, why, text)
        uow.commit()
    return done


def write_off_in(
    uow: UnitOfWork, deps: Deps, actor: Actor, claim_id: str, why: WriteOffReason, text: str
) -> ClaimWriteOff:
    """The write-off inside the caller's unit of work (which commits): entries, closed items, audit rows. The caller
    has checked the permission and parsed the reason and note (``parse_reason``)."""
    pid = actor.practice_id
    claim = uow.claims.get(pid, claim_id)
    ledger = uow.ledger.for_encounters(pid, [claim.encounter_id])
    owed = insurance_owed_by_line(ledger, (line.line_number for line in claim.lines))
    entries = write_off_entries(
        owed,
        practice_id=pid,
        patient_id=claim.patient_id,
        encounter_id=claim.encounter_id,
        claim_id=claim.id,
        payer_id=claim.payer_id,
        reason=why,
        at=deps.clock.now(),
        source=f"write-off by {actor.username}: {text}",
    )
    uow.ledger.add(entries)
    resolution = f"written off ({REASON_TEXT[why]}): {text}"[:500]
    closed: list[str] = []
    for queue in _CLOSES:
        for item in uow.work_items.list(pid, queue=queue, status=WorkStatus.OPEN, claim_id=claim.id):
            uow.work_items.close(pid, item.id, at=deps.clock.now(), by=actor.username, resolution=resolution)
            record_audit(uow, deps, actor, AuditAction.UPDATE, "work_item", item.id, "closed by write-off")
            closed.append(item.id)
    total = sum(e.amount_cents for e in entries)
    detail = f"insurance written off: reason={why.value} lines={len(entries)} cents={total}"
    record_audit(uow, deps, actor, AuditAction.UPDATE, "claim", claim.id, detail)
    return ClaimWriteOff(
        claim_id=claim.id,
        reason=why,
        lines=tuple((e.line_number, e.amount_cents) for e in entries),
        closed_items=tuple(closed),
    )
