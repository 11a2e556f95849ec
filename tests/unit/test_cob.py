"""Coordination of benefits: the claim to the next payer from the previous payer's 835, balanced to the cent, written
with the 2320/2330/2430 loops, and crossovers recognised so no duplicate claim is sent."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from medbill.domain.claim_records import line_control_number
from medbill.domain.claims import (
    Claim,
    ClaimAdjustment,
    Insured,
    LineAdjudication,
    ProcedureCode,
)
from medbill.domain.cob import cob_balancing_errors, crossover_payer_name, is_crossover, secondary_claim
from medbill.domain.errors import ValidationError
from medbill.domain.remittance import (
    Adjustment,
    AdjustmentGroup,
    ClaimPayment,
    ClaimStatus,
    Remittance,
    ServicePayment,
)
from medbill.formats import x12
from medbill.formats.x12.writer import write_837
from tests.unit.x12.x12_helpers import (
    REMIT_BODY,
    SECOND_PAYER,
    build,
    claim_batch,
    person,
    professional_claim,
    subscriber,
)

PCN, NEXT = "C00000018", "C00000026"
PAID_ON = date(2026, 12, 10)
CO, PR, OA = AdjustmentGroup.CONTRACTUAL, AdjustmentGroup.PATIENT_RESPONSIBILITY, AdjustmentGroup.OTHER
ENVELOPE = x12.Envelope(
    sender_id="SENDER01",
    receiver_id="RECEIVER01",
    interchange_control_number=7,
    group_control_number=7,
    created=datetime(2026, 12, 11, 9, 0),
)


def primary_claim(*, with_patient: bool = False) -> Claim:
    """Line 1: 99213-25 charged 120.00; line 2: 85025 charged 31.50; sent to SYNPAYER1 as primary."""
    claim = professional_claim(PCN, lines=2, with_patient=with_patient)
    charges = {1: 12000, 2: 3150}
    lines = tuple(
        replace(ln, charge_cents=charges[ln.number], line_control_number=line_control_number(PCN, ln.number))
        for ln in claim.lines
    )
    return replace(claim, lines=lines, total_charge_cents=15150)


def adj(group: AdjustmentGroup, carc: str, cents: int) -> Adjustment:
    return Adjustment(group=group, carc=carc, amount_cents=cents)


def service(
    code: str, charge: int, paid: int, *adjustments: Adjustment, lcn: str | None, mods: tuple[str, ...] = ()
) -> ServicePayment:
    return ServicePayment(
        procedure=ProcedureCode(qualifier="HC", code=code, modifiers=mods),
        charge_cents=charge,
        paid_cents=paid,
        units_paid=Decimal(1),
        adjustments=adjustments,
        line_control_number=lcn,
    )


def payment(**changes: object) -> ClaimPayment:
    """Line 1 paid 80.00 (CO-45 20.00, PR-2 20.00), line 2 denied (CO-97 31.50); claim level CO-253 1.60, PR-3 5.00
    and CO-45 0.40 as separate CAS segments: CLP04 = 80.00 − 7.00 = 73.00."""
    values: dict[str, object] = {
        "claim_id": PCN,
        "status": ClaimStatus.PRIMARY,
        "charge_cents": 15150,
        "paid_cents": 7300,
        "patient_responsibility_cents": 2500,
        "filing_indicator": "12",
        "payer_claim_number": "PAYERCLM01",
        "adjustments": (adj(CO, "253", 160), adj(PR, "3", 500), adj(CO, "45", 40)),
        "lines": (
            service("99213", 12000, 8000, adj(CO, "45", 2000), adj(PR, "2", 2000), lcn=f"{PCN}-1", mods=("25",)),
            service("85025", 3150, 0, adj(CO, "97", 3150), lcn=f"{PCN}-2"),
        ),
    }
    values.update(changes)
    return ClaimPayment(**values)  # type: ignore[arg-type]


def next_insured() -> Insured:
    return replace(subscriber("S", payer=SECOND_PAYER), filing_indicator="MB")


def build_secondary(primary: Claim | None = None, paid: ClaimPayment | None = None) -> Claim:
    return secondary_claim(
        primary or primary_claim(),
        paid or payment(),
        patient_control_number=NEXT,
        next_insured=next_insured(),
        next_patient=None,
        adjudicated_on=PAID_ON,
    )


def test_the_primary_payer_moves_to_2320_with_what_it_paid_and_its_claim_level_cas_grouped() -> None:
    claim = build_secondary()

    assert (claim.patient_control_number, claim.total_charge_cents, claim.subscriber.responsibility) == (
        NEXT,
        15150,
        "S",
    )
    assert claim.subscriber.payer.identifier == "SYNPAYER2"
    (other,) = claim.other_insurance
    assert (other.responsibility, other.relationship, other.filing_indicator, other.payer.identifier) == (
        "P",
        "18",
        "CI",
        "SYNPAYER1",
    )
    assert other.paid_cents == 7300  # AMT*D = CLP04
    assert other.adjustments == (
        ClaimAdjustment(group="CO", carc="253", amount_cents=160),
        ClaimAdjustment(group="CO", carc="45", amount_cents=40),
        ClaimAdjustment(group="PR", carc="3", amount_cents=500),
    )
    assert other.subscriber == person("IL", "TESTSUBSCRIBER", "PAT", "MBR10001")  # 2330A
    assert (other.benefits_assigned, other.release_of_information) == ("Y", "Y")
    assert other.adjudication_date is None  # the date travels on every line's 2430 DTP*573 instead
    assert cob_balancing_errors(claim) == []


def test_each_line_gets_the_primary_payers_2430_and_balances_to_the_cent() -> None:
    claim = build_secondary()

    one, two = claim.lines
    assert [ln.line_control_number for ln in claim.lines] == [f"{NEXT}-1", f"{NEXT}-2"]
    assert one.other_payer_adjudications == (
        LineAdjudication(
            payer_identifier="SYNPAYER1",
            paid_cents=8000,
            procedure=ProcedureCode(qualifier="HC", code="99213", modifiers=("25",)),
            paid_units=Decimal(1),
            adjustments=(
                ClaimAdjustment(group="CO", carc="45", amount_cents=2000),
                ClaimAdjustment(group="PR", carc="2", amount_cents=2000),
            ),
            adjudication_date=PAID_ON,
        ),
    )
    (denied,) = two.other_payer_adjudications
    assert (denied.paid_cents, denied.adjustments) == (0, (ClaimAdjustment(group="CO", carc="97", amount_cents=3150),))
    # SV102 − Σ2430 CAS = SVD02 per line; ΣSVD02 − Σ2320 CAS = AMT*D
    assert [
        ln.charge_cents - sum(a.amount_cents for a in ln.other_payer_adjudications[0].adjustments) for ln in claim.lines
    ] == [8000, 0]
    assert claim.other_insurance[0].paid_cents == 8000 + 0 - (160 + 40 + 500)
    assert (claim.diagnoses, claim.providers, claim.billing_provider) == (
        primary_claim().diagnoses,
        primary_claim().providers,
        primary_claim().billing_provider,
    )


def test_the_written_837p_carries_2320_2330_and_2430_in_the_guides_order() -> None:
    text = write_837([claim_batch([build_secondary()])], ENVELOPE)
    segments = text.split("~")

    start = segments.index("SBR*P*18*GRP100******CI")
    assert segments[start : start + 8] == [
        "SBR*P*18*GRP100******CI",
        "CAS*CO*253*1.6**45*0.4",
        "CAS*PR*3*5",
        "AMT*D*73",
        "OI***Y***Y",
        "NM1*IL*1*TESTSUBSCRIBER*PAT****MI*MBR10001",
        "N3*12 ELM ST",
        "N4*SPRINGFIELD*IL*62704",
    ]
    assert segments[start + 8] == "NM1*PR*2*SYNTHETIC HEALTH PLAN*****PI*SYNPAYER1"
    assert segments[start + 9] == "LX*1"  # no 2330B DTP*573: every line carries its 2430 DTP*573
    first = segments.index("REF*6R*C00000026-1")
    assert segments[first + 1 : first + 5] == [
        "SVD*SYNPAYER1*80*HC:99213:25**1",
        "CAS*CO*45*20",
        "CAS*PR*2*20",
        "DTP*573*D8*20261210",
    ]
    assert "SBR*S*18*GRP100******MB" in segments  # 2000B: the next payer, secondary


def test_an_advice_without_service_lines_balances_at_claim_level_with_the_date_on_2330b() -> None:
    paid = payment(
        adjustments=(adj(CO, "45", 4000), adj(PR, "2", 2000), adj(CO, "97", 3150)),
        paid_cents=6000,
        lines=(),
    )

    claim = build_secondary(paid=paid)

    (other,) = claim.other_insurance
    assert (other.paid_cents, other.adjudication_date) == (6000, PAID_ON)
    assert [a.carc for a in other.adjustments] == ["45", "97", "2"]
    assert all(ln.other_payer_adjudications == () for ln in claim.lines)
    assert cob_balancing_errors(claim) == []


def test_a_line_without_ref_6r_is_matched_by_the_code_modifiers_and_charge_it_was_sent_with() -> None:
    changed = ServicePayment(  # the payer paid 99212 instead of the 99213-25 we sent (SVC06), and dropped REF*6R
        procedure=ProcedureCode(qualifier="HC", code="99212"),
        original_procedure=ProcedureCode(qualifier="HC", code="99213", modifiers=("25",)),
        charge_cents=12000,
        paid_cents=8000,
        adjustments=(adj(CO, "45", 2000), adj(PR, "2", 2000)),
    )
    paid = payment(lines=(service("85025", 3150, 0, adj(CO, "97", 3150), lcn=None), changed))

    claim = build_secondary(paid=paid)

    one, two = claim.lines
    assert (one.other_payer_adjudications[0].procedure.code, one.other_payer_adjudications[0].paid_cents) == (
        "99212",
        8000,
    )
    assert one.other_payer_adjudications[0].paid_units == Decimal(1)  # SVC05 not sent: one unit
    assert two.other_payer_adjudications[0].adjustments[0].carc == "97"
    assert cob_balancing_errors(claim) == []


def test_a_patient_who_is_not_the_subscriber_keeps_pat01_as_the_2320_relationship() -> None:
    claim = build_secondary(primary_claim(with_patient=True))

    assert claim.other_insurance[0].relationship == "19"
    assert claim.patient is None  # the next coverage's own patient loop (here the patient is its subscriber)


def test_a_tertiary_claim_keeps_the_primary_and_adds_the_secondary_payer() -> None:
    secondary = build_secondary()
    by_secondary = ClaimPayment(
        claim_id=NEXT,
        status=ClaimStatus.SECONDARY,
        charge_cents=15150,
        paid_cents=1500,
        filing_indicator="MB",
        lines=(
            service("99213", 12000, 1500, adj(CO, "45", 2000), adj(OA, "23", 8000), adj(PR, "2", 500), lcn=f"{NEXT}-1"),
            service("85025", 3150, 0, adj(CO, "97", 3150), lcn=f"{NEXT}-2"),
        ),
    )
    third = replace(subscriber("T", payer=replace(SECOND_PAYER, identifier="SYNPAYER3")), filing_indicator="CI")

    claim = secondary_claim(
        secondary,
        by_secondary,
        patient_control_number="C00000034",
        next_insured=third,
        next_patient=None,
        adjudicated_on=date(2027, 1, 5),
    )

    assert claim.subscriber.responsibility == "T"
    assert [(o.responsibility, o.payer.identifier, o.paid_cents) for o in claim.other_insurance] == [
        ("P", "SYNPAYER1", 7300),
        ("S", "SYNPAYER2", 1500),
    ]
    assert [a.payer_identifier for a in claim.lines[0].other_payer_adjudications] == ["SYNPAYER1", "SYNPAYER2"]
    assert cob_balancing_errors(claim) == []


@pytest.mark.parametrize(
    ("paid", "field", "message"),
    [
        (
            payment(claim_id="C00000034"),
            "payment.claim_id",
            "the payment is for claim C00000034 (CLP01), not for claim C00000018",
        ),
        (payment(paid_cents=7301), "payment", "does not balance (CLP03 − ΣCAS − CLP04 is -1 cents)"),
        (payment(status=ClaimStatus.REVERSAL), "payment.status", "it reverses an earlier payment (CLP02 22)"),
        (
            payment(lines=(service("99214", 12000, 8000, adj(CO, "45", 4000), lcn=None), payment().lines[1])),
            "payment.lines[0]",
            "service line 1 of the 835 (99214, charge 12000 cents, REF*6R missing) matches no line of claim C00000018",
        ),
        (
            payment(lines=(payment().lines[0], replace(payment().lines[1], line_control_number=f"{PCN}-1"))),
            "lines[1]",
            "line 2 of claim C00000018 has no service line in the 835",
        ),
        (
            payment(
                lines=(
                    replace(payment().lines[0], line_control_number=f"{PCN}-2"),
                    replace(payment().lines[1], line_control_number=f"{PCN}-1"),
                )
            ),
            "lines[0]",
            "line 1 charged 12000 cents but the 835 reports 3150 (SVC02) for it",
        ),
    ],
    ids=["foreign CLP01", "unbalanced", "reversal", "unmatched 835 line", "line not in the 835", "charge differs"],
)
def test_a_payment_that_cannot_be_forwarded_is_refused_saying_why(paid: ClaimPayment, field: str, message: str) -> None:
    primary = primary_claim()
    before = primary

    with pytest.raises(ValidationError) as refused:
        build_secondary(primary, paid)

    assert refused.value.field == field
    assert message in refused.value.message
    assert primary == before


def _remit_with(*extra: str, status: str = "1") -> ClaimPayment:
    body = [seg.replace("CLP*PCN-0001*1*", f"CLP*PCN-0001*{status}*") for seg in REMIT_BODY]
    at = body.index("NM1*QC*1*TESTPATIENT*ALEX****MI*MBR0001") + 1
    body[at:at] = list(extra)
    (transaction,) = x12.read(build(body))
    remittance = transaction.document
    assert isinstance(remittance, Remittance)
    (claim,) = remittance.claims
    return claim


def test_a_crossover_is_recognised_by_the_nm1_tt_carrier_and_named() -> None:
    forwarded = _remit_with("NM1*TT*2*MEDICARE PART B*****PI*MCRB1")

    assert is_crossover(forwarded) is True
    assert crossover_payer_name(forwarded) == "MEDICARE PART B"


@pytest.mark.parametrize(("status", "crossed"), [("19", True), ("20", True), ("21", True), ("1", False), ("4", False)])
def test_a_crossover_is_recognised_by_clp02_processed_and_forwarded(status: str, crossed: bool) -> None:
    paid = _remit_with(status=status)

    assert is_crossover(paid) is crossed
    assert crossover_payer_name(paid) is None


def test_the_balancing_check_names_each_guide_rule_a_claim_breaks() -> None:
    claim = build_secondary()
    broken = replace(claim, other_insurance=(replace(claim.other_insurance[0], paid_cents=7000),))

    assert cob_balancing_errors(broken) == [
        "other payer SYNPAYER1: ΣSVD02 − Σ2320 CAS is 7300, AMT*D is 7000",
        "other payer SYNPAYER1: CLM02 − Σ2320 CAS − Σ2430 CAS is 7300, AMT*D is 7000",
    ]
