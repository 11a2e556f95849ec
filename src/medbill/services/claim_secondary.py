"""Billing the next payer: the secondary (or tertiary) claim built from the previous payer's 835 (coordination of
benefits), stored as a claim of its own that goes through scrub, batch and submission like any other.

Building is idempotent (build key ``cob:<previous claim id>``), and does nothing when the previous payer forwarded
the claim itself (a crossover) or the patient has no coverage to bill next. The next payer's subscriber and patient
loops are made exactly as a primary claim's are (``claim_build.insured``); the services, diagnoses and providers are
the previous claim's, with the previous payer's adjudication added (``domain.cob``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from medbill.domain.audit import AuditAction
from medbill.domain.claim_records import ClaimRecord, line_control_number, patient_control_number
from medbill.domain.claims import Claim
from medbill.domain.cob import is_crossover, secondary_claim
from medbill.domain.coverage import Coverage, CoverageOrder
from medbill.domain.errors import NotFound, ValidationError
from medbill.domain.remittance import ClaimPayment
from medbill.domain.users import Actor
from medbill.services.base import Deps, record_audit
from medbill.services.claim_build import insured
from medbill.services.claims import ENTITY, WRITE, PartyBook, active_coverages
from medbill.services.ports import UnitOfWork

_ORDER_OF = {"S": CoverageOrder.SECONDARY, "T": CoverageOrder.TERTIARY}


def cob_build_key(previous_claim_id: str) -> str:
    """What makes the next payer's claim unique: one per adjudicated claim."""
    return f"cob:{previous_claim_id}"


def _following(coverages: list[Coverage], after: CoverageOrder, billed: set[str]) -> Coverage | None:
    """The first coverage later in the order than ``after`` with a payer not billed yet."""
    return next((c for c in coverages if c.order.rank > after.rank and c.payer_id not in billed), None)


def _next_coverage(uow: UnitOfWork, pid: str, previous: ClaimRecord, coverages: list[Coverage]) -> Coverage | None:
    if previous.next_coverage_id is not None:
        return uow.coverages.get(pid, previous.next_coverage_id)
    return _following(coverages, previous.order, {previous.payer_id})


def build_secondary_claim(
    uow: UnitOfWork,
    deps: Deps,
    actor: Actor,
    primary: ClaimRecord,
    payment: ClaimPayment,
    *,
    adjudicated_on: date,
    book: PartyBook | None = None,
) -> ClaimRecord | None:
    """The claim to the payer after ``primary``'s, from ``payment`` (its 835 CLP loop), written in the caller's
    transaction; the one built before when called again; None when the payer crossed the claim over or there is no
    next coverage. ``adjudicated_on`` is the previous payer's adjudication or payment date (DTP*573); ``book``, the
    practice's parties when the caller builds many (an 835 posting) and read them once.

    Raises ValidationError (nothing written) when the payment is not this claim's, does not balance, or one of its
    service lines cannot be matched to a line of the claim.
    """
    actor.require(WRITE)
    pid = actor.practice_id
    if primary.practice_id != pid:
        raise NotFound("no such claim in this practice", field="claim_id")
    if is_crossover(payment):
        return None
    key = cob_build_key(primary.id)
    existing = uow.claims.by_build_key(pid, key)
    if existing is not None:
        return existing
    encounter = uow.encounters.get(pid, primary.encounter_id)
    coverages = active_coverages(uow, pid, encounter)
    coverage = _next_coverage(uow, pid, primary, coverages)
    if coverage is None:
        return None
    parties = (book or PartyBook(uow, pid)).parties(uow, encounter, coverage)
    subscriber, patient = insured(parties)

    def document_numbered(number: str) -> Claim:
        return secondary_claim(
            primary.document,
            payment,
            patient_control_number=number,
            next_insured=subscriber,
            next_patient=patient,
            adjudicated_on=adjudicated_on,
        )

    # refused before a claim number is taken: a refused payment leaves the counter where it was
    trial = document_numbered(primary.patient_control_number)
    order = _ORDER_OF.get(trial.subscriber.responsibility)
    if order is None:
        raise ValidationError(
            "medbill bills at most three payers for a claim (primary, secondary, tertiary)", field="next_coverage"
        )
    number = patient_control_number(uow.counters.next(pid, "claim", apart=True))
    document = document_numbered(number)
    following = _following(coverages, coverage.order, {primary.payer_id, coverage.payer_id})
    now = deps.clock.now()
    record = ClaimRecord(
        practice_id=pid,
        encounter_id=primary.encounter_id,
        patient_id=primary.patient_id,
        coverage_id=coverage.id,
        payer_id=coverage.payer_id,
        order=order,
        document=document,
        date_of_service=primary.date_of_service,
        lines=tuple(
            replace(line, line_control_number=line_control_number(number, line.line_number)) for line in primary.lines
        ),
        next_coverage_id=following.id if following is not None else None,
        created_at=now,
        updated_at=now,
    )
    uow.claims.add(record, key)
    record_audit(
        uow,
        deps,
        actor,
        AuditAction.CREATE,
        ENTITY,
        record.id,
        f"cob previous={primary.id} order={order.value} lines={len(record.lines)}",
    )
    return record
