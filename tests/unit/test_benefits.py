"""A member's 271 normalized into one flat record: per service type, network and level, to the cent, and back from JSON."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from medbill.domain.benefits import CostShare, Level, MemberBenefits, NetworkTier, OtherPayer, member_benefits
from medbill.domain.eligibility import CoverageStatus, EligibilityResponse
from medbill.formats import x12
from tests.unit.x12.x12_helpers import fixture

SYNTHETIC = "271/medbill__synthetic_benefits.271"


def members(name: str) -> list[MemberBenefits]:
    (t,) = x12.read(fixture(name))
    doc = t.document
    assert isinstance(doc, EligibilityResponse)
    return [member_benefits(m, doc) for m in doc.members()]


def test_the_synthetic_271_gives_every_cost_share_by_network_and_level() -> None:
    alex, _, _ = members(SYNTHETIC)
    assert (alex.status, alex.member_id, alex.plan_name, alex.group_number) == (
        CoverageStatus.ACTIVE,
        "MBR0001",
        "SYNTHETIC PPO GOLD",
        "GRP-100",
    )
    assert (alex.plan_begin, alex.plan_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert alex.share("30", NetworkTier.IN, Level.INDIVIDUAL) == CostShare(
        service_type="30",
        network=NetworkTier.IN,
        level=Level.INDIVIDUAL,
        coinsurance_percent=Decimal(20),
        deductible_cents=150000,
        deductible_remaining_cents=65050,
        out_of_pocket_cents=600000,
        out_of_pocket_remaining_cents=482575,
    )
    family = alex.share("30", NetworkTier.IN, Level.FAMILY)
    assert family is not None and (family.deductible_cents, family.deductible_remaining_cents) == (300000, 210000)
    assert (alex.copay_cents("98"), alex.copay_cents("98", NetworkTier.OUT)) == (2500, 6000)
    assert (alex.coinsurance_percent(), alex.coinsurance_percent(network=NetworkTier.OUT)) == (Decimal(20), Decimal(40))
    # the lesser of what remains for the member and for the family
    assert (alex.deductible_remaining_cents(), alex.out_of_pocket_remaining_cents()) == (65050, 482575)


def test_limitations_authorizations_other_payers_and_rejections_are_in_words() -> None:
    alex, _, riley = members(SYNTHETIC)
    therapy = alex.share("AD", NetworkTier.IN, Level.INDIVIDUAL)
    assert therapy is not None and therapy.limitations == (
        "20 visits per calendar year; PHYSICAL THERAPY LIMITED TO 20 VISITS PER CALENDAR YEAR",
    )
    assert alex.authorization_required("62") and alex.authorization_required("MH")
    assert not alex.authorization_required("30")
    assert alex.other_payers == (
        OtherPayer(name="SYNTHETIC SECONDARY PLAN", payer_id="SYNSEC02", member_id="SYNSEC-MBR01"),
    )
    assert [(r.loop, r.code, r.reason, r.follow_up) for r in alex.rejections] == [
        ("2110C", "53", "Inquired benefit inconsistent with provider type", "Please correct and resubmit")
    ]
    assert riley.status is CoverageStatus.REJECTED and riley.shares == ()
    assert [r.reason for r in riley.rejections] == ["Subscriber found, patient not found"]


def test_an_inactive_member_keeps_its_end_date_and_message() -> None:
    _, jordan, _ = members(SYNTHETIC)
    assert (jordan.status, jordan.plan_end, jordan.messages, jordan.active) == (
        CoverageStatus.INACTIVE,
        date(2026, 2, 28),
        ("COVERAGE ENDED 2026-02-28",),
        False,
    )


def test_a_payer_that_answers_nothing_but_aaa_gives_every_reason() -> None:
    (member,) = members("271/oopfactory__Example_ErrorWithoutBenefitInfo.txt")
    assert member.status is CoverageStatus.REJECTED
    assert [r.code for r in member.rejections] == ["80", "79", "79", "80", "41", "41", "42"]
    assert member.rejections[-1].reason == "Unable to respond at current time"


def test_copays_stated_per_service_type_and_network_in_a_real_271() -> None:
    (member,) = members("271/lfh-x12__demo.271")
    assert [(st, member.copay_cents(st), member.copay_cents(st, NetworkTier.OUT)) for st in ("1", "33", "98")] == [
        ("1", 1000, 3000),
        ("33", 1000, 3000),
        ("98", 1000, 3000),
    ]
    assert member.deductible_remaining_cents() is None and member.coinsurance_percent() is None


@pytest.mark.parametrize(
    "name",
    [SYNTHETIC, "271/lfh-x12__demo.271", "271/oopfactory__From_georgiosd.txt", "271/oopfactory__Example_3_2_2.txt"],
)
def test_the_record_survives_json_without_floats(name: str) -> None:
    for member in members(name):
        text = json.dumps(member.as_json())
        assert MemberBenefits.from_json(json.loads(text, parse_float=_no_float)) == member


def _no_float(text: str) -> None:
    raise AssertionError(f"a float in the benefits JSON: {text}")
