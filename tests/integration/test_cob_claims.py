"""Secondary claims on real databases: built from the primary's 835, stored once, scrubbed clean, batched to the
secondary payer as an 837P that pyx12 accepts; nothing is built for a crossover or without a next coverage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from medbill.domain.claim_records import ClaimRecord
from medbill.domain.claim_states import ClaimEvent, ClaimStatus
from medbill.domain.claims import ClaimAdjustment, EntityType, NamedEntity, ProcedureCode
from medbill.domain.cob import cob_balancing_errors
from medbill.domain.coverage import CoverageOrder
from medbill.domain.errors import ValidationError
from medbill.domain.remittance import Adjustment, AdjustmentGroup, ClaimPayment, ServicePayment
from medbill.domain.remittance import ClaimStatus as RemitStatus
from medbill.services import batches, claims, users
from medbill.services.claim_secondary import build_secondary_claim
from medbill.services.scrubbing import ScrubContext, scrub_claim
from tests.integration.claims_support import OPTIONS, add_secondary, advance, covered_encounter, encounter_for
from tests.integration.test_x12_pyx12 import X12VALID, pyx12_errors
from tests.support import Practice, register_with_coverage

PAID_ON = date(2026, 12, 10)
CO, PR = AdjustmentGroup.CONTRACTUAL, AdjustmentGroup.PATIENT_RESPONSIBILITY


def _primary_adjudicated(p: Practice) -> tuple[ClaimRecord, str]:
    """Acme primary, Medicare secondary; the primary claim (99213 120.00, 36415 x2 31.50) sent and partly paid."""
    deps = p.container.deps
    patient_id, _ = register_with_coverage(p)
    secondary = add_secondary(p, patient_id)
    encounter_for(p, patient_id)
    claims.build_claims(deps, p.biller)
    claims.scrub_claims(deps, p.biller)
    (built,) = batches.batch_claims(deps, p.biller, options=OPTIONS).batches
    (queued,) = built.claims
    return advance(p, queued, ClaimEvent.SUBMIT, ClaimEvent.ACCEPT, ClaimEvent.PAY_PARTIALLY), secondary


def _service(code: str, charge: int, paid: int, lcn: str, *adjustments: Adjustment, units: int = 1) -> ServicePayment:
    return ServicePayment(
        procedure=ProcedureCode(qualifier="HC", code=code),
        charge_cents=charge,
        paid_cents=paid,
        units_paid=Decimal(units),
        adjustments=adjustments,
        line_control_number=lcn,
    )


def acme_835(claim: ClaimRecord, **changes: object) -> ClaimPayment:
    """Acme's CLP loop: 99213 paid 80.00 (CO-45 20.00, PR-2 20.00), 36415 denied (CO-97 31.50), sequestration CO-253
    1.60 at claim level: CLP04 78.40."""
    one, two = (line.line_control_number for line in claim.lines)
    values: dict[str, object] = {
        "claim_id": claim.patient_control_number,
        "status": RemitStatus.PRIMARY,
        "charge_cents": 15150,
        "paid_cents": 7840,
        "patient_responsibility_cents": 2000,
        "filing_indicator": "CI",
        "payer_claim_number": "ACME-ICN-1",
        "adjustments": (Adjustment(group=CO, carc="253", amount_cents=160),),
        "lines": (
            _service(
                "99213",
                12000,
                8000,
                one,
                Adjustment(group=CO, carc="45", amount_cents=2000),
                Adjustment(group=PR, carc="2", amount_cents=2000),
            ),
            _service("36415", 3150, 0, two, Adjustment(group=CO, carc="97", amount_cents=3150), units=2),
        ),
    }
    values.update(changes)
    return ClaimPayment(**values)  # type: ignore[arg-type]


def _build(p: Practice, primary: ClaimRecord, payment: ClaimPayment) -> ClaimRecord | None:
    deps = p.container.deps
    with deps.uow() as uow:
        made = build_secondary_claim(uow, deps, p.biller, primary, payment, adjudicated_on=PAID_ON)
        uow.commit()
    return made


@pytest.mark.skipif(not X12VALID.exists(), reason="pyx12 not installed")
def test_the_secondary_claim_goes_to_medicare_with_acmes_adjudication_scrubs_clean_and_passes_pyx12(
    practice: Practice, tmp_path: Path
) -> None:
    deps = practice.container.deps
    primary, secondary_coverage = _primary_adjudicated(practice)

    made = _build(practice, primary, acme_835(primary))

    assert made is not None
    assert (made.order, made.status, made.payer_id, made.coverage_id, made.next_coverage_id) == (
        CoverageOrder.SECONDARY,
        ClaimStatus.DRAFT,
        practice.medicare_id,
        secondary_coverage,
        None,
    )
    assert (made.patient_control_number, made.total_charge_cents, made.encounter_id) == (
        "C00000026",
        15150,
        primary.encounter_id,
    )
    assert [(ln.line_control_number, ln.procedure_code, ln.units, ln.charge_cents) for ln in made.lines] == [
        ("C00000026-1", "99213", 1, 12000),
        ("C00000026-2", "36415", 2, 3150),
    ]
    doc = made.document
    assert (doc.subscriber.responsibility, doc.subscriber.payer.identifier, doc.subscriber.subscriber.identifier) == (
        "S",
        "MCRB1",
        "1EG4TE5MK73",
    )
    (acme,) = doc.other_insurance
    assert (acme.responsibility, acme.relationship, acme.payer.identifier, acme.paid_cents, acme.adjustments) == (
        "P",
        "18",
        "ACME1",
        7840,
        (ClaimAdjustment(group="CO", carc="253", amount_cents=160),),
    )
    assert [
        (a.paid_cents, a.paid_units, [x.carc for x in a.adjustments])
        for ln in doc.lines
        for a in ln.other_payer_adjudications
    ] == [
        (8000, Decimal(1), ["45", "2"]),
        (0, Decimal(2), ["97"]),
    ]
    assert cob_balancing_errors(doc) == []
    assert claims.get_claim(deps, practice.biller, made.id).claim == made  # stored and read back exactly

    assert scrub_claim(doc, ScrubContext(today=deps.clock.today())) == ()
    (scrubbed,) = claims.scrub_claims(deps, practice.biller, [made.id])
    assert (scrubbed.status, scrubbed.findings) == (ClaimStatus.SCRUBBED, ())

    (built,) = batches.batch_claims(deps, practice.biller, options=OPTIONS).batches
    assert (built.batch.receiver_id, [c.id for c in built.claims]) == ("MCRB1", [made.id])
    _, content = batches.get_batch_file(deps, practice.biller, built.batch.id)
    text = content.decode("ascii")
    for segment in (
        "SBR*S*18*******MB~",
        "SBR*P*18*******CI~CAS*CO*253*1.6~AMT*D*78.4~OI***Y***Y~",
        "SVD*ACME1*80*HC:99213**1~CAS*CO*45*20~CAS*PR*2*20~DTP*573*D8*20261210~",
        "SVD*ACME1*0*HC:36415**2~CAS*CO*97*31.5~DTP*573*D8*20261210~",
    ):
        assert segment in text
    assert pyx12_errors(text, tmp_path) == []


def test_building_again_for_the_same_primary_finds_the_claim_made_the_first_time(practice: Practice) -> None:
    deps = practice.container.deps
    primary, _ = _primary_adjudicated(practice)
    first = _build(practice, primary, acme_835(primary))

    again = _build(practice, primary, acme_835(primary))

    assert first is not None and again is not None
    assert again.id == first.id
    assert [c.patient_control_number for c in claims.list_claims(deps, practice.biller)] == ["C00000018", "C00000026"]
    audit = users.audit_trail(deps, practice.admin, entity_type="claim", entity_id=first.id)
    assert [e.action.value for e in audit] == ["create"]


@pytest.mark.parametrize(
    "changes",
    [
        {"entities": (NamedEntity(role="TT", entity_type=EntityType.ORGANIZATION, name="MEDICARE B"),)},
        {"status": RemitStatus.PRIMARY_FORWARDED},
    ],
    ids=["NM1*TT", "CLP02 19"],
)
def test_a_crossover_builds_nothing(practice: Practice, changes: dict[str, object]) -> None:
    deps = practice.container.deps
    primary, _ = _primary_adjudicated(practice)

    assert _build(practice, primary, acme_835(primary, **changes)) is None

    assert [c.id for c in claims.list_claims(deps, practice.biller)] == [primary.id]


def test_without_a_next_coverage_nothing_is_built(practice: Practice) -> None:
    deps = practice.container.deps
    covered_encounter(practice)
    (primary,) = claims.build_claims(deps, practice.biller).created

    assert primary.next_coverage_id is None
    assert _build(practice, primary, acme_835(primary)) is None
    assert [c.id for c in claims.list_claims(deps, practice.biller)] == [primary.id]


def test_a_payment_for_another_claim_is_refused_and_uses_no_claim_number(practice: Practice) -> None:
    deps = practice.container.deps
    primary, _ = _primary_adjudicated(practice)

    with pytest.raises(
        ValidationError, match="the payment is for claim C00000034 \\(CLP01\\), not for claim C00000018"
    ):
        _build(practice, primary, acme_835(primary, claim_id="C00000034"))

    assert [c.id for c in claims.list_claims(deps, practice.biller)] == [primary.id]
    made = _build(practice, primary, acme_835(primary))
    assert made is not None and made.patient_control_number == "C00000026"  # the refusal took no number
