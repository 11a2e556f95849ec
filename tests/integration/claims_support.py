"""Helpers for the claim tests: coded encounters on the seeded practice, and moving a claim along as a payer would."""

from __future__ import annotations

from datetime import date

from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent
from medbill.services import encounters, patients
from medbill.services.batches import BatchOptions
from medbill.services.claims import store_transition
from medbill.services.encounters import EncounterDraft, LineDraft
from medbill.services.patients import CoverageDraft, SubscriberDraft
from tests.support import Practice, patient_draft, register_with_coverage

OPTIONS = BatchOptions(contact_phone="2175550100")


def encounter_for(p: Practice, patient_id: str, *, on: date = date(2026, 11, 20), lines: int = 2) -> str:
    """An office visit (99213, priced 120.00 by the Acme contract) and, with two lines, a venipuncture x2 at 31.50."""
    drafts = [LineDraft(procedure_code="99213", diagnosis_pointers=(1, 2))]
    if lines > 1:
        drafts.append(LineDraft(procedure_code="36415", units=2, charge_cents=3150))
    encounter = encounters.record_encounter(
        p.container.deps,
        p.biller,
        EncounterDraft(
            patient_id=patient_id,
            date_of_service=on,
            rendering_provider_id=p.provider_id,
            referring_provider_id=p.provider_id,
            facility_id=p.facility_id,
            diagnoses=("E11.9", "I10"),
            lines=tuple(drafts),
        ),
    )
    return encounter.id


def covered_encounter(p: Practice, *, last_name: str = "Alder", on: date = date(2026, 11, 20)) -> str:
    patient_id, _ = register_with_coverage(p, last_name=last_name)
    return encounter_for(p, patient_id, on=on)


def uncovered_encounter(p: Practice) -> str:
    patient = patients.register_patient(p.container.deps, p.biller, patient_draft(last_name="Birch"))
    return encounter_for(p, patient.id)


def dependant_encounter(p: Practice) -> str:
    """A child covered as a dependant of her mother (patient loop 2000C), seen on 2026-11-18."""
    deps = p.container.deps
    child = patients.register_patient(
        deps, p.biller, patient_draft(last_name="Cedar", first_name="Cora", birth_date=date(2015, 6, 1))
    )
    patients.add_coverage(
        deps,
        p.biller,
        child.id,
        CoverageDraft(
            payer_id=p.commercial_id,
            order="primary",
            member_id="ACM555000111",
            relationship="19",
            subscriber=SubscriberDraft(last_name="Cedar", first_name="Clara", birth_date=date(1985, 2, 2), sex="F"),
            effective_from=date(2026, 1, 1),
        ),
    )
    return encounter_for(p, child.id, on=date(2026, 11, 18))


def add_secondary(p: Practice, patient_id: str) -> str:
    coverage = patients.add_coverage(
        p.container.deps,
        p.biller,
        patient_id,
        CoverageDraft(
            payer_id=p.medicare_id,
            order="secondary",
            member_id="1EG4TE5MK73",
            effective_from=date(2026, 1, 1),
        ),
    )
    return coverage.id


def advance(p: Practice, claim: ClaimRecord, *events: ClaimEvent) -> ClaimRecord:
    """Move a claim through ``events`` as the clearinghouse and payer answers would (those services come later)."""
    deps = p.container.deps
    with deps.uow() as uow:
        current = uow.claims.get(claim.practice_id, claim.id)
        for event in events:
            current, transition = current.moved(event, at=deps.clock.now(), actor="payer answer")
            store_transition(uow, deps, p.admin, current, transition)
        uow.commit()
    return current
