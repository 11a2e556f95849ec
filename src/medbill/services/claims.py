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
from medbill.domain.claim_records import ClaimRecord, ClaimSnapshot, is_patient_control_number, patient_control_number
from medbill.domain.claim_states import ClaimStatus, ClaimTransition
from medbill.domain.claims import Claim
from medbill.domain.coverage import Coverage
from medbill.domain.encounters import Encounter
from medbill.domain.errors import MedbillError, NotFound, ValidationError
from medbill.domain.fields import parse_enum
from medbill.domain.parties import Patient
from medbill.domain.scrub import Finding
from medbill.domain.users import Actor, Permission
from medbill.services.base import Deps, audit_event, record_audit
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


def store_transitions(
    uow: UnitOfWork,
    deps: Deps,
    actor: Actor,
    moves: Sequence[tuple[ClaimRecord, ClaimTransition]],
    *,
    findings: bool = True,
) -> None:
    """``store_transition`` for many claims at once, written in bulk: each moved claim, its claim event and its audit
    row. ``findings=False`` when the moves left the claims' findings as they were (queue, submit, accept …)."""
    if not moves:
        return
    uow.claims.update_many([claim for claim, _ in moves], findings=findings)
    uow.claims.add_transitions(actor.practice_id, [transition for _, transition in moves])
    uow.audit.append_many(
        [
            audit_event(
                deps,
                actor,
                AuditAction.UPDATE,
                ENTITY,
                claim.id,
                f"{tr.event.value}: {tr.from_status.value} -> {tr.to_status.value}",
            )
            for claim, tr in moves
        ]
    )


