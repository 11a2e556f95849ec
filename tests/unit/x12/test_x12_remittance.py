"""835: real remittances read to the cent, balancing rules, malformed advice refused with a location, round trips."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medbill.domain.claims import EntityType, NamedEntity, PostalAddress, ProcedureCode, Reference
from medbill.domain.remittance import (
    Adjustment,
    AdjustmentGroup,
    Amount,
    ClaimPayment,
    ClaimStatus,
    DateEntry,
    Payment,
    ProviderAdjustment,
    Remark,
    Remittance,
    ServicePayment,
    balancing_errors,
    claim_balance_cents,
    line_balance_cents,
    payment_balance_cents,
)
from medbill.formats import x12
from medbill.formats.x12.writer import write_835
from tests.unit.x12.x12_helpers import REMIT_BODY, build, fixture

VALID_835 = [
    "835/botsedi__835-denial.dat",
    "835/botsedi__claim_adj_reason.dat",
    "835/botsedi__dollars_data_separate.dat",
    "835/edi835parser__emedny_sample.txt",
    "835/edi835parser__united_healthcare_legacy_sample.txt",
    "835/lfh-x12__demo.835",
    "835/oopfactory__835_WithMultipleInterchanges.txt",
    "835/oopfactory__ExampleFromNth.txt",
    "835/pyx12__835_mult_loops.txt",
]

ENVELOPE = x12.Envelope(
    sender_id="PAYER",
    receiver_id="CLINIC",
    interchange_control_number=42,
    group_control_number=42,
    created=datetime(2026, 1, 10, 9, 30),
)


def remittances(data: bytes | str) -> list[Remittance]:
    out = []
    for t in x12.read(data):
        assert isinstance(t.document, Remittance)
        out.append(t.document)
    return out


@pytest.mark.parametrize("name", VALID_835)
def test_real_835s_are_read_and_survive_a_round_trip(name: str) -> None:
    docs = remittances(fixture(name))
    assert docs and all(d.claims for d in docs)
    assert remittances(write_835(docs, ENVELOPE)) == docs


def test_a_synthetic_835_is_read_to_the_cent() -> None:
    (r,) = remittances(build(REMIT_BODY))
    assert r.payment == Payment(
        handling="I",
        amount_cents=15050,
        credit_debit="C",
        method="ACH",
        format="CCP",
        banking=("01", "999999992", "DA", "123456", "1512345678", "", "01", "999988880", "DA", "98765"),
        date=date(2026, 1, 10),
        trace_number="EFT0001",
        originator_id="1512345678",
    )
    assert r.payer.name == "SYNTHETIC HEALTH PLAN"
    assert r.payer.address == PostalAddress(line1="1 PAYER WAY", city="SPRINGFIELD", state="IL", postal_code="62701")
    assert r.payee.identifier == "1234567893"
    assert r.payee.references == (Reference(qualifier="TJ", value="123456789"),)
    (c,) = r.claims
    assert (c.claim_id, c.status, c.charge_cents, c.paid_cents, c.patient_responsibility_cents) == (
        "PCN-0001",
        ClaimStatus.PRIMARY,
        25000,
        16050,
        2000,
    )
    assert c.payer_claim_number == "PAYERCLM01"
    assert c.entity("QC") == NamedEntity(
        role="QC",
        entity_type=EntityType.PERSON,
        name="TESTPATIENT",
        first_name="ALEX",
        id_qualifier="MI",
        identifier="MBR0001",
    )
    first, second = c.lines
    assert first.procedure == ProcedureCode(qualifier="HC", code="99213", modifiers=("25",))
    assert (first.charge_cents, first.paid_cents, first.units_paid) == (15000, 10050, Decimal(1))
    assert first.adjustments == (
        Adjustment(group=AdjustmentGroup.CONTRACTUAL, carc="45", amount_cents=2950),
        Adjustment(group=AdjustmentGroup.PATIENT_RESPONSIBILITY, carc="2", amount_cents=2000),
    )
    assert first.line_control_number == "LCN-0001-1"
    assert first.allowed_cents == 12050
    assert first.dates == (DateEntry(qualifier="472", date=date(2026, 1, 1)),)
    assert second.remarks == (Remark(qualifier="HE", code="N130"),)
    assert r.provider_adjustments == (
        ProviderAdjustment(
            provider_id="1234567893",
            fiscal_period_end=date(2026, 12, 31),
            reason="WO",
            reference="PCN-0000",
            amount_cents=1000,
        ),
    )
    assert balancing_errors(r) == []


def test_a_real_835_with_two_claims_is_read_to_the_cent() -> None:
    (r,) = remittances(fixture("835/botsedi__dollars_data_separate.dat"))
    assert r.payment.amount_cents == 110000
    assert [(c.claim_id, c.charge_cents, c.paid_cents, c.patient_responsibility_cents) for c in r.claims] == [
        ("5554555444", 80000, 50000, 30000),
        ("8765432112", 120000, 60000, 60000),
    ]
    assert [a.amount_cents for c in r.claims for line in c.lines for a in line.adjustments] == [30000, 60000]
    assert balancing_errors(r) == []


def test_a_file_with_three_interchanges_yields_three_remittances() -> None:
    docs = remittances(fixture("835/oopfactory__835_WithMultipleInterchanges.txt"))
    assert [len(d.claims) for d in docs] == [19, 23, 14]


def test_balancing_reports_each_rule_broken_in_cents() -> None:
    (r,) = remittances(build([s.replace("CAS*CO*45*40", "CAS*CO*45*39.99") for s in REMIT_BODY]))
    claim = r.claims[0]
    assert line_balance_cents(claim.lines[1]) == 1
    assert claim_balance_cents(claim) == 1
    assert payment_balance_cents(r) == 0
    assert balancing_errors(r) == [
        "claims[0] PCN-0001: CLP03 − ΣCAS − CLP04 is 1 cents, not 0",
        "claims[0].lines[1]: SVC02 − ΣCAS − SVC03 is 1 cents, not 0",
    ]


def _with(old: str, new: str) -> str:
    body = [new if s == old else s for s in REMIT_BODY]
    assert body != REMIT_BODY
    return build(body)


@pytest.mark.parametrize(
    ("old", "new", "error", "segment", "element"),
    [
        ("DTM*472*20260101", "DTM*472*20260231", x12.X12SyntaxError, "DTM", 2),
        ("CAS*CO*45*29.5", "CAS*XX*45*29.5", x12.X12SyntaxError, "CAS", 1),
        ("CAS*CO*45*29.5", "CAS*CO*45*29.555", x12.X12SyntaxError, "CAS", 3),
        ("CAS*CO*45*29.5", "CAS*CO*45", x12.X12SyntaxError, "CAS", 3),
        ("SVC*HC:85025*100*60**1", "SVC*HC:85025*1OO*60**1", x12.X12SyntaxError, "SVC", 2),
        (
            "CLP*PCN-0001*1*250*160.5*20*12*PAYERCLM01*11*1",
            "CLP*PCN-0001*9*250*160.5*20*12*PAYERCLM01*11*1",
            x12.X12SyntaxError,
            "CLP",
            2,
        ),
        (
            "CLP*PCN-0001*1*250*160.5*20*12*PAYERCLM01*11*1",
            "CLP**1*250*160.5*20*12*PAYERCLM01*11*1",
            x12.X12SyntaxError,
            "CLP",
            1,
        ),
        ("LQ*HE*N130", "ZZZ*HE*N130", x12.X12StructureError, "ZZZ", None),
        ("LX*1", "LQ*HE*N130", x12.X12StructureError, "LQ", None),
        (
            "BPR*I*150.5*C*ACH*CCP*01*999999992*DA*123456*1512345678**01*999988880*DA*98765*20260110",
            "BPR*I*150.5*C*ACH*CCP*01*999999992*DA*123456*1512345678**01*999988880*DA*98765*2026011",
            x12.X12SyntaxError,
            "BPR",
            16,
        ),
    ],
)
def test_malformed_835s_fail_with_the_right_error_and_location(
    old: str, new: str, error: type[x12.X12Error], segment: str, element: int | None
) -> None:
    position = REMIT_BODY.index(old) + 2  # ST is segment 1
    with pytest.raises(error) as info:
        x12.read(_with(old, new))
    err = info.value
    assert (err.interchange, err.transaction, err.segment_position, err.segment_id, err.element_position) == (
        "000000101",
        "0001",
        position,
        segment,
        element,
    )


def test_an_835_with_the_wrong_component_separator_names_the_element() -> None:
    with pytest.raises(x12.X12SyntaxError) as info:
        x12.read(fixture("835/lfh-x12__secondary-payment.835"))
    assert (info.value.segment_id, info.value.element_position, info.value.segment_position) == ("SVC", 1, 27)


def test_a_real_835_with_a_wrong_se_count_is_refused() -> None:
    with pytest.raises(x12.X12EnvelopeError, match="SE01 says 27 segments but the transaction set has 28"):
        x12.read(fixture("835/botsedi__not_covered_inpatient.dat"))


def test_a_real_835_with_an_impossible_payment_date_is_refused() -> None:
    with pytest.raises(x12.X12SyntaxError) as info:
        x12.read(fixture("835/lfh-x12__managed-care.835"))
    assert (info.value.segment_id, info.value.element_position) == ("BPR", 16)


# --- round trips over generated remittances ------------------------------------------------------------------

_code = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=10)
_cents = st.integers(min_value=-(10**9), max_value=10**9)
_day = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
_units = st.one_of(st.none(), st.decimals(min_value=0, max_value=9999, places=2).map(lambda d: d.normalize()))
_adjustment = st.builds(
    Adjustment, group=st.sampled_from(AdjustmentGroup), carc=_code, amount_cents=_cents, quantity=_units
)
_procedure = st.builds(
    ProcedureCode,
    qualifier=st.sampled_from(["HC", "NU", "AD"]),
    code=_code,
    modifiers=st.lists(_code.map(lambda s: s[:2]), max_size=4).map(tuple),
    description=st.none(),
)
_line = st.builds(
    ServicePayment,
    procedure=_procedure,
    charge_cents=_cents,
    paid_cents=_cents,
    revenue_code=st.one_of(st.none(), st.just("0450")),
    units_paid=_units,
    original_procedure=st.one_of(st.none(), _procedure),
    original_units=_units,
    dates=st.lists(st.builds(DateEntry, qualifier=st.just("472"), date=_day), max_size=1).map(tuple),
    adjustments=st.lists(_adjustment, max_size=8).map(tuple),
    line_control_number=st.one_of(st.none(), _code),
    amounts=st.lists(st.builds(Amount, qualifier=st.just("B6"), amount_cents=_cents), max_size=1).map(tuple),
    remarks=st.lists(st.builds(Remark, qualifier=st.just("HE"), code=_code), max_size=3).map(tuple),
)
_claim = st.builds(
    ClaimPayment,
    claim_id=_code,
    status=st.sampled_from(ClaimStatus),
    charge_cents=_cents,
    paid_cents=_cents,
    patient_responsibility_cents=st.one_of(st.none(), _cents),
    filing_indicator=st.sampled_from(["12", "MB", "CI"]),
    payer_claim_number=st.one_of(st.none(), _code),
    facility_type=st.just("11"),
    frequency=st.just("1"),
    header_number=st.just("1"),
    adjustments=st.lists(_adjustment, max_size=3).map(tuple),
    lines=st.lists(_line, max_size=4).map(tuple),
)
_entity = st.builds(
    NamedEntity,
    role=st.just("PR"),
    entity_type=st.just(EntityType.ORGANIZATION),
    name=_code,
    id_qualifier=st.just("XV"),
    identifier=_code,
)
_remittance = st.builds(
    Remittance,
    payment=st.builds(
        Payment,
        handling=st.just("I"),
        amount_cents=_cents,
        credit_debit=st.just("C"),
        method=st.sampled_from(["ACH", "CHK", "NON"]),
        date=_day,
        trace_number=_code,
        originator_id=_code,
    ),
    payer=_entity,
    payee=_entity.map(
        lambda e: NamedEntity(
            role="PE", entity_type=e.entity_type, name=e.name, id_qualifier="XX", identifier=e.identifier
        )
    ),
    production_date=_day,
    claims=st.lists(_claim, min_size=1, max_size=3).map(tuple),
    provider_adjustments=st.lists(
        st.builds(
            ProviderAdjustment,
            provider_id=st.just("1234567893"),
            fiscal_period_end=st.just(date(2026, 12, 31)),
            reason=st.sampled_from(["WO", "L6", "FB"]),
            reference=st.one_of(st.none(), _code),
            amount_cents=_cents,
        ),
        max_size=8,
    ).map(tuple),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_remittance)
def test_any_remittance_survives_write_then_read(r: Remittance) -> None:
    assert remittances(write_835([r], ENVELOPE)) == [r]


def test_written_835_has_generated_counts_and_control_numbers() -> None:
    (r,) = remittances(build(REMIT_BODY))
    text = write_835([r, r], ENVELOPE)
    assert text.startswith(
        "ISA*00*          *00*          *ZZ*PAYER          *ZZ*CLINIC         *260110*0930*^*00501*"
        "000000042*0*P*:~GS*HP*PAYER*CLINIC*20260110*0930*42*X*005010X221A1~ST*835*0001~"
    )
    assert text.endswith("GE*2*42~IEA*1*000000042~")
    assert f"SE*{len(REMIT_BODY) + 2}*0002~" in text
