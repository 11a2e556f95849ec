"""999, TA1 and 277CA: real acknowledgements read, our 999 and TA1 written and read back."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medbill.domain.acknowledgements import (
    AckCode,
    ClaimAcknowledgement,
    ElementNote,
    FunctionalAcknowledgement,
    InterchangeAckCode,
    InterchangeAcknowledgement,
    SegmentNote,
    StatusInfo,
    TransactionSetResponse,
)
from medbill.formats import x12
from medbill.formats.x12.writer import write_999, write_ta1
from tests.unit.x12.x12_helpers import build, fixture

ENVELOPE = x12.Envelope(
    sender_id="CLEARINGHOUSE",
    receiver_id="CLINIC",
    interchange_control_number=7,
    group_control_number=7,
    created=datetime(2026, 2, 3, 4, 5),
)

VALID_999 = [
    "999/imsweb__x12_999_rejected.txt",
    "999/oopfactory__DHS_Wisconsin_Sample.txt",
    "999/pyx12__834_ls_le_ls_5010.999.txt",
    "999/pyx12__834_lui_id_5010.999.txt",
]
VALID_277CA = [
    "277CA/imsweb__x12_277CA_accepted.txt",
    "277CA/imsweb__x12_277CA_rejected.txt",
    "277CA/oopfactory__277_Deidentified_from_nth.txt",
    "277CA/oopfactory__FromAlexbrodsky.txt",
]


@pytest.mark.parametrize("name", VALID_999)
def test_real_999s_are_read_and_survive_a_round_trip(name: str) -> None:
    acks = [t.document for t in x12.read(fixture(name))]
    assert acks and all(isinstance(a, FunctionalAcknowledgement) for a in acks)
    back = [t.document for t in x12.read(write_999(acks, ENVELOPE))]  # type: ignore[arg-type]
    assert back == acks


def test_a_rejected_999_names_the_set_the_segment_and_the_codes() -> None:
    (t,) = x12.read(fixture("999/imsweb__x12_999_rejected.txt"))
    ack = t.document
    assert isinstance(ack, FunctionalAcknowledgement)
    assert (ack.functional_id, ack.group_control_number, ack.version, ack.code) == (
        "HC",
        "28",
        "005010X223A2",
        AckCode.REJECTED,
    )
    assert (ack.sets_included, ack.sets_received, ack.sets_accepted) == (1, 1, 0)
    assert ack.responses == (
        TransactionSetResponse(
            set_id="837",
            control_number="0028",
            code=AckCode.REJECTED,
            error_codes=("5",),
            segments=(SegmentNote(segment_id="NM", position=17, error_code="1"),),
        ),
    )


def test_a_partially_accepted_999_keeps_each_element_error_and_context() -> None:
    (t,) = x12.read(fixture("999/oopfactory__DHS_Wisconsin_Sample.txt"))
    ack = t.document
    assert isinstance(ack, FunctionalAcknowledgement)
    assert ack.code is AckCode.PARTIALLY_ACCEPTED and not AckCode.REJECTED.accepted
    second = ack.responses[1]
    assert second.code is AckCode.REJECTED
    (seg,) = second.segments
    assert (seg.segment_id, seg.position, seg.error_code) == ("CLM", 22, "8")
    assert seg.context == (("CLM01:123456789",),)
    assert seg.elements == (ElementNote(position=2, reference_number="782", error_code="1"),)


def test_a_999_with_a_bad_gs_time_is_refused_at_gs05() -> None:
    with pytest.raises(x12.X12SyntaxError) as info:
        x12.read(fixture("999/imsweb__x12_999_accepted.txt"))
    assert (info.value.segment_id, info.value.element_position) == ("GS", 5)


def test_a_999_without_ak9_is_a_structure_error() -> None:
    text = build(
        ["AK1*HC*1*005010X222A1", "AK2*837*0001*005010X222A1", "IK5*A"],
        set_id="999",
        version="005010X231A1",
        functional_id="FA",
    )
    with pytest.raises(x12.X12StructureError, match="no AK9"):
        x12.read(text)


@pytest.mark.parametrize("name", VALID_277CA)
def test_real_277cas_are_read(name: str) -> None:
    docs = [t.document for t in x12.read(fixture(name))]
    assert docs and all(isinstance(d, ClaimAcknowledgement) and d.claims for d in docs)


def test_a_277ca_gives_each_claim_its_status_matched_on_clm01() -> None:
    (t,) = x12.read(fixture("277CA/imsweb__x12_277CA_accepted.txt"))
    ca = t.document
    assert isinstance(ca, ClaimAcknowledgement)
    assert (ca.source.name, ca.received, ca.processed) == ("NYSDOH", date(2011, 3, 11), date(2011, 3, 11))
    assert ca.receiver_statuses == (
        StatusInfo(category="A1", code="20", effective_date=date(2011, 3, 11), action="WQ", amount_cents=12500),
    )
    claim = ca.claims[0]
    assert claim.claim_id == "5781"
    assert claim.payer_claim_number == "1107000000014420"
    assert claim.billing_provider is not None and claim.billing_provider.identifier == "1234567890"
    assert claim.statuses[0].category == "A2" and claim.accepted


def test_a_rejected_277ca_claim_is_not_accepted() -> None:
    (t,) = x12.read(fixture("277CA/imsweb__x12_277CA_rejected.txt"))
    ca = t.document
    assert isinstance(ca, ClaimAcknowledgement)
    (claim,) = ca.claims
    assert claim.statuses[0].category == "A7" and claim.statuses[0].entity == "85"
    assert not claim.accepted
    assert claim.bill_type == "731"


def test_a_truncated_277ca_is_refused() -> None:
    with pytest.raises(x12.X12EnvelopeError, match="no SE"):
        x12.read(fixture("277CA/oopfactory__FromBogeyone.txt"))


def test_a_ta1_in_an_indented_file_with_cr_terminators_is_read() -> None:
    (t,) = x12.read(fixture("TA1/oopfactory__TechnicalAcknowledgment_SampleFromJeffN825.txt"))
    assert t.type == x12.TransactionType.INTERCHANGE_ACK
    assert t.document == InterchangeAcknowledgement(
        control_number="900000001",
        date=date(2010, 6, 24),
        time=time(14, 30),
        code=InterchangeAckCode.REJECTED,
        note_code="006",
    )


def test_a_4010_ta1_is_refused_naming_the_version() -> None:
    with pytest.raises(x12.X12EnvelopeError, match="4010"):
        x12.read(fixture("TA1/oopfactory__TechnicalAcknowledgment_Sample1.txt"))


def test_ta1s_are_written_without_a_functional_group() -> None:
    acks = [
        InterchangeAcknowledgement(
            control_number="000000123",
            date=date(2026, 2, 3),
            time=time(4, 5),
            code=InterchangeAckCode.ACCEPTED,
            note_code="000",
        )
    ]
    text = write_ta1(acks, ENVELOPE)
    assert "TA1*000000123*260203*0405*A*000~IEA*0*000000007~" in text
    assert [t.document for t in x12.read(text)] == acks


_code = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=6)
_ack = st.builds(
    FunctionalAcknowledgement,
    functional_id=st.just("HC"),
    group_control_number=st.integers(1, 10**9).map(str),
    version=st.just("005010X222A1"),
    code=st.sampled_from(AckCode),
    sets_included=st.integers(0, 99),
    sets_received=st.integers(0, 99),
    sets_accepted=st.integers(0, 99),
    error_codes=st.lists(st.sampled_from(["1", "2", "5"]), max_size=5).map(tuple),
    responses=st.lists(
        st.builds(
            TransactionSetResponse,
            set_id=st.just("837"),
            control_number=st.integers(1, 9999).map(lambda n: f"{n:04d}"),
            implementation=st.just("005010X222A1"),
            code=st.sampled_from(AckCode),
            error_codes=st.lists(st.sampled_from(["1", "5", "23"]), max_size=5).map(tuple),
            segments=st.lists(
                st.builds(
                    SegmentNote,
                    segment_id=st.sampled_from(["NM1", "CLM", "SV1"]),
                    position=st.integers(1, 9999),
                    loop_id=st.one_of(st.none(), st.just("2010BA")),
                    error_code=st.one_of(st.none(), st.just("8")),
                    context=st.lists(st.tuples(_code), max_size=2).map(tuple),
                    elements=st.lists(
                        st.builds(
                            ElementNote,
                            position=st.integers(1, 30),
                            component=st.one_of(st.none(), st.integers(1, 9)),
                            repetition=st.none(),
                            reference_number=st.one_of(st.none(), _code),
                            error_code=st.sampled_from(["1", "7", "8"]),
                            bad_value=st.one_of(st.none(), _code),
                        ),
                        max_size=3,
                    ).map(tuple),
                ),
                max_size=3,
            ).map(tuple),
        ),
        max_size=3,
    ).map(tuple),
)


@settings(max_examples=50, deadline=None)
@given(_ack)
def test_any_999_survives_write_then_read(ack: FunctionalAcknowledgement) -> None:
    assert [t.document for t in x12.read(write_999([ack], ENVELOPE))] == [ack]


@pytest.mark.parametrize("name", VALID_277CA)
def test_real_277cas_survive_a_round_trip(name: str) -> None:
    from medbill.formats.x12.writer import write_277ca

    docs = [t.document for t in x12.read(fixture(name))]
    assert [t.document for t in x12.read(write_277ca(docs, ENVELOPE))] == docs  # type: ignore[arg-type]


def test_our_277ca_says_which_claims_were_accepted_and_why_others_were_not() -> None:
    from medbill.formats.x12.writer import write_277ca
    from tests.unit.x12.x12_helpers import claim_acknowledgement

    ack = claim_acknowledgement()
    text = write_277ca([ack], ENVELOPE)
    assert "QTY*90*1~QTY*AA*1~AMT*YU*112.34~AMT*YY*246.9~" in text
    assert "STC*A7:562:85*20260108*U*246.9~" in text
    (t,) = x12.read(text)
    assert t.type == x12.TransactionType.CLAIM_ACK
    assert t.document == ack
    assert [(c.claim_id, c.accepted) for c in ack.claims] == [("PCN-A", True), ("PCN-B", False)]
