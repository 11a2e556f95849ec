"""Coordination of benefits through posting: the primary's 835 bills the secondary (and moves the patient's share
back to insurance), the secondary's 835 posts on the same lines, and a crossover bills nobody twice."""

from __future__ import annotations

from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.claims import EntityType, NamedEntity
from medbill.domain.coverage import CoverageOrder
from medbill.domain.ledger import EntryKind
from medbill.domain.remittance import ClaimPayment
from medbill.domain.remittance import ClaimStatus as Clp
from medbill.services import accounts, claims
from tests.integration.claims_support import add_secondary, advance, encounter_for
from tests.integration.test_posting import cas, clp, era, run, status_of, svc, typical
from tests.support import Practice, register_with_coverage


def with_secondary(p: Practice) -> ClaimRecord:
    """Acme primary, Medicare secondary; the primary claim (99213 120.00, 36415 x2 31.50) sent to Acme."""
    patient_id, _ = register_with_coverage(p)
    add_secondary(p, patient_id)
    encounter_id = encounter_for(p, patient_id)
    built = claims.build_claims(p.container.deps, p.biller, [encounter_id]).created[0]
    assert built.next_coverage_id is not None
    return advance(p, built, ClaimEvent.SCRUB, ClaimEvent.QUEUE, ClaimEvent.SUBMIT)


def balances(p: Practice, claim: ClaimRecord) -> list[tuple[int, int, int]]:
    ledger = accounts.claim_ledger(p.container.deps, p.biller, claim.id)
    assert ledger.visit is not None
    return [(li.line_number, li.balance.insurance_cents, li.balance.patient_cents) for li in ledger.visit.lines]


def medicare_answer(claim: ClaimRecord, status: Clp = Clp.PRIMARY) -> ClaimPayment:
    """Medicare pays 28.00 of the 35.00 Acme left, 7.00 coinsurance stays with the patient; line 2 owes nothing."""
    return clp(
        claim,
        svc(claim, 1, 2800, cas("OA-23", 8500), cas("PR-2", 700)),
        svc(claim, 2, 0, cas("OA-23", 3150)),
        status=status,
    )


def test_the_primarys_835_bills_the_secondary_and_its_835_posts_on_the_same_lines(practice: Practice) -> None:
    primary = with_secondary(practice)
    report = run(practice, era(typical(primary)))
    assert report.transactions[0].secondary_claims == 1
    assert status_of(practice, primary) is ClaimStatus.SECONDARY_BILLED
    # what Acme put on the patient now waits for Medicare
    assert balances(practice, primary) == [(1, 3500, 0), (2, 0, 0)]
    [secondary] = [
        c for c in claims.list_claims(practice.container.deps, practice.biller) if c.order is CoverageOrder.SECONDARY
    ]
    assert (secondary.status, secondary.payer_id, secondary.total_charge_cents) == (
        ClaimStatus.DRAFT,
        practice.medicare_id,
        15150,
    )
    [acme] = secondary.document.other_insurance
    assert (acme.paid_cents, acme.payer.name) == (8500, "ACME HEALTH")
    # the secondary goes out and Medicare answers on its own claim number
    secondary = advance(practice, secondary, ClaimEvent.SCRUB, ClaimEvent.QUEUE, ClaimEvent.SUBMIT)
    run(practice, era(medicare_answer(secondary), trace="MCR77"))
    assert status_of(practice, secondary) is ClaimStatus.PAID
    assert balances(practice, primary) == [(1, 0, 700), (2, 0, 0)]
    account = accounts.patient_account(practice.container.deps, practice.biller, primary.patient_id)
    b = account.balance
    assert (b.charges_cents, b.payments_cents, b.adjustments_cents, b.patient_cents) == (15150, 11300, 3150, 700)


def test_posting_the_primary_again_builds_no_second_secondary(practice: Practice) -> None:
    primary = with_secondary(practice)
    run(practice, era(typical(primary)))
    again = run(practice, era(typical(primary)))
    assert again.already_imported is True
    secondaries = [
        c for c in claims.list_claims(practice.container.deps, practice.biller) if c.order is CoverageOrder.SECONDARY
    ]
    assert len(secondaries) == 1


def test_a_crossover_bills_no_secondary_and_the_forwarded_answer_posts_on_the_primary_claim(
    practice: Practice,
) -> None:
    primary = with_secondary(practice)
    crossed = clp(
        primary,
        *typical(primary).lines,
        entities=(
            NamedEntity(role="QC", entity_type=EntityType.PERSON, name="ALDER", first_name="JO"),
            NamedEntity(role="TT", entity_type=EntityType.ORGANIZATION, name="MEDICARE B", identifier="MCRB1"),
        ),
    )
    report = run(practice, era(crossed))
    tr = report.transactions[0]
    assert (tr.crossovers, tr.secondary_claims) == (1, 0)
    assert tr.claims[0].note == "crossed over to MEDICARE B by the payer: no secondary claim sent"
    assert status_of(practice, primary) is ClaimStatus.PAID
    assert balances(practice, primary) == [(1, 0, 3500), (2, 0, 0)]
    # Medicare answers the forwarded claim under our primary claim number, as processed secondary
    run(practice, era(medicare_answer(primary, status=Clp.SECONDARY), trace="MCR78"))
    assert balances(practice, primary) == [(1, 0, 700), (2, 0, 0)]
    ledger = accounts.claim_ledger(practice.container.deps, practice.biller, primary.id)
    kinds = [e.kind for e in ledger.claim_entries]
    assert kinds.count(EntryKind.TRANSFER_TO_INSURANCE) == 1
    assert all(e.reason_code != "23" for e in ledger.claim_entries)
