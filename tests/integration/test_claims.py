"""Claims on real databases: building from encounters (exact numbers, idempotent), scrubbing, the state machine."""

from __future__ import annotations

from datetime import date

import pytest

from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.claims import ClaimFrequency
from medbill.domain.errors import InvalidTransition, PermissionDenied, ValidationError
from medbill.domain.users import Actor, Role
from medbill.services import claim_corrections, claims, users
from tests.integration.claims_support import (
    add_secondary,
    advance,
    covered_encounter,
    encounter_for,
    uncovered_encounter,
)
from tests.support import Practice, register_with_coverage


def test_build_makes_one_primary_claim_per_encounter_with_our_numbers_and_is_idempotent(practice: Practice) -> None:
    deps = practice.container.deps
    first = covered_encounter(practice)
    second = covered_encounter(practice, last_name="Ash")

    built = claims.build_claims(deps, practice.biller, [first, second])

    assert [c.encounter_id for c in built.created] == [first, second]
    one, two = built.created
    assert (one.patient_control_number, two.patient_control_number) == ("C00000018", "C00000026")
    assert [ln.line_control_number for ln in one.lines] == ["C00000018-1", "C00000018-2"]
    assert [(ln.procedure_code, ln.units, ln.charge_cents) for ln in one.lines] == [
        ("99213", 1, 12000),
        ("36415", 2, 3150),
    ]
    assert one.total_charge_cents == 15150
    assert (one.status, one.frequency, one.payer_id, one.order.value) == (
        ClaimStatus.DRAFT,
        ClaimFrequency.ORIGINAL,
        practice.commercial_id,
        "primary",
    )
    doc = one.document
    assert (doc.billing_provider.identifier, doc.subscriber.subscriber.identifier, doc.subscriber.payer.identifier) == (
        "1234567893",
        "ACM123456789",
        "ACME1",
    )
    assert [d.code for d in doc.diagnoses] == ["E119", "I10"]
    assert [p.role for p in doc.providers] == ["DN", "82", "77"]

    again = claims.build_claims(deps, practice.biller)
    named = claims.build_claims(deps, practice.biller, [first])
    assert (again.created, again.existing, named.created) == ((), (), ())
    assert [c.id for c in named.existing] == [one.id]
    assert [c.patient_control_number for c in claims.list_claims(deps, practice.biller)] == ["C00000018", "C00000026"]
    audit = users.audit_trail(deps, practice.admin, entity_type="claim", entity_id=one.id)
    assert [e.action.value for e in audit] == ["create"]


def test_secondary_coverage_is_kept_as_the_next_payer_not_billed_now(practice: Practice) -> None:
    deps = practice.container.deps
    patient_id, _ = register_with_coverage(practice)
    secondary = add_secondary(practice, patient_id)
    encounter_for(practice, patient_id)

    (claim,) = claims.build_claims(deps, practice.biller).created

    assert (claim.payer_id, claim.next_coverage_id, claim.document.subscriber.responsibility) == (
        practice.commercial_id,
        secondary,
        "P",
    )


def test_an_encounter_without_coverage_on_the_date_is_refused_and_nothing_is_written(practice: Practice) -> None:
    deps = practice.container.deps
    good = covered_encounter(practice)
    bad = uncovered_encounter(practice)

    with pytest.raises(ValidationError, match="no coverage active on the date of service 2026-11-20") as refused:
        claims.build_claims(deps, practice.biller, [good, bad])
    assert refused.value.field == "encounter_ids[1]"
    assert claims.list_claims(deps, practice.biller) == []

    every = claims.build_claims(deps, practice.biller)  # all unbilled: the self-pay encounter is skipped, with why
    assert [c.encounter_id for c in every.created] == [good]
    assert [s.encounter_id for s in every.skipped] == [bad]
    assert every.created[0].patient_control_number == "C00000018"  # the refused run used no number


