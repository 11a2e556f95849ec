"""The sandbox payer answers a 276 with a 277 from what it adjudicated, and a broken envelope with a TA1 alone."""

from __future__ import annotations

from dataclasses import replace

from medbill.adapters.clearinghouse.sandbox import SandboxPayerEngine, SandboxState, load_payers
from medbill.domain.acknowledgements import (
    ClaimAcknowledgement,
    ClaimStatusQuery,
    ClaimStatusRequest,
    InterchangeAckCode,
    InterchangeAcknowledgement,
)
from medbill.domain.claims import EntityType, NamedEntity
from medbill.formats import x12
from tests.unit.sandbox.sandbox_helpers import DOS, ENVELOPE, NOW, answer, claim, file_of, payer_entity
from tests.unit.x12.x12_helpers import CLINIC, person

RECEIVER = NamedEntity(
    role="41", entity_type=EntityType.ORGANIZATION, name="SUBMITTER CLINIC", id_qualifier="46", identifier="SUBMIT01"
)


def status_request(*claim_ids: str, payer_id: str = "SBXCOMM") -> bytes:
    request = ClaimStatusRequest(
        reference="276REF1",
        created=NOW.date(),
        created_time="1000",
        payer=payer_entity(payer_id),
        receiver=RECEIVER,
        queries=tuple(
            ClaimStatusQuery(
                trace=pcn,
                provider=replace(CLINIC, role="1P", address=None, references=(), contacts=(), taxonomy=None),
                subscriber=person("IL", "TESTMEMBER", "JORDAN", "COMM-COPAY"),
                patient_account_number=pcn,
                charge_cents=20000,
                service_date=DOS,
            )
            for pcn in claim_ids
        ),
    )
    text = x12.write_276([request], replace(ENVELOPE, interchange_control_number=900, group_control_number=900))
    return text.encode("ascii")


def read_277(text: str | None) -> ClaimAcknowledgement:
    assert text is not None
    (t,) = x12.read(text)
    assert t.type is x12.TransactionType.CLAIM_STATUS_RESPONSE and isinstance(t.document, ClaimAcknowledgement)
    return t.document


def test_a_276_hears_paid_denied_pended_and_not_found_from_what_the_payer_adjudicated() -> None:
    payers = load_payers()
    payers["SBXCOMM"] = replace(payers["SBXCOMM"], review_over_cents=50000)
    engine = SandboxPayerEngine(payers, seed=7)
    state = SandboxState()
    engine.answer(
        file_of(
            claim("PCN-PAID", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)]),
            claim("PCN-DENIED", "SBXCOMM", "COMM-COPAY", [("G0438", (), 15000)]),  # not covered by this plan
            claim("PCN-REVIEW", "SBXCOMM", "COMM-COPAY", [("99215", (), 60000)]),  # over 500.00: pended
            claim("PCN-WHO", "SBXCOMM", "NOBODY-1", [("99213", (), 10000)]),  # rejected by the 277CA
        ),
        state,
        NOW,
    )
    answers = engine.answer(status_request("PCN-PAID", "PCN-DENIED", "PCN-REVIEW", "PCN-WHO", "PCN-NEVER"), state, NOW)
    response = read_277(answers.status_277)
    got = {
        c.claim_id: [(s.category, s.code, s.amount_cents, s.paid_cents) for s in c.statuses] for c in response.claims
    }
    assert got == {
        "PCN-PAID": [("F1", "65", 20000, 11787)],
        "PCN-DENIED": [("F2", "1", 15000, 0)],
        "PCN-REVIEW": [("P2", "46", 60000, None)],
        "PCN-WHO": [("A4", "35", 20000, None)],
        "PCN-NEVER": [("A4", "35", 20000, None)],
    }
    paid = response.claims[0]
    assert paid.patient_account_number == "PCN-PAID" and paid.payer_claim_number is not None
    assert paid.statuses[0].payment[:3] == ("20260310", "CHK", "20260310")
    assert answers.ack_999 is not None and answers.ack_277ca is None and answers.remittance_835 is None
    assert response.source.identifier == "SBXCOMM"


def test_a_pended_claim_is_accepted_but_left_out_of_the_835() -> None:
    payers = load_payers()
    payers["SBXCOMM"] = replace(payers["SBXCOMM"], review_over_cents=50000)
    answers = SandboxPayerEngine(payers, seed=7).answer(
        file_of(
            claim("PCN-SMALL", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)]),
            claim("PCN-BIG", "SBXCOMM", "COMM-COPAY", [("99215", (), 60000)]),
        ),
        SandboxState(),
        NOW,
    )
    assert answers.ack_277ca is not None and answers.remittance_835 is not None
    (ca,) = x12.read(answers.ack_277ca)
    assert isinstance(ca.document, ClaimAcknowledgement)
    assert [c.accepted for c in ca.document.claims] == [True, True]
    assert "PCN-SMALL" in answers.remittance_835 and "PCN-BIG" not in answers.remittance_835


def read_ta1(text: str | None) -> InterchangeAcknowledgement:
    assert text is not None
    (t,) = x12.read(text)
    assert isinstance(t.document, InterchangeAcknowledgement)
    return t.document


GOOD = file_of(claim("PCN-1", "SBXCOMM", "COMM-COPAY", [("99213", (), 20000)])).decode()


def test_a_broken_envelope_is_rejected_whole_with_a_ta1_and_nothing_else() -> None:
    cases = {
        "IEA*1*000000501~": ("IEA*1*000000999~", "001"),  # IEA02 differs from ISA13
        "IEA*1*": ("IEA*3*", "021"),  # wrong number of groups
    }
    for good, (bad, note) in cases.items():
        answers = answer(GOOD.replace(good, bad).encode())
        ta1 = read_ta1(answers.ack_ta1)
        assert (ta1.control_number, ta1.code, ta1.note_code) == ("000000501", InterchangeAckCode.REJECTED, note)
        assert (answers.ack_999, answers.ack_277ca, answers.remittance_835) == (None, None, None)
    cut = answer(GOOD[: GOOD.index("IEA*")].encode())
    assert read_ta1(cut.ack_ta1).note_code == "023"  # ended before its IEA


def test_a_sound_interchange_gets_no_ta1_unless_it_asks_for_one() -> None:
    assert answer(GOOD.encode()).ack_ta1 is None
    asked = GOOD.replace("*0*P*:~", "*1*P*:~", 1)
    assert asked != GOOD
    answers = answer(asked.encode())
    ta1 = read_ta1(answers.ack_ta1)
    assert (ta1.code, ta1.note_code) == (InterchangeAckCode.ACCEPTED, "000")
    assert answers.ack_999 is not None and answers.remittance_835 is not None


def test_errors_inside_a_group_are_still_the_999s_business() -> None:
    answers = answer(GOOD.replace("~SE*", "~SE*9").encode())
    assert answers.ack_ta1 is None and answers.ack_999 is not None
