"""Claims from encounters: building them (one per encounter per payer), scrubbing them, reading them with history.

Building is idempotent: an encounter's claim to a payer is built once (the database enforces it with a build key),
so ``build_claims`` run twice finds the claim it made the first time. Only the payer first in the coverage order is
billed now; a secondary coverage active on the date of service is kept on the record as the next one to bill.
Every status change goes through the state machine, leaves a claim event and an audit row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from medbill.domain.audit import AuditAction
from medbill.domain.claim_records import ClaimRecord, ClaimSnapshot, patient_control_number
from medbill.domain.claim_states import ClaimStatus, ClaimTransition
from medbill.domain.claims import Claim
from medbill.domain.coverage import Coverage
from medbill.domain.encounters import Encounter
from medbill.domain.errors import MedbillError, ValidationError
from medbill.domain.fields import parse_enum
from medbill.domain.scrub import Finding
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, record_audit
from medbill.services.claim_build import ClaimParties, billing_provider_of, encounter_claim
from medbill.services.ports import ClaimCount, ClaimQuery, UnitOfWork
from medbill.services.scrubbing import ClaimFacts, CoveragePeriod, ScrubContext, scrub_batch, sent_map

# Building, scrubbing and batching claims is billing work (admin, biller); reading a claim reads PHI.
WRITE = Permission.CLAIMS_SUBMIT
READ = Permission.ENCOUNTER_READ
ENTITY = "claim"

Progress = Callable[[int, int], None]  # (done, total)


def no_progress(done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Skipped:
    """An encounter ``build_claims`` left unbilled, and why (in words that say what to fix)."""

    encounter_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BuildResult:
    created: tuple[ClaimRecord, ...] = ()
    existing: tuple[ClaimRecord, ...] = ()  # built before: building is idempotent
    skipped: tuple[Skipped, ...] = ()  # only when building "all unbilled"


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimDetail:
    claim: ClaimRecord
    history: tuple[ClaimTransition, ...]
    snapshots: tuple[ClaimSnapshot, ...]


def build_key(encounter_id: str, payer_id: str) -> str:
    return f"encounter:{encounter_id}:{payer_id}"


def store_transition(
    uow: UnitOfWork, deps: Deps, actor: Actor, claim: ClaimRecord, transition: ClaimTransition
) -> None:
    """Write the moved claim, its claim event and its audit row (all in the caller's transaction)."""
    uow.claims.update(claim)
    uow.claims.add_transition(claim.practice_id, transition)
    record_audit(
        uow,
        deps,
        actor,
        AuditAction.UPDATE,
        ENTITY,
        claim.id,
        f"{transition.event.value}: {transition.from_status.value} -> {transition.to_status.value}",
    )


def active_coverages(uow: UnitOfWork, practice_id: str, encounter: Encounter) -> list[Coverage]:
    """The patient's coverages active on the date of service, primary first."""
    found = [
        c
        for c in uow.coverages.for_patient(practice_id, encounter.patient_id)
        if c.is_active_on(encounter.date_of_service)
    ]
    return sorted(found, key=lambda c: (c.order.rank, c.effective_from))


class PartyBook:
    """The practice's parties read once per run (practice, providers, payers, facilities), not once per claim."""

    def __init__(self, uow: UnitOfWork, practice_id: str) -> None:
        self.practice = uow.practices.get(practice_id)
        providers = list(uow.providers.list(practice_id))
        self.billing = billing_provider_of(providers)
        self.providers = {p.id: p for p in providers}
        self.payers = {p.id: p for p in uow.payers.list(practice_id)}
        self.facilities = {f.id: f for f in uow.facilities.list(practice_id)}

    def parties(self, uow: UnitOfWork, encounter: Encounter, coverage: Coverage) -> ClaimParties:
        ub = encounter.institutional
        attending = ub.attending_provider_id if ub else None
        operating = ub.operating_provider_id if ub else None
        return ClaimParties(
            practice=self.practice,
            billing=self.billing,
            patient=uow.patients.get(self.practice.id, encounter.patient_id),
            coverage=coverage,
            payer=self.payers[coverage.payer_id],
            rendering=self.providers[encounter.rendering_provider_id],
            referring=self.providers[encounter.referring_provider_id] if encounter.referring_provider_id else None,
            facility=self.facilities[encounter.facility_id] if encounter.facility_id else None,
            attending=self.providers[attending] if attending else None,
            operating=self.providers[operating] if operating else None,
        )


def parties_for(uow: UnitOfWork, practice_id: str, encounter: Encounter, coverage: Coverage) -> ClaimParties:
    return PartyBook(uow, practice_id).parties(uow, encounter, coverage)


def _build_one(
    uow: UnitOfWork, deps: Deps, actor: Actor, book: PartyBook, encounter: Encounter
) -> tuple[ClaimRecord, bool]:
    """The encounter's claim to its primary payer: (claim, True) when made now, (claim, False) when it existed."""
    pid = actor.practice_id
    coverages = active_coverages(uow, pid, encounter)
    if not coverages:
        raise ValidationError(
            f"the patient has no coverage active on the date of service {encounter.date_of_service.isoformat()}; "
            "add the coverage, or bill the patient directly (self-pay)",
            field="coverage",
        )
    primary = coverages[0]
    key = build_key(encounter.id, primary.payer_id)
    existing = uow.claims.by_build_key(pid, key)
    if existing is not None:
        return existing, False
    number = patient_control_number(uow.counters.next(pid, "claim"))
    document, lines = encounter_claim(encounter, book.parties(uow, encounter, primary), control_number=number)
    now = deps.clock.now()
    following = [c for c in coverages[1:] if c.payer_id != primary.payer_id]
    record = ClaimRecord(
        practice_id=pid,
        encounter_id=encounter.id,
        patient_id=encounter.patient_id,
        coverage_id=primary.id,
        payer_id=primary.payer_id,
        order=primary.order,
        document=document,
        date_of_service=encounter.date_of_service,
        lines=lines,
        next_coverage_id=following[0].id if following else None,
        created_at=now,
        updated_at=now,
    )
    uow.claims.add(record, key)
    record_audit(
        uow, deps, actor, AuditAction.CREATE, ENTITY, record.id, f"encounter={encounter.id} lines={len(lines)}"
    )
    return record, True


def build_claims(
    deps: Deps, actor: Actor, encounter_ids: Sequence[str] | None = None, *, on_progress: Progress = no_progress
) -> BuildResult:
    """Claims for the named encounters (all or nothing), or for every encounter not billed yet (skipping, with the
    reason, those that cannot be billed to insurance)."""
    actor.require(WRITE)
    created: list[ClaimRecord] = []
    existing: list[ClaimRecord] = []
    skipped: list[Skipped] = []
    with deps.uow() as uow:
        pid = actor.practice_id
        ids = list(encounter_ids) if encounter_ids is not None else list(uow.claims.unbilled_encounter_ids(pid))
        book = PartyBook(uow, pid)
        for index, encounter_id in enumerate(ids):
            field = f"encounter_ids[{index}]"
            try:
                encounter = uow.encounters.get(pid, encounter_id)
                claim, made = _build_one(uow, deps, actor, book, encounter)
            except MedbillError as exc:
                if encounter_ids is not None:
                    raise type(exc)(exc.message, field=field, code=exc.code) from None
                skipped.append(Skipped(encounter_id=encounter_id, reason=exc.message))
            else:
                (created if made else existing).append(claim)
            on_progress(index + 1, len(ids))
        uow.commit()
    return BuildResult(created=tuple(created), existing=tuple(existing), skipped=tuple(skipped))


def scrub_context(uow: UnitOfWork, deps: Deps, practice_id: str, claims: Sequence[ClaimRecord]) -> ScrubContext:
    """What the database knows that the 837 does not: coverage periods, filing limits, lines already sent."""
    facts: dict[str, ClaimFacts] = {}
    limits: dict[str, int] = {}
    payers = {p.id: p for p in uow.payers.list(practice_id)}
    coverages: dict[str, Sequence[Coverage]] = {}
    replaced: set[str] = set()
    for claim in claims:
        if claim.patient_id not in coverages:
            coverages[claim.patient_id] = uow.coverages.for_patient(practice_id, claim.patient_id)
        periods = tuple(
            CoveragePeriod(start=c.effective_from, end=c.effective_to)
            for c in coverages[claim.patient_id]
            if c.payer_id == claim.payer_id
        )
        payer = payers[claim.payer_id]
        facts[claim.patient_control_number] = ClaimFacts(coverage=periods, timely_filing_days=payer.timely_filing_days)
        limits[payer.payer_id] = payer.timely_filing_days
        if claim.original_claim_id is not None:
            replaced.add(uow.claims.get(practice_id, claim.original_claim_id).patient_control_number)
    sent = [
        doc
        for doc in uow.claims.sent_documents(practice_id, [c.patient_id for c in claims])
        if doc.patient_control_number not in replaced
    ]
    return ScrubContext(today=deps.clock.today(), facts=facts, timely_filing_days=limits, sent=sent_map(sent))


def _run_scrubber(documents: Sequence[Claim], context: ScrubContext) -> list[tuple[Finding, ...]]:
    """The scrubber engine over the claims, in order (claims in one run are checked against each other too)."""
    return [findings for _, findings in scrub_batch(documents, context)]


def scrub_claims(
    deps: Deps, actor: Actor, claim_ids: Sequence[str] | None = None, *, on_progress: Progress = no_progress
) -> list[ClaimRecord]:
    """Scrub the named claims (draft or scrubbed), or every draft claim; store the findings, move them to scrubbed."""
    actor.require(WRITE)
    out: list[ClaimRecord] = []
    with deps.uow() as uow:
        pid = actor.practice_id
        if claim_ids is None:
            claims = list(uow.claims.find(pid, ClaimQuery(statuses=(ClaimStatus.DRAFT,), limit=100_000)))
        else:
            claims = [uow.claims.get(pid, claim_id) for claim_id in claim_ids]
        context = scrub_context(uow, deps, pid, claims)
        results = _run_scrubber([c.document for c in claims], context)
        now = deps.clock.now()
        for index, (claim, findings) in enumerate(zip(claims, results, strict=True)):
            try:
                moved, transition = claim.scrubbed(findings, at=now, actor=actor.username)
            except MedbillError as exc:
                raise type(exc)(exc.message, field=f"claim_ids[{index}]", code=exc.code) from None
            store_transition(uow, deps, actor, moved, transition)
            out.append(moved)
            on_progress(index + 1, len(claims))
        uow.commit()
    return out


def list_claims(
    deps: Deps, actor: Actor, *, status: str | None = None, limit: int = 500, offset: int = 0
) -> Sequence[ClaimRecord]:
    """Claims of the practice by claim number, of one status when asked; the search is audited."""
    actor.require(READ)
    if not 1 <= limit <= 10_000:
        raise ValidationError("limit is between 1 and 10000", field="limit")
    statuses = (parse_enum(ClaimStatus, status, "status"),) if status else ()
    with deps.uow() as uow:
        found = uow.claims.find(actor.practice_id, ClaimQuery(statuses=statuses, limit=limit, offset=offset))
        record_audit(uow, deps, actor, AuditAction.SEARCH, ENTITY, None, f"status={status or '*'} results={len(found)}")
        uow.commit()
    return found


def get_claim(deps: Deps, actor: Actor, claim_id: str) -> ClaimDetail:
    """One claim with its lines, latest findings, every transition and every snapshot sent; the read is audited."""
    actor.require(READ)
    with deps.uow() as uow:
        claim = uow.claims.get(actor.practice_id, claim_id)
        detail = ClaimDetail(
            claim=claim,
            history=tuple(uow.claims.history(actor.practice_id, claim_id)),
            snapshots=tuple(uow.claims.snapshots(actor.practice_id, claim_id)),
        )
        record_audit(uow, deps, actor, AuditAction.READ, ENTITY, claim.id, f"patient={claim.patient_id}")
        uow.commit()
    return detail


def claim_counts(deps: Deps, actor: Actor) -> Sequence[ClaimCount]:
    """Claims by status and payer with their charges: what a batch screen or a work queue shows first."""
    actor.require(READ)
    with deps.uow() as uow:
        return uow.claims.counts(actor.practice_id)


def claim_id_for(deps: Deps, actor: Actor, id_or_number: str) -> str:
    """The id of the claim named by its id or by its claim number (CLM01), as a biller reads it off a form."""
    actor.require(READ)
    given = id_or_number.strip()
    with deps.uow() as uow:
        found = uow.claims.by_control_number(actor.practice_id, given.upper())
        if found is not None:
            return found.id
        return uow.claims.get(actor.practice_id, given).id
