"""Claim batches on real databases: one 837P per payer, read back and judged by pyx12, control numbers that persist,
claims with errors held unless an admin forces them (with an audit row), and the claim's paper form."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from medbill.domain.audit import AuditAction
from medbill.domain.claim_json import claim_from_json
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.claims import ClaimBatch
from medbill.domain.errors import PermissionDenied, ValidationError
from medbill.formats import x12
from medbill.services import batches, claim_corrections, claim_forms, claims, users
from tests.integration.claims_support import OPTIONS, advance, covered_encounter, dependant_encounter
from tests.integration.test_x12_pyx12 import X12VALID, pyx12_errors
from tests.support import Practice


def _build_and_scrub(p: Practice, *encounter_ids: str) -> None:
    claims.build_claims(p.container.deps, p.biller, list(encounter_ids))
    claims.scrub_claims(p.container.deps, p.biller)


def test_a_batch_is_one_837p_per_payer_that_reads_back_with_our_numbers(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    first = covered_encounter(practice)
    second = covered_encounter(practice, last_name="Ash", on=date(2026, 11, 19))  # same member ID as Alder
    _build_and_scrub(practice, first, second)

    result = batches.batch_claims(deps, practice.biller, options=OPTIONS, out_dir=tmp_path)

    (built,) = result.batches
    batch = built.batch
    assert (batch.file_name, batch.receiver_id, batch.interchange_control_number, batch.group_control_number) == (
        "837P_ACME1_000000001.x12",
        "ACME1",
        1,
        1,
    )
    assert (batch.claim_count, batch.total_charge_cents, result.held) == (2, 30300, ())
    written = (tmp_path / batch.file_name).read_bytes()
    stored_batch, stored = batches.get_batch_file(deps, practice.biller, batch.id)
    assert stored == written and stored_batch == batch and batch.size_bytes == len(written)
    (transaction,) = x12.read(written)
    document = transaction.document
    assert isinstance(document, ClaimBatch)
    assert transaction.interchange.control_number == "000000001"
    assert [c.patient_control_number for c in document.claims] == ["C00000018", "C00000026"]
    assert [c.total_charge_cents for c in document.claims] == [15150, 15150]
    assert [ln.line_control_number for ln in document.claims[0].lines] == ["C00000018-1", "C00000018-2"]
    for claim in built.claims:
        detail = claims.get_claim(deps, practice.biller, claim.id)
        assert (detail.claim.status, detail.claim.batch_id, detail.history[-1].event) == (
            ClaimStatus.QUEUED,
            batch.id,
            ClaimEvent.QUEUE,
        )
        (snapshot,) = detail.snapshots
        assert (snapshot.batch_id, claim_from_json(snapshot.document)) == (batch.id, detail.claim.document)

    assert batches.batch_claims(deps, practice.biller, options=OPTIONS).batches == ()  # nothing left to batch
    third = covered_encounter(practice, last_name="Elm", on=date(2026, 11, 18))
    _build_and_scrub(practice, third)
    (later,) = batches.batch_claims(deps, practice.biller, options=OPTIONS).batches
    assert (later.batch.interchange_control_number, later.batch.group_control_number) == (2, 2)
    assert {b.id for b in batches.list_batches(deps, practice.biller)} == {batch.id, later.batch.id}


@pytest.mark.skipif(not X12VALID.exists(), reason="pyx12 not installed")
def test_the_837p_of_a_batch_passes_pyx12_with_a_dependant_and_a_void(practice: Practice, tmp_path: Path) -> None:
    deps = practice.container.deps
    first = covered_encounter(practice)
    _build_and_scrub(practice, first, dependant_encounter(practice))
    (built,) = batches.batch_claims(deps, practice.biller, options=OPTIONS).batches
    _, content = batches.get_batch_file(deps, practice.biller, built.batch.id)
    assert pyx12_errors(content.decode("ascii"), tmp_path) == []
    child = next(c for c in built.claims if c.encounter_id != first)
    assert (child.document.patient is not None, child.document.subscriber.relationship) == (True, None)

    original = next(c for c in built.claims if c.encounter_id == first)
    advance(practice, original, ClaimEvent.SUBMIT, ClaimEvent.ACCEPT)
    void = claim_corrections.void_claim(deps, practice.biller, original.id, payer_claim_number="ICN-0001")
    (scrubbed,) = claims.scrub_claims(deps, practice.biller)
    assert (scrubbed.id, scrubbed.findings) == (void.id, ())  # the void does not count as a duplicate of its original
    (voids,) = batches.batch_claims(deps, practice.biller, options=OPTIONS).batches
    _, content = batches.get_batch_file(deps, practice.biller, voids.batch.id)
    assert "CLM*C00000034*151.5***11:B:8" in content.decode("ascii")
    assert "REF*F8*ICN-0001~" in content.decode("ascii")
    assert pyx12_errors(content.decode("ascii"), tmp_path) == []


def test_a_claim_with_errors_is_held_unless_an_admin_forces_it(practice: Practice) -> None:
    deps = practice.container.deps
    clean = covered_encounter(practice)
    late = covered_encounter(practice, last_name="Ash", on=date(2026, 4, 10))  # past Acme's 180 days
    _build_and_scrub(practice, clean, late)
    stale = next(c for c in claims.list_claims(deps, practice.biller) if c.encounter_id == late)
    assert [f.rule for f in stale.blocking_findings] == ["coverage.timely_filing"]

    with pytest.raises(PermissionDenied, match="admin role"):
        batches.batch_claims(deps, practice.biller, options=replace(OPTIONS, force=(stale.id,)))
    assert batches.list_batches(deps, practice.biller) == []  # the refusal changed nothing
    assert claims.get_claim(deps, practice.biller, stale.id).claim.status is ClaimStatus.SCRUBBED
    refused_trail = users.audit_trail(deps, practice.admin, entity_type="claim", entity_id=stale.id)
    assert [e for e in refused_trail if e.action is AuditAction.FORCE] == []

    first = batches.batch_claims(deps, practice.biller, options=OPTIONS)
    assert [c.id for c in first.held] == [stale.id]
    assert [c.encounter_id for b in first.batches for c in b.claims] == [clean]

    forced = batches.batch_claims(deps, practice.admin, options=replace(OPTIONS, force=(stale.id,)))
    assert [c.id for b in forced.batches for c in b.claims] == [stale.id]
    audit = users.audit_trail(deps, practice.admin, entity_type="claim", entity_id=stale.id)
    assert [e.detail for e in audit if e.detail.startswith("forced")] == [
        "forced into a batch despite errors: coverage.timely_filing"
    ]
    assert [e.username for e in audit if e.detail.startswith("forced")] == ["admin"]
    forced_rows = [e for e in audit if e.action is AuditAction.FORCE]  # a claim-level row of its own kind
    assert [(e.entity_type, e.entity_id, e.detail) for e in forced_rows] == [
        ("claim", stale.id, "forced into a batch despite errors: coverage.timely_filing")
    ]


def test_a_batch_needs_a_submitter_contact_and_refuses_without_changing_anything(practice: Practice) -> None:
    deps = practice.container.deps
    _build_and_scrub(practice, covered_encounter(practice))
    with pytest.raises(ValidationError, match="phone number") as refused:
        batches.batch_claims(deps, practice.biller)
    assert refused.value.field == "contact_phone"
    (claim,) = claims.list_claims(deps, practice.biller)
    assert (claim.status, claim.batch_id, batches.list_batches(deps, practice.biller)) == (
        ClaimStatus.SCRUBBED,
        None,
        [],
    )
    (built,) = batches.batch_claims(deps, practice.biller, options=OPTIONS).batches
    assert built.batch.interchange_control_number == 1  # the refused run used no control number


def test_the_cms1500_of_a_claim_carries_its_numbers(practice: Practice) -> None:
    deps = practice.container.deps
    patient_claim = covered_encounter(practice)
    claims.build_claims(deps, practice.biller, [patient_claim])
    (claim,) = claims.list_claims(deps, practice.biller)
    data = claim_forms.cms1500_from_claim(claim.document)
    assert (data.patient_account, data.insured_id, data.federal_tax_id, data.total_charge_cents) == (
        "C00000018",
        "ACM123456789",
        "471234567",
        15150,
    )
    assert [(ln.procedure_code, ln.diagnosis_pointers, ln.charge_cents, ln.units) for ln in data.lines] == [
        ("99213", "AB", 12000, 1),
        ("36415", "A", 3150, 2),
    ]
    assert data.referring is not None and data.referring.npi == "1245319599"
    pdf = claim_forms.get_claim_pdf(deps, practice.biller, claim.id)
    assert pdf.startswith(b"%PDF")
    assert claim_forms.get_claim_pdf(deps, practice.biller, claim.id, mode="data_only").startswith(b"%PDF")


def test_a_payers_claims_beyond_the_file_size_go_to_further_files_each_with_its_own_control_numbers(
    practice: Practice,
) -> None:
    deps = practice.container.deps
    for index, name in enumerate(["Alder", "Birch", "Cedar", "Dogwood", "Elm"]):
        covered_encounter(practice, last_name=name, on=date(2026, 11, 16 + index))
    claims.build_claims(deps, practice.biller)
    claims.scrub_claims(deps, practice.biller)
    with pytest.raises(ValidationError) as refused:
        batches.batch_claims(deps, practice.biller, options=replace(OPTIONS, claims_per_file=5001))
    assert refused.value.field == "claims_per_file"

    result = batches.batch_claims(deps, practice.biller, options=replace(OPTIONS, claims_per_file=2))
    files = [b.batch for b in result.batches]
    assert [f.claim_count for f in files] == [2, 2, 1]
    assert [f.interchange_control_number for f in files] == [1, 2, 3]
    assert [f.file_name for f in files] == [f"837P_ACME1_00000000{n}.x12" for n in (1, 2, 3)]
    numbers = [c.patient_control_number for b in result.batches for c in b.claims]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5  # in claim-number order, each claim once
    assert sum(f.total_charge_cents for f in files) == 5 * 15150
    for built in result.batches:
        (document,) = [t.document for t in x12.read(batches.get_batch_file(deps, practice.biller, built.batch.id)[1])]
        assert isinstance(document, ClaimBatch) and len(document.claims) == built.batch.claim_count
