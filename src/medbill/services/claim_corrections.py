"""Correcting a claim the payer already has: a replacement (frequency 7) or a void (8), each a claim of its own.

The new claim names the original by the payer's claim control number (REF*F8), gets its own CLM01 and line numbers,
and goes through scrub, batch and submission like any claim. The original moves to ``replaced`` or ``voided`` in
the same transaction, so the state machine decides whether the payer allows it (an illegal move is refused with the
state the original was in, and nothing is written).
"""

from __future__ import annotations

from dataclasses import replace

from medbill.domain.audit import AuditAction
from medbill.domain.claim_records import ClaimLineRecord, ClaimRecord, line_control_number, patient_control_number
from medbill.domain.claim_states import ClaimEvent
from medbill.domain.claims import ClaimFrequency
from medbill.domain.errors import Conflict, ValidationError
from medbill.domain.users import Actor
from medbill.services.base import Deps, record_audit
from medbill.services.claim_build import encounter_claim
from medbill.services.claims import ENTITY, WRITE, parties_for, store_transition
from medbill.services.ports import UnitOfWork

MAX_PAYER_CLAIM_NUMBER = 50  # REF02


def _payer_number(original: ClaimRecord, given: str | None) -> str:
    number = (given or original.payer_claim_number or "").strip()
    if not number:
        raise ValidationError(
            "give the payer's claim control number of the original claim (from its 277CA or 835): "
            "a replacement or void is matched on it (REF*F8, CMS-1500 box 22)",
            field="payer_claim_number",
        )
    if len(number) > MAX_PAYER_CLAIM_NUMBER or not number.replace("-", "").isalnum():
        raise ValidationError("is 1 to 50 letters, digits or hyphens", field="payer_claim_number")
    return number


def _correct(
    uow: UnitOfWork,
    deps: Deps,
    actor: Actor,
    original: ClaimRecord,
    frequency: ClaimFrequency,
    payer_claim_number: str,
    reason: str,
) -> ClaimRecord:
    pid = actor.practice_id
    event = ClaimEvent.REPLACE if frequency is ClaimFrequency.REPLACEMENT else ClaimEvent.VOID
    now = deps.clock.now()
    moved, transition = original.moved(event, at=now, actor=actor.username, reason=reason)
    key = f"{frequency.value}:{original.id}"
    if uow.claims.by_build_key(pid, key) is not None:
        raise Conflict("this claim already has that correction", field="claim_id")
    number = patient_control_number(uow.counters.next(pid, "claim"))
    if frequency is ClaimFrequency.REPLACEMENT:
        # a replacement carries the encounter as it is now: that is the point of replacing
        encounter = uow.encounters.get(pid, original.encounter_id)
        coverage = uow.coverages.get(pid, original.coverage_id)
        document, lines = encounter_claim(
            encounter,
            parties_for(uow, pid, encounter, coverage),
            control_number=number,
            frequency=frequency,
            original_claim_number=payer_claim_number,
        )
    else:
        # a void repeats the original as it was sent, under a claim number of its own
        lines = tuple(
            ClaimLineRecord(
                line_number=line.line_number,
                line_control_number=line_control_number(number, line.line_number),
                procedure_code=line.procedure_code,
                modifiers=line.modifiers,
                units=line.units,
                charge_cents=line.charge_cents,
                service_date=line.service_date,
            )
            for line in original.lines
        )
        document = replace(
            original.document,
            patient_control_number=number,
            frequency=frequency,
            original_claim_number=payer_claim_number,
            lines=tuple(
                replace(line, line_control_number=line_control_number(number, line.number))
                for line in original.document.lines
            ),
        )
    correction = ClaimRecord(
        practice_id=pid,
        encounter_id=original.encounter_id,
        patient_id=original.patient_id,
        coverage_id=original.coverage_id,
        payer_id=original.payer_id,
        order=original.order,
        document=document,
        date_of_service=original.date_of_service,
        lines=lines,
        original_claim_id=original.id,
        payer_claim_number=payer_claim_number,
        created_at=now,
        updated_at=now,
    )
    store_transition(uow, deps, actor, replace(moved, payer_claim_number=payer_claim_number), transition)
    uow.claims.add(correction, key)
    record_audit(
        uow,
        deps,
        actor,
        AuditAction.CREATE,
        ENTITY,
        correction.id,
        f"frequency={frequency.value} original={original.id}",
    )
    return correction


def replace_claim(
    deps: Deps, actor: Actor, claim_id: str, *, payer_claim_number: str | None = None, reason: str = ""
) -> ClaimRecord:
    """A replacement claim (frequency 7) for ``claim_id``, rebuilt from its encounter; the original becomes replaced."""
    actor.require(WRITE)
    with deps.uow() as uow:
        original = uow.claims.get(actor.practice_id, claim_id)
        number = _payer_number(original, payer_claim_number)
        made = _correct(uow, deps, actor, original, ClaimFrequency.REPLACEMENT, number, reason)
        uow.commit()
    return made


def void_claim(
    deps: Deps, actor: Actor, claim_id: str, *, payer_claim_number: str | None = None, reason: str = ""
) -> ClaimRecord:
    """A void claim (frequency 8) for ``claim_id``; the original becomes voided."""
    actor.require(WRITE)
    with deps.uow() as uow:
        original = uow.claims.get(actor.practice_id, claim_id)
        number = _payer_number(original, payer_claim_number)
        made = _correct(uow, deps, actor, original, ClaimFrequency.VOID, number, reason)
        uow.commit()
    return made
