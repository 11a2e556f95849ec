"""276 and 277 (005010X212): claim status questions and answers read, written, and read back unchanged."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from medbill.domain.acknowledgements import (
    ClaimAcknowledgement,
    ClaimStatusQuery,
    ClaimStatusReport,
    ClaimStatusRequest,
    LineStatus,
    StatusInfo,
)
from medbill.domain.claims import EntityType, NamedEntity, ProcedureCode
from medbill.formats import x12
from medbill.formats.x12.writer import write_276, write_277
from tests.unit.x12.x12_helpers import BILLING_NM1, PATIENT_NM1, fixture
from tests.unit.x12.x12_helpers import person as person_with_address

ENVELOPE = x12.Envelope(
    sender_id="SUBMIT01",
    receiver_id="SYNPAYER1",
    interchange_control_number=9,
    group_control_number=9,
    created=datetime(2026, 2, 1, 8, 0),
)
VALID_276 = [
    "276/lfh-x12__claim-level-status-ncpdp.276",
    "276/lfh-x12__claim-level-status.276",
    "276/lfh-x12__demo.276",
    "276/lfh-x12__information-receiver-level-status.276",
    "276/lfh-x12__provider-level-status.276",
]
VALID_277 = [
    "277/lfh-x12__claim-level-status-ncpdp.277",
    "277/lfh-x12__demo.277",
    "277/lfh-x12__information-receiver-level-status.277",
    "277/lfh-x12__provider-level-status.277",
]
PAYER = NamedEntity(
    role="PR",
    entity_type=EntityType.ORGANIZATION,
    name="SYNTHETIC HEALTH PLAN",
    id_qualifier="PI",
    identifier="SYNPAYER1",
)
RECEIVER = NamedEntity(
    role="41", entity_type=EntityType.ORGANIZATION, name="EXAMPLE BILLING", id_qualifier="46", identifier="SUBMIT01"
)


def person(role: str, last: str, first: str, member: str | None = None) -> NamedEntity:
    """A person as a 276/277 names one: NM1 only (no address in these guides)."""
    return dataclasses.replace(person_with_address(role, last, first, member), address=None)


PROVIDER = NamedEntity(
    role="1P",
    entity_type=EntityType.ORGANIZATION,
    name="EXAMPLE FAMILY CLINIC",
    id_qualifier="XX",
    identifier="1234567893",
)


@pytest.mark.parametrize("name", VALID_276)
def test_real_276s_are_read_and_survive_a_round_trip(name: str) -> None:
    docs = [t.document for t in x12.read(fixture(name))]
    assert docs and all(isinstance(d, ClaimStatusRequest) for d in docs)
    assert [t.document for t in x12.read(write_276(docs, ENVELOPE))] == docs  # type: ignore[arg-type]


@pytest.mark.parametrize("name", VALID_277)
def test_real_277s_are_read_and_survive_a_round_trip(name: str) -> None:
    ts = x12.read(fixture(name))
    assert {t.type for t in ts} == {x12.TransactionType.CLAIM_STATUS_RESPONSE}
    docs = [t.document for t in ts]
    assert [t.document for t in x12.read(write_277(docs, ENVELOPE))] == docs  # type: ignore[arg-type]


def test_a_276_names_the_claim_by_trace_account_and_charge() -> None:
    (t,) = x12.read(fixture("276/lfh-x12__claim-level-status.276"))
    req = t.document
    assert isinstance(req, ClaimStatusRequest)
    first, _, third = req.queries
    assert (first.trace, first.patient_account_number, first.charge_cents, first.bill_type) == (
        "ABCXYZ1",
        "SM123456",
        851388,
        "111",
    )
    assert (first.service_date, first.service_date_end) == (date(2005, 8, 31), date(2005, 9, 6))
    assert first.subscriber_birth_date == date(1930, 12, 10) and first.patient is None
    assert third.patient is not None and third.patient.first_name == "JOSEPH"
    assert third.lines[0].procedure == ProcedureCode(qualifier="HC", code="99203")
    assert third.lines[0].charge_cents == 15000


def test_a_277_gives_billed_and_paid_amounts_per_claim() -> None:
    (t,) = x12.read(fixture("277/lfh-x12__demo.277"))
    resp = t.document
    assert isinstance(resp, ClaimAcknowledgement)
    second = resp.claims[1]
    (status,) = second.statuses
    assert (status.category, status.code, status.amount_cents, status.paid_cents) == ("F0", "3", 759900, 759900)
    assert second.patient_account_number == "J0234567"
    third = resp.claims[2]
    assert third.subscriber is not None and third.subscriber.name == "MANN"
    assert third.patient.first_name == "JOSEPH"


def test_a_277_with_two_payers_in_one_set_is_refused_at_the_second_payer() -> None:
    with pytest.raises(x12.X12StructureError) as info:
        x12.read(fixture("277/imsweb__x12_277_x212.txt"))
    assert (info.value.segment_id, info.value.segment_position) == ("NM1", 17)


def test_our_276_and_277_survive_write_then_read() -> None:
    query = ClaimStatusQuery(
        trace="TRACE-1",
        provider=PROVIDER,
        subscriber=person("IL", "TESTSUBSCRIBER", "PAT", "MBR10001"),
        subscriber_birth_date=date(1980, 5, 17),
        subscriber_sex="F",
        patient=person("QC", "TESTCHILD", "SAM"),
        patient_birth_date=date(2015, 3, 2),
        patient_sex="M",
        patient_account_number="PCN-A",
        charge_cents=11234,
        service_date=date(2026, 1, 5),
        lines=(
            LineStatus(
                procedure=ProcedureCode(qualifier="HC", code="99213"),
                charge_cents=11234,
                line_control_number="PCN-A-L1",
                service_date=date(2026, 1, 5),
            ),
        ),
    )
    request = ClaimStatusRequest(
        reference="REQ1",
        created=date(2026, 2, 1),
        created_time="0800",
        payer=PAYER,
        receiver=RECEIVER,
        queries=(query,),
    )
    assert [t.document for t in x12.read(write_276([request], ENVELOPE))] == [request]
    response = ClaimAcknowledgement(
        source=PAYER,
        receiver=RECEIVER,
        reference="REQ1",
        created=date(2026, 2, 2),
        created_time="0900",
        claims=(
            ClaimStatusReport(
                claim_id="TRACE-1",
                billing_provider=PROVIDER,
                patient=PATIENT_NM1,
                subscriber=person("IL", "TESTSUBSCRIBER", "PAT", "MBR10001"),
                patient_account_number="PCN-A",
                statuses=(
                    StatusInfo(
                        category="F1",
                        code="65",
                        effective_date=date(2026, 2, 1),
                        amount_cents=11234,
                        paid_cents=8000,
                        payment=("20260201", "ACH", "20260202", "EFT0001"),
                    ),
                ),
                payer_claim_number="PAYERICN9",
                service_date=date(2026, 1, 5),
            ),
        ),
    )
    text = write_277([response], ENVELOPE)
    assert "STC*F1:65*20260201**112.34*80*20260201*ACH*20260202*EFT0001~" in text
    assert [t.document for t in x12.read(text)] == [response]
    assert BILLING_NM1.identifier == PROVIDER.identifier
