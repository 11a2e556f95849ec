"""The sandbox payer answers a 270 with a 271 from its member plans: dates, copays, coinsurance, what remains."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from medbill.adapters.clearinghouse.sandbox import SandboxClearinghouse, SandboxState
from medbill.domain.benefits import MemberBenefits, NetworkTier, member_benefits
from medbill.domain.claims import EntityType, NamedEntity
from medbill.domain.eligibility import (
    CoverageStatus,
    DatedEntry,
    EligibilityInquiry,
    EligibilityRequest,
    EligibilityResponse,
    Trace,
)
from medbill.formats import x12
from tests.unit.sandbox.sandbox_helpers import ENVELOPE, NOW, answer, claim, file_of, payer_entity
from tests.unit.x12.x12_helpers import person

PROVIDER = NamedEntity(
    role="1P", entity_type=EntityType.ORGANIZATION, name="EXAMPLE CLINIC", id_qualifier="XX", identifier="1234567893"
)


def request_of(payer_id: str, *members: str, day: date = date(2026, 3, 12)) -> bytes:
    request = EligibilityRequest(
        reference="ELIG1",
        created=NOW.date(),
        payer=payer_entity(payer_id),
        inquiries=tuple(
            EligibilityInquiry(
                provider=PROVIDER,
                subscriber=replace(person("IL", "TESTMEMBER", "JORDAN", member), address=None),
                subscriber_birth_date=date(1970, 4, 1),
                subscriber_sex="F",
                traces=(Trace(number=f"T{i}", originator="1371234567"),),
                service_types=("30",),
                dates=(DatedEntry(qualifier="291", start=day),),
            )
            for i, member in enumerate(members, 1)
        ),
    )
    return x12.write_270([request], replace(ENVELOPE, interchange_control_number=700)).encode("ascii")


def answered(data: bytes, state: SandboxState | None = None) -> list[tuple[list[str], MemberBenefits]]:
    found = answer(data, state)
    assert found.ack_999 is None and found.ack_277ca is None and found.remittance_835 is None
    assert found.eligibility_271 is not None
    out = []
    for t in x12.read(found.eligibility_271):
        doc = t.document
        assert isinstance(doc, EligibilityResponse)
        out += [([tr.number for tr in m.traces if tr.type_code == "2"], member_benefits(m, doc)) for m in doc.members()]
    return out


def test_a_member_with_part_of_the_deductible_left_gets_every_amount_in_network() -> None:
    [(traces, b)] = answered(request_of("SBXCOMM", "COMM-DEDPART"))
    assert traces == ["T1"]
    assert (b.status, b.plan_name, b.member_id, b.plan_begin, b.plan_end) == (
        CoverageStatus.ACTIVE,
        "SANDBOX COMMERCIAL PPO",
        "COMM-DEDPART",
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert (b.deductible_remaining_cents(), b.out_of_pocket_remaining_cents()) == (5000, 250000)
    assert b.coinsurance_percent() == Decimal(20)
    assert b.copay_cents("98") is None  # this member's plan has no copays


def test_copays_are_reported_per_visit_type() -> None:
    [(_, b)] = answered(request_of("SBXCOMM", "COMM-COPAY"))
    assert (b.copay_cents("98"), b.copay_cents("BY"), b.coinsurance_percent()) == (2500, 0, Decimal(0))
    assert b.value("copay_cents", "98", NetworkTier.OUT) is None


def test_a_terminated_member_is_inactive_and_an_unknown_one_is_not_found() -> None:
    (_, ended), (_, unknown) = answered(request_of("SBXMCR", "MCR-TERM", "NOBODY-1"))
    assert (ended.status, ended.plan_end, ended.messages) == (
        CoverageStatus.INACTIVE,
        date(2026, 1, 31),
        ("COVERAGE ENDED 2026-01-31",),
    )
    assert unknown.status is CoverageStatus.REJECTED
    assert [(r.loop, r.code, r.reason) for r in unknown.rejections] == [("2100C", "75", "Subscriber/insured not found")]


def test_a_payer_the_sandbox_does_not_play_is_refused_at_the_payer_level() -> None:
    found = answer(request_of("NOSUCH", "X-1")).eligibility_271
    assert found is not None
    (t,) = x12.read(found)
    assert isinstance(t.document, EligibilityResponse) and list(t.document.members()) == []
    assert [(r.loop, r.reason_code) for r in t.document.rejections] == [("2100A", "79")]


def test_the_remaining_deductible_is_what_the_sandbox_has_adjudicated_so_far() -> None:
    state = SandboxState()
    answer(file_of(claim("PCN-1", "SBXCOMM", "COMM-DEDPART", [("99213", (), 20000)])), state)
    [(_, b)] = answered(request_of("SBXCOMM", "COMM-DEDPART"), state)
    assert b.deductible_remaining_cents() == 0
    assert b.out_of_pocket_remaining_cents() is not None and b.out_of_pocket_remaining_cents() < 250000


def test_the_answer_is_the_same_bytes_every_time() -> None:
    data = request_of("SBXCOMM", "COMM-COPAY", "COMM-OOPMAX")
    assert answer(data).eligibility_271 == answer(data).eligibility_271


def test_the_mailbox_leaves_the_271_beside_the_270(tmp_path: Path) -> None:
    mailbox = SandboxClearinghouse(tmp_path, seed=3, now=lambda: NOW)
    with mailbox:
        mailbox.send("elig1.270", request_of("SBXCOMM", "COMM-COPAY"))
        assert [f.name for f in mailbox.list_inbound()] == ["elig1.271.x12"]
