"""The stored claim record: our claim numbers with their check digit, transitions through the state machine, and the
claim document's JSON form (every representative 837 claim comes back equal)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medbill.domain.claim_json import claim_from_json, claim_to_json
from medbill.domain.claim_records import (
    ClaimLineRecord,
    ClaimRecord,
    is_patient_control_number,
    line_control_number,
    patient_control_number,
)
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.claims import ClaimFrequency
from medbill.domain.coverage import CoverageOrder
from medbill.domain.errors import InvalidTransition, ValidationError
from medbill.domain.scrub import Finding, RuleFamily, Severity
from tests.unit.x12.x12_helpers import professional_claim, representative_batches

AT = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)


def _record(**changes: object) -> ClaimRecord:
    document = professional_claim("C00000018", lines=2)
    document = replace(
        document,
        lines=tuple(
            replace(ln, line_control_number=line_control_number("C00000018", ln.number)) for ln in document.lines
        ),
    )
    values: dict[str, object] = {
        "practice_id": "p",
        "encounter_id": "e",
        "patient_id": "pt",
        "coverage_id": "c",
        "payer_id": "py",
        "order": CoverageOrder.PRIMARY,
        "document": document,
        "date_of_service": date(2026, 1, 5),
        "lines": tuple(
            ClaimLineRecord(
                line_number=ln.number,
                line_control_number=ln.line_control_number or "",
                procedure_code=ln.procedure.code if ln.procedure else "",
                charge_cents=ln.charge_cents,
                service_date=date(2026, 1, 5),
            )
            for ln in document.lines
        ),
        "created_at": AT,
        "updated_at": AT,
    }
    values.update(changes)
    return ClaimRecord(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("sequence", "number"), [(1, "C00000018"), (2, "C00000026"), (42, "C00000422"), (12_345_678, "C123456782")]
)
def test_claim_numbers_are_a_sequence_with_a_luhn_check_digit(sequence: int, number: str) -> None:
    assert patient_control_number(sequence) == number
    assert is_patient_control_number(number)


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_every_claim_number_is_short_and_a_changed_digit_is_caught(sequence: int) -> None:
    number = patient_control_number(sequence)
    assert len(number) <= 14 and is_patient_control_number(number)  # fits CMS-1500 box 26
    digit = number[3]
    assert not is_patient_control_number(number[:3] + str((int(digit) + 1) % 10) + number[4:])


def test_a_transition_returns_the_moved_record_and_what_to_store() -> None:
    record = _record()
    finding = Finding(rule="coverage.timely_filing", family=RuleFamily.COVERAGE, severity=Severity.ERROR, message="x")
    scrubbed, transition = record.scrubbed((finding,), at=AT, actor="biller")
    assert (scrubbed.status, scrubbed.summary.errors, scrubbed.blocking_findings) == (
        ClaimStatus.SCRUBBED,
        1,
        (finding,),
    )
    assert (transition.event, transition.from_status, transition.to_status, transition.reason) == (
        ClaimEvent.SCRUB,
        ClaimStatus.DRAFT,
        ClaimStatus.SCRUBBED,
        "errors=1 warnings=0",
    )
    with pytest.raises(InvalidTransition, match="cannot submit a claim that is scrubbed"):
        scrubbed.moved(ClaimEvent.SUBMIT, at=AT, actor="x")


def test_a_record_refuses_numbers_not_ours_and_corrections_without_the_payer_number() -> None:
    with pytest.raises(ValidationError, match="claim numbers"):
        _record(document=replace(_record().document, patient_control_number="C00000019"))
    with pytest.raises(ValidationError, match="REF\\*F8"):
        _record(document=replace(_record().document, frequency=ClaimFrequency.VOID))
    with pytest.raises(ValidationError, match="sum of its lines"):
        _record(document=replace(_record().document, total_charge_cents=1))


@pytest.mark.parametrize("name", sorted(representative_batches()))
def test_claim_documents_survive_their_json_form(name: str) -> None:
    for claim in representative_batches()[name].claims:
        assert claim_from_json(claim_to_json(claim)) == claim
