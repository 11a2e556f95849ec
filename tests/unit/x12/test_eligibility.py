"""270 and 271 (005010X279A1): real and synthetic files read, benefits normalized to the cent, written and read back."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medbill.cli.app import app
from medbill.domain.eligibility import (
    BenefitKind,
    CoverageLevel,
    CoverageStatus,
    EligibilityRequest,
    EligibilityResponse,
    Network,
    TimePeriod,
    benefits_record,
)
from medbill.formats import x12
from tests.unit.x12.x12_helpers import FIXTURES, fixture

ENVELOPE = x12.Envelope(
    sender_id="SYNPAYER1",
    receiver_id="SUBMIT01",
    interchange_control_number=271,
    group_control_number=271,
    created=datetime(2026, 3, 10, 9, 30),
)
VALID_270 = [
    "270/lfh-x12__demo-single-line.270",
    "270/lfh-x12__dependent-health-benefit-check.270",
    "270/medbill__synthetic_dependent.270",
]
VALID_271 = [
    "271/lfh-x12__demo.271",
    "271/lfh-x12__dependent-health-benefit-check.271",
    "271/oopfactory__5010__Example_3_1_2.txt",
    "271/oopfactory__Example_3_1_3.txt",
    "271/oopfactory__Example_3_2_2.txt",
    "271/oopfactory__Example_ErrorWithoutBenefitInfo.txt",
    "271/oopfactory__From_georgiosd.txt",
    "271/medbill__synthetic_benefits.271",
]
SYNTHETIC = "271/medbill__synthetic_benefits.271"


def response(name: str) -> EligibilityResponse:
    (t,) = x12.read(fixture(name))
    assert t.type == x12.TransactionType.ELIGIBILITY_RESPONSE
    assert isinstance(t.document, EligibilityResponse)
    return t.document


def nodex12_closed() -> bytes:
    """node-x12's 271 ends after SE in the source; its GE and IEA are added here, in memory."""
    return fixture("271/nodex12__271.edi") + b"GE*1*123456~\nIEA*1*000031033~\n"


@pytest.mark.parametrize("name", VALID_270)
def test_real_270s_are_read_and_survive_a_round_trip(name: str) -> None:
    ts = x12.read(fixture(name))
    assert {t.type for t in ts} == {x12.TransactionType.ELIGIBILITY_REQUEST}
    docs = [t.document for t in ts]
    assert all(isinstance(d, EligibilityRequest) for d in docs)
    assert [t.document for t in x12.read(x12.write_270(docs, ENVELOPE))] == docs  # type: ignore[arg-type]


@pytest.mark.parametrize("name", VALID_271)
def test_real_271s_are_read_and_survive_a_round_trip(name: str) -> None:
    doc = response(name)
    (back,) = x12.read(x12.write_271([doc], ENVELOPE))
    assert back.document == doc


def test_the_node_x12_medicare_271_survives_a_round_trip_and_names_the_part_d_plan() -> None:
    (t,) = x12.read(nodex12_closed())
    doc = t.document
    assert isinstance(doc, EligibilityResponse)
    (back,) = x12.read(x12.write_271([doc], ENVELOPE))
    assert back.document == doc
    (member,) = doc.members()
    rec = benefits_record(member, doc)
    assert rec.status is CoverageStatus.ACTIVE
    assert [e.name for e in rec.other_payers] == ["SILVERSCRIPT INSURANCE COMPANY"]
    part_b = [
        b for b in member.benefits if b.kind is BenefitKind.DEDUCTIBLE and b.plan_description == "Medicare Part B"
    ]
    assert [(b.time_period, b.amount_cents) for b in part_b] == [(TimePeriod.CALENDAR_YEAR, 0)]
    coins = next(b for b in member.benefits if b.kind is BenefitKind.COINSURANCE)
    assert (coins.percent, coins.dates[0].start, coins.dates[0].end) == (
        Decimal(0),
        date(2019, 1, 1),
        date(2019, 12, 31),
    )


def test_a_270_asks_about_a_dependent_with_member_id_dob_service_types_and_date() -> None:
    (t,) = x12.read(fixture("270/medbill__synthetic_dependent.270"))
    req = t.document
    assert isinstance(req, EligibilityRequest)
    (q,) = req.inquiries
    assert (q.provider.id_qualifier, q.provider.identifier) == ("XX", "1234567893")
    assert (q.subscriber.identifier, q.subscriber_birth_date, q.subscriber_sex) == ("MBR0001", date(1980, 1, 1), "F")
    assert q.dependent is not None and q.dependent.first_name == "JORDAN"
    assert (q.dependent_birth_date, q.relationship) == (date(2015, 6, 1), "19")
    assert (q.service_types, q.service_date, q.traces[0].number) == (("30", "98"), date(2026, 3, 11), "TRACE-0002")


