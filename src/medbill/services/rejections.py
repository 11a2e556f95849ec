"""The rejection work queue: a claim refused before adjudication (TA1, 999, 277CA) waits there with the reason in
words until it is fixed and sent again, which closes its item by itself (resolution ``resubmitted``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace

from medbill.domain.audit import AuditAction
from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.claims import ClaimFrequency
from medbill.domain.coverage import CoverageOrder
from medbill.domain.errors import InvalidTransition
from medbill.domain.users import Actor
from medbill.domain.work_items import Queue, WorkItem
from medbill.services.base import Deps, record_audit
from medbill.services.claim_build import encounter_claim
from medbill.services.claims import ENTITY, WRITE, parties_for, store_transition
from medbill.services.ports import UnitOfWork

RESUBMITTED = "resubmitted"


def queue_rejection(
    uow: UnitOfWork, deps: Deps, actor: Actor, claim: ClaimRecord, *, source: str, reason: str, file_name: str
) -> WorkItem:
    """One open item on the rejection queue for ``claim``, saying who refused it (TA1, 999, 277CA) and why."""
    item = WorkItem(
        practice_id=actor.practice_id,
        queue=Queue.REJECTION,
        claim_id=claim.id,
        reference=claim.patient_control_number,
        amount_cents=claim.total_charge_cents,
        reason=reason,
        detail=json.dumps({"source": source, "file": file_name, "batch_id": claim.batch_id}, sort_keys=True),
        created_at=deps.clock.now(),
    )
    uow.work_items.add([item])
    return item


def close_resubmitted(uow: UnitOfWork, deps: Deps, actor: Actor, claim_ids: Iterable[str]) -> int:
    """Close the open rejection items of claims that were just sent again; how many were closed."""
    wanted = set(claim_ids)
    if not wanted:
        return 0
    closed = 0
    for item in uow.work_items.list(actor.practice_id, queue=Queue.REJECTION, limit=1_000_000):
        if item.claim_id in wanted:
            uow.work_items.close(
                actor.practice_id, item.id, at=deps.clock.now(), by=actor.username, resolution=RESUBMITTED
            )
            record_audit(uow, deps, actor, AuditAction.UPDATE, "work_item", item.id, f"closed: {RESUBMITTED}")
            closed += 1
    return closed


def reopen_rejected(deps: Deps, actor: Actor, claim_id: str, note: str = "") -> ClaimRecord:
    """A rejected claim goes back to draft (EDIT) to be fixed, scrubbed, batched and sent again; its rejection item
    stays open until it is sent."""
    actor.require(WRITE)
    with deps.uow() as uow:
        claim = uow.claims.get(actor.practice_id, claim_id)
        if claim.status is not ClaimStatus.REJECTED:
            raise InvalidTransition(
                f"only a rejected claim is reopened this way; this one is {claim.status.value}", field="status"
            )
        reason = f"reopened after rejection: {note.strip()}" if note.strip() else "reopened after rejection"
        moved, transition = claim.moved(ClaimEvent.EDIT, at=deps.clock.now(), actor=actor.username, reason=reason)
        moved = replace(moved, batch_id=None)
        store_transition(uow, deps, actor, moved, transition)
        moved = rebuild_draft(uow, deps, actor, moved)
        uow.commit()
    return moved


def rebuild_draft(uow: UnitOfWork, deps: Deps, actor: Actor, claim: ClaimRecord) -> ClaimRecord:
    """An original claim to its first payer, reopened to be fixed, is rebuilt from its encounter, coverage and
    parties as they are now (a corrected member ID or address must reach the payer), under the same CLM01 and
    line control numbers. A secondary claim keeps its document: it is built from the primary's 835."""
    if claim.status is not ClaimStatus.DRAFT or claim.frequency is not ClaimFrequency.ORIGINAL:
        return claim
    if claim.order is not CoverageOrder.PRIMARY:
        return claim
    pid = actor.practice_id
    encounter = uow.encounters.get(pid, claim.encounter_id)
    coverage = uow.coverages.get(pid, claim.coverage_id)
    document, lines = encounter_claim(
        encounter, parties_for(uow, pid, encounter, coverage), control_number=claim.patient_control_number
    )
    rebuilt = replace(
        claim,
        document=document,
        lines=lines,
        updated_at=deps.clock.now(),
    )
    uow.claims.replace_document(rebuilt)
    record_audit(uow, deps, actor, AuditAction.UPDATE, ENTITY, claim.id, "rebuilt from the encounter as it is now")
    return rebuilt