def active_coverages(
    uow: UnitOfWork, practice_id: str, encounter: Encounter, known: Sequence[Coverage] | None = None
) -> list[Coverage]:
    """The patient's coverages active on the date of service, primary first (``known``: the patient's coverages,
    when read ahead)."""
    coverages = uow.coverages.for_patient(practice_id, encounter.patient_id) if known is None else known
    found = [c for c in coverages if c.is_active_on(encounter.date_of_service)]
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
        self.patients: dict[str, Patient] = {}  # read ahead by a run (``build_claims``); else read per claim

    def parties_of(self, encounter: Encounter, coverage: Coverage) -> ClaimParties:
        """``parties`` for an encounter whose patient was read ahead into ``patients``."""
        return self._parties(self.patients[encounter.patient_id], encounter, coverage)

    def parties(self, uow: UnitOfWork, encounter: Encounter, coverage: Coverage) -> ClaimParties:
        patient = self.patients.get(encounter.patient_id) or uow.patients.get(self.practice.id, encounter.patient_id)
        return self._parties(patient, encounter, coverage)

    def _parties(self, patient: Patient, encounter: Encounter, coverage: Coverage) -> ClaimParties:
        ub = encounter.institutional
        attending = ub.attending_provider_id if ub else None
        operating = ub.operating_provider_id if ub else None
        return ClaimParties(
            practice=self.practice,
            billing=self.billing,
            patient=patient,
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


@dataclass(slots=True)
class _Planned:
    """An encounter's claim about to be built: its index in the run, the encounter and the coverages in order."""

    index: int
    encounter: Encounter
    coverages: list[Coverage]


def _new_claim(deps: Deps, actor: Actor, book: PartyBook, planned: _Planned, number: str) -> tuple[ClaimRecord, str]:
    """The encounter's claim to its primary payer, numbered ``number``, and its build key."""
    encounter, coverages = planned.encounter, planned.coverages
    primary = coverages[0]
    document, lines = encounter_claim(encounter, book.parties_of(encounter, primary), control_number=number)
    now = deps.clock.now()
    following = [c for c in coverages[1:] if c.payer_id != primary.payer_id]
    record = ClaimRecord(
        practice_id=actor.practice_id,
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
    return record, build_key(encounter.id, primary.payer_id)


def _no_coverage(encounter: Encounter) -> ValidationError:
    return ValidationError(
        f"the patient has no coverage active on the date of service {encounter.date_of_service.isoformat()}; "
        "add the coverage, or bill the patient directly (self-pay)",
        field="coverage",
    )


BUILD_CHUNK = 1000  # encounters read, built and written together


def build_claims(
    deps: Deps,
    actor: Actor,
    encounter_ids: Sequence[str] | None = None,
    *,
    skip_unbillable: bool = False,
    on_progress: Progress = no_progress,
) -> BuildResult:
    """Claims for the named encounters (all or nothing, unless ``skip_unbillable``), or for every encounter not
    billed yet; skipped encounters (those that cannot be billed to insurance) are reported with the reason.

    Encounters are read, built and written a thousand at a time (the encounters, coverages, patients and existing
    claims in a few queries, the claim numbers taken as one block, the claims and their audit rows written in bulk),
    all in one transaction."""
    actor.require(WRITE)
    created: list[ClaimRecord] = []
    existing: list[ClaimRecord] = []
    skipped: list[Skipped] = []
    with deps.uow() as uow:
        pid = actor.practice_id
        ids = list(encounter_ids) if encounter_ids is not None else list(uow.claims.unbilled_encounter_ids(pid))
        book = PartyBook(uow, pid)

        def refuse(index: int, encounter_id: str, exc: MedbillError) -> None:
            if encounter_ids is not None and not skip_unbillable:
                raise type(exc)(exc.message, field=f"encounter_ids[{index}]", code=exc.code) from None
            skipped.append(Skipped(encounter_id=encounter_id, reason=exc.message))

        for start in range(0, len(ids), BUILD_CHUNK):
            chunk = ids[start : start + BUILD_CHUNK]
            encounters = uow.encounters.get_many(pid, chunk)
            patient_ids = [e.patient_id for e in encounters.values()]
            coverages = uow.coverages.for_patients(pid, patient_ids)
            book.patients.update(uow.patients.get_many(pid, patient_ids))
            planned: list[_Planned] = []
            for index, encounter_id in enumerate(chunk, start):
                encounter = encounters.get(encounter_id)
                if encounter is None:
                    refuse(index, encounter_id, NotFound("no encounter with that id in this practice"))
                    continue
                active = active_coverages(uow, pid, encounter, coverages.get(encounter.patient_id, ()))
                if not active:
                    refuse(index, encounter_id, _no_coverage(encounter))
                    continue
                planned.append(_Planned(index, encounter, active))
            found = uow.claims.by_build_keys(pid, [build_key(p.encounter.id, p.coverages[0].payer_id) for p in planned])
            made: list[tuple[ClaimRecord, str]] = []
            to_build = [p for p in planned if build_key(p.encounter.id, p.coverages[0].payer_id) not in found]
            first = uow.counters.take(pid, "claim", len(to_build), apart=True) if to_build else 0
            numbers = {p.index: patient_control_number(first + i) for i, p in enumerate(to_build)}
            for p in planned:
                before = found.get(build_key(p.encounter.id, p.coverages[0].payer_id))
                if before is not None:
                    existing.append(before)
                    continue
                try:
                    made.append(_new_claim(deps, actor, book, p, numbers[p.index]))
                except MedbillError as exc:
                    refuse(p.index, p.encounter.id, exc)
            uow.claims.add_many(made)
            uow.audit.append_many(
                [
                    audit_event(
                        deps,
                        actor,
                        AuditAction.CREATE,
                        ENTITY,
                        record.id,
                        f"encounter={record.encounter_id} lines={len(record.lines)}",
                    )
                    for record, _ in made
                ]
            )
            created.extend(record for record, _ in made)
            on_progress(min(start + BUILD_CHUNK, len(ids)), len(ids))
        uow.commit()
    return BuildResult(created=tuple(created), existing=tuple(existing), skipped=tuple(skipped))


def scrub_context(uow: UnitOfWork, deps: Deps, practice_id: str, claims: Sequence[ClaimRecord]) -> ScrubContext:
    """What the database knows that the 837 does not: coverage periods, filing limits, lines already sent."""
    facts: dict[str, ClaimFacts] = {}
    limits: dict[str, int] = {}
    payers = {p.id: p for p in uow.payers.list(practice_id)}
    coverages = uow.coverages.for_patients(practice_id, [c.patient_id for c in claims])
    replaced: set[str] = set()
    for claim in claims:
        periods = tuple(
            CoveragePeriod(start=c.effective_from, end=c.effective_to)
            for c in coverages.get(claim.patient_id, ())
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
            claims = uow.claims.get_many(pid, claim_ids)
        context = scrub_context(uow, deps, pid, claims)
        results = _run_scrubber([c.document for c in claims], context)
        now = deps.clock.now()
        moves: list[tuple[ClaimRecord, ClaimTransition]] = []
        for index, (claim, findings) in enumerate(zip(claims, results, strict=True)):
            try:
                moved, transition = claim.scrubbed(findings, at=now, actor=actor.username)
            except MedbillError as exc:
                raise type(exc)(exc.message, field=f"claim_ids[{index}]", code=exc.code) from None
            moves.append((moved, transition))
            out.append(moved)
        store_transitions(uow, deps, actor, moves)
        if claims:
            on_progress(len(claims), len(claims))
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


def _named(uow: UnitOfWork, practice_id: str, id_or_number: str) -> ClaimRecord:
    """The claim named by its claim number (CLM01, as a biller reads it off a form) or by its id: one lookup, by
    the shape of what was given (a claim number has its letter and check digit; an id is 32 hex digits)."""
    given = id_or_number.strip()
    if is_patient_control_number(given.upper()):
        found = uow.claims.by_control_number(practice_id, given.upper())
        if found is not None:
            return found
    return uow.claims.get(practice_id, given)


def claim_id_for(deps: Deps, actor: Actor, id_or_number: str) -> str:
    """The id of the claim named by its id or by its claim number (CLM01)."""
    actor.require(READ)
    with deps.uow() as uow:
        return _named(uow, actor.practice_id, id_or_number).id


def get_claim(deps: Deps, actor: Actor, claim_id: str) -> ClaimDetail:
    """One claim (by id or claim number) with its lines, latest findings, every transition and every snapshot sent;
    the read is audited."""
    actor.require(READ)
    with deps.uow() as uow:
        claim = _named(uow, actor.practice_id, claim_id)
        detail = ClaimDetail(
            claim=claim,
            history=tuple(uow.claims.history(actor.practice_id, claim.id)),
            snapshots=tuple(uow.claims.snapshots(actor.practice_id, claim.id)),
        )
        record_audit(uow, deps, actor, AuditAction.READ, ENTITY, claim.id, f"patient={claim.patient_id}")
        uow.commit()
    return detail


def claim_counts(deps: Deps, actor: Actor) -> Sequence[ClaimCount]:
    """Claims by status and payer with their charges: what a batch screen or a work queue shows first."""
    actor.require(READ)
    with deps.uow() as uow:
        return uow.claims.counts(actor.practice_id)