def test_the_synthetic_271_normalizes_copay_coinsurance_deductible_and_out_of_pocket_to_the_cent() -> None:
    doc = response(SYNTHETIC)
    alex, jordan, riley = doc.members()
    rec = benefits_record(alex, doc)
    assert (rec.status, rec.plan_name, rec.group_number) == (CoverageStatus.ACTIVE, "SYNTHETIC PPO GOLD", "GRP-100")
    assert (rec.plan_begin, rec.plan_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (rec.copay_cents("98"), rec.copay_cents("98", Network.OUT)) == (2500, 6000)
    assert (rec.coinsurance_percent(), rec.coinsurance_percent(network=Network.OUT)) == (Decimal(20), Decimal(40))
    assert (rec.deductible_cents(), rec.deductible_cents(remaining=True)) == (150000, 65050)
    fam = CoverageLevel.FAMILY
    assert (rec.deductible_cents(fam), rec.deductible_cents(fam, remaining=True)) == (300000, 210000)
    assert (rec.out_of_pocket_cents(), rec.out_of_pocket_cents(remaining=True)) == (600000, 482575)
    assert rec.authorization_required("62") and rec.authorization_required("MH") and not rec.authorization_required()
    limit = rec.find(BenefitKind.LIMITATIONS, "AD")
    assert limit is not None and (limit.quantity_qualifier, limit.quantity, limit.time_period) == (
        "VS",
        Decimal(20),
        TimePeriod.CALENDAR_YEAR,
    )
    assert limit.delivery == (("VS", "20", "", "", "23", "1"),)
    ((payer),) = rec.other_payers
    assert (payer.name, payer.identifier, payer.contacts[0].numbers) == (
        "SYNTHETIC SECONDARY PLAN",
        "SYNSEC02",
        (("TE", "8005550199"),),
    )
    assert rec.messages == ("PHYSICAL THERAPY LIMITED TO 20 VISITS PER CALENDAR YEAR", "PRIOR AUTHORIZATION REQUIRED")
    assert [(r.loop, r.reason_code, r.reason, r.follow_up) for r in rec.rejections] == [
        ("2110C", "53", "Inquired benefit inconsistent with provider type", "Please correct and resubmit")
    ]
    assert [t.number for t in alex.traces] == ["TRACE-0001", "PAYERTRACE-77"]
    inactive = benefits_record(jordan, doc)
    assert (inactive.status, inactive.plan_name, inactive.plan_end, inactive.messages) == (
        CoverageStatus.INACTIVE,
        "SYNTHETIC PPO GOLD",
        date(2026, 2, 28),
        ("COVERAGE ENDED 2026-02-28",),
    )
    assert jordan.subscriber == alex.subscriber and jordan.relationship == "19"
    rejected = benefits_record(riley, doc)
    assert rejected.status is CoverageStatus.REJECTED
    assert [(r.loop, r.reason) for r in rejected.rejections] == [("2100D", "Subscriber found, patient not found")]


def test_the_lfh_271_gives_in_and_out_of_network_copays_for_the_office_visit_service_types() -> None:
    doc = response("271/lfh-x12__demo.271")
    (member,) = doc.members()
    rec = benefits_record(member, doc)
    assert (rec.status, rec.plan_name, rec.plan_begin) == (CoverageStatus.ACTIVE, "GOLD 123 PLAN", date(2006, 1, 1))
    for service in ("1", "33", "98", "UC"):
        assert (rec.copay_cents(service), rec.copay_cents(service, Network.OUT)) == (1000, 3000)
    pcp = next(b for b in member.benefits if b.kind is BenefitKind.PRIMARY_CARE_PROVIDER)
    assert [(e.role, e.name, e.first_name) for e in pcp.entities] == [("P3", "JONES", "MARCUS")]


def test_aaa_reasons_are_given_in_words_at_every_level() -> None:
    doc = response("271/oopfactory__Example_ErrorWithoutBenefitInfo.txt")
    (member,) = doc.members()
    rec = benefits_record(member, doc)
    assert rec.status is CoverageStatus.REJECTED and member.benefits == ()
    assert [(r.loop, r.valid, r.reason_code, r.reason) for r in rec.rejections] == [
        ("2000A", False, "80", "No response received, transaction terminated"),
        ("2000A", True, "79", "Invalid participant identification"),
        ("2100A", True, "79", "Invalid participant identification"),
        ("2100A", False, "80", "No response received, transaction terminated"),
        ("2100B", True, "41", "Authorization/access restrictions"),
        ("2100B", False, "41", "Authorization/access restrictions"),
        ("2100C", True, "42", "Unable to respond at current time"),
    ]
    assert rec.rejections[-1].follow_up == "Do not resubmit, we will hand deliver or send the information"


def test_a_271_that_only_rejects_the_provider_keeps_the_receiver_and_its_reason() -> None:
    doc = response("271/oopfactory__Example_3_1_3.txt")
    (receiver,) = doc.receivers
    assert receiver.members == ()
    assert [(r.loop, r.reason, r.follow_up) for r in receiver.rejections] == [
        ("2100B", "Provider ineligible for inquiries", "Resubmission not allowed")
    ]


MALFORMED = [
    ("malformed/271_bad_aaa_reason.271", x12.X12SyntaxError, "x12_syntax_error", 36, "AAA", 3),
    ("malformed/271_bad_aaa_follow_up.271", x12.X12SyntaxError, "x12_syntax_error", 36, "AAA", 4),
    ("malformed/271_eb_without_eb01.271", x12.X12SyntaxError, "x12_syntax_error", 24, "EB", 1),
    ("malformed/271_eb_bad_time_period.271", x12.X12SyntaxError, "x12_syntax_error", 24, "EB", 6),
    ("malformed/271_eb_bad_amount.271", x12.X12SyntaxError, "x12_syntax_error", 24, "EB", 7),
    ("malformed/271_wrong_se_count.271", x12.X12EnvelopeError, "x12_count_mismatch", 64, "SE", 1),
    ("malformed/271_misplaced_eq.271", x12.X12StructureError, "x12_unexpected_segment", 50, "EQ", None),
    ("malformed/270_inquiry_without_trace.270", x12.X12StructureError, "x12_missing_segment", 12, "EQ", None),
]


@pytest.mark.parametrize(("name", "error", "code", "position", "segment", "element"), MALFORMED)
def test_malformed_270_and_271_fail_with_the_right_error_and_location(
    name: str, error: type[x12.X12Error], code: str, position: int, segment: str, element: int | None
) -> None:
    with pytest.raises(error) as info:
        x12.read(fixture(name))
    err = info.value
    assert (err.code, err.interchange, err.transaction, err.segment_position, err.segment_id, err.element_position) == (
        code,
        "000000271",
        "0001",
        position,
        segment,
        element,
    )
    assert err.location() in str(err)


REAL_NEGATIVE = [
    ("271/lfh-x12__subscriber-health-benefit-check-error.271", "x12_control_number_mismatch", "SE", 2),
    ("271/oopfactory__ValidationOnAll.txt", "x12_count_mismatch", "SE", 1),
    ("271/nodex12__271.edi", "x12_envelope_error", None, None),
    ("270/oopfactory__Example1_IG.txt", "x12_unsupported_version", "ISA", 12),
]


@pytest.mark.parametrize(("name", "code", "segment", "element"), REAL_NEGATIVE)
def test_real_files_broken_at_the_source_are_refused_by_the_envelope(
    name: str, code: str, segment: str | None, element: int | None
) -> None:
    with pytest.raises(x12.X12EnvelopeError) as info:
        x12.read(fixture(name))
    assert (info.value.code, info.value.segment_id, info.value.element_position) == (code, segment, element)


def test_a_270_segment_outside_its_transaction_set_is_a_structure_error() -> None:
    with pytest.raises(x12.X12StructureError) as info:
        x12.read(fixture("270/badx12__unknown_segment_error.edi"))
    assert (info.value.segment_id, info.value.segment_position) == ("HL", 3)


def test_parse_json_shows_the_271_normalized_benefits(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["x12", "parse", str(FIXTURES / SYNTHETIC), "--json"])
    assert result.exit_code == 0, result.output
    (t,) = json.loads(result.stdout)["transactions"]
    assert (t["type"], t["control_number"]) == ("271", "0001")
    alex = t["members"][0]
    assert {k: alex[k] for k in ("status", "plan_name", "copay", "coinsurance_percent", "deductible")} == {
        "status": "active",
        "plan_name": "SYNTHETIC PPO GOLD",
        "copay": None,  # no copay for service type 30: the office visit (98) has it
        "coinsurance_percent": "20",
        "deductible": "1500.00",
    }
    assert (alex["deductible_remaining"], alex["out_of_pocket"], alex["out_of_pocket_remaining"]) == (
        "650.50",
        "6000.00",
        "4825.75",
    )
    assert [p["name"] for p in alex["other_payers"]] == ["SYNTHETIC SECONDARY PLAN"]
    assert t["members"][2]["rejections"][0]["reason"] == "Subscriber found, patient not found"
    request = CliRunner().invoke(
        app, ["x12", "parse", str(FIXTURES / "270/medbill__synthetic_dependent.270"), "--json"]
    )
    (q,) = json.loads(request.stdout)["transactions"][0]["inquiries"]
    assert (q["trace"], q["service_types"], q["service_date"]) == ("TRACE-0002", ["30", "98"], "2026-03-11")


def test_validate_accepts_the_271_we_write() -> None:
    doc = response(SYNTHETIC)
    report = x12.validate(x12.write_271([doc, dataclasses.replace(doc, reference="ELIG-0002")], ENVELOPE))
    assert (report.ok, report.transactions) == (True, 2)
