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

__all__ = ["ClaimWriteOff", "WriteOffReason", "write_off_claim"]

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


def write_off_claim(
    deps: Deps, actor: Actor, claim_id: str, reason: str | WriteOffReason, *, note: str
) -> ClaimWriteOff:
    """Write off the insurance balance left on each of the claim's lines, refused when insurance owes nothing."""
    actor.require(Permission.BALANCE_WRITE_OFF)
    why = parse_enum(WriteOffReason, reason, "reason")
    text = _note(note)
    pid = actor.practice_id
    with deps.uow() as uow:
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
        uow.commit()
    return ClaimWriteOff(
        claim_id=claim.id,
        reason=why,
        lines=tuple((e.line_number, e.amount_cents) for e in entries),
        closed_items=tuple(closed),
    )