def test_scrub_stores_findings_and_moves_draft_to_scrubbed_with_an_event(practice: Practice) -> None:
    deps = practice.container.deps
    covered_encounter(practice)
    late = covered_encounter(practice, last_name="Ash", on=date(2026, 4, 10))  # Acme: 180 days to file
    claims.build_claims(deps, practice.biller)

    scrubbed = claims.scrub_claims(deps, practice.biller)

    by_encounter = {c.encounter_id: c for c in scrubbed}
    clean, stale = next(c for c in scrubbed if c.encounter_id != late), by_encounter[late]
    assert (clean.status, clean.findings, clean.summary.errors) == (ClaimStatus.SCRUBBED, (), 0)
    assert stale.status is ClaimStatus.SCRUBBED
    assert [f.rule for f in stale.blocking_findings] == ["coverage.timely_filing"]
    detail = claims.get_claim(deps, practice.biller, stale.id)
    assert detail.claim.findings == stale.findings
    assert [(h.event, h.from_status, h.to_status, h.actor, h.reason) for h in detail.history] == [
        (ClaimEvent.SCRUB, ClaimStatus.DRAFT, ClaimStatus.SCRUBBED, "biller", "errors=1 warnings=0")
    ]
    assert claims.scrub_claims(deps, practice.biller) == []  # nothing left in draft
    again = claims.scrub_claims(deps, practice.biller, [stale.id])  # scrubbed claims can be scrubbed again
    assert len(claims.get_claim(deps, practice.biller, again[0].id).history) == 2


def test_illegal_moves_are_refused_naming_the_state_and_change_nothing(practice: Practice) -> None:
    deps = practice.container.deps
    covered_encounter(practice)
    (claim,) = claims.build_claims(deps, practice.biller).created

    with pytest.raises(InvalidTransition, match="cannot void a claim that is draft"):
        claim_corrections.void_claim(deps, practice.biller, claim.id, payer_claim_number="PAYER123")
    with pytest.raises(InvalidTransition, match="cannot queue a claim that is draft"):
        advance(practice, claim, ClaimEvent.QUEUE)

    detail = claims.get_claim(deps, practice.biller, claim.id)
    assert (detail.claim.status, detail.history, detail.claim.payer_claim_number) == (ClaimStatus.DRAFT, (), None)
    assert len(claims.list_claims(deps, practice.biller)) == 1
    viewer = Actor(user_id="", username="viewer", practice_id=practice.admin.practice_id, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        claims.build_claims(deps, viewer)


def test_replacement_and_void_are_claims_of_their_own_naming_the_original(practice: Practice) -> None:
    deps = practice.container.deps
    first = covered_encounter(practice)
    second = covered_encounter(practice, last_name="Ash")
    one, two = claims.build_claims(deps, practice.biller, [first, second]).created
    for claim in (one, two):
        advance(practice, claim, ClaimEvent.SCRUB, ClaimEvent.QUEUE, ClaimEvent.SUBMIT, ClaimEvent.ACCEPT)

    with pytest.raises(ValidationError, match="payer's claim control number"):
        claim_corrections.replace_claim(deps, practice.biller, one.id)
    replacement = claim_corrections.replace_claim(deps, practice.biller, one.id, payer_claim_number="ICN-0001")
    void = claim_corrections.void_claim(deps, practice.biller, two.id, payer_claim_number="ICN-0002", reason="dup")

    assert (replacement.frequency, replacement.document.original_claim_number, replacement.original_claim_id) == (
        ClaimFrequency.REPLACEMENT,
        "ICN-0001",
        one.id,
    )
    assert (void.frequency, void.document.original_claim_number, void.status) == (
        ClaimFrequency.VOID,
        "ICN-0002",
        ClaimStatus.DRAFT,
    )
    assert (replacement.patient_control_number, void.patient_control_number) == ("C00000034", "C00000042")
    assert [ln.line_control_number for ln in void.document.lines] == ["C00000042-1", "C00000042-2"]
    assert void.total_charge_cents == two.total_charge_cents == 15150
    original = claims.get_claim(deps, practice.biller, one.id)
    assert (original.claim.status, original.history[-1].event) == (ClaimStatus.REPLACED, ClaimEvent.REPLACE)
    assert claims.get_claim(deps, practice.biller, two.id).history[-1].reason == "dup"
    with pytest.raises(InvalidTransition, match="cannot replace a claim that is replaced"):
        claim_corrections.replace_claim(deps, practice.biller, one.id, payer_claim_number="ICN-0001")
