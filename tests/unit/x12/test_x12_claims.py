"""837P and 837I: real claim files read into claims, ours written and read back unchanged."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill.domain.claims import (
    ClaimBatch,
    ClaimFrequency,
    ClaimKind,
    Diagnosis,
    ProcedureCode,
    ServiceLine,
)
from medbill.formats import x12
from medbill.formats.x12.writer import write_837
from tests.unit.x12.x12_helpers import (
    build,
    claim_batch,
    fixture,
    institutional_claim,
    professional_claim,
    representative_batches,
)

VALID_837P = [
    "837P/x12types__005010_837.edi",
    "837P/oopfactory__Example1_HealthInsurance.txt",
    "837P/oopfactory__Example2_Encounter.txt",
    "837P/oopfactory__Example3_COB.txt",
    "837P/oopfactory__Example1_2_And_3_Combined.txt",
    "837P/oopfactory__ST1309-XX.txt",
    "837P/oopfactory__MedicaidExample.txt",
    "837P/lfh-x12__demo.837",
    "837P/lfh-x12__demo.ambulance.example5.837",
    "837P/lfh-x12__demo.autoaccident.837",
    "837P/lfh-x12__demo.cob.example3.B.837",
    "837P/lfh-x12__demo.cob.example3.C.837",
    "837P/lfh-x12__demo.cob.example4.837",
    "837P/lfh-x12__demo.drug.example10.1.837",
    "837P/lfh-x12__demo.drug.example10.2.837",
    "837P/lfh-x12__demo.example1.837",
    "837P/lfh-x12__demo.example2.837",
    "837P/lfh-x12__demo.example7.837",
    "837P/lfh-x12__demo.example8.837",
]
VALID_837I = [
    "837I/lfh-x12__demo.837i",
    "837I/lfh-x12__two-claims-single-provider.837i",
    "837I/oopfactory__Spec_3.1.2_TwoClaimsForTheSameProvider.txt",
]
ENVELOPE = x12.Envelope(
    sender_id="SUBMIT01",
    receiver_id="CLEAR01",
    interchange_control_number=5,
    group_control_number=5,
    created=datetime(2026, 1, 7, 10, 15),
)


def batches(data: bytes | str) -> list[ClaimBatch]:
    out = []
    for t in x12.read(data):
        assert isinstance(t.document, ClaimBatch)
        out.append(t.document)
    return out


@pytest.mark.parametrize("name", VALID_837P + VALID_837I)
def test_real_837s_are_read_and_survive_a_round_trip(name: str) -> None:
    docs = batches(fixture(name))
    assert docs and all(d.claims for d in docs)
    assert batches(write_837(docs, ENVELOPE)) == docs


def test_a_real_837p_is_read_into_claims_to_the_cent() -> None:
    (t,) = x12.read(fixture("837P/x12types__005010_837.edi"))
    assert t.type == x12.TransactionType.PROFESSIONAL_CLAIM
    batch = t.document
    assert isinstance(batch, ClaimBatch)
    (claim,) = batch.claims
    assert (claim.patient_control_number, claim.total_charge_cents, claim.facility_code, claim.frequency) == (
        "26463774",
        10000,
        "11",
        ClaimFrequency.ORIGINAL,
    )
    assert claim.billing_provider.identifier == "9876543210" and claim.billing_provider.taxonomy == "203BF0100Y"
    assert claim.subscriber.payer.name == "KEY INSURANCE COMPANY"
    assert claim.patient is not None and claim.patient.relationship == "19"
    assert claim.patient.birth_date == date(1973, 5, 1)
    assert claim.diagnoses == (Diagnosis(qualifier="BK", code="0340"), Diagnosis(qualifier="BF", code="V7389"))
    assert [
        (x.procedure.code if x.procedure else None, x.charge_cents, x.units, x.diagnosis_pointers) for x in claim.lines
    ] == [
        ("99213", 4000, Decimal(1), (1,)),
        ("87070", 1500, Decimal(1), (1,)),
        ("99214", 3500, Decimal(1), (2,)),
        ("86663", 1000, Decimal(1), (2,)),
    ]
    assert claim.lines_total_cents() == claim.total_charge_cents
    assert claim.lines[2].service_date == date(2006, 10, 10)


def test_a_real_837i_keeps_revenue_codes_statement_dates_and_attending() -> None:
    (batch,) = batches(fixture("837I/lfh-x12__two-claims-single-provider.837i"))
    assert batch.kind is ClaimKind.INSTITUTIONAL
    first, second = batch.claims
    assert [(x.revenue_code, x.charge_cents, x.units) for x in first.lines] == [
        ("0305", 1339, Decimal(1)),
        ("0730", 7656, Decimal(3)),
    ]
    assert first.dates[0].qualifier == "434" and first.dates[0].end == date(2005, 3, 15)
    assert first.admission == ("1", "", "01")
    assert second.providers[0].role == "71" and second.providers[0].taxonomy == "363LP0200N"
    assert first.billing_provider == second.billing_provider


@pytest.mark.parametrize("name", sorted(representative_batches()))
def test_our_claims_survive_write_then_read(name: str) -> None:
    batch = representative_batches()[name]
    assert batches(write_837([batch], ENVELOPE)) == [batch]


def test_a_secondary_claim_carries_the_other_payer_and_line_adjudication() -> None:
    (batch,) = batches(write_837([claim_batch([professional_claim(secondary=True, lines=2)])], ENVELOPE))
    claim = batch.claims[0]
    (other,) = claim.other_insurance
    assert (other.payer.identifier, other.paid_cents, other.adjudication_date) == ("SYNPAYER1", 10000, date(2026, 2, 1))
    adj = claim.lines[1].other_payer_adjudications[0]
    assert (adj.paid_cents, adj.adjustments[0].carc, adj.adjustments[0].amount_cents) == (5000, "45", 7468)


def test_replacement_and_void_carry_the_original_claim_number() -> None:
    text = write_837([representative_batches()["837P replacement and void"]], ENVELOPE)
    assert "CLM*PCN-7*112.34***11:B:7*Y*A*Y*Y~" in text
    assert "REF*F8*PAYERICN1~" in text
    (batch,) = batches(text)
    assert [(c.frequency, c.original_claim_number) for c in batch.claims] == [
        (ClaimFrequency.REPLACEMENT, "PAYERICN1"),
        (ClaimFrequency.VOID, "PAYERICN2"),
    ]


def test_line_item_control_numbers_are_written_as_ref_6r() -> None:
    text = write_837([claim_batch([professional_claim("PCN-9", lines=2)])], ENVELOPE)
    assert "REF*6R*PCN-9-L1~" in text and "REF*6R*PCN-9-L2~" in text


def test_claims_of_one_subscriber_share_one_hl_loop() -> None:
    text = write_837([claim_batch([professional_claim("A"), professional_claim("B")])], ENVELOPE)
    assert text.count("HL*") == 2
    assert text.count("CLM*") == 2


def test_an_837_with_an_unknown_implementation_is_refused() -> None:
    with pytest.raises(x12.X12StructureError, match="neither 005010X222 nor 005010X223"):
        x12.read(build(["BHT*0019*00*1*20260101*1200*CH"], set_id="837", version="005010X224A2", functional_id="HC"))


def test_an_837_missing_the_patient_before_clm_is_refused() -> None:
    with pytest.raises(x12.X12StructureError) as info:
        x12.read(fixture("837P/lfh-x12__demo.cob.example3.A.837"))
    assert info.value.segment_id == "SBR"


def test_a_4010_837_is_refused_naming_the_version() -> None:
    with pytest.raises(x12.X12EnvelopeError, match="4010"):
        x12.read(fixture("837P/lfh-x12__patient-is-subscriber.837"))


def test_a_real_837_with_a_wrong_se_count_is_refused_at_se() -> None:
    with pytest.raises(x12.X12EnvelopeError) as info:
        x12.read(fixture("837P/imsweb__x12_valid.txt"))
    assert (info.value.segment_id, info.value.code, info.value.transaction) == ("SE", "x12_count_mismatch", "987654")


def _body_from(claim_text: str) -> str:
    text = write_837([claim_batch([professional_claim()])], ENVELOPE)
    return text.replace("SV1*HC:99213:25*112.34*UN*1***1:2~", claim_text)


@pytest.mark.parametrize(
    ("segment", "error", "element"),
    [
        ("SV1*HC:99213:25*112.3X*UN*1***1:2~", x12.X12SyntaxError, 2),
        ("SV1*HC:99213:25*112.34*UN*1***1:X~", x12.X12SyntaxError, 7),
        ("SV1*HC*112.34*UN*1***1:2~", x12.X12SyntaxError, 1),
        ("SV2*0450**112.34*UN*1~", x12.X12StructureError, None),
    ],
)
def test_malformed_837_lines_fail_at_the_line_segment(
    segment: str, error: type[x12.X12Error], element: int | None
) -> None:
    with pytest.raises(error) as info:
        x12.read(_body_from(segment))
    assert info.value.segment_id == segment[:3]
    assert info.value.element_position == element
    assert info.value.transaction == "0001" and info.value.interchange == "000000005"


def test_a_bad_service_date_names_the_dtp() -> None:
    text = write_837([claim_batch([professional_claim()])], ENVELOPE).replace(
        "DTP*472*D8*20260105", "DTP*472*D8*20260199"
    )
    with pytest.raises(x12.X12SyntaxError) as info:
        x12.read(text)
    assert (info.value.segment_id, info.value.element_position) == ("DTP", 3)


_lines = st.lists(
    st.builds(
        ServiceLine,
        number=st.just(1),
        procedure=st.builds(
            ProcedureCode,
            qualifier=st.just("HC"),
            code=st.sampled_from(["99213", "J3301"]),
            modifiers=st.lists(st.sampled_from(["25", "59", "LT"]), max_size=4).map(tuple),
        ),
        charge_cents=st.integers(0, 10**8),
        units=st.integers(1, 99).map(Decimal),
        diagnosis_pointers=st.lists(st.integers(1, 12), min_size=1, max_size=4).map(tuple),
        service_date=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
        line_control_number=st.text("ABC123", min_size=1, max_size=20),
    ),
    min_size=1,
    max_size=50,
)


@settings(max_examples=40, deadline=None)
@given(lines=_lines, pcn=st.text("ABCDEFGH0123456789-", min_size=1, max_size=38))
def test_any_professional_claim_survives_write_then_read(lines: list[ServiceLine], pcn: str) -> None:
    numbered = tuple(
        ServiceLine(
            number=i,
            procedure=x.procedure,
            charge_cents=x.charge_cents,
            units=x.units,
            diagnosis_pointers=x.diagnosis_pointers,
            service_date=x.service_date,
            line_control_number=x.line_control_number,
        )
        for i, x in enumerate(lines, start=1)
    )
    base = professional_claim(pcn)
    claim = dataclasses.replace(base, lines=numbered, total_charge_cents=sum(x.charge_cents for x in numbered))
    batch = claim_batch([claim])
    assert batches(write_837([batch], ENVELOPE)) == [batch]


def test_837i_write_then_read_keeps_institutional_fields() -> None:
    batch = claim_batch([institutional_claim(lines=3)], ClaimKind.INSTITUTIONAL)
    text = write_837([batch], ENVELOPE)
    assert "ST*837*0001*005010X223A2~" in text and "SV2*0450*HC:99283*251*UN*1~" in text
    assert batches(text) == [batch]
