"""The sandbox payer's 999 (syntax errors rejected for real) and 277CA (claims accepted or rejected), read back."""

from __future__ import annotations

from dataclasses import replace

from medbill.domain.acknowledgements import AckCode, ClaimAcknowledgement, FunctionalAcknowledgement
from medbill.domain.claims import ClaimBatch, ClaimKind
from medbill.formats import x12
from tests.unit.sandbox.sandbox_helpers import ENVELOPE, NOW, answer, claim, file_of
from tests.unit.x12.x12_helpers import RECEIVER, SUBMITTER


def read_999(text: str | None) -> FunctionalAcknowledgement:
    assert text is not None
    (t,) = x12.read(text)
    assert isinstance(t.document, FunctionalAcknowledgement)
    return t.document


def read_277ca(text: str | None) -> ClaimAcknowledgement:
    assert text is not None
    (t,) = x12.read(text)
    assert isinstance(t.document, ClaimAcknowledgement) and t.type is x12.TransactionType.CLAIM_ACK
    return t.document


GOOD = file_of(claim("PCN-1", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)])).decode()


def test_a_clean_837_is_accepted_in_the_999() -> None:
    ack = read_999(answer(GOOD.encode()).ack_999)
    assert (ack.functional_id, ack.group_control_number, ack.version, ack.code) == (
        "HC",
        "501",
        "005010X222A1",
        AckCode.ACCEPTED,
    )
    assert [(r.set_id, r.control_number, r.code) for r in ack.responses] == [("837", "0001", AckCode.ACCEPTED)]


def test_an_invalid_date_is_rejected_with_the_segment_and_element_in_error() -> None:
    answers = answer(GOOD.replace("DTP*472*D8*20260302", "DTP*472*D8*20261399").encode())
    ack = read_999(answers.ack_999)
    (response,) = ack.responses
    (note,) = response.segments
    assert (ack.code, ack.sets_accepted, response.code, response.error_codes) == (
        AckCode.REJECTED,
        0,
        AckCode.REJECTED,
        ("5",),
    )
    assert (note.segment_id, note.position, note.error_code) == ("DTP", 23, "8")  # IK304 8: element errors
    assert [(e.position, e.error_code) for e in note.elements] == [(3, "8")]  # IK403 8: invalid date
    assert answers.ack_277ca is None and answers.remittance_835 is None


def test_a_bad_amount_is_an_invalid_character_and_an_unknown_segment_is_unexpected() -> None:
    amount = read_999(answer(GOOD.replace("SV1*HC:99213*200", "SV1*HC:99213*2X0").encode()).ack_999)
    note = amount.responses[0].segments[0]
    assert (note.segment_id, note.error_code, [(e.position, e.error_code) for e in note.elements]) == (
        "SV1",
        "8",
        [(2, "6")],
    )
    unknown = read_999(answer(GOOD.replace("~SBR*P*18*GRP100", "~ZZZ*P*18*GRP100").encode()).ack_999)
    seg = unknown.responses[0].segments[0]
    assert (seg.segment_id, seg.position, seg.error_code, seg.elements) == ("ZZZ", 13, "2", ())


def test_a_wrong_segment_count_rejects_the_set_with_ik502_4() -> None:
    ack = read_999(answer(GOOD.replace("~SE*", "~SE*9").encode()).ack_999)
    assert [(r.code, r.error_codes) for r in ack.responses] == [(AckCode.REJECTED, ("4",))]


def test_one_bad_set_of_two_is_a_partial_acceptance_and_only_the_good_one_is_adjudicated() -> None:
    batches = [
        ClaimBatch(
            kind=ClaimKind.PROFESSIONAL,
            reference=ref,
            created=NOW.date(),
            created_time="0930",
            submitter=SUBMITTER,
            receiver=RECEIVER,
            claims=(claim(pcn, "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)]),),
        )
        for ref, pcn in (("B1", "PCN-GOOD"), ("B2", "PCN-BAD"))
    ]
    text = x12.write_837(batches, replace(ENVELOPE, interchange_control_number=777))
    head, _, tail = text.rpartition("DTP*472*D8*20260302")
    answers = answer((head + "DTP*472*D8*2026030X" + tail).encode())
    ack = read_999(answers.ack_999)
    assert (ack.code, ack.sets_accepted, [r.code for r in ack.responses]) == (
        AckCode.PARTIALLY_ACCEPTED,
        1,
        [AckCode.ACCEPTED, AckCode.REJECTED],
    )
    assert [c.claim_id for c in read_277ca(answers.ack_277ca).claims] == ["PCN-GOOD"]


def test_the_277ca_accepts_known_members_and_rejects_unknown_ones_and_other_payers() -> None:
    answers = answer(
        file_of(
            claim("PCN-OK", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)]),
            claim("PCN-WHO", "SBXCOMM", "NOBODY-1", [("99213", (), 15000)]),
            claim("PCN-ELSE", "NOTOURS", "COMM-COPAY", [("99213", (), 10000)]),
        )
    )
    ack = read_277ca(answers.ack_277ca)
    got = {
        c.claim_id: [(s.category, s.code, s.entity, s.action, s.amount_cents) for s in c.statuses] for c in ack.claims
    }
    assert got == {
        "PCN-OK": [("A2", "20", "PR", "WQ", 20000)],
        "PCN-WHO": [("A7", "33", "IL", "U", 15000)],
        "PCN-ELSE": [("A3", "116", "PR", "U", 10000)],
    }
    accepted = {c.claim_id: c.accepted for c in ack.claims}
    assert accepted == {"PCN-OK": True, "PCN-WHO": False, "PCN-ELSE": False}
    assert ack.claims[0].payer_claim_number is not None and ack.claims[1].payer_claim_number is None
    assert ack.receiver_trace == "BATCH501" and ack.receiver_statuses[0].amount_cents == 45000
    assert answers.remittance_835 is not None and "PCN-WHO" not in answers.remittance_835
    assert "PCN-ELSE" not in answers.remittance_835


def test_the_answer_is_byte_identical_for_the_same_file_seed_state_and_clock() -> None:
    data = file_of(claim("PCN-1", "SBXCOMM", "COMM-DEDPART", [("99213", (), 20000)]))
    first, again = answer(data, seed=42), answer(data, seed=42)
    assert first == again
    other = answer(data, seed=43)
    assert other.ack_999 == first.ack_999
    assert other.remittance_835 != first.remittance_835  # payer claim numbers and trace numbers follow the seed


def test_garbage_is_not_answered() -> None:
    assert answer(b"this is not X12") == answer(b"")
    assert answer(b"").ack_999 is None
